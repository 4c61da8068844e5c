"""Encryption at rest, on SQLite and PostgreSQL: the raw tables (every one: records, links, review, tracing,
consent) hold no personal field in clear, and a key rotation with re-encryption, interrupted or under
concurrent writes, loses nothing and leaves every row of every table readable once the old key is gone."""

from __future__ import annotations

import threading
import unicodedata
from datetime import UTC, date, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, select, text, update

from adapters.store import Store, StoreCrypto
from adapters.store.repositories import IDENTITIES
from adapters.store.rotation import SEALED_TABLES, reencrypt_store
from adapters.store.store import alembic_config
from linkage.consent.model import ConsentChoice, ConsentRecord, ConsentScope, SubjectKind
from linkage.domain import Candidate, Decision, MatchResult, PersonRecord, Sex
from linkage.engine.simple import SimpleMatcher
from linkage.review.model import CaseCandidate, Outcome, ReviewCase, ReviewDecision
from linkage.security.errors import DecryptionError
from linkage.security.keyset import Keyset, aad_for
from linkage.tracing.model import (
    AdopteeRequest,
    AdoptionFile,
    DisclosedField,
    LifeEvent,
    LinkStatus,
    Package,
    Subject,
    Trace,
    TraceEvent,
    TraceState,
    Withheld,
)

SECRETS = ("Nguyễn Thị Lan", "Trần Thị Hoa", "Nguyễn Văn Minh", "Hà Nội", "2001-05-03", "001301012345",
           "Lò Thị Xuân", "Đinh Văn Sáng", "Ninh Bình", "037302009999", "2024-02-01",
           # typed by officers and stewards into tracing, consent and review (all invented)
           "Anna Lindqvist", "Phạm Thị Gấm", "Vũ Văn Khoa", "Bùi Thị Nụ", "1998-07-14")
NOW = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)


def people() -> list[PersonRecord]:
    return [
        PersonRecord("population", "P1", "Nguyễn Thị Lan", Sex.FEMALE, "2001-05-03", "Hà Nội",
                     "Trần Thị Hoa", "Nguyễn Văn Minh", "001301012345"),
        PersonRecord("population", "P2", "Đinh Thị Mơ", Sex.FEMALE, "2002-02-02", "Ninh Bình",
                     "Lò Thị Xuân", "Đinh Văn Sáng", "037302009999"),
    ]


def _dump(store: Store) -> str:
    """Every cell of every table, as text and as the UTF-8 its bytes would decode to."""
    cells: list[str] = []
    with store.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608 - our table names
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        cells.append(bytes(value).decode("utf-8", "replace"))
                    cells.append(str(value))
    return "\n".join(cells)


CHILD = PersonRecord("child_registry", "C-1", "Nguyễn Thị Lan", Sex.FEMALE, "2001-05-03", "Hà Nội",
                     "Trần Thị Hoa", "Nguyễn Văn Minh", "001301012345", recorded_on="2024-02-01")
REQUEST = AdopteeRequest("Anna Lindqvist", "Nguyễn Thị Lan", "2001-05-03", "Hà Nội", "F", "Trần Thị Hoa",
                         "Nguyễn Văn Minh", "AF-1", "consent-file-7", "id-check-7")
PACKAGE = Package((DisclosedField("birth_mother.name", "Trần Thị Hoa", "R-MOTHER"),),
                  (Withheld("birth_father.identity", "R-VETO", "the birth father vetoed disclosure"),),
                  "policy-1", date(2026, 11, 26))
TRACES = (
    Trace("T-1", TraceState.PREPARED, REQUEST, "cw-1", NOW, NOW,
          (Subject("adoptee", LinkStatus.LINKED, "P1"), Subject("birth_mother", LinkStatus.LINKED, "P2")),
          prepared_by="cw-1", package=PACKAGE, events=(TraceEvent(NOW, "cw-1", "opened"),)),
    Trace("T-2", TraceState.OPENED, AdopteeRequest("Bùi Thị Nụ", birth_date="1998-07-14"), "cw-2", NOW, NOW),
)
ADOPTION_FILE = AdoptionFile("AF-1", "2003-01-01", "Sweden", "left at the clinic of Phạm Thị Gấm",
                             "none known", "none known", mother_birth_date="1998-07-14")
