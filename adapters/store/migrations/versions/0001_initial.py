"""identities, source records, links, model versions

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Types are spelled out here rather than imported from `tables.py`, so this revision stays as it was
written however the models evolve.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 200


def _person_columns() -> list[sa.Column]:
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


def upgrade() -> None:
    op.create_table(
        "identities",
        sa.Column("id", sa.String(length=KEY), nullable=False),
        sa.Column("pid", sa.Text(), nullable=True),
        *_person_columns(),
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
        *_person_columns(),
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
    op.create_table(
        "model_versions",
        sa.Column("version", sa.String(length=KEY), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_model_versions")),
    )


def downgrade() -> None:
    op.drop_table("model_versions")
    op.drop_index(op.f("ix_links_identity_id"), table_name="links")
    op.drop_table("links")
    op.drop_table("source_records")
    op.drop_table("identities")
