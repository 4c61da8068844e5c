"""Checkpointed imports: killed imports resume to exactly a clean import; change files apply upserts,
deaths, merges and personal-number changes, and re-check the links that depended on them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from adapters.sources.files import open_source
from adapters.sources.layout import load_layout
from adapters.store import Store
from linkage.domain import PersonRecord, Sex
from linkage.engine.simple import SimpleMatcher
from linkage.services.importing import apply_changes, import_source
from linkage.services.linking import match_record

ROOT = Path(__file__).resolve().parents[2]


def _kill_test_module():
    spec = importlib.util.spec_from_file_location("kill_test", ROOT / "bench" / "kill_test.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["kill_test"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_killed_import_resumes_to_exactly_a_clean_import(backend: str, tmp_path: Path, request) -> None:
    if backend == "postgresql":
        request.getfixturevalue("postgres_database")
    result = _kill_test_module().kill_test(20_000, backend, kills=3, scratch=tmp_path, batch_size=2_000,
                                           log=lambda *_: None)
    assert result["clean"][0] == 20_000
    assert result["kills_mid_import"] >= 1, result  # at least one SIGKILL landed while importing
    assert result["equal"], result
    assert "already imported; nothing changed" in result["rerun"]


def _csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_rerun_of_a_finished_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "p.csv", "record_id,full_name,sex,birth_date",
                [f"P{i},Nguyen Van {chr(65 + i % 26)},M,1990-01-0{1 + i % 9}" for i in range(50)])
    source = open_source(path, load_layout("population_csv"))
    first = import_source(source, store.unit_of_work, batch_size=8)
    again = import_source(source, store.unit_of_work, batch_size=8)
    assert (first.written, first.already_done) == (50, False)
    assert again.already_done and again.written == 50
    restarted = import_source(source, store.unit_of_work, batch_size=8, restart=True)
    assert restarted.read == 50 and restarted.written == 0  # replayed: every upsert was a no-op


def test_change_file_upsert_death_merge_pid_change(store: Store, tmp_path: Path) -> None:
    population = _csv(tmp_path / "pop.csv", "record_id,full_name,sex,birth_date,pid", [
        "A,Nguyen Thi Lan,F,1990-05-03,001190012345",
        "B,Nguyen Thi Lan,F,1990-05-03,",
        "C,Tran Van Binh,M,1985-01-01,001085000001",
    ])
    uow = store.unit_of_work
    import_source(open_source(population, load_layout("population_csv")), uow)
    matcher = SimpleMatcher()
    with uow() as u:
        matcher.add_identities(u.identities.iter_all())
    linked = match_record(PersonRecord("child_registry", "R1", "Nguyen Thi Lan", Sex.FEMALE, "1990-05-03"),
                          matcher, uow())
    changes = _csv(tmp_path / "changes.csv",
        "op,identity_id,full_name,sex,birth_date,other_id,date,old_pid,new_pid", [
        "upsert,D,Le Van Cuong,M,2000-02-02,,,,",
        "death,C,,,,,2020-03-04,,",
        f"merge,A,,,,{linked.best.identity_id if linked.best.identity_id == 'B' else 'B'},,,",
        "pid_change,C,,,,,,001085000001,001085000002",
        "death,Z,,,,,2020-03-04,,",            # unknown identity
        "death,C,,,,,1970-01-01,,",            # before birth
        "pid_change,A,,,,,,,0010",             # bad structure
        "merge,A,,,,A,,,",                     # into itself
        "rename,A,,,,,,,",                     # unknown op
    ])
    report = apply_changes(open_source(changes, load_layout("population_changes_csv")), uow, matcher)
    reasons = dict(report.rejected)
    assert set(reasons) == {6, 7, 8, 9, 10}
    assert "no such identity" in reasons[6] and "before the date of birth" in reasons[7]
    assert "new_pid" in reasons[8] and "itself" in reasons[9] and "unknown operation" in reasons[10]
    with uow() as u:
        assert u.identities.get("D").full_name == "Le Van Cuong"
        deaths = [e.event_date for e in u.adoption_files.life_events("C") if e.kind == "death"]
        assert deaths == ["2020-03-04"]
        assert u.identities.get("B") is None and u.imports.survivor_of("B") == "A"
        assert u.identities.get("C").pid == "001085000002"
        # The record once linked to B (or A) is linked to the survivor A now.
        assert u.links.get("child_registry", "R1").identity_id == "A"
        assert [op for op, *_ in u.imports.changes("C")] == ["death", "pid_change"]
    assert report.rechecked >= 1
    # Applying the same file again is recognised and changes nothing.
    again = apply_changes(open_source(changes, load_layout("population_changes_csv")), uow, matcher)
    assert again.already_done
