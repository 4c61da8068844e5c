"""Row <-> domain value mapping: the one place that reads or writes the stored personal fields.

Every personal field goes in as AES-GCM ciphertext bound to (table, row, field) and comes out through
`StoreCrypto`; the pid is found again through its HMAC blind index, and change detection compares a
keyed HMAC fingerprint. Repositories never touch a personal column directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from adapters.store.crypto import IDENTITIES, LINKS, SOURCE_RECORDS, StoreCrypto, source_row_id
from linkage.domain import Decision, MatchResult, PersonRecord, StoredLink
from linkage.security.sealing import SEALED_FIELDS

POPULATION = "population"
CONFLICT_SEPARATOR = ";"

# The sealed columns of identities and source records, one per field of `PersonRecord`.
PERSON_FIELDS = SEALED_FIELDS
# The sealed columns of links.
LINK_SEALED_FIELDS = ("pid",)


def _sealed_values(crypto: StoreCrypto, table: str, record: PersonRecord, row_id: str) -> dict[str, Any]:
    sealed, key_id = crypto.seal(table, record, row_id)
    return {**sealed.ciphertexts, "pid_index": sealed.indexes["pid"], "key_id": key_id,
            "fingerprint": crypto.fingerprint(table, record)}


def _ciphertexts(row: Mapping[str, Any]) -> dict[str, bytes]:
    return {name: bytes(row[name]) for name in PERSON_FIELDS}


def identity_values(crypto: StoreCrypto, record: PersonRecord, now: datetime) -> dict[str, Any]:
    """Column values of an `identities` row; an absent pid has no blind index (NULL: unique where present)."""
    return {"id": record.record_id, "updated_at": now,
            **_sealed_values(crypto, IDENTITIES, record, record.record_id)}


def identity_from_row(crypto: StoreCrypto, row: Mapping[str, Any]) -> PersonRecord:
    return crypto.open(IDENTITIES, POPULATION, row["id"], _ciphertexts(row), row["id"])


def source_record_values(crypto: StoreCrypto, record: PersonRecord, now: datetime) -> dict[str, Any]:
    row_id = source_row_id(record.source, record.record_id)
    return {"source": record.source, "record_id": record.record_id, "updated_at": now,
            **_sealed_values(crypto, SOURCE_RECORDS, record, row_id)}


def source_record_from_row(crypto: StoreCrypto, row: Mapping[str, Any]) -> PersonRecord:
    row_id = source_row_id(row["source"], row["record_id"])
    return crypto.open(SOURCE_RECORDS, row["source"], row["record_id"], _ciphertexts(row), row_id)


def link_values(crypto: StoreCrypto, result: MatchResult, now: datetime) -> dict[str, Any]:
    """The stored decision: ids, decision, score and model version in clear; the best pid sealed."""
    for conflict in result.conflicts:
        if not conflict or CONFLICT_SEPARATOR in conflict:
            raise ValueError(f"a conflict must be non-empty text without {CONFLICT_SEPARATOR!r}")
    best = result.best
    row_id = source_row_id(result.source, result.record_id)
    pid, key_id = crypto.seal_field(LINKS, row_id, "pid", best.pid if best else "")
    return {
        "source": result.source,
        "record_id": result.record_id,
        "decision": result.decision.value,
        "identity_id": best.identity_id if best else None,
        "pid": pid,
        "key_id": key_id,
        "probability": best.probability if best else 0.0,
        "weight": best.weight if best else 0.0,
        "model_version": result.model_version,
        "conflicts": CONFLICT_SEPARATOR.join(result.conflicts),
        "created_at": now,
    }


def link_from_row(crypto: StoreCrypto, row: Mapping[str, Any]) -> StoredLink:
    conflicts = row["conflicts"]
    row_id = source_row_id(row["source"], row["record_id"])
    return StoredLink(
        source=row["source"],
        record_id=row["record_id"],
        decision=Decision(row["decision"]),
        identity_id=row["identity_id"] or "",
        pid=crypto.open_field(LINKS, row_id, "pid", bytes(row["pid"])),
        probability=row["probability"],
        weight=row["weight"],
        model_version=row["model_version"],
        conflicts=tuple(conflicts.split(CONFLICT_SEPARATOR)) if conflicts else (),
        created_at=row["created_at"].isoformat(),
    )
