"""Origin tracing's domain: trace requests and their states, adoption files, life events, packages.

A trace holds identifiers (the adoption file, the birth identity, the birth parents' identities), the
officers who acted, and the prepared package; the adoptee's details as they wrote them are kept as a
`trace_request` source record, sealed like every other record. Packages list what is disclosed, field
by field, and what is withheld, by category and rule only, so a withheld entry never carries the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from linkage.errors import FailedPrecondition, InvalidRecord, NotFound


class TraceState(StrEnum):
    OPENED = "opened"                  # recorded; linking not settled
    AWAITING_REVIEW = "awaiting_review"  # a link the engine was unsure of waits in the review queue
    LINKED = "linked"                  # birth identity found; a package may be prepared
    NOT_FOUND = "not_found"            # no birth identity could be found
    PREPARED = "prepared"              # a package waits for a second officer
    APPROVED = "approved"              # approved; may be released
    RELEASED = "released"              # sent to the adoptee: final
    # A prepared or approved package whose consents changed, or an officer returned, goes back to
    # LINKED (the event history says why), to be prepared again.


class ParentRole(StrEnum):
    MOTHER = "birth_mother"
    FATHER = "birth_father"


class LinkStatus(StrEnum):
    LINKED = "linked"
    IN_REVIEW = "in_review"
    NOT_FOUND = "not_found"
    NOT_NAMED = "not_named"  # the birth registration names nobody (a father never named)


@dataclass(frozen=True, slots=True)
class AdoptionFile:
    """What the adoption file holds beyond the child's record (which is an `adoption_file` record)."""

    file_ref: str
    adoption_date: str = ""
    receiving_country: str = ""
    circumstances: str = ""
    mother_medical_history: str = ""
    father_medical_history: str = ""
    # The birth parents' dates of birth as their identity papers in the file give them: with the names
    # on the birth registration, the evidence that links a parent to the register.
    mother_birth_date: str = ""
    father_birth_date: str = ""


@dataclass(frozen=True, slots=True)
class LifeEvent:
    """A fact about an identity the population table does not carry yet (a death)."""

    identity_id: str
    kind: str  # "death"
    event_date: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class AdopteeRequest:
    """What the caseworker records when opening a trace (personal fields sealed at rest)."""

    adoptive_name: str
    vietnamese_name: str = ""
    birth_date: str = ""
    birth_place: str = ""
    sex: str = "U"
    mother_name: str = ""
    father_name: str = ""
    adoption_file_ref: str = ""
    adoptee_consent_ref: str = ""     # where the adoptee's signed consent is filed
    identity_check_ref: str = ""      # the authority's identity check of the adoptee
    via_adoptive_parents: bool = False  # asked by the adoptive parents for a minor adoptee


@dataclass(frozen=True, slots=True)
class Subject:
    """A person a trace is about, and how far linking got: the adoptee, a birth parent, a sibling."""

    role: str  # "adoptee", ParentRole values, "sibling"
    status: LinkStatus
    identity_id: str = ""
    relationship: str = ""  # for siblings: "twin" or "sibling"


@dataclass(frozen=True, slots=True)
class DisclosedField:
    field: str
    value: str
    rule: str


@dataclass(frozen=True, slots=True)
class Withheld:
    category: str
    rule: str
    reason: str  # says which rule and why, never the withheld value


@dataclass(frozen=True, slots=True)
class Package:
    fields: tuple[DisclosedField, ...]
    withheld: tuple[Withheld, ...]
    policy_version: str
    evaluated_on: date

    def field_names(self) -> list[str]:
        return [f.field for f in self.fields]

    def same_content(self, other: Package | None) -> bool:
        return other is not None and (self.fields, self.withheld) == (other.fields, other.withheld)


@dataclass(frozen=True, slots=True)
class TraceEvent:
    """One step of a trace, for the caseworker to follow: codes and officer ids, no personal data."""

    at: datetime
    actor: str
    kind: str  # opened, linked, awaiting_review, not_found, prepared, approved, returned, released,
    #            consent_changed, release_blocked
    note: str = ""


@dataclass(frozen=True, slots=True)
class Trace:
    trace_id: str
    state: TraceState
    request: AdopteeRequest
    opened_by: str
    opened_at: datetime
    updated_at: datetime
    subjects: tuple[Subject, ...] = ()
    prepared_by: str = ""
    approved_by: str = ""
    released_by: str = ""
    package: Package | None = None
    version: int = 1
    events: tuple[TraceEvent, ...] = field(default=())

    def subject(self, role: str) -> Subject | None:
        return next((s for s in self.subjects if s.role == role), None)

    def changed(self, now: datetime, **changes: object) -> Trace:
        return replace(self, version=self.version + 1, updated_at=now, **changes)  # type: ignore[arg-type]


# --- errors -----------------------------------------------------------------------------------------
class TraceNotFound(NotFound):
    reason = "TRACE_NOT_FOUND"


class InvalidTraceRequest(InvalidRecord):
    reason = "INVALID_ARGUMENT"


class TraceConflict(FailedPrecondition):
    """The trace is not in the state the action needs; nothing was changed."""

    reason = "TRACE_STATE_CONFLICT"


class TraceChanged(TraceConflict):
    reason = "TRACE_CHANGED"


class PackageChanged(TraceConflict):
    """Evaluated again at release, the package differs from the approved one (a consent changed, a
    relative appeared): nothing is released; it must be prepared and approved again."""

    reason = "PACKAGE_CHANGED"


class MinorNeedsAdoptiveParents(TraceConflict):
    reason = "MINOR_NEEDS_ADOPTIVE_PARENTS"
