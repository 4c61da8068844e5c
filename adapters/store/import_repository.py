"""The import log in SQL (`linkage.ports.ImportLogRepository`), plus the bulk paths of imports.

Checkpoints are written in the batch's own transaction (the unit of work's session), so a batch and
the checkpoint that says it is done are committed together or not at all. On PostgreSQL, identities
can also be loaded through COPY into a temporary table and `INSERT ... ON CONFLICT` from there,
with row values built by the same `adapters.store.mapping` functions the repository uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from adapters.store import mapping
from adapters.store.crypto import IDENTITIES as IDENTITIES_TABLE
from adapters.store.crypto import StoreCrypto
from adapters.store.import_tables import (
    IdentityChangeRow,
    IdentityMergeRow,
    ImportRejectRow,
    ImportRunRow,
)
from adapters.store.tables import IdentityRow, utc_now
from linkage.domain import PersonRecord
from linkage.ports import ImportCheckpoint

RUNS = cast(Table, ImportRunRow.__table__)
REJECTS = cast(Table, ImportRejectRow.__table__)
MERGES = cast(Table, IdentityMergeRow.__table__)
CHANGES = cast(Table, IdentityChangeRow.__table__)
IDENTITIES = cast(Table, IdentityRow.__table__)


def _insert(session: Session, table: Table) -> Any:
    return (postgresql.insert(table) if session.get_bind().dialect.name == "postgresql"
            else sqlite.insert(table))


class SqlImportRepository:
    def __init__(self, session: Session, crypto: StoreCrypto) -> None:
        self._session, self._crypto = session, crypto

    # --- checkpoints ------------------------------------------------------------------------------
    def checkpoint(self, fingerprint: str) -> ImportCheckpoint | None:
        row = self._session.execute(select(RUNS).where(RUNS.c.fingerprint == fingerprint)).mappings().first()
        if row is None:
            return None
        return ImportCheckpoint(fingerprint=row["fingerprint"], kind=row["kind"],
                                description=row["description"], line=row["line"],
                                offset=row["byte_offset"], read=row["rows_read"],
                                written=row["rows_written"], rejected=row["rows_rejected"],
                                finished=row["finished"])

    def started_at(self, fingerprint: str) -> datetime | None:
        return self._session.execute(
            select(RUNS.c.started_at).where(RUNS.c.fingerprint == fingerprint)).scalar_one_or_none()

    def save_checkpoint(self, checkpoint: ImportCheckpoint) -> None:
        now = utc_now()
        values = {"fingerprint": checkpoint.fingerprint, "kind": checkpoint.kind,
                  "description": checkpoint.description, "line": checkpoint.line,
                  "byte_offset": checkpoint.offset, "rows_read": checkpoint.read,
                  "rows_written": checkpoint.written, "rows_rejected": checkpoint.rejected,
                  "finished": checkpoint.finished, "started_at": now, "updated_at": now}
        stmt = _insert(self._session, RUNS)
        kept = {k: stmt.excluded[k] for k in values if k not in ("fingerprint", "started_at")}
        self._session.execute(stmt.on_conflict_do_update(index_elements=["fingerprint"], set_=kept), [values])

    def restart(self, fingerprint: str) -> None:
        """Forget an input's checkpoint and rejects (an operator's `--restart`)."""
        self._session.execute(RUNS.delete().where(RUNS.c.fingerprint == fingerprint))
        self._session.execute(REJECTS.delete().where(REJECTS.c.fingerprint == fingerprint))

    # --- rejects ----------------------------------------------------------------------------------
    def add_rejects(self, fingerprint: str, rejects: Iterable[tuple[int, str]]) -> None:
        rows = [{"fingerprint": fingerprint, "line": line, "reason": reason} for line, reason in rejects]
        if rows:
            stmt = _insert(self._session, REJECTS)
            self._session.execute(stmt.on_conflict_do_nothing(index_elements=["fingerprint", "line"]), rows)

    def rejects(self, fingerprint: str) -> list[tuple[int, str]]:
        query = select(REJECTS.c.line, REJECTS.c.reason).where(REJECTS.c.fingerprint == fingerprint)
        return [(line, reason) for line, reason in self._session.execute(query.order_by(REJECTS.c.line))]

    # --- duplicates within one input --------------------------------------------------------------
    def changed_since(self, records: Sequence[PersonRecord], since: datetime) -> set[str]:
        """Ids of these identities already written since `since` with other content: in one import,
        the same id twice with different content (a replayed batch has the same content)."""
        ids = [r.record_id for r in records]
        stored = dict(self._session.execute(
            select(IDENTITIES.c.id, IDENTITIES.c.fingerprint)
            .where(IDENTITIES.c.id.in_(ids), IDENTITIES.c.updated_at >= since)).all())
        fingerprint = self._crypto.fingerprint
        return {r.record_id for r in records
                if r.record_id in stored and stored[r.record_id] != fingerprint(IDENTITIES_TABLE, r)}

    # --- merges, change log -----------------------------------------------------------------------
    def record_merge(self, absorbed_id: str, survivor_id: str) -> None:
        values = {"absorbed_id": absorbed_id, "survivor_id": survivor_id, "merged_at": utc_now()}
        stmt = _insert(self._session, MERGES)
        self._session.execute(stmt.on_conflict_do_update(
            index_elements=["absorbed_id"], set_={"survivor_id": stmt.excluded.survivor_id,
                                                  "merged_at": stmt.excluded.merged_at}), [values])

    def survivor_of(self, identity_id: str) -> str | None:
        """Where an absorbed identity went, following chains of merges."""
        seen: set[str] = set()
        current: str | None = None
        while identity_id not in seen:
            seen.add(identity_id)
            nxt = self._session.execute(
                select(MERGES.c.survivor_id).where(MERGES.c.absorbed_id == identity_id)).scalar_one_or_none()
            if nxt is None:
                return current
            current = identity_id = nxt
        return current

    def absorbed_since(self, since: datetime) -> list[str]:
        """Ids merged away (and deleted) at or after `since`: what an index snapshot must forget."""
        query = select(MERGES.c.absorbed_id).where(MERGES.c.merged_at >= since).order_by(MERGES.c.absorbed_id)
        return list(self._session.execute(query).scalars())

    def delete_identity(self, identity_id: str) -> None:
        """Remove an absorbed identity (its survivor holds the person now)."""
        self._session.execute(IDENTITIES.delete().where(IDENTITIES.c.id == identity_id))

    def log_change(self, op: str, identity_id: str, other_id: str = "") -> None:
        self._session.execute(CHANGES.insert(), [{"op": op, "identity_id": identity_id, "other_id": other_id,
                                                  "changed_at": utc_now()}])

    def changes(self, identity_id: str) -> list[tuple[str, str, str]]:
        query = (select(CHANGES.c.op, CHANGES.c.identity_id, CHANGES.c.other_id)
                 .where((CHANGES.c.identity_id == identity_id) | (CHANGES.c.other_id == identity_id))
                 .order_by(CHANGES.c.id))
        return [tuple(row) for row in self._session.execute(query)]  # type: ignore[misc]

    # --- PostgreSQL bulk path ---------------------------------------------------------------------
    def copy_identities(self, identities: Iterable[PersonRecord]) -> int:
        """COPY sealed rows into a temporary table, then upsert them (rewriting only changed rows).

        Same result as `SqlIdentityRepository.add_many` (idempotent, returns how many were new or
        changed); PostgreSQL only.
        """
        if self._session.get_bind().dialect.name != "postgresql":
            raise NotImplementedError("COPY is a PostgreSQL path; use identities.add_many elsewhere")
        latest = {r.record_id: r for r in identities}
        if not latest:
            return 0
        now = utc_now()
        rows = [mapping.identity_values(self._crypto, record, now) for record in latest.values()]
        names = list(rows[0])
        columns = ", ".join(names)
        connection = self._session.connection()
        connection.execute(text(
            "CREATE TEMP TABLE IF NOT EXISTS identities_load (LIKE identities INCLUDING DEFAULTS) "
            "ON COMMIT DELETE ROWS"))
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY identities_load ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[name] for name in names])
        updates = ", ".join(f"{n} = EXCLUDED.{n}" for n in names if n != "id")
        result = connection.execute(text(
            f"INSERT INTO identities ({columns}) SELECT {columns} FROM identities_load "  # noqa: S608
            f"ON CONFLICT (id) DO UPDATE SET {updates} "
            "WHERE identities.fingerprint IS DISTINCT FROM EXCLUDED.fingerprint RETURNING id"))
        written = len(result.all())
        connection.execute(text("DELETE FROM identities_load"))
        return written

    def count_identities(self) -> int:
        return self._session.execute(select(func.count()).select_from(IDENTITIES)).scalar_one()
