"""A unit of work's commit is on disk when `commit()` returns, or when the sync `commit_deferred()` hands
back has run; other users of the engine keep SQLite's own synchronous=FULL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.store.crypto import StoreCrypto
from adapters.store.durability import WalSync
from adapters.store.store import Store
from linkage.domain import PersonRecord, Sex
from linkage.security.keyset import Keyset

FULL, NORMAL = 2, 1


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'linkage.sqlite'}", StoreCrypto(Keyset.generate()))
    store.migrate()
    yield store
    store.dispose()


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files fdatasync'ed by `WalSync`, in order."""
    files: list[str] = []
    real = os.fdatasync

    def recording(fd: int) -> None:
        files.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fdatasync", recording)
    return files


def _record(record_id: str) -> PersonRecord:
    return PersonRecord("child_registry", record_id, "Nguyễn Thị Lan", Sex.FEMALE, "2001-05-03")


def test_commit_returns_after_syncing_the_wal(sqlite_store: Store, synced: list[str]) -> None:
    with sqlite_store.unit_of_work() as uow:
        uow.records.upsert(_record("R1"))
        uow.commit()
    assert synced == [f"{sqlite_store.url.database}-wal"]


def test_a_deferred_commit_is_visible_at_once_and_synced_when_asked(sqlite_store: Store,
                                                                   synced: list[str]) -> None:
    with sqlite_store.unit_of_work() as uow:
        uow.records.upsert(_record("R1"))
        sync = uow.commit_deferred()
    assert synced == []
    with sqlite_store.unit_of_work() as uow:
        assert uow.records.get("child_registry", "R1") == _record("R1")
    sync()
    assert synced == [f"{sqlite_store.url.database}-wal"]


def test_sessions_write_with_normal_and_the_engine_keeps_full(sqlite_store: Store) -> None:
    with sqlite_store.unit_of_work() as uow:
        uow.records.upsert(_record("R1"))
        assert uow.records._session.execute(text("PRAGMA synchronous")).scalar() == NORMAL  # noqa: SLF001
        uow.commit()
    with sqlite_store.engine.connect() as connection:  # the pooled connection the session returned
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == FULL


def test_a_missing_wal_has_nothing_to_sync(tmp_path: Path) -> None:
    WalSync(tmp_path / "gone.sqlite")()  # the last connection closed: checkpointed into the database
