"""Index snapshots: a round trip decides exactly as the matcher it was taken of, identities added after a
load are found (and written into the next snapshot), and a snapshot that does not fit is refused."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from linkage.domain import Sex
from linkage.engine import build_matcher, snapshot
from linkage.model import load_default_model
from linkage.synth.records import build_records
from tests.engine.conftest import HANDMADE, VY, person

WATERMARK = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def built(background):
    matcher = build_matcher()
    matcher.add_identities([*background[:1500], *HANDMADE])
    matcher.add_identities([dataclasses.replace(background[7], birth_date="2001-02-03")])  # a replacement
    return matcher


@pytest.fixture(scope="module")
def probes(background):
    from linkage.synth.population import generate_population

    pop = generate_population(1500, seed=97)
    records, _ = build_records(pop, 60, 5)
    return [*records, dataclasses.replace(VY, source="adoption_file", record_id="probe-vy")]


def _mapped(array: np.ndarray) -> bool:
    """Whether the array's memory is a memory map (the engine holds maps through plain views)."""
    while array is not None and not isinstance(array, np.memmap):
        array = array.base
    return array is not None


def decisions(matcher, records):
    return [(r.decision, [(c.identity_id, round(c.weight, 9)) for c in r.candidates], r.conflicts)
            for r in map(matcher.match, records)]


def test_a_round_trip_gives_identical_match_results(built, probes, tmp_path: Path) -> None:
    path = snapshot.save(built, tmp_path, watermark=WATERMARK, store="s1")
    loaded, info = snapshot.load(tmp_path, load_default_model(), store="s1")
    assert info.watermark == WATERMARK and info.identities == len(built) and info.path == path
    assert len(loaded) == len(built) and len(loaded.table) == len(built.table)
    assert _mapped(loaded.table.col("given"))  # mapped, not read into private memory
    assert decisions(loaded, probes) == decisions(built, probes)
    assert loaded.table.row_of[VY.record_id] == built.table.row_of[VY.record_id]
    assert loaded.table.identity_ids[built.table.row_of["HAND-KHAI"]] == "HAND-KHAI"
    assert sorted(loaded.table.row_of.values()) == sorted(built.table.row_of.values())


def test_identities_added_after_loading_are_found_and_kept_by_the_next_snapshot(built, tmp_path) -> None:
    snapshot.save(built, tmp_path / "a", watermark=WATERMARK)
    loaded, _ = snapshot.load(tmp_path / "a", load_default_model())
    newcomer = person("NEW-1", "Trịnh Thị Ngọc Hân", Sex.FEMALE, "2016-11-20", "Tỉnh Nghệ An",
                      "Lê Thị Thu", "Trịnh Văn Quý", "040316009876")
    moved = dataclasses.replace(VY, birth_place="Thành phố Hồ Chí Minh")
    loaded.add_identities([newcomer, moved])
    query = dataclasses.replace(newcomer, source="adoption_file", record_id="q1",
                                full_name="Tring Thi Ngoc Han")
    assert loaded.match(query).best.identity_id == "NEW-1"
    assert len(loaded) == len(built) + 1  # the moved identity replaced its row
    best = loaded.match(dataclasses.replace(VY, source="child_registry", record_id="q2")).best
    assert best.identity_id == VY.record_id
    assert loaded.table.row_of[VY.record_id] == len(loaded.table) - 1  # its new row answers
    path = snapshot.save(loaded, tmp_path / "b", watermark=WATERMARK)
    again, info = snapshot.load(tmp_path / "b", load_default_model())
    assert info.path == path and again.match(query).best.identity_id == "NEW-1"
    assert len(again) == len(loaded)


def test_removed_identities_stay_removed_across_a_snapshot(built, tmp_path) -> None:
    snapshot.save(built, tmp_path, watermark=WATERMARK)
    loaded, _ = snapshot.load(tmp_path, load_default_model())
    assert loaded.remove_identities(["HAND-KHANH", "no-such-id"]) == 1
    assert "HAND-KHANH" not in loaded.table.row_of and len(loaded) == len(built) - 1
    query = dataclasses.replace(HANDMADE[2], source="child_registry", record_id="q3")
    assert all(c.identity_id != "HAND-KHANH" for c in loaded.match(query).candidates)
    snapshot.save(loaded, tmp_path, watermark=WATERMARK)
    again, _ = snapshot.load(tmp_path, load_default_model())
    assert "HAND-KHANH" not in again.table.row_of and len(again) == len(built) - 1


def test_a_new_snapshot_replaces_the_current_one_atomically(built, tmp_path) -> None:
    first = snapshot.save(built, tmp_path, watermark=WATERMARK)
    second = snapshot.save(built, tmp_path, watermark=WATERMARK)
    assert (tmp_path / "current").resolve() == second and not first.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["current", second.name])


def test_a_corrupted_array_is_refused(built, tmp_path) -> None:
    path = snapshot.save(built, tmp_path, watermark=WATERMARK)
    target = path / "index_rows.npy"
    data = bytearray(target.read_bytes())
    data[-5] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(snapshot.SnapshotError, match="index_rows.npy is corrupted"):
        snapshot.load(tmp_path, load_default_model())


@pytest.mark.parametrize("damage, reason", [
    (lambda p: (p / "col_given.npy").unlink(), "col_given.npy is missing"),
    (lambda p: (p / "meta.json").write_text("{not json"), "unreadable meta.json"),
    (lambda p: _edit_meta(p, format=99), "format 99"),
    (lambda p: _edit_meta(p, code="other"), "other encoding code"),
    (lambda p: (p / "vocabularies.pickle").write_bytes(b"garbage"), "vocabularies.pickle is corrupted"),
])
def test_a_snapshot_that_does_not_fit_is_refused_with_the_reason(built, tmp_path, damage, reason) -> None:
    damage(snapshot.save(built, tmp_path, watermark=WATERMARK))
    with pytest.raises(snapshot.SnapshotError, match=reason):
        snapshot.load(tmp_path, load_default_model())


def test_a_snapshot_of_another_store_or_none_at_all_is_refused(built, tmp_path) -> None:
    with pytest.raises(snapshot.SnapshotMissing):
        snapshot.load(tmp_path, load_default_model())
    snapshot.save(built, tmp_path, watermark=WATERMARK, store=snapshot.store_key("sqlite:///a"))
    with pytest.raises(snapshot.SnapshotError, match="another store"):
        snapshot.load(tmp_path, load_default_model(), store=snapshot.store_key("sqlite:///b"))


def _edit_meta(path: Path, **changes) -> None:
    meta = json.loads((path / "meta.json").read_text())
    meta.update(changes)
    (path / "meta.json").write_text(json.dumps(meta))
