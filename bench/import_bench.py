"""Import throughput (rows/s) of `linkage import population` for N synthetic population rows, side by side:
SQLite and PostgreSQL, batched INSERT and (PostgreSQL) COPY, with and without encryption at rest.

    .venv/bin/python bench/import_bench.py [--rows 1000000] [--rows-for sqlite/insert/plain=200000]
                                           [--configs sqlite/insert/sealed,...] [--pg-url URL]

Each configuration imports the same `population.csv` (written by `linkage.synth.generate`) into an empty,
migrated store through the real path: `open_source` (encoding detection, layout, validation) and
`import_source` (checkpoint committed with every batch of 5,000). "sealed" is the store as it always
runs: every personal field AES-256-GCM, pid blind index and change fingerprint HMAC-SHA256. "plain" swaps
in `PlaintextCodec` from `bench/encryption_bench.py`, which writes the same columns as UTF-8: a
measuring instrument that exists only in the benches, never in the service.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("LINKAGE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/linkage_bench")
BATCH = 5_000
CONFIGS = ("sqlite/insert/sealed", "sqlite/insert/plain", "postgresql/insert/sealed",
           "postgresql/insert/plain", "postgresql/copy/sealed", "postgresql/copy/plain")


@dataclass(frozen=True)
class Measurement:
    config: str
    rows: int
    written: int
    rejected: int
    seconds: float

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds


def write_population(out_dir: Path, rows: int, seed: int = 7) -> Path:
    """population.csv of `rows` synthetic people (the records and truth files are kept tiny)."""
    from linkage.synth import generate

    generate(out_dir, population=rows, records=10, seed=seed)
    return out_dir / "population.csv"


def _conninfo(url: str, database: str | None = None) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return psycopg.conninfo.make_conninfo(host=parsed.host or "127.0.0.1", port=parsed.port or 5432,
                                          user=parsed.username or "postgres",
                                          password=parsed.password or None,
                                          dbname=database or parsed.database)


@contextlib.contextmanager
def empty_database(backend: str, scratch: Path, name: str, pg_url: str = PG_URL) -> Iterator[str]:
    """An empty database for one configuration: a new SQLite file, or a new PostgreSQL schema (dropped
    afterwards) in the bench database, which is created when missing."""
    if backend == "sqlite":
        yield f"sqlite:///{scratch / (name.replace('/', '_') + '.sqlite')}"
        return
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    database = make_url(pg_url).database
    with psycopg.connect(_conninfo(pg_url, "postgres"), autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone() is None:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    schema = f"bench_{os.getpid()}_{name.replace('/', '_')}"
    with psycopg.connect(_conninfo(pg_url), autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        url = make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_conninfo(pg_url), autocommit=True) as connection:
            connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def measure(config: str, file: Path, scratch: Path, pg_url: str = PG_URL) -> Measurement:
    """Import `file` once under `config` ("backend/writer/crypto") into an empty store and time it."""
    from adapters.sources.commands import copy_writer
    from adapters.sources.files import open_source
    from adapters.sources.layout import load_layout
    from adapters.store import Store, StoreCrypto
    from bench.encryption_bench import PlaintextCodec
    from linkage.security.keyset import Keyset
    from linkage.services.importing import import_source

    backend, writer, sealing = config.split("/")
    codec = StoreCrypto if sealing == "sealed" else PlaintextCodec
    options = {"write_identities": copy_writer} if writer == "copy" else {}
    with empty_database(backend, scratch, config, pg_url) as url:
        store = Store(url, codec(Keyset.generate()))
        store.migrate()
        try:
            started = time.perf_counter()
            report = import_source(open_source(file, load_layout("population_csv")), store.unit_of_work,
                                   batch_size=BATCH, **options)
            seconds = time.perf_counter() - started
            with store.unit_of_work() as uow:
                stored = uow.identities.count()
        finally:
            store.dispose()
    if stored != report.written:
        raise AssertionError(f"{config}: the import wrote {report.written} rows but the store holds {stored}")
    return Measurement(config, report.read, report.written, len(report.rejected), seconds)


def table(measurements: list[Measurement]) -> str:
    """One side-by-side table: a row per backend and writer, sealed and plain in columns."""
    by_config = {m.config: m for m in measurements}
    lines = [f"{'backend / writer':<22}{'rows':>10}{'sealed rows/s':>16}{'plain rows/s':>15}{'cost':>8}",
             "-" * 71]
    for prefix in dict.fromkeys(c.rsplit("/", 1)[0] for c in by_config):
        sealed, plain = by_config.get(prefix + "/sealed"), by_config.get(prefix + "/plain")
        rows = sorted({m.rows for m in (sealed, plain) if m is not None})
        cost = f"{plain.rows_per_s / sealed.rows_per_s:.2f}x" if sealed and plain else "-"
        lines.append(f"{prefix.replace('/', ' / '):<22}{'/'.join(f'{r:,}' for r in rows):>10}"
                     f"{_rate(sealed):>16}{_rate(plain):>15}{cost:>8}")
    return "\n".join(lines)


def _rate(measurement: Measurement | None) -> str:
    return f"{measurement.rows_per_s:,.0f}" if measurement else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rows-for", action="append", default=[], metavar="CONFIG=N",
                        help="run CONFIG on the first N rows instead (a separate, shorter file)")
    parser.add_argument("--configs", default=",".join(CONFIGS),
                        help="comma-separated, from: " + ", ".join(CONFIGS))
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args()
    configs = [c for c in args.configs.split(",") if c]
    unknown = set(configs) - set(CONFIGS)
    if unknown:
        parser.error(f"unknown configurations: {sorted(unknown)}")
    sizes = {c: args.rows for c in configs} | {k: int(v) for k, v in (o.split("=", 1) for o in args.rows_for)}
    measurements = []
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        files: dict[int, Path] = {}
        for config in configs:
            rows = sizes[config]
            if rows not in files:
                started = time.perf_counter()
                files[rows] = write_population(scratch / f"pop_{rows}", rows)
                print(f"population.csv: {rows:,} rows written in {time.perf_counter() - started:.0f} s",
                      flush=True)
            measurement = measure(config, files[rows], scratch, args.pg_url)
            print(f"{config}: {measurement.rows:,} read, {measurement.written:,} written, "
                  f"{measurement.rejected} rejected in {measurement.seconds:.1f} s = "
                  f"{measurement.rows_per_s:,.0f} rows/s", flush=True)
            measurements.append(measurement)
    print()
    print(table(measurements))
    return 0


if __name__ == "__main__":
    sys.exit(main())
