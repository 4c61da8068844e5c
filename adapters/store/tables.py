"""The store's tables as typed SQLAlchemy declarative models.

The migrations in `migrations/versions/` are the authority on the schema; these models mirror them so
that repositories can build statements from typed columns. `tests/store` checks the two agree.
Personal fields are `LargeBinary`: they hold AES-GCM ciphertext (see `adapters.store.crypto`); `key_id`
names the keyset key a row's ciphertexts are under, so re-encryption after a rotation finds, in SQL, the
rows still to do; `pid_index` is the HMAC blind index exact pid look-ups use.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Float,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

KEY = 200  # length of ids and source names: generous, but bounded so they index well everywhere

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every dialect (SQLite has no time zones; PostgreSQL does)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PersonColumns:
    """The person fields shared by identities and source records, each sealed (ciphertext)."""

    full_name: Mapped[bytes] = mapped_column(LargeBinary)
    sex: Mapped[bytes] = mapped_column(LargeBinary)
    birth_date: Mapped[bytes] = mapped_column(LargeBinary)
    birth_place: Mapped[bytes] = mapped_column(LargeBinary)
    mother_name: Mapped[bytes] = mapped_column(LargeBinary)
    father_name: Mapped[bytes] = mapped_column(LargeBinary)
    pid: Mapped[bytes] = mapped_column(LargeBinary)
    recorded_on: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[int] = mapped_column(BigInteger)
    # Keyed HMAC of every field: an upsert compares this one column to tell "changed" from "same",
    # since the ciphertexts themselves differ on every write (random nonces).
    fingerprint: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IdentityRow(PersonColumns, Base):
    """One identity of the population database; `id` is the population record id."""

    __tablename__ = "identities"
    __table_args__ = (Index(None, "updated_at"),)  # what changed after a snapshot's watermark (0007)

    id: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    # NULL when there is no pid: unique where present.
    pid_index: Mapped[str | None] = mapped_column(String(64), unique=True)


class SourceRecordRow(PersonColumns, Base):
    """One record of a source system (child registry, adoption file, intake ...)."""

    __tablename__ = "source_records"
    __table_args__ = (UniqueConstraint("source", "record_id"), Index(None, "pid_index"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(KEY))
    record_id: Mapped[str] = mapped_column(String(KEY))
    pid_index: Mapped[str | None] = mapped_column(String(64))


class LinkRow(Base):
    """The current decision on one source record, and the model version and score that made it."""

    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("source", "record_id"), Index(None, "identity_id"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(KEY))
    record_id: Mapped[str] = mapped_column(String(KEY))
    decision: Mapped[str] = mapped_column(String(16))
    identity_id: Mapped[str | None] = mapped_column(String(KEY))  # best candidate; NULL when none
    pid: Mapped[bytes] = mapped_column(LargeBinary)  # the best candidate's pid, sealed
    key_id: Mapped[int] = mapped_column(BigInteger)
    probability: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    model_version: Mapped[str] = mapped_column(String(KEY))
    conflicts: Mapped[str] = mapped_column(Text)  # ";"-joined
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ModelVersionRow(Base):
    """A trained match model's parameters (JSON text), immutable once saved."""

    __tablename__ = "model_versions"

    version: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    params: Mapped[str] = mapped_column(Text)
