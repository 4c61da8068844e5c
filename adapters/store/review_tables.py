"""The review queue's tables: cases (ids, scores, explanation labels and weights) and decisions.

Cases hold no personal field: the records are read through the record and identity repositories when a
steward opens a case. A decision's free-text `reason` may name a person, so it is sealed (AES-GCM bound
to the decision's id, through `StoreCrypto.seal_field`) with the `key_id` it is under; key id 0 marks a
reason written before sealing, until re-encryption seals it. `migrations/versions/0003_review.py` and
`0006_sealed_review_reason.py` are the authority; these mirror them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adapters.store.tables import KEY, Base, UtcDateTime

REVIEW_DECISIONS = "review_decisions"
NOT_SEALED_YET = 0  # `key_id` of a reason stored before 0006 sealed them (no keyset key has id 0)


class ReviewCaseRow(Base):
    """One uncertain match waiting for (or settled by) stewards; `version` guards every change."""

    __tablename__ = "review_cases"
    __table_args__ = (
        Index(None, "state", "priority"),
        Index(None, "source", "record_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(KEY))
    record_id: Mapped[str] = mapped_column(String(KEY))
    state: Mapped[str] = mapped_column(String(16))
    priority: Mapped[float] = mapped_column(Float)
    top_probability: Mapped[float] = mapped_column(Float)
    model_version: Mapped[str] = mapped_column(String(KEY))
    conflicts: Mapped[str] = mapped_column(Text)  # ";"-joined codes
    candidates: Mapped[str] = mapped_column(Text)  # JSON: ids, probabilities, weights, bars
    lease_holder: Mapped[str] = mapped_column(String(KEY))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)
    required_reviews: Mapped[int] = mapped_column(Integer)
    escalated: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReviewDecisionRow(Base):
    """One steward's decision on a case; undoing it stamps `undone_at` and keeps the row."""

    __tablename__ = REVIEW_DECISIONS
    __table_args__ = (Index(None, "case_id"), Index(None, "steward", "decided_at"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(64), ForeignKey("review_cases.id"))
    steward: Mapped[str] = mapped_column(String(KEY))
    outcome: Mapped[str] = mapped_column(String(16))
    identity_id: Mapped[str] = mapped_column(String(KEY))
    reason: Mapped[bytes] = mapped_column(LargeBinary)  # sealed
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    undone_by: Mapped[str] = mapped_column(String(KEY))
    key_id: Mapped[int] = mapped_column(BigInteger)
