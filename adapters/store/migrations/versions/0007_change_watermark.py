"""identities: index on updated_at, the change marker a restarted engine catches up from

Revision ID: 0007_change_watermark
Revises: 0006_sealed_review_reason
Create Date: 2026-11-27

Every write of an identity (imports, the COPY path, change files) stamps `updated_at`, and a merge stamps
`identity_merges.merged_at`: together they say what changed after an index snapshot's watermark. Without
an index, asking that of 10 M identities is a full scan of the sealed rows; with one it reads only the
changed rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007_change_watermark"
down_revision: str | None = "0006_sealed_review_reason"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_identities_updated_at"), "identities", ["updated_at"])
    op.create_index(op.f("ix_identity_merges_merged_at"), "identity_merges", ["merged_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_identity_merges_merged_at"), table_name="identity_merges")
    op.drop_index(op.f("ix_identities_updated_at"), table_name="identities")
