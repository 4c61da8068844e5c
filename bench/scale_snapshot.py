"""Restart from the engine's index snapshot (`linkage.engine.snapshot`): write and load seconds, and a
fresh process's start to answering SERVING over the mapped snapshot (`python -m bench.scale_snapshot serve`).

The snapshot's blocking keys are stable blake2b hashes, so the restarted process needs no fixed hash seed.
The restarted process serves the loaded matcher through the real server (`bench.scale_latency`); the
restart of `linkage serve` itself (snapshot, then the store's catch-up): tests/e2e/test_snapshot_restart.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linkage.domain import MatchResult, PersonRecord  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def save(matcher, path: Path) -> dict:
    from linkage.engine import snapshot

    began = time.perf_counter()
    written = snapshot.save(matcher, Path(path), watermark=datetime.now(UTC))
    size = sum(f.stat().st_size for f in written.iterdir())
    return {"save_s": time.perf_counter() - began, "snapshot_mb": size / 2**20,
            "snapshot_bytes_per_identity": size / max(len(matcher), 1)}


def load(path: Path):
    """A matcher with the default model over the snapshot (the index does not depend on the model), with
    the knowledge tables loaded as `linkage serve` loads them after a snapshot (`warm_knowledge`)."""
    from linkage.bootstrap import warm_knowledge
    from linkage.engine import snapshot
    from linkage.model import load_default_model

    matcher = snapshot.load(Path(path), load_default_model())[0]
    warm_knowledge()
    return matcher


def time_restart(path: Path, timeout_s: float = 300.0, probes: Sequence[PersonRecord] = ()) -> dict:
    """Seconds from starting a fresh process to its health service answering SERVING over the snapshot,
    and the (decision, best identity) the restarted server gives each of `probes`."""
    from bench.scale_latency import wait_serving
    from linkage.api import client
    from linkage.security import pki
    from linkage.security.tokens import TokenIssuer

    with tempfile.TemporaryDirectory(prefix="scale-restart-") as tmp:
        port_file = Path(tmp) / "port"
        began = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "bench.scale_snapshot", "serve", str(path),
                                    str(port_file), tmp], cwd=REPO, stdin=subprocess.PIPE,
                                   env=dict(os.environ))
        try:
            while not port_file.exists():
                if process.poll() is not None or time.perf_counter() - began > timeout_s:
                    raise RuntimeError("the restarted process did not come up")
                time.sleep(0.05)
            address = f"127.0.0.1:{port_file.read_text().strip()}"
            wait_serving(address)
            seconds = time.perf_counter() - began
            signing = pki.load_signing_key(pki.KeyFiles(Path(tmp) / "keys").token_signing_key)
            token = TokenIssuer(signing).issue("steward-bench", "steward", "data_quality_review")
            answers = [summary(client.match(address, r, token=token)) for r in probes]
        finally:
            process.stdin.close()  # tells it to stop
            process.wait(timeout=60)
    return {"process_start_to_serving_s": seconds, "answers": answers}


def summary(result: MatchResult) -> tuple[str, str | None]:
    return result.decision.value, result.best.identity_id if result.best else None


def serve(path: Path, port_file: Path, workdir: Path) -> None:
    from bench.scale_latency import serve_matcher

    began = time.perf_counter()
    matcher = load(path)
    print(f"snapshot loaded in {time.perf_counter() - began:.2f} s", file=sys.stderr, flush=True)
    with serve_matcher(matcher, workdir) as served:
        tmp = port_file.with_suffix(".tmp")
        tmp.write_text(str(served.running.port))
        tmp.rename(port_file)
        sys.stdin.read()  # until the parent closes our stdin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["serve"])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("port_file", type=Path)
    parser.add_argument("workdir", type=Path)
    args = parser.parse_args(argv)
    serve(args.snapshot, args.port_file, args.workdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
