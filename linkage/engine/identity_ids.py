"""Identity ids of the feature table's rows without a Python object per identity.

Rows hold their id in one fixed-width bytes array (row order), looked up through an int32 permutation
that sorts it: `row_of` is a binary search, so 10 M ids cost (width + 4) bytes each instead of a str and a
dict slot (~180 bytes). Ids added since the arrays were last built (a live import, a change file) sit in a
small dict and list until they pass a fraction of the arrays, then are merged in O(n) without re-sorting.
The arrays may be read-only (memory-mapped from a snapshot): a merge builds new ones.

A re-added id keeps its old row (a replaced, dead row still has its id) but `row_of` names the newest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np


class IdentityIds:
    """row -> identity id, and identity id -> its current row."""

    def __init__(self, merge_fraction: float = 0.05, min_pending: int = 50_000) -> None:
        self.merge_fraction = merge_fraction
        self.min_pending = min_pending
        self._ids = np.zeros(0, dtype="S1")      # row order: the id of every merged row
        self._order = np.zeros(0, dtype=np.int32)  # every merged row, sorted by (id, row)
        self._pending: list[str] = []              # ids of rows len(_ids).. in row order
        self._pending_row: dict[str, int] = {}     # the newest pending row of each pending id
        self._live = 0
        self.removed: set[str] = set()            # ids taken out of the population (merged away)

    @classmethod
    def from_arrays(cls, ids: np.ndarray, order: np.ndarray, live: int,
                    removed: Iterable[str] = ()) -> IdentityIds:
        if ids.dtype.kind != "S" or order.dtype != np.int32 or len(ids) != len(order):
            raise ValueError("identity ids must be a bytes array and its order an int32 array of one length")
        built = cls()
        built._ids, built._order, built._live = ids, order, int(live)
        built.removed = set(removed)
        return built

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids in row order, rows sorted by (id, row)): what a snapshot saves; pending ids merge first."""
        self._merge()
        return self._ids, self._order

    def __len__(self) -> int:
        """Rows, dead ones included."""
        return len(self._ids) + len(self._pending)

    def live_count(self) -> int:
        return self._live

    def id_of(self, row: int) -> str:
        merged = len(self._ids)
        if row < 0:
            row += len(self)
        if row >= merged:
            return self._pending[row - merged]
        return self._ids[row].decode("utf-8")

    def rows_of(self, identity_ids: Sequence[str]) -> np.ndarray:
        """The current row of each id, -1 where the id is unknown (vectorised: one search per batch)."""
        found = self._search(np.array([i.encode("utf-8") for i in identity_ids], dtype=bytes)
                             if identity_ids else np.zeros(0, dtype="S1"))
        if self._pending_row or self.removed:
            for i, identity_id in enumerate(identity_ids):
                row = self._pending_row.get(identity_id)
                if row is not None:
                    found[i] = row
                elif identity_id in self.removed:
                    found[i] = -1
        return found

    def forget(self, identity_ids: Sequence[str]) -> np.ndarray:
        """Take ids out of the population; returns the rows they had (to mark dead)."""
        identity_ids = list(dict.fromkeys(identity_ids))
        rows = self.rows_of(identity_ids)
        for identity_id, row in zip(identity_ids, rows.tolist(), strict=True):
            if row >= 0:
                self.removed.add(identity_id)
                self._pending_row.pop(identity_id, None)
                self._live -= 1
        return np.unique(rows[rows >= 0])

    def _search(self, query: np.ndarray) -> np.ndarray:
        found = np.full(len(query), -1, dtype=np.int64)
        if len(self._order) == 0 or len(query) == 0:
            return found
        # rows are sorted by (id, row): the last of a run of equal ids is the newest row
        at = np.searchsorted(self._ids, query, side="right", sorter=self._order) - 1
        rows = self._order[np.maximum(at, 0)]
        hit = (at >= 0) & (self._ids[rows] == query)
        found[hit] = rows[hit]
        return found

    def append(self, identity_ids: Sequence[str]) -> np.ndarray:
        """Give these ids the next rows; returns the rows each replaced (-1 where the id was new)."""
        replaced = self.rows_of(identity_ids)
        start = len(self)
        seen_now: dict[str, int] = {}
        for offset, identity_id in enumerate(identity_ids):
            if identity_id in seen_now:  # the same id twice in one batch: the later row replaces
                replaced[offset] = seen_now[identity_id]
            seen_now[identity_id] = start + offset
        self._live += int(np.count_nonzero(replaced < 0))
        self.removed.difference_update(identity_ids)
        self._pending.extend(identity_ids)
        self._pending_row.update(seen_now)
        if len(self._pending) > max(self.min_pending, self.merge_fraction * len(self._ids)):
            self._merge()
        return replaced

    def _merge(self) -> None:
        """Move the pending ids into the arrays: O(n) inserts into the sorted order, no re-sort."""
        if not self._pending:
            return
        new = np.array([i.encode("utf-8") for i in self._pending], dtype=bytes)
        width = max(self._ids.dtype.itemsize, new.dtype.itemsize)
        merged = len(self._ids)
        by_id = np.argsort(new, kind="stable")  # equal ids keep row order
        at = (np.searchsorted(self._ids, new[by_id], side="right", sorter=self._order) if merged
              else np.zeros(len(new), dtype=np.int64))
        order = np.insert(self._order, at, (by_id + merged).astype(np.int32))
        self._ids = np.concatenate([self._ids.astype(f"S{width}"), new.astype(f"S{width}")])
        self._order = order.astype(np.int32, copy=False)
        self._pending, self._pending_row = [], {}

    def array_nbytes(self) -> int:
        return int(self._ids.nbytes + self._order.nbytes)

    def nbytes(self) -> int:
        """Arrays exactly, plus the pending Python objects (an estimate, as bench.scale_memory does)."""
        import sys

        pending = (sys.getsizeof(self._pending) + sum(map(sys.getsizeof, self._pending))
                   + sys.getsizeof(self._pending_row) + 32 * len(self._pending_row))
        return self.array_nbytes() + pending

    def live_rows(self) -> Iterator[int]:
        """The current row of every id (dead, replaced rows left out)."""
        if len(self._order):
            sorted_ids = self._ids[self._order]
            last = np.ones(len(sorted_ids), dtype=bool)
            last[:-1] = sorted_ids[1:] != sorted_ids[:-1]
            rows = self._order[last]
            newer = [k.encode("utf-8") for k in (*self._pending_row, *self.removed)]
            if newer:  # re-added since (the pending row is current) or removed: not this row
                rows = rows[~np.isin(self._ids[rows], np.array(newer, dtype=bytes))]
            yield from rows.tolist()
        yield from self._pending_row.values()

    # the two read-only views the engine's callers use -------------------------------------------------
    @property
    def row_of(self) -> RowOf:
        return RowOf(self)

    @property
    def ids(self) -> IdsByRow:
        return IdsByRow(self)


