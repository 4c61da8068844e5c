"""The real server (Linkage, Review, Tracing and Consent services) behind its secure default, over mutual
TLS on 127.0.0.1.

- The authorisation matrix: every RPC x every role x every purpose, with the expected code. The
  expectations are written out here, independently of `linkage.security.policy`, so a change to the
  policy has to be made twice (on purpose). An allowed call that needs a resource either finds the one
  seeded for it (OK) or names a missing one and gets exactly NOT_FOUND: past the gate, never a refusal.
- Per-principal rate limits answer RESOURCE_EXHAUSTED on the real server.
- Bad credentials are refused by the real server too (not only by the gate's test handlers).
- Every RPC leaves an audit entry; responses are cut to what the caller's agreement allows.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from linkage.api.server import build_server
from linkage.bootstrap import App, bootstrap
from linkage.config import Settings
from linkage.domain import PersonRecord, Sex
from linkage.security import pki, transport
from linkage.security.audit import verify
from linkage.security.principal import Purpose, Role
from linkage.security.tokens import TokenIssuer
from linkage.services.linking import match_record
from linkage.v1 import consent_service_pb2 as consent_pb
from linkage.v1 import linkage_service_pb2 as pb
from linkage.v1 import person_pb2
from linkage.v1 import tracing_service_pb2 as tracing_pb

INVENTED = [
    PersonRecord("population", "P-901", "Đinh Thị Mơ", Sex.FEMALE, "2002-02-02", "Ninh Bình",
                 "Lò Thị Xuân", "Đinh Văn Sáng", "037302009999"),
    PersonRecord("population", "P-902", "Hà Văn Khởi", Sex.MALE, "1999-09-09", "Cao Bằng",
                 "Nông Thị Ấm", "Hà Văn Tôn", "004099001111"),
]
L, R = "/linkage.v1.LinkageService/", "/linkage.v1.ReviewService/"
T, C = "/linkage.v1.TracingService/", "/linkage.v1.ConsentService/"
INSTITUTIONS = {"child-protection-db": ["child_protection"], "adoption-files": ["adoption_matching"],
                "social-protection-registers": ["abandoned_child_registration", "child_protection"],
                "abandoned-intake": ["abandoned_child_registration"]}

# Who may call what, for which purpose: (role, purpose) pairs per RPC. Everything else is denied.
_STEWARDS = {("steward", "data_quality_review"), ("senior_steward", "data_quality_review")}
_LINKING_INSTITUTIONS = {("institution:child_protection", "child_protection"),
                         ("institution:adoption_files", "adoption_matching"),
                         ("institution:social_protection", "abandoned_child_registration")}
_CASEWORKER = {("caseworker", "origin_tracing"), ("caseworker", "abandoned_child_registration")}
_TRACING_CASEWORKER = {("caseworker", "origin_tracing")}
_APPROVER = {("approving_officer", "origin_tracing")}
ALLOWED: dict[str, set[tuple[str, str]]] = {
    L + "MatchRecord": _STEWARDS | _CASEWORKER | _LINKING_INSTITUTIONS,
    L + "GetLink": _STEWARDS | _CASEWORKER | _LINKING_INSTITUTIONS
    | {("institution:social_protection", "child_protection")},
    L + "LinkRecords": set(_LINKING_INSTITUTIONS),
    R + "ListReviewCases": set(_STEWARDS),
    R + "ClaimReviewCase": set(_STEWARDS),
    R + "DecideReviewCase": set(_STEWARDS),
    R + "EscalateReviewCase": set(_STEWARDS),
    R + "UndoReviewDecision": {("senior_steward", "data_quality_review")},
    T + "OpenTrace": set(_TRACING_CASEWORKER),
    T + "GetTrace": _TRACING_CASEWORKER | _APPROVER,
    T + "PrepareTrace": set(_TRACING_CASEWORKER),
    T + "ApproveTrace": set(_APPROVER),
    T + "ReturnTrace": set(_APPROVER),
    T + "ReleaseTrace": set(_APPROVER),
    C + "RecordConsent": set(_TRACING_CASEWORKER),
    C + "WithdrawConsent": set(_TRACING_CASEWORKER),
    C + "GetConsent": _TRACING_CASEWORKER | _APPROVER,
    C + "ListConsents": _TRACING_CASEWORKER | _APPROVER,
}
# What an allowed call answers, given the requests `_request` sends: OK where the resource exists (the
# seeded trace and consent, or a create), NOT_FOUND where the request names one that does not. Review
# calls send an empty request: any answer of the servicer, never a gate refusal.
ALLOWED_ANSWER: dict[str, grpc.StatusCode] = {
    L + "MatchRecord": grpc.StatusCode.OK, L + "GetLink": grpc.StatusCode.OK,
    L + "LinkRecords": grpc.StatusCode.OK,
    T + "OpenTrace": grpc.StatusCode.OK, T + "GetTrace": grpc.StatusCode.OK,
    T + "PrepareTrace": grpc.StatusCode.NOT_FOUND, T + "ApproveTrace": grpc.StatusCode.NOT_FOUND,
    T + "ReturnTrace": grpc.StatusCode.NOT_FOUND, T + "ReleaseTrace": grpc.StatusCode.NOT_FOUND,
    C + "RecordConsent": grpc.StatusCode.OK, C + "WithdrawConsent": grpc.StatusCode.NOT_FOUND,
    C + "GetConsent": grpc.StatusCode.OK, C + "ListConsents": grpc.StatusCode.OK,
}
GATE_CODES = {grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED}


@dataclass
class Running:
    app: App
    port: int
    keys: pki.KeyFiles

    def channel(self, client: str | None) -> grpc.Channel:
        credentials = transport.client_credentials(self.keys.root, client)
        return grpc.secure_channel(f"127.0.0.1:{self.port}", credentials)

    def token(self, subject: str, role: str, purpose: str, signing_key: Ed25519PrivateKey | None = None,
              **kwargs: object) -> str:
        key = signing_key or pki.load_signing_key(self.keys.token_signing_key)
        return TokenIssuer(key, **kwargs).issue(subject, role, purpose)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    root = tmp_path_factory.mktemp("real-server")
    app = bootstrap(Settings(data_dir=root, db_url=f"sqlite:///{root / 'linkage.sqlite'}", workers=4,
                             rate_per_s=10_000, rate_burst=10_000))
    with app.uow() as uow:
        uow.identities.add_many(INVENTED)
        uow.commit()
    app.matcher.add_identities(INVENTED)
    server = build_server(app, "127.0.0.1:0")
    server.start()
    try:
        yield Running(app, server.port, pki.KeyFiles(app.settings.keys_dir))
    finally:
        server.stop(0)
        app.close()


def _record(record_id: str) -> person_pb2.PersonRecord:
    return person_pb2.PersonRecord(source=person_pb2.SOURCE_CHILD_REGISTRY, record_id=record_id,
                                   full_name="Đinh Thị Mơ", birth_date=person_pb2.DateOfBirth(year=2002),
                                   mother_name="Lò Thị Xuân", personal_number="037302009999")


def _request(method: str, n: int) -> tuple[bytes, bool]:
    """A well-formed request for `method` (serialised) and whether the method streams."""
    name = method.rsplit("/", 1)[1]
    if name == "MatchRecord":
        return pb.MatchRecordRequest(record=_record(f"mx-{n}")).SerializeToString(), False
    if name == "LinkRecords":
        return pb.LinkRecordsRequest(record=_record(f"lx-{n}")).SerializeToString(), True
    if name == "GetLink":
        return pb.GetLinkRequest(name="sources/child_registry/records/seed/link").SerializeToString(), False
    if method.startswith(T) or method.startswith(C):
        return _tracing_or_consent_request(name, n).SerializeToString(), False
    return b"", False  # review calls: an empty request; past the gate it is the servicer's to refuse


def _adoptee() -> tracing_pb.AdopteeDetails:
    return tracing_pb.AdopteeDetails(adoptive_name="Emma Berg", vietnamese_name="Đinh Thị Mơ",
                                     birth_date="2002-02-02", birth_place="Ninh Bình",
                                     sex=person_pb2.SEX_FEMALE,
                                     mother_name="Lò Thị Xuân",
                                     adoptee_consent_ref="consent-matrix", identity_check_ref="check-matrix")


def _consent() -> consent_pb.Consent:
    return consent_pb.Consent(subject="identities/P-901",
                              subject_kind=consent_pb.CONSENT_SUBJECT_KIND_ADOPTEE,
                              scope=consent_pb.CONSENT_SCOPE_IDENTITY, choice=consent_pb.CONSENT_CHOICE_GRANT,
                              evidence_ref="signed-form-matrix")


def _tracing_or_consent_request(name: str, n: int) -> object:
    """Tracing and consent requests: the seeded trace/consent for reads, a missing one for changes."""
    missing_trace, missing_consent = f"traces/{n:032x}", f"consents/{n:032x}"  # well-formed, never issued
    return {
        "OpenTrace": lambda: tracing_pb.OpenTraceRequest(adoptee=_adoptee(), idempotency_key=f"open-{n}"),
        "GetTrace": lambda: tracing_pb.GetTraceRequest(name=SEEDED["trace"]),
        "PrepareTrace": lambda: tracing_pb.PrepareTraceRequest(name=missing_trace),
        "ApproveTrace": lambda: tracing_pb.ApproveTraceRequest(name=missing_trace, etag="1"),
        "ReturnTrace": lambda: tracing_pb.ReturnTraceRequest(name=missing_trace, etag="1"),
        "ReleaseTrace": lambda: tracing_pb.ReleaseTraceRequest(name=missing_trace, etag="1"),
        "RecordConsent": lambda: consent_pb.RecordConsentRequest(consent=_consent(),
                                                                 idempotency_key=f"rc-{n}"),
        "WithdrawConsent": lambda: consent_pb.WithdrawConsentRequest(name=missing_consent),
        "GetConsent": lambda: consent_pb.GetConsentRequest(name=SEEDED["consent"]),
        "ListConsents": lambda: consent_pb.ListConsentsRequest(subject="identities/P-901"),
    }[name]()


SEEDED = {"trace": "traces/not-seeded-yet", "consent": "consents/not-seeded-yet"}  # set by the seeding


def _seed_trace_and_consent(running: Running) -> None:
    """A trace opened, and a consent recorded, by the caseworker the matrix calls as (`matrix-caseworker`)."""
    token = running.token("matrix-caseworker", "caseworker", "origin_tracing")
    metadata = [("authorization", f"Bearer {token}")]
    channel = running.channel("linkage-tools")
    opened = tracing_pb.OpenTraceResponse.FromString(channel.unary_unary(T + "OpenTrace")(
        tracing_pb.OpenTraceRequest(adoptee=_adoptee()).SerializeToString(), metadata=metadata, timeout=10))
    recorded = consent_pb.RecordConsentResponse.FromString(channel.unary_unary(C + "RecordConsent")(
        consent_pb.RecordConsentRequest(consent=_consent()).SerializeToString(), metadata=metadata,
        timeout=10))
    SEEDED.update(trace=opened.trace.name, consent=recorded.consent.name)


def _invoke(channel: grpc.Channel, method: str, n: int, metadata: list[tuple[str, str]]) -> grpc.StatusCode:
    payload, streaming = _request(method, n)
    try:
        if streaming:
            call = channel.stream_stream(method)(iter([payload]), metadata=metadata, timeout=10)
            list(call)
        else:
            channel.unary_unary(method)(payload, metadata=metadata, timeout=10)
    except grpc.RpcError as error:
        return error.code()
    return grpc.StatusCode.OK


def _callers() -> list[tuple[str, str, str | None, str]]:
    """(label, role, certificate CN or None for the tools' certificate + token, purpose) for everyone."""
    people = [(f"{role.value}/{purpose.value}", role.value, None, purpose.value)
              for role in Role if not role.is_institution for purpose in Purpose]
    institutions = [(f"{cn}/{purpose.value}", "", cn, purpose.value)
                    for cn in INSTITUTIONS for purpose in Purpose]
    return people + institutions


def _institution_role(cn: str) -> str:
    return {"child-protection-db": "institution:child_protection",
            "adoption-files": "institution:adoption_files",
            "social-protection-registers": "institution:social_protection",
            "abandoned-intake": "institution:social_protection"}[cn]


def test_authorisation_matrix_every_rpc_every_role_every_purpose(running: Running) -> None:
    """UNAUTHENTICATED for a purpose outside an institution's agreement or a bad token; PERMISSION_DENIED
    for an authenticated caller the policy does not allow; OK (or the servicer's own answer on review
    calls with an empty request, never a gate refusal) for the allowed ones."""
    served_methods = set(ALLOWED)
    assert {m for m in served_methods if not m.startswith(R)} == set(ALLOWED_ANSWER)
    # GetLink needs a stored link to answer OK; GetTrace and GetConsent a trace and a consent.
    match_record(PersonRecord("child_registry", "seed", "Đinh Thị Mơ", birth_date="2002"),
                 running.app.matcher, running.app.uow())
    _seed_trace_and_consent(running)
    channels = {cn: running.channel(cn) for cn in [*INSTITUTIONS, "linkage-tools"]}
    mismatches, n = [], 0
    allowed_seen: dict[str, int] = {}
    for label, role, cn, purpose in _callers():
        if cn is None:
            channel = channels["linkage-tools"]
            metadata = [("authorization", f"Bearer {running.token('matrix-' + role, role, purpose)}")]
        else:
            channel, role = channels[cn], _institution_role(cn)
            metadata = [("x-linkage-purpose", purpose)]
        for method in sorted(served_methods):
            n += 1
            got = _invoke(channel, method, n, metadata)
            if cn is not None and purpose not in INSTITUTIONS[cn]:
                expected = grpc.StatusCode.UNAUTHENTICATED
            elif (role, purpose) in ALLOWED[method]:
                expected = ALLOWED_ANSWER.get(method, grpc.StatusCode.OK)
                allowed_seen[method] = allowed_seen.get(method, 0) + 1
            else:
                expected = grpc.StatusCode.PERMISSION_DENIED
            allowed_review = expected == grpc.StatusCode.OK and method.startswith(R)
            if (allowed_review and got in GATE_CODES) or (not allowed_review and got != expected):
                mismatches.append(f"{label} {method}: expected {expected.name}, got {got.name}")
    assert n == len(_callers()) * len(served_methods) >= 8 * 70
    assert mismatches == []
    # every RPC had callers it allows, and they were answered past the gate
    assert set(allowed_seen) == set(ALLOWED)


def test_without_credentials_every_rpc_is_unauthenticated(running: Running) -> None:
    channel = running.channel("linkage-tools")  # our CA's certificate, but no agreement and no token
    for n, method in enumerate(sorted(ALLOWED)):
        assert _invoke(channel, method, 10_000 + n, []) == grpc.StatusCode.UNAUTHENTICATED, method


# --- bad credentials, against the real LinkageService -----------------------------------------------------

def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _refusal(running: Running, client: str | None, token: str | None = None,
             credentials: grpc.ChannelCredentials | None = None) -> tuple[grpc.StatusCode, str]:
    if credentials is not None:
        channel = grpc.secure_channel(f"127.0.0.1:{running.port}", credentials)
    else:
        channel = running.channel(client)
    metadata = [("authorization", f"Bearer {token}")] if token is not None else []
    request = pb.MatchRecordRequest(record=_record("bad-cred"))
    with pytest.raises(grpc.RpcError) as caught:
        channel.unary_unary(L + "MatchRecord")(request.SerializeToString(), metadata=metadata, timeout=10)
    status = rpc_status.from_call(caught.value)
    info = error_details_pb2.ErrorInfo()
    reason = next((info.reason for d in (status.details if status else ()) if d.Unpack(info)), "")
    return caught.value.code(), reason


def _forged_tokens(running: Running) -> dict[str, tuple[str, str]]:
    good = running.token("steward-7", "steward", "data_quality_review")
    header, payload, signature = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    elevated_claims = _b64url(json.dumps({**claims, "role": "senior_steward"}).encode())
    elevated = ".".join([header, elevated_claims, signature])
    none_alg = ".".join([_b64url(b'{"alg":"none","typ":"JWT"}'), payload, ""])
    past = TokenIssuer(pki.load_signing_key(running.keys.token_signing_key), clock=lambda: 1_000_000_000.0)
    return {
        "tampered claims": (elevated, "TOKEN_SIGNATURE"),
        "alg none": (none_alg, "TOKEN_ALGORITHM"),
        "unknown signing key": (running.token("steward-7", "steward", "data_quality_review",
                                              signing_key=Ed25519PrivateKey.generate()), "TOKEN_UNKNOWN_KEY"),
        "expired": (past.issue("steward-7", "steward", "data_quality_review"), "TOKEN_EXPIRED"),
        "wrong audience": (running.token("steward-7", "steward", "data_quality_review", audience="x"),
                           "TOKEN_AUDIENCE"),
        "garbage": ("not-a-jwt", "TOKEN_MALFORMED"),
    }


def test_forged_and_expired_tokens_are_unauthenticated(running: Running) -> None:
    for label, (token, reason) in _forged_tokens(running).items():
        assert _refusal(running, "linkage-tools", token) == (grpc.StatusCode.UNAUTHENTICATED, reason), label


def test_certificates_without_an_agreement_or_from_elsewhere_are_refused(running: Running,
                                                                         tmp_path: Path) -> None:
    assert _refusal(running, "linkage-tools") == (grpc.StatusCode.UNAUTHENTICATED, "UNKNOWN_INSTITUTION")
    other, _ = pki.init_keys(tmp_path / "other-ca")
    foreign = grpc.ssl_channel_credentials(
        root_certificates=running.keys.ca_cert.read_bytes(),
        private_key=other.client_key("child-protection-db").read_bytes(),
        certificate_chain=other.client_cert("child-protection-db").read_bytes())
    assert _refusal(running, None, credentials=foreign)[0] == grpc.StatusCode.UNAVAILABLE  # handshake
    assert _refusal(running, None)[0] == grpc.StatusCode.UNAVAILABLE  # no client certificate at all
    now = dt.datetime.now(dt.UTC)
    cert, key = pki.issue_certificate(pki.load_certificate(running.keys.ca_cert),
                                      pki.load_tls_key(running.keys.ca_key), "child-protection-db",
                                      server=False, not_before=now - dt.timedelta(days=30),
                                      not_after=now - dt.timedelta(days=1))
    expired = grpc.ssl_channel_credentials(
        root_certificates=running.keys.ca_cert.read_bytes(),
        private_key=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()),
        certificate_chain=cert.public_bytes(serialization.Encoding.PEM))
    assert _refusal(running, None, credentials=expired)[0] == grpc.StatusCode.UNAVAILABLE


