"""Bulk loading of population identities: validated, batched, idempotent.

Rows that fail validation are reported with their line and reason and never written; the others
are committed in batches, and re-importing the same file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from linkage.domain import PersonRecord
from linkage.ports import Matcher, UnitOfWork
from linkage.validation import validate_record


@dataclass
class ImportReport:
    read: int = 0
    written: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


def import_identities(
    rows: Iterable[tuple[int, PersonRecord]],
    uow_factory: Callable[[], UnitOfWork],
    batch_size: int = 5_000,
    matcher: Matcher | None = None,
) -> ImportReport:
    """Load (line, identity) rows; returns what was read, written and rejected."""
    report = ImportReport()
    iterator = iter(rows)
    while batch := list(islice(iterator, batch_size)):
        good: list[PersonRecord] = []
        for line, record in batch:
            report.read += 1
            violations = validate_record(record)
            if violations:
                report.rejected.append((line, "; ".join(f"{f}: {r}" for f, r in violations)))
            else:
                good.append(record)
        with uow_factory() as uow:
            report.written += uow.identities.add_many(good)
            uow.commit()
        if matcher is not None:
            matcher.add_identities(good)
    return report
