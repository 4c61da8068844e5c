"""Key providers (where the master key lives) and the wrapped keyset file.

The master key never sits in the repository: `EnvKeyProvider` reads `LINKAGE_MASTER_KEY` (base64 of
32 random bytes), `FileKeyProvider` reads a 0600 file under keys/ for development, and a real KMS or
HSM implements `KmsKeyProvider`. All three wrap the keyset with AES-256-GCM (locally, or inside the
KMS), so the keyset file on disk is useless without the master key.
"""

from __future__ import annotations

import abc
import base64
import binascii
import hashlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from linkage.security.errors import KeyMaterialError
from linkage.security.keyset import Keyset

MASTER_KEY_ENV = "LINKAGE_MASTER_KEY"
_NONCE_BYTES = 12


def generate_master_key() -> str:
    """A new master key as base64 text, for `LINKAGE_MASTER_KEY` or a dev key file."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def _decode_master_key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyMaterialError(f"master key in {where} is not base64") from None
    if len(key) != 32:
        raise KeyMaterialError(f"master key in {where} must be 32 bytes (base64 of 32 random bytes)")
    return key


class LocalMasterKey:
    """AES-256-GCM wrapping with a master key held in this process (env or file)."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        # An id that names the key without revealing it, so a keyset file says which master it needs.
        self.key_id = "local:" + hashlib.sha256(b"linkage master key id|" + key).hexdigest()[:16]

    def wrap(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, aad)

    def unwrap(self, ciphertext: bytes, aad: bytes) -> bytes:
        try:
            return self._aead.decrypt(ciphertext[:_NONCE_BYTES], ciphertext[_NONCE_BYTES:], aad)
        except (InvalidTag, ValueError):
            raise KeyMaterialError("the master key cannot unwrap this keyset (wrong master key?)") from None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key_id})"

    def __reduce__(self) -> object:
        raise TypeError("a master key cannot be pickled")


class EnvKeyProvider(LocalMasterKey):
    """The master key from the environment (`LINKAGE_MASTER_KEY`): the production default without a KMS."""

    def __init__(self, environ: Mapping[str, str] | None = None, variable: str = MASTER_KEY_ENV) -> None:
        value = (os.environ if environ is None else environ).get(variable)
        if not value:
            raise KeyMaterialError(f"{variable} is not set")
        super().__init__(_decode_master_key(value, variable))


class FileKeyProvider(LocalMasterKey):
    """The master key from a 0600 file under keys/ (development only; refuses group/world-readable)."""

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        try:
            mode = path.stat().st_mode
            text = path.read_text("ascii")
        except FileNotFoundError:
            raise KeyMaterialError(f"missing master key file {path.name}; run `linkage keys init`") from None
        if mode & 0o077:
            raise KeyMaterialError(f"master key file {path.name} must not be readable by group or others")
        super().__init__(_decode_master_key(text, path.name))

    @staticmethod
    def create(path: str | Path, force: bool = False) -> bool:
        """Write a new master key file (0600). False when one exists and `force` is not set."""
        path = Path(path)
        if path.exists() and not force:
            return False
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(generate_master_key() + "\n")
        os.chmod(path, 0o600)
        return True


class KmsKeyProvider(abc.ABC):
    """Interface for a real key-management service (cloud KMS, HSM via PKCS#11, Vault transit).

    Implementations call the service's Encrypt/Decrypt with a key-encryption key that never leaves it:
    `wrap(plaintext, aad)` -> the service's ciphertext for `plaintext` bound to `aad` (the "encryption
    context"/"additional authenticated data" of the service), `unwrap` the reverse, raising
    `KeyMaterialError` on any refusal. `key_id` is the service's key name or ARN. Only the keyset (a
    few hundred bytes, once at start-up and on rotation) crosses to the service, never personal data.
    """

    key_id: str

    @abc.abstractmethod
    def wrap(self, plaintext: bytes, aad: bytes) -> bytes: ...

    @abc.abstractmethod
    def unwrap(self, ciphertext: bytes, aad: bytes) -> bytes: ...


def default_key_provider(keys_dir: str | Path, environ: Mapping[str, str] | None = None) -> LocalMasterKey:
    """`LINKAGE_MASTER_KEY` when set, else the development file keys/master.key."""
    env = os.environ if environ is None else environ
    if env.get(MASTER_KEY_ENV):
        return EnvKeyProvider(env)
    return FileKeyProvider(Path(keys_dir) / "master.key")


class KeysetFile:
    """The keyset on disk, wrapped under a provider's master key; writes are atomic and 0600."""

    def __init__(self, path: str | Path, provider: LocalMasterKey | KmsKeyProvider) -> None:
        self.path = Path(path)
        self.provider = provider

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> Keyset:
        try:
            blob = self.path.read_bytes()
        except FileNotFoundError:
            raise KeyMaterialError(f"missing keyset file {self.path.name}; run `linkage keys init`") from None
        return Keyset.unwrap(blob, self.provider)

    def save(self, keyset: Keyset) -> None:
        blob = keyset.wrap(self.provider)
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)

    def create_if_missing(self) -> tuple[Keyset, bool]:
        """Load the keyset, or generate and save a new one; True when it was created."""
        if self.exists():
            return self.load(), False
        keyset = Keyset.generate()
        self.save(keyset)
        return keyset, True

    def rotate(self) -> Keyset:
        """Add a new primary key and save; the re-encryption job then moves old values onto it."""
        keyset = self.load().rotate()
        self.save(keyset)
        return keyset
