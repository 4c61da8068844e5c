"""Development key material under keys/: a CA, server and client certificates, and signing keys.

`init_keys` is what `linkage keys init` runs. It is idempotent: existing files are kept (a second run
only adds what is missing, e.g. a new institution's client certificate) unless `force=True`. Every
file is written 0600 inside a 0700 directory. Production replaces the CA with the authorities' own PKI;
the file layout stays the same.

TLS keys are ECDSA P-256 (what every gRPC TLS stack accepts); signing keys are Ed25519.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from linkage.security.errors import KeyMaterialError

ORGANISATION = "linkage dev"
# Client certificates made by default: the institutions of the development agreement table, plus one
# for people's tools (CLI, console backend), which authenticate the person with a token on top.
DEFAULT_CLIENTS = ("child-protection-db", "adoption-files", "social-protection-registers",
                   "abandoned-intake", "linkage-tools")
CA_DAYS, LEAF_DAYS = 3650, 825

TlsKey = ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class KeyFiles:
    """Where `init_keys` puts each file; also the loader's map of the directory."""

    root: Path
    ca_cert: Path = field(init=False)
    ca_key: Path = field(init=False)
    server_cert: Path = field(init=False)
    server_key: Path = field(init=False)
    token_signing_key: Path = field(init=False)
    token_public_key: Path = field(init=False)
    audit_signing_key: Path = field(init=False)
    audit_public_key: Path = field(init=False)

    def __post_init__(self) -> None:
        root = Path(self.root)
        object.__setattr__(self, "root", root)
        for name, rel in {
            "ca_cert": "ca.crt", "ca_key": "ca.key", "server_cert": "server.crt", "server_key": "server.key",
            "token_signing_key": "token-signing.key", "token_public_key": "token-signing.pub",
            "audit_signing_key": "audit-signing.key", "audit_public_key": "audit-signing.pub",
        }.items():
            object.__setattr__(self, name, root / rel)

    def client_cert(self, common_name: str) -> Path:
        return self.root / "clients" / f"{_safe_name(common_name)}.crt"

    def client_key(self, common_name: str) -> Path:
        return self.root / "clients" / f"{_safe_name(common_name)}.key"


def _safe_name(common_name: str) -> str:
    if not common_name or not all(c.isalnum() or c in "-_." for c in common_name) or common_name[0] == ".":
        raise ValueError("client names are identifiers: letters, digits, '-', '_', '.'")
    return common_name


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _write_secret(path: Path, data: bytes, force: bool) -> bool:
    """Write 0600 from the first byte (no window where it is world-readable). False if kept."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists() and not force:
        return False
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return True


def _pem_key(key: TlsKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


_CA_KEY_USAGE = x509.KeyUsage(
    digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
    key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False,
    decipher_only=False)


def create_ca(common_name: str = "linkage dev CA", not_before: dt.datetime | None = None,
              days: int = CA_DAYS) -> tuple[x509.Certificate, TlsKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before or _now() - dt.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name)).issuer_name(_name(common_name))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_CA_KEY_USAGE, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def issue_certificate(ca_cert: x509.Certificate, ca_key: TlsKey, common_name: str, *, server: bool,
                      hostnames: Iterable[str] = ("localhost",), ips: Iterable[str] = ("127.0.0.1", "::1"),
                      not_before: dt.datetime | None = None,
                      not_after: dt.datetime | None = None) -> tuple[x509.Certificate, TlsKey]:
    """A leaf certificate signed by the CA: a server one (SANs) or a client one (CN = principal id)."""
    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before or _now() - dt.timedelta(minutes=5)
    end = not_after or start + dt.timedelta(days=LEAF_DAYS)
    usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name)).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
    )
    if server:
        names: list[x509.GeneralName] = [x509.DNSName(h) for h in hostnames]
        names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ips]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(ca_key, hashes.SHA256()), key


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def load_certificate(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(read_key_file(path))


def load_tls_key(path: Path) -> TlsKey:
    key = serialization.load_pem_private_key(read_key_file(path), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise KeyMaterialError(f"{path.name} is not an EC private key")
    return key


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(read_key_file(path), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyMaterialError(f"{path.name} is not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(read_key_file(path))
    if not isinstance(key, Ed25519PublicKey):
        raise KeyMaterialError(f"{path.name} is not an Ed25519 public key")
    return key


def read_key_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise KeyMaterialError(f"missing key file {Path(path).name}; run `linkage keys init`") from None


def _ensure_signing_key(private: Path, public: Path, force: bool, written: list[Path]) -> None:
    if force or not private.exists():
        key = Ed25519PrivateKey.generate()
        _write_secret(private, _pem_key(key), force=True)
        written.append(private)
    else:
        key = load_signing_key(private)
    pub = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    if force or not public.exists() or public.read_bytes() != pub:
        _write_secret(public, pub, force=True)
        written.append(public)


def init_keys(keys_dir: str | Path, institutions: Iterable[str] = DEFAULT_CLIENTS,
              force: bool = False) -> tuple[KeyFiles, list[Path]]:
    """Create the development key material; returns the layout and the files actually written."""
    files = KeyFiles(Path(keys_dir))
    files.root.mkdir(mode=0o700, parents=True, exist_ok=True)
    written: list[Path] = []
    if force or not (files.ca_cert.exists() and files.ca_key.exists()):
        ca_cert, ca_key = create_ca()
        _write_secret(files.ca_key, _pem_key(ca_key), force=True)
        _write_secret(files.ca_cert, _cert_pem(ca_cert), force=True)
        written += [files.ca_key, files.ca_cert]
        force = True  # every leaf must be re-issued under the new CA
    else:
        ca_cert, ca_key = load_certificate(files.ca_cert), load_tls_key(files.ca_key)

    leaves = [("localhost", files.server_cert, files.server_key, True)]
    leaves += [(cn, files.client_cert(cn), files.client_key(cn), False) for cn in institutions]
    for cn, cert_path, key_path, server in leaves:
        if force or not (cert_path.exists() and key_path.exists()):
            cert, key = issue_certificate(ca_cert, ca_key, cn, server=server)
            _write_secret(key_path, _pem_key(key), force=True)
            _write_secret(cert_path, _cert_pem(cert), force=True)
            written += [key_path, cert_path]

    _ensure_signing_key(files.token_signing_key, files.token_public_key, force, written)
    _ensure_signing_key(files.audit_signing_key, files.audit_public_key, force, written)
    return files, written


def write_client_certificate(files: KeyFiles, common_name: str, not_before: dt.datetime | None = None,
                             not_after: dt.datetime | None = None) -> tuple[Path, Path]:
    """Issue (or re-issue) one client certificate under the existing CA, e.g. for a new institution."""
    ca_cert, ca_key = load_certificate(files.ca_cert), load_tls_key(files.ca_key)
    cert, key = issue_certificate(ca_cert, ca_key, common_name, server=False, not_before=not_before,
                                  not_after=not_after)
    _write_secret(files.client_key(common_name), _pem_key(key), force=True)
    _write_secret(files.client_cert(common_name), _cert_pem(cert), force=True)
    return files.client_cert(common_name), files.client_key(common_name)
