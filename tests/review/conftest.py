"""Review-queue fixtures: a migrated store with invented identities, and review cases opened on it.

Time is a `FakeClock` the tests move, so leases and the undo window are tested without sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from adapters.store import Store
from linkage.domain import Candidate, Decision, FieldContribution, MatchResult, PersonRecord, Sex
from linkage.review.model import ReviewCase
from linkage.review.service import ReviewSettings, sync_case

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

IDENTITIES = [
    PersonRecord("population", "P-101", "Nguyễn Thị Lân", Sex.FEMALE, "2019-04-02", "Hà Nội",
                 "Trần Thị Hoa", "Nguyễn Văn Minh", "001319012345"),
    PersonRecord("population", "P-102", "Nguyễn Thị Lan", Sex.FEMALE, "2019-04-02", "Hà Nội",
                 "Trần Thị Hoa", "Nguyễn Văn Minh", "001319012346"),
    PersonRecord("population", "P-103", "Lò Văn Sáng", Sex.MALE, "2020-01-15", "Sơn La",
                 "Lò Thị Xuân", "Lò Văn Páo", "014320001111"),
]


class FakeClock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def review_result(record_id: str, source: str = "child_registry", probability: float = 0.9,
                  conflicts: tuple[str, ...] = ()) -> MatchResult:
    bars = (FieldContribution("full_name", "phonetic", 4.5, 0.3, "Nguyen Thi Lan", "Nguyễn Thị Lân"),
            FieldContribution("birth_date", "exact", 6.0))
    return MatchResult(source, record_id, Decision.REVIEW, (
        Candidate("P-101", "001319012345", probability, 7.1, bars),
        Candidate("P-102", "001319012346", probability - 0.1, 6.0, bars),
    ), "fs-test-1", conflicts)


def source_record(record_id: str, source: str = "child_registry") -> PersonRecord:
    return PersonRecord(source, record_id, "Nguyễn Thị Lan", Sex.FEMALE, "2019-04-02", "Hà Nội",
                        "Trần Thị Hoa", "")


@dataclass
class Queue:
    store: Store
    clock: FakeClock
    settings: ReviewSettings

    def open(self, record_id: str, source: str = "child_registry", probability: float = 0.9,
             conflicts: tuple[str, ...] = (), double: bool = False) -> ReviewCase:
        settings = ReviewSettings(double_review_rate=1.0 if double else 0.0)
        with self.store.unit_of_work() as uow:
            uow.records.upsert(source_record(record_id, source))
            result = review_result(record_id, source, probability, conflicts)
            uow.links.save(result)
            case = sync_case(result, uow, self.clock(), settings)
            uow.commit()
        assert case is not None
        return case


@pytest.fixture
def queue(store: Store, clock: FakeClock) -> Queue:
    with store.unit_of_work() as uow:
        uow.identities.add_many(IDENTITIES)
        uow.commit()
    return Queue(store, clock, ReviewSettings())


@pytest.fixture
def make_result():
    """`review_result` as a fixture, so test modules need not import this conftest."""
    return review_result
