"""Shared fixtures: a store on every backend, so one test body runs on SQLite and on PostgreSQL.

`store_url` names an empty database: a file under tmp_path for SQLite; for PostgreSQL a fresh schema
in the `linkage_test` database (created when missing), dropped after the test. A schema per test keeps
tests independent even when several test runs share the server at once. PostgreSQL tests are skipped
only when the server cannot be reached; set LINKAGE_TEST_PG_URL to use another server.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings
from psycopg import sql
from sqlalchemy.engine import make_url

from adapters.store import Store, StoreCrypto
from linkage.security.keyset import Keyset

# property tests draw the same examples on every run, so the test command passes or fails the same way
# for everyone; HYPOTHESIS_PROFILE=explore draws new ones each run, to look for inputs nobody wrote down
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

PG_URL = os.environ.get("LINKAGE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/linkage_test")
SCHEMA_PREFIX = "t_"
_schema_numbers = itertools.count()


def _conninfo(url: str, database: str | None = None) -> str:
    """A libpq connection string for a SQLAlchemy URL (optionally naming another database)."""
    parsed = make_url(url)
    return psycopg.conninfo.make_conninfo(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname=database or parsed.database,
        connect_timeout=3,
    )


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _drop_orphan_schemas(connection: psycopg.Connection) -> None:
    """Drop test schemas left behind by runs that were killed (their process id is in the name)."""
    names = connection.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (SCHEMA_PREFIX + "%",)
    ).fetchall()
    for (name,) in names:
        owner = name.removeprefix(SCHEMA_PREFIX).split("_")[0]
        if owner.isdigit() and not _is_alive(int(owner)):
            connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def postgres_database() -> str:
    """The test database's URL, created if missing; skips when no PostgreSQL server answers."""
    database = make_url(PG_URL).database or "linkage_test"
    try:
        with psycopg.connect(_conninfo(PG_URL, "postgres"), autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
            if not exists:
                with contextlib.suppress(psycopg.errors.DuplicateDatabase):  # another run just made it
                    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL not reachable at {make_url(PG_URL).render_as_string()}: {error}")
    with psycopg.connect(_conninfo(PG_URL), autocommit=True) as connection:
        _drop_orphan_schemas(connection)
    return PG_URL


@pytest.fixture
def postgres_schema_url(postgres_database: str) -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema, dropped after the test."""
    schema = f"{SCHEMA_PREFIX}{os.getpid()}_{next(_schema_numbers)}"
    with psycopg.connect(_conninfo(postgres_database), autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    url = make_url(postgres_database).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with psycopg.connect(_conninfo(postgres_database), autocommit=True) as connection:
        connection.execute("SET lock_timeout = '10s'")
        connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend: SQLite in tmp_path, then a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'linkage.sqlite'}"
    return request.getfixturevalue("postgres_schema_url")


@pytest.fixture(scope="session")
def test_keyset() -> Keyset:
    """A freshly generated keyset (never written anywhere) for stores under test."""
    return Keyset.generate()


@pytest.fixture
def store_crypto(test_keyset: Keyset) -> StoreCrypto:
    return StoreCrypto(test_keyset)


@pytest.fixture
def store(store_url: str, store_crypto: StoreCrypto) -> Iterator[Store]:
    """A migrated, empty store on each backend, sealing personal fields; disposed after the test."""
    opened = Store(store_url, store_crypto)
    opened.migrate()
    yield opened
    opened.dispose()
