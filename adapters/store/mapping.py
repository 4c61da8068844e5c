"""Row <-> domain value mapping: the one place that reads or writes the stored personal fields.

Encryption at rest (issue 5) changes these functions only: `*_values` would encrypt, `*_from_row`
decrypt, and `fingerprint` become a keyed HMAC. Repositories never touch a personal column directly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from linkage.domain import Decision, MatchResult, PersonRecord, Sex, StoredLink

POPULATION = "population"
CONFLICT_SEPARATOR = ";"

# The fields that describe a person, in a fixed order (the fingerprint depends on it).
PERSON_FIELDS = ("full_name", "sex", "birth_date", "birth_place", "mother_name", "father_name", "pid")


def fingerprint(record: PersonRecord) -> str:
    """A digest of everything stored about a record, so an upsert can tell a change from a repeat."""
    parts = [getattr(record, name) for name in PERSON_FIELDS] + [record.recorded_on]
    text = "\x1f".join(part.value if isinstance(part, Sex) else part for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _person_values(record: PersonRecord) -> dict[str, Any]:
    return {
        "full_name": record.full_name,
        "sex": record.sex.value,
        "birth_date": record.birth_date,
        "birth_place": record.birth_place,
        "mother_name": record.mother_name,
        "father_name": record.father_name,
        "fingerprint": fingerprint(record),
    }


def identity_values(record: PersonRecord, now: datetime) -> dict[str, Any]:
    """Column values of an `identities` row; an absent pid is stored as NULL (unique where present)."""
    return {"id": record.record_id, "pid": record.pid or None, "updated_at": now, **_person_values(record)}


def identity_from_row(row: Mapping[str, Any]) -> PersonRecord:
    return PersonRecord(
        source=POPULATION,
        record_id=row["id"],
        full_name=row["full_name"],
        sex=Sex(row["sex"]),
        birth_date=row["birth_date"],
        birth_place=row["birth_place"],
        mother_name=row["mother_name"],
        father_name=row["father_name"],
        pid=row["pid"] or "",
    )


def source_record_values(record: PersonRecord, now: datetime) -> dict[str, Any]:
    return {
        "source": record.source,
        "record_id": record.record_id,
        "pid": record.pid,
        "recorded_on": record.recorded_on,
        "updated_at": now,
        **_person_values(record),
    }


def source_record_from_row(row: Mapping[str, Any]) -> PersonRecord:
    return PersonRecord(
        source=row["source"],
        record_id=row["record_id"],
        full_name=row["full_name"],
        sex=Sex(row["sex"]),
        birth_date=row["birth_date"],
        birth_place=row["birth_place"],
        mother_name=row["mother_name"],
        father_name=row["father_name"],
        pid=row["pid"],
        recorded_on=row["recorded_on"],
    )


def link_values(result: MatchResult, now: datetime) -> dict[str, Any]:
    """The stored decision: the best candidate (if any) with its score, and the model that decided."""
    for conflict in result.conflicts:
        if not conflict or CONFLICT_SEPARATOR in conflict:
            raise ValueError(f"a conflict must be non-empty text without {CONFLICT_SEPARATOR!r}")
    best = result.best
    return {
        "source": result.source,
        "record_id": result.record_id,
        "decision": result.decision.value,
        "identity_id": best.identity_id if best else None,
        "pid": best.pid if best else "",
        "probability": best.probability if best else 0.0,
        "weight": best.weight if best else 0.0,
        "model_version": result.model_version,
        "conflicts": CONFLICT_SEPARATOR.join(result.conflicts),
        "created_at": now,
    }


def link_from_row(row: Mapping[str, Any]) -> StoredLink:
    conflicts = row["conflicts"]
    return StoredLink(
        source=row["source"],
        record_id=row["record_id"],
        decision=Decision(row["decision"]),
        identity_id=row["identity_id"] or "",
        pid=row["pid"],
        probability=row["probability"],
        weight=row["weight"],
        model_version=row["model_version"],
        conflicts=tuple(conflicts.split(CONFLICT_SEPARATOR)) if conflicts else (),
        created_at=row["created_at"].isoformat(),
    )
