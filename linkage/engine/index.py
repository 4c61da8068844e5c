"""The candidate index: blocking-key hashes -> identity rows, as sorted numpy arrays (no Python sets).

Layout: one sorted uint32 key array with a parallel int32 row array (a CSR in all but name), so a filing
costs 8 bytes; a lookup is a binary search per key. New identities go to a small dict "delta"
(key -> rows) that is merged into the main arrays when it grows past a fraction of them or past
`max_delta` filings, so `add` is O(keys), a lookup never sees stale data, and the dict (about 35 bytes
of Python objects per filing) stays a few tens of megabytes whatever the population. The main arrays
may be read-only (memory-mapped from a snapshot, shared by every process that loads it): a merge builds
new arrays and never writes to them.

Why 32-bit keys are enough: a key collision only joins two blocks. Every row of the other block becomes
a candidate that agrees on nothing the key stands for, so it scores low and is ranked below the true
identity: a collision costs scoring time, never a wrong link. It could cost a candidate only through the
cap: the joined block is skipped when the two together exceed `cap`. At 10 M identities there are about
10^8 distinct keys among 2^32 values, so a record's key meets some other key with probability ~2 %, and
that other key is a large block (hundreds of rows, a few thousand such keys at most) with probability
~10^-6; and the record's other ten or so key families still retrieve the identity.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from linkage.engine.vocabulary import GrowableColumn

KEY_DTYPE = np.uint32


def as_keys(keys: Iterable[int]) -> np.ndarray:
    """Keys as uint32 (wider hashes keep their low 32 bits, so callers may pass either)."""
    values = np.fromiter(keys, dtype=np.uint64)
    return (values & np.uint64(0xFFFFFFFF)).astype(KEY_DTYPE)


class _SortedRun:
    def __init__(self, keys: np.ndarray, rows: np.ndarray, presorted: bool = False) -> None:
        if presorted:
            self.keys, self.rows = keys, rows
        else:
            order = np.argsort(keys, kind="stable")
            self.keys = keys[order].astype(KEY_DTYPE, copy=False)
            self.rows = rows[order].astype(np.int32, copy=False)

    def spans(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.searchsorted(self.keys, query, "left"), np.searchsorted(self.keys, query, "right")

    def merged_with(self, keys: np.ndarray, rows: np.ndarray) -> _SortedRun:
        """A new run holding this one and (keys, rows): O(n + m log m), without re-sorting this run."""
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order].astype(KEY_DTYPE), rows[order].astype(np.int32)
        at = np.searchsorted(self.keys, keys, "right")
        return _SortedRun(np.insert(self.keys, at, keys), np.insert(self.rows, at, rows), presorted=True)


class CandidateIndex:
    """Blocking index over identity rows; `candidates(keys)` returns the union of the non-huge blocks."""

    def __init__(self, cap: int = 500, merge_fraction: float = 0.05, max_delta: int = 1_000_000) -> None:
        self.cap = cap
        self.merge_fraction = merge_fraction
        self.max_delta = max_delta
        self._main = _SortedRun(np.zeros(0, KEY_DTYPE), np.zeros(0, np.int32), presorted=True)
        self._pending_keys = GrowableColumn(KEY_DTYPE)
        self._pending_rows = GrowableColumn(np.int32)
        self._delta: dict[int, list[int]] = {}

    @classmethod
    def from_sorted(cls, keys: np.ndarray, rows: np.ndarray, cap: int = 500,
                    merge_fraction: float = 0.05) -> CandidateIndex:
        """An index over arrays already sorted by key (a snapshot's); they are used as they are, unsorted
        input is refused rather than answered wrongly."""
        if keys.dtype != KEY_DTYPE or rows.dtype != np.int32 or len(keys) != len(rows):
            raise ValueError("index arrays must be uint32 keys and int32 rows of one length")
        if len(keys) > 1 and bool(np.any(keys[1:] < keys[:-1])):
            raise ValueError("index keys are not sorted")
        index = cls(cap, merge_fraction)
        # plain views of a memory map: slicing a `np.memmap` runs Python code per block looked up
        index._main = _SortedRun(keys.view(np.ndarray), rows.view(np.ndarray), presorted=True)
        return index

    def __len__(self) -> int:
        return len(self._main.keys) + self._pending_keys.size

    def add(self, rows: Iterable[int], keys_per_row: Iterable[Iterable[int]]) -> None:
        keys: list[int] = []
        owners: list[int] = []
        for row, row_keys in zip(rows, keys_per_row, strict=True):
            for key in row_keys:
                keys.append(key)
                owners.append(row)
        folded = as_keys(keys)
        self._pending_keys.extend(folded)
        self._pending_rows.extend(np.array(owners, dtype=np.int32))
        limit = min(self.merge_fraction * max(len(self._main.keys), 200_000), self.max_delta)
        if self._pending_keys.size > limit:
            self._merge()  # bulk loads end here, without building the dict
            return
        delta = self._delta
        for key, row in zip(folded.tolist(), owners, strict=True):
            delta.setdefault(key, []).append(row)

    def _merge(self) -> None:
        self._main = self._main.merged_with(self._pending_keys.view, self._pending_rows.view)
        self._pending_keys = GrowableColumn(KEY_DTYPE)
        self._pending_rows = GrowableColumn(np.int32)
        self._delta = {}

    def sorted_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Every filing as (keys, rows) sorted by key: what a snapshot saves. Pending filings are merged
        into a new run first (the index answers the same before and after)."""
        if self._pending_keys.size:
            self._merge()
        return self._main.keys, self._main.rows

    def candidates(self, keys: Iterable[int]) -> np.ndarray:
        """Sorted unique identity rows sharing at least one key whose block is no larger than `cap`."""
        # sorted, each binary search starts where the previous one ended (fewer cache misses)
        query = np.sort(as_keys(keys))
        if len(query) == 0:
            return np.zeros(0, dtype=np.int32)
        lo, hi = self._main.spans(query)
        extra = [self._delta.get(k, ()) for k in query.tolist()] if self._delta else [()] * len(query)
        sizes = (hi - lo) + np.fromiter((len(e) for e in extra), dtype=np.int64, count=len(query))
        parts: list[np.ndarray] = []
        for i in np.flatnonzero(sizes <= self.cap).tolist():
            if hi[i] > lo[i]:
                parts.append(self._main.rows[lo[i]:hi[i]])
            if extra[i]:
                parts.append(np.asarray(extra[i], dtype=np.int32))
        if not parts:
            return np.zeros(0, dtype=np.int32)
        return _sorted_unique(np.concatenate(parts))

    def block_sizes(self, keys: Iterable[int]) -> np.ndarray:
        query = as_keys(keys)
        lo, hi = self._main.spans(query)
        return (hi - lo) + np.array([len(self._delta.get(k, ())) for k in query.tolist()], dtype=np.int64)

    def nbytes(self) -> int:
        return int(self._main.keys.nbytes + self._main.rows.nbytes + self._pending_keys.nbytes()
                   + self._pending_rows.nbytes())


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """`np.unique(values)` for an array of our own, by sorting it in place: a tenth of the time at a
    record's thousand or so rows (numpy's hashing `unique` costs about 85 µs there)."""
    values.sort()
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]
