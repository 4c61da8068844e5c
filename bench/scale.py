"""National scale (issue 9): build time, memory, gRPC latency, restart, batch throughput, Splink beside it.

    .venv/bin/python -m bench.scale --population 1000000 --records 100000 --clients 1,8 --splink

In one process, on this machine (every figure is printed with the load average, the machine is shared):
1. generates the population with `linkage.synth` (timed apart: it stands in for reading the store),
   builds the engine's index in process (time, RSS before/after, bytes per identity by structure:
   numpy arrays exactly, Python objects estimated; see `bench.scale_memory`);
2. serves that matcher with the real gRPC server (plaintext, security gate and store as in production;
   see `bench.scale_latency`) and reports **restart to serving**: seconds from this process's start to
   the health service answering SERVING, with the index rebuilt from the population (no snapshot yet);
3. MatchRecord latency p50/p95/p99 from 1 and N concurrent clients in another process;
4. batch throughput in process (`FellegiSunterMatcher.score` + `result`, the path `match` takes) on
   `--records` damaged records, with precision/recall against the synthetic truth;
5. with `--splink`: Splink + DuckDB on the same records and population (`bench.scale_splink`), in a
   subprocess bounded by `--splink-timeout`, and the side-by-side table.
Results also go to bench/out/scale-<population>-<records>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.quality import outcomes_from_pairs  # noqa: E402
from bench.scale_memory import footprint, load_average, rss_mb  # noqa: E402
from linkage.domain import Decision, PersonRecord  # noqa: E402
from linkage.engine.evaluation import Outcomes, summarise  # noqa: E402

OUT_DIR = Path(__file__).resolve().parent / "out"
REPO = Path(__file__).resolve().parents[1]


def seconds_since_process_start() -> float:
    """Wall seconds since the kernel started this process (so imports and interpreter start count too)."""
    start_ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def guard_memory(limit_gb: float, every_s: float = 1.0) -> None:
    """Stop the whole run (exit 3) when this process's RSS passes `limit_gb`: the machine is shared."""
    import threading

    def watch() -> None:
        while True:
            current, _ = rss_mb()
            if current > limit_gb * 1024:
                log(f"RSS {current:.0f} MiB passed the {limit_gb} GB limit: stopping")
                os._exit(3)
            time.sleep(every_s)

    threading.Thread(target=watch, daemon=True, name="rss-guard").start()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {load_average()}] {message}", flush=True)


# 1. population and index -----------------------------------------------------------------------------
def build(population: int, seed: int, keep_identities: bool = True
          ) -> tuple[object, list[PersonRecord] | None, object, dict]:
    """Population, its PersonRecords (kept only when asked: 10 M of them cost ~6 GB), matcher, figures."""
    from linkage.engine.matcher import FellegiSunterMatcher
    from linkage.model import load_default_model
    from linkage.synth.population import generate_population

    figures: dict = {}
    t = time.perf_counter()
    pop = generate_population(population, seed)
    figures["generate_population_s"] = time.perf_counter() - t
    t = time.perf_counter()
    identities = pop.records() if keep_identities else None
    figures["materialise_records_s"] = time.perf_counter() - t  # else: inside index_build_s
    figures["rss_before_index_mb"] = rss_mb()[0]
    figures["load_before_index"] = load_average()
    t = time.perf_counter()
    matcher = FellegiSunterMatcher(load_default_model())
    matcher.add_identities(identities if identities is not None else (pop.record(i) for i in range(len(pop))))
    figures["index_build_s"] = time.perf_counter() - t
    figures["index_us_per_identity"] = 1e6 * figures["index_build_s"] / max(population, 1)
    figures["rss_after_index_mb"], figures["rss_peak_mb"] = rss_mb()
    figures["rss_index_delta_mb"] = figures["rss_after_index_mb"] - figures["rss_before_index_mb"]
    figures["load_after_index"] = load_average()
    figures["footprint"] = footprint(matcher, len(pop))
    return pop, identities, matcher, figures


