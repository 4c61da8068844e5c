"""The scale bench's parts on a small synthetic population: memory accounting, latency through the real
server, batch outcomes, Splink's input and run. Small enough to keep the whole folder fast."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.scale import run_batch, seconds_since_process_start
from bench.scale_client import read_requests, write_requests
from bench.scale_latency import measure, percentiles, serve_matcher, wait_serving
from bench.scale_memory import engine_parts, footprint, rss_mb
from bench.scale_splink import fold, frame
from linkage.api import client, convert
from linkage.engine.matcher import FellegiSunterMatcher
from linkage.model import load_default_model
from linkage.synth.population import generate_population
from linkage.synth.records import build_records
from linkage.v1 import linkage_service_pb2 as pb
from linkage.validation import validate_record

POPULATION = 1500


@pytest.fixture(scope="module")
def world():
    pop = generate_population(POPULATION, 11)
    records, truth = build_records(pop, 120, 12)
    matcher = FellegiSunterMatcher(load_default_model())
    matcher.add_identities(pop.records())
    return pop, records, truth, matcher


def test_footprint_counts_the_numpy_arrays_exactly_and_names_the_python_parts(world) -> None:
    _, _, _, matcher = world
    fp = footprint(matcher, POPULATION)
    arrays = (matcher.table.nbytes() + matcher.index.nbytes() + matcher._alive.nbytes()
              + matcher.table.ids.array_nbytes())
    assert fp["numpy_bytes_per_identity"] == pytest.approx(arrays / POPULATION)
    assert fp["index_keys_per_identity"] == pytest.approx(len(matcher.index) / POPULATION)
    python = {p.name for p in engine_parts(matcher) if p.python_objects}
    assert "vocabularies (names, dates, places)" in python
    # ids are a bytes array and an int32 order now: no str and no dict slot per identity
    width = matcher.table.ids.array_nbytes() / len(matcher.table)
    assert fp["parts"]["identity ids (numpy bytes + order)"]["bytes_per_identity"] == pytest.approx(width)
    assert width < 20
    assert fp["total_bytes_per_identity"] > fp["numpy_bytes_per_identity"]


def test_rss_and_process_age_are_read_from_proc() -> None:
    current, peak = rss_mb()
    assert 0 < current <= peak
    assert 0 < seconds_since_process_start() < 24 * 3600


def test_percentiles_of_known_latencies() -> None:
    figures = percentiles(list(range(1, 101)))
    assert figures["p50_ms"] == pytest.approx(50.5)
    assert figures["p99_ms"] == pytest.approx(99.01)
    assert figures["max_ms"] == 100
    assert np.isnan(percentiles([])["p50_ms"])


def test_request_file_round_trips(tmp_path: Path, world) -> None:
    _, records, _, _ = world
    requests = [pb.MatchRecordRequest(record=convert.record_to_message(r)) for r in records[:5]]
    assert write_requests(tmp_path / "r.bin", requests) == 5
    assert read_requests(tmp_path / "r.bin") == requests


def test_latency_is_measured_on_the_real_server_which_decides_as_in_process(tmp_path: Path, world) -> None:
    _, records, _, matcher = world
    valid = [r for r in records if not validate_record(r)]
    with serve_matcher(matcher, tmp_path) as served:
        assert wait_serving(served.address) >= 0
        run = measure(served, records[:40], clients=2, warmup=0)
        assert run["calls"] == 40 and run["measured"] + run["errors"] == 40
        assert set(run["error_codes"]) <= {"INVALID_ARGUMENT"}
        assert run["errors"] == 40 - sum(1 for r in records[:40] if not validate_record(r))
        assert 0 < run["p50_ms"] <= run["p99_ms"] <= run["max_ms"]
        assert run["engine_p50_ms"] <= run["p50_ms"]  # the engine's share is part of the call
        # the served path decides as the in-process engine does (ISO-dated records travel unchanged)
        for record in [r for r in valid[40:] if len(r.birth_date) == 10][:5]:
            remote = client.match(served.address, record, token=served.token)
            local = matcher.match(record)
            assert remote.decision == local.decision
            assert (remote.best and remote.best.identity_id) == (local.best and local.best.identity_id)
    assert matcher.conflict_checker is None  # the store's check is removed after serving


def test_batch_reports_quality_against_the_truth(world) -> None:
    _, records, truth, matcher = world
    outcomes, info = run_batch(matcher, records, truth)
    assert len(outcomes.truth) == len(records) and info["records_per_s"] > 0
    correct = sum(1 for t, p in zip(outcomes.truth, outcomes.predicted, strict=True) if t and t == p)
    assert correct > 0.6 * sum(1 for t in outcomes.truth if t)


def test_splink_input_is_folded_and_split_as_its_users_would() -> None:
    assert fold("Đặng Thị Hoà") == "dang thi hoa"
    assert fold("  H'Hen  Niê ") == "h hen nie"
    assert fold("") is None
    pop = generate_population(50, 3)
    table = frame(pop.records(), "p:")
    assert table["unique_id"].str.startswith("p:").all()
    first = table.iloc[0]
    assert first["surname"] == fold(pop.full_name[0]).split()[0]
    assert first["dob"] == str(pop.birth[0])


@pytest.mark.slow
def test_splink_links_a_small_population() -> None:
    pytest.importorskip("splink", reason="the scale benchmark's baseline: pip install -e '.[bench]'")
    from bench.scale_splink import link

    pop = generate_population(4000, 5)  # EM needs a few hundred records: on fewer, Splink's m underflows
    records, truth = build_records(pop, 600, 6)
    pairs, timings = link(frame(pop.records(), "p:"), frame(records, "r:"), u_max_pairs=2e5)
    assert timings["seconds"] > 0 and len(pairs) > 0
    best = pairs.sort_values("p", ascending=False).drop_duplicates("record").set_index("record")
    known = {t.record_id: t.identity_id for t in truth}
    right = sum(1 for record, row in best.iterrows() if row.p >= 0.5 and known.get(record) == row.identity)
    assert right > 0.5 * sum(1 for v in known.values() if v)


def test_a_snapshot_decides_identically(tmp_path: Path, world) -> None:
    from bench.scale_snapshot import load, save

    _, records, _, matcher = world
    assert save(matcher, tmp_path / "snap")["snapshot_mb"] > 0
    restored = load(tmp_path / "snap")
    for record in records[:30]:
        a, b = matcher.match(record), restored.match(record)
        assert (a.decision, [c.identity_id for c in a.candidates]) == \
            (b.decision, [c.identity_id for c in b.candidates])


def test_restart_from_a_snapshot_is_timed_to_a_serving_process(tmp_path: Path, world) -> None:
    from bench.scale_snapshot import save, time_restart

    save(world[3], tmp_path / "snap")
    assert 0 < time_restart(tmp_path / "snap", timeout_s=120)["process_start_to_serving_s"] < 120
