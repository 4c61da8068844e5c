"""The written output: files, columns, manifest; and the timing target."""

from __future__ import annotations

import csv
import dataclasses
import json

import pytest

from linkage.domain import PersonRecord
from linkage.synth import generate, synthetic_dataset


def _read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_generate_writes_consistent_files(tmp_path):
    manifest = generate(tmp_path, population=3000, records=400, seed=9)
    fields = [f.name for f in dataclasses.fields(PersonRecord)]
    population, records, truth = (_read(tmp_path / f) for f in ("population.csv", "records.csv", "truth.csv"))
    assert list(population[0]) == fields and list(records[0]) == fields
    assert list(truth[0]) == ["source", "record_id", "identity_id", "kind", "channel", "corruptions"]
    assert len(population) == 3000 and len(records) == len(truth) == 400
    assert {r["source"] for r in population} == {"population"}
    ids = {r["record_id"] for r in population}
    assert all(t["identity_id"] in ids for t in truth if t["identity_id"])
    assert [(r["source"], r["record_id"]) for r in records] == [(t["source"], t["record_id"]) for t in truth]
    on_disk = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["counts"] == manifest["counts"] and on_disk["seed"] == 9
    assert manifest["counts"]["no_true_match"] == sum(1 for t in truth if not t["identity_id"])
    applied = manifest["corruptions_applied_by_source"]["trace_request"]
    assert applied["strip_diacritics"] == sum("strip_diacritics" in t["corruptions"].split(";")
                                              for t in truth if t["source"] == "trace_request")


def test_same_seed_same_bytes(tmp_path):
    generate(tmp_path / "a", 2000, 200, seed=4)
    generate(tmp_path / "b", 2000, 200, seed=4)
    for name in ("population.csv", "records.csv", "truth.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_in_memory_helper():
    population, records, truth = synthetic_dataset(2000, 300, seed=1)
    assert len(population) == 2000 and len(records) == 300
    assert set(truth) == {(r.source, r.record_id) for r in records}
    assert {v for v in truth.values() if v} <= {p.record_id for p in population}


@pytest.mark.slow
def test_hundred_thousand_identities_and_five_thousand_records(tmp_path):
    """The benchmark's size generates whole (its time is printed by `linkage synth`, not asserted)."""
    manifest = generate(tmp_path, population=100_000, records=5_000, seed=7)
    assert manifest["counts"]["population"] == 100_000 and manifest["counts"]["records"] == 5_000
