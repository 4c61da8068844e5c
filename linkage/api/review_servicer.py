"""ReviewService: translate the request, call `linkage.review.service`, translate the answer.

The steward is the principal the security gate authenticated (`current_call()`); the policy has already
allowed the action for their role. Each call notes the case, record and identities it touched, so the
gate's audit entry says which. Errors are raised and turned into statuses by `linkage.api.errors`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import grpc
from google.protobuf import duration_pb2

from linkage.api import convert
from linkage.api.errors import check_deadline, unary_errors
from linkage.api.idempotency import IdempotencyCache
from linkage.api.interceptors import current_call
from linkage.bootstrap import App
from linkage.domain import Source
from linkage.errors import FailedPrecondition
from linkage.review import service
from linkage.review.model import (
    CaseCandidate,
    CaseFilter,
    CaseState,
    InvalidReviewRequest,
    Outcome,
    ReviewCase,
    ReviewDecision,
)
from linkage.review.service import CaseView, ReviewSettings, Steward
from linkage.security.principal import Role
from linkage.v1 import match_pb2, person_pb2
from linkage.v1 import review_service_pb2 as pb
from linkage.v1 import review_service_pb2_grpc as pb_grpc

Clock = Callable[[], datetime]
CASE_PREFIX = "reviewCases/"
_AUDIT_SAFE = re.compile(r"[A-Za-z0-9._:/@#=+-]{1,200}")
_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
MAX_FILTER_TEXT = 200

STATE_TO_PB = {state: pb.ReviewCaseState.Value(f"REVIEW_CASE_STATE_{state.name}") for state in CaseState}
PB_TO_STATE = {number: state for state, number in STATE_TO_PB.items()}
OUTCOME_TO_PB = {o: pb.ReviewOutcome.Value(f"REVIEW_OUTCOME_{o.name}") for o in Outcome}
PB_TO_OUTCOME = {number: o for o, number in OUTCOME_TO_PB.items()}


class NoAuthenticatedSteward(FailedPrecondition):
    """The server runs without the security gate: review actions need a known steward."""

    reason = "SECURITY_GATE_REQUIRED"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def steward_from_call() -> Steward:
    try:
        principal = current_call().principal
    except RuntimeError:
        raise NoAuthenticatedSteward("review actions need an authenticated steward") from None
    return Steward(principal.id, senior=principal.role is Role.SENIOR_STEWARD)


def audit_id(kind: str, value: str) -> str:
    """An identifier the audit log accepts: the value itself, or a digest when it has other characters."""
    text = f"{kind}/{value}"
    if _AUDIT_SAFE.fullmatch(text):
        return text
    return f"{kind}#sha256={hashlib.sha256(value.encode()).hexdigest()[:32]}"


def case_id_from_name(name: str) -> str:
    if not name.startswith(CASE_PREFIX) or len(name) == len(CASE_PREFIX):
        raise InvalidReviewRequest([("name", "must be reviewCases/{case}")])
    return name.removeprefix(CASE_PREFIX)


def _source_to_pb(source: str) -> int:
    try:
        return convert.SOURCE_TO_PB[Source(source)]
    except ValueError:
        return person_pb2.SOURCE_UNSPECIFIED


def _timestamp(message, value: datetime | None) -> None:  # noqa: ANN001 - any Timestamp field
    if value is not None:
        message.FromDatetime(value)


def case_to_message(case: ReviewCase, now: datetime) -> pb.ReviewCase:
    message = pb.ReviewCase(
        name=CASE_PREFIX + case.case_id,
        source=_source_to_pb(case.source),
        record_id=case.record_id, state=STATE_TO_PB[case.effective_state(now)], priority=case.priority,
        model_version=case.model_version, conflicts=list(case.conflicts),
        candidates=[_candidate_to_message(c) for c in case.candidates],
        lease_holder=case.lease_holder if case.holds_lease(now) else "", etag=str(case.version),
        required_reviews=case.required_reviews, escalated=case.escalated,
    )
    if case.holds_lease(now):
        _timestamp(message.lease_expire_time, case.lease_expires_at)
    _timestamp(message.create_time, case.created_at)
    _timestamp(message.update_time, case.updated_at)
    return message


def _candidate_to_message(candidate: CaseCandidate) -> match_pb2.MatchCandidate:
    return match_pb2.MatchCandidate(
        identity=convert.identity_name(candidate.identity_id), match_probability=candidate.probability,
        match_weight=candidate.weight,
        contributions=[match_pb2.FieldContribution(field=b.field, level=b.level, weight=b.weight)
                       for b in candidate.bars])


def decision_to_message(decision: ReviewDecision) -> pb.ReviewDecision:
    message = pb.ReviewDecision(
        steward=decision.steward, outcome=OUTCOME_TO_PB[decision.outcome],
        identity=convert.identity_name(decision.identity_id) if decision.identity_id else "",
        reason=decision.reason, undone_by=decision.undone_by)
    _timestamp(message.decide_time, decision.decided_at)
    _timestamp(message.undo_time, decision.undone_at)
    return message


def _check_key(key: str) -> None:
    if key and not _IDEMPOTENCY_KEY.fullmatch(key):
        raise InvalidReviewRequest([("idempotency_key", "must be 1 to 128 letters, digits or -_.:")])


def _duration(value: duration_pb2.Duration, path: str) -> timedelta | None:
    if value.seconds == 0 and value.nanos == 0:
        return None
    if value.seconds < 0 or value.nanos < 0:
        raise InvalidReviewRequest([(path, "must not be negative")])
    return value.ToTimedelta()


def filter_from_request(request: pb.ListReviewCasesRequest, now: datetime) -> CaseFilter:
    violations: list[tuple[str, str]] = []
    sources = []
    for i, number in enumerate(request.sources):
        source = convert.PB_TO_SOURCE.get(number)
        if source is None:
            violations.append((f"sources[{i}]", "unknown or unspecified source"))
        else:
            sources.append(source.value)
    states = []
    for i, number in enumerate(request.states):
        state = PB_TO_STATE.get(number)
        if state is None:
            violations.append((f"states[{i}]", "unknown or unspecified state"))
        else:
            states.append(state)
    for path, text in (("model_version", request.model_version), ("conflict", request.conflict)):
        if len(text) > MAX_FILTER_TEXT:
            violations.append((path, f"at most {MAX_FILTER_TEXT} characters"))
    if request.min_priority < 0:
        violations.append(("min_priority", "must not be negative"))
    try:
        min_age = _duration(request.min_age, "min_age")
        max_age = _duration(request.max_age, "max_age")
    except InvalidReviewRequest as invalid:
        violations += invalid.violations
        min_age = max_age = None
    if min_age and max_age and min_age > max_age:
        violations.append(("min_age", "must not exceed max_age"))
    if violations:
        raise InvalidReviewRequest(violations)
    return CaseFilter(
        sources=tuple(sources), states=tuple(states), model_version=request.model_version,
        conflict=request.conflict, min_priority=request.min_priority,
        created_before=now - min_age if min_age else None, created_after=now - max_age if max_age else None)


def _round_minute(now: datetime) -> datetime:
    """Age filters are anchored to the minute, so page tokens stay valid while a steward pages."""
    return now.replace(second=0, microsecond=0)


class ReviewServicer(pb_grpc.ReviewServiceServicer):
    def __init__(self, app: App, clock: Clock = _utc_now, settings: ReviewSettings | None = None,
                 idempotency: IdempotencyCache[bytes] | None = None) -> None:
        self._app, self._clock = app, clock
        self._settings = settings or ReviewSettings()
        self._idempotency: IdempotencyCache[bytes] = idempotency or IdempotencyCache()

    @unary_errors
    def ListReviewCases(self, request: pb.ListReviewCasesRequest,
                        context: grpc.ServicerContext) -> pb.ListReviewCasesResponse:
        steward, now = steward_from_call(), self._clock()
        where = filter_from_request(request, _round_minute(now))
        page = service.list_cases(self._app.uow(), steward, where, now, request.page_size, request.page_token)
        current_call().note_access([audit_id("reviewCases", c.case_id) for c in page.cases])
        return pb.ListReviewCasesResponse(review_cases=[case_to_message(c, now) for c in page.cases],
                                          next_page_token=page.next_page_token, total_size=page.total)

    @unary_errors
    def ClaimReviewCase(self, request: pb.ClaimReviewCaseRequest,
                        context: grpc.ServicerContext) -> pb.ClaimReviewCaseResponse:
        steward = steward_from_call()
        case_id = case_id_from_name(request.name)
        _check_key(request.idempotency_key)

        def compute() -> bytes:
            check_deadline(context)
            now = self._clock()
            service.claim_case(self._app.uow(), case_id, steward, now, self._settings)
            view = service.view_case(self._app.uow(), case_id)
            self._note_view(view)
            return self._claim_response(view, now).SerializeToString()

        return pb.ClaimReviewCaseResponse.FromString(self._once(request, steward, compute))

    @unary_errors
    def DecideReviewCase(self, request: pb.DecideReviewCaseRequest,
                         context: grpc.ServicerContext) -> pb.DecideReviewCaseResponse:
        steward = steward_from_call()
        case_id = case_id_from_name(request.name)
        _check_key(request.idempotency_key)
        outcome = PB_TO_OUTCOME.get(request.outcome)
        if outcome not in (Outcome.MATCH, Outcome.NON_MATCH, Outcome.UNSURE):
            raise InvalidReviewRequest([("outcome", "must be MATCH, NON_MATCH or UNSURE")])
        identity = ""
        if request.identity:
            if not request.identity.startswith("identities/"):
                raise InvalidReviewRequest([("identity", "must be identities/{identity}")])
            identity = unquote(request.identity.removeprefix("identities/"))

        def compute() -> bytes:
            check_deadline(context)
            now = self._clock()
            case, decision = service.decide_case(self._app.uow(), case_id, steward, outcome, request.reason,
                                                  request.etag, now, identity, self._settings)
            self._note_case(case, decision.identity_id)
            return pb.DecideReviewCaseResponse(review_case=case_to_message(case, now),
                                               decision=decision_to_message(decision)).SerializeToString()

        return pb.DecideReviewCaseResponse.FromString(self._once(request, steward, compute))

    @unary_errors
    def UndoReviewDecision(self, request: pb.UndoReviewDecisionRequest,
                           context: grpc.ServicerContext) -> pb.UndoReviewDecisionResponse:
        steward = steward_from_call()
        case_id = case_id_from_name(request.name)
        _check_key(request.idempotency_key)

        def compute() -> bytes:
            check_deadline(context)
            now = self._clock()
            case = service.undo_decision(self._app.uow(), case_id, steward, now, request.etag, self._settings)
            self._note_case(case)
            return pb.UndoReviewDecisionResponse(review_case=case_to_message(case, now)).SerializeToString()

        return pb.UndoReviewDecisionResponse.FromString(self._once(request, steward, compute))

    @unary_errors
    def EscalateReviewCase(self, request: pb.EscalateReviewCaseRequest,
                           context: grpc.ServicerContext) -> pb.EscalateReviewCaseResponse:
        steward = steward_from_call()
        case_id = case_id_from_name(request.name)
        _check_key(request.idempotency_key)

        def compute() -> bytes:
            check_deadline(context)
            now = self._clock()
            case = service.escalate_case(self._app.uow(), case_id, steward, request.reason, request.etag, now)
            self._note_case(case)
            return pb.EscalateReviewCaseResponse(review_case=case_to_message(case, now)).SerializeToString()

        return pb.EscalateReviewCaseResponse.FromString(self._once(request, steward, compute))

    # --- helpers ------------------------------------------------------------------------------------
    def _once(self, request, steward: Steward, compute: Callable[[], bytes]) -> bytes:  # noqa: ANN001
        """Run a write once per idempotency key (per steward); a retry gets the first answer."""
        fingerprint = type(request)(**{f.name: getattr(request, f.name) for f, _ in request.ListFields()
                                       if f.name != "idempotency_key"}).SerializeToString(deterministic=True)
        return self._idempotency.run(request.idempotency_key, fingerprint, compute, scope=steward.id)

    def _claim_response(self, view: CaseView, now: datetime) -> pb.ClaimReviewCaseResponse:
        response = pb.ClaimReviewCaseResponse(review_case=case_to_message(view.case, now),
                                              decisions=[decision_to_message(d) for d in view.decisions])
        if view.record is not None:
            response.record.CopyFrom(convert.record_to_message(view.record))
        for candidate in view.case.candidates:
            identity = view.identities.get(candidate.identity_id)
            response.candidate_records.append(
                convert.record_to_message(identity) if identity is not None else person_pb2.PersonRecord(
                    record_id=candidate.identity_id))
        return response

    @staticmethod
    def _note_case(case: ReviewCase, identity_id: str = "") -> None:
        ids = [audit_id("reviewCases", case.case_id), audit_id(f"records/{case.source}", case.record_id)]
        if identity_id:
            ids.append(audit_id("identities", identity_id))
        current_call().note_access(ids)

    @staticmethod
    def _note_view(view: CaseView) -> None:
        case = view.case
        ids = [audit_id("reviewCases", case.case_id), audit_id(f"records/{case.source}", case.record_id)]
        ids += [audit_id("identities", c.identity_id) for c in case.candidates]
        current_call().note_access(ids)
