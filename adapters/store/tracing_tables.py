"""Tables of origin tracing and the consent registry.

Personal values (the adoptee's details, packages, adoption-file content, dates of death, consent
evidence) are `LargeBinary` AES-GCM ciphertext bound to (table, row, field), sealed through
`StoreCrypto.seal_field`; `key_id` names the key they are under. Ids, states, officers' ids and
timestamps stay in clear so the service can query and the four-eyes rules can be checked.
`migrations/versions/0004_tracing.py` is the authority; these mirror it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from adapters.store.tables import KEY, Base, UtcDateTime

TRACES = "trace_requests"
ADOPTION_FILES = "adoption_files"
LIFE_EVENTS = "life_events"
CONSENTS = "consents"


class TraceRow(Base):
    """One trace request; `version` guards every change (compare-and-set)."""

    __tablename__ = TRACES
    __table_args__ = (Index(None, "state"), Index(None, "opened_by"))

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(24))
    adoption_file_ref: Mapped[str] = mapped_column(String(KEY))
    via_adoptive_parents: Mapped[bool] = mapped_column(Boolean)
    opened_by: Mapped[str] = mapped_column(String(KEY))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    prepared_by: Mapped[str] = mapped_column(String(KEY))
    approved_by: Mapped[str] = mapped_column(String(KEY))
    released_by: Mapped[str] = mapped_column(String(KEY))
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    request: Mapped[bytes] = mapped_column(LargeBinary)  # sealed JSON: the adoptee's details
    package: Mapped[bytes | None] = mapped_column(LargeBinary)  # sealed JSON: the prepared package
    key_id: Mapped[int] = mapped_column(BigInteger)


class TraceSubjectRow(Base):
    """Who a trace is about (adoptee, birth parents, siblings) and how far linking got; ids only."""

    __tablename__ = "trace_subjects"
    __table_args__ = (Index(None, "trace_id"), Index(None, "identity_id"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    trace_id: Mapped[str] = mapped_column(String(64), ForeignKey(f"{TRACES}.id"))
    role: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    identity_id: Mapped[str] = mapped_column(String(KEY))
    relationship: Mapped[str] = mapped_column(String(16))


class TraceEventRow(Base):
    """One step of a trace (codes and officer ids), oldest first."""

    __tablename__ = "trace_events"
    __table_args__ = (Index(None, "trace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    trace_id: Mapped[str] = mapped_column(String(64), ForeignKey(f"{TRACES}.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(KEY))
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(KEY))


class AdoptionFileRow(Base):
    """Adoption-file content beyond the child's record (a sealed `adoption_file` source record)."""

    __tablename__ = ADOPTION_FILES

    file_ref: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    details: Mapped[bytes] = mapped_column(LargeBinary)  # sealed JSON
    key_id: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LifeEventRow(Base):
    """A life event of a population identity (a death), until the population table carries it."""

    __tablename__ = LIFE_EVENTS
    __table_args__ = (Index(None, "identity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    identity_id: Mapped[str] = mapped_column(String(KEY))
    kind: Mapped[str] = mapped_column(String(16))
    event_date: Mapped[bytes] = mapped_column(LargeBinary)  # sealed
    recorded_by: Mapped[str] = mapped_column(String(KEY))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    key_id: Mapped[int] = mapped_column(BigInteger)


class ConsentRow(Base):
    """One consent or veto; never edited but for the withdrawal stamp."""

    __tablename__ = CONSENTS
    __table_args__ = (Index(None, "subject_identity_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_identity_id: Mapped[str] = mapped_column(String(KEY))
    subject_kind: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(24))
    choice: Mapped[str] = mapped_column(String(8))
    evidence_ref: Mapped[bytes] = mapped_column(LargeBinary)  # sealed
    recorded_by: Mapped[str] = mapped_column(String(KEY))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_by: Mapped[str] = mapped_column(String(KEY))
    key_id: Mapped[int] = mapped_column(BigInteger)
