"""`linkage link --engine spark`: Spark decides, the driver writes through the online use case.

The driver keeps each record as the in-process batch does (`linkage.services.batch.keep_decided`: the
result Spark computed plus the conflict only the store knows, through `match_record`), so the store sees
the rows the in-process engine would have written.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pyspark.sql import SparkSession

from adapters.spark.batch import SparkBatch, iter_results
from linkage.domain import MatchResult, PersonRecord
from linkage.engine.matcher import FellegiSunterMatcher
from linkage.errors import InvalidRecord
from linkage.ports import UnitOfWork
from linkage.services.batch import keep_decided
from linkage.validation import validate_record


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
        yield from keep_decided(numbered, results, matcher, uow_factory)
