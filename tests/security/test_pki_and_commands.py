"""Key material under keys/ and the `keys`, `token` and `audit` sub-commands, run for real."""

from __future__ import annotations

import argparse
import ipaddress
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from adapters.audit_log import JsonlAuditSink
from adapters.keys import FileKeyProvider, KeysetFile
from linkage.security import pki
from linkage.security.audit import AuditLog
from linkage.security.commands import add_security_commands, parse_ttl
from linkage.security.keyset import aad_for
from linkage.security.tokens import TokenVerifier


@pytest.fixture()
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("LINKAGE_MASTER_KEY", raising=False)
    monkeypatch.delenv("LINKAGE_KEYS_DIR", raising=False)
    parser = argparse.ArgumentParser(prog="linkage")
    add_security_commands(parser.add_subparsers(dest="command", required=True),
                          default_audit_dir=lambda: str(tmp_path / "audit"))

    def run(*argv: str) -> int:
        args = parser.parse_args(list(argv))
        return args.func(args)

    return run


def _modes(root: Path) -> set[int]:
    return {stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*") if p.is_file()}


def test_init_keys_layout_permissions_and_idempotence(tmp_path):
    files, written = pki.init_keys(tmp_path / "keys", institutions=["child-protection-db"])
    assert len(written) == 10
    assert _modes(files.root) == {0o600}
    assert stat.S_IMODE(files.root.stat().st_mode) == 0o700
    before = {p: p.read_bytes() for p in files.root.rglob("*") if p.is_file()}
    assert pki.init_keys(files.root, institutions=["child-protection-db"])[1] == []
    assert {p: p.read_bytes() for p in before} == before
    # A new institution later: only its certificate is added, under the same CA.
    _, added = pki.init_keys(files.root, institutions=["child-protection-db", "adoption-files"])
    assert sorted(p.name for p in added) == ["adoption-files.crt", "adoption-files.key"]
    assert files.ca_cert.read_bytes() == before[files.ca_cert]
    _, forced = pki.init_keys(files.root, institutions=["child-protection-db"], force=True)
    assert files.ca_cert in forced and files.ca_cert.read_bytes() != before[files.ca_cert]


def test_certificates_carry_the_right_names_and_uses(keys):
    server = pki.load_certificate(keys.server_cert)
    sans = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in sans.get_values_for_type(x509.DNSName)
    assert ipaddress.ip_address("127.0.0.1") in sans.get_values_for_type(x509.IPAddress)
    client = pki.load_certificate(keys.client_cert("child-protection-db"))
    assert client.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "child-protection-db"
    assert client.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "linkage dev"
    usage = client.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    ca = pki.load_certificate(keys.ca_cert)
    client.verify_directly_issued_by(ca)
    server.verify_directly_issued_by(ca)


def test_client_names_are_identifiers(tmp_path):
    with pytest.raises(ValueError):
        pki.KeyFiles(tmp_path).client_cert("../escape")


def test_missing_key_file_names_the_fix(tmp_path):
    with pytest.raises(pki.KeyMaterialError, match="linkage keys init"):
        pki.load_signing_key(tmp_path / "token-signing.key")


@pytest.mark.parametrize(("text", "seconds"), [("900", 900), ("90s", 90), ("15m", 900), ("2h", 7200)])
def test_parse_ttl(text, seconds):
    assert parse_ttl(text) == seconds


def test_keys_init_token_issue_and_rotate(run, tmp_path, capsys):
    keys_dir = tmp_path / "keys"
    assert run("keys", "init", "--keys-dir", str(keys_dir)) == 0
    assert (keys_dir / "master.key").exists() and (keys_dir / "keyset.json").exists()
    assert _modes(keys_dir) == {0o600}
    assert run("keys", "init", "--keys-dir", str(keys_dir)) == 0
    assert "0 file(s) written" in capsys.readouterr().out

    assert run("token", "issue", "--keys-dir", str(keys_dir), "--sub", "caseworker-3", "--role", "caseworker",
               "--purpose", "origin_tracing", "--ttl", "10m") == 0
    token = capsys.readouterr().out.strip()
    verifier = TokenVerifier(pki.load_public_key(keys_dir / "token-signing.pub"))
    assert verifier.verify(token).id == "caseworker-3"
    with pytest.raises(SystemExit):
        run("token", "issue", "--keys-dir", str(keys_dir), "--sub", "x",
            "--role", "institution:child_protection", "--purpose", "child_protection")

    keyset_file = KeysetFile(keys_dir / "keyset.json", FileKeyProvider(keys_dir / "master.key"))
    old = keyset_file.load()
    sealed = old.encrypt("Trần Văn Hùng", aad_for("identities", "id-9", "full_name"))
    assert run("keys", "rotate", "--keys-dir", str(keys_dir)) == 0
    rotated = keyset_file.load()
    assert rotated.primary_id != old.primary_id
    assert rotated.decrypt(sealed, aad_for("identities", "id-9", "full_name")) == "Trần Văn Hùng"
    # --force re-issues certificates but never the master key or keyset (stored data stays readable).
    assert run("keys", "init", "--force", "--keys-dir", str(keys_dir)) == 0
    assert keyset_file.load().primary_id == rotated.primary_id


def test_audit_verify_command(run, tmp_path, capsys):
    keys_dir = tmp_path / "keys"
    files, _ = pki.init_keys(keys_dir)
    log = AuditLog(JsonlAuditSink(tmp_path / "audit"), pki.load_signing_key(files.audit_signing_key),
                   checkpoint_every=3)
    for i in range(7):
        log.append(principal_id="auditor-1", principal_kind="person", role="auditor", action="audit.read",
                   purpose="audit", outcome="ok", resource_ids=[f"audit/{i}"])
    assert run("audit", "verify", "--keys-dir", str(keys_dir)) == 0
    assert "OK: 7 entries" in capsys.readouterr().out
    path = tmp_path / "audit" / "audit.jsonl"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:2] + lines[3:]) + "\n")
    assert run("audit", "verify", "--keys-dir", str(keys_dir)) == 1
    assert "TAMPERED at seq 3: entry 3 is missing (deleted)" in capsys.readouterr().out
