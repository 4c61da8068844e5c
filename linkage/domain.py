"""The plain values every layer shares: records as sources write them, and match results.

Nothing here knows of gRPC, SQL or HTTP. Records keep fields *as written*: normalising and parsing is
the job of `linkage.vn`, so the original text is never lost and can always be shown to a steward.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"
    UNKNOWN = "U"


class Source(StrEnum):
    """Where a record comes from. Sources differ in how damaged their records are."""

    POPULATION = "population"
    CHILD_REGISTRY = "child_registry"
    ADOPTION_FILE = "adoption_file"
    ABANDONED_INTAKE = "abandoned_intake"
    TRACE_REQUEST = "trace_request"


class Decision(StrEnum):
    LINK = "link"
    REVIEW = "review"
    NO_LINK = "no_link"


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One person as one source wrote them down.

    `birth_date` is text as written or canonical ISO-like text ("2001-05-03", "2001-05", "2001",
    "khoảng 2 tháng tuổi"); `linkage.vn.dates` parses it and keeps its precision.
    """

    source: str
    record_id: str
    full_name: str
    sex: Sex = Sex.UNKNOWN
    birth_date: str = ""
    birth_place: str = ""
    mother_name: str = ""
    father_name: str = ""
    pid: str = ""
    # When a record carries an estimate (abandoned children), the date it was recorded on, so an
    # age such as "khoảng 2 tháng tuổi" can be turned into a range of birth dates.
    recorded_on: str = ""


@dataclass(frozen=True, slots=True)
class FieldContribution:
    """What one comparison added to a candidate's match weight (log2 Bayes factor)."""

    field: str
    level: str
    weight: float
    tf_adjustment: float = 0.0
    left: str = ""
    right: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    identity_id: str
    pid: str
    probability: float
    weight: float
    contributions: tuple[FieldContribution, ...] = ()


@dataclass(frozen=True, slots=True)
class MatchResult:
    source: str
    record_id: str
    decision: Decision
    candidates: tuple[Candidate, ...]
    model_version: str
    conflicts: tuple[str, ...] = field(default=())

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True, slots=True)
class StoredLink:
    """A match result as the store keeps it: the decision on one source record and who made it."""

    source: str
    record_id: str
    decision: Decision
    identity_id: str
    pid: str
    probability: float
    weight: float
    model_version: str
    conflicts: tuple[str, ...] = ()
    created_at: str = ""