DEATH = LifeEvent("P2", "death", "2024-02-01", "officer-1", NOW)
CONSENT = ConsentRecord("K-1", "P2", SubjectKind.BIRTH_PARENT, ConsentScope.IDENTITY, ConsentChoice.GRANT,
                        "letter signed by Vũ Văn Khoa", "cw-1", NOW)
CASE = ReviewCase("RC-1", "child_registry", "C-1", (CaseCandidate("P1", 0.7, 3.0),), "simple-1", 0.5,
                  NOW, NOW)
DECISION = ReviewDecision("RC-1", "steward-1", Outcome.MATCH,
                          "same mother Trần Thị Hoa; the aunt Phạm Thị Gấm confirmed", NOW, "P1")


def fill_every_table(store: Store) -> None:
    """One row (at least) in every table that seals something, each holding invented names."""
    with store.unit_of_work() as uow:
        uow.identities.add_many(people())
        uow.records.upsert(CHILD)
        uow.links.save(MatchResult("child_registry", "C-1", Decision.LINK,
                                   (Candidate("P1", "001301012345", 0.99, 12.0),), "simple-1"))
        for trace in TRACES:
            uow.traces.add(trace)
        uow.adoption_files.put(ADOPTION_FILE)
        uow.adoption_files.add_life_event(DEATH)
        uow.consents.add(CONSENT)
        uow.reviews.add(CASE)
        uow.reviews.add_decision(DECISION)
        uow.commit()


def read_everything(store: Store) -> dict[str, Any]:
    """Every sealed value read back through the repositories (they open what they sealed)."""
    with store.unit_of_work() as uow:
        return {"identities": list(uow.identities.iter_all()),
                "record": uow.records.get("child_registry", "C-1"),
                "link": uow.links.get("child_registry", "C-1"),
                "traces": [uow.traces.get(t.trace_id) for t in TRACES],
                "file": uow.adoption_files.get("AF-1"), "deaths": uow.adoption_files.life_events("P2"),
                "consent": uow.consents.get("K-1"),
                "reasons": [d.reason for d in uow.reviews.decisions("RC-1")]}


def _assert_as_filled(found: dict[str, Any]) -> None:
    assert found["identities"] == people() and found["record"] == CHILD
    assert found["link"] is not None and found["link"].pid == "001301012345"
    assert found["traces"] == list(TRACES)
    assert found["file"] == ADOPTION_FILE and found["deaths"] == [DEATH] and found["consent"] == CONSENT
    assert found["reasons"] == [DECISION.reason]


def test_no_personal_field_is_stored_in_clear(store: Store) -> None:
    fill_every_table(store)
    dump = _dump(store)
    assert "P1" in dump and "C-1" in dump  # identifiers stay readable (the dump does see the rows)
    assert "T-1" in dump and "RC-1" in dump and "K-1" in dump and "AF-1" in dump
    for secret in SECRETS:
        for form in {secret, secret.casefold(), unicodedata.normalize("NFD", secret),
                     unicodedata.normalize("NFKD", secret).encode("ascii", "ignore").decode()}:
            assert form not in dump, f"{secret!r} found in clear"
    _assert_as_filled(read_everything(store))
    with store.unit_of_work() as uow:  # and everything reads back
        assert uow.identities.get("P1") == people()[0]
        assert uow.identities.get_by_pid("037302009999") == people()[1]
        assert uow.records.get("child_registry", "C-1") == CHILD
        assert uow.records.find_by_pid("001301012345") == [CHILD]
        link = uow.links.get("child_registry", "C-1")
        assert link is not None and link.pid == "001301012345"


