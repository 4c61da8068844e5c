"""MatchRecord latency through the real gRPC server, at 1 and N concurrent clients.

The server is the production one (`build_server`: security gate with token check, rate limiter, audit
log, idempotency cache, the linking service writing record + decision to a real SQLite store) around an
already-built matcher. Only the transport differs: plaintext (`Settings.insecure`), as `linkage serve
--insecure` runs it, so the figures leave out TLS. The clients run in a separate process
(`bench.scale_client`) and present a steward's token.
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
    running: RunningServer
    token: str
    timed: TimedMatcher

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.running.port}"


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
