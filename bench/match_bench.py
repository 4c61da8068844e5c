"""In-process single-record matching speed (issue 9): per-record latency, candidates and time by stage.

From an engine snapshot (`bench.scale_latency.load_or_build`: built and saved on the first run, minutes at
1 M; loaded in seconds afterwards):

    .venv/bin/python -m bench.match_bench --population 1000000 --snapshot /work/scale/snap1m

Two passes over different records from the same generator: the first times whole `match` calls (nothing
wrapped), the second splits the time by stage by wrapping the engine's stage methods on this matcher
instance (each stage counts its own time, nested stages apart). Both run after a warm-up, as a serving
process would be.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.scale_latency import load_or_build, percentiles
from linkage.domain import PersonRecord


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class StageClock:
    """Exclusive time per stage: entering a nested stage pauses the one around it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._stack: list[str] = []
        self._since = 0.0

    def wrap(self, owner: object, attribute: str, stage: str) -> None:
        """Time `owner.attribute` (a method) as `stage`, on this instance only."""
        original: Callable = getattr(owner, attribute)

        def timed(*args, **kwargs):
            self._enter(stage)
            try:
                return original(*args, **kwargs)
            finally:
                self._leave()

        setattr(owner, attribute, timed)

    def _enter(self, stage: str) -> None:
        now = time.perf_counter()
        if self._stack:
            self.seconds[self._stack[-1]] += now - self._since
        self._stack.append(stage)
        self._since = now

    def _leave(self) -> None:
        now = time.perf_counter()
        self.seconds[self._stack.pop()] += now - self._since
        self._since = now


# (owner path from the matcher, method, stage): the stages issue 9 asks for
STAGES = (
    ("", "match", "other"),
    ("encoder", "encode", "encode record"),
    ("", "candidate_rows", "candidate retrieval"),
    ("scorer", "_shortlisted", "shortlist"),
    ("scorer", "gather", "feature gathering"),
    ("scorer", "_levels", "feature gathering"),
    ("scorer._names", "levels_many", "name levels"),
    ("scorer._dates", "levels", "date levels"),
    ("scorer._places", "levels", "place levels"),
    ("scorer", "score", "weights"),
    ("scorer", "tf_adjustments", "weights"),
    ("scorer", "twin_risk", "twin risk"),
    ("", "result", "result/decision"),
)


def instrument(matcher) -> StageClock:
    clock = StageClock()
    for path, method, stage in STAGES:
        owner = matcher
        for part in filter(None, path.split(".")):
            owner = getattr(owner, part)
        clock.wrap(owner, method, stage)
    return clock


@dataclass
class Pass:
    """Per record: milliseconds of `match`, candidates retrieved and scored, and, for records with a
    true identity, whether it was among them (pair completeness before and after the shortlist)."""

    latencies: list[float] = field(default_factory=list)
    retrieved: list[int] = field(default_factory=list)
    scored: list[int] = field(default_factory=list)
    true_retrieved: list[bool] = field(default_factory=list)
    true_scored: list[bool] = field(default_factory=list)


def timed_matches(matcher, records: Sequence[PersonRecord], truth: Sequence) -> Pass:
    out = Pass()
    for record, true in zip(records, truth, strict=True):
        began = time.perf_counter()
        matcher.match(record)
        out.latencies.append(1000 * (time.perf_counter() - began))
        encoded, scores = matcher.score(record)
        rows = matcher.candidate_rows(encoded)
        out.retrieved.append(len(rows))
        out.scored.append(len(scores))
        row = matcher.table.row_of.get(true.identity_id) if true.identity_id else None
        if row is not None:
            out.true_retrieved.append(bool(np.isin(row, rows)))
            out.true_scored.append(bool(np.isin(row, scores.rows)))
    return out


def _counts(values: list[int]) -> str:
    counts = np.asarray(values)
    return f"mean {counts.mean():.0f} p50 {np.median(counts):.0f} p99 {np.percentile(counts, 99):.0f} " \
           f"max {counts.max()}"


def report(label: str, run: Pass, clock: StageClock, n: int) -> None:
    p = percentiles(run.latencies)
    print(f"{label}: {n} records, p50 {p['p50_ms']:.2f} p95 {p['p95_ms']:.2f} p99 {p['p99_ms']:.2f} "
          f"max {p['max_ms']:.2f} mean {p['mean_ms']:.2f} ms ({1000 / p['mean_ms']:.0f} records/s); "
          f"load {loadavg()}", flush=True)
    print(f"  candidates retrieved {_counts(run.retrieved)}; scored {_counts(run.scored)}; true identity "
          f"among retrieved {np.mean(run.true_retrieved):.4f}, among scored {np.mean(run.true_scored):.4f} "
          f"({len(run.true_scored)} records with one)", flush=True)
    total = sum(clock.seconds.values())
    split = ", ".join(f"{stage} {1000 * s / n:.2f}" for stage, s in
                      sorted(clock.seconds.items(), key=lambda item: -item[1]))
    print(f"  by stage, ms per record (total {1000 * total / n:.2f}): {split}", flush=True)


def main(argv: list[str] | None = None) -> int:
    from linkage.synth.records import build_records

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--population", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--snapshot", type=Path, default=None)
    parser.add_argument("--shortlist", type=int, default=None, help="candidates scored in full per record "
                        "(default: the engine's own)")
    parser.add_argument("--block-cap", type=int, default=None, help="skip blocks larger than this (default: "
                        "the snapshot's); a tenth of the cap at 1 M fills blocks as the cap does at 10 M")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    pop, matcher = load_or_build(args.population, args.seed, args.snapshot)
    print(f"matcher over {len(matcher):,} identities in {time.perf_counter() - began:.1f}s; "
          f"load {loadavg()}", flush=True)
    if args.shortlist is not None:
        matcher.scorer.shortlist_size = args.shortlist
    if args.block_cap is not None:
        matcher.index.cap = args.block_cap
    n, warm = args.records, args.warmup
    records, truth = build_records(pop, warm + 2 * n, args.seed + 1)
    matcher.match_many(records[:warm])
    run = timed_matches(matcher, records[warm: warm + n], truth[warm: warm + n])
    clock = instrument(matcher)
    matcher.match_many(records[warm + n:])
    report(f"population {len(matcher):,}", run, clock, n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
