"""Imports: bulk records from a source, and change files of the population database.

Every row is validated; rejects are kept with their line and reason and never written. Rows are
committed in batches, each together with a checkpoint (how far the input got), so an import killed at
any moment resumes after its last committed batch, and re-running a finished input changes nothing.
Upserts are idempotent, so replaying a batch that was being written when the process died is harmless.

Change files apply upserts, deaths, merges and personal-number reissues; links that depended on a
changed identity are then re-checked with the matcher.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any, Protocol

from linkage.domain import Candidate, MatchResult, PersonRecord
from linkage.ports import (
    Change,
    ChangeOp,
    ChangeRow,
    ChangeSource,
    ImportCheckpoint,
    Matcher,
    RecordSource,
    SourceRow,
    UnitOfWork,
)
from linkage.tracing.model import LifeEvent
from linkage.validation import check_date_text, check_personal_number, validate_record

POPULATION = "population"
DEATH = "death"
IMPORTER = "import"  # recorded_by of life events that come from change files
DUPLICATE = "record_id: appears more than once in this input with different content"


@dataclass
class ImportReport:
    read: int = 0
    written: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    resumed_from_line: int = 0
    already_done: bool = False
    description: str = ""
    rechecked: int = 0  # change files: links re-checked after their identity changed


def import_identities(
    rows: Iterable[tuple[int, PersonRecord]],
    uow_factory: Callable[[], UnitOfWork],
    batch_size: int = 5_000,
    matcher: Matcher | None = None,
) -> ImportReport:
    """Load (line, identity) rows without a checkpoint (the first, simple import; `linkage link` style
    callers); returns what was read, written and rejected."""
    report = ImportReport()
    iterator = iter(rows)
    while batch := list(islice(iterator, batch_size)):
        good: list[PersonRecord] = []
        for line, record in batch:
            report.read += 1
            reason = reject_reason(record)
            if reason:
                report.rejected.append((line, reason))
            else:
                good.append(record)
        with uow_factory() as uow:
            report.written += uow.identities.add_many(good)
            uow.commit()
        if matcher is not None:
            matcher.add_identities(good)
    return report


def reject_reason(record: PersonRecord, today: date | None = None) -> str:
    violations = validate_record(record, today)
    return "; ".join(f"{f}: {r}" for f, r in violations)


class ImportUnitOfWork(UnitOfWork, Protocol):
    imports: Any  # linkage.ports.ImportLogRepository, plus started_at/changed_since/restart on SQL stores


# Writes one batch of valid identities in the batch's transaction; returns how many were new or changed.
BulkWriter = Callable[[Any, list[PersonRecord]], int]


def _add_many(uow: Any, records: list[PersonRecord]) -> int:
    return uow.identities.add_many(records)


def import_source(
    source: RecordSource,
    uow_factory: Callable[[], ImportUnitOfWork],
    *,
    batch_size: int = 5_000,
    matcher: Matcher | None = None,
    progress: Callable[[int], None] | None = None,
    write_identities: BulkWriter = _add_many,
    restart: bool = False,
    today: date | None = None,
) -> ImportReport:
    """Import a source with checkpoints: population rows become identities, others source records.

    `progress` is called with the position reached (bytes of a file) after each batch.
    """
    fingerprint = source.fingerprint()
    checkpoint, started = _begin(source, uow_factory, restart)
    report = ImportReport(read=checkpoint.read, written=checkpoint.written,
                          resumed_from_line=checkpoint.line, description=source.description)
    if checkpoint.finished:
        report.already_done = True
    else:
        rows = source.rows(checkpoint.line, checkpoint.offset)
        for batch in _batches(rows, batch_size):
            checkpoint = _import_batch(batch, source, uow_factory, checkpoint, started, write_identities,
                                       matcher, today)
            if progress is not None:
                progress(checkpoint.offset)
        _finish(uow_factory, checkpoint)
        report.read, report.written = checkpoint.read, checkpoint.written
    with uow_factory() as uow:
        report.rejected = uow.imports.rejects(fingerprint)
    return report


def _begin(source: Any, uow_factory: Callable[[], ImportUnitOfWork],
           restart: bool) -> tuple[ImportCheckpoint, datetime]:
    fingerprint = source.fingerprint()
    with uow_factory() as uow:
        if restart:
            uow.imports.restart(fingerprint)
        checkpoint = uow.imports.checkpoint(fingerprint)
        if checkpoint is None:
            checkpoint = ImportCheckpoint(fingerprint, getattr(source, "kind", "changes"), source.description)
            uow.imports.save_checkpoint(checkpoint)
        started = uow.imports.started_at(fingerprint)
        uow.commit()
    return checkpoint, started


def _finish(uow_factory: Callable[[], ImportUnitOfWork], checkpoint: ImportCheckpoint) -> None:
    with uow_factory() as uow:
        uow.imports.save_checkpoint(dataclasses.replace(checkpoint, finished=True))
        uow.commit()


def _batches(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(rows, size)):
        yield batch


def _import_batch(batch: list[SourceRow], source: RecordSource, uow_factory: Callable[[], ImportUnitOfWork],
                  checkpoint: ImportCheckpoint, started: datetime, write_identities: BulkWriter,
                  matcher: Matcher | None, today: date | None) -> ImportCheckpoint:
    rejects: list[tuple[int, str]] = []
    good: dict[str, tuple[int, PersonRecord]] = {}
    for row in batch:
        reason = row.reason or (reject_reason(row.record, today) if row.record else "no record")
        if not reason and row.record is not None:
            earlier = good.get(row.record.record_id)
            if earlier is not None and earlier[1] != row.record:
                reason = DUPLICATE
            elif earlier is None:
                good[row.record.record_id] = (row.line, row.record)
        if reason:
            rejects.append((row.line, reason))
    population = source.kind == POPULATION
    with uow_factory() as uow:
        records = [record for _, record in good.values()]
        if population and records:
            clashing = uow.imports.changed_since(records, started)
            rejects += [(line, DUPLICATE) for line, r in good.values() if r.record_id in clashing]
            records = [r for r in records if r.record_id not in clashing]
            written = write_identities(uow, records)
        else:
            for record in records:
                uow.records.upsert(record)
            written = len(records)
        checkpoint = _close_batch(uow, checkpoint, batch, written, rejects)
    if matcher is not None and population:
        matcher.add_identities(records)
    return checkpoint


# --- change files -----------------------------------------------------------------------------------
def apply_changes(
    source: ChangeSource,
    uow_factory: Callable[[], ImportUnitOfWork],
    matcher: Matcher | None = None,
    *,
    batch_size: int = 1_000,
    progress: Callable[[int], None] | None = None,
    today: date | None = None,
) -> ImportReport:
    """Apply a change file with checkpoints, then re-check the links of every identity it changed."""
    checkpoint, _ = _begin(source, uow_factory, restart=False)
    report = ImportReport(read=checkpoint.read, written=checkpoint.written,
                          resumed_from_line=checkpoint.line, description=source.description)
    if checkpoint.finished:
        report.already_done = True
    else:
        for batch in _batches(source.changes(checkpoint.line, checkpoint.offset), batch_size):
            checkpoint, touched = _apply_batch(batch, uow_factory, checkpoint, matcher, today)
            if matcher is not None:
                report.rechecked += recheck_links(touched, matcher, uow_factory)
            if progress is not None:
                progress(checkpoint.offset)
        _finish(uow_factory, checkpoint)
        report.read, report.written = checkpoint.read, checkpoint.written
    with uow_factory() as uow:
        report.rejected = uow.imports.rejects(source.fingerprint())
    return report


def _apply_batch(batch: list[ChangeRow], uow_factory: Callable[[], ImportUnitOfWork],
                 checkpoint: ImportCheckpoint, matcher: Matcher | None,
                 today: date | None) -> tuple[ImportCheckpoint, set[str]]:
    today = today or date.today()
    rejects: list[tuple[int, str]] = []
    touched: set[str] = set()
    changed: list[PersonRecord] = []
    written = 0
    with uow_factory() as uow:
        for row in batch:
            if row.change is None:
                rejects.append((row.line, row.reason))
                continue
            outcome = _apply(row.change, uow, today)
            if isinstance(outcome, str):
                rejects.append((row.line, outcome))
                continue
            written += 1
            touched |= outcome
            if row.change.op in (ChangeOp.UPSERT, ChangeOp.PID_CHANGE):
                current = uow.identities.get(row.change.identity_id)
                if current is not None:
                    changed.append(current)
        checkpoint = _close_batch(uow, checkpoint, batch, written, rejects)
    if matcher is not None:
        matcher.add_identities(changed)
    return checkpoint, touched


def _apply(change: Change, uow: Any, today: date) -> set[str] | str:
    """Apply one change in the open unit of work: the identity ids whose links need re-checking, or
    the reason the change is rejected. Applying a change twice is the same as applying it once."""
    if change.op is ChangeOp.UPSERT:
        assert change.record is not None
        reason = reject_reason(change.record, today)
        if reason:
            return reason
        holder = uow.identities.get_by_pid(change.record.pid) if change.record.pid else None
        if holder is not None and holder.record_id != change.identity_id:
            return "pid: held by another identity"
        uow.identities.add_many([change.record])
        uow.imports.log_change(change.op.value, change.identity_id)
        return {change.identity_id}
    current = uow.identities.get(change.identity_id)
    if change.op is ChangeOp.MERGE:
        return _merge(change, current, uow)
    if current is None:
        return "identity_id: no such identity"
    if change.op is ChangeOp.DEATH:
        problems = check_date_text(change.date, today)
        if problems or len(change.date) != 10:
            return "date: " + ("; ".join(problems) or "must be a full date")
        if change.date < current.birth_date:
            return "date: before the date of birth"
        deaths = [e for e in uow.adoption_files.life_events(change.identity_id) if e.kind == DEATH]
        if any(e.event_date == change.date for e in deaths):
            return set()  # already applied
        uow.adoption_files.add_life_event(LifeEvent(change.identity_id, DEATH, change.date, IMPORTER,
                                                    datetime.now(UTC)))
        uow.imports.log_change(change.op.value, change.identity_id)
        return {change.identity_id}
    problems = check_personal_number(change.new_pid, today)
    if problems:
        return "new_pid: " + "; ".join(problems)
    if current.pid == change.new_pid:
        return set()  # already applied
    if change.old_pid and change.old_pid != current.pid:
        return "old_pid: is not the identity's current personal number"
    holder = uow.identities.get_by_pid(change.new_pid)
    if holder is not None:
        return "new_pid: held by another identity"
    updated = dataclasses.replace(current, pid=change.new_pid)
    reason = reject_reason(updated, today)
    if reason:
        return reason
    uow.identities.add_many([updated])
    uow.imports.log_change(change.op.value, change.identity_id)
    return {change.identity_id}


def _merge(change: Change, survivor: PersonRecord | None, uow: Any) -> set[str] | str:
    if survivor is None:
        return "identity_id: no such identity (the survivor of a merge)"
    if uow.imports.survivor_of(change.other_id) == change.identity_id:
        return set()  # already applied
    if uow.identities.get(change.other_id) is None:
        return "other_id: no such identity (the absorbed one of a merge)"
    uow.imports.record_merge(change.other_id, change.identity_id)
    uow.imports.delete_identity(change.other_id)
    uow.imports.log_change(change.op.value, change.identity_id, change.other_id)
    return {change.identity_id, change.other_id}


def recheck_links(identity_ids: Iterable[str], matcher: Matcher,
                  uow_factory: Callable[[], ImportUnitOfWork]) -> int:
    """Re-match every source record linked to one of these identities and store the new decision.

    An absorbed identity still in the matcher's memory is replaced by its survivor in the result.
    Returns how many records were re-checked.
    """
    ids = sorted(set(identity_ids))
    if not ids:
        return 0
    with uow_factory() as uow:
        linked = {(link.source, link.record_id) for i in ids for link in uow.links.linked_to(i)}
        records = [r for key in sorted(linked) if (r := uow.records.get(*key)) is not None]
    for record in records:
        with uow_factory() as uow:
            result = _without_absorbed(matcher.match(record), uow)
            uow.links.save(result)
            if getattr(uow, "reviews", None) is not None:
                from linkage.review.service import sync_case

                sync_case(result, uow, datetime.now(UTC))  # type: ignore[arg-type]
            uow.commit()
    return len(records)


def _without_absorbed(result: MatchResult, uow: Any) -> MatchResult:
    candidates: list[Candidate] = []
    for candidate in result.candidates:
        survivor_id = uow.imports.survivor_of(candidate.identity_id)
        if survivor_id is None:
            candidates.append(candidate)
            continue
        survivor = uow.identities.get(survivor_id)
        if survivor is not None and all(c.identity_id != survivor_id for c in candidates):
            candidates.append(dataclasses.replace(candidate, identity_id=survivor_id, pid=survivor.pid))
    return dataclasses.replace(result, candidates=tuple(candidates))


def _close_batch(uow: ImportUnitOfWork, checkpoint: ImportCheckpoint, batch: list, written: int,
                 rejects: list[tuple[int, str]]) -> ImportCheckpoint:
    """Keep the batch's rejects and move the checkpoint past it, in the batch's own transaction, so a
    kill between batches resumes exactly after the last committed one."""
    uow.imports.add_rejects(checkpoint.fingerprint, rejects)
    last = batch[-1]
    checkpoint = dataclasses.replace(
        checkpoint, line=last.line, offset=last.end_offset, read=checkpoint.read + len(batch),
        written=checkpoint.written + written, rejected=checkpoint.rejected + len(rejects))
    uow.imports.save_checkpoint(checkpoint)
    uow.commit()
    return checkpoint
