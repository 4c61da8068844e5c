"""The candidate index: blocking-key hashes -> identity rows, as sorted numpy arrays (no Python sets).

Layout: one sorted int64 key array with a parallel int32 row array (a CSR in all but name); a lookup
is a binary search per key. New identities go to a small dict "delta" (key -> rows) that is merged into
the main arrays when it grows past a fraction of them, so `add` is O(keys) and a lookup never sees stale
data.
Blocks larger than `cap` (e.g. "nguyễn"+"văn" pairs) are skipped: the other keys retrieve those pairs.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from linkage.engine.vocabulary import GrowableColumn


class _SortedRun:
    def __init__(self, keys: np.ndarray, rows: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.rows = rows[order].astype(np.int32)

    def spans(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.searchsorted(self.keys, query, "left"), np.searchsorted(self.keys, query, "right")


class CandidateIndex:
    """Blocking index over identity rows; `candidates(keys)` returns the union of the non-huge blocks."""

    def __init__(self, cap: int = 500, merge_fraction: float = 0.05) -> None:
        self.cap = cap
        self.merge_fraction = merge_fraction
        self._main = _SortedRun(np.zeros(0, np.int64), np.zeros(0, np.int32))
        self._pending_keys = GrowableColumn(np.int64)
        self._pending_rows = GrowableColumn(np.int32)
        self._delta: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._main.keys) + self._pending_keys.size

    def add(self, rows: Iterable[int], keys_per_row: Iterable[Iterable[int]]) -> None:
        keys: list[int] = []
        owners: list[int] = []
        for row, row_keys in zip(rows, keys_per_row, strict=True):
            for key in row_keys:
                keys.append(key)
                owners.append(row)
        self._pending_keys.extend(np.array(keys, dtype=np.int64))
        self._pending_rows.extend(np.array(owners, dtype=np.int32))
        if self._pending_keys.size > self.merge_fraction * max(len(self._main.keys), 200_000):
            self._merge()  # bulk loads end here, without building the dict
            return
        delta = self._delta
        for key, row in zip(keys, owners, strict=True):
            delta.setdefault(key, []).append(row)

    def _merge(self) -> None:
        keys = np.concatenate([self._main.keys, self._pending_keys.view])
        rows = np.concatenate([self._main.rows, self._pending_rows.view])
        self._main = _SortedRun(keys, rows)
        self._pending_keys = GrowableColumn(np.int64)
        self._pending_rows = GrowableColumn(np.int32)
        self._delta = {}

    def candidates(self, keys: Iterable[int]) -> np.ndarray:
        """Sorted unique identity rows sharing at least one key whose block is no larger than `cap`."""
        query = np.fromiter(keys, dtype=np.int64)
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
        return np.unique(np.concatenate(parts))

    def block_sizes(self, keys: Iterable[int]) -> np.ndarray:
        query = np.fromiter(keys, dtype=np.int64)
        lo, hi = self._main.spans(query)
        return (hi - lo) + np.array([len(self._delta.get(k, ())) for k in query.tolist()], dtype=np.int64)

    def nbytes(self) -> int:
        return int(self._main.keys.nbytes + self._main.rows.nbytes + self._pending_keys.nbytes()
                   + self._pending_rows.nbytes())
