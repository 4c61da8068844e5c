"""`match_record` asks the store's already-linked question in the transaction that writes the link, and
decides exactly as the matcher does when it asks the store itself."""

from __future__ import annotations

import dataclasses

from adapters.store import Store
from linkage.domain import Decision, PersonRecord
from linkage.engine import build_matcher
from linkage.engine.conflicts import already_linked_checker
from linkage.engine.decide import ALREADY_LINKED
from linkage.services.linking import match_record
from linkage.synth.population import generate_population
from tests.engine.conftest import VY


def _record(record_id: str, source: str = "child_registry", **changes) -> PersonRecord:
    return dataclasses.replace(VY, source=source, record_id=record_id, **changes)


def test_already_linked_is_asked_in_the_writing_transaction_and_decides_as_the_matcher(store: Store) -> None:
    background = generate_population(300, seed=97).records()
    opened: list[int] = []

    def counted():
        opened.append(1)
        return store.unit_of_work()

    matcher = build_matcher(conflict_checker=already_linked_checker(counted))
    matcher.add_identities([*background[:300], VY])
    first = match_record(_record("R1"), matcher, store.unit_of_work())
    assert first.decision is Decision.LINK and first.best.identity_id == VY.record_id

    # a second registry record for the same child: the store knows the child is linked to R1
    second = _record("R2", mother_name="Đặng Thị Hoa")
    asked_at_once = matcher.match(second)  # the matcher asks the store itself
    assert opened and ALREADY_LINKED in asked_at_once.conflicts
    opened.clear()
    kept = match_record(second, matcher, store.unit_of_work())
    assert not opened  # asked in match_record's own unit of work
    assert kept == asked_at_once and kept.decision is Decision.REVIEW
    with store.unit_of_work() as uow:
        stored = uow.links.get("child_registry", "R2")
    assert stored is not None and stored.decision is Decision.REVIEW and ALREADY_LINKED in stored.conflicts

    # another source is no conflict; neither is the same record matched again
    for record in (_record("A1", source="adoption_file"), _record("R1")):
        assert match_record(record, matcher, store.unit_of_work()) == matcher.match(record)
        assert match_record(record, matcher, store.unit_of_work()).decision is Decision.LINK
