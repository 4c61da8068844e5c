"""Token buckets with an injected clock, and records sealed for storage."""

from __future__ import annotations

import logging

import pytest

from linkage.api.interceptors import current_principal
from linkage.domain import PersonRecord, Sex
from linkage.security.errors import DecryptionError
from linkage.security.keyset import Keyset
from linkage.security.ratelimit import RateLimiter
from linkage.security.sealing import SEALED_FIELDS, RecordSealer
from linkage.security.transport import INSECURE_BANNER, warn_insecure

from .conftest import FakeClock


def test_bucket_allows_a_burst_then_refills_at_the_rate():
    clock = FakeClock(0.0)
    limiter = RateLimiter(rate_per_s=2.0, burst=3, clock=clock)
    assert [limiter.acquire("cp-db") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("cp-db") == pytest.approx(0.5)
    assert limiter.acquire("adoption-files") == 0.0  # its own bucket
    clock.now += 0.5
    assert limiter.acquire("cp-db") == 0.0
    assert limiter.acquire("cp-db") > 0
    clock.now += 100
    assert [limiter.acquire("cp-db") for _ in range(4)][-1] > 0  # refills only up to the burst


def test_bucket_table_is_bounded():
    limiter = RateLimiter(rate_per_s=1.0, burst=1, clock=FakeClock(0.0), max_principals=10)
    for i in range(100):
        limiter.acquire(f"p-{i}")
    assert len(limiter._buckets) == 10


RECORD = PersonRecord(source="population", record_id="pop-42", full_name="Nguyễn Thị Lan", sex=Sex.FEMALE,
                      birth_date="2001-05-03", birth_place="Hà Nội", mother_name="Trần Thị Hoa",
                      father_name="Nguyễn Văn Nam", pid="001301004567")


def test_seal_and_open_round_trip_without_plaintext():
    sealer = RecordSealer(Keyset.generate(), "identities")
    sealed = sealer.seal(RECORD)
    assert set(sealed.ciphertexts) == set(SEALED_FIELDS)
    for ciphertext in sealed.ciphertexts.values():
        assert b"Lan" not in ciphertext and b"001301004567" not in ciphertext
    assert sealer.open("population", "pop-42", sealed.ciphertexts) == RECORD


def test_sealed_fields_cannot_be_swapped_or_moved():
    sealer = RecordSealer(Keyset.generate(), "identities")
    sealed = dict(sealer.seal(RECORD).ciphertexts)
    swapped = {**sealed, "mother_name": sealed["father_name"], "father_name": sealed["mother_name"]}
    with pytest.raises(DecryptionError):
        sealer.open("population", "pop-42", swapped)
    with pytest.raises(DecryptionError):
        sealer.open("population", "pop-43", sealed)


def test_blind_indexes_find_exact_values_only():
    sealer = RecordSealer(Keyset.generate(), "identities")
    sealed = sealer.seal(RECORD)
    assert sealed.indexes["pid"] == sealer.index("pid", "001301004567")
    assert sealed.indexes["full_name"] == sealer.index("full_name", "  nguyễn THỊ lan ")
    assert sealed.indexes["pid"] != sealer.index("pid", "001301004568")
    other_table = RecordSealer(sealer.keyset, "source_records")
    assert other_table.index("pid", "001301004567") != sealer.index("pid", "001301004567")


def test_insecure_mode_is_shouted(caplog):
    with caplog.at_level(logging.CRITICAL):
        warn_insecure(logging.getLogger("linkage.test"))
    assert [r.levelno for r in caplog.records] == [logging.CRITICAL] * 3
    assert all(r.getMessage() == INSECURE_BANNER and "PLAINTEXT" in r.getMessage() for r in caplog.records)


def test_no_call_context_outside_a_call():
    with pytest.raises(RuntimeError):
        current_principal()
