"""The ports the services need from the outside world; `adapters/` implements them.

Services and the engine depend on these protocols only, so tests can hand them fakes and the store
can be SQLite, PostgreSQL or anything else that keeps these promises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, Self

from linkage.domain import MatchResult, PersonRecord, StoredLink

if TYPE_CHECKING:
    from linkage.review.model import CaseFilter, ReviewCase, ReviewDecision


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
