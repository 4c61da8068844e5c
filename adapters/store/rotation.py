"""Re-encryption after a key rotation: move every sealed value of the store onto the keyset's primary key.

`SEALED_TABLES` is the one registry of sealed columns: every table holding ciphertext, its sealed
columns, and the row identity its ciphertexts are bound to. The job walks exactly this list, and
`tests/security/test_rotation_registry.py` fails when a table of the metadata holds a sealed column (a
`key_id`, or a binary column) the registry lacks, so a new table cannot be left out of rotation quietly.

Resumable and safe under load:
- rows whose `key_id` already names the primary key are skipped in SQL (the checkpoint is the data
  itself), so an interrupted job is finished by running it again;
- each batch is one transaction; a row is rewritten only if it still holds the key id and ciphertexts
  that were read: a concurrent writer's newer value is never overwritten with an older one, and its row
  keeps decrypting (the old key stays in the keyset until retired);
- the job walks each table once in primary-key order, so it ends even while writers keep adding rows.

Values stored before their column was sealed (review reasons before migration 0006) carry the table's
`not_sealed_yet` key id: the job seals them. Running it with the current keyset (no new key) does just
that, and finishes an interrupted rotation.

Only after a run reports `remaining == 0` may an old key be retired (`Keyset.retire`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Column, Table, func, select, update

from adapters.store.crypto import source_row_id
from adapters.store.mapping import LINK_SEALED_FIELDS, PERSON_FIELDS
from adapters.store.review_tables import NOT_SEALED_YET, ReviewDecisionRow
from adapters.store.store import Store
from adapters.store.tables import IdentityRow, LinkRow, SourceRecordRow
from adapters.store.tracing_tables import AdoptionFileRow, ConsentRow, LifeEventRow, TraceRow
from linkage.security.keyset import Keyset, ReencryptStats, SealedValue, aad_for, reencrypt

DEFAULT_BATCH = 1_000
RowId = Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class SealedTable:
    """A table holding sealed values: its sealed columns and the row identity bound into them.

    The table's name is the table bound into each ciphertext (`aad_for(table.name, row_id, column)`),
    as the repositories seal them. Nullable sealed columns (a trace's package) may be NULL.
    """

    table: Table
    fields: tuple[str, ...]
    row_id: RowId
    not_sealed_yet: int | None = None  # key id of values stored in clear before the column was sealed

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def primary_key(self) -> Column[Any]:
        (column,) = self.table.primary_key.columns  # every sealed table has a one-column key
        return column


def _table(model: type) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def _by(column: str) -> RowId:
    return lambda row: str(row[column])


def _by_source_record(row: Mapping[str, Any]) -> str:
    return source_row_id(row["source"], row["record_id"])


SEALED_TABLES: tuple[SealedTable, ...] = (
    SealedTable(_table(IdentityRow), PERSON_FIELDS, _by("id")),
    SealedTable(_table(SourceRecordRow), PERSON_FIELDS, _by_source_record),
    SealedTable(_table(LinkRow), LINK_SEALED_FIELDS, _by_source_record),
    SealedTable(_table(TraceRow), ("request", "package"), _by("id")),
    SealedTable(_table(AdoptionFileRow), ("details",), _by("file_ref")),
    SealedTable(_table(LifeEventRow), ("event_date",), _by("id")),
    SealedTable(_table(ConsentRow), ("evidence_ref",), _by("id")),
    SealedTable(_table(ReviewDecisionRow), ("reason",), _by("id"), not_sealed_yet=NOT_SEALED_YET),
)


@dataclass
class RotationReport(ReencryptStats):
    """Values seen, skipped (already current) and rewritten, plus rows still under older keys."""

    rows_rewritten: int = 0
    rows_lost_to_writers: int = 0  # rewritten concurrently by a writer between read and update
    remaining: int = 0
    rows_by_table: dict[str, int] = field(default_factory=dict)  # rows rewritten, per table


def reencrypt_store(store: Store, keyset: Keyset, batch_size: int = DEFAULT_BATCH,
                    on_batch: Callable[[RotationReport], None] | None = None,
                    tables: tuple[SealedTable, ...] = SEALED_TABLES) -> RotationReport:
    """Re-encrypt every row not under `keyset`'s primary key; then make the store write under it too."""
    if store.crypto is not None:
        store.crypto.use(keyset)  # new writes from this process go under the new primary at once
    report = RotationReport()
    for sealed in tables:
        _count_current(store, sealed, keyset.primary_id, report)
        for _ in _batches(store, sealed, keyset, batch_size, report):
            if on_batch is not None:
                on_batch(report)
    report.remaining = sum(count_not_current(store, s, keyset.primary_id) for s in tables)
    return report


def count_not_current(store: Store, sealed: SealedTable, primary_id: int) -> int:
    """Rows of one sealed table whose values are not (all) under the primary key yet."""
    table = sealed.table
    with store.engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(table).where(table.c.key_id != primary_id)).scalar_one()


def _count_current(store: Store, sealed: SealedTable, primary_id: int, report: RotationReport) -> None:
    table = sealed.table
    with store.engine.connect() as connection:
        counts = connection.execute(select(*[func.count(table.c[f]) for f in sealed.fields])
                                    .where(table.c.key_id == primary_id)).one()
    current = sum(counts)
    report.seen += current
    report.skipped += current


def _batches(store: Store, sealed: SealedTable, keyset: Keyset, batch_size: int,
             report: RotationReport) -> Iterator[None]:
    """Rewrite the table's stale rows one batch (one transaction) at a time; yield after each."""
    table, key = sealed.table, sealed.primary_key
    last: Any = None
    while True:
        query = select(table).where(table.c.key_id != keyset.primary_id).order_by(key)
        if last is not None:
            query = query.where(key > last)
        with store.engine.begin() as connection:
            rows = connection.execute(query.limit(batch_size)).mappings().all()
            if not rows:
                return
            for row in rows:
                _rewrite(connection, sealed, row, keyset, report)
            last = rows[-1][key.name]
        yield


def _fresh_values(sealed: SealedTable, row: Mapping[str, Any], keyset: Keyset,
                  report: RotationReport) -> dict[str, bytes]:
    row_id = sealed.row_id(row)
    present = [f for f in sealed.fields if row[f] is not None]
    if sealed.not_sealed_yet is not None and row["key_id"] == sealed.not_sealed_yet:
        report.seen += len(present)
        report.rewritten += len(present)
        return {f: keyset.encrypt(bytes(row[f]).decode("utf-8"), aad_for(sealed.name, row_id, f))
                for f in present}
    values = [SealedValue(sealed.name, row_id, f, bytes(row[f])) for f in present]
    return {value.field: value.ciphertext for value in reencrypt(values, keyset, report)}


def _rewrite(connection: Any, sealed: SealedTable, row: Mapping[str, Any], keyset: Keyset,
             report: RotationReport) -> None:
    table, key = sealed.table, sealed.primary_key
    fresh = _fresh_values(sealed, row, keyset, report)
    unchanged = [table.c[f].is_(None) if row[f] is None else table.c[f] == bytes(row[f])
                 for f in sealed.fields]
    result = connection.execute(
        update(table).where(key == row[key.name], table.c.key_id == row["key_id"], *unchanged)
        .values(**fresh, key_id=keyset.primary_id))
    if result.rowcount == 1:
        report.rows_rewritten += 1
        report.rows_by_table[sealed.name] = report.rows_by_table.get(sealed.name, 0) + 1
    else:
        report.rows_lost_to_writers += 1
