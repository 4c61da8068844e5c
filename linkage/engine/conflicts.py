"""Conflicts the engine cannot see alone: what the store already holds.

`already_linked_checker(uow_factory)` gives the matcher a `conflict_checker`: the best candidate is already
linked to *another record of the same source* (two registry entries for one child is a duplicate or a
mix-up; a registry entry and an adoption file for one child is the normal case and no conflict).
"""

from __future__ import annotations

from collections.abc import Callable

from linkage.domain import Candidate, Decision, PersonRecord
from linkage.engine.decide import ALREADY_LINKED
from linkage.engine.matcher import ConflictChecker
from linkage.ports import UnitOfWork


def already_linked_checker(uow_factory: Callable[[], UnitOfWork]) -> ConflictChecker:
    def check(record: PersonRecord, best: Candidate) -> list[str]:
        with uow_factory() as uow:
            links = uow.links.linked_to(best.identity_id)
        others = [link for link in links
                  if link.decision is Decision.LINK and link.source == record.source
                  and link.record_id != record.record_id]
        return [ALREADY_LINKED] if others else []

    return check
