"""The population's changes since a moment, cheap enough for every server process to ask each second.

A running server's index must learn what another process wrote (the CLI's imports and change files,
another server worker). The store's change marker (`identities.updated_at`, `identity_merges.merged_at`,
indexed by migration 0007) says what changed; this reads it in two steps so a poll that finds nothing
new costs one index range scan and no decryption: `stamps_since` lists (id, fingerprint) of the rows
written since, the follower keeps only the pairs it has not seen, and `read` opens just those rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select

from adapters.store import mapping
from adapters.store.store import Store
from adapters.store.tables import IdentityRow
from linkage.domain import PersonRecord

IDENTITIES = cast(Table, IdentityRow.__table__)
_READ_CHUNK = 500  # ids per IN (...) query


class IdentityFeed:
    """Reads identity changes from a `Store` (each call its own short read transaction)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def stamps_since(self, since: datetime) -> list[tuple[str, str]]:
        """(id, content fingerprint) of every identity written at or after `since`."""
        query = select(IDENTITIES.c.id, IDENTITIES.c.fingerprint).where(IDENTITIES.c.updated_at >= since)
        with self._store.engine.connect() as connection:
            return [(row[0], row[1]) for row in connection.execute(query)]

    def read(self, ids: Sequence[str]) -> list[PersonRecord]:
        """The identities with these ids, opened (an id deleted meanwhile is skipped)."""
        crypto = self._store.crypto
        if crypto is None:
            raise ValueError("the store was opened without keys: it cannot open identities")
        out: list[PersonRecord] = []
        with self._store.engine.connect() as connection:
            for at in range(0, len(ids), _READ_CHUNK):
                chunk = list(ids[at: at + _READ_CHUNK])
                rows = connection.execute(select(IDENTITIES).where(IDENTITIES.c.id.in_(chunk))).mappings()
                out.extend(mapping.identity_from_row(crypto, row) for row in rows)
        return out

    def absorbed_since(self, since: datetime) -> list[str]:
        """Ids merged away at or after `since` (the store's own query, `imports.absorbed_since`)."""
        with self._store.unit_of_work() as uow:
            return uow.imports.absorbed_since(since)
