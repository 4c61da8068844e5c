"""Measure `add_many` on a real store: first load, then the same rows again (the no-op path).

    .venv/bin/python -m bench.store_load_bench [URL] [ROWS]

URL defaults to a fresh SQLite file in a temporary directory. Synthetic rows only (no real data).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from adapters.store import Store, StoreCrypto, sqlite_url
from linkage.domain import PersonRecord, Sex
from linkage.security.keyset import Keyset

BATCH = 5_000


def people(count: int) -> list[PersonRecord]:
    return [
        PersonRecord("population", f"P{i:09d}", f"Nguyễn Văn Số {i}", Sex.MALE, "2001-05-03", "Hà Nội",
                     "Trần Thị Lan", "Nguyễn Văn An", pid=f"{i:012d}")
        for i in range(count)
    ]


def load(store: Store, rows: list[PersonRecord]) -> tuple[int, float]:
    started, changed = time.perf_counter(), 0
    for start in range(0, len(rows), BATCH):
        with store.unit_of_work() as uow:
            changed += uow.identities.add_many(rows[start:start + BATCH])
            uow.commit()
    return changed, time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        url = sys.argv[1] if len(sys.argv) > 1 else sqlite_url(Path(scratch))
        count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
        store = Store(url, StoreCrypto(Keyset.generate()))  # personal fields sealed, as in production
        store.migrate()
        rows = people(count)
        for label in ("first load", "same rows again"):
            changed, seconds = load(store, rows)
            print(f"{store.dialect}: {label}: {count} rows, {changed} changed, {seconds:.2f} s, "
                  f"{count / seconds:,.0f} rows/s")
        store.dispose()


if __name__ == "__main__":
    main()
