"""Tables of imports: checkpoints, reject reports, identity merges and the change log.

Deaths go to the `life_events` table of `tracing_tables.py` (date sealed), not to a table of our own.

No personal field lives here in clear: rejects hold a line number and a reason (reasons never repeat
values), the change log holds identity ids and the operation. `migrations/versions/0005_imports.py`
is the authority; these mirror it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adapters.store.tables import KEY, Base, UtcDateTime

FINGERPRINT = 1_000  # size + sha256 + absolute path


class ImportRunRow(Base):
    """One input being imported, and how far it got (committed with each batch)."""

    __tablename__ = "import_runs"

    fingerprint: Mapped[str] = mapped_column(String(FINGERPRINT), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(BigInteger)
    byte_offset: Mapped[int] = mapped_column(BigInteger)
    rows_read: Mapped[int] = mapped_column(BigInteger)
    rows_written: Mapped[int] = mapped_column(BigInteger)
    rows_rejected: Mapped[int] = mapped_column(BigInteger)
    finished: Mapped[bool] = mapped_column(Boolean)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ImportRejectRow(Base):
    """One rejected row of an input: its line and why."""

    __tablename__ = "import_rejects"

    fingerprint: Mapped[str] = mapped_column(String(FINGERPRINT), primary_key=True)
    line: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    reason: Mapped[str] = mapped_column(Text)


class IdentityMergeRow(Base):
    """An identity absorbed into another by the population database."""

    __tablename__ = "identity_merges"
    __table_args__ = (Index(None, "merged_at"),)  # merges after a snapshot's watermark (0007)

    absorbed_id: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    survivor_id: Mapped[str] = mapped_column(String(KEY))
    merged_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IdentityChangeRow(Base):
    """The change log: which identity changed how, in order (ids and operation only)."""

    __tablename__ = "identity_changes"
    __table_args__ = (Index(None, "identity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op: Mapped[str] = mapped_column(String(32))
    identity_id: Mapped[str] = mapped_column(String(KEY))
    other_id: Mapped[str] = mapped_column(String(KEY))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
