"""The batch as Spark joins: the same keys, blocks, cap, scorer, model and decision as the online path.

Plan (every Python step runs the project's own functions on the executors):

1. identity filings: the matcher index's (key, row) pairs, written as Parquet, with whether each row is
   the identity's live version;
2. blocks: pairs grouped by key; a block larger than the index's cap is dropped (its size counts every
   filing, as the index does), then filings of replaced rows are dropped;
3. record keys: `mapInPandas` encodes each record with the shipped Encoder and emits `record_keys`;
4. candidates: record keys joined to blocks on key, the set of rows collected per record;
5. scores and decisions: `mapInPandas` over records with their candidate rows, scored by the shipped
   Scorer and decided by `FellegiSunterMatcher.result`, exactly as `FellegiSunterMatcher.match` does.

The store-backed conflict (a candidate already linked to another record of the source) is not known
here: the driver adds it when writing (`adapters.spark.link`), as the online path does at match time.
"""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pyspark import SparkFiles
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from adapters.spark.shipping import load_matcher, write_matcher
from linkage.domain import MatchResult, PersonRecord, Sex
from linkage.engine.index import as_keys
from linkage.engine.keys import record_keys
from linkage.engine.matcher import FellegiSunterMatcher

RECORD_FIELDS = ("source", "record_id", "full_name", "sex", "birth_date", "birth_place", "mother_name",
                 "father_name", "pid", "recorded_on")
RECORD_SCHEMA = "idx long, " + ", ".join(f"{name} string" for name in RECORD_FIELDS)
KEY_SCHEMA = "idx long, key long"
RESULT_SCHEMA = ("idx long, source string, record_id string, decision string, identity_id string, "
                 "probability double, weight double, conflicts string, result binary")


class SparkBatch:
    """One population shipped to Spark; `decide` runs batches of records against it."""

    def __init__(self, spark: SparkSession, matcher: FellegiSunterMatcher, workdir: Path,
                 partitions: int | None = None) -> None:
        if not isinstance(matcher, FellegiSunterMatcher):
            raise TypeError("the Spark engine runs the Fellegi-Sunter matcher; got "
                            f"{type(matcher).__name__}")
        self.spark = spark
        self.partitions = partitions or 4 * spark.sparkContext.defaultParallelism
        workdir.mkdir(parents=True, exist_ok=True)
        tag = uuid.uuid4().hex[:12]  # SparkContext.addFile refuses a second, different file of one name
        shipped = write_matcher(matcher, workdir / f"matcher-{tag}.pickle")
        spark.sparkContext.addFile(str(shipped))
        self._shipped = shipped.name
        self.blocks = _blocks(spark, matcher, workdir / f"filings-{tag}.parquet")

    def decide(self, records: Sequence[PersonRecord], keep_results: bool = False) -> DataFrame:
        """One row per record (`idx` is its position): decision, best identity, probability, conflicts,
        and with `keep_results` the whole pickled MatchResult (candidates and explanations)."""
        spark, name = self.spark, self._shipped
        frame = spark.createDataFrame(_records_frame(records), RECORD_SCHEMA)
        keys = frame.mapInPandas(_record_keys(name), KEY_SCHEMA)
        candidates = (keys.join(self.blocks, "key")
                      .groupBy("idx").agg(F.collect_set("row").alias("rows")))
        return (frame.join(candidates, "idx", "left")
                .repartition(self.partitions)
                .mapInPandas(_score(name, keep_results), RESULT_SCHEMA))


def iter_results(decided: DataFrame) -> Iterator[MatchResult]:
    """The whole results of `decide(..., keep_results=True)`, in the records' order, streamed."""
    for row in decided.select("idx", "result").orderBy("idx").toLocalIterator():
        yield pickle.loads(row["result"])  # noqa: S301 - pickled by this batch's own workers


def _blocks(spark: SparkSession, matcher: FellegiSunterMatcher, path: Path) -> DataFrame:
    """(key, row) of every live filing whose block is no larger than the index's cap."""
    keys, rows = matcher.index.sorted_arrays()  # pending filings merged: the same answers
    alive = matcher.live_rows()  # a replaced or removed identity's rows stay filed (and counted), dead
    pq.write_table(pa.table({"key": keys.astype(np.int64), "row": rows.astype(np.int32),
                             "alive": alive[rows]}), path)
    filings = spark.read.parquet(str(path))
    small = (filings.groupBy("key").count()
             .where(F.col("count") <= matcher.index.cap).select("key"))
    return filings.join(small, "key").where("alive").select("key", "row")


def _records_frame(records: Sequence[PersonRecord]) -> pd.DataFrame:
    columns: dict[str, object] = {"idx": np.arange(len(records), dtype=np.int64)}
    for name in RECORD_FIELDS:
        columns[name] = [str(getattr(r, name)) for r in records]
    return pd.DataFrame(columns)


def _as_records(frame: pd.DataFrame) -> Iterator[PersonRecord]:
    for values in frame[list(RECORD_FIELDS)].itertuples(index=False, name=None):
        fields = dict(zip(RECORD_FIELDS, values, strict=True))
        yield PersonRecord(**{**fields, "sex": Sex(fields["sex"])})


def _record_keys(shipped: str) -> Callable[[Iterable[pd.DataFrame]], Iterator[pd.DataFrame]]:
    def run(batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        matcher = load_matcher(SparkFiles.get(shipped))
        for frame in batches:
            owners: list[int] = []
            found: list[int] = []
            for idx, record in zip(frame["idx"].tolist(), _as_records(frame), strict=True):
                keys = as_keys(record_keys(matcher.encoder.encode(record)))  # folded as the index does
                owners.extend([idx] * len(keys))
                found.append(keys)
            yield pd.DataFrame({"idx": np.array(owners, dtype=np.int64),
                                "key": np.concatenate(found).astype(np.int64) if found else
                                np.zeros(0, dtype=np.int64)})

    return run


def _score(shipped: str, keep_results: bool) -> Callable[[Iterable[pd.DataFrame]], Iterator[pd.DataFrame]]:
    def run(batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        matcher = load_matcher(SparkFiles.get(shipped))
        for frame in batches:
            out = []
            for idx, record, rows in zip(frame["idx"].tolist(), _as_records(frame), frame["rows"],
                                         strict=True):
                encoded = matcher.encoder.encode(record)
                # the index's candidates: sorted unique rows (np.unique), int32, as the scorer gets them
                found = np.unique(np.asarray(rows, dtype=np.int32)) if rows is not None \
                    else np.zeros(0, dtype=np.int32)
                result = matcher.result(record, encoded, matcher.scorer.score(encoded, found))
                best = result.best
                out.append((idx, result.source, result.record_id, result.decision.value,
                            best.identity_id if best else None, best.probability if best else None,
                            best.weight if best else None, ",".join(result.conflicts),
                            pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL) if keep_results else None))
            yield pd.DataFrame(out, columns=["idx", "source", "record_id", "decision", "identity_id",
                                             "probability", "weight", "conflicts", "result"])

    return run
