"""Re-encryption after a key rotation: move every sealed value of the store onto the keyset's primary key.

Resumable and safe under load:
- rows whose `key_id` already names the primary key are skipped in SQL (the checkpoint is the data
  itself), so an interrupted job is finished by running it again;
- each batch is one transaction; a row is rewritten only if it still holds the ciphertext that was read
  (`WHERE ... AND full_name = <old ciphertext>`): a concurrent writer's newer value is never overwritten
  with an older one, and its row keeps decrypting (the old key stays in the keyset until retired);
- the job walks each table once in primary-key order, so it ends even while writers keep adding rows.

Only after a run reports `remaining == 0` may an old key be retired (`Keyset.retire`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, select, update

from adapters.store.crypto import IDENTITIES, LINKS, SOURCE_RECORDS, source_row_id
from adapters.store.mapping import LINK_SEALED_FIELDS, PERSON_FIELDS
from adapters.store.store import Store
from adapters.store.tables import IdentityRow, LinkRow, SourceRecordRow
from linkage.security.keyset import Keyset, ReencryptStats, SealedValue, reencrypt

DEFAULT_BATCH = 1_000


@dataclass(frozen=True)
class _SealedTable:
    table: Table
    name: str
    fields: tuple[str, ...]
    row_id: Callable[[Any], str]


_TABLES = (
    _SealedTable(cast(Table, IdentityRow.__table__), IDENTITIES, PERSON_FIELDS, lambda row: row["id"]),
    _SealedTable(cast(Table, SourceRecordRow.__table__), SOURCE_RECORDS, PERSON_FIELDS,
                 lambda row: source_row_id(row["source"], row["record_id"])),
    _SealedTable(cast(Table, LinkRow.__table__), LINKS, LINK_SEALED_FIELDS,
                 lambda row: source_row_id(row["source"], row["record_id"])),
)


@dataclass
class RotationReport(ReencryptStats):
    """Values seen, skipped (already current) and rewritten, plus rows still under older keys."""

    rows_rewritten: int = 0
    rows_lost_to_writers: int = 0  # rewritten concurrently by a writer between read and update
    remaining: int = 0


def reencrypt_store(store: Store, keyset: Keyset, batch_size: int = DEFAULT_BATCH,
                    on_batch: Callable[[RotationReport], None] | None = None) -> RotationReport:
    """Re-encrypt every row not under `keyset`'s primary key; then make the store write under it too."""
    if store.crypto is not None:
        store.crypto.use(keyset)  # new writes from this process go under the new primary at once
    report = RotationReport()
    primary = keyset.primary_id
    for sealed in _TABLES:
        table = sealed.table
        with store.engine.connect() as connection:
            current = connection.execute(
                select(func.count()).select_from(table).where(table.c.key_id == primary)).scalar_one()
        report.seen += current * len(sealed.fields)
        report.skipped += current * len(sealed.fields)
        last_id: Any = None
        while True:
            query = select(table.c.id, table.c.key_id, *[table.c[f] for f in sealed.fields],
                           *_row_id_columns(sealed)).where(table.c.key_id != primary).order_by(table.c.id)
            if last_id is not None:
                query = query.where(table.c.id > last_id)
            with store.engine.begin() as connection:
                rows = connection.execute(query.limit(batch_size)).mappings().all()
                if not rows:
                    break
                for row in rows:
                    _rewrite(connection, sealed, row, keyset, report)
                last_id = rows[-1]["id"]
            if on_batch is not None:
                on_batch(report)
    with store.engine.connect() as connection:
        report.remaining = sum(connection.execute(
            select(func.count()).select_from(s.table).where(s.table.c.key_id != primary)).scalar_one()
            for s in _TABLES)
    return report


def _row_id_columns(sealed: _SealedTable) -> list[Any]:
    return [sealed.table.c.source, sealed.table.c.record_id] if sealed.name != IDENTITIES else []


def _rewrite(connection: Any, sealed: _SealedTable, row: Any, keyset: Keyset, report: RotationReport) -> None:
    row_id = sealed.row_id(row)
    values = [SealedValue(sealed.name, row_id, f, bytes(row[f])) for f in sealed.fields]
    fresh = {value.field: value.ciphertext for value in reencrypt(values, keyset, report)}
    first = sealed.fields[0]
    result = connection.execute(
        update(sealed.table)
        .where(sealed.table.c.id == row["id"], sealed.table.c[first] == bytes(row[first]))
        .values(**fresh, key_id=keyset.primary_id))
    if result.rowcount == 1:
        report.rows_rewritten += 1
    else:
        report.rows_lost_to_writers += 1
