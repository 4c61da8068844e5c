"""Use cases of the review queue: open, list, claim, decide, undo, escalate, and read a case.

Each takes plain values, a unit of work and the time (`now`, from an injected clock), so leases and the
undo window are tested without sleeping. Every change goes through `reviews.replace` (compare-and-set on
the case version): a steward who lost a race, whose lease expired, or who saw a stale case gets a
`ReviewConflict` and nothing is written. Decisions write the link (MATCH -> LINK, NON_MATCH -> NO_LINK)
in the same transaction, with the steward named as decider in the link's `model_version`
("steward:<id>"), since a link records who or what made it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from linkage.domain import Candidate, Decision, FieldContribution, MatchResult, PersonRecord, StoredLink
from linkage.ports import ReviewUnitOfWork, UnitOfWork
from linkage.review.model import (
    AlreadyReviewed,
    CaseCandidate,
    CaseChanged,
    CaseClosed,
    CaseFilter,
    CaseNotFound,
    CaseState,
    InvalidReviewRequest,
    LeaseHeld,
    LeaseNotHeld,
    NeedsSeniorSteward,
    Outcome,
    ReviewCase,
    ReviewConflict,
    ReviewDecision,
    UndoNotAllowed,
    WeightBar,
)
from linkage.review.priority import priority

STEWARD_DECIDER_PREFIX = "steward:"
MAX_REASON_CHARS = 500
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
DECISIVE = (Outcome.MATCH, Outcome.NON_MATCH)
SETTLED = (CaseState.DECIDED, CaseState.CLOSED)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CASE_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    lease: timedelta = timedelta(minutes=10)
    undo_window: timedelta = timedelta(minutes=15)
    double_review_rate: float = 0.1  # share of cases a second steward reviews independently
    link_threshold: float = 0.995
    review_threshold: float = 0.5


@dataclass(frozen=True, slots=True)
class Steward:
    """Who acts: an identifier and whether they hold the senior role (escalations, others' undo)."""

    id: str
    senior: bool = False


@dataclass(frozen=True, slots=True)
class CasePage:
    cases: list[ReviewCase]
    next_page_token: str
    total: int


@dataclass(frozen=True, slots=True)
class CaseView:
    """What a steward sees on opening a case: the case, both sides' records, history."""

    case: ReviewCase
    record: PersonRecord | None
    identities: dict[str, PersonRecord | None]
    decisions: list[ReviewDecision]
    current_link: StoredLink | None
    # Records currently linked to the best candidate: the person's other links.
    person_links: list[StoredLink] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Progress:
    decided_today: int
    open_cases: int


# --- opening and closing cases (called by linking) ----------------------------------------------------
def _needs_double_review(source: str, record_id: str, rate: float) -> bool:
    """A reproducible sample: the same record is always in it or out of it, whatever its case id."""
    draw = int(hashlib.sha256(f"{source}/{record_id}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return draw < rate


def _case_candidates(result: MatchResult) -> tuple[CaseCandidate, ...]:
    """Ids, scores and the explanation's labels and weights; the compared values are dropped."""
    return tuple(
        CaseCandidate(c.identity_id, c.probability, c.weight,
                      tuple(WeightBar(b.field, b.level, b.weight) for b in c.contributions))
        for c in result.candidates
    )


def sync_case(result: MatchResult, uow: ReviewUnitOfWork, now: datetime,
              settings: ReviewSettings = ReviewSettings()) -> ReviewCase | None:
    """Keep the queue in step with a new match result, inside the caller's transaction (no commit).

    REVIEW opens a case, or refreshes the record's unsettled case (new candidates, new version, lease
    dropped: a steward holding the old one must reload). Any other decision closes an unsettled case.
    """
    existing = uow.reviews.unsettled_for_record(result.source, result.record_id)
    if result.decision is not Decision.REVIEW:
        if existing is not None and not uow.reviews.replace(
                existing.changed(now, state=CaseState.CLOSED, lease_holder="", lease_expires_at=None),
                existing.version):
            raise CaseChanged("the case changed while it was being closed")
        return None
    candidates = _case_candidates(result)
    best = candidates[0].probability if candidates else 0.0
    score = priority(result.source, best, result.conflicts, settings.link_threshold,
                     settings.review_threshold)
    if existing is not None:
        refreshed = existing.changed(
            now, candidates=candidates, conflicts=tuple(result.conflicts), model_version=result.model_version,
            priority=score, state=CaseState.ESCALATED if existing.escalated else CaseState.OPEN,
            lease_holder="", lease_expires_at=None)
        if not uow.reviews.replace(refreshed, existing.version):
            raise CaseChanged("the case changed while it was being refreshed")
        return refreshed
    case_id = uuid.uuid4().hex
    case = ReviewCase(
        case_id=case_id, source=result.source, record_id=result.record_id, candidates=candidates,
        model_version=result.model_version, priority=score, created_at=now, updated_at=now,
        conflicts=tuple(result.conflicts),
        required_reviews=2 if _needs_double_review(result.source, result.record_id,
                                                   settings.double_review_rate) else 1)
    uow.reviews.add(case)
    return case


# --- listing ------------------------------------------------------------------------------------------
def _filter_fingerprint(where: CaseFilter) -> str:
    return hashlib.sha256(repr(where).encode()).hexdigest()[:16]


def encode_page_token(case: ReviewCase, where: CaseFilter) -> str:
    body = {"k": [case.priority, case.created_at.isoformat(), case.case_id], "f": _filter_fingerprint(where)}
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


def decode_page_token(token: str, where: CaseFilter) -> tuple[float, datetime, str]:
    """The keyset position a token names; a token made for other filters, or garbled, is refused."""
    try:
        body = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        score, created, case_id = body["k"]
        key = (float(score), datetime.fromisoformat(created), str(case_id))
        fingerprint = body["f"]
    except (ValueError, KeyError, TypeError):
        raise InvalidReviewRequest([("page_token", "not a page token this service issued")]) from None
    if fingerprint != _filter_fingerprint(where):
        raise InvalidReviewRequest([("page_token", "issued for other filters; start again without it")])
    return key


def list_cases(uow: ReviewUnitOfWork, steward: Steward, where: CaseFilter, now: datetime,
               page_size: int = 0, page_token: str = "") -> CasePage:
    """The queue in priority order. Stewards see open and claimed cases; senior stewards also escalated."""
    if page_size < 0:
        raise InvalidReviewRequest([("page_size", "must not be negative")])
    if where.created_after and where.created_before and where.created_after > where.created_before:
        raise InvalidReviewRequest([("filter", "the oldest bound is after the newest")])
    if CaseState.ESCALATED in where.states and not steward.senior:
        raise InvalidReviewRequest([("filter.states", "only senior stewards see escalated cases")])
    size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    after = decode_page_token(page_token, where) if page_token else None
    if not where.states:
        states = (CaseState.OPEN, CaseState.CLAIMED) + ((CaseState.ESCALATED,) if steward.senior else ())
        where_states = CaseFilter(**{**_as_dict(where), "states": states})
    else:
        where_states = where
    with uow:
        cases = uow.reviews.page(where_states, now, size + 1, after, include_escalated=steward.senior)
        total = uow.reviews.count(where_states, now, include_escalated=steward.senior)
    more = len(cases) > size
    cases = cases[:size]
    token = encode_page_token(cases[-1], where) if more and cases else ""
    return CasePage(cases, token, total)


def _as_dict(where: CaseFilter) -> dict:
    return {name: getattr(where, name) for name in where.__dataclass_fields__}


# --- actions ------------------------------------------------------------------------------------------
def _load(uow: ReviewUnitOfWork, case_id: str) -> ReviewCase:
    if not _CASE_ID.fullmatch(case_id or ""):
        raise InvalidReviewRequest([("name", "must be reviewCases/{case} with a 32-character hex id")])
    case = uow.reviews.get(case_id)
    if case is None:
        raise CaseNotFound("no such review case")
    return case


def _check_open_to(case: ReviewCase, steward: Steward, now: datetime) -> None:
    if case.state in SETTLED:
        raise CaseClosed("the case is already settled")
    if case.escalated and not steward.senior:
        raise NeedsSeniorSteward("the case is escalated to a senior steward")


def _check_etag(case: ReviewCase, etag: str) -> None:
    if etag and etag != str(case.version):
        raise CaseChanged("the case changed since it was read")


def _save(uow: ReviewUnitOfWork, new: ReviewCase, old: ReviewCase) -> None:
    if not uow.reviews.replace(new, old.version):
        raise CaseChanged("another steward changed the case first")


def claim_case(uow: ReviewUnitOfWork, case_id: str, steward: Steward, now: datetime,
               settings: ReviewSettings = ReviewSettings()) -> ReviewCase:
    """Take (or renew) the lease on a case; fails if another steward holds an unexpired lease."""
    with uow:
        case = _load(uow, case_id)
        _check_open_to(case, steward, now)
        if case.is_held_by_other(steward.id, now):
            raise LeaseHeld("another steward holds this case")
        if steward.id in case.reviewed_by:
            raise AlreadyReviewed("you already decided this case; a second steward must review it")
        claimed = case.changed(now, state=CaseState.CLAIMED, lease_holder=steward.id,
                               lease_expires_at=now + settings.lease)
        _save(uow, claimed, case)
        uow.commit()
    return claimed


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidReviewRequest([("reason", "required")])
    if len(reason) > MAX_REASON_CHARS:
        raise InvalidReviewRequest([("reason", f"at most {MAX_REASON_CHARS} characters")])
    if _CONTROL.search(reason):
        raise InvalidReviewRequest([("reason", "must not contain control characters")])
    return reason


def _check_holder(case: ReviewCase, steward: Steward, now: datetime, etag: str) -> None:
    """Most telling first: someone else holds it; the steward saw an old version; their lease ran out."""
    if case.is_held_by_other(steward.id, now):
        raise LeaseHeld("another steward holds this case")
    _check_etag(case, etag)
    if not (case.holds_lease(now) and case.lease_holder == steward.id):
        raise LeaseNotHeld("claim the case first (or again: the lease expired)")


def decide_case(uow: ReviewUnitOfWork, case_id: str, steward: Steward, outcome: Outcome | str, reason: str,
                etag: str, now: datetime, identity_id: str = "",
                settings: ReviewSettings = ReviewSettings()) -> tuple[ReviewCase, ReviewDecision]:
    """Record a steward's decision on a case they hold; settle the case and write the link when due.

    MATCH links the record to `identity_id` (default: the best candidate), NON_MATCH stores no link.
    A double-reviewed case settles on the second decisive answer; two answers that disagree escalate.
    UNSURE passes the case to a senior steward (from a senior steward, it settles it without a link).
    """
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise InvalidReviewRequest([("outcome", "must be match, non_match or unsure")]) from None
    reason = _check_reason(reason)
    if not etag:
        raise InvalidReviewRequest([("etag", "required: the version of the case the steward saw")])
    with uow:
        case = _load(uow, case_id)
        _check_open_to(case, steward, now)
        _check_holder(case, steward, now, etag)
        if outcome is Outcome.MATCH:
            identity_id = identity_id or (case.best.identity_id if case.best else "")
            if identity_id not in {c.identity_id for c in case.candidates}:
                raise InvalidReviewRequest([("identity", "must be one of the case's candidates")])
        elif identity_id:
            raise InvalidReviewRequest([("identity", "only a match names an identity")])
        decision = ReviewDecision(case_id=case.case_id, steward=steward.id, outcome=outcome, reason=reason,
                                  decided_at=now, identity_id=identity_id)
        active = [d for d in uow.reviews.decisions(case.case_id) if d.active and d.outcome in DECISIVE]
        new_state, link = _settle(case, steward, decision, active)
        updated = case.changed(now, state=new_state, lease_holder="", lease_expires_at=None,
                               escalated=case.escalated or new_state is CaseState.ESCALATED)
        _save(uow, updated, case)
        stored = uow.reviews.add_decision(decision)
        if link is not None:
            uow.links.save(_link_result(uow, case, link, identity_id, steward))
        uow.commit()
    return updated, stored


def _settle(case: ReviewCase, steward: Steward, decision: ReviewDecision,
            earlier: list[ReviewDecision]) -> tuple[CaseState, Decision | None]:
    """The case's next state, and the link decision to write (None: leave the link as it is)."""
    if decision.outcome is Outcome.UNSURE:
        return (CaseState.DECIDED if steward.senior else CaseState.ESCALATED), None
    decisive = [*earlier, decision]
    if len(decisive) < case.required_reviews and not case.escalated:
        return CaseState.OPEN, None
    answers = {(d.outcome, d.identity_id) for d in decisive[-case.required_reviews:]}
    if len(answers) > 1 and not steward.senior:
        return CaseState.ESCALATED, None
    return CaseState.DECIDED, Decision.LINK if decision.outcome is Outcome.MATCH else Decision.NO_LINK


def _link_result(uow: UnitOfWork, case: ReviewCase, decision: Decision, identity_id: str,
                 steward: Steward) -> MatchResult:
    chosen = next((c for c in case.candidates if c.identity_id == identity_id), None)
    candidates: tuple[Candidate, ...] = ()
    if decision is Decision.LINK and chosen is not None:
        candidates = (_candidate(uow, chosen),)
    return MatchResult(case.source, case.record_id, decision, candidates,
                       STEWARD_DECIDER_PREFIX + steward.id)


def _candidate(uow: UnitOfWork, chosen: CaseCandidate) -> Candidate:
    identity = uow.identities.get(chosen.identity_id)
    return Candidate(chosen.identity_id, identity.pid if identity else "", chosen.probability, chosen.weight,
                     tuple(FieldContribution(b.field, b.level, b.weight) for b in chosen.bars))


def undo_decision(uow: ReviewUnitOfWork, case_id: str, steward: Steward, now: datetime, etag: str = "",
                  settings: ReviewSettings = ReviewSettings()) -> ReviewCase:
    """Take back the case's latest decision within the undo window; the case returns to the undoer.

    Only the steward who decided may undo (a senior steward may undo anyone's), and only within
    `settings.undo_window`. A settled case's link goes back to REVIEW with the case's candidates.
    """
    with uow:
        case = _load(uow, case_id)
        if case.state is CaseState.CLOSED:
            raise CaseClosed("the case was withdrawn; there is nothing to undo")
        _check_etag(case, etag)
        history = [d for d in uow.reviews.decisions(case.case_id) if d.active]
        latest = next((d for d in reversed(history) if d.outcome is not Outcome.ESCALATE), None)
        if latest is None:
            raise UndoNotAllowed("the case has no decision to undo")
        if latest.steward != steward.id and not steward.senior:
            raise UndoNotAllowed("only the steward who decided (or a senior steward) may undo")
        if now - latest.decided_at > settings.undo_window:
            raise UndoNotAllowed("the undo window has passed")
        if case.is_held_by_other(steward.id, now):
            raise LeaseHeld("another steward holds this case")
        # Still escalated after the undo if someone escalated it explicitly, or it was escalated before
        # the undone decision (which then did not escalate it itself).
        escalated = any(d.outcome is Outcome.ESCALATE for d in history) or (
            case.escalated and case.state is not CaseState.ESCALATED)
        if escalated and not steward.senior:
            raise NeedsSeniorSteward("the case is escalated to a senior steward")
        reopened = case.changed(now, state=CaseState.CLAIMED, lease_holder=steward.id,
                                lease_expires_at=now + settings.lease, escalated=escalated)
        _save(uow, reopened, case)
        uow.reviews.mark_undone(latest.decision_id, now, steward.id)
        if case.state is CaseState.DECIDED and latest.outcome in DECISIVE:
            candidates = tuple(_candidate(uow, c) for c in case.candidates)
            uow.links.save(MatchResult(case.source, case.record_id, Decision.REVIEW, candidates,
                                       case.model_version, case.conflicts))
        uow.commit()
    return reopened


def escalate_case(uow: ReviewUnitOfWork, case_id: str, steward: Steward, reason: str, etag: str,
                  now: datetime) -> ReviewCase:
    """Pass a case to the senior stewards' queue, with a reason; the lease is released."""
    reason = _check_reason(reason)
    with uow:
        case = _load(uow, case_id)
        _check_open_to(case, steward, now)
        if case.is_held_by_other(steward.id, now):
            raise LeaseHeld("another steward holds this case")
        _check_etag(case, etag)
        if case.effective_state(now) is CaseState.ESCALATED:
            raise ReviewConflict("the case is already escalated")
        escalated = case.changed(now, state=CaseState.ESCALATED, escalated=True, lease_holder="",
                                 lease_expires_at=None)
        _save(uow, escalated, case)
        uow.reviews.add_decision(ReviewDecision(case.case_id, steward.id, Outcome.ESCALATE, reason, now))
        uow.commit()
    return escalated


# --- reading ------------------------------------------------------------------------------------------
def view_case(uow: ReviewUnitOfWork, case_id: str) -> CaseView:
    """The case with the records read through the repositories (decrypted there, never stored here)."""
    with uow:
        case = _load(uow, case_id)
        record = uow.records.get(case.source, case.record_id)
        identities = {c.identity_id: uow.identities.get(c.identity_id) for c in case.candidates}
        links = uow.links.linked_to(case.best.identity_id) if case.best else []
        return CaseView(case=case, record=record, identities=identities,
                        decisions=uow.reviews.decisions(case.case_id),
                        current_link=uow.links.get(case.source, case.record_id), person_links=links)


def progress(uow: ReviewUnitOfWork, steward: Steward, now: datetime) -> Progress:
    """How much a steward decided today (UTC) and how much is left in the queue they can see."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    states = (CaseState.OPEN, CaseState.CLAIMED) + ((CaseState.ESCALATED,) if steward.senior else ())
    with uow:
        return Progress(uow.reviews.count_decisions_by(steward.id, midnight),
                        uow.reviews.count(CaseFilter(states=states), now, include_escalated=steward.senior))
