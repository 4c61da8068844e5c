"""The ports the services need from the outside world; `adapters/` implements them.

Services and the engine depend on these protocols only, so tests can hand them fakes and the store
can be SQLite, PostgreSQL or anything else that keeps these promises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, Self

from linkage.domain import MatchResult, PersonRecord, StoredLink

if TYPE_CHECKING:
    from linkage.consent.model import ConsentRecord
    from linkage.review.model import CaseFilter, ReviewCase, ReviewDecision
    from linkage.tracing.model import AdoptionFile, LifeEvent, Trace, TraceEvent, TraceState


class IdentityRepository(Protocol):
    """Population identities, keyed by their population-database id (`PersonRecord.record_id`)."""

    def add_many(self, identities: Iterable[PersonRecord]) -> int:
        """Insert or update; idempotent on record_id. Returns how many rows were new or changed."""

    def get(self, identity_id: str) -> PersonRecord | None: ...

    def iter_all(self, batch_size: int = 10_000) -> Iterator[PersonRecord]: ...

    def count(self) -> int: ...


class SourceRecordRepository(Protocol):
    """Records from the source systems (child registry, adoption files, ...), keyed by (source, id)."""

    def upsert(self, record: PersonRecord) -> None: ...

    def get(self, source: str, record_id: str) -> PersonRecord | None: ...

    def iter_all(self, batch_size: int = 10_000) -> Iterator[PersonRecord]: ...


class LinkRepository(Protocol):
    """The current decision for each source record; saving again replaces it."""

    def save(self, result: MatchResult) -> StoredLink: ...

    def get(self, source: str, record_id: str) -> StoredLink | None: ...

    def linked_to(self, identity_id: str) -> list[StoredLink]:
        """Every record currently linked to one identity (conflict detection)."""


class UnitOfWork(Protocol):
    """One transaction: everything done inside `with uow:` is committed together or not at all."""

    identities: IdentityRepository
    records: SourceRecordRepository
    links: LinkRepository

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class Matcher(Protocol):
    """Scores a record against the population and decides: link, review or no link."""

    model_version: str

    def match(self, record: PersonRecord) -> MatchResult: ...

    def add_identities(self, identities: Iterable[PersonRecord]) -> None:
        """Keep the candidate index current as identities are imported."""


class ReviewRepository(Protocol):
    """The review queue: cases (ids, scores, explanation weights; no personal data) and decisions.

    `replace` is compare-and-set on the case's version: it stores the case only if nobody changed it
    since `seen_version`, and says whether it did. See `linkage.review.model` for the values.
    """

    def add(self, case: ReviewCase) -> None: ...

    def get(self, case_id: str) -> ReviewCase | None: ...

    def unsettled_for_record(self, source: str, record_id: str) -> ReviewCase | None: ...

    def for_record(self, source: str, record_id: str) -> list[ReviewCase]: ...

    def replace(self, case: ReviewCase, seen_version: int) -> bool: ...

    def page(self, where: CaseFilter, now: datetime, limit: int,
             after: tuple[float, datetime, str] | None = None,
             include_escalated: bool = False) -> list[ReviewCase]: ...

    def count(self, where: CaseFilter, now: datetime, include_escalated: bool = False) -> int: ...

    def add_decision(self, decision: ReviewDecision) -> ReviewDecision: ...

    def decisions(self, case_id: str) -> list[ReviewDecision]: ...

    def mark_undone(self, decision_id: int, at: datetime, by: str) -> None: ...

    def iter_decisions(self) -> Iterator[tuple[ReviewCase, ReviewDecision]]: ...

    def decided_labels(self) -> dict[tuple[str, str], str | None]: ...

    def count_decisions_by(self, steward: str, since: datetime) -> int: ...


class ReviewUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that also holds the review queue."""

    reviews: ReviewRepository


