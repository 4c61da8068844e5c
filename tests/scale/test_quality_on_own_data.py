"""bench.quality on labelled data of one's own, in `linkage synth`'s layout."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from bench import quality
from linkage.synth.generate import generate


def test_the_benchmark_reads_a_folder_and_scores_it_with_a_minimal_truth(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "pilot"
    generate(data, population=1500, records=80, seed=4)
    # truth of the kind a steward's sample gives: who each record is, nothing about how it was damaged
    with open(data / "truth.csv", encoding="utf-8", newline="") as handle:
        rows = [{k: row[k] for k in ("source", "record_id", "identity_id")} for row in csv.DictReader(handle)]
    with open(data / "truth.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["source", "record_id", "identity_id"])
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(quality, "OUT_DIR", tmp_path / "out")

    assert quality.main(["--data", str(data), "--skip-baseline", "--default-model"]) == 0

    report = json.loads((tmp_path / "out" / "quality-data-pilot.json").read_text())
    overall = report["results"]["engine"]["all"]
    matched = sum(1 for row in rows if row["identity_id"])
    assert overall["pair_completeness"] > 0.9 and overall["f1"] > 0.8, overall
    # as production decides it: the store's already-linked check can only send links to review
    checked = report["results"]["engine_store_checked"]["all"]
    assert checked["op_recall"] <= overall["op_recall"]
    population, records, truth = quality.load(data)
    assert len(population) == 1500 and len(records) == 80
    assert sum(t.identity_id is not None for t in truth) == matched


def test_the_benchmark_reads_headers_named_as_registers_name_them(tmp_path: Path) -> None:
    """An export names its columns its own way ("ID", "Họ và tên", "Date of Birth"): read as the fields
    they are, as `linkage import` reads them (`adapters.csv_io.ALIASES`); they were read as no field."""
    data = tmp_path / "pilot"
    generate(data, population=200, records=20, seed=4)
    renamed = {"record_id": "ID", "full_name": "Họ và tên", "birth_date": "Date of Birth", "sex": "Gender"}
    for name in ("population.csv", "records.csv"):
        lines = (data / name).read_text(encoding="utf-8").splitlines()
        lines[0] = ",".join(renamed.get(h, h) for h in lines[0].split(","))
        (data / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    population, records, truth = quality.load(data)
    assert len(population) == 200 and len(records) == 20
    assert all(p.record_id and p.full_name and p.birth_date for p in population)
    assert {p.sex.value for p in population} <= {"M", "F"} and len({p.sex for p in population}) == 2


def test_a_sex_no_table_knows_leaves_the_sex_unknown_and_the_measurement_goes_on(tmp_path: Path) -> None:
    data = tmp_path / "pilot"
    generate(data, population=200, records=20, seed=4)
    lines = (data / "records.csv").read_text(encoding="utf-8").splitlines()
    sex = lines[0].split(",").index("sex")
    first = next(csv.reader([lines[1]]))
    first[sex] = "N"  # nam or nữ: no one can tell
    lines[1] = ",".join(f'"{value}"' for value in first)
    (data / "records.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, records, _ = quality.load(data)
    assert len(records) == 20 and records[0].sex.value == "U"


def test_a_truth_that_names_no_source_is_read_by_record_id(tmp_path: Path) -> None:
    """A steward's sample may say only which record is whom ("record_id,identity_id"): the benchmark
    stopped at the missing source."""
    data = tmp_path / "pilot"
    generate(data, population=200, records=20, seed=4)
    with open(data / "truth.csv", encoding="utf-8", newline="") as handle:
        rows = [{k: row[k] for k in ("record_id", "identity_id")} for row in csv.DictReader(handle)]
    with open(data / "truth.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["record_id", "identity_id"])
        writer.writeheader()
        writer.writerows(rows)
    _, records, truth = quality.load(data)
    assert [t.record_id for t in truth] == [r.record_id for r in records]
    expected = {row["record_id"]: row["identity_id"] for row in rows}
    assert {t.record_id: t.identity_id or "" for t in truth} == expected
