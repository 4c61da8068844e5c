"""A start that maps the index snapshot and catches up with many identities written since snapshots
again, so the next start does not re-encode them all (both backends)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from adapters.store import Store
from linkage.bootstrap import load_matcher
from linkage.config import Settings
from linkage.engine import snapshot
from tests.store.test_store_repositories import person


def _add(store: Store, *ids: str) -> None:
    with store.unit_of_work() as uow:
        uow.identities.add_many([person(i, pid=f"0013010000{int(i[1:]):02d}") for i in ids])
        uow.commit()
    time.sleep(0.01)


def test_a_large_catch_up_writes_a_new_snapshot(store: Store, store_url: str, tmp_path: Path,
                                               caplog) -> None:
    settings = Settings(data_dir=tmp_path, db_url=store_url, snapshot_min_identities=3, snapshot_lag_s=0)
    _add(store, "P1", "P2", "P3")
    assert len(load_matcher(settings, store)) == 3  # rebuilt from the store, and snapshotted
    first = snapshot.read_info(settings.snapshot_dir)

    _add(store, "P4", "P5", "P6", "P7")  # an import since
    assert len(load_matcher(settings, store)) == 7
    second = snapshot.read_info(settings.snapshot_dir)
    assert second.path != first.path and second.watermark > first.watermark and second.identities == 7

    with caplog.at_level(logging.INFO, logger="linkage.bootstrap"):  # nothing since: no new snapshot
        assert len(load_matcher(settings, store)) == 7
    assert "0 written, 0 merged away" in caplog.text and "snapshot written" not in caplog.text
    assert snapshot.read_info(settings.snapshot_dir).path == second.path
