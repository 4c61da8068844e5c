"""A versioned keyset of AES-256-GCM keys for personal fields at rest, and HMAC blind indexes.

Shaped after tink's keyset and pyca's MultiFernet: the primary key encrypts, every key in the set
decrypts, each ciphertext names its key, and every failure is one opaque `DecryptionError`. The
associated data binds a ciphertext to its table, row and field (`aad_for`), so a value copied to
another row or field does not decrypt. A `Keyset` cannot be pickled or printed with its keys, and
leaves the process only wrapped under the master key of a `KeyProvider`.

Ciphertext layout: version byte 0x01 | key id (4 bytes, big endian) | nonce (12) | AES-GCM ct+tag.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import json
import os
import secrets
import struct
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from linkage.security.errors import DecryptionError, KeyMaterialError
from linkage.security.ports import KeyProvider

AES256_GCM = "AES256_GCM"
_VERSION = 1
_HEADER = struct.Struct(">BI")
_NONCE_BYTES = 12
_PREFIX_BYTES = _HEADER.size + _NONCE_BYTES
_KEY_BYTES = 32
_WRAP_FORMAT = "linkage-keyset-v1"
_WRAP_AAD = b"linkage keyset v1"


_SEPARATOR = "\x1f"  # ASCII unit separator: cannot occur in the parts, so the encoding is unambiguous


def aad_for(table: str, row_id: str | int, field_name: str) -> bytes:
    """Associated data binding a ciphertext to one field of one row of one table.

    On the hot path of every encrypt and decrypt, hence a plain join rather than JSON; parts holding
    the separator are refused so that no two (table, row, field) triples share an encoding.
    """
    row = str(row_id)
    if _SEPARATOR in table or _SEPARATOR in row or _SEPARATOR in field_name:
        raise ValueError("table, row id and field must not contain control characters")
    return f"linkage/v1{_SEPARATOR}{table}{_SEPARATOR}{row}{_SEPARATOR}{field_name}".encode()


@dataclass(frozen=True)
class _Key:
    key_id: int
    created_at: str
    material: bytes = field(repr=False)


class Keyset:
    """Immutable: `rotate` and `retire` return a new keyset, so readers of the old one are undisturbed."""

    def __init__(self, keys: Iterable[_Key], primary_id: int, index_key: bytes) -> None:
        self._keys = {k.key_id: k for k in keys}
        if primary_id not in self._keys:
            raise KeyMaterialError("primary key is not in the keyset")
        if any(len(k.material) != _KEY_BYTES for k in self._keys.values()) or len(index_key) != _KEY_BYTES:
            raise KeyMaterialError("keyset keys must be 256-bit")
        self._primary_id = primary_id
        self._index_key = index_key
        self._aeads = {kid: AESGCM(k.material) for kid, k in self._keys.items()}

    # --- construction -------------------------------------------------------------------------------
    @classmethod
    def generate(cls) -> Keyset:
        """A fresh keyset: one AES-256-GCM primary key and an independent blind-index key."""
        first = _new_key(existing=())
        return cls([first], first.key_id, secrets.token_bytes(_KEY_BYTES))

    def rotate(self) -> Keyset:
        """A keyset with a new primary key; older keys stay so existing ciphertexts still decrypt."""
        new = _new_key(existing=self._keys)
        return Keyset([*self._keys.values(), new], new.key_id, self._index_key)

    def retire(self, key_id: int) -> Keyset:
        """Drop an old key once re-encryption has moved every value off it. The primary cannot go."""
        if key_id == self._primary_id:
            raise KeyMaterialError("cannot retire the primary key")
        if key_id not in self._keys:
            raise KeyMaterialError("no such key in the keyset")
        kept = [k for k in self._keys.values() if k.key_id != key_id]
        return Keyset(kept, self._primary_id, self._index_key)

    # --- inspection (no secrets) -------------------------------------------------------------------
    @property
    def primary_id(self) -> int:
        return self._primary_id

    @property
    def key_ids(self) -> tuple[int, ...]:
        return tuple(sorted(self._keys, key=lambda kid: self._keys[kid].created_at))

    def key_id_of(self, ciphertext: bytes) -> int:
        if len(ciphertext) < _PREFIX_BYTES:
            raise DecryptionError()
        version, kid = _HEADER.unpack_from(ciphertext)
        if version != _VERSION:
            raise DecryptionError()
        return kid

    def is_current(self, ciphertext: bytes) -> bool:
        """True when the value is already under the primary key (re-encryption skips it)."""
        try:
            return self.key_id_of(ciphertext) == self._primary_id
        except DecryptionError:
            return False

    # --- AEAD ---------------------------------------------------------------------------------------
    def encrypt_bytes(self, plaintext: bytes, aad: bytes) -> bytes:
        if not isinstance(plaintext, bytes) or not isinstance(aad, bytes):
            raise TypeError("plaintext and aad must be bytes")
        nonce = os.urandom(_NONCE_BYTES)
        body = self._aeads[self._primary_id].encrypt(nonce, plaintext, aad)
        return _HEADER.pack(_VERSION, self._primary_id) + nonce + body

    def decrypt_bytes(self, ciphertext: bytes, aad: bytes) -> bytes:
        if not isinstance(ciphertext, bytes | bytearray | memoryview) or not isinstance(aad, bytes):
            raise TypeError("ciphertext and aad must be bytes")
        ciphertext = bytes(ciphertext)
        aead = self._aeads.get(self.key_id_of(ciphertext))
        if aead is None:
            raise DecryptionError()
        try:
            return aead.decrypt(ciphertext[_HEADER.size:_PREFIX_BYTES], ciphertext[_PREFIX_BYTES:], aad)
        except InvalidTag:
            raise DecryptionError() from None

    def encrypt(self, plaintext: str, aad: bytes) -> bytes:
        if not isinstance(plaintext, str):
            raise TypeError("plaintext must be str")
        return self.encrypt_bytes(plaintext.encode("utf-8"), aad)

    def decrypt(self, ciphertext: bytes, aad: bytes) -> str:
        try:
            return self.decrypt_bytes(ciphertext, aad).decode("utf-8")
        except UnicodeDecodeError:
            raise DecryptionError() from None

    # --- blind indexes ------------------------------------------------------------------------------
    def blind_index(self, domain: str, length: int = 16,
                    normalise: Callable[[str], str] | None = None) -> BlindIndex:
        """A blind index for one domain (usually a field name); domains never share HMAC keys."""
        hkdf = HKDF(algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=None,
                    info=b"linkage blind index v1|" + domain.encode("utf-8"))
        return BlindIndex(hkdf.derive(self._index_key), length, normalise or normalise_for_index)

    # --- wrapping -----------------------------------------------------------------------------------
    def wrap(self, provider: KeyProvider) -> bytes:
        """Serialise the keyset encrypted under the provider's master key; checked to unwrap back."""
        inner = json.dumps({
            "primary": self._primary_id,
            "index_key": _b64(self._index_key),
            "keys": [{"id": k.key_id, "type": AES256_GCM, "created_at": k.created_at,
                      "material": _b64(k.material)} for k in self._keys.values()],
        }, sort_keys=True).encode("utf-8")
        blob = json.dumps({"format": _WRAP_FORMAT, "master_key_id": provider.key_id,
                           "wrapped": _b64(provider.wrap(inner, _WRAP_AAD))}, indent=1).encode("utf-8")
        if Keyset.unwrap(blob, provider)._fingerprint() != self._fingerprint():
            raise KeyMaterialError("wrapped keyset does not unwrap to itself")
        return blob

    @classmethod
    def unwrap(cls, blob: bytes, provider: KeyProvider) -> Keyset:
        try:
            outer = json.loads(blob)
            if outer.get("format") != _WRAP_FORMAT:
                raise KeyMaterialError("not a linkage keyset file")
            inner = json.loads(provider.unwrap(base64.b64decode(outer["wrapped"]), _WRAP_AAD))
            keys = [_Key(int(k["id"]), str(k["created_at"]), base64.b64decode(k["material"]))
                    for k in inner["keys"] if k.get("type") == AES256_GCM]
            return cls(keys, int(inner["primary"]), base64.b64decode(inner["index_key"]))
        except KeyMaterialError:
            raise
        except (ValueError, KeyError, TypeError):
            raise KeyMaterialError("keyset file is malformed") from None

    def _fingerprint(self) -> bytes:
        digest = sha256(self._index_key + struct.pack(">I", self._primary_id))
        for kid in sorted(self._keys):
            digest.update(struct.pack(">I", kid) + self._keys[kid].material)
        return digest.digest()

    # --- never leak ---------------------------------------------------------------------------------
    def __repr__(self) -> str:
        return f"Keyset(primary={self._primary_id}, keys={len(self._keys)})"

    def __reduce__(self) -> object:
        raise TypeError("a Keyset cannot be pickled; wrap it under a master key instead")


