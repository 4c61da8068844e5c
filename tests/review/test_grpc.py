"""ReviewService through a real gRPC server and client, behind the real security gate, on each store.

Stewards call with Ed25519 tokens; the gate authenticates, asks the policy and audits. Time is a
fake clock injected into the servicer, so leases and the undo window are tested without sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from adapters.audit_log import JsonlAuditSink
from linkage.api.interceptors import Authenticator, SecurityInterceptor
from linkage.api.review_servicer import ReviewServicer
from linkage.domain import Decision
from linkage.security.audit import AuditLog
from linkage.security.principal import Institutions
from linkage.security.tokens import TokenIssuer, TokenVerifier
from linkage.v1 import review_service_pb2 as pb
from linkage.v1 import review_service_pb2_grpc as pb_grpc

REVIEW = "data_quality_review"


@dataclass
class Harness:
    stub: pb_grpc.ReviewServiceStub
    issuer: TokenIssuer
    audit_log: AuditLog
    queue: object

    def auth(self, subject: str, role: str = "steward", purpose: str = REVIEW) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.issuer.issue(subject, role, purpose)}")]


class _StoreOnly:
    """What the servicer uses of the App: units of work over the store under test (either backend)."""

    def __init__(self, store) -> None:  # noqa: ANN001
        self.store = store

    def uow(self):  # noqa: ANN201
        return self.store.unit_of_work()


@pytest.fixture
def harness(queue, tmp_path: Path) -> Iterator[Harness]:
    signing = Ed25519PrivateKey.generate()
    issuer, verifier = TokenIssuer(signing), TokenVerifier(signing.public_key())
    audit_log = AuditLog(JsonlAuditSink(tmp_path / "audit"), Ed25519PrivateKey.generate())
    app = _StoreOnly(queue.store)
    gate = SecurityInterceptor(Authenticator(Institutions.load(), verifier), audit_log)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8), interceptors=[gate])
    pb_grpc.add_ReviewServiceServicer_to_server(ReviewServicer(app, clock=queue.clock), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield Harness(pb_grpc.ReviewServiceStub(channel), issuer, audit_log, queue)
    finally:
        channel.close()
        server.stop(None)


def _error(call: pytest.ExceptionInfo[grpc.RpcError]) -> tuple[grpc.StatusCode, str, list[str]]:
    """Code, ErrorInfo reason and BadRequest field paths of a failed call."""
    status = rpc_status.from_call(call.value)
    reason, fields = "", []
    for detail in status.details if status else ():
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason = info.reason
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields = [v.field for v in bad.field_violations]
    return call.value.code(), reason, fields


def _name(case) -> str:
    return f"reviewCases/{case.case_id}"


def test_list_claim_decide_match_writes_the_link(harness: Harness) -> None:
    queue = harness.queue
    routine, urgent = queue.open("cr-1", probability=0.6), queue.open("ab-1", source="abandoned_intake")
    lan = harness.auth("steward-lan")
    listed = harness.stub.ListReviewCases(pb.ListReviewCasesRequest(), metadata=lan, timeout=10)
    assert [c.name for c in listed.review_cases] == [_name(urgent), _name(routine)]
    assert listed.total_size == 2 and listed.next_page_token == ""
    bars = listed.review_cases[0].candidates[0].contributions
    assert [(b.field, b.level) for b in bars] == [("full_name", "phonetic"), ("birth_date", "exact")]
    assert all(b.record_value == "" and b.candidate_value == "" for b in bars)  # no values in the queue

    claimed = harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=_name(urgent)), metadata=lan,
                                           timeout=10)
    assert claimed.review_case.state == pb.REVIEW_CASE_STATE_CLAIMED
    assert claimed.review_case.lease_holder == "steward-lan"
    assert claimed.record.full_name == "Nguyễn Thị Lan"
    assert [r.full_name for r in claimed.candidate_records] == ["Nguyễn Thị Lân", "Nguyễn Thị Lan"]

    decided = harness.stub.DecideReviewCase(pb.DecideReviewCaseRequest(
        name=_name(urgent), outcome=pb.REVIEW_OUTCOME_MATCH, reason="cùng cha mẹ, khác dấu",
        etag=claimed.review_case.etag, identity="identities/P-102"), metadata=lan, timeout=10)
    assert decided.review_case.state == pb.REVIEW_CASE_STATE_DECIDED
    assert decided.decision.identity == "identities/P-102" and decided.decision.steward == "steward-lan"
    with queue.store.unit_of_work() as uow:
        link = uow.links.get("abandoned_intake", "ab-1")
    assert (link.decision, link.identity_id, link.model_version) == (
        Decision.LINK, "P-102", "steward:steward-lan")
    after = harness.stub.ListReviewCases(pb.ListReviewCasesRequest(), metadata=lan, timeout=10)
    assert [c.name for c in after.review_cases] == [_name(routine)]


def test_two_stewards_racing_for_one_case_exactly_one_wins(harness: Harness) -> None:
    cases = [harness.queue.open(f"race-{i}") for i in range(5)]
    stewards = [harness.auth("steward-lan"), harness.auth("steward-mai")]
    for case in cases:
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def claim(metadata: list[tuple[str, str]], case=case, barrier=barrier, outcomes=outcomes) -> None:
            barrier.wait()
            try:
                harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=_name(case)), metadata=metadata,
                                             timeout=20)
                outcomes.append("won")
            except grpc.RpcError as error:
                outcomes.append(error.code().name)

        threads = [threading.Thread(target=claim, args=(m,)) for m in stewards]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes) == ["FAILED_PRECONDITION", "won"], outcomes


def test_a_decision_on_a_case_another_holds_fails_and_loses_nothing(harness: Harness) -> None:
    case = harness.queue.open("cr-2")
    lan, mai = harness.auth("steward-lan"), harness.auth("steward-mai")
    claimed = harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=_name(case)), metadata=lan,
                                           timeout=10)
    request = pb.DecideReviewCaseRequest(name=_name(case), outcome=pb.REVIEW_OUTCOME_NON_MATCH, reason="khác",
                                         etag=claimed.review_case.etag)
    with pytest.raises(grpc.RpcError) as caught:
        harness.stub.DecideReviewCase(request, metadata=mai, timeout=10)
    assert _error(caught)[:2] == (grpc.StatusCode.FAILED_PRECONDITION, "LEASE_HELD_BY_ANOTHER")
    with pytest.raises(grpc.RpcError) as caught:  # a stale etag from the holder herself
        harness.stub.DecideReviewCase(pb.DecideReviewCaseRequest(
            name=_name(case), outcome=pb.REVIEW_OUTCOME_MATCH, reason="ok", etag=str(case.version)),
            metadata=lan, timeout=10)
    assert _error(caught)[:2] == (grpc.StatusCode.FAILED_PRECONDITION, "CASE_CHANGED")
    with harness.queue.store.unit_of_work() as uow:
        assert uow.reviews.decisions(case.case_id) == []
        assert uow.reviews.get(case.case_id).version == int(claimed.review_case.etag)
    harness.stub.DecideReviewCase(request, metadata=lan, timeout=10)  # the holder's decision still goes in


def test_an_expired_lease_cannot_decide_and_the_case_returns_to_the_queue(harness: Harness) -> None:
    case = harness.queue.open("cr-3")
    lan, mai = harness.auth("steward-lan"), harness.auth("steward-mai")
    claimed = harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=_name(case)), metadata=lan,
                                           timeout=10)
    harness.queue.clock.advance(minutes=10, seconds=1)
    listed = harness.stub.ListReviewCases(pb.ListReviewCasesRequest(states=[pb.REVIEW_CASE_STATE_OPEN]),
                                          metadata=mai, timeout=10)
    assert [c.name for c in listed.review_cases] == [_name(case)]
    assert listed.review_cases[0].lease_holder == ""
    with pytest.raises(grpc.RpcError) as caught:
        harness.stub.DecideReviewCase(pb.DecideReviewCaseRequest(
            name=_name(case), outcome=pb.REVIEW_OUTCOME_MATCH, reason="ok", etag=claimed.review_case.etag),
            metadata=lan, timeout=10)
    assert _error(caught)[:2] == (grpc.StatusCode.FAILED_PRECONDITION, "LEASE_NOT_HELD")
    taken = harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=_name(case)), metadata=mai,
                                         timeout=10)
    assert taken.review_case.lease_holder == "steward-mai"


def test_undo_within_the_window_only(harness: Harness) -> None:
    queue = harness.queue
    case = queue.open("cr-4")
    senior = harness.auth("senior-hoa", "senior_steward")
    claimed = harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=_name(case)), metadata=senior,
                                           timeout=10)
    harness.stub.DecideReviewCase(pb.DecideReviewCaseRequest(
        name=_name(case), outcome=pb.REVIEW_OUTCOME_MATCH, reason="khớp", etag=claimed.review_case.etag),
        metadata=senior, timeout=10)
    queue.clock.advance(minutes=14)
    undone = harness.stub.UndoReviewDecision(pb.UndoReviewDecisionRequest(name=_name(case)), metadata=senior,
                                             timeout=10)
    assert undone.review_case.state == pb.REVIEW_CASE_STATE_CLAIMED
    with queue.store.unit_of_work() as uow:
        assert uow.links.get("child_registry", "cr-4").decision is Decision.REVIEW
    harness.stub.DecideReviewCase(pb.DecideReviewCaseRequest(
        name=_name(case), outcome=pb.REVIEW_OUTCOME_NON_MATCH, reason="khác", etag=undone.review_case.etag),
        metadata=senior, timeout=10)
    queue.clock.advance(minutes=15, seconds=1)
    with pytest.raises(grpc.RpcError) as caught:
        harness.stub.UndoReviewDecision(pb.UndoReviewDecisionRequest(name=_name(case)), metadata=senior,
                                        timeout=10)
    assert _error(caught)[:2] == (grpc.StatusCode.FAILED_PRECONDITION, "UNDO_NOT_ALLOWED")


def test_escalate_to_a_senior_steward(harness: Harness) -> None:
    case = harness.queue.open("cr-5")
    lan, senior = harness.auth("steward-lan"), harness.auth("senior-hoa", "senior_steward")
    claimed = harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=_name(case)), metadata=lan,
                                           timeout=10)
    escalated = harness.stub.EscalateReviewCase(pb.EscalateReviewCaseRequest(
        name=_name(case), reason="có thể là chị em sinh đôi", etag=claimed.review_case.etag), metadata=lan,
        timeout=10)
    assert escalated.review_case.state == pb.REVIEW_CASE_STATE_ESCALATED
    assert harness.stub.ListReviewCases(pb.ListReviewCasesRequest(), metadata=lan, timeout=10).total_size == 0
    with pytest.raises(grpc.RpcError) as caught:
        harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=_name(case)), metadata=lan, timeout=10)
    assert _error(caught)[:2] == (grpc.StatusCode.FAILED_PRECONDITION, "CASE_ESCALATED")
    queue_of_senior = harness.stub.ListReviewCases(
        pb.ListReviewCasesRequest(states=[pb.REVIEW_CASE_STATE_ESCALATED]), metadata=senior, timeout=10)
    assert [c.name for c in queue_of_senior.review_cases] == [_name(case)]
    taken = harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=_name(case)), metadata=senior,
                                         timeout=10)
    assert [d.outcome for d in taken.decisions] == [pb.REVIEW_OUTCOME_ESCALATE]
    harness.stub.DecideReviewCase(pb.DecideReviewCaseRequest(
        name=_name(case), outcome=pb.REVIEW_OUTCOME_NON_MATCH, reason="sinh đôi",
        etag=taken.review_case.etag), metadata=senior, timeout=10)


def test_pages_and_filters(harness: Harness) -> None:
    queue = harness.queue
    opened = [queue.open(f"cr-p{i}", probability=0.6 + i / 100) for i in range(5)]
    twin = queue.open("cr-twin", conflicts=("twin_margin",))
    lan = harness.auth("steward-lan")
    seen, token = [], ""
    while True:
        page = harness.stub.ListReviewCases(pb.ListReviewCasesRequest(page_size=2, page_token=token),
                                            metadata=lan, timeout=10)
        seen += [c.name for c in page.review_cases]
        token = page.next_page_token
        if not token:
            break
    assert sorted(seen) == sorted(_name(c) for c in [*opened, twin]) and len(seen) == len(set(seen))
    twins = harness.stub.ListReviewCases(pb.ListReviewCasesRequest(conflict="twin_margin"), metadata=lan,
                                         timeout=10)
    assert [c.name for c in twins.review_cases] == [_name(twin)]
    old_only = pb.ListReviewCasesRequest(min_age={"seconds": 3600})
    assert harness.stub.ListReviewCases(old_only, metadata=lan, timeout=10).total_size == 0
    queue.clock.advance(hours=2)
    assert harness.stub.ListReviewCases(old_only, metadata=lan, timeout=10).total_size == 6
    other_model = pb.ListReviewCasesRequest(model_version="fs-other")
    assert harness.stub.ListReviewCases(other_model, metadata=lan, timeout=10).total_size == 0
    by_source = pb.ListReviewCasesRequest(sources=[4], min_priority=1.0)  # abandoned intake
    assert harness.stub.ListReviewCases(by_source, metadata=lan, timeout=10).total_size == 0


BAD_LISTS = [
    (pb.ListReviewCasesRequest(page_size=-1), "page_size"),
    (pb.ListReviewCasesRequest(page_token="not-a-token"), "page_token"),
    (pb.ListReviewCasesRequest(sources=[0]), "sources[0]"),
    (pb.ListReviewCasesRequest(states=[0]), "states[0]"),
    (pb.ListReviewCasesRequest(states=[pb.REVIEW_CASE_STATE_ESCALATED]), "filter.states"),
    (pb.ListReviewCasesRequest(min_priority=-1), "min_priority"),
    (pb.ListReviewCasesRequest(min_age={"seconds": -5}), "min_age"),
    (pb.ListReviewCasesRequest(min_age={"seconds": 7200}, max_age={"seconds": 60}), "min_age"),
    (pb.ListReviewCasesRequest(conflict="x" * 201), "conflict"),
]


@pytest.mark.parametrize(("request_", "field"), BAD_LISTS)
def test_bad_list_requests(harness: Harness, request_: pb.ListReviewCasesRequest, field: str) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        harness.stub.ListReviewCases(request_, metadata=harness.auth("steward-lan"), timeout=10)
    code, _, fields = _error(caught)
    assert code == grpc.StatusCode.INVALID_ARGUMENT and field in fields


def _bad_decisions(name: str, etag: str) -> list[tuple[pb.DecideReviewCaseRequest, str]]:
    ok = {"name": name, "outcome": pb.REVIEW_OUTCOME_MATCH, "reason": "khớp", "etag": etag}
    return [
        (pb.DecideReviewCaseRequest(**{**ok, "name": "cases/1"}), "name"),
        (pb.DecideReviewCaseRequest(**{**ok, "name": "reviewCases/not-hex"}), "name"),
        (pb.DecideReviewCaseRequest(**{**ok, "outcome": pb.REVIEW_OUTCOME_UNSPECIFIED}), "outcome"),
        (pb.DecideReviewCaseRequest(**{**ok, "outcome": pb.REVIEW_OUTCOME_ESCALATE}), "outcome"),
        (pb.DecideReviewCaseRequest(**{**ok, "reason": ""}), "reason"),
        (pb.DecideReviewCaseRequest(**{**ok, "reason": "   "}), "reason"),
        (pb.DecideReviewCaseRequest(**{**ok, "reason": "x" * 501}), "reason"),
        (pb.DecideReviewCaseRequest(**{**ok, "reason": "a\x00b"}), "reason"),
        (pb.DecideReviewCaseRequest(**{**ok, "etag": ""}), "etag"),
        (pb.DecideReviewCaseRequest(**{**ok, "identity": "P-101"}), "identity"),
        (pb.DecideReviewCaseRequest(**{**ok, "identity": "identities/P-999"}), "identity"),
        (pb.DecideReviewCaseRequest(**{**ok, "outcome": pb.REVIEW_OUTCOME_NON_MATCH,
                                       "identity": "identities/P-101"}), "identity"),
        (pb.DecideReviewCaseRequest(**{**ok, "idempotency_key": "bad key!"}), "idempotency_key"),
    ]


def test_bad_decisions_are_refused_with_the_field_and_change_nothing(harness: Harness) -> None:
    case = harness.queue.open("cr-6")
    lan = harness.auth("steward-lan")
    claimed = harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=_name(case)), metadata=lan,
                                           timeout=10)
    for request, field in _bad_decisions(_name(case), claimed.review_case.etag):
        with pytest.raises(grpc.RpcError) as caught:
            harness.stub.DecideReviewCase(request, metadata=lan, timeout=10)
        code, _, fields = _error(caught)
        assert (code, field in fields) == (grpc.StatusCode.INVALID_ARGUMENT, True), (request, fields)
    with harness.queue.store.unit_of_work() as uow:
        assert uow.reviews.decisions(case.case_id) == []


def test_bad_names_and_unknown_cases(harness: Harness) -> None:
    lan = harness.auth("steward-lan")
    for call in (
        lambda name: harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=name), metadata=lan,
                                                  timeout=10),
        lambda name: harness.stub.UndoReviewDecision(pb.UndoReviewDecisionRequest(name=name),
                                                     metadata=harness.auth("senior-hoa", "senior_steward"),
                                                     timeout=10),
        lambda name: harness.stub.EscalateReviewCase(pb.EscalateReviewCaseRequest(name=name, reason="r"),
                                                     metadata=lan, timeout=10),
    ):
        with pytest.raises(grpc.RpcError) as caught:
            call("")
        assert _error(caught)[0] == grpc.StatusCode.INVALID_ARGUMENT
        with pytest.raises(grpc.RpcError) as caught:
            call("reviewCases/" + "0" * 32)
        assert _error(caught)[:2] == (grpc.StatusCode.NOT_FOUND, "CASE_NOT_FOUND")
    case = harness.queue.open("cr-7")
    with pytest.raises(grpc.RpcError) as caught:
        harness.stub.EscalateReviewCase(pb.EscalateReviewCaseRequest(name=_name(case), reason=""),
                                        metadata=lan, timeout=10)
    assert _error(caught)[0] == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as caught:  # nothing to undo yet
        harness.stub.UndoReviewDecision(pb.UndoReviewDecisionRequest(name=_name(case)),
                                        metadata=harness.auth("senior-hoa", "senior_steward"), timeout=10)
    assert _error(caught)[:2] == (grpc.StatusCode.FAILED_PRECONDITION, "UNDO_NOT_ALLOWED")


def test_only_stewards_may_and_every_call_is_audited_without_names(harness: Harness) -> None:
    case = harness.queue.open("cr-8")
    request = pb.ClaimReviewCaseRequest(name=_name(case))
    with pytest.raises(grpc.RpcError) as caught:
        harness.stub.ClaimReviewCase(request, timeout=10)
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.RpcError) as caught:
        harness.stub.ClaimReviewCase(request, metadata=harness.auth("cw-1", "caseworker", "origin_tracing"),
                                     timeout=10)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as caught:  # the policy keeps undo for senior stewards
        harness.stub.UndoReviewDecision(pb.UndoReviewDecisionRequest(name=_name(case)),
                                        metadata=harness.auth("steward-lan"), timeout=10)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    harness.stub.ClaimReviewCase(request, metadata=harness.auth("steward-lan"), timeout=10)
    entries = list(harness.audit_log.sink.entries())
    assert (entries[0].principal_id, entries[0].action) == ("-", "review.claim")
    assert entries[0].outcome.startswith("refused:")
    assert [(e.principal_id, e.action, e.outcome) for e in entries[1:]] == [
        ("cw-1", "review.claim", "refused:POLICY_DENIED"),
        ("steward-lan", "review.undo", "refused:POLICY_DENIED"),
        ("steward-lan", "review.claim", "ok"),
    ]
    assert f"reviewCases/{case.case_id}" in entries[-1].resource_ids
    assert "identities/P-101" in entries[-1].resource_ids
    assert "Nguyễn" not in harness.audit_log.sink.entries_path.read_text(encoding="utf-8")


def test_a_retried_decision_with_its_key_gets_the_first_answer(harness: Harness) -> None:
    case = harness.queue.open("cr-9")
    lan = harness.auth("steward-lan")
    claimed = harness.stub.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=_name(case)), metadata=lan,
                                           timeout=10)
    request = pb.DecideReviewCaseRequest(name=_name(case), outcome=pb.REVIEW_OUTCOME_MATCH, reason="khớp",
                                         etag=claimed.review_case.etag, idempotency_key="k-1")
    first = harness.stub.DecideReviewCase(request, metadata=lan, timeout=10)
    again = harness.stub.DecideReviewCase(request, metadata=lan, timeout=10)
    assert again == first
    request.reason = "khác"
    with pytest.raises(grpc.RpcError) as caught:
        harness.stub.DecideReviewCase(request, metadata=lan, timeout=10)
    assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS
    with harness.queue.store.unit_of_work() as uow:
        assert len(uow.reviews.decisions(case.case_id)) == 1
