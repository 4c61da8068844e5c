"""Every output of `match` for a fixed set of records, as one hash: a speed change must leave it as it was.

Matches the valid records `bench.scale_latency` would send (the same generator and seed) against a snapshot,
in process, and prints per-record time, CPU time and the SHA-256 of every decision, conflict, candidate,
probability, weight and explanation (floats by `repr`, so to the last bit). Run it from two `git worktree`s
(old and new code, each with its own snapshot when the encoding code differs) and compare the hashes;
`--out FILE` writes one JSON line per record to find the first that differs:

    .venv/bin/python -m bench.scale_fingerprint --snapshot /work/scale/snap1m --out /tmp/new.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np

from bench.scale_latency import load_or_build
from linkage.domain import MatchResult


def fingerprint(result: MatchResult) -> str:
    return json.dumps([result.source, result.record_id, result.decision.name, list(result.conflicts),
                       result.model_version,
                       [[c.identity_id, c.pid, repr(c.probability), repr(c.weight),
                         [[f.field, f.level, repr(f.weight), repr(f.tf_adjustment), f.left, f.right]
                          for f in c.contributions]] for c in result.candidates]], ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    from linkage.synth.records import build_records
    from linkage.validation import validate_record

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--population", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--snapshot", type=Path, required=True)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    pop, matcher = load_or_build(args.population, args.seed, args.snapshot)
    records, _ = build_records(pop, 10_000 + args.warmup + args.records, args.seed + 1)
    valid = [r for r in records[10_000:] if not validate_record(r)]
    warm, timed = valid[: args.warmup], valid[args.warmup: args.warmup + args.records]
    for record in warm:
        matcher.match(record)
    digest, lines, seconds = hashlib.sha256(), [], []
    cpu = time.process_time()
    for record in timed:
        began = time.perf_counter()
        result = matcher.match(record)
        seconds.append(time.perf_counter() - began)
        line = fingerprint(result)
        digest.update(line.encode())
        lines.append(line)
    cpu = time.process_time() - cpu
    ms = np.asarray(seconds) * 1000
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"{len(timed)} records: p50 {np.percentile(ms, 50):.3f} p99 {np.percentile(ms, 99):.3f} ms, CPU "
          f"{1000 * cpu / max(len(timed), 1):.3f} ms per record (with the hashing); "
          f"sha256 {digest.hexdigest()}; load {load}")
    if args.out is not None:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