def _new_key(existing: Iterable[int]) -> _Key:
    taken = set(existing)
    while True:
        kid = secrets.randbits(32)
        if kid and kid not in taken:
            break
    # Microseconds keep creation order stable even for keys made in the same second.
    created = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    return _Key(kid, created, secrets.token_bytes(_KEY_BYTES))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def normalise_for_index(value: str) -> str:
    """Default normalisation for exact look-ups: NFC, case-folded, inner whitespace collapsed.

    Name-aware forms (tone-mark placement, ASCII folding) come from `linkage.vn` and are passed in as
    `normalise` where a field needs them.
    """
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


class BlindIndex:
    """HMAC-SHA256 of a normalised value, truncated: equal values give equal tokens, nothing else leaks
    except equality. Empty values get no index (None), so blanks never all collide into one bucket."""

    def __init__(self, key: bytes, length: int, normalise: Callable[[str], str]) -> None:
        if not 8 <= length <= 32:
            raise ValueError("blind index length must be 8..32 bytes")
        self._key, self._length, self._normalise = key, length, normalise

    def compute(self, value: str) -> str | None:
        normalised = self._normalise(value)
        if not normalised:
            return None
        return hmac.new(self._key, normalised.encode("utf-8"), sha256).digest()[: self._length].hex()

    def __repr__(self) -> str:
        return f"BlindIndex(length={self._length})"

    def __reduce__(self) -> object:
        raise TypeError("a BlindIndex cannot be pickled")


@dataclass(frozen=True, slots=True)
class SealedValue:
    """One encrypted field of one row, as the store holds it."""

    table: str
    row_id: str
    field: str
    ciphertext: bytes


@dataclass
class ReencryptStats:
    seen: int = 0
    skipped: int = 0
    rewritten: int = 0


def reencrypt(rows: Iterable[SealedValue], keyset: Keyset,
              stats: ReencryptStats | None = None) -> Iterator[SealedValue]:
    """Yield each value not yet under the primary key, re-encrypted with the same row/field binding.

    Resumable by construction: values already under the primary key are skipped, so after a crash the
    job simply runs again over the same rows. The caller writes what is yielded and commits in batches.
    """
    stats = stats if stats is not None else ReencryptStats()
    for row in rows:
        stats.seen += 1
        if keyset.is_current(row.ciphertext):
            stats.skipped += 1
            continue
        aad = aad_for(row.table, row.row_id, row.field)
        fresh = keyset.encrypt_bytes(keyset.decrypt_bytes(row.ciphertext, aad), aad)
        stats.rewritten += 1
        yield replace(row, ciphertext=fresh)