def snapshot_restart(matcher, records: list[PersonRecord], probes: int = 30,
                     keep: Path | None = None) -> dict:
    """Restart to serving from the index snapshot, in a fresh process (see `bench.scale_snapshot`), and
    whether the restarted server decides `probes` valid ISO-dated records as this process does. With
    `keep`, the snapshot is written there and left for `bench.scale_latency --snapshot` to reuse."""
    from bench.scale_snapshot import load as load_snapshot
    from bench.scale_snapshot import save, summary, time_restart
    from linkage.validation import validate_record

    load = load_average()
    with tempfile.TemporaryDirectory(prefix="scale-snapshot-") as tmp:
        path = keep if keep is not None else Path(tmp) / "snapshot"
        saved = save(matcher, path)
        began = time.perf_counter()
        load_snapshot(path)
        saved["load_in_process_s"] = time.perf_counter() - began
        sample = [r for r in records if not validate_record(r) and len(r.birth_date) == 10][:probes]
        restarted = time_restart(path, probes=sample)
    answers = restarted.pop("answers")
    same = sum(a == summary(matcher.match(r)) for a, r in zip(answers, sample, strict=True))
    result = {**saved, **restarted, "probes": len(sample), "probes_decided_identically": same, "load": load}
    log(f"restart from snapshot: {json.dumps(result)}")
    return result


# 4. batch in process ---------------------------------------------------------------------------------
def run_batch(matcher, records: list[PersonRecord], truth: list) -> tuple[Outcomes, dict]:
    from linkage.engine.matcher import link_score

    row_of = matcher.table.row_of
    predicted, score, linked, retrieved, pairs = [], [], [], [], 0
    per_record = np.zeros(len(records))
    load = load_average()
    began = time.perf_counter()
    for i, (record, true) in enumerate(zip(records, truth, strict=True)):
        t = time.perf_counter()
        encoded, scores = matcher.score(record)
        result = matcher.result(record, encoded, scores)
        per_record[i] = time.perf_counter() - t
        pairs += len(scores)
        best = result.best
        predicted.append(best.identity_id if best else None)
        score.append(link_score(result))
        linked.append(result.decision is Decision.LINK)
        row = row_of.get(true.identity_id) if true.identity_id else None
        retrieved.append(row is not None and bool(np.any(scores.rows == row)))
    seconds = time.perf_counter() - began
    outcomes = Outcomes([t.identity_id for t in truth], predicted, np.array(score, dtype=np.float64),
                        np.array(linked), np.array(retrieved), pairs)
    p50, p99 = np.percentile(per_record * 1000, [50, 99]) if len(records) else (np.nan, np.nan)
    return outcomes, {"seconds": seconds, "records_per_s": len(records) / seconds if seconds else 0.0,
                      "in_process_p50_ms": float(p50), "in_process_p99_ms": float(p99),
                      "candidates_per_record": pairs / max(len(records), 1), "load": load,
                      "load_after": load_average()}


def run_batch_forked(matcher, records: list[PersonRecord], truth: list,
                     processes: int) -> tuple[Outcomes, dict]:
    """The batch as `linkage link --processes N` decides it: N forked workers sharing the index
    (`linkage.services.batch.ForkedMatchers`). "retrieved" here means among the ranked candidates a
    result carries (the full candidate list stays in the worker), so pair completeness is a lower bound."""
    from linkage.engine.matcher import link_score
    from linkage.services.batch import ForkedMatchers

    load = load_average()
    began = time.perf_counter()
    with ForkedMatchers(matcher, processes) as forked:
        results = list(forked.decide(records))
    seconds = time.perf_counter() - began
    predicted = [r.best.identity_id if r.best else None for r in results]
    retrieved = [t.identity_id is not None and any(c.identity_id == t.identity_id for c in r.candidates)
                 for r, t in zip(results, truth, strict=True)]
    outcomes = Outcomes([t.identity_id for t in truth], predicted,
                        np.array([link_score(r) for r in results], dtype=np.float64),
                        np.array([r.decision is Decision.LINK for r in results]), np.array(retrieved),
                        sum(len(r.candidates) for r in results))
    return outcomes, {"seconds": seconds, "records_per_s": len(records) / seconds if seconds else 0.0,
                      "processes": processes, "in_process_p50_ms": float("nan"),
                      "in_process_p99_ms": float("nan"), "load": load, "load_after": load_average()}


