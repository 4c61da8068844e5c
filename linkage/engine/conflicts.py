"""Conflicts the engine cannot see alone: what the store already holds.

`already_linked_checker(uow_factory)` gives the matcher a `conflict_checker`: the best candidate is already
linked to *another record of the same source* (two registry entries for one child is a duplicate or a
mix-up; a registry entry and an adoption file for one child is the normal case and no conflict).

A caller that writes the result in a unit of work of its own (`linkage.services.linking.match_record`)
matches inside `deferred_store_checks()`: the checker then only notes what it was asked, and the caller
asks the store in its own transaction (`DeferredChecks.settle`) and decides again as the matcher would
have decided with the answer. That spares a unit of work per match (a session, its connection and its
transaction), and the answer is read in the transaction that writes the link.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from linkage.domain import Candidate, Decision, MatchResult, PersonRecord
from linkage.engine.decide import ALREADY_LINKED, decided_again
from linkage.engine.matcher import ConflictChecker
from linkage.ports import UnitOfWork


def already_linked(uow: UnitOfWork, record: PersonRecord, best: Candidate) -> list[str]:
    """[ALREADY_LINKED] when `best` is linked to another record of the record's source, read in `uow`."""
    links = uow.links.linked_to(best.identity_id)
    others = [link for link in links
              if link.decision is Decision.LINK and link.source == record.source
              and link.record_id != record.record_id]
    return [ALREADY_LINKED] if others else []


@dataclass
class DeferredChecks:
    """The store checks a match asked for while deferred: (record, best candidate) pairs."""

    asked: list[tuple[PersonRecord, Candidate]] = field(default_factory=list)

    def settle(self, result: MatchResult, uow: UnitOfWork, thresholds_for: Callable) -> MatchResult:
        """`result` as the matcher would have decided it had the store been asked at once, asking it now
        in `uow` (`decide.decided_again`)."""
        extra: list[str] = []
        for record, best in self.asked:
            extra += already_linked(uow, record, best)
        return decided_again(result, thresholds_for(result.source), extra) if extra else result


_deferred: contextvars.ContextVar[DeferredChecks | None] = contextvars.ContextVar("linkage_deferred_checks",
                                                                                  default=None)


@contextmanager
def deferred_store_checks() -> Iterator[DeferredChecks]:
    """Within the block (this thread, this context), `already_linked_checker`s note what they are asked
    and answer nothing; the caller must `settle` the result it gets."""
    checks = DeferredChecks()
    token = _deferred.set(checks)
    try:
        yield checks
    finally:
        _deferred.reset(token)


def already_linked_checker(uow_factory: Callable[[], UnitOfWork]) -> ConflictChecker:
    def check(record: PersonRecord, best: Candidate) -> list[str]:
        deferred = _deferred.get()
        if deferred is not None:
            deferred.asked.append((record, best))
            return []
        with uow_factory() as uow:
            return already_linked(uow, record, best)

    return check