class RowOf(Mapping[str, int]):
    """identity id -> current row, as a read-only mapping (what `FeatureTable.row_of` was as a dict)."""

    def __init__(self, ids: IdentityIds) -> None:
        self._ids = ids

    def __getitem__(self, identity_id: str) -> int:
        row = int(self._ids.rows_of([identity_id])[0])
        if row < 0:
            raise KeyError(identity_id)
        return row

    def __contains__(self, identity_id: object) -> bool:
        return isinstance(identity_id, str) and int(self._ids.rows_of([identity_id])[0]) >= 0

    def __iter__(self) -> Iterator[str]:
        return (self._ids.id_of(row) for row in self._ids.live_rows())

    def __len__(self) -> int:
        return self._ids.live_count()

    def values(self) -> Iterable[int]:  # type: ignore[override]  # rows, without materialising ids
        return self._ids.live_rows()


class IdsByRow(Sequence[str]):
    """row -> identity id, as a read-only sequence (what `FeatureTable.identity_ids` was as a list)."""

    def __init__(self, ids: IdentityIds) -> None:
        self._ids = ids

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return [self._ids.id_of(r) for r in range(*row.indices(len(self)))]
        if not -len(self) <= row < len(self):
            raise IndexError(row)
        return self._ids.id_of(int(row))

    def __len__(self) -> int:
        return len(self._ids)
