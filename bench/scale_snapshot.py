"""A restart-time experiment: how fast could a process serve if the index were saved instead of rebuilt?

The engine has no snapshot yet (rebuilding encodes every identity again: ~100 µs each). This pickles the
matcher's built parts (encoder vocabularies, feature columns, candidate index, alive flags), then times a
fresh process from its start to answering SERVING with them (`python -m bench.scale_snapshot serve`).

It is a measurement, not the engine's snapshot format, and it shows a precondition of any snapshot (and of
the Spark path): blocking keys are Python `hash()` values of strings, salted per process unless
PYTHONHASHSEED is fixed. A snapshot loaded under another seed finds no candidates; so `save` refuses to
run unless the seed is fixed, and the restarted process gets the same seed.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linkage.domain import MatchResult, PersonRecord  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PARTS = ("encoder", "table", "index", "_alive")


def hash_seed() -> str | None:
    """The fixed PYTHONHASHSEED of this process, or None when string hashes are salted at random."""
    seed = os.environ.get("PYTHONHASHSEED")
    return seed if seed not in (None, "random") else None


def save(matcher, path: Path) -> dict:
    if hash_seed() is None:
        raise RuntimeError("blocking keys are salted per process: run with PYTHONHASHSEED fixed to snapshot")
    began = time.perf_counter()
    with Path(path).open("wb") as out:
        pickle.dump({name: getattr(matcher, name) for name in PARTS}, out, protocol=5)
    return {"save_s": time.perf_counter() - began, "snapshot_mb": Path(path).stat().st_size / 2**20}


def load(path: Path):
    """A matcher with the default model over the saved parts (the index does not depend on the model)."""
    from linkage.engine.matcher import FellegiSunterMatcher
    from linkage.model import load_default_model

    matcher = FellegiSunterMatcher(load_default_model())
    with Path(path).open("rb") as handle:
        parts = pickle.load(handle)
    for name in PARTS:
        setattr(matcher, name, parts[name])
    matcher.use_model(matcher.model)  # a scorer bound to the loaded table
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
                                   env={**os.environ, "PYTHONHASHSEED": hash_seed() or "0"})
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

    matcher = load(path)
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
