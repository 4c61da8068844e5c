"""Dictionary encoding: each distinct value is normalised once and stored once; rows hold int32 ids.

At 10 million identities a Python object per name would cost gigabytes; an int32 per column costs 40 MB.
Id 0 is reserved for "missing" in every vocabulary.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Generic, TypeVar

import numpy as np

T = TypeVar("T", bound=Hashable)

MISSING_ID = 0


class Vocabulary(Generic[T]):
    """value <-> dense int id, with per-id occurrence counts among identities (for term frequencies)."""

    def __init__(self, missing: T) -> None:
        self._grow = threading.Lock()
        self._ids: dict[T, int] = {missing: MISSING_ID}
        self.values: list[T] = [missing]
        self._counts = np.zeros(1024, dtype=np.int64)
        self.total = 0

    def __len__(self) -> int:
        return len(self.values)

    def __getstate__(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if key != "_grow"}  # locks don't pickle

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _grow=threading.Lock())

    def encode(self, value: T) -> int:
        """The value's id, assigned on first sight. Server threads encode records at once: a new value
        is added under a lock, so it can never get two ids."""
        found = self._ids.get(value)
        if found is None:
            with self._grow:
                found = self._ids.get(value)
                if found is None:
                    self.values.append(value)
                    found = self._ids[value] = len(self.values) - 1
        return found

    def lookup(self, value: T) -> int:
        """The id of a value already seen, else -1 (never grows the vocabulary)."""
        return self._ids.get(value, -1)

    def count(self, ids: np.ndarray) -> None:
        """Record that identities carry these ids (missing ids are not counted)."""
        ids = np.asarray(ids, dtype=np.int64)
        ids = ids[ids != MISSING_ID]
        if len(ids) == 0:
            return
        needed = int(ids.max()) + 1
        if needed > len(self._counts):
            grown = np.zeros(max(needed, 2 * len(self._counts)), dtype=np.int64)
            grown[: len(self._counts)] = self._counts
            self._counts = grown
        np.add.at(self._counts, ids, 1)
        self.total += len(ids)

    def state(self) -> tuple[list[T], np.ndarray, int]:
        """(values, counts, total): everything a snapshot needs to restore this vocabulary."""
        return self.values, self._counts[: len(self.values)].copy(), self.total

    @classmethod
    def restore(cls, values: list[T], counts: np.ndarray, total: int) -> Vocabulary[T]:
        vocabulary = cls(values[0])
        vocabulary.values = list(values)
        vocabulary._ids = {value: i for i, value in enumerate(vocabulary.values)}
        if len(vocabulary._ids) != len(vocabulary.values):
            raise ValueError("a vocabulary holds a value twice")
        vocabulary._counts = np.array(counts, dtype=np.int64)
        vocabulary.total = int(total)
        return vocabulary

    def nbytes(self) -> int:
        """Python objects of the dict and the values list (estimated, shallow) plus the counts."""
        import sys

        values = sys.getsizeof(self.values) + sum(map(sys.getsizeof, self.values))
        return sys.getsizeof(self._ids) + values + int(self._counts.nbytes)

    def counts_of(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        out = np.zeros(len(ids), dtype=np.int64)
        inside = ids < len(self._counts)
        out[inside] = self._counts[ids[inside]]
        return out


class GrowableColumn:
    """A numpy column with amortised O(1) append, exposing the filled prefix as `.view`.

    It may start over a read-only array (memory-mapped from a snapshot, its pages shared between
    processes): the first write copies it into memory of its own with room to grow (copy-on-write).
    """

    def __init__(self, dtype: np.dtype | type, capacity: int = 1024) -> None:
        self._data = np.zeros(capacity, dtype=dtype)
        self.size = 0

    @classmethod
    def over(cls, values: np.ndarray) -> GrowableColumn:
        """A column holding exactly `values`, used in place (no copy until the column is written). A
        memory map is held through a plain ndarray view of its pages: indexing a `np.memmap` runs Python
        code on every call, which the hot path calls hundreds of times per record."""
        column = cls(values.dtype, capacity=0)
        column._data, column.size = values.view(np.ndarray), len(values)
        return column

    @property
    def view(self) -> np.ndarray:
        return self._data[: self.size]

    def writable(self) -> np.ndarray:
        """The filled prefix, copied first if it is still the read-only array the column started over."""
        if not self._data.flags.writeable:
            self._grow(len(self._data))
        return self.view

    def _grow(self, needed: int) -> None:
        grown = np.zeros(max(needed, 2 * len(self._data), 1024), dtype=self._data.dtype)
        grown[: self.size] = self._data[: self.size]
        self._data = grown

    def extend(self, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=self._data.dtype)
        needed = self.size + len(values)
        if needed > len(self._data) or not self._data.flags.writeable:
            self._grow(needed)
        self._data[self.size : needed] = values
        self.size = needed

    def nbytes(self) -> int:
        return int(self._data[: self.size].nbytes)
