"""Use cases of the linkage service: match one record, match many, read a link.

Each takes plain values plus a matcher and a unit of work; nothing here knows of gRPC or SQL.
A match is stored (the record and its decision) in one transaction, so a caller never sees a
decision that was not kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime

from linkage.domain import MatchResult, PersonRecord, StoredLink
from linkage.engine.conflicts import deferred_store_checks
from linkage.errors import InvalidRecord, NotFound
from linkage.ports import Matcher, UnitOfWork
from linkage.review.service import STEWARD_DECIDER_PREFIX, sync_case
from linkage.validation import validate_record

STEWARD_DECIDED = "steward_decided"  # the answer is a steward's standing decision, not the engine's
_NO_LOCK: AbstractContextManager[object] = nullcontext()
# Takes the work that makes a commit durable, and promises to finish it before anyone is answered.
DeferSync = Callable[[Callable[[], None]], None]


def match_record(record: PersonRecord, matcher: Matcher, uow: UnitOfWork,
                 write_lock: AbstractContextManager[object] = _NO_LOCK,
                 defer_sync: DeferSync | None = None, validated: bool = False) -> MatchResult:
    """Validate, score and decide one record, then keep the record and the decision together.

    `write_lock`, when given, is held for the transaction only (never while scoring): a store that takes
    one writer at a time (SQLite) makes concurrent writers poll with growing sleeps, which costs the
    callers of a busy server far more than queueing on a lock. `defer_sync`, when given and the store
    can, receives the wait for the commit to reach the disk instead of this function waiting: the server
    runs it alongside the audit entry's own flush, and answers only after both. `validated`: the caller
    has just checked the record with `validate_record` (the API's conversion does), so it is not again.

    What the store knows about the best candidate (already linked to another record of the source:
    `linkage.engine.conflicts`) is asked in this transaction, not in one of its own, when the matcher
    says how it decides (its `model`).
    """
    if not validated:
        violations = validate_record(record)
        if violations:
            raise InvalidRecord(violations)
    thresholds_for = getattr(getattr(matcher, "model", None), "thresholds_for", None)
    if thresholds_for is None:
        result, checks = matcher.match(record), None
    else:
        with deferred_store_checks() as checks:
            result = matcher.match(record)
    with write_lock, uow:
        standing = _steward_link(record, uow)
        if standing is not None:  # nothing written: the steward's link row stays as it is
            return replace(result, decision=standing.decision, conflicts=(STEWARD_DECIDED,))
        if checks is not None and checks.asked:
            result = checks.settle(result, uow, thresholds_for)
        uow.records.upsert(record)
        uow.links.save(result)
        if getattr(uow, "reviews", None) is not None:  # REVIEW opens a case; a confident answer closes one
            sync_case(result, uow, datetime.now(UTC))  # type: ignore[arg-type]
        commit_deferred = getattr(uow, "commit_deferred", None) if defer_sync is not None else None
        if commit_deferred is None:
            uow.commit()
        else:
            defer_sync(commit_deferred())
    return result


def _steward_link(record: PersonRecord, uow: UnitOfWork) -> StoredLink | None:
    """The link a steward decided for this very record: it stands over a re-match (a retry, a batch
    re-run). A corrected record (any field changed) is matched afresh, since the decision was about
    the old one."""
    link = uow.links.get(record.source, record.record_id)
    if link is None or not link.model_version.startswith(STEWARD_DECIDER_PREFIX):
        return None
    return link if uow.records.get(record.source, record.record_id) == record else None


def match_records(
    rows: Iterable[tuple[int, PersonRecord]], matcher: Matcher, uow_factory: Callable[[], UnitOfWork]
) -> Iterator[tuple[int, MatchResult | InvalidRecord]]:
    """Match a numbered stream of (line, record), in order; a bad record yields its InvalidRecord and is
    not written, the rest go on."""
    for line, record in rows:
        try:
            yield line, match_record(record, matcher, uow_factory())
        except InvalidRecord as invalid:
            yield line, invalid


def get_link(source: str, record_id: str, uow: UnitOfWork) -> StoredLink:
    with uow:
        link = uow.links.get(source, record_id)
    if link is None:
        raise NotFound(f"no link for {source}/{record_id}")
    return link
