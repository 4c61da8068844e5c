"""How common a parent's name is among the register's parents: the term frequency of a parent agreeing.

A mother's name agreeing was worth the same whether she is one of thousands of Nguyễn Thị Huế or the
only Bùi Vân Ngọc: the average agreement's weight. Here the agreed name is priced by how many identities
name a parent so (surname and given name, folded: records from abroad drop the marks), shrunk towards
the published frequencies of the two parts, as the child's own name parts are. A mother of three counts
three times: her children are one another's namesakes on this field, and the other fields tell them
apart.
"""

from __future__ import annotations

import numpy as np

from linkage.engine.features import FeatureTable
from linkage.engine.name_parts import LiveRowTally, part_keys

PARENTS = {"mother": ("mother_surname", "mother_given"), "father": ("father_surname", "father_given")}
_BOTH = 0b011  # part_keys' subset: the first two values


class ParentNameCounts(LiveRowTally):
    """Per parent, the sorted keys of (surname, given name) as folded, over the live rows that name
    one."""

    def __init__(self, table: FeatureTable, stale_fraction: float = 0.01) -> None:
        super().__init__(table, stale_fraction)
        self._sorted: dict[str, np.ndarray] = {}

    def counts(self, parent: str, surname: np.ndarray, given: np.ndarray) -> tuple[np.ndarray, int]:
        """Identities naming a `parent` of each (surname, given name) id pair, at least 1 (the candidate
        itself), and how many identities name that parent at all."""
        self.refresh()
        table = self._sorted[parent]
        keys = self._keys(surname, given)
        found = np.searchsorted(table, keys, "right") - np.searchsorted(table, keys, "left")
        return np.maximum(found, 1), len(table)

    def _count(self, live: np.ndarray) -> None:
        self._sorted = {}
        for parent, (surname_column, given_column) in PARENTS.items():
            surname, given = self.table.col(surname_column)[live], self.table.col(given_column)[live]
            named = given != 0
            self._sorted[parent] = np.sort(self._keys(surname[named], given[named]))

    def _keys(self, surname: np.ndarray, given: np.ndarray) -> np.ndarray:
        fold_of = self.table.encoder.fold_of.view
        unused = np.zeros(len(given), dtype=np.int64)  # part_keys' third part, which _BOTH leaves out
        return part_keys((fold_of[surname], fold_of[given], unused), _BOTH)