def test_plaintext_is_not_served_by_default(running: Running) -> None:
    plaintext = grpc.insecure_channel(f"127.0.0.1:{running.port}")
    with plaintext as channel, pytest.raises(grpc.RpcError) as caught:
        channel.unary_unary(L + "GetLink")(b"", timeout=5)
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


# --- data minimisation and audit -----------------------------------------------------------------------

def test_an_institution_gets_decisions_and_pids_but_no_names(running: Running) -> None:
    request = pb.MatchRecordRequest(record=_record("min-1")).SerializeToString()
    reply = running.channel("child-protection-db").unary_unary(L + "MatchRecord")(request, timeout=10)
    best = pb.MatchRecordResponse.FromString(reply).result.candidates[0]
    assert best.personal_number == "037302009999" and best.identity == "identities/P-901"
    assert not best.contributions and best.match_weight == 0.0
    token = running.token("steward-7", "steward", "data_quality_review")
    request = pb.MatchRecordRequest(record=_record("min-2")).SerializeToString()
    reply = running.channel("linkage-tools").unary_unary(L + "MatchRecord")(
        request, metadata=[("authorization", f"Bearer {token}")], timeout=10)
    steward_view = pb.MatchRecordResponse.FromString(reply).result.candidates[0]
    # the steward sees the compared names (whole, or part by part as the Fellegi-Sunter engine compares them)
    compared = {c.candidate_value.casefold() for c in steward_view.contributions}
    assert "đinh thị mơ" in compared or {"đinh", "mơ"} <= compared


