"""MatchRecord latency through the real gRPC server, at 1 and N concurrent clients.

The server is the production one (`build_server`: security gate with token check, rate limiter, audit
log, idempotency cache, the linking service writing record + decision to a real SQLite store) around an
already-built matcher. Only the transport differs: plaintext (`Settings.insecure`), as `linkage serve
--insecure` runs it, so the figures leave out TLS. The clients run in a separate process
(`bench.scale_client`) and present a steward's token.

Alone, without the rest of `bench.scale` (same latency records), from a saved matcher after the first run:

    .venv/bin/python -m bench.scale_latency --population 1000000 --clients 1,8 --snapshot /tmp/snapshot-1m
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.scale_client import write_requests
from linkage.api import convert
from linkage.api.server import RunningServer, build_server
from linkage.bootstrap import App, bootstrap
from linkage.config import Settings
from linkage.domain import PersonRecord
from linkage.engine.conflicts import already_linked_checker
from linkage.security import pki
from linkage.security.tokens import TokenIssuer
from linkage.v1 import linkage_service_pb2 as pb

REPO = Path(__file__).resolve().parents[1]


class TimedMatcher:
    """The served matcher, timing each `match`: splits a call's latency into engine and the rest."""

    def __init__(self, matcher) -> None:
        self._matcher = matcher
        self.model_version = matcher.model_version
        self.seconds: list[float] = []

    @property
    def model(self):
        return getattr(self._matcher, "model", None)

    def match(self, record: PersonRecord):
        began = time.perf_counter()
        try:
            return self._matcher.match(record)
        finally:
            self.seconds.append(time.perf_counter() - began)

    def add_identities(self, identities) -> None:
        self._matcher.add_identities(identities)

    def __len__(self) -> int:
        return len(self._matcher)


@dataclass
class Served:
    app: App
    running: RunningServer | None  # None: served by forked worker processes on `port`
    token: str
    timed: TimedMatcher
    port: int = 0

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port or self.running.port}"  # type: ignore[union-attr]


@contextmanager
def serve_matcher(matcher, workdir: Path, workers: int = 8) -> Iterator[Served]:
    """The real server around `matcher`, on a loopback port, with a fresh store and development keys.

    The matcher gets the store's already-linked check while served (as `bootstrap.default_matcher`
    wires it), and loses it again afterwards so in-process batch figures stay comparable.
    """
    settings = Settings(data_dir=workdir, db_url=f"sqlite:///{workdir / 'linkage.sqlite'}", insecure=True,
                        workers=workers, rate_per_s=1e9, rate_burst=10**9)
    timed = TimedMatcher(matcher)
    app = bootstrap(settings, matcher=timed)
    previous_checker = matcher.conflict_checker
    matcher.conflict_checker = already_linked_checker(app.store.unit_of_work)
    running = build_server(app, "127.0.0.1:0")
    running.start()
    issuer = TokenIssuer(pki.load_signing_key(app.security.keys.token_signing_key))
    token = issuer.issue("steward-bench", "steward", "data_quality_review", ttl_s=6 * 3600)
    try:
        yield Served(app, running, token, timed)
    finally:
        running.stop(0)
        matcher.conflict_checker = previous_checker
        app.close()


@contextmanager
def serve_matcher_processes(matcher, workdir: Path, processes: int, workers: int = 8) -> Iterator[Served]:
    """As `serve_matcher`, run as `linkage serve --processes N` runs: a supervisor process forks N workers
    over `matcher` (copy-on-write), each with its own server on the one port (`linkage.api.workers`).

    Nothing of gRPC may exist in this process before the fork: call it before any `serve_matcher` or
    `wait_serving` here. The engine's own timings stay in the workers (reported as NaN).
    """
    import multiprocessing
    import os
    import signal
    from datetime import UTC, datetime

    from linkage.api.workers import serve_processes

    settings = Settings(data_dir=workdir, db_url=f"sqlite:///{workdir / 'linkage.sqlite'}", insecure=True,
                        workers=workers, rate_per_s=1e9, rate_burst=10**9)
    app = bootstrap(settings, matcher=matcher)
    previous_checker = matcher.conflict_checker
    matcher.conflict_checker = already_linked_checker(app.store.unit_of_work)
    fork = multiprocessing.get_context("fork")
    port = fork.Value("i", 0)

    def supervise() -> None:
        serve_processes(app, processes, "127.0.0.1:0", follow_from=datetime.now(UTC),
                        on_ready=lambda bound: setattr(port, "value", bound))

    supervisor = fork.Process(target=supervise, name="bench-supervisor")
    supervisor.start()
    try:
        while not port.value:
            if not supervisor.is_alive():
                raise RuntimeError(f"the supervisor exited with {supervisor.exitcode}")
            time.sleep(0.05)
        issuer = TokenIssuer(pki.load_signing_key(app.security.keys.token_signing_key))
        token = issuer.issue("steward-bench", "steward", "data_quality_review", ttl_s=6 * 3600)
        yield Served(app, None, token, TimedMatcher(matcher), port=port.value)
    finally:
        if supervisor.pid is not None and supervisor.is_alive():
            os.kill(supervisor.pid, signal.SIGTERM)
        supervisor.join(60)
        matcher.conflict_checker = previous_checker
        app.close()


def percentiles(latencies_ms: Sequence[float]) -> dict[str, float]:
    if not latencies_ms:
        return dict.fromkeys(("p50_ms", "p95_ms", "p99_ms", "max_ms", "mean_ms"), float("nan"))
    values = np.asarray(latencies_ms, dtype=np.float64)
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {"p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99), "max_ms": float(values.max()),
            "mean_ms": float(values.mean())}


