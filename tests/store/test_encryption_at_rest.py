"""Encryption at rest, on SQLite and PostgreSQL: the raw tables hold no personal field in clear, and a key
rotation with re-encryption under concurrent writes loses nothing."""

from __future__ import annotations

import threading
import unicodedata

from sqlalchemy import inspect, select, text, update

from adapters.store import Store, StoreCrypto
from adapters.store.repositories import IDENTITIES
from adapters.store.rotation import reencrypt_store
from linkage.domain import Candidate, Decision, MatchResult, PersonRecord, Sex
from linkage.engine.simple import SimpleMatcher
from linkage.security.keyset import Keyset

SECRETS = ("Nguyễn Thị Lan", "Trần Thị Hoa", "Nguyễn Văn Minh", "Hà Nội", "2001-05-03", "001301012345",
           "Lò Thị Xuân", "Đinh Văn Sáng", "Ninh Bình", "037302009999", "2024-02-01")


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


def test_no_personal_field_is_stored_in_clear(store: Store) -> None:
    child = PersonRecord("child_registry", "C-1", "Nguyễn Thị Lan", Sex.FEMALE, "2001-05-03", "Hà Nội",
                         "Trần Thị Hoa", "Nguyễn Văn Minh", "001301012345", recorded_on="2024-02-01")
    with store.unit_of_work() as uow:
        uow.identities.add_many(people())
        uow.records.upsert(child)
        uow.links.save(MatchResult("child_registry", "C-1", Decision.LINK,
                                   (Candidate("P1", "001301012345", 0.99, 12.0),), "simple-1"))
        uow.commit()
    dump = _dump(store)
    assert "P1" in dump and "C-1" in dump  # identifiers stay readable (the dump does see the rows)
    for secret in SECRETS:
        for form in {secret, secret.casefold(), unicodedata.normalize("NFD", secret),
                     unicodedata.normalize("NFKD", secret).encode("ascii", "ignore").decode()}:
            assert form not in dump, f"{secret!r} found in clear"
    with store.unit_of_work() as uow:  # and everything reads back
        assert uow.identities.get("P1") == people()[0]
        assert uow.identities.get_by_pid("037302009999") == people()[1]
        assert uow.records.get("child_registry", "C-1") == child
        assert uow.records.find_by_pid("001301012345") == [child]
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