def test_every_rpc_of_the_real_server_leaves_an_audit_entry(running: Running) -> None:
    sink = running.app.security.audit_log.sink
    before = sum(1 for _ in sink.entries())
    channel = running.channel("linkage-tools")
    token = running.token("steward-9", "senior_steward", "data_quality_review")
    metadata = [("authorization", f"Bearer {token}")]
    for n, method in enumerate(sorted(ALLOWED)):
        _invoke(channel, method, 20_000 + n, metadata)
    batch = running.channel("adoption-files")
    _invoke(batch, L + "LinkRecords", 20_100, [])
    entries = list(sink.entries())[before:]
    assert len(entries) == len(ALLOWED) + 1
    actions = {e.action for e in entries}
    assert actions == {"linkage.match", "linkage.get_link", "linkage.link_batch", "review.list",
                       "review.claim",
                       "review.decide", "review.escalate", "review.undo",
                       "tracing.open", "tracing.get", "tracing.prepare", "tracing.approve", "tracing.release",
                       "consent.record", "consent.withdraw", "consent.get"}
    match = next(e for e in entries if e.action == "linkage.match" and e.outcome == "ok")
    assert match.principal_id == "steward-9" and match.role == "senior_steward"
    assert any(r.startswith("sources/child_registry/records/") for r in match.resource_ids)
    assert "identities/P-901" in match.resource_ids and {"full_name", "contributions"} <= set(match.fields)
    text = sink.entries_path.read_text(encoding="utf-8")
    assert "Đinh" not in text and "037302009999" not in text and token not in text
    report = verify(sink.entries(), sink.checkpoints(), pki.load_public_key(running.keys.audit_public_key),
                    head=sink.head(), require_head=True)
    assert report.ok, report


