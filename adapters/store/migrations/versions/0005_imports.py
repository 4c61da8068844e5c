"""imports: checkpoints, reject reports, identity merges, change log

Revision ID: 0005_imports
Revises: 0004_tracing
Create Date: 2026-11-25

Types are spelled out here rather than imported from `import_tables.py`, so this revision stays as
it was written however the models evolve.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_imports"
down_revision: str | None = "0004_tracing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 200
FINGERPRINT = 1_000


def upgrade() -> None:
    op.create_table(
        "import_runs",
        sa.Column("fingerprint", sa.String(length=FINGERPRINT), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("line", sa.BigInteger(), nullable=False),
        sa.Column("byte_offset", sa.BigInteger(), nullable=False),
        sa.Column("rows_read", sa.BigInteger(), nullable=False),
        sa.Column("rows_written", sa.BigInteger(), nullable=False),
        sa.Column("rows_rejected", sa.BigInteger(), nullable=False),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_import_runs")),
    )
    op.create_table(
        "import_rejects",
        sa.Column("fingerprint", sa.String(length=FINGERPRINT), nullable=False),
        sa.Column("line", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", "line", name=op.f("pk_import_rejects")),
    )
    op.create_table(
        "identity_merges",
        sa.Column("absorbed_id", sa.String(length=KEY), nullable=False),
        sa.Column("survivor_id", sa.String(length=KEY), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("absorbed_id", name=op.f("pk_identity_merges")),
    )
    op.create_table(
        "identity_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("op", sa.String(length=32), nullable=False),
        sa.Column("identity_id", sa.String(length=KEY), nullable=False),
        sa.Column("other_id", sa.String(length=KEY), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_changes")),
    )
    op.create_index(op.f("ix_identity_changes_identity_id"), "identity_changes", ["identity_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_identity_changes_identity_id"), table_name="identity_changes")
    for table in ("identity_changes", "identity_merges", "import_rejects", "import_runs"):
        op.drop_table(table)
