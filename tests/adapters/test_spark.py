"""The Spark batch against the in-process engine: same blocks, scores and decisions, record by record,
and `linkage link --engine spark` writes the store rows the in-process engine writes.

A real local Spark (two cores, JVM and Python workers); skipped only where pyspark is not installed.
"""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest

pytest.importorskip("pyspark")

from adapters.spark.batch import SparkBatch  # noqa: E402
from adapters.spark.session import start_session  # noqa: E402
from linkage.cli import main  # noqa: E402
from linkage.domain import MatchResult  # noqa: E402
from linkage.engine import build_matcher  # noqa: E402
from linkage.synth import synthetic_dataset  # noqa: E402
from tests.linking import assert_linked_as_one_process  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    session = start_session("local[2]", {"spark.sql.shuffle.partitions": "4", "spark.driver.memory": "1g"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def dataset():
    population, records, _ = synthetic_dataset(3_000, 1_000, seed=23)
    assert {r.source for r in records} == {"child_registry", "adoption_file", "abandoned_intake",
                                           "trace_request"}
    # a few identities corrected after loading: their old rows stay filed (and counted in block sizes)
    # but are dead, exactly what the index does online
    corrected = [replace(p, birth_place="Tỉnh Lâm Đồng") for p in population[:: 300]]
    return population, corrected, records


def _matcher(dataset, block_cap: int):
    population, corrected, _ = dataset
    matcher = build_matcher(block_cap=block_cap)
    matcher.add_identities(population)
    matcher.add_identities(corrected)  # a small batch: stays in the index's pending part
    assert matcher.remove_identities([p.record_id for p in population[7:: 500]])  # merged away: dead too
    return matcher


@pytest.fixture(scope="module")
def online(dataset):
    """The in-process matcher (default cap) and its results on every record."""
    matcher = _matcher(dataset, 500)
    return matcher, [matcher.match(record) for record in dataset[2]]


def _assert_same(spark, matcher, records, online_results, tmp_path) -> list[MatchResult]:
    rows = SparkBatch(spark, matcher, tmp_path).decide(records, keep_results=True).orderBy("idx").collect()
    assert len(rows) == len(records)
    for record, want, row in zip(records, online_results, rows, strict=True):
        best = want.best
        assert (row.source, row.record_id) == (record.source, record.record_id)
        assert row.decision == want.decision.value, record.record_id
        assert row.identity_id == (best.identity_id if best else None), record.record_id
        if best is not None:
            assert row.probability == pytest.approx(best.probability, abs=1e-9)
        assert row.conflicts == ",".join(want.conflicts)
        assert pickle.loads(row.result) == want  # candidates, explanations and all
    return online_results


def test_spark_decides_every_record_as_the_in_process_matcher(spark, dataset, online, tmp_path):
    matcher, results = online
    _assert_same(spark, matcher, dataset[2], results, tmp_path)
    assert {r.decision.value for r in results} == {"link", "review", "no_link"}  # every outcome met
    assert any(r.conflicts for r in results)


def test_spark_applies_the_index_block_cap(spark, dataset, online, tmp_path):
    records = dataset[2][:200]
    capped = _matcher(dataset, block_cap=12)
    results = _assert_same(spark, capped, records, [capped.match(r) for r in records], tmp_path)
    # the cap mattered: some records lost candidates they have under the default cap
    assert any(a.candidates != b.candidates for a, b in zip(results, online[1], strict=False))


def test_link_command_on_spark_writes_what_the_in_process_engine_writes(spark, tmp_path, monkeypatch):
    _, _, cases = assert_linked_as_one_process(tmp_path, monkeypatch, "--engine", "spark")
    assert any(cases.values())


def test_a_malformed_spark_setting_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="expected KEY=VALUE"):
        main(["link", str(tmp_path / "none.csv"), "--output", str(tmp_path / "o.csv"), "--engine", "spark",
              "--spark-conf", "spark.driver.memory", "--data-dir", str(tmp_path / "data")])
