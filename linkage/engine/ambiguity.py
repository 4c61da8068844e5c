"""How easily a given name written without diacritics could be *another* name: the twin doubt.

A record written without diacritics that agrees with a candidate on the folded given name ("lan") may
be the candidate (Lan) or the candidate's unregistered twin, if the twin carries a name that folds
alike (Lân). That doubt exists only where the folded form is shared by other given names of the same
sex: a form only one toned name of that sex carries leaves no room for a twin named alike, while "lan"
is Lan, Lân or Lấn. Parents who name twins Lan and Lân choose the pair on purpose, so how common the
other names are says little: what counts is whether another name of the class exists at all (counted
on the identity table itself, so it follows the population as it grows).
"""

from __future__ import annotations

import numpy as np

from linkage.engine.features import FeatureTable

# a fold class with a single toned name in the table keeps this share of the doubt: a larger
# population may still hold another name of the class
FLOOR_WHEN_ALONE = 0.01


class FoldAmbiguity:
    """Per (given-name id, sex): 1 where other toned given names of that sex share its folded form."""

    def __init__(self, table: FeatureTable) -> None:
        self.table = table
        self._size = -1
        self._own: dict[int, np.ndarray] = {}
        self._fold: dict[int, np.ndarray] = {}

    def _refresh(self) -> None:
        if self._size == len(self.table):
            return
        given = self.table.col("given").astype(np.int64)
        sex = self.table.col("sex")
        fold_of = self.table.encoder.fold_of.view.astype(np.int64)
        n_names, n_folds = len(fold_of), int(fold_of.max()) + 1 if len(fold_of) else 1
        for code in (1, 2):
            chosen = given[sex == code]
            self._own[code] = np.bincount(chosen, minlength=n_names)
            self._fold[code] = np.bincount(fold_of[chosen], minlength=n_folds)
        self._size = len(self.table)

    def of(self, given_ids: np.ndarray, sexes: np.ndarray) -> np.ndarray:
        """1.0 where another toned name of the sex (0 = unknown: either sex) folds alike, else
        FLOOR_WHEN_ALONE."""
        self._refresh()
        given_ids = np.asarray(given_ids, dtype=np.int64)
        fold_of = self.table.encoder.fold_of.view
        out = np.zeros(len(given_ids), dtype=np.float64)
        for code in (1, 2):
            own = _take(self._own[code], given_ids)
            total = _take(self._fold[code], fold_of[given_ids].astype(np.int64))
            others = np.maximum(total - own, 0)
            share = np.where(others > 0, 1.0, FLOOR_WHEN_ALONE)
            out = np.where((sexes == code) | ((sexes == 0) & (share > out)), share, out)
        return out


def _take(counts: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """counts[ids], 0 for ids the counts do not cover yet (names first seen on a record)."""
    inside = ids < len(counts)
    return np.where(inside, counts[np.where(inside, ids, 0)], 0)
