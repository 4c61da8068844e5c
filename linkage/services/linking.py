"""Use cases of the linkage service: match one record, match many, read a link.

Each takes plain values plus a matcher and a unit of work; nothing here knows of gRPC or SQL.
A match is stored (the record and its decision) in one transaction, so a caller never sees a
decision that was not kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from linkage.domain import MatchResult, PersonRecord, StoredLink
from linkage.errors import InvalidRecord, NotFound
from linkage.ports import Matcher, UnitOfWork
from linkage.review.service import sync_case
from linkage.validation import validate_record


def match_record(record: PersonRecord, matcher: Matcher, uow: UnitOfWork) -> MatchResult:
    """Validate, score and decide one record, then keep the record and the decision together."""
    violations = validate_record(record)
    if violations:
        raise InvalidRecord(violations)
    result = matcher.match(record)
    with uow:
        uow.records.upsert(record)
        uow.links.save(result)
        if getattr(uow, "reviews", None) is not None:  # REVIEW opens a case; a confident answer closes one
            sync_case(result, uow, datetime.now(UTC))  # type: ignore[arg-type]
        uow.commit()
    return result


def match_records(
    records: Iterable[PersonRecord], matcher: Matcher, uow_factory: Callable[[], UnitOfWork]
) -> Iterator[MatchResult | InvalidRecord]:
    """Match a stream; a bad record yields its InvalidRecord and is not written, the rest go on."""
    for record in records:
        try:
            yield match_record(record, matcher, uow_factory())
        except InvalidRecord as invalid:
            yield invalid


def get_link(source: str, record_id: str, uow: UnitOfWork) -> StoredLink:
    with uow:
        link = uow.links.get(source, record_id)
    if link is None:
        raise NotFound(f"no link for {source}/{record_id}")
    return link
