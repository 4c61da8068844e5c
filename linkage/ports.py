"""The ports the services need from the outside world; `adapters/` implements them.

Services and the engine depend on these protocols only, so tests can hand them fakes and the store
can be SQLite, PostgreSQL or anything else that keeps these promises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, Self

from linkage.domain import MatchResult, PersonRecord, StoredLink


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
