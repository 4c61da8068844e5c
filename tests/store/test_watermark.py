"""The change marker an index snapshot catches up from: identities written, and merged away, after a
watermark (both backends), read through the `updated_at` / `merged_at` indexes of migration 0007."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import inspect

from adapters.store import Store
from adapters.store.tables import utc_now
from tests.store.test_store_repositories import person


def test_identities_written_after_the_watermark_are_listed_and_no_others(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.identities.add_many([person("P1"), person("P2"), person("P3")])
        uow.commit()
    time.sleep(0.01)
    watermark = utc_now()
    time.sleep(0.01)
    with store.unit_of_work() as uow:
        uow.identities.add_many([replace(person("P2"), birth_place="Tỉnh Nghệ An"), person("P4"),
                                 person("P3")])  # P3 unchanged: not rewritten, not listed
        uow.commit()
    with store.unit_of_work() as uow:
        changed = list(uow.identities.iter_updated_since(watermark, batch_size=1))
        assert [p.record_id for p in changed] == ["P2", "P4"]
        assert changed[0].birth_place == "Tỉnh Nghệ An"  # opened, as iter_all gives them
        assert list(uow.identities.iter_updated_since(utc_now() + timedelta(seconds=1))) == []
        assert len(list(uow.identities.iter_updated_since(watermark - timedelta(days=1)))) == 4


def test_merges_after_the_watermark_name_the_absorbed_identities(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.identities.add_many([person("A"), person("B"), person("C")])
        uow.imports.record_merge("A", "C")
        uow.commit()
    time.sleep(0.01)
    watermark = utc_now()
    with store.unit_of_work() as uow:
        uow.imports.record_merge("B", "C")
        uow.imports.delete_identity("B")
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.imports.absorbed_since(watermark) == ["B"]
        assert uow.imports.absorbed_since(watermark - timedelta(days=1)) == ["A", "B"]


def test_migration_0007_indexes_the_change_markers(store: Store) -> None:
    inspector = inspect(store.engine)
    assert {"ix_identities_updated_at"} <= {i["name"] for i in inspector.get_indexes("identities")}
    assert {"ix_identity_merges_merged_at"} <= {i["name"] for i in inspector.get_indexes("identity_merges")}
