"""origin tracing and the consent registry: traces, their subjects and events, adoption files,
life events, consents

Revision ID: 0004_tracing
Revises: 0003
Create Date: 2026-11-23

Types are spelled out here rather than imported from `tracing_tables.py`, so this revision stays as
it was written however the models evolve. Personal columns are binary: they hold ciphertext.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_tracing"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 200


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _key(name: str) -> sa.Column:
    return sa.Column(name, sa.String(length=KEY), nullable=False)


def upgrade() -> None:
    op.create_table(
        "trace_requests",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        _key("adoption_file_ref"),
        sa.Column("via_adoptive_parents", sa.Boolean(), nullable=False),
        _key("opened_by"), _when("opened_at"), _key("prepared_by"), _key("approved_by"), _key("released_by"),
        sa.Column("version", sa.Integer(), nullable=False),
        _when("updated_at"),
        sa.Column("request", sa.LargeBinary(), nullable=False),
        sa.Column("package", sa.LargeBinary(), nullable=True),
        sa.Column("key_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_requests")),
    )
    op.create_index(op.f("ix_trace_requests_state"), "trace_requests", ["state"])
    op.create_index(op.f("ix_trace_requests_opened_by"), "trace_requests", ["opened_by"])
    op.create_table(
        "trace_subjects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("trace_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _key("identity_id"),
        sa.Column("relationship", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["trace_id"], ["trace_requests.id"],
                                name=op.f("fk_trace_subjects_trace_id_trace_requests")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_subjects")),
    )
    op.create_index(op.f("ix_trace_subjects_trace_id"), "trace_subjects", ["trace_id"])
    op.create_index(op.f("ix_trace_subjects_identity_id"), "trace_subjects", ["identity_id"])
    op.create_table(
        "trace_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("trace_id", sa.String(length=64), nullable=False),
        _when("at"), _key("actor"),
        sa.Column("kind", sa.String(length=32), nullable=False),
        _key("note"),
        sa.ForeignKeyConstraint(["trace_id"], ["trace_requests.id"],
                                name=op.f("fk_trace_events_trace_id_trace_requests")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_events")),
    )
    op.create_index(op.f("ix_trace_events_trace_id"), "trace_events", ["trace_id"])
    op.create_table(
        "adoption_files",
        _key("file_ref"),
        sa.Column("details", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.BigInteger(), nullable=False),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("file_ref", name=op.f("pk_adoption_files")),
    )
    op.create_table(
        "life_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _key("identity_id"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("event_date", sa.LargeBinary(), nullable=False),
        _key("recorded_by"), _when("recorded_at"),
        sa.Column("key_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_life_events")),
    )
    op.create_index(op.f("ix_life_events_identity_id"), "life_events", ["identity_id"])
    op.create_table(
        "consents",
        sa.Column("id", sa.String(length=64), nullable=False),
        _key("subject_identity_id"),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=24), nullable=False),
        sa.Column("choice", sa.String(length=8), nullable=False),
        sa.Column("evidence_ref", sa.LargeBinary(), nullable=False),
        _key("recorded_by"), _when("recorded_at"), _when("expires_at", nullable=True),
        _when("withdrawn_at", nullable=True), _key("withdrawn_by"),
        sa.Column("key_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index(op.f("ix_consents_subject_identity_id"), "consents", ["subject_identity_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_consents_subject_identity_id"), table_name="consents")
    op.drop_table("consents")
    op.drop_index(op.f("ix_life_events_identity_id"), table_name="life_events")
    op.drop_table("life_events")
    op.drop_table("adoption_files")
    op.drop_index(op.f("ix_trace_events_trace_id"), table_name="trace_events")
    op.drop_table("trace_events")
    op.drop_index(op.f("ix_trace_subjects_identity_id"), table_name="trace_subjects")
    op.drop_index(op.f("ix_trace_subjects_trace_id"), table_name="trace_subjects")
    op.drop_table("trace_subjects")
    op.drop_index(op.f("ix_trace_requests_opened_by"), table_name="trace_requests")
    op.drop_index(op.f("ix_trace_requests_state"), table_name="trace_requests")
    op.drop_table("trace_requests")
