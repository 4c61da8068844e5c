"""Linking a file of records: decided on every core, kept one by one through the online use case.

`link_records` is `linkage link`: each record goes through `linking.match_record` (validation, a steward's
standing decision, the record, the link and its review case in one transaction), so the store sees the
rows the online path would have written. With `processes > 1` the deciding is done by forked workers
(`ForkedMatchers`) and the parent only writes; with Spark (`adapters.spark.link`) by Spark. Either way
the parent answers `match_record` with the result decided elsewhere plus the one conflict only the store
knows (the best candidate already linked to another record of the source), asked at write time in input
order as the one-process batch asks it: `DecidedElsewhere`.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from multiprocessing.pool import Pool
from typing import Any

from linkage.domain import Decision, MatchResult, PersonRecord
from linkage.engine.decide import decided_again
from linkage.errors import InvalidRecord
from linkage.ports import UnitOfWork
from linkage.services.linking import match_records
from linkage.validation import validate_record

_FORK = multiprocessing.get_context("fork")
CHUNK = 64  # records per message to a worker: amortises the pickling, keeps every worker busy


class DecidedElsewhere:
    """A `Matcher` for one record at a time: the result decided elsewhere, plus the store's conflicts."""

    def __init__(self, matcher: Any) -> None:
        self.model = matcher.model
        self.model_version = matcher.model_version
        self.conflict_checker = matcher.conflict_checker
        self.pending: MatchResult | None = None

    def match(self, record: PersonRecord) -> MatchResult:
        result, self.pending = self.pending, None
        if result is None or (result.source, result.record_id) != (record.source, record.record_id):
            raise RuntimeError(f"no result prepared for {record.source}/{record.record_id}")
        best = result.best
        if best is None or self.conflict_checker is None or result.decision is Decision.NO_LINK:
            return result  # too weak to review: no conflict can change it, the store is not asked
        extra = tuple(self.conflict_checker(record, best))
        return decided_again(result, self.model.thresholds_for(record.source), extra)

    def add_identities(self, identities: Iterable[PersonRecord]) -> None:
        raise NotImplementedError("a batch matches against the population it was given")


def keep_decided(
    rows: Sequence[tuple[int, PersonRecord]],
    decided: Iterator[MatchResult],
    matcher: Any,
    uow_factory: Callable[[], UnitOfWork],
) -> Iterator[tuple[int, MatchResult | InvalidRecord]]:
    """Write each row's result (`decided` holds one per valid row, in order) through `match_records`."""
    answer = DecidedElsewhere(matcher)

    def prepared() -> Iterator[tuple[int, PersonRecord]]:
        for line, record in rows:  # each row is matched as soon as it is handed over
            if not validate_record(record):
                answer.pending = next(decided)
            yield line, record

    return match_records(prepared(), answer, uow_factory)


class ForkedMatchers:
    """`processes` forked copies of a built matcher deciding records in input order.

    Forked, not spawned: the index (gigabytes at national scale) is shared copy-on-write, never pickled,
    and `gc.freeze()` keeps the collector from touching, and so copying, the parent's objects. Workers
    decide without the store's conflict check (a database connection must not cross a fork): the parent
    adds it through `DecidedElsewhere`. Fork before any thread or gRPC object exists in the process.
    """

    def __init__(self, matcher: Any, processes: int) -> None:
        if processes < 1:
            raise ValueError("processes must be at least 1")
        self._matcher, self.processes = matcher, processes
        self._pool: Pool | None = None

    def __enter__(self) -> ForkedMatchers:
        gc.freeze()
        self._pool = _FORK.Pool(self.processes, initializer=_start_worker, initargs=(self._matcher,))
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._pool is not None
        self._pool.terminate()
        self._pool.join()
        gc.unfreeze()

    def decide(self, records: Iterable[PersonRecord]) -> Iterator[MatchResult]:
        """One result per record, in order, each computed as `matcher.match` computes it."""
        assert self._pool is not None, "use ForkedMatchers as a context manager"
        for chunk in self._pool.imap(_decide_chunk, _chunks(records, CHUNK)):
            yield from chunk


def link_records(
    rows: Iterable[tuple[int, PersonRecord]],
    matcher: Any,
    uow_factory: Callable[[], UnitOfWork],
    processes: int = 1,
) -> Iterator[tuple[int, MatchResult | InvalidRecord]]:
    """(line, result or why it was rejected) for each row, in order, each kept in the store."""
    if processes == 1:
        yield from match_records(rows, matcher, uow_factory)
        return
    numbered = list(rows)
    with ForkedMatchers(matcher, processes) as forked:
        decided = forked.decide(record for _, record in numbered if not validate_record(record))
        yield from keep_decided(numbered, decided, matcher, uow_factory)


def _chunks(items: Iterable[PersonRecord], size: int) -> Iterator[list[PersonRecord]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


_WORKER_MATCHER: Any = None


def _start_worker(matcher: Any) -> None:
    """In the forked worker: its own copy of the matcher, without the parent's store connection."""
    global _WORKER_MATCHER
    matcher.conflict_checker = None
    _WORKER_MATCHER = matcher


def _decide_chunk(records: list[PersonRecord]) -> list[MatchResult]:
    return [_WORKER_MATCHER.match(record) for record in records]
