"""review queue: cases and stewards' decisions

Revision ID: 0003
Revises: 0002_encryption
Create Date: 2026-11-23

Types are spelled out here rather than imported from `review_tables.py`, so this revision stays as
it was written however the models evolve.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002_encryption"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 200


def upgrade() -> None:
    op.create_table(
        "review_cases",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=KEY), nullable=False),
        sa.Column("record_id", sa.String(length=KEY), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.Float(), nullable=False),
        sa.Column("top_probability", sa.Float(), nullable=False),
        sa.Column("model_version", sa.String(length=KEY), nullable=False),
        sa.Column("conflicts", sa.Text(), nullable=False),
        sa.Column("candidates", sa.Text(), nullable=False),
        sa.Column("lease_holder", sa.String(length=KEY), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("required_reviews", sa.Integer(), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cases")),
    )
    op.create_index(op.f("ix_review_cases_state_priority"), "review_cases", ["state", "priority"])
    op.create_index(op.f("ix_review_cases_source_record_id"), "review_cases", ["source", "record_id"])
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("steward", sa.String(length=KEY), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("identity_id", sa.String(length=KEY), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=KEY), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_cases.id"],
                                name=op.f("fk_review_decisions_case_id_review_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
    )
    op.create_index(op.f("ix_review_decisions_case_id"), "review_decisions", ["case_id"])
    op.create_index(op.f("ix_review_decisions_steward_decided_at"), "review_decisions",
                    ["steward", "decided_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_review_decisions_steward_decided_at"), table_name="review_decisions")
    op.drop_index(op.f("ix_review_decisions_case_id"), table_name="review_decisions")
    op.drop_table("review_decisions")
    op.drop_index(op.f("ix_review_cases_source_record_id"), table_name="review_cases")
    op.drop_index(op.f("ix_review_cases_state_priority"), table_name="review_cases")
    op.drop_table("review_cases")