def test_a_ciphertext_moved_to_another_row_does_not_decrypt(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.identities.add_many(people())
        uow.commit()
    with store.engine.begin() as connection:
        query = select(IDENTITIES.c.full_name).where(IDENTITIES.c.id == "P1")
        stolen = connection.execute(query).scalar_one()
        connection.execute(update(IDENTITIES).where(IDENTITIES.c.id == "P2").values(full_name=stolen))
    from linkage.security.errors import DecryptionError

    with store.unit_of_work() as uow:
        try:
            uow.identities.get("P2")
        except DecryptionError as error:
            assert "Nguyễn" not in str(error)
        else:
            raise AssertionError("a ciphertext bound to P1 decrypted as P2's")


def test_rotation_under_load_loses_nothing(store_url: str) -> None:
    keyset = Keyset.generate()
    store = Store(store_url, StoreCrypto(keyset))
    store.migrate()
    population = [PersonRecord("population", f"P{i:04d}", f"Nguyễn Văn Số {i}", Sex.MALE, "1990-01-01",
                               "Hà Nội", "Trần Thị Lan", "Nguyễn Văn An", f"{i:012d}") for i in range(600)]
    try:
        with store.unit_of_work() as uow:
            uow.identities.add_many(population)
            uow.commit()
        matcher = SimpleMatcher()
        matcher.add_identities(population)
        probe = PersonRecord("child_registry", "probe", "Nguyễn Văn Số 17", Sex.MALE, "1990-01-01")
        before = matcher.match(probe)
        rotated = keyset.rotate()
        written: list[PersonRecord] = []
        errors: list[BaseException] = []
        stop = threading.Event()

        def writer() -> None:  # keeps writing, with the old keyset, while the job runs
            try:
                n = 0
                while not stop.is_set() and n < 400:
                    record = PersonRecord("child_registry", f"W{n}", f"Lê Thị Hoa {n}", Sex.FEMALE, "2010")
                    with store.unit_of_work() as uow:
                        uow.records.upsert(record)
                        uow.links.save(MatchResult("child_registry", f"W{n}", Decision.NO_LINK, (),
                                                   "simple-1"))
                        uow.commit()
                    written.append(record)
                    n += 1
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        thread = threading.Thread(target=writer)
        thread.start()
        report = reencrypt_store(store, rotated, batch_size=50)
        stop.set()
        thread.join(timeout=60)
        assert errors == []
        assert report.rows_rewritten >= 600 and report.rewritten >= 600 * 8
        # Finish what was written under the old key meanwhile (the job is resumable), then check all.
        again = reencrypt_store(store, rotated, batch_size=50)
        assert again.remaining == 0
        only_new = StoreCrypto(rotated.retire(keyset.primary_id))  # the old key is gone for good
        reader = Store(store_url, only_new)
        try:
            with reader.unit_of_work() as uow:
                assert list(uow.identities.iter_all()) == population
                for record in written:
                    assert uow.records.get(record.source, record.record_id) == record
                    link = uow.links.get(record.source, record.record_id)
                    assert link is not None and link.decision is Decision.NO_LINK
                reloaded = SimpleMatcher()
                reloaded.add_identities(uow.identities.iter_all())
            assert reloaded.match(probe) == before
        finally:
            reader.dispose()
    finally:
        store.dispose()


class _Interrupted(Exception):
    pass


def _every_sealed_value_opens(store: Store, keyset: Keyset) -> int:
    """Open every non-NULL sealed value of every registered table with `keyset`; how many there were."""
    opened = 0
    with store.engine.connect() as connection:
        for sealed in SEALED_TABLES:
            for row in connection.execute(select(sealed.table)).mappings():
                assert row["key_id"] == keyset.primary_id, (sealed.name, row["key_id"])
                for name in sealed.fields:
                    if row[name] is not None:
                        keyset.decrypt(bytes(row[name]), aad_for(sealed.name, sealed.row_id(row), name))
                        opened += 1
    return opened


def test_an_interrupted_rotation_resumes_and_then_every_row_of_every_table_opens(store_url: str) -> None:
    keyset = Keyset.generate()
    store = Store(store_url, StoreCrypto(keyset))
    store.migrate()
    try:
        fill_every_table(store)
        before = read_everything(store)
        rotated = keyset.rotate()
        batches: list[int] = []

        def crash_after_three(report: Any) -> None:
            batches.append(report.rows_rewritten)
            if len(batches) == 3:
                raise _Interrupted

        with pytest.raises(_Interrupted):
            reencrypt_store(store, rotated, batch_size=1, on_batch=crash_after_three)
        report = reencrypt_store(store, rotated, batch_size=2)
        assert report.remaining == 0 and report.rows_lost_to_writers == 0
        assert report.skipped >= 3 * 8  # the three rows done before the crash were not redone
        # P1, P2 and C-1 were done before the crash; the resumed run did every other table
        assert set(report.rows_by_table) == {s.name for s in SEALED_TABLES} - {"identities", "source_records"}
        reader = Store(store_url, StoreCrypto(rotated.retire(keyset.primary_id)))
        try:
            assert read_everything(reader) == before
            _assert_as_filled(read_everything(reader))
            # identities 2x8, record 8, link 1, traces 2+1 (T-2 has no package), file, death, consent, reason
            assert _every_sealed_value_opens(reader, rotated.retire(keyset.primary_id)) == 32
        finally:
            reader.dispose()
        old_only = Store(store_url, StoreCrypto(keyset))  # the old key alone opens nothing any more
        try:
            for read in (lambda uow: uow.identities.get("P1"), lambda uow: uow.consents.get("K-1"),
                         lambda uow: uow.reviews.decisions("RC-1"), lambda uow: uow.traces.get("T-1")):
                with old_only.unit_of_work() as uow, pytest.raises(DecryptionError):
                    read(uow)
        finally:
            old_only.dispose()
    finally:
        store.dispose()


def test_reasons_stored_before_0006_are_read_and_then_sealed_by_reencryption(store_url: str) -> None:
    keyset = Keyset.generate()
    store = Store(store_url, StoreCrypto(keyset))
    try:
        with store.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "0005_imports")
            connection.execute(text(
                "INSERT INTO review_cases (id, source, record_id, state, priority, top_probability, "
                "model_version, conflicts, candidates, lease_holder, version, required_reviews, escalated, "
                "created_at, updated_at) VALUES ('RC-1', 'child_registry', 'C-1', 'decided', 0.5, 0.7, "
                "'m', '', '[]', '', 2, 1, false, :now, :now)"), {"now": NOW.replace(tzinfo=None)})
            connection.execute(text(
                "INSERT INTO review_decisions (case_id, steward, outcome, identity_id, reason, decided_at, "
                "undone_by) VALUES ('RC-1', 'steward-1', 'match', 'P1', :reason, :now, '')"),
                {"reason": DECISION.reason, "now": NOW.replace(tzinfo=None)})
        store.migrate()
        with store.unit_of_work() as uow:
            assert [d.reason for d in uow.reviews.decisions("RC-1")] == [DECISION.reason]
        assert "Phạm Thị Gấm" in _dump(store)  # kept as it was until re-encryption runs
        report = reencrypt_store(store, keyset)  # no new key: seals what is not sealed yet
        assert report.rows_by_table == {"review_decisions": 1} and report.remaining == 0
        assert "Phạm Thị Gấm" not in _dump(store) and "Trần Thị Hoa" not in _dump(store)
        with store.unit_of_work() as uow:
            assert [d.reason for d in uow.reviews.decisions("RC-1")] == [DECISION.reason]
        assert reencrypt_store(store, keyset).rows_rewritten == 0  # and there is nothing left to do
    finally:
        store.dispose()