# --- imports: sources of records and changes, and the import log (issue 8) ------------------------------
@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row of a source: a record, or the reason it was rejected. `end_offset` is where the next row
    starts (bytes for files, an opaque cursor position for remote sources), so an import can resume there."""

    line: int
    end_offset: int
    record: PersonRecord | None = None
    reason: str = ""


class ChangeOp(StrEnum):
    UPSERT = "upsert"
    DEATH = "death"
    MERGE = "merge"
    PID_CHANGE = "pid_change"


@dataclass(frozen=True, slots=True)
class Change:
    """One change of the population database. `identity_id` is the identity changed (for a merge, the
    survivor; `other_id` the absorbed one); `date` a date of death; `old_pid`/`new_pid` a reissue."""

    op: ChangeOp
    identity_id: str
    record: PersonRecord | None = None
    other_id: str = ""
    date: str = ""
    old_pid: str = ""
    new_pid: str = ""


@dataclass(frozen=True, slots=True)
class ChangeRow:
    line: int
    end_offset: int
    change: Change | None = None
    reason: str = ""


class RecordSource(Protocol):
    """Records of one kind of source (population, child registry, ...), resumable at a position."""

    kind: str
    description: str

    def fingerprint(self) -> str:
        """What this input is, so a re-run or resume can be recognised (a file: path, size, head hash)."""

    def total(self) -> int | None:
        """How far `end_offset` goes (bytes of a file), for a progress bar; None when unknown."""

    def rows(self, start_line: int = 0, start_offset: int = 0) -> Iterator[SourceRow]:
        """Rows after a checkpoint (`start_offset` 0: from the beginning)."""


class ChangeSource(Protocol):
    description: str

    def fingerprint(self) -> str: ...

    def total(self) -> int | None: ...

    def changes(self, start_line: int = 0, start_offset: int = 0) -> Iterator[ChangeRow]: ...


@dataclass(frozen=True, slots=True)
class ImportCheckpoint:
    """How far one input has been imported; saved in the same transaction as each batch."""

    fingerprint: str
    kind: str
    description: str
    line: int = 0
    offset: int = 0
    read: int = 0
    written: int = 0
    rejected: int = 0
    finished: bool = False


class ImportLogRepository(Protocol):
    """Checkpoints, reject reports, identity merges and the change log of imports (deaths are life
    events of `AdoptionFileRepository`)."""

    def checkpoint(self, fingerprint: str) -> ImportCheckpoint | None: ...

    def save_checkpoint(self, checkpoint: ImportCheckpoint) -> None: ...

    def add_rejects(self, fingerprint: str, rejects: Iterable[tuple[int, str]]) -> None:
        """Idempotent on (fingerprint, line): a replayed batch does not duplicate its rejects."""

    def rejects(self, fingerprint: str) -> list[tuple[int, str]]: ...

    def record_merge(self, absorbed_id: str, survivor_id: str) -> None: ...

    def survivor_of(self, identity_id: str) -> str | None: ...

    def log_change(self, op: str, identity_id: str, other_id: str = "") -> None: ...

    def changes(self, identity_id: str) -> list[tuple[str, str, str]]:
        """(op, identity_id, other_id) in the order they were applied."""


class TraceRepository(Protocol):
    """Trace requests with their subjects and events; `replace` is compare-and-set on the version.

    See `linkage.tracing.model` for the values.
    """

    def add(self, trace: Trace) -> None: ...

    def get(self, trace_id: str) -> Trace | None: ...

    def replace(self, trace: Trace, seen_version: int) -> bool: ...

    def add_event(self, trace_id: str, event: TraceEvent) -> None: ...

    def about(self, identity_id: str, roles: tuple[str, ...] = (),
              states: tuple[TraceState, ...] = ()) -> list[tuple[str, str]]:
        """(trace id, role) of the traces this identity is a subject of."""


class AdoptionFileRepository(Protocol):
    """Adoption-file content (sealed) and life events of identities (deaths)."""

    def put(self, file: AdoptionFile) -> None: ...

    def get(self, file_ref: str) -> AdoptionFile | None: ...

    def add_life_event(self, event: LifeEvent) -> None: ...

    def life_events(self, identity_id: str) -> list[LifeEvent]: ...


class ConsentRepository(Protocol):
    """Consent records; never edited except for the withdrawal stamp."""

    def add(self, record: ConsentRecord) -> None: ...

    def get(self, consent_id: str) -> ConsentRecord | None: ...

    def for_subjects(self, identity_ids: Iterable[str]) -> list[ConsentRecord]: ...

    def mark_withdrawn(self, consent_id: str, at: datetime, by: str) -> bool: ...


class TracingUnitOfWork(ReviewUnitOfWork, Protocol):
    """A unit of work that also holds traces, adoption files and the consent registry."""

    traces: TraceRepository
    adoption_files: AdoptionFileRepository
    consents: ConsentRepository
