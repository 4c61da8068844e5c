"""One transaction over the SQL repositories, implementing `linkage.ports.UnitOfWork`.

Nothing is committed unless `commit()` is called inside the `with` block; leaving it, normally or by
an exception, rolls back whatever was not committed and closes the session.
"""

from __future__ import annotations

from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from adapters.store.repositories import (
    SqlIdentityRepository,
    SqlLinkRepository,
    SqlModelRepository,
    SqlSourceRecordRepository,
)


class SqlUnitOfWork:
    identities: SqlIdentityRepository
    records: SqlSourceRecordRepository
    links: SqlLinkRepository
    models: SqlModelRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in use; make a new one per transaction")
        session = self._session = self._session_factory()
        self.identities = SqlIdentityRepository(session)
        self.records = SqlSourceRecordRepository(session)
        self.links = SqlLinkRepository(session)
        self.models = SqlModelRepository(session)
        return self

    def __exit__(self, *exc: object) -> None:
        session, self._session = self._session, None
        if session is not None:
            try:
                session.rollback()
            finally:
                session.close()

    def commit(self) -> None:
        self._active().commit()

    def rollback(self) -> None:
        self._active().rollback()

    def _active(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside `with uow:`")
        return self._session
