"""Kill test: an import killed (SIGKILL) at random moments and resumed ends with exactly the rows of
a clean import, compared by count and by a checksum over (id, keyed fingerprint of every field).

    .venv/bin/python bench/kill_test.py --rows 1000000 --backend sqlite --kills 5
    .venv/bin/python bench/kill_test.py --rows 1000000 --backend postgresql --kills 5 [--copy] [--pg-url URL]

The import runs as `linkage import population` would (same function, real keys under a scratch
directory, personal fields sealed); the synthetic population comes from `linkage.synth`.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("LINKAGE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/linkage_test")
log_now = functools.partial(print, flush=True)  # output is kept in a file while a long run goes on
COLUMNS = ("source", "record_id", "full_name", "sex", "birth_date", "birth_place", "mother_name",
           "father_name", "pid", "recorded_on")


def write_population(path: Path, rows: int, seed: int = 11) -> None:
    from linkage.synth import generate_population

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(generate_population(rows, seed).csv_rows())


def worker_command(url: str, file: Path, data_dir: Path, keys_dir: Path, batch_size: int,
                   copy: bool = False) -> list[str]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--url", url, "--file", str(file),
               "--data-dir", str(data_dir), "--keys-dir", str(keys_dir), "--batch-size", str(batch_size)]
    return command + (["--copy"] if copy else [])


def run_worker(args: argparse.Namespace) -> int:
    from adapters.sources.commands import run_import
    from linkage.config import load_settings

    settings = load_settings(data_dir=args.data_dir, db_url=args.url, keys_dir=args.keys_dir)
    namespace = argparse.Namespace(what="population", file=args.file, layout="population_csv", map=[],
                                   batch_size=args.batch_size, restart=False, rejects=None, copy=args.copy)
    return run_import(namespace, settings)


def checksum(url: str, keys_dir: Path) -> tuple[int, str]:
    """(rows, sha256 over id and keyed fingerprint, in id order) of the identities table."""
    from sqlalchemy import text

    from adapters.store import Store

    store = Store(url)
    digest, count = hashlib.sha256(), 0
    with store.engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=50_000).execute(
            text("SELECT id, fingerprint FROM identities ORDER BY id"))
        for identity_id, fingerprint in result:
            digest.update(f"{identity_id}:{fingerprint}\n".encode())
            count += 1
    store.dispose()
    return count, digest.hexdigest()


def rows_committed(url: str) -> int:
    """How far the import's last checkpoint got (0 before the first one)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT max(rows_read) FROM import_runs")).scalar() or 0
    except Exception:  # noqa: BLE001 - the schema may not exist yet
        return 0
    finally:
        engine.dispose()


@contextlib.contextmanager
def database(backend: str, scratch: Path, name: str, pg_url: str = PG_URL) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{scratch / (name + '.sqlite')}"
        return
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    parsed = make_url(pg_url)
    conninfo = psycopg.conninfo.make_conninfo(host=parsed.host or "127.0.0.1", port=parsed.port or 5432,
                                              user=parsed.username or "postgres",
                                              password=parsed.password or None, dbname=parsed.database)
    schema = f"t_{os.getpid()}_kill_{name}"
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    try:
        yield parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


class WorkerFailed(RuntimeError):
    """An import that was not killed exited with an error (its stderr is in the message)."""


def _check(run: subprocess.CompletedProcess, what: str) -> None:
    if run.returncode not in (0, 1):  # 1: finished, with rejected rows in the report
        raise WorkerFailed(f"{what} exited with {run.returncode}: {run.stderr[-2_000:]}")


def kill_test(rows: int, backend: str, kills: int, scratch: Path, batch_size: int = 5_000,
              seed: int = 3, pg_url: str = PG_URL, log=log_now,  # noqa: ANN001
              copy: bool = False) -> dict:
    """Run the clean import and the killed-and-resumed one; returns both counts and checksums.

    With `copy` (PostgreSQL) both imports write through COPY instead of batched INSERT.
    """
    rng = random.Random(seed)
    file, keys_dir = scratch / "population.csv", scratch / "keys"
    write_population(file, rows)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TQDM_DISABLE": "1"}
    with database(backend, scratch, "clean", pg_url) as clean_url, \
            database(backend, scratch, "killed", pg_url) as killed_url:
        started = time.perf_counter()
        clean_command = worker_command(clean_url, file, scratch / "clean", keys_dir, batch_size, copy)
        clean_run = subprocess.run(clean_command, env=env, check=False, capture_output=True, text=True)
        _check(clean_run, "the clean import")
        clean_seconds = time.perf_counter() - started
        log(f"clean import: {rows} rows in {clean_seconds:.1f} s")
        killed_at, mid_import = [], 0
        targets = sorted(rng.sample(range(batch_size, rows), kills)) if rows > batch_size * 2 else [0] * kills
        for target in targets:
            command = worker_command(killed_url, file, scratch / "killed", keys_dir, batch_size, copy)
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # Wait until the import has committed past a random row, then kill it a random moment later,
            # most likely in the middle of writing a batch.
            while process.poll() is None and rows_committed(killed_url) < target:
                time.sleep(0.05)
            time.sleep(rng.uniform(0.0, 0.2))
            mid_import += process.poll() is None  # still importing: this SIGKILL lands mid-run
            process.send_signal(signal.SIGKILL)
            process.wait()
            killed_at.append(rows_committed(killed_url))
        log(f"SIGKILL {kills} times ({mid_import} mid-import); "
            f"rows read by the last checkpoint before each kill: {killed_at}")
        resume = worker_command(killed_url, file, scratch / "killed", keys_dir, batch_size, copy)
        final = subprocess.run(resume, env=env, check=False, capture_output=True, text=True)
        _check(final, "the resumed import")
        log(f"resumed: {final.stdout.strip()}")
        clean, killed = checksum(clean_url, keys_dir), checksum(killed_url, keys_dir)
        rerun = subprocess.run(resume, env=env, check=False, capture_output=True, text=True)
    result = {"rows": rows, "backend": backend, "kills": kills, "killed_at": killed_at,
              "kills_mid_import": mid_import,
              "clean": clean, "killed_and_resumed": killed, "equal": clean == killed,
              "rerun": rerun.stdout.strip(), "clean_seconds": round(clean_seconds, 1)}
    log(f"clean:   {clean[0]} rows, sha256 {clean[1]}")
    log(f"resumed: {killed[0]} rows, sha256 {killed[1]}")
    log(f"re-run of the same file: {result['rerun']}")
    log("RESULT: " + ("identical" if result["equal"] else "DIFFERENT"))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--keys-dir", help=argparse.SUPPRESS)
    parser.add_argument("--copy", action="store_true", help="PostgreSQL: both imports load through COPY")
    args = parser.parse_args()
    if args.worker:
        return run_worker(args)
    with tempfile.TemporaryDirectory() as scratch:
        result = kill_test(args.rows, args.backend, args.kills, Path(scratch), args.batch_size, args.seed,
                           args.pg_url, copy=args.copy)
    return 0 if result["equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
