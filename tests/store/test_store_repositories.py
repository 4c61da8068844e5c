"""Repositories and the unit of work, each test run on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import threading
import unicodedata
from dataclasses import replace

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from adapters.store import Store, mapping
from adapters.store.repositories import IDENTITIES, LINKS
from adapters.store.tables import utc_now
from linkage.domain import Candidate, Decision, MatchResult, PersonRecord, Sex
from linkage.errors import AlreadyExists


def person(record_id: str, name: str = "Nguyễn Thị Lan", **fields: object) -> PersonRecord:
    values: dict[str, object] = {
        "source": "population",
        "sex": Sex.FEMALE,
        "birth_date": "2001-05-03",
        "birth_place": "Hà Nội",
        "mother_name": "Trần Thị Hoa",
        "father_name": "Nguyễn Văn Minh",
        "pid": "",
    }
    values.update(fields)
    return PersonRecord(record_id=record_id, full_name=name, **values)  # type: ignore[arg-type]


def result(record_id: str, identity_id: str | None, decision: Decision = Decision.LINK,
           source: str = "child_registry", **fields: object) -> MatchResult:
    candidates = (Candidate(identity_id, f"pid-{identity_id}", 0.9991, 14.25),) if identity_id else ()
    values: dict[str, object] = {"model_version": "fs-1", "conflicts": ()}
    values.update(fields)
    return MatchResult(source, record_id, decision, candidates, **values)  # type: ignore[arg-type]


# --- identities --------------------------------------------------------------------------------------


def test_identities_are_added_read_back_and_counted(store: Store) -> None:
    people = [person("P1", pid="001301012345"), person("P2", "Lê Văn Hùng", sex=Sex.MALE), person("P3")]
    with store.unit_of_work() as uow:
        assert uow.identities.add_many(people) == 3
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.identities.count() == 3
        assert uow.identities.get("P1") == people[0]
        assert uow.identities.get("P2") == people[1]
        assert uow.identities.get("missing") is None
        assert uow.identities.get_by_pid("001301012345") == people[0]
        assert uow.identities.get_by_pid("") is None


def test_iter_all_pages_through_every_identity_in_id_order(store: Store) -> None:
    people = [person(f"P{i:03d}") for i in range(25)]
    with store.unit_of_work() as uow:
        uow.identities.add_many(reversed(people))
        uow.commit()
    with store.unit_of_work() as uow:
        assert list(uow.identities.iter_all(batch_size=7)) == people
        assert list(uow.identities.iter_all(batch_size=25)) == people


def test_add_many_is_idempotent_and_counts_only_real_changes(store: Store) -> None:
    people = [person(f"P{i}") for i in range(10)]
    with store.unit_of_work() as uow:
        assert uow.identities.add_many(people) == 10
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.identities.add_many(people) == 0
        changed = replace(people[3], birth_place="Hà Tây")
        assert uow.identities.add_many([*people[:3], changed, person("P10")]) == 2
        assert uow.identities.add_many([]) == 0
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.identities.count() == 11
        assert uow.identities.get("P3") == changed


def test_add_many_loads_batches_of_thousands(store: Store) -> None:
    """Bulk loading in batches keeps every row (its speed is measured by bench/store_load_bench.py)."""
    people = [person(f"P{i:06d}", f"Nguyễn Văn Số {i}", pid=f"{i:012d}") for i in range(20_000)]
    for start in range(0, len(people), 5_000):
        with store.unit_of_work() as uow:
            assert uow.identities.add_many(people[start:start + 5_000]) == 5_000
            uow.commit()
    with store.unit_of_work() as uow:
        assert uow.identities.count() == 20_000


def test_add_many_keeps_the_last_of_repeated_ids_in_one_batch(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert uow.identities.add_many([person("P1"), person("P1", "Lê Thị Lan")]) == 1
        uow.commit()
    with store.unit_of_work() as uow:
        stored = uow.identities.get("P1")
        assert stored is not None and stored.full_name == "Lê Thị Lan"


def test_add_many_touches_updated_at_only_on_change(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.identities.add_many([person("P1")])
        uow.commit()
    stamp = select(IDENTITIES.c.updated_at).where(IDENTITIES.c.id == "P1")
    with store.engine.connect() as connection:
        first = connection.execute(stamp).scalar_one()
    with store.unit_of_work() as uow:
        uow.identities.add_many([person("P1")])
        uow.commit()
    with store.engine.connect() as connection:
        assert connection.execute(stamp).scalar_one() == first
    assert first.tzinfo is not None


def test_a_personal_number_belongs_to_one_identity_only(store: Store) -> None:
    with store.unit_of_work() as uow:
        # Identities without a personal number never collide with each other.
        uow.identities.add_many([person("P1", pid="001301012345"), person("P2"), person("P3")])
        uow.commit()
    with store.unit_of_work() as uow, pytest.raises(AlreadyExists):
        uow.identities.add_many([person("P4", pid="001301012345")])
    with store.unit_of_work() as uow:
        assert uow.identities.count() == 3


def test_identity_ids_are_unique_in_the_table(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.identities.add_many([person("P1")])
        uow.commit()
    row = mapping.identity_values(store.crypto, person("P1", "x"), utc_now())
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(insert(IDENTITIES), [row])


# --- source records ---------------------------------------------------------------------------------


def test_source_records_are_upserted_by_source_and_id(store: Store) -> None:
    child = person("C-17", source="child_registry", recorded_on="2024-02-01", pid="")
    adoption = replace(child, source="adoption_file", full_name="Emily Lan Nguyen")
    with store.unit_of_work() as uow:
        uow.records.upsert(child)
        uow.records.upsert(adoption)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.records.get("child_registry", "C-17") == child
        assert uow.records.get("adoption_file", "C-17") == adoption
        assert uow.records.get("child_registry", "missing") is None
        corrected = replace(child, birth_date="2001-03-05")
        uow.records.upsert(corrected)
        uow.records.upsert(corrected)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.records.get("child_registry", "C-17") == corrected


def test_iter_all_pages_through_every_source_record_across_sources(store: Store) -> None:
    records = [person(f"R-{i:02d}", source=source, pid="")
               for source in ("adoption_file", "child_registry") for i in range(7)]
    with store.unit_of_work() as uow:
        for record in reversed(records):
            uow.records.upsert(record)
        uow.commit()
    with store.unit_of_work() as uow:
        assert list(uow.records.iter_all(batch_size=3)) == records


# --- links ------------------------------------------------------------------------------------------


def test_a_link_is_saved_read_back_and_replaced(store: Store) -> None:
    with store.unit_of_work() as uow:
        saved = uow.links.save(result("C-1", "P1", Decision.REVIEW, conflicts=("twin", "linked elsewhere")))
        uow.commit()
    assert saved.identity_id == "P1" and saved.pid == "pid-P1" and saved.decision is Decision.REVIEW
    assert saved.created_at
    with store.unit_of_work() as uow:
        assert uow.links.get("child_registry", "C-1") == saved
        assert saved.conflicts == ("twin", "linked elsewhere")
        assert (saved.probability, saved.weight, saved.model_version) == (0.9991, 14.25, "fs-1")
        replaced = uow.links.save(result("C-1", "P2", Decision.LINK, model_version="fs-2"))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.links.get("child_registry", "C-1") == replaced
        assert replaced.identity_id == "P2" and replaced.conflicts == ()
        assert uow.links.get("child_registry", "C-2") is None


def test_a_decision_without_candidates_is_kept(store: Store) -> None:
    with store.unit_of_work() as uow:
        saved = uow.links.save(result("C-9", None, Decision.NO_LINK))
        uow.commit()
    assert (saved.identity_id, saved.pid, saved.probability, saved.weight) == ("", "", 0.0, 0.0)
    with store.unit_of_work() as uow:
        assert uow.links.get("child_registry", "C-9") == saved


def test_linked_to_lists_the_current_links_of_one_identity(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.links.save(result("C-1", "P1"))
        uow.links.save(result("A-1", "P1", source="adoption_file"))
        uow.links.save(result("C-2", "P1", Decision.REVIEW))
        uow.links.save(result("C-3", "P2"))
        uow.links.save(result("C-4", "P1"))
        uow.links.save(result("C-4", "P3"))  # moved away from P1
        uow.commit()
    with store.unit_of_work() as uow:
        assert [(k.source, k.record_id) for k in uow.links.linked_to("P1")] == [
            ("adoption_file", "A-1"), ("child_registry", "C-1")]
        both = uow.links.linked_to("P1", decisions=(Decision.LINK, Decision.REVIEW))
        assert [k.record_id for k in both] == ["A-1", "C-1", "C-2"]
        assert uow.links.linked_to("nobody") == []


def test_links_are_unique_per_source_record(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.links.save(result("C-1", "P1"))
        uow.commit()
    row = mapping.link_values(store.crypto, result("C-1", "P9", model_version="x"), utc_now())
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(insert(LINKS), [row])


def test_a_conflict_containing_the_separator_is_refused(store: Store) -> None:
    with store.unit_of_work() as uow, pytest.raises(ValueError, match="conflict"):
        uow.links.save(result("C-1", "P1", conflicts=("a;b",)))


# --- unit of work -----------------------------------------------------------------------------------


def test_an_exception_inside_the_unit_of_work_leaves_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError, match="boom"), store.unit_of_work() as uow:
        uow.identities.add_many([person("P1")])
        uow.records.upsert(person("C-1", source="child_registry"))
        uow.links.save(result("C-1", "P1"))
        raise RuntimeError("boom")
    with store.unit_of_work() as uow:
        assert uow.identities.count() == 0
        assert uow.records.get("child_registry", "C-1") is None
        assert uow.links.get("child_registry", "C-1") is None


def test_nothing_is_kept_without_commit_and_commits_survive_later_errors(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.identities.add_many([person("P1")])
    with pytest.raises(RuntimeError), store.unit_of_work() as uow:
        uow.identities.add_many([person("P2")])
        uow.commit()
        uow.identities.add_many([person("P3")])
        raise RuntimeError("after the commit")
    with store.unit_of_work() as uow:
        assert [p.record_id for p in uow.identities.iter_all()] == ["P2"]


def test_explicit_rollback_discards_the_pending_work(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.identities.add_many([person("P1")])
        uow.rollback()
        uow.identities.add_many([person("P2")])
        uow.commit()
    with store.unit_of_work() as uow:
        assert [p.record_id for p in uow.identities.iter_all()] == ["P2"]


def test_the_unit_of_work_is_used_only_inside_with(store: Store) -> None:
    uow = store.unit_of_work()
    with pytest.raises(RuntimeError, match="inside"):
        uow.commit()
    with uow, pytest.raises(RuntimeError, match="already in use"), uow:
        pass
    with uow:  # reusable once the previous block has ended
        assert uow.identities.count() == 0


def test_concurrent_writers_all_succeed(store: Store) -> None:
    """Threads writing at once (the server's workers) wait for each other instead of failing."""
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for batch in range(5):
                with store.unit_of_work() as uow:
                    uow.identities.add_many([person(f"W{worker}-{batch}-{i}") for i in range(50)])
                    uow.records.upsert(person(f"C{worker}-{batch}", source="child_registry"))
                    uow.links.save(result(f"C{worker}-{batch}", f"W{worker}-{batch}-0"))
                    uow.commit()
        except BaseException as error:  # noqa: BLE001 - reported to the test thread below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with store.unit_of_work() as uow:
        assert uow.identities.count() == 4 * 5 * 50
        assert len(uow.links.linked_to("W3-4-0")) == 1


# --- model versions ---------------------------------------------------------------------------------


def test_model_versions_are_saved_read_and_the_latest_found(store: Store) -> None:
    params_1 = json.dumps({"m": {"name": [0.9, 0.1]}, "threshold": 0.95})
    params_2 = json.dumps({"m": {"name": [0.8, 0.2]}, "threshold": 0.9})
    with store.unit_of_work() as uow:
        assert uow.models.latest() is None
        uow.models.save("fs-1", params_1)
        uow.commit()
    with store.unit_of_work() as uow:
        uow.models.save("fs-2", params_2)
        uow.models.save("fs-1", params_1)  # same again: a no-op
        uow.commit()
    with store.unit_of_work() as uow:
        stored = uow.models.get("fs-1")
        assert stored is not None and stored.params_json == params_1 and stored.created_at.tzinfo
        latest = uow.models.latest()
        assert latest is not None and (latest.version, latest.params_json) == ("fs-2", params_2)
        assert uow.models.get("fs-3") is None


def test_a_model_version_never_changes_and_must_be_json(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.models.save("fs-1", "{}")
        with pytest.raises(AlreadyExists):
            uow.models.save("fs-1", '{"other": 1}')
        with pytest.raises(ValueError):
            uow.models.save("fs-2", "not json")


# --- Vietnamese text --------------------------------------------------------------------------------


def test_vietnamese_text_round_trips_byte_exact_in_nfc_and_nfd(store: Store) -> None:
    nfc = "Nguyễn Thị Hoà Đặng"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    minority = "H'Hen Niê"
    people = [person("NFC", nfc, birth_place="Thừa Thiên Huế"), person("NFD", nfd, mother_name=minority),
              person("MIX", "Vũ Văn Khoẻ", father_name=unicodedata.normalize("NFD", "Võ Văn Khỏe"))]
    record = person("C-1", nfd, source="child_registry", birth_date="khoảng 2 tháng tuổi")
    with store.unit_of_work() as uow:
        uow.identities.add_many(people)
        uow.records.upsert(record)
        uow.commit()
    with store.unit_of_work() as uow:
        for original in people:
            back = uow.identities.get(original.record_id)
            assert back is not None
            for field in ("full_name", "mother_name", "father_name", "birth_place"):
                assert getattr(back, field).encode() == getattr(original, field).encode()
        back_record = uow.records.get("child_registry", "C-1")
        assert back_record is not None and back_record.full_name.encode() == nfd.encode()
        # NFC and NFD of one name are different text as written: re-storing the other form is a change.
        assert uow.identities.add_many([replace(people[0], full_name=nfd)]) == 1
