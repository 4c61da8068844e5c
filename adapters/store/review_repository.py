"""The review queue in SQL: cases, decisions, compare-and-set updates and keyset pages.

`replace` is the whole of optimistic concurrency: `UPDATE ... WHERE id = :id AND version = :seen`
changes one row or none, atomically on SQLite and PostgreSQL alike, so of two stewards racing for one
case exactly one succeeds and the other learns it without anything being lost.

A decision's reason is free text a steward may fill with a name: it is sealed on the way in and opened
on the way out (`StoreCrypto`), bound to the decision's id so it cannot be moved to another decision.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from adapters.store.crypto import StoreCrypto
from adapters.store.review_tables import NOT_SEALED_YET, REVIEW_DECISIONS, ReviewCaseRow, ReviewDecisionRow
from linkage.review.model import (
    CaseCandidate,
    CaseFilter,
    CaseState,
    Outcome,
    ReviewCase,
    ReviewDecision,
    WeightBar,
)

CASES = cast(Table, ReviewCaseRow.__table__)
DECISIONS = cast(Table, ReviewDecisionRow.__table__)
SEPARATOR = ";"
PageKey = tuple[float, datetime, str]
SETTLED = (CaseState.DECIDED.value, CaseState.CLOSED.value)
ANSWERS = (Outcome.MATCH.value, Outcome.NON_MATCH.value)  # a steward's answer on whether it is a match
# Looked up on every match (`sync_case`): built once, as building a statement costs more than running it.
_CASE = select(CASES).where(CASES.c.id == bindparam("case_id"))
# (states compared one by one: SQLAlchemy expands a NOT IN list on every execution)
_UNSETTLED = select(CASES.c.id).where(
    CASES.c.source == bindparam("source"), CASES.c.record_id == bindparam("record_id"),
    *(CASES.c.state != state for state in SETTLED)).order_by(CASES.c.created_at.desc()).limit(1)


def _candidates_json(candidates: Iterable[CaseCandidate]) -> str:
    return json.dumps([
        {"id": c.identity_id, "p": c.probability, "w": c.weight,
         "bars": [[b.field, b.level, b.weight] for b in c.bars]}
        for c in candidates
    ], ensure_ascii=False, separators=(",", ":"))


def _candidates_from_json(text: str) -> tuple[CaseCandidate, ...]:
    return tuple(
        CaseCandidate(item["id"], float(item["p"]), float(item["w"]),
                      tuple(WeightBar(f, level, float(w)) for f, level, w in item["bars"]))
        for item in json.loads(text)
    )


def case_values(case: ReviewCase) -> dict[str, Any]:
    return {
        "id": case.case_id, "source": case.source, "record_id": case.record_id, "state": case.state.value,
        "priority": case.priority, "top_probability": case.top_probability,
        "model_version": case.model_version, "conflicts": SEPARATOR.join(case.conflicts),
        "candidates": _candidates_json(case.candidates), "lease_holder": case.lease_holder,
        "lease_expires_at": case.lease_expires_at, "version": case.version,
        "required_reviews": case.required_reviews, "escalated": case.escalated,
        "created_at": case.created_at, "updated_at": case.updated_at,
    }


def _case(row: Any, reviewed_by: tuple[str, ...] = ()) -> ReviewCase:
    return ReviewCase(
        case_id=row["id"], source=row["source"], record_id=row["record_id"],
        candidates=_candidates_from_json(row["candidates"]), model_version=row["model_version"],
        priority=row["priority"], created_at=row["created_at"], updated_at=row["updated_at"],
        conflicts=tuple(row["conflicts"].split(SEPARATOR)) if row["conflicts"] else (),
        state=CaseState(row["state"]), lease_holder=row["lease_holder"],
        lease_expires_at=row["lease_expires_at"], version=row["version"],
        required_reviews=row["required_reviews"], escalated=bool(row["escalated"]), reviewed_by=reviewed_by,
    )


def _decision(row: Any, reason: str) -> ReviewDecision:
    return ReviewDecision(
        case_id=row["case_id"], steward=row["steward"], outcome=Outcome(row["outcome"]), reason=reason,
        decided_at=row["decided_at"], identity_id=row["identity_id"], decision_id=row["id"],
        undone_at=row["undone_at"], undone_by=row["undone_by"],
    )


class SqlReviewRepository:
    """Implements `linkage.ports.ReviewRepository`."""

    def __init__(self, session: Session, crypto: StoreCrypto) -> None:
        self._session, self._crypto = session, crypto

    # --- cases --------------------------------------------------------------------------------------
    def add(self, case: ReviewCase) -> None:
        self._session.execute(CASES.insert(), [case_values(case)])

    def get(self, case_id: str) -> ReviewCase | None:
        row = self._session.execute(_CASE, {"case_id": case_id}).mappings().first()
        if row is None:
            return None
        return _case(row, self._reviewers([case_id]).get(case_id, ()))

    def unsettled_for_record(self, source: str, record_id: str) -> ReviewCase | None:
        """The case of a record that is still in the queue (open, claimed or escalated), if any."""
        case_id = self._session.execute(
            _UNSETTLED, {"source": source, "record_id": record_id}).scalar_one_or_none()
        return self.get(case_id) if case_id else None

    def for_record(self, source: str, record_id: str) -> list[ReviewCase]:
        """Every case ever opened on a record, oldest first (the history a steward sees)."""
        query = select(CASES).where(CASES.c.source == source, CASES.c.record_id == record_id).order_by(
            CASES.c.created_at)
        return [_case(row) for row in self._session.execute(query).mappings()]

    def replace(self, case: ReviewCase, seen_version: int) -> bool:
        """Store `case` only if the stored one is still at `seen_version`; False when someone was first."""
        values = case_values(case)
        del values["id"], values["created_at"]
        result = self._session.execute(
            update(CASES).where(CASES.c.id == case.case_id, CASES.c.version == seen_version).values(**values)
        )
        return cast(Any, result).rowcount == 1

    def page(self, where: CaseFilter, now: datetime, limit: int, after: PageKey | None = None,
             include_escalated: bool = False) -> list[ReviewCase]:
        """Cases in queue order (priority first, then oldest), `limit` after the key of the last seen."""
        query = select(CASES).where(*self._conditions(where, now, include_escalated))
        if after is not None:
            priority, created_at, case_id = after
            query = query.where(or_(
                CASES.c.priority < priority,
                and_(CASES.c.priority == priority, or_(
                    CASES.c.created_at > created_at,
                    and_(CASES.c.created_at == created_at, CASES.c.id > case_id)))))
        query = query.order_by(CASES.c.priority.desc(), CASES.c.created_at, CASES.c.id).limit(limit)
        rows = self._session.execute(query).mappings().all()
        reviewers = self._reviewers([row["id"] for row in rows])
        return [_case(row, reviewers.get(row["id"], ())) for row in rows]

    def count(self, where: CaseFilter, now: datetime, include_escalated: bool = False) -> int:
        conditions = self._conditions(where, now, include_escalated)
        query = select(func.count()).select_from(CASES).where(*conditions)
        return self._session.execute(query).scalar_one()

    def _conditions(self, where: CaseFilter, now: datetime, include_escalated: bool) -> list[ColumnElement]:
        conditions: list[ColumnElement] = []
        if where.states:
            conditions.append(or_(*[self._state_is(state, now) for state in where.states]))
        if not include_escalated:
            conditions.append(CASES.c.escalated.is_(False))
        if where.sources:
            conditions.append(CASES.c.source.in_(where.sources))
        if where.model_version:
            conditions.append(CASES.c.model_version == where.model_version)
        if where.conflict:
            padded = SEPARATOR + CASES.c.conflicts + SEPARATOR
            conditions.append(padded.contains(SEPARATOR + where.conflict + SEPARATOR, autoescape=True))
        if where.min_priority:
            conditions.append(CASES.c.priority >= where.min_priority)
        if where.created_before is not None:
            conditions.append(CASES.c.created_at <= where.created_before)
        if where.created_after is not None:
            conditions.append(CASES.c.created_at >= where.created_after)
        if where.exclude_reviewed_by:
            mine = select(DECISIONS.c.case_id).where(
                DECISIONS.c.steward == where.exclude_reviewed_by, DECISIONS.c.undone_at.is_(None),
                DECISIONS.c.outcome.in_(ANSWERS))
            conditions.append(CASES.c.id.not_in(mine))
        return conditions

    @staticmethod
    def _state_is(state: CaseState, now: datetime) -> ColumnElement:
        """The state as a steward sees it now: a claim whose lease ran out is open (or escalated) again."""
        expired = and_(CASES.c.state == CaseState.CLAIMED.value, CASES.c.lease_expires_at <= now)
        if state is CaseState.CLAIMED:
            return and_(CASES.c.state == state.value, CASES.c.lease_expires_at > now)
        if state is CaseState.OPEN:
            return or_(CASES.c.state == state.value, and_(expired, CASES.c.escalated.is_(False)))
        if state is CaseState.ESCALATED:
            return or_(CASES.c.state == state.value, and_(expired, CASES.c.escalated.is_(True)))
        return CASES.c.state == state.value

    # --- decisions ----------------------------------------------------------------------------------
    def add_decision(self, decision: ReviewDecision) -> ReviewDecision:
        """Insert, then seal the reason under the id the row got (both in this transaction)."""
        values = {"case_id": decision.case_id, "steward": decision.steward, "outcome": decision.outcome.value,
                  "identity_id": decision.identity_id, "reason": b"", "key_id": NOT_SEALED_YET,
                  "decided_at": decision.decided_at, "undone_at": None, "undone_by": ""}
        new_id = self._session.execute(DECISIONS.insert().returning(DECISIONS.c.id), [values]).scalar_one()
        sealed, key_id = self._crypto.seal_field(REVIEW_DECISIONS, str(new_id), "reason", decision.reason)
        self._session.execute(update(DECISIONS).where(DECISIONS.c.id == new_id).values(
            reason=sealed, key_id=key_id))
        return _decision({**values, "id": new_id}, decision.reason)

    def _open(self, row: Any) -> ReviewDecision:
        data = bytes(row["reason"])
        if row["key_id"] == NOT_SEALED_YET:  # written before reasons were sealed; re-encryption seals it
            return _decision(row, data.decode("utf-8"))
        return _decision(row, self._crypto.open_field(REVIEW_DECISIONS, str(row["id"]), "reason", data))

    def decisions(self, case_id: str) -> list[ReviewDecision]:
        """Every decision on a case, undone ones included, oldest first."""
        query = select(DECISIONS).where(DECISIONS.c.case_id == case_id).order_by(DECISIONS.c.id)
        return [self._open(row) for row in self._session.execute(query).mappings()]

    def mark_undone(self, decision_id: int, at: datetime, by: str) -> None:
        self._session.execute(update(DECISIONS).where(DECISIONS.c.id == decision_id).values(
            undone_at=at, undone_by=by))

    def iter_decisions(self) -> Iterator[tuple[ReviewCase, ReviewDecision]]:
        """Every active decision with its case (for labels and the agreement report)."""
        query = (select(DECISIONS, CASES.c.source, CASES.c.record_id, CASES.c.candidates,
                        CASES.c.model_version)
                 .join(CASES, CASES.c.id == DECISIONS.c.case_id)
                 .where(DECISIONS.c.undone_at.is_(None)).order_by(DECISIONS.c.id))
        cases: dict[str, ReviewCase] = {}
        for row in self._session.execute(query).mappings():
            case = cases.get(row["case_id"])
            if case is None:
                case = cases[row["case_id"]] = self.get(row["case_id"])  # type: ignore[assignment]
            yield case, self._open(row)

    def decided_labels(self) -> dict[tuple[str, str], str | None]:
        """Stewards' latest match/non-match per record: identity id, or None for "no match" (training)."""
        labels: dict[tuple[str, str], str | None] = {}
        for case, decision in self.iter_decisions():
            if decision.outcome is Outcome.MATCH:
                labels[(case.source, case.record_id)] = decision.identity_id
            elif decision.outcome is Outcome.NON_MATCH:
                labels[(case.source, case.record_id)] = None
        return labels

    def count_decisions_by(self, steward: str, since: datetime) -> int:
        query = select(func.count()).select_from(DECISIONS).where(
            DECISIONS.c.steward == steward, DECISIONS.c.decided_at >= since, DECISIONS.c.undone_at.is_(None),
            DECISIONS.c.outcome != Outcome.ESCALATE.value)
        return self._session.execute(query).scalar_one()

    def _reviewers(self, case_ids: list[str]) -> dict[str, tuple[str, ...]]:
        if not case_ids:
            return {}
        query = select(DECISIONS.c.case_id, DECISIONS.c.steward).where(
            DECISIONS.c.case_id.in_(case_ids), DECISIONS.c.undone_at.is_(None),
            DECISIONS.c.outcome.in_(ANSWERS)).order_by(DECISIONS.c.id)
        found: dict[str, list[str]] = {}
        for case_id, steward in self._session.execute(query):
            found.setdefault(case_id, []).append(steward)
        return {k: tuple(v) for k, v in found.items()}
