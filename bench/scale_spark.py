"""The national batch in process and on Spark (issue 9): throughput, and how many decisions differ.

    .venv/bin/python -m bench.scale_spark --population 1000000 --records 100000 --master 'local[*]'

1. a synthetic population and damaged records of every source (`linkage.synth`), the in-process matcher
   built over the population (timed apart);
2. in process: `FellegiSunterMatcher.match` on every record, one core, as `linkage link` runs it;
3. on Spark: the matcher shipped (pickle and the index's filings as Parquet, timed apart), then the
   whole batch as joins and pandas UDFs (`adapters.spark.batch`), decisions collected to the driver;
4. every record compared: decision, best identity, probability (to 1e-9) and conflicts. Any
   difference is a bug; the run exits 1 and lists the first few.
Spark runs without the store (so does the in-process side): the store-backed conflict is the driver's
job in both engines. Results also go to bench/out/scale_spark-<population>-<records>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scale_memory import load_average, rss_mb  # noqa: E402

OUT_DIR = Path(__file__).resolve().parent / "out"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {load_average()}] {message}", flush=True)


def summary(decision: str, identity: str | None, probability: float | None, conflicts: str) -> tuple:
    return decision, identity, probability, conflicts


def differs(a: tuple, b: tuple) -> bool:
    if (a[0], a[1], a[3]) != (b[0], b[1], b[3]):
        return True
    return (a[2] is None) != (b[2] is None) or (a[2] is not None and abs(a[2] - b[2]) > 1e-9)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--population", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--master", default="local[*]", help="Spark master (default local[*])")
    parser.add_argument("--driver-memory", default="4g", help="spark.driver.memory (default 4g)")
    parser.add_argument("--partitions", type=int, default=None,
                        help="partitions of the scoring stage (default 4 x the default parallelism)")
    args = parser.parse_args(argv)

    from adapters.spark.batch import SparkBatch
    from adapters.spark.session import start_session
    from linkage.engine import build_matcher
    from linkage.synth import synthetic_dataset

    figures: dict = {"population": args.population, "records": args.records, "master": args.master,
                     "cpus": os.cpu_count()}
    log(f"synthetic population of {args.population:,} and {args.records:,} records")
    t = time.perf_counter()
    identities, records, _ = synthetic_dataset(args.population, args.records, seed=args.seed)
    figures["generate_s"] = time.perf_counter() - t
    t = time.perf_counter()
    matcher = build_matcher()
    matcher.add_identities(identities)
    del identities
    figures["index_build_s"] = time.perf_counter() - t
    log(f"index built in {figures['index_build_s']:.1f} s")

    t = time.perf_counter()
    online = []
    for record in records:
        result = matcher.match(record)
        best = result.best
        online.append(summary(result.decision.value, best.identity_id if best else None,
                              best.probability if best else None, ",".join(result.conflicts)))
    figures["inprocess_s"] = time.perf_counter() - t
    figures["load_after_inprocess"] = load_average()
    log(f"in process: {figures['inprocess_s']:.1f} s")

    t = time.perf_counter()
    spark = start_session(args.master, {"spark.driver.memory": args.driver_memory})
    figures["spark_start_s"] = time.perf_counter() - t
    figures["spark_parallelism"] = spark.sparkContext.defaultParallelism
    try:
        with tempfile.TemporaryDirectory(prefix="scale-spark-") as scratch:
            t = time.perf_counter()
            batch = SparkBatch(spark, matcher, Path(scratch), partitions=args.partitions)
            figures["spark_ship_s"] = time.perf_counter() - t
            t = time.perf_counter()
            rows = (batch.decide(records)
                    .select("idx", "decision", "identity_id", "probability", "conflicts")
                    .orderBy("idx").collect())
            figures["spark_s"] = time.perf_counter() - t
    finally:
        spark.stop()
    figures["load_after_spark"] = load_average()
    figures["driver_rss_peak_mb"] = rss_mb()[1]
    log(f"spark: {figures['spark_s']:.1f} s")

    on_spark = [summary(r.decision, r.identity_id, r.probability, r.conflicts) for r in rows]
    wrong = [i for i, (a, b) in enumerate(zip(online, on_spark, strict=True)) if differs(a, b)]
    figures["differing_decisions"] = len(wrong) + abs(len(online) - len(on_spark))

    n = len(records)
    print(f"\n== batch of {n:,} records against {args.population:,} identities "
          f"({args.master}, {figures['cpus']} CPUs, load {load_average()}) ==")
    print(f"{'engine':<12} {'seconds':>9} {'records/s':>10}  note")
    print(f"{'in process':<12} {figures['inprocess_s']:>9.1f} {n / figures['inprocess_s']:>10.0f}  one core")
    print(f"{'spark':<12} {figures['spark_s']:>9.1f} {n / figures['spark_s']:>10.0f}  "
          f"{figures['spark_parallelism']} cores; + {figures['spark_start_s']:.1f} s session start, "
          f"{figures['spark_ship_s']:.1f} s shipping the matcher")
    print(f"records whose decision differs: {figures['differing_decisions']}")
    for i in wrong[:5]:
        print(f"  {records[i].source}/{records[i].record_id}: in process {online[i]}, spark {on_spark[i]}")
    OUT_DIR.mkdir(exist_ok=True)
    out = OUT_DIR / f"scale_spark-{args.population}-{args.records}.json"
    out.write_text(json.dumps(figures, indent=1))
    print(f"wrote {out}")
    return 1 if figures["differing_decisions"] else 0


if __name__ == "__main__":
    sys.exit(main())
