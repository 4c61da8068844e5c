"""The review queue's domain: cases, their states, stewards' decisions, and the errors of the queue.

A case holds identifiers, scores and the explanation's labels and weights only, never the compared
values: the records themselves are read through the repositories when a steward opens a case, so the
queue stores no personal data of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from linkage.errors import FailedPrecondition, InvalidRecord, NotFound


class CaseState(StrEnum):
    OPEN = "open"            # waiting for a steward (also: a claim whose lease expired)
    CLAIMED = "claimed"      # a steward holds the lease
    DECIDED = "decided"      # enough stewards decided; the link was written
    ESCALATED = "escalated"  # waiting for a senior steward
    CLOSED = "closed"        # withdrawn: the record was re-matched with a confident decision


class Outcome(StrEnum):
    MATCH = "match"
    NON_MATCH = "non_match"
    UNSURE = "unsure"
    ESCALATE = "escalate"  # not an answer: the steward passed the case up (kept in the case's history)


@dataclass(frozen=True, slots=True)
class WeightBar:
    """One bar of the explanation: the compared field, the level reached and its weight (no values)."""

    field: str
    level: str
    weight: float


@dataclass(frozen=True, slots=True)
class CaseCandidate:
    identity_id: str
    probability: float
    weight: float
    bars: tuple[WeightBar, ...] = ()


@dataclass(frozen=True, slots=True)
class ReviewCase:
    case_id: str
    source: str
    record_id: str
    candidates: tuple[CaseCandidate, ...]
    model_version: str
    priority: float
    created_at: datetime
    updated_at: datetime
    conflicts: tuple[str, ...] = ()
    state: CaseState = CaseState.OPEN
    lease_holder: str = ""
    lease_expires_at: datetime | None = None
    version: int = 1
    required_reviews: int = 1
    escalated: bool = False  # once escalated, only senior stewards may claim or decide it
    reviewed_by: tuple[str, ...] = ()  # stewards with an active decision (double review excludes them)

    @property
    def best(self) -> CaseCandidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def top_probability(self) -> float:
        return self.best.probability if self.best else 0.0

    def is_held_by_other(self, steward: str, now: datetime) -> bool:
        return self.holds_lease(now) and self.lease_holder != steward

    def holds_lease(self, now: datetime) -> bool:
        return (self.state is CaseState.CLAIMED and self.lease_expires_at is not None
                and self.lease_expires_at > now)

    def effective_state(self, now: datetime) -> CaseState:
        """CLAIMED whose lease has expired reads as OPEN (or ESCALATED): nobody holds it any more."""
        if self.state is CaseState.CLAIMED and not self.holds_lease(now):
            return CaseState.ESCALATED if self.escalated else CaseState.OPEN
        return self.state

    def changed(self, now: datetime, **changes: object) -> ReviewCase:
        """A new version of the case: every change bumps `version` (optimistic concurrency)."""
        return replace(self, version=self.version + 1, updated_at=now, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    case_id: str
    steward: str
    outcome: Outcome
    reason: str
    decided_at: datetime
    identity_id: str = ""  # the candidate chosen on MATCH
    decision_id: int = 0
    undone_at: datetime | None = None
    undone_by: str = ""

    @property
    def active(self) -> bool:
        return self.undone_at is None


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """What a steward may narrow the queue to; empty values mean "any"."""

    sources: tuple[str, ...] = ()
    states: tuple[CaseState, ...] = ()
    model_version: str = ""
    conflict: str = ""
    min_priority: float = 0.0
    created_before: datetime | None = None  # cases at least this old
    created_after: datetime | None = None
    exclude_reviewed_by: str = ""  # hide cases this steward already decided (double review)


# --- errors -----------------------------------------------------------------------------------------
class CaseNotFound(NotFound):
    reason = "CASE_NOT_FOUND"


class InvalidReviewRequest(InvalidRecord):
    """Bad input to a review action; `violations` name the fields (mapped to INVALID_ARGUMENT)."""

    reason = "INVALID_ARGUMENT"


class ReviewConflict(FailedPrecondition):
    """The case is not in the state the action needs; nothing was changed."""

    reason = "REVIEW_CONFLICT"


class LeaseHeld(ReviewConflict):
    reason = "LEASE_HELD_BY_ANOTHER"


class LeaseNotHeld(ReviewConflict):
    reason = "LEASE_NOT_HELD"  # never claimed by this steward, or the lease expired


class CaseChanged(ReviewConflict):
    reason = "CASE_CHANGED"  # the etag the steward saw is stale


class CaseClosed(ReviewConflict):
    reason = "CASE_CLOSED"


class NeedsSeniorSteward(ReviewConflict):
    reason = "CASE_ESCALATED"


class AlreadyReviewed(ReviewConflict):
    reason = "ALREADY_REVIEWED_BY_YOU"


class UndoNotAllowed(ReviewConflict):
    reason = "UNDO_NOT_ALLOWED"
