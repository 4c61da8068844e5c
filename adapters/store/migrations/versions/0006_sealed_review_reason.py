"""review decisions: the steward's reason is sealed like every other personal field

Revision ID: 0006_sealed_review_reason
Revises: 0005_imports
Create Date: 2026-11-26

A steward types the reason freely, and may type a name ("same mother, Lò Thị Xuân"), so it becomes
AES-GCM ciphertext bound to (review_decisions, id, reason) with a `key_id` like the other sealed tables.

A migration holds no keys, so reasons already stored cannot be sealed here: they are kept as their UTF-8
bytes under `key_id` 0, the marker of a value not sealed yet (no keyset key has id 0). The repository
reads such a row as text, and the store's re-encryption job (`linkage keys rotate`, or
`adapters.store.rotation.reencrypt_store` with the current keyset) seals every one of them. A downgrade
is refused once any reason is sealed: without the keys it could only destroy them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_sealed_review_reason"
down_revision: str | None = "0005_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "review_decisions"
NOT_SEALED_YET = 0


def _copy(source: str, target: str, convert: object) -> None:
    """Copy one column into another row by row, converting each value in Python (same on every dialect)."""
    connection = op.get_bind()
    table = sa.table(TABLE, sa.column("id", sa.Integer()), sa.column(source), sa.column(target))
    rows = connection.execute(sa.select(table.c.id, table.c[source])).all()
    for row_id, value in rows:
        connection.execute(sa.update(table).where(table.c.id == row_id)
                           .values({target: convert(value)}))  # type: ignore[operator]


def upgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("sealed_reason", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("key_id", sa.BigInteger(), nullable=False,
                                   server_default=sa.text(str(NOT_SEALED_YET))))
    _copy("reason", "sealed_reason", lambda text: (text or "").encode("utf-8"))
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("reason")
        batch.alter_column("sealed_reason", new_column_name="reason", existing_type=sa.LargeBinary(),
                           nullable=False)
        batch.alter_column("key_id", existing_type=sa.BigInteger(), server_default=None)


def downgrade() -> None:
    connection = op.get_bind()
    sealed = connection.execute(sa.text(
        f"SELECT 1 FROM {TABLE} WHERE key_id <> {NOT_SEALED_YET} LIMIT 1")).first()  # noqa: S608
    if sealed is not None:
        raise RuntimeError(f"cannot downgrade: {TABLE} holds sealed reasons, which a migration cannot open; "
                           "export the decisions first")
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("clear_reason", sa.Text(), nullable=True))
    _copy("reason", "clear_reason", lambda data: bytes(data or b"").decode("utf-8"))
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("reason")
        batch.drop_column("key_id")
        batch.alter_column("clear_reason", new_column_name="reason", existing_type=sa.Text(), nullable=False)
