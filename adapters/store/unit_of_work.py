"""One transaction over the SQL repositories, implementing `linkage.ports.UnitOfWork`.

Nothing is committed unless `commit()` is called inside the `with` block; leaving it, normally or by
an exception, rolls back whatever was not committed and closes the session. `commit()` returns once the
transaction is on disk; `commit_deferred()` returns at once with what gets it there, for a caller who
overlaps that wait with another (`adapters.store.durability`). The repositories seal and open personal
fields with the store's `StoreCrypto`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from adapters.store.consent_repository import SqlConsentRepository
from adapters.store.crypto import StoreCrypto
from adapters.store.durability import nothing_to_sync
from adapters.store.import_repository import SqlImportRepository
from adapters.store.repositories import (
    SqlIdentityRepository,
    SqlLinkRepository,
    SqlModelRepository,
    SqlSourceRecordRepository,
)
from adapters.store.review_repository import SqlReviewRepository
from adapters.store.tracing_repository import SqlAdoptionFileRepository, SqlTraceRepository


class SqlUnitOfWork:
    identities: SqlIdentityRepository
    records: SqlSourceRecordRepository
    links: SqlLinkRepository
    models: SqlModelRepository
    reviews: SqlReviewRepository
    traces: SqlTraceRepository
    adoption_files: SqlAdoptionFileRepository
    consents: SqlConsentRepository
    imports: SqlImportRepository

    def __init__(self, session_factory: sessionmaker[Session], crypto: StoreCrypto,
                 sync: Callable[[], None] = nothing_to_sync) -> None:
        self._session_factory = session_factory
        self._crypto = crypto
        self._sync = sync
        self._session: Session | None = None

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in use; make a new one per transaction")
        session = self._session = self._session_factory()
        self.identities = SqlIdentityRepository(session, self._crypto)
        self.records = SqlSourceRecordRepository(session, self._crypto)
        self.links = SqlLinkRepository(session, self._crypto)
        self.models = SqlModelRepository(session)
        self.reviews = SqlReviewRepository(session, self._crypto)
        self.imports = SqlImportRepository(session, self._crypto)
        self.traces = SqlTraceRepository(session, self._crypto)
        self.adoption_files = SqlAdoptionFileRepository(session, self._crypto)
        self.consents = SqlConsentRepository(session, self._crypto)
        return self

    def __exit__(self, *exc: object) -> None:
        session, self._session = self._session, None
        if session is not None:
            try:
                session.rollback()
            finally:
                session.close()

    def commit(self) -> None:
        """Commit, and return once the transaction is durable."""
        self.commit_deferred()()

    def commit_deferred(self) -> Callable[[], None]:
        """Commit (visible to other transactions now) and return what makes it durable.

        The caller must run it before telling anyone the work is kept; it may run on another thread.
        """
        self._active().commit()
        return self._sync

    def rollback(self) -> None:
        self._active().rollback()

    def _active(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside `with uow:`")
        return self._session
