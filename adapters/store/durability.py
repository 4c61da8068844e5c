"""When a unit of work's commit reaches the disk, and who waits for it.

SQLite's `synchronous=FULL` makes COMMIT fsync the WAL before returning. A served match also fsyncs its
audit entry, and the two flushes one after the other were a third of a call's latency. So sessions of
a SQLite file store write with `synchronous=NORMAL` (COMMIT writes the WAL, no fsync) and the unit of
work syncs the WAL itself: at once in `commit()`, which therefore stays as durable as FULL, or, through
`commit_deferred()`, when the caller chooses, e.g. alongside the audit fsync, before any answer. In WAL
mode, NORMAL followed by an fdatasync of the WAL is what FULL does (frames, then one sync; SQLite pads
nothing on Linux, whose VFS has power-safe overwrite). Connections used outside sessions (rotation,
the index feed, migrations) keep FULL: a connection is set back when it returns to the pool.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

_NORMAL = "linkage_synchronous_normal"


class WalSync:
    """Makes every transaction committed so far to a SQLite database durable: fdatasync its WAL.

    Opened per call: the WAL is deleted when the last connection closes (after a checkpoint that synced
    it into the database), and a later one is a new file, so a kept descriptor could sync the wrong one.
    """

    def __init__(self, database: Path) -> None:
        self.path = Path(f"{database}-wal")

    def __call__(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:  # checkpointed and removed: the database file holds it, synced
            return
        try:
            os.fdatasync(fd)
        finally:
            os.close(fd)


def nothing_to_sync() -> None:
    """The commit was durable when it returned (PostgreSQL, an in-memory database)."""


def sessions_sync_themselves(engine: Engine, sessions: sessionmaker[Session]) -> None:
    """Sessions write with synchronous=NORMAL (the unit of work syncs the WAL); pooled connections go
    back to FULL on check-in, so every other user of the engine commits durably as before."""

    @event.listens_for(sessions, "after_begin")
    def _normal(_session: Session, _transaction: Any, connection: Any) -> None:
        dbapi_connection = connection.connection.dbapi_connection
        # Before the session's first statement pysqlite has opened no transaction, so the setting
        # applies to this one; should one be open, it stays FULL (its sync is then merely repeated).
        if not connection.info.get(_NORMAL) and not dbapi_connection.in_transaction:
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")
            connection.info[_NORMAL] = True

    @event.listens_for(engine, "checkin")
    def _full(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is not None and record.info.pop(_NORMAL, False):
            dbapi_connection.execute("PRAGMA synchronous=FULL")
