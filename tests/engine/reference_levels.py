"""The per-pair level computation the vectorised levels replaced: the reference the tests compare with."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from linkage.model.spec import NULL_LEVEL


class PairLevelCache:
    """level(a, b) for vocabulary ids, computed once per distinct pair by a `linkage.vn` function.

    `compare` returns the model's level code (NULL_LEVEL for missing). Levels are kept as one int8 row
    per value `a` (UNKNOWN until computed), so a record's candidates cost one array gather, not a dict
    lookup each; the rows are dropped together when they pass `limit` cells.
    """

    UNKNOWN = np.int8(-128)

    def __init__(self, values: list, compare: Callable[[object, object], int],
                 limit: int = 64_000_000, self_exact: bool = True) -> None:
        self._values = values
        self._self_exact = self_exact  # a value agrees with itself exactly: names, not places
        self._compare = compare
        self._rows: dict[int, np.ndarray] = {}
        self._cells = 0
        self._limit = limit

    def levels_many(self, pairs: Sequence[tuple[int, np.ndarray]]) -> list[np.ndarray]:
        """`levels` of each (a, b), as `NameLevels.levels_many` answers them."""
        return [self.levels(a, b) for a, b in pairs]

    def levels(self, a: int, b: np.ndarray) -> np.ndarray:
        """Level codes (model order, NULL_LEVEL where either side is missing) of value a against each b."""
        out = np.full(len(b), NULL_LEVEL, dtype=np.int8)
        if a == 0 or len(b) == 0:
            return out
        present = np.flatnonzero(b != 0)
        ids = b[present]
        row = self._row(a, int(ids.max()) + 1 if len(ids) else 0)
        found = row[ids]
        unknown = found == self.UNKNOWN
        if unknown.any():
            for x in np.unique(ids[unknown]).tolist():
                row[x] = self._compare(self._values[a], self._values[x])
            found = row[ids]
        out[present] = found
        return out

    def _row(self, a: int, needed: int) -> np.ndarray:
        row = self._rows.get(a)
        if row is None or len(row) < needed:
            size = max(needed, len(self._values), 64)
            grown = np.full(size + size // 4, self.UNKNOWN, dtype=np.int8)
            if row is not None:
                grown[: len(row)] = row
                self._cells -= len(row)
            if self._self_exact:
                grown[a] = 0  # a value agrees with itself exactly, whatever `compare` says of the pair
            if self._cells + len(grown) > self._limit:
                self._rows, self._cells = {}, 0
            self._rows[a], row = grown, grown
            self._cells += len(grown)
        return row
