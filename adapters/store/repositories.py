"""SQL repositories implementing the ports of `linkage.ports` (plus the model-version store).

Statements are SQLAlchemy Core against the declarative tables: bulk loads stay fast, and every
personal value passes through `adapters.store.mapping`, which seals it with the unit of
work's `StoreCrypto` (personal columns hold ciphertext; the pid is looked up by its blind index).
Upserts are dialect-specific (`INSERT ... ON CONFLICT DO UPDATE` on SQLite and PostgreSQL alike)
and update a row only when its fingerprint changed, so repeating a load writes nothing and reports
nothing changed.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ARRAY, RowMapping, Select, Table, TypeDecorator, bindparam, func, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from adapters.store import mapping
from adapters.store.crypto import IDENTITIES as IDENTITIES_TABLE
from adapters.store.crypto import SOURCE_RECORDS as SOURCE_RECORDS_TABLE
from adapters.store.crypto import StoreCrypto
from adapters.store.tables import IdentityRow, LinkRow, ModelVersionRow, SourceRecordRow, utc_now
from linkage.domain import Decision, MatchResult, PersonRecord, StoredLink
from linkage.errors import AlreadyExists

IDENTITIES = cast(Table, IdentityRow.__table__)
SOURCE_RECORDS = cast(Table, SourceRecordRow.__table__)
LINKS = cast(Table, LinkRow.__table__)
MODEL_VERSIONS = cast(Table, ModelVersionRow.__table__)


def _upsert(
    session: Session, table: Table, keys: Sequence[str], *, only_if_changed: bool
) -> Any:
    """`INSERT ... ON CONFLICT (keys) DO UPDATE` for the session's dialect.

    With `only_if_changed`, an existing row is rewritten only when its fingerprint differs, so
    `RETURNING` yields exactly the rows that were new or changed.
    """
    return _upsert_statement(session.get_bind().dialect.name, table, tuple(keys), only_if_changed)


@functools.cache
def _upsert_statement(dialect: str, table: Table, keys: tuple[str, ...], only_if_changed: bool) -> Any:
    """Built once per table and kind: the `excluded` column set costs about a millisecond to derive,
    more than the write itself on the single-record path; statements are immutable, so sharing is safe."""
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table)
    else:
        raise NotImplementedError(f"no upsert for dialect {dialect!r}")
    updated = {c.name: stmt.excluded[c.name] for c in table.c if c.name not in keys and not c.primary_key}
    where = table.c.fingerprint != stmt.excluded.fingerprint if only_if_changed else None
    return stmt.on_conflict_do_update(index_elements=list(keys), set_=updated, where=where)


def _upsert_many(session: Session, table: Table, keys: Sequence[str], rows: list[dict[str, Any]]) -> int:
    """Upsert many rows at once, rewriting only changed ones; returns how many were new or changed."""
    key = table.c[keys[0]]
    if session.get_bind().dialect.name != "postgresql":
        stmt = _upsert(session, table, keys, only_if_changed=True).returning(key)
        return len(session.execute(stmt, rows).all())
    # PostgreSQL: one array per column, unnested into rows server-side. A handful of parameters
    # instead of one per value keeps the driver from parsing a huge statement (about 4x faster).
    names = list(rows[0])
    source = select(*[
        func.unnest(bindparam(f"unnest_{name}", type_=ARRAY(_plain(table.c[name].type)))).label(name)
        for name in names
    ])
    insert = postgresql.insert(table).from_select(names, source)
    updated = {n: insert.excluded[n] for n in names if n not in keys and not table.c[n].primary_key}
    stmt = insert.on_conflict_do_update(
        index_elements=list(keys), set_=updated, where=table.c.fingerprint != insert.excluded.fingerprint
    ).returning(key)
    params = {f"unnest_{name}": [row[name] for row in rows] for name in names}
    return len(session.execute(stmt, params).all())


# The statements a served match runs, built once: building one and deriving its cache key cost about
# 90 µs a statement, several times what SQLite takes to run it.
_SOURCE_RECORD = select(SOURCE_RECORDS).where(SOURCE_RECORDS.c.source == bindparam("source"),
                                              SOURCE_RECORDS.c.record_id == bindparam("record_id"))
_LINK = select(LINKS).where(LINKS.c.source == bindparam("source"),
                            LINKS.c.record_id == bindparam("record_id"))


@functools.cache
def _linked_to(decisions: tuple[str, ...]) -> Select[Any]:
    """Per set of decisions, compared one by one: an IN list is expanded at every execution, which
    costs as much as building the statement."""
    return (select(LINKS)
            .where(LINKS.c.identity_id == bindparam("identity_id"),
                   or_(*(LINKS.c.decision == d for d in decisions)))
            .order_by(LINKS.c.source, LINKS.c.record_id))


def _plain(column_type: Any) -> Any:
    """The database type under a TypeDecorator (arrays are bound as the driver adapts them)."""
    return column_type.impl if isinstance(column_type, TypeDecorator) else column_type


def _first(session: Session, query: Select[Any], params: dict[str, Any] | None = None) -> RowMapping | None:
    return session.execute(query, params).mappings().first()


class SqlIdentityRepository:
    """Population identities keyed by their population record id."""

    def __init__(self, session: Session, crypto: StoreCrypto) -> None:
        self._session, self._crypto = session, crypto

    def add_many(self, identities: Iterable[PersonRecord]) -> int:
        """Insert or update; returns how many rows were new or changed (0 when repeating a load)."""
        now = utc_now()
        # One row per id (the last wins): PostgreSQL refuses to upsert one key twice in a statement.
        latest = {r.record_id: r for r in identities}
        if not latest:
            return 0
        # Sealing is the costly part of a load: rows whose keyed fingerprint is already stored are not
        # sealed again (the upsert's own fingerprint check still guards against concurrent writers).
        stored = dict(self._session.execute(
            select(IDENTITIES.c.id, IDENTITIES.c.fingerprint).where(IDENTITIES.c.id.in_(list(latest)))).all())
        rows = [mapping.identity_values(self._crypto, record, now) for identity_id, record in latest.items()
                if stored.get(identity_id) != self._crypto.fingerprint(IDENTITIES_TABLE, record)]
        if not rows:
            return 0
        try:
            return _upsert_many(self._session, IDENTITIES, ["id"], rows)
        except IntegrityError as error:
            raise AlreadyExists("a personal number in this batch is held by another identity") from error

    def get(self, identity_id: str) -> PersonRecord | None:
        row = _first(self._session, select(IDENTITIES).where(IDENTITIES.c.id == identity_id))
        return mapping.identity_from_row(self._crypto, row) if row else None

    def get_by_pid(self, pid: str) -> PersonRecord | None:
        """The identity holding a personal identification number, if any."""
        index = self._crypto.pid_index(IDENTITIES_TABLE, pid) if pid else None
        if index is None:
            return None
        row = _first(self._session, select(IDENTITIES).where(IDENTITIES.c.pid_index == index))
        return mapping.identity_from_row(self._crypto, row) if row else None

    def iter_all(self, batch_size: int = 10_000) -> Iterator[PersonRecord]:
        """Every identity in id order, read in pages so memory stays bounded."""
        for row in _pages(self._session, IDENTITIES, ("id",), batch_size):
            yield mapping.identity_from_row(self._crypto, row)

    def count(self) -> int:
        return self._session.execute(select(func.count()).select_from(IDENTITIES)).scalar_one()

    def iter_updated_since(self, since: datetime, batch_size: int = 10_000) -> Iterator[PersonRecord]:
        """Identities written (inserted or changed) at or after `since`, in id order, in pages: what an
        index snapshot taken at that watermark lacks. Uses the `updated_at` index (migration 0007)."""
        for row in _pages(self._session, IDENTITIES, ("id",), batch_size, IDENTITIES.c.updated_at >= since):
            yield mapping.identity_from_row(self._crypto, row)


class SqlSourceRecordRepository:
    """Records of the source systems, keyed by (source, record_id)."""

    def __init__(self, session: Session, crypto: StoreCrypto) -> None:
        self._session, self._crypto = session, crypto

    def upsert(self, record: PersonRecord) -> None:
        stmt = _upsert(self._session, SOURCE_RECORDS, ["source", "record_id"], only_if_changed=True)
        self._session.execute(stmt, [mapping.source_record_values(self._crypto, record, utc_now())])

    def get(self, source: str, record_id: str) -> PersonRecord | None:
        row = _first(self._session, _SOURCE_RECORD, {"source": source, "record_id": record_id})
        return mapping.source_record_from_row(self._crypto, row) if row else None

    def iter_all(self, batch_size: int = 10_000) -> Iterator[PersonRecord]:
        """Every source record in (source, record_id) order, read in pages (training reads them all)."""
        for row in _pages(self._session, SOURCE_RECORDS, ("source", "record_id"), batch_size):
            yield mapping.source_record_from_row(self._crypto, row)

    def find_by_pid(self, pid: str) -> list[PersonRecord]:
        """Every source record carrying this personal number (exact, through the blind index)."""
        index = self._crypto.pid_index(SOURCE_RECORDS_TABLE, pid) if pid else None
        if index is None:
            return []
        query = (select(SOURCE_RECORDS).where(SOURCE_RECORDS.c.pid_index == index)
                 .order_by(SOURCE_RECORDS.c.source, SOURCE_RECORDS.c.record_id))
        return [mapping.source_record_from_row(self._crypto, row)
                for row in self._session.execute(query).mappings()]


class SqlLinkRepository:
    """The current decision per source record; saving again replaces it."""

    def __init__(self, session: Session, crypto: StoreCrypto) -> None:
        self._session, self._crypto = session, crypto

    def save(self, result: MatchResult) -> StoredLink:
        values = mapping.link_values(self._crypto, result, utc_now())
        self._session.execute(_upsert(self._session, LINKS, ["source", "record_id"], only_if_changed=False),
                              [values])
        return mapping.link_from_row(self._crypto, values)

    def get(self, source: str, record_id: str) -> StoredLink | None:
        row = _first(self._session, _LINK, {"source": source, "record_id": record_id})
        return mapping.link_from_row(self._crypto, row) if row else None

    def linked_to(
        self, identity_id: str, decisions: Iterable[Decision] = (Decision.LINK,)
    ) -> list[StoredLink]:
        """Every record whose current decision (by default: link) names this identity."""
        query = _linked_to(tuple(sorted({Decision(d).value for d in decisions})))
        rows = self._session.execute(query, {"identity_id": identity_id}).mappings()
        return [mapping.link_from_row(self._crypto, row) for row in rows]


@dataclass(frozen=True, slots=True)
class StoredModel:
    version: str
    params_json: str
    created_at: datetime


class SqlModelRepository:
    """Trained match-model parameters by version. A version, once saved, never changes."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, version: str, params_json: str) -> StoredModel:
        """Keep a model; saving the same version with the same parameters again is a no-op."""
        json.loads(params_json)  # refuse what is not JSON before it is stored
        existing = self.get(version)
        if existing is not None:
            if existing.params_json != params_json:
                raise AlreadyExists(f"model version {version!r} is already stored with other parameters")
            return existing
        model = StoredModel(version=version, params_json=params_json, created_at=utc_now())
        row = {"version": version, "params": params_json, "created_at": model.created_at}
        try:
            self._session.execute(MODEL_VERSIONS.insert(), [row])
        except IntegrityError as error:  # saved by another process since we looked
            raise AlreadyExists(f"model version {version!r} was saved concurrently") from error
        return model

    def get(self, version: str) -> StoredModel | None:
        query = select(MODEL_VERSIONS).where(MODEL_VERSIONS.c.version == version)
        row = _first(self._session, query)
        return _model(row) if row else None

    def latest(self) -> StoredModel | None:
        """The most recently saved model version, if any."""
        query = select(MODEL_VERSIONS).order_by(
            MODEL_VERSIONS.c.created_at.desc(), MODEL_VERSIONS.c.version.desc()
        ).limit(1)
        row = _first(self._session, query)
        return _model(row) if row else None


def _model(row: RowMapping) -> StoredModel:
    return StoredModel(version=row["version"], params_json=row["params"], created_at=row["created_at"])


def _pages(session: Session, table: Table, key: tuple[str, ...], batch_size: int,
           where: Any = None) -> Iterator[RowMapping]:
    """Rows in key order, one page at a time (keyset pagination: no OFFSET, so every page is cheap)."""
    columns = [table.c[name] for name in key]
    last: tuple | None = None
    while True:
        query = select(table).order_by(*columns).limit(batch_size)
        if where is not None:
            query = query.where(where)
        if last is not None:
            query = query.where(tuple_(*columns) > tuple_(*last))
        rows = session.execute(query).mappings().all()
        if not rows:
            return
        yield from rows
        last = tuple(rows[-1][name] for name in key)
