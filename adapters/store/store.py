"""The store: one engine per database URL, its migrations, and units of work over it.

SQLite (a file in the data directory, WAL journal) is the embedded default; PostgreSQL is the
production store. Both are configured here and nowhere else. A store opened without a `StoreCrypto`
can migrate but not open a unit of work: personal data is never read or written unsealed.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool, StaticPool

from adapters.store.crypto import StoreCrypto
from adapters.store.durability import WalSync, nothing_to_sync, sessions_sync_themselves
from adapters.store.unit_of_work import SqlUnitOfWork
from linkage.security.errors import KeyMaterialError

# Alembic announces each of its plugins at INFO on every start; only the migrations themselves matter.
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_POOL_SIZE = 10
PG_MAX_OVERFLOW = 20
# Serialises concurrent `migrate()` calls on one PostgreSQL database (any constant unique to us).
PG_MIGRATION_LOCK = 0x6C696E6B


def sqlite_url(data_dir: Path) -> str:
    """The embedded database's URL: `linkage.sqlite` in the data directory."""
    return f"sqlite:///{Path(data_dir).expanduser() / 'linkage.sqlite'}"


def alembic_config(url: str | None = None) -> Config:
    """Alembic configuration built in code: no alembic.ini is needed at run time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _normalise(url: str) -> URL:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver this project installs
    return parsed


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:")


def _ensure_wal(cursor: Any) -> None:
    """Switch the database to WAL unless it is already there.

    Changing the journal mode needs the database to itself and does not wait on the busy timeout, so
    it is tried only when needed (once per database file) and retried while others hold it.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() not in ("wal", "memory"):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_pragmas(engine: Engine, *, begin_immediate: bool = False) -> None:
    """WAL, foreign keys and a busy timeout on every connection; optionally transactional DDL."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        _ensure_wal(cursor)
        cursor.close()
        if begin_immediate:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below

    if begin_immediate:

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _create_engine(url: URL, *, for_migrations: bool = False) -> Engine:
    if url.get_backend_name() == "sqlite":
        options: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
        if _is_memory(url):
            options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            Path(url.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
            if for_migrations:
                options["poolclass"] = NullPool
        engine = create_engine(url, **options)
        _sqlite_pragmas(engine, begin_immediate=for_migrations)
        return engine
    if url.get_backend_name() == "postgresql":
        if for_migrations:
            return create_engine(url, poolclass=NullPool)
        return create_engine(url, pool_pre_ping=True, pool_size=PG_POOL_SIZE, max_overflow=PG_MAX_OVERFLOW)
    raise ValueError(f"unsupported database {url.get_backend_name()!r}: use sqlite or postgresql")


class Store:
    """A database: engine, migrations, units of work. Create one per process and share it."""

    def __init__(self, url: str, crypto: StoreCrypto | None = None) -> None:
        self.url = _normalise(url)
        self.crypto = crypto
        self.engine = _create_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._sync: Callable[[], None] = nothing_to_sync
        if self.url.get_backend_name() == "sqlite" and not _is_memory(self.url):
            # sessions commit with synchronous=NORMAL; their unit of work syncs the WAL (see durability)
            sessions_sync_themselves(self.engine, self._sessions)
            self._sync = WalSync(Path(self.url.database or "").absolute())

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest revision; a no-op when it is there already.

        Runs in one transaction that also holds a lock, so a crash leaves the old schema and two
        processes starting at once migrate one after the other.
        """
        if _is_memory(self.url):  # another engine would see another, empty database
            with self.engine.begin() as connection:
                self._upgrade(connection)
            return
        engine = _create_engine(self.url, for_migrations=True)
        try:
            with engine.begin() as connection:
                if self.dialect == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
                self._upgrade(connection)
        finally:
            engine.dispose()

    @staticmethod
    def _upgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        # "heads": also correct while two branches (e.g. encryption and the review queue) are unmerged.
        command.upgrade(config, "heads")

    def current_revision(self) -> str | None:
        """The schema revision the database is at (None before the first migration; heads comma-joined)."""
        with self.engine.connect() as connection:
            heads = MigrationContext.configure(connection).get_current_heads()
        return ",".join(sorted(heads)) or None

    def unit_of_work(self) -> SqlUnitOfWork:
        if self.crypto is None:
            raise KeyMaterialError("this store was opened without keys: it can migrate, not read or write")
        return SqlUnitOfWork(self._sessions, self.crypto, self._sync)

    def dispose(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({self.url.render_as_string(hide_password=True)!r})"