def measure(served: Served, records: Sequence[PersonRecord], clients: int, warmup: int = 20) -> dict:
    """Send `records` as MatchRecord calls from `clients` concurrent clients in another process."""
    served.timed.seconds.clear()
    with tempfile.TemporaryDirectory(prefix="scale-client-") as tmp:
        requests_file, out = Path(tmp) / "requests.bin", Path(tmp) / "latencies.json"
        write_requests(requests_file,
                       (pb.MatchRecordRequest(record=convert.record_to_message(r)) for r in records))
        subprocess.run([sys.executable, "-m", "bench.scale_client", str(requests_file), str(out),
                        "--address", served.address, "--token", served.token, "--clients", str(clients),
                        "--warmup", str(warmup)], cwd=REPO, check=True)
        result = json.loads(out.read_text())
    latencies = result.pop("latencies_ms")
    engine = percentiles([1000 * s for s in served.timed.seconds])
    return {**result, **percentiles(latencies), **{f"engine_{k}": v for k, v in engine.items()}}


def wait_serving(address: str, timeout: float = 60.0) -> float:
    """Seconds until the health service at `address` answers SERVING."""
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    began = time.perf_counter()
    with grpc.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            try:
                if stub.Check(health_pb2.HealthCheckRequest(), timeout=2).status == \
                        health_pb2.HealthCheckResponse.SERVING:
                    return time.perf_counter() - began
            except grpc.RpcError:
                if time.perf_counter() - began > timeout:
                    raise
            time.sleep(0.05)


def load_or_build(population: int, seed: int, snapshot: Path | None):
    """The population and a matcher over it: from `snapshot` (an engine snapshot, as `linkage snapshot`
    and `bench.scale --keep-snapshot` write) when it exists, else built and, when a path is given, saved
    there for the next run (the build takes minutes at 1 M; loading seconds)."""
    from bench.scale_snapshot import load, save
    from linkage.engine.matcher import FellegiSunterMatcher
    from linkage.model import load_default_model
    from linkage.synth.population import generate_population

    pop = generate_population(population, seed)
    if snapshot is not None and snapshot.exists():
        return pop, load(snapshot)
    matcher = FellegiSunterMatcher(load_default_model())
    matcher.add_identities(pop.record(i) for i in range(len(pop)))
    if snapshot is not None:
        save(matcher, snapshot)
    return pop, matcher


def measure_processes(matcher, records: Sequence[PersonRecord], clients: Sequence[int],
                      processes: Sequence[int], calls: int, workers: int = 8) -> list[dict]:
    """Per server process count, the latency at each client count (fresh records for every run)."""
    runs = []
    for p in processes:
        with tempfile.TemporaryDirectory(prefix="scale-latency-") as workdir, \
                serve_matcher_processes(matcher, Path(workdir), p, workers) as served:
            for n in clients:
                at = len(runs) * calls
                run = {"processes": p, **measure(served, records[at: at + calls], n)}
                runs.append(run)
                print(f"{p} process(es), {n} client(s): p50 {run['p50_ms']:.2f} p95 {run['p95_ms']:.2f} "
                      f"p99 {run['p99_ms']:.2f} ms ({run['calls_per_s']:.0f} calls/s); "
                      f"refused {run['error_codes']}", flush=True)
    return runs


def main(argv: list[str] | None = None) -> int:
    """Latency alone, without the rest of `bench.scale`: the same records as `bench.scale` sends (its
    default --records), from a saved matcher when --snapshot names one."""
    import argparse

    from linkage.synth.records import build_records

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--population", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--records", type=int, default=10_000, help="batch records bench.scale would skip")
    parser.add_argument("--latency-calls", type=int, default=2000)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--snapshot", type=Path, default=None)
    parser.add_argument("--processes", default="",
                        help="e.g. 1,2: serve forked as `linkage serve --processes N` (each N in turn) "
                             "instead of in this process")
    args = parser.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",")]
    began = time.perf_counter()
    pop, matcher = load_or_build(args.population, args.seed, args.snapshot)
    print(f"matcher over {len(matcher):,} identities in {time.perf_counter() - began:.1f}s", flush=True)
    settings_run = len(clients) * max(1, len(args.processes.split(",")) if args.processes else 1)
    records, _ = build_records(pop, args.records + args.latency_calls * settings_run, args.seed + 1)
    if args.processes:
        processes = [int(p) for p in args.processes.split(",")]
        runs = measure_processes(matcher, records[args.records:], clients, processes, args.latency_calls,
                                 args.workers)
        print(json.dumps(runs))
        return 0
    runs = []
    with tempfile.TemporaryDirectory(prefix="scale-latency-") as workdir, \
            serve_matcher(matcher, Path(workdir), workers=args.workers) as served:
        wait_serving(served.address)
        for i, n in enumerate(clients):
            first = args.records + i * args.latency_calls
            run = measure(served, records[first: first + args.latency_calls], n)
            runs.append(run)
            print(f"{n} client(s): p50 {run['p50_ms']:.2f} p95 {run['p95_ms']:.2f} "
                  f"p99 {run['p99_ms']:.2f} ms "
                  f"({run['calls_per_s']:.0f} calls/s); engine p50 {run['engine_p50_ms']:.2f} "
                  f"p99 {run['engine_p99_ms']:.2f} ms; refused {run['error_codes']}", flush=True)
    print(json.dumps(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