# 5. Splink ---------------------------------------------------------------------------------------------
def run_splink(identities: list[PersonRecord], records: list[PersonRecord], truth: list,
               timeout_s: float) -> tuple[Outcomes | None, dict]:
    from bench.scale_splink import SPLINK_THRESHOLD, frame

    load = load_average()
    with tempfile.TemporaryDirectory(prefix="scale-splink-") as tmp:
        paths = {name: Path(tmp) / f"{name}.parquet" for name in ("population", "records", "pairs")}
        t = time.perf_counter()
        frame(identities, "p:").to_parquet(paths["population"])
        frame(records, "r:").to_parquet(paths["records"])
        prepare_s = time.perf_counter() - t
        command = [sys.executable, "-m", "bench.scale_splink", str(paths["population"]),
                   str(paths["records"]), str(paths["pairs"])]
        began = time.perf_counter()
        try:
            done = subprocess.run(command, cwd=REPO, timeout=timeout_s, capture_output=True, text=True)
        except subprocess.TimeoutExpired:
            return None, {"error": f"Splink did not finish within {timeout_s:.0f} s", "load": load}
        wall = time.perf_counter() - began
        if done.returncode != 0:
            return None, {"error": done.stderr[-2000:], "load": load}
        import pandas as pd

        pairs = pd.read_parquet(paths["pairs"])
        info = json.loads(Path(str(paths["pairs"]) + ".json").read_text())
    outcomes = outcomes_from_pairs(pairs, records, truth, lambda _record, _identity, p: p >= SPLINK_THRESHOLD)
    return outcomes, {**info, "prepare_s": prepare_s, "process_wall_s": wall,
                      "records_per_s": len(records) / info["seconds"], "load": load,
                      "load_after": load_average()}


# report ------------------------------------------------------------------------------------------------
QUALITY_ROWS = ("precision", "recall", "f1", "op_precision", "op_recall", "recall_at_p999",
                "false_link_rate_no_match", "pair_completeness")


def side_by_side(engine: dict, splink: dict | None, engine_info: dict, splink_info: dict | None) -> str:
    names = ["engine"] + (["splink"] if splink else [])
    lines = [f"{'':34s}" + "".join(f"{n:>16s}" for n in names)]
    for row in QUALITY_ROWS:
        values = [engine[row]] + ([splink[row]] if splink else [])
        lines.append(f"{row:34s}" + "".join(f"{v:16.4f}" for v in values))
    timing = [("seconds (match / train+predict)", engine_info["seconds"], (splink_info or {}).get("seconds")),
              ("records per second", engine_info["records_per_s"], (splink_info or {}).get("records_per_s"))]
    for label, a, b in timing:
        lines.append(f"{label:34s}{a:16.2f}" + (f"{b:16.2f}" if splink else ""))
    if splink:
        ratio = engine_info["records_per_s"] / splink_info["records_per_s"]
        predict_only = engine_info["records_per_s"] / (len_records(engine) / splink_info["predict_s"])
        lines.append(f"{'throughput engine / splink':34s}{ratio:16.2f}")
        lines.append(f"{'  (vs splink predict only)':34s}{predict_only:16.2f}")
    return "\n".join(lines)


def len_records(summary: dict) -> int:
    return int(summary["records"])


