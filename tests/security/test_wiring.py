"""The gate in front of the real LinkageService over mutual TLS: the server's secure default, working."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from linkage.api.server import build_server
from linkage.bootstrap import bootstrap
from linkage.config import Settings
from linkage.domain import PersonRecord, Sex
from linkage.security import pki, transport
from linkage.security.audit import AuditLog, verify
from linkage.security.tokens import TokenIssuer
from linkage.v1 import linkage_service_pb2, linkage_service_pb2_grpc, person_pb2

INVENTED = PersonRecord("population", "P-901", "Đinh Thị Mơ", Sex.FEMALE, "2002-02-02", "Ninh Bình",
                        "Lò Thị Xuân", "Đinh Văn Sáng", "037302009999")


@pytest.fixture()
def secured(tmp_path: Path, keys: pki.KeyFiles) -> Iterator[tuple[int, AuditLog]]:
    app = bootstrap(Settings(data_dir=tmp_path, db_url=f"sqlite:///{tmp_path / 'linkage.sqlite'}", workers=2,
                             keys_dir=keys.root))
    with app.uow() as uow:
        uow.identities.add_many([INVENTED])
        uow.commit()
    app.matcher.add_identities([INVENTED])
    running = build_server(app, "127.0.0.1:0")  # the default: mutual TLS and the security gate
    running.start()
    try:
        yield running.port, app.security.audit_log
    finally:
        running.stop(0)
        app.close()


def _stub(port: int, keys: pki.KeyFiles, client: str) -> linkage_service_pb2_grpc.LinkageServiceStub:
    channel = grpc.secure_channel(f"127.0.0.1:{port}", transport.client_credentials(keys.root, client))
    return linkage_service_pb2_grpc.LinkageServiceStub(channel)


def _request(record_id: str) -> linkage_service_pb2.MatchRecordRequest:
    record = person_pb2.PersonRecord(source=person_pb2.SOURCE_CHILD_REGISTRY, record_id=record_id,
                                     full_name="Đinh Thị Mơ", personal_number="037302009999")
    return linkage_service_pb2.MatchRecordRequest(record=record)


def test_institution_matches_and_the_call_is_audited(secured, keys):
    port, audit_log = secured
    response = _stub(port, keys, "child-protection-db").MatchRecord(_request("cr-1"), timeout=10)
    assert response.result.candidates
    entries = list(audit_log.sink.entries())
    assert [(e.principal_id, e.action, e.outcome) for e in entries] == [
        ("child-protection-db", "linkage.match", "ok")]
    report = verify(entries, audit_log.sink.checkpoints(), pki.load_public_key(keys.audit_public_key),
                    head=audit_log.sink.head(), require_head=True)
    assert report.ok, report
    assert "Đinh" not in audit_log.sink.entries_path.read_text(encoding="utf-8")


def test_person_without_the_role_is_denied_before_the_servicer_runs(secured, keys):
    port, audit_log = secured
    token = TokenIssuer(pki.load_signing_key(keys.token_signing_key)).issue("auditor-1", "auditor", "audit")
    with pytest.raises(grpc.RpcError) as caught:
        _stub(port, keys, "linkage-tools").MatchRecord(_request("cr-2"), timeout=10,
                                                       metadata=[("authorization", f"Bearer {token}")])
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert [e.outcome for e in audit_log.sink.entries()] == ["refused:POLICY_DENIED"]
