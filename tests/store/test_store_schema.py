"""The store's engine settings and migrations, on every backend."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from adapters.store import Store, StoreCrypto, alembic_config, sqlite_url
from adapters.store.tables import Base
from linkage.domain import PersonRecord
from linkage.security.errors import KeyMaterialError

TABLES = {"identities", "source_records", "links", "model_versions"}


def head_revision() -> str | None:
    return ",".join(sorted(ScriptDirectory.from_config(alembic_config()).get_heads())) or None


def test_migrate_creates_every_table_at_head(store_url: str) -> None:
    store = Store(store_url)
    try:
        assert store.current_revision() is None
        store.migrate()
        assert store.current_revision() == head_revision()
        assert set(inspect(store.engine).get_table_names()) >= TABLES
    finally:
        store.dispose()


def test_migrating_twice_changes_nothing(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.models.save("m1", "{}")
        uow.commit()
    before = set(inspect(store.engine).get_table_names())
    store.migrate()
    assert store.current_revision() == head_revision()
    assert set(inspect(store.engine).get_table_names()) == before
    with store.unit_of_work() as uow:
        assert uow.models.get("m1") is not None


def test_models_agree_with_migrations(store: Store) -> None:
    """The declarative tables and the migrated schema have no difference Alembic can see."""
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_concurrent_migrations_both_succeed(store_url: str) -> None:
    stores = [Store(store_url), Store(store_url)]
    errors: list[BaseException] = []

    def migrate(store: Store) -> None:
        try:
            store.migrate()
        except BaseException as error:  # noqa: BLE001 - reported to the test thread below
            errors.append(error)

    threads = [threading.Thread(target=migrate, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert errors == []
        assert [s.current_revision() for s in stores] == [head_revision()] * 2
    finally:
        for s in stores:
            s.dispose()


def test_a_failed_migration_leaves_the_schema_as_it_was(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migrations run in one transaction, DDL included (on SQLite too), so a crash leaves no half schema."""
    upgrade = Store._upgrade

    def upgrade_then_crash(connection: Connection) -> None:
        upgrade(connection)
        raise RuntimeError("crash after the DDL, before the commit")

    monkeypatch.setattr(Store, "_upgrade", staticmethod(upgrade_then_crash))
    store = Store(store_url)
    try:
        with pytest.raises(RuntimeError, match="crash"):
            store.migrate()
        assert store.current_revision() is None
        assert not TABLES & set(inspect(store.engine).get_table_names())
        monkeypatch.undo()
        store.migrate()
        assert store.current_revision() == head_revision()
    finally:
        store.dispose()


def test_downgrade_to_base_then_upgrade_again(store: Store) -> None:
    from alembic import command

    with store.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert not TABLES & set(inspect(store.engine).get_table_names())
    store.migrate()
    assert set(inspect(store.engine).get_table_names()) >= TABLES


def test_sqlite_url_is_a_file_in_the_data_directory(tmp_path: Path) -> None:
    assert sqlite_url(tmp_path) == f"sqlite:///{tmp_path / 'linkage.sqlite'}"


def test_sqlite_runs_wal_with_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "data"))  # the data directory is created when missing
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        assert (tmp_path / "data" / "linkage.sqlite").exists()
    finally:
        store.dispose()


def test_in_memory_sqlite_is_one_database_shared_by_every_session(store_crypto: StoreCrypto) -> None:
    store = Store("sqlite://", store_crypto)
    try:
        store.migrate()
        with store.unit_of_work() as uow:
            uow.models.save("m1", "{}")
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.models.get("m1") is not None
    finally:
        store.dispose()


def test_a_store_without_keys_migrates_but_opens_no_unit_of_work(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path))
    try:
        store.migrate()
        with pytest.raises(KeyMaterialError, match="without keys"):
            store.unit_of_work()
    finally:
        store.dispose()


def test_a_database_holding_rows_is_not_silently_emptied_by_a_downgrade(store: Store) -> None:
    from alembic import command

    with store.unit_of_work() as uow:
        uow.identities.add_many([PersonRecord("population", "P1", "Nguyễn Thị Lan")])
        uow.commit()
    with pytest.raises(RuntimeError, match="holds rows"), store.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    with store.unit_of_work() as uow:
        assert uow.identities.count() == 1


def test_postgresql_urls_without_a_driver_use_psycopg() -> None:
    store = Store("postgresql://postgres@127.0.0.1:1/none")  # no connection is made until used
    try:
        assert store.url.drivername == "postgresql+psycopg"
        assert store.engine.pool.size() == 10  # type: ignore[attr-defined]
    finally:
        store.dispose()


def test_unsupported_databases_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database 'mysql'"):
        Store("mysql://user@localhost/db")