def latency_table(runs: list[dict]) -> str:
    """Per client setting: the call as the client saw it, and the engine's own share (`match` inside)."""
    lines = [f"{'clients':>8s}{'calls':>7s}{'refused':>8s}{'p50 ms':>9s}{'p95 ms':>9s}{'p99 ms':>9s}"
             f"{'max ms':>9s}{'calls/s':>9s}{'engine p50':>11s}{'engine p99':>11s}  load"]
    for r in runs:
        lines.append(f"{r['clients']:8d}{r['calls']:7d}{r['errors']:8d}{r['p50_ms']:9.2f}{r['p95_ms']:9.2f}"
                     f"{r['p99_ms']:9.2f}{r['max_ms']:9.2f}{r['calls_per_s']:9.1f}{r['engine_p50_ms']:11.2f}"
                     f"{r['engine_p99_ms']:11.2f}  {r['load']}")
    lines.append("refused: INVALID_ARGUMENT, records the API's validation rejects (not in the percentiles)")
    return "\n".join(lines)


def processes_table(runs: list[dict]) -> str:
    lines = [f"{'processes':>10s}{'clients':>8s}{'calls':>7s}{'refused':>8s}{'p50 ms':>9s}{'p95 ms':>9s}"
             f"{'p99 ms':>9s}{'max ms':>9s}{'calls/s':>9s}"]
    for r in runs:
        lines.append(f"{r['processes']:10d}{r['clients']:8d}{r['calls']:7d}{r['errors']:8d}{r['p50_ms']:9.2f}"
                     f"{r['p95_ms']:9.2f}{r['p99_ms']:9.2f}{r['max_ms']:9.2f}{r['calls_per_s']:9.1f}")
    return "\n".join(lines)


