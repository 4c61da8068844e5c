"""The keyset as the store uses it: record sealers per table, one sealed link field, keyed fingerprints.

Every personal value the store writes passes through here (via `adapters.store.mapping`) and leaves as
AES-GCM ciphertext bound to its table, row and field. What stays in clear is what the store must
compare or join on: ids, source names, link decisions and scores, and HMAC blind indexes (`pid` only:
each extra index leaks which rows share a value, so none is kept that no look-up needs).

Rotation by another process (`linkage keys rotate`) is noticed on the first ciphertext under a key this
process does not hold: the keyset is reloaded once through `reload` and the read retried.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from linkage.domain import PersonRecord, Sex
from linkage.security.errors import DecryptionError
from linkage.security.keyset import BlindIndex, Keyset, aad_for
from linkage.security.sealing import SEALED_FIELDS, RecordSealer, SealedRecord

IDENTITIES = "identities"
SOURCE_RECORDS = "source_records"
LINKS = "links"
INDEXED = ("pid",)
FINGERPRINT_BYTES = 32
_SEPARATOR = "\x1f"
T = TypeVar("T")


def source_row_id(source: str, record_id: str) -> str:
    """The row identity bound into a source record's (or link's) ciphertexts: its natural key."""
    return f"{source}/{record_id}"


class StoreCrypto:
    """Seals and opens what the store keeps; thread-safe, and the keyset can be swapped while in use."""

    def __init__(self, keyset: Keyset, reload: Callable[[], Keyset] | None = None) -> None:
        self._reload = reload
        self._lock = threading.Lock()
        self._install(keyset)

    def _install(self, keyset: Keyset) -> None:
        tables = (IDENTITIES, SOURCE_RECORDS)
        sealers = {table: RecordSealer(keyset, table, indexed=INDEXED) for table in tables}
        fingerprints = {table: keyset.blind_index(f"{table}.fingerprint", length=FINGERPRINT_BYTES,
                                                  normalise=_as_is) for table in tables}
        # One assignment, so a concurrent reader sees the old or the new state, never a mixture.
        self._state: tuple[Keyset, dict[str, RecordSealer], dict[str, BlindIndex]] = (
            keyset, sealers, fingerprints)

    @property
    def keyset(self) -> Keyset:
        return self._state[0]

    def use(self, keyset: Keyset) -> None:
        """Switch to another keyset (e.g. after a rotation): new writes go under its primary key."""
        with self._lock:
            self._install(keyset)

    # --- records ------------------------------------------------------------------------------------
    def seal(self, table: str, record: PersonRecord, row_id: str) -> tuple[SealedRecord, int]:
        """The sealed record and the id of the key it is under (one snapshot: a concurrent `use` cannot
        make the row's `key_id` disagree with its ciphertexts)."""
        keyset, sealers, _ = self._state
        return sealers[table].seal(record, row_id), keyset.primary_id

    def open(self, table: str, source: str, record_id: str, ciphertexts: Mapping[str, bytes],
             row_id: str) -> PersonRecord:
        return self._retrying(lambda: self._state[1][table].open(source, record_id, ciphertexts, row_id),
                              ciphertexts.values())

    def pid_index(self, table: str, pid: str) -> str | None:
        return self._state[1][table].index("pid", pid)

    def fingerprint(self, table: str, record: PersonRecord) -> str:
        """A keyed digest of every sealed field: an upsert compares it to tell a change from a repeat,
        without the store holding an unkeyed hash that could be matched against guessed values."""
        parts = (record.full_name, Sex(record.sex).value, record.birth_date, record.birth_place,
                 record.mother_name, record.father_name, record.pid, record.recorded_on)
        digest = self._state[2][table].compute(_SEPARATOR.join(parts))
        assert digest is not None  # the separators alone make the text non-empty
        return digest

    # --- single fields ------------------------------------------------------------------------------
    def seal_field(self, table: str, row_id: str, field: str, value: str) -> tuple[bytes, int]:
        keyset = self.keyset
        return keyset.encrypt(value, aad_for(table, row_id, field)), keyset.primary_id

    def seal_fields(self, table: str, row_id: str,
                    values: Mapping[str, str | None]) -> tuple[dict[str, bytes | None], int]:
        """Several fields of one row under one keyset snapshot (None stays None), so the row's `key_id`
        names the key of every one of them even while a rotation swaps the keyset."""
        keyset = self.keyset
        sealed = {name: None if value is None else keyset.encrypt(value, aad_for(table, row_id, name))
                  for name, value in values.items()}
        return sealed, keyset.primary_id

    def open_field(self, table: str, row_id: str, field: str, ciphertext: bytes) -> str:
        return self._retrying(lambda: self.keyset.decrypt(ciphertext, aad_for(table, row_id, field)),
                              (ciphertext,))

    @property
    def primary_id(self) -> int:
        return self.keyset.primary_id

    # --- rotation by another process ----------------------------------------------------------------
    def _retrying(self, action: Callable[[], T], ciphertexts: Iterable[bytes]) -> T:
        try:
            return action()
        except DecryptionError:
            if self._reload is None or not self._has_unknown_key(ciphertexts):
                raise
            with self._lock:
                if self._has_unknown_key(ciphertexts):
                    self._install(self._reload())
            return action()

    def _has_unknown_key(self, ciphertexts: Iterable[bytes]) -> bool:
        keyset = self.keyset
        for ciphertext in ciphertexts:
            try:
                if keyset.key_id_of(bytes(ciphertext)) not in keyset.key_ids:
                    return True
            except DecryptionError:
                return False
        return False

    def __repr__(self) -> str:
        return f"StoreCrypto({self.keyset!r})"

    def __reduce__(self) -> object:
        raise TypeError("StoreCrypto holds keys and cannot be pickled")


def _as_is(value: str) -> str:
    return value


__all__ = ["IDENTITIES", "LINKS", "SEALED_FIELDS", "SOURCE_RECORDS", "StoreCrypto", "source_row_id"]
