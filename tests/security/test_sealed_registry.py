"""Key rotation cannot forget a table: every sealed column of the store's metadata is in the registry
that `reencrypt_store` walks (`adapters.store.rotation.SEALED_TABLES`), and nothing else is.

A column is taken as sealed when it is binary (`LargeBinary`: the store keeps ciphertext nowhere else)
or when its table carries a `key_id`. The check is a function, tried here on a made-up table too, so the
test is seen to fail on exactly the mistake it guards against.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import BigInteger, Column, Integer, LargeBinary, MetaData, String, Table

import adapters.store
from adapters.store.rotation import SEALED_TABLES, SealedTable
from adapters.store.tables import Base


def _load_every_table_module() -> None:
    """Import every module of the store package, so tables defined anywhere in it are in the metadata."""
    for module in pkgutil.iter_modules(adapters.store.__path__):
        if module.name != "migrations":
            importlib.import_module(f"adapters.store.{module.name}")


def sealed_columns(metadata: MetaData) -> dict[str, set[str]]:
    """Table -> its sealed columns, as the schema shows them; tables with a `key_id` are listed even
    when they show no binary column (so the registry is asked about them)."""
    found: dict[str, set[str]] = {}
    for table in metadata.tables.values():
        binary = {c.name for c in table.columns if isinstance(c.type, LargeBinary)}
        if binary or "key_id" in table.columns:
            found[table.name] = binary
    return found


def registry_problems(metadata: MetaData, registry: tuple[SealedTable, ...]) -> list[str]:
    """What the registry misses or names wrongly, in words; empty when it matches the schema."""
    problems: list[str] = []
    registered = {s.name: set(s.fields) for s in registry}
    for table, columns in sorted(sealed_columns(metadata).items()):
        if table not in registered:
            problems.append(f"{table}: sealed columns {sorted(columns)} are not rotated")
        elif columns != registered[table]:
            problems.append(f"{table}: registry has {sorted(registered[table])}, schema {sorted(columns)}")
    for sealed in registry:
        if sealed.name not in metadata.tables:
            problems.append(f"{sealed.name}: registered but not in the schema")
        elif "key_id" not in sealed.table.columns:
            problems.append(f"{sealed.name}: no key_id, so rotation cannot find its stale rows")
    return problems


def test_every_sealed_column_of_every_table_is_rotated() -> None:
    _load_every_table_module()
    assert registry_problems(Base.metadata, SEALED_TABLES) == []
    assert len(sealed_columns(Base.metadata)) == len(SEALED_TABLES) >= 8
    assert {"review_decisions", "trace_requests", "consents", "adoption_files", "life_events"} <= {
        s.name for s in SEALED_TABLES}


def test_a_new_table_with_a_sealed_column_is_reported() -> None:
    _load_every_table_module()
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("sibling_letters", metadata, Column("id", Integer, primary_key=True),
          Column("letter", LargeBinary), Column("key_id", BigInteger))
    Table("notes_with_key", metadata, Column("id", Integer, primary_key=True), Column("note", String(10)),
          Column("key_id", BigInteger))
    problems = registry_problems(metadata, SEALED_TABLES)
    assert problems == ["notes_with_key: sealed columns [] are not rotated",
                        "sibling_letters: sealed columns ['letter'] are not rotated"]


def test_a_sealed_column_missing_from_a_registered_table_is_reported() -> None:
    _load_every_table_module()
    partial = tuple(SealedTable(s.table, s.fields[:1], s.row_id) if s.name == "trace_requests" else s
                    for s in SEALED_TABLES)
    assert registry_problems(Base.metadata, partial) == [
        "trace_requests: registry has ['request'], schema ['package', 'request']"]