def footprint_table(fp: dict) -> str:
    lines = [f"{'structure':44s}{'MiB':>10s}{'B/identity':>12s}  kind"]
    for name, part in fp["parts"].items():
        kind = "python objects (estimate)" if part["python_objects"] else "numpy (exact)"
        lines.append(f"{name:44s}{part['mb']:10.1f}{part['bytes_per_identity']:12.1f}  {kind}")
    lines.append(f"{'total':44s}{'':10s}{fp['total_bytes_per_identity']:12.1f}  "
                 f"(numpy {fp['numpy_bytes_per_identity']:.1f} + "
                 f"python {fp['python_bytes_per_identity']:.1f}; "
                 f"{fp['index_keys_per_identity']:.1f} index keys per identity)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--population", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=100_000, help="batch records (in process, Splink)")
    parser.add_argument("--latency-calls", type=int, default=2000, help="MatchRecord calls per setting")
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--splink", action="store_true")
    parser.add_argument("--splink-timeout", type=float, default=600.0)
    parser.add_argument("--workers", type=int, default=8, help="server worker threads")
    parser.add_argument("--snapshot", action="store_true",
                        help="also time snapshot write, load and a restart from it")
    parser.add_argument("--keep-snapshot", type=Path, default=None,
                        help="with --snapshot: write it here and keep it (bench.scale_latency --snapshot)")
    parser.add_argument("--batch-processes", type=int, default=1,
                        help="decide the batch in N forked processes (linkage link --processes N)")
    parser.add_argument("--max-rss-gb", type=float, default=18.0, help="stop the run beyond this RSS")
    parser.add_argument("--processes", default="",
                        help="e.g. 1,2: also MatchRecord latency served as `linkage serve --processes N` "
                             "(run first, before any gRPC object exists here; not counted in restart)")
    args = parser.parse_args(argv)
    guard_memory(args.max_rss_gb)
    clients = [int(c) for c in args.clients.split(",") if c]

    from bench.scale_latency import measure, serve_matcher, wait_serving
    from linkage.synth.records import build_records

    report: dict = {"args": vars(args), "cpus": os.cpu_count()}
    log(f"building population of {args.population:,} and the index")
    pop, identities, matcher, figures = build(args.population, args.seed, keep_identities=args.splink)
    report["build"] = figures
    log(f"population {figures['generate_population_s']:.1f}s, "
        f"PersonRecords {figures['materialise_records_s']:.1f}s, "
        f"index {figures['index_build_s']:.1f}s; RSS {figures['rss_before_index_mb']:.0f} -> "
        f"{figures['rss_after_index_mb']:.0f} MiB")
    print(footprint_table(figures["footprint"]), flush=True)

    detour = 0.0
    if args.processes:  # forked first: a fork must not inherit a gRPC object (see linkage.api.workers)
        from bench.scale_latency import measure_processes

        t = time.perf_counter()
        processes = [int(p) for p in args.processes.split(",")]
        extra, _ = build_records(pop, args.latency_calls * len(clients) * len(processes), args.seed + 2)
        report["latency_processes"] = measure_processes(matcher, extra, clients, processes,
                                                        args.latency_calls, args.workers)
        detour = time.perf_counter() - t

    with tempfile.TemporaryDirectory(prefix="scale-server-") as workdir, \
            serve_matcher(matcher, Path(workdir), workers=args.workers) as served:
        wait_serving(served.address)
        report["restart"] = {"process_start_to_serving_s": seconds_since_process_start() - detour,
                             "of_which_generate_s": figures["generate_population_s"],
                             "of_which_records_s": figures["materialise_records_s"],
                             "of_which_index_s": figures["index_build_s"], "load": load_average()}
        log(f"serving after {report['restart']['process_start_to_serving_s']:.1f}s from process start")
        total = args.records + args.latency_calls * len(clients)
        t = time.perf_counter()
        records, truth = build_records(pop, total, args.seed + 1)
        report["build"]["build_records_s"] = time.perf_counter() - t
        latency = []
        for i, n in enumerate(clients):
            first = args.records + i * args.latency_calls
            batch = records[first: first + args.latency_calls]
            load = load_average()
            run = measure(served, batch, n)
            latency.append({**run, "load": load})
            log(f"{n} client(s): p50 {run['p50_ms']:.2f} ms, p99 {run['p99_ms']:.2f} ms, "
                f"refused {run['error_codes']}")
        report["latency"] = latency
    report["rss_after_serving_mb"] = rss_mb()
    if args.snapshot:
        report["restart_from_snapshot"] = snapshot_restart(matcher, records, keep=args.keep_snapshot)
    records, truth = records[: args.records], truth[: args.records]

    log(f"batch: {len(records):,} records in process ({args.batch_processes} process(es))")
    outcomes, batch = (run_batch(matcher, records, truth) if args.batch_processes == 1
                       else run_batch_forked(matcher, records, truth, args.batch_processes))
    engine_summary = summarise(outcomes, args.population)
    report["batch"] = {**batch, "quality": engine_summary}
    log(f"batch {batch['seconds']:.1f}s, {batch['records_per_s']:.1f} records/s")

    splink_summary, splink_info = None, None
    if args.splink:
        del matcher
        log("Splink + DuckDB on the same records and population")
        splink_outcomes, splink_info = run_splink(identities, records, truth, args.splink_timeout)
        if splink_outcomes is not None:
            splink_summary = summarise(splink_outcomes, args.population)
        report["splink"] = {**splink_info, "quality": splink_summary}
        log(f"Splink: {json.dumps(splink_info, default=str)[:400]}")

    print(f"\n== build at {args.population:,} identities ==")
    print(json.dumps({k: v for k, v in figures.items() if k != "footprint"}, indent=1))
    print(f"\n== restart to serving ==\n{json.dumps(report['restart'], indent=1)}")
    if "restart_from_snapshot" in report:
        print(f"from the index snapshot: {json.dumps(report['restart_from_snapshot'])}")
    print(f"\n== MatchRecord through gRPC (plaintext; gate, audit, store on) ==\n{latency_table(latency)}")
    if "latency_processes" in report:
        print(f"\n== MatchRecord, served by N processes (linkage serve --processes N) ==\n"
              f"{processes_table(report['latency_processes'])}")
    print(f"\n== batch of {len(records):,} records ==")
    print(side_by_side(engine_summary, splink_summary, batch, splink_info if splink_summary else None))
    if splink_info and splink_summary is None:
        print(f"Splink: {splink_info.get('error')}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / f"scale-{args.population}-{args.records}.json"
    out.write_text(json.dumps(report, indent=1, default=str))
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
