"""`linkage link --engine spark`: Spark decides, the driver writes through the online use case.

Each record still goes through `linkage.services.linking.match_record` (validation, a steward's
standing decision, the record, the link and its review case in one transaction), with a matcher that
answers with the result Spark computed plus the conflict only the store knows (the best candidate is
already linked to another record of the source), asked at write time in input order as the in-process
batch asks it. So the store sees the rows the in-process engine would have written.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pyspark.sql import SparkSession

from adapters.spark.batch import SparkBatch, iter_results
from linkage.domain import Decision, MatchResult, PersonRecord
from linkage.engine.decide import decide
from linkage.engine.matcher import ConflictChecker, FellegiSunterMatcher
from linkage.errors import InvalidRecord
from linkage.ports import UnitOfWork
from linkage.services.linking import match_record
from linkage.validation import validate_record


class DecidedElsewhere:
    """A `Matcher` for one record at a time: the result computed by Spark, plus the store's conflicts."""

    def __init__(self, matcher: FellegiSunterMatcher) -> None:
        self.model = matcher.model
        self.model_version = matcher.model_version
        self.conflict_checker: ConflictChecker | None = matcher.conflict_checker
        self.pending: MatchResult | None = None

    def match(self, record: PersonRecord) -> MatchResult:
        result, self.pending = self.pending, None
        if result is None or (result.source, result.record_id) != (record.source, record.record_id):
            raise RuntimeError(f"no Spark result prepared for {record.source}/{record.record_id}")
        best = result.best
        if best is None or self.conflict_checker is None or result.decision is Decision.NO_LINK:
            return result  # too weak to review: no conflict can change it, the store is not asked
        extra = tuple(self.conflict_checker(record, best))
        if not extra:
            return result
        # the in-process matcher appends these to the conflicts it found before deciding; deciding again
        # from the flags (the conflicts a review kept; none for link or no link) gives the same answer
        decision, flags = decide(result.candidates, self.model.thresholds_for(record.source),
                                 (*result.conflicts, *extra))
        return MatchResult(result.source, result.record_id, decision, result.candidates,
                           result.model_version, flags)

    def add_identities(self, identities: Iterable[PersonRecord]) -> None:
        raise NotImplementedError("the Spark batch matches against the population it was given")


def link_with_spark(
    spark: SparkSession,
    matcher: FellegiSunterMatcher,
    rows: Iterable[tuple[int, PersonRecord]],
    uow_factory: Callable[[], UnitOfWork],
    workdir: Path | None = None,
) -> Iterator[tuple[int, MatchResult | InvalidRecord]]:
    """(line, result or the reason it was rejected) for each row, in order, each kept in the store."""
    numbered = list(rows)
    valid = [record for _, record in numbered if not validate_record(record)]
    with tempfile.TemporaryDirectory(prefix="linkage-spark-", dir=workdir) as scratch:
        batch = SparkBatch(spark, matcher, Path(scratch))
        results = iter_results(batch.decide(valid, keep_results=True))
        answer = DecidedElsewhere(matcher)
        for line, record in numbered:
            if not validate_record(record):
                answer.pending = next(results)
            try:
                yield line, match_record(record, answer, uow_factory())
            except InvalidRecord as invalid:
                yield line, invalid
