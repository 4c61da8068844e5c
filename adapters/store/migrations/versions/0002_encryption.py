"""encryption at rest: personal columns hold AES-GCM ciphertext, pid found by an HMAC blind index

Revision ID: 0002_encryption
Revises: 0001
Create Date: 2026-11-24

Identities, source records and links are re-created with sealed (binary) personal columns, a `key_id`
per row (the keyset key its ciphertexts are under, for re-encryption after a rotation), a keyed
fingerprint and a `pid_index` blind index. Links keep ids, decision, scores and version in clear and
the pid sealed. Nothing was deployed before this revision, so there is no plaintext to convert: a
database that already holds rows is refused rather than silently emptied (export and re-import it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_encryption"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 200
TABLES = ("links", "source_records", "identities")
SEALED = ("full_name", "sex", "birth_date", "birth_place", "mother_name", "father_name", "pid", "recorded_on")


def _refuse_if_not_empty(direction: str) -> None:
    connection = op.get_bind()
    for table in TABLES:
        if connection.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None:  # noqa: S608
            raise RuntimeError(f"cannot migrate {direction}: table {table} holds rows; export them, "
                               "migrate the empty database, and import them again")


def _drop_all() -> None:
    op.drop_index(op.f("ix_links_identity_id"), table_name="links")
    for table in TABLES:
        op.drop_table(table)


def _sealed_person_columns() -> list[sa.Column]:
    return [
        *[sa.Column(name, sa.LargeBinary(), nullable=False) for name in SEALED],
        sa.Column("key_id", sa.BigInteger(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    _refuse_if_not_empty("to encrypted storage")
    _drop_all()
    op.create_table(
        "identities",
        sa.Column("id", sa.String(length=KEY), nullable=False),
        sa.Column("pid_index", sa.String(length=64), nullable=True),
        *_sealed_person_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identities")),
        sa.UniqueConstraint("pid_index", name=op.f("uq_identities_pid_index")),
    )
    op.create_table(
        "source_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=KEY), nullable=False),
        sa.Column("record_id", sa.String(length=KEY), nullable=False),
        sa.Column("pid_index", sa.String(length=64), nullable=True),
        *_sealed_person_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_records")),
        sa.UniqueConstraint("source", "record_id", name=op.f("uq_source_records_source_record_id")),
    )
    op.create_index(op.f("ix_source_records_pid_index"), "source_records", ["pid_index"])
    op.create_table(
        "links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=KEY), nullable=False),
        sa.Column("record_id", sa.String(length=KEY), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("identity_id", sa.String(length=KEY), nullable=True),
        sa.Column("pid", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.BigInteger(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("model_version", sa.String(length=KEY), nullable=False),
        sa.Column("conflicts", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_links")),
        sa.UniqueConstraint("source", "record_id", name=op.f("uq_links_source_record_id")),
    )
    op.create_index(op.f("ix_links_identity_id"), "links", ["identity_id"])


def downgrade() -> None:
    _refuse_if_not_empty("back to plaintext storage")
    op.drop_index(op.f("ix_source_records_pid_index"), table_name="source_records")
    _drop_all()
    def plain() -> list[sa.Column]:
        return [
            sa.Column("full_name", sa.Text(), nullable=False),
            sa.Column("sex", sa.String(length=1), nullable=False),
            sa.Column("birth_date", sa.Text(), nullable=False),
            sa.Column("birth_place", sa.Text(), nullable=False),
            sa.Column("mother_name", sa.Text(), nullable=False),
            sa.Column("father_name", sa.Text(), nullable=False),
            sa.Column("fingerprint", sa.String(length=64), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        ]
    op.create_table(
        "identities",
        sa.Column("id", sa.String(length=KEY), nullable=False),
        sa.Column("pid", sa.Text(), nullable=True),
        *plain(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identities")),
        sa.UniqueConstraint("pid", name=op.f("uq_identities_pid")),
    )
    op.create_table(
        "source_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=KEY), nullable=False),
        sa.Column("record_id", sa.String(length=KEY), nullable=False),
        sa.Column("pid", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Text(), nullable=False),
        *plain(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_records")),
        sa.UniqueConstraint("source", "record_id", name=op.f("uq_source_records_source_record_id")),
    )
    op.create_table(
        "links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=KEY), nullable=False),
        sa.Column("record_id", sa.String(length=KEY), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("identity_id", sa.String(length=KEY), nullable=True),
        sa.Column("pid", sa.Text(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("model_version", sa.String(length=KEY), nullable=False),
        sa.Column("conflicts", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_links")),
        sa.UniqueConstraint("source", "record_id", name=op.f("uq_links_source_record_id")),
    )
    op.create_index(op.f("ix_links_identity_id"), "links", ["identity_id"])