# --- per-principal rate limits --------------------------------------------------------------------------

def test_a_principal_over_its_bucket_gets_resource_exhausted_and_others_are_still_served(
        tmp_path: Path) -> None:
    app = bootstrap(Settings(data_dir=tmp_path, db_url=f"sqlite:///{tmp_path / 'linkage.sqlite'}", workers=2,
                             rate_per_s=0.01, rate_burst=3))
    server = build_server(app, "127.0.0.1:0")
    server.start()
    try:
        running = Running(app, server.port, pki.KeyFiles(app.settings.keys_dir))
        channel = running.channel("linkage-tools")
        request = pb.GetLinkRequest(name="sources/child_registry/records/none/link").SerializeToString()

        def call(subject: str) -> tuple[grpc.StatusCode, str, float]:
            token = running.token(subject, "steward", "data_quality_review")
            try:
                channel.unary_unary(L + "GetLink")(request, metadata=[("authorization", f"Bearer {token}")],
                                                   timeout=10)
            except grpc.RpcError as error:
                status = rpc_status.from_call(error)
                info, retry = error_details_pb2.ErrorInfo(), error_details_pb2.RetryInfo()
                reason, delay = "", 0.0
                for detail in status.details if status else ():
                    if detail.Unpack(info):
                        reason = info.reason
                    elif detail.Unpack(retry):
                        delay = retry.retry_delay.ToTimedelta().total_seconds()
                return error.code(), reason, delay
            return grpc.StatusCode.OK, "", 0.0

        first = [call("steward-busy")[0] for _ in range(3)]
        assert first == [grpc.StatusCode.NOT_FOUND] * 3  # the burst: past the gate, no such link
        code, reason, delay = call("steward-busy")
        assert (code, reason) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "RATE_LIMITED") and delay > 1
        assert call("steward-calm")[0] == grpc.StatusCode.NOT_FOUND  # buckets are per principal
        outcomes = [e.outcome for e in app.security.audit_log.sink.entries()]
        assert outcomes.count("refused:RATE_LIMITED") == 1
    finally:
        server.stop(0)
        app.close()
