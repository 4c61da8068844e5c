"""Personal fields of a record sealed for storage: each encrypted under the keyset, bound to its row and
field, plus HMAC blind indexes for the exact look-ups the store needs (pid, name, birth date).

The store keeps `record_id` and `source` in clear (identifiers) and everything in `SEALED_FIELDS` as
ciphertext. The engine never reads ciphertext: at start-up the matcher's in-memory features are
derived from opened records once (`bench/crypto_bench.py` measures what that costs).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from linkage.domain import PersonRecord, Sex
from linkage.security.keyset import BlindIndex, Keyset, aad_for

SEALED_FIELDS = ("full_name", "sex", "birth_date", "birth_place", "mother_name", "father_name", "pid",
                 "recorded_on")
DEFAULT_INDEXED = ("pid", "full_name", "birth_date")


@dataclass(frozen=True, slots=True)
class SealedRecord:
    row_id: str
    ciphertexts: Mapping[str, bytes]
    indexes: Mapping[str, str | None]


class RecordSealer:
    """Seals and opens `PersonRecord`s of one table. Pass name-aware normalisers per indexed field."""

    def __init__(self, keyset: Keyset, table: str, indexed: tuple[str, ...] = DEFAULT_INDEXED,
                 normalisers: Mapping[str, Callable[[str], str]] | None = None) -> None:
        unknown = set(indexed) - set(SEALED_FIELDS)
        if unknown:
            raise ValueError(f"cannot index fields that are not sealed: {sorted(unknown)}")
        self.keyset, self.table = keyset, table
        normalisers = normalisers or {}
        self._indexes: dict[str, BlindIndex] = {
            name: keyset.blind_index(f"{table}.{name}", normalise=normalisers.get(name)) for name in indexed}

    def seal(self, record: PersonRecord, row_id: str | None = None) -> SealedRecord:
        row = row_id or record.record_id
        values = _values(record)
        ciphertexts = {name: self.keyset.encrypt(values[name], aad_for(self.table, row, name))
                       for name in SEALED_FIELDS}
        indexes = {name: index.compute(values[name]) for name, index in self._indexes.items()}
        return SealedRecord(row, ciphertexts, indexes)

    def open(self, source: str, record_id: str, ciphertexts: Mapping[str, bytes],
             row_id: str | None = None) -> PersonRecord:
        """Decrypt every sealed field; raises the keyset's opaque `DecryptionError` on any mismatch."""
        row = row_id or record_id
        values = {name: self.keyset.decrypt(ciphertexts[name], aad_for(self.table, row, name))
                  for name in SEALED_FIELDS}
        return PersonRecord(source=source, record_id=record_id, full_name=values["full_name"],
                            sex=Sex(values["sex"] or Sex.UNKNOWN.value), birth_date=values["birth_date"],
                            birth_place=values["birth_place"], mother_name=values["mother_name"],
                            father_name=values["father_name"], pid=values["pid"],
                            recorded_on=values["recorded_on"])

    def index(self, field_name: str, value: str) -> str | None:
        """The blind index to look `value` up by (None for an empty value)."""
        return self._indexes[field_name].compute(value)


def _values(record: PersonRecord) -> dict[str, str]:
    return {"full_name": record.full_name, "sex": Sex(record.sex).value, "birth_date": record.birth_date,
            "birth_place": record.birth_place, "mother_name": record.mother_name,
            "father_name": record.father_name, "pid": record.pid, "recorded_on": record.recorded_on}
