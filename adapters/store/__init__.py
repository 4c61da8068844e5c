"""The SQL store: SQLite (WAL) by default, PostgreSQL by URL, with Alembic migrations in the package."""

from adapters.store.crypto import StoreCrypto
from adapters.store.repositories import (
    SqlIdentityRepository,
    SqlLinkRepository,
    SqlModelRepository,
    SqlSourceRecordRepository,
    StoredModel,
)
from adapters.store.store import Store, alembic_config, sqlite_url
from adapters.store.unit_of_work import SqlUnitOfWork

__all__ = [
    "SqlIdentityRepository",
    "SqlLinkRepository",
    "SqlModelRepository",
    "SqlSourceRecordRepository",
    "SqlUnitOfWork",
    "Store",
    "StoreCrypto",
    "StoredModel",
    "alembic_config",
    "sqlite_url",
]
