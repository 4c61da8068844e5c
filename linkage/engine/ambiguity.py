"""The twin doubt: how easily a record could be the candidate's twin instead of the candidate.

`FoldAmbiguity`: how easily a given name written without diacritics could be *another* name.

A record written without diacritics that agrees with a candidate on the folded given name ("lan") may
be the candidate (Lan) or the candidate's unregistered twin, if the twin carries a name that folds
alike (Lân). That doubt exists only where the folded form is shared by other given names of the same
sex: a form only one toned name of that sex carries leaves no room for a twin named alike, while "lan"
is Lan, Lân or Lấn. Parents who name twins Lan and Lân choose the pair on purpose, so how common the
other names are says little: what counts is whether another name of the class exists at all (counted
on the identity table itself, so it follows the population as it grows).

`FoldAmbiguity.carried`: whether a name written as a sound-alike of the candidate's (Khang for Khánh) is
itself a name people carry, and so a name a twin could have been given.

`RegisteredTwins`: whether the candidate's co-twin is itself in the register, which moves the doubt from
a hidden twin to a competing candidate.
"""

from __future__ import annotations

import numpy as np

from linkage.engine.features import FeatureTable
from linkage.vn.dates import Precision

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

    def refresh(self) -> None:
        """Count the rows added since the last call (never the whole table again: at 10 M identities a
        recount costs a tenth of a second, which the first record after every import would pay)."""
        size = len(self.table)
        if self._size == size:
            return
        rows = slice(max(self._size, 0), size)
        given = self.table.col("given")[rows].astype(np.int64)
        sex = self.table.col("sex")[rows]
        fold_of = self.table.encoder.fold_of.view.astype(np.int64)
        n_names, n_folds = len(fold_of), int(fold_of.max()) + 1 if len(fold_of) else 1
        for code in (1, 2):
            chosen = given[sex == code]
            self._own[code] = _grown(self._own.get(code), n_names) + np.bincount(chosen, minlength=n_names)
            self._fold[code] = _grown(self._fold.get(code), n_folds) + np.bincount(fold_of[chosen],
                                                                                 minlength=n_folds)
        self._size = size

    def of(self, given_ids: np.ndarray, sexes: np.ndarray) -> np.ndarray:
        """1.0 where another toned name of the sex (0 = unknown: either sex) folds alike, else
        FLOOR_WHEN_ALONE."""
        self.refresh()
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

    def carried(self, given_id: int, sex: int, marked: bool) -> float:
        """1.0 where an identity of the sex (0 = unknown: either) carries the given name as written,
        with its marks where the record shows marks, in any toned form where it shows none; else
        FLOOR_WHEN_ALONE. A twin is named with a name people carry, not with a misspelling."""
        self.refresh()
        fold_of = self.table.encoder.fold_of.view
        for code in ((1, 2) if sex == 0 else (sex,)):
            counts = self._own[code] if marked else self._fold[code]
            key = given_id if marked else (int(fold_of[given_id]) if given_id < len(fold_of) else -1)
            if 0 <= key < len(counts) and counts[key] > 0:
                return 1.0
        return FLOOR_WHEN_ALONE


# what a co-twin shares with the candidate in the register: the birth day, the commune, the surname and
# the parents' names (read together with the given name, which tells the twins apart)
_FAMILY = ("date", "place", "surname", "mother_surname", "mother_given", "father_surname", "father_given")
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class RegisteredTwins:
    """Per identity row: whether another identity of the same birth (same day, commune, surname and
    parents' names) with another given name is registered: the row's co-twin, in the index.

    Only rows with a birth date to the day and at least one parent's given name qualify: a year or a
    month is shared by siblings born eleven months apart, and a child registered without parents (a
    foundling) has no family to compare. Rows with the same given name are one person registered twice,
    not twins. A birth is kept as a 64-bit hash of those columns with the first given name seen for it,
    and rows are folded in as the table grows (a live import costs its own rows, not the register's);
    two births merged by a hash collision (about n²/2⁶⁵ for n births) would lift one twin doubt.
    """

    def __init__(self, table: FeatureTable) -> None:
        self.table = table
        self._seen = 0                                  # rows folded in so far
        self._births = np.zeros(0, dtype=np.uint64)     # sorted birth keys
        self._first_given = np.zeros(0, dtype=np.int32)  # per birth key, the first given name seen
        self._twins = np.zeros(0, dtype=np.uint64)      # sorted birth keys with two given names or more
        self._day_dates = np.zeros(0, dtype=bool)

    def of(self, rows: np.ndarray) -> np.ndarray:
        """True where the row's co-twin is registered."""
        self.refresh()
        keys, eligible = self._keys(np.asarray(rows, dtype=np.int64))
        return eligible & _contains(self._twins, keys)

    def refresh(self) -> None:
        """Fold in the rows added since the last call."""
        size = len(self.table)
        if self._seen == size:
            return
        rows = np.arange(self._seen, size)
        keys, eligible = self._keys(rows)
        self._fold_in(keys[eligible], self.table.col("given")[rows[eligible]].astype(np.int32))
        self._seen = size

    def _fold_in(self, keys: np.ndarray, given: np.ndarray) -> None:
        if not len(keys):
            return
        order = np.lexsort((given, keys))
        keys, given = keys[order], given[order]
        starts = np.r_[True, keys[1:] != keys[:-1]]
        ends = np.r_[keys[1:] != keys[:-1], True]
        births, names = keys[starts], given[starts]
        several = names != given[ends]        # sorted by name within a birth: first != last
        at = np.searchsorted(self._births, births)
        known = _contains(self._births, births)
        several[known] |= self._first_given[at[known]] != names[known]
        self._births = np.insert(self._births, at[~known], births[~known])
        self._first_given = np.insert(self._first_given, at[~known], names[~known])
        self._twins = np.union1d(self._twins, births[several])

    def _keys(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each row's birth key, and whether the row qualifies at all."""
        col = {name: self.table.col(name)[rows] for name in (*_FAMILY, "given")}
        eligible = self._day_precision()[col["date"]] & (col["given"] != 0) & \
            ((col["mother_given"] != 0) | (col["father_given"] != 0))
        key = np.zeros(len(rows), dtype=np.uint64)
        for name in _FAMILY:
            key = _mix(key + _GOLDEN + col[name].astype(np.uint64))
        return key, eligible

    def _day_precision(self) -> np.ndarray:
        """Per date id, whether the date names a day (grown with the date vocabulary)."""
        values = self.table.encoder.dates.values
        known = len(self._day_dates)
        if known < len(values):
            grown = np.fromiter((d is not None and d.precision is Precision.DAY for d in values[known:]),
                                dtype=bool, count=len(values) - known)
            self._day_dates = np.concatenate([self._day_dates, grown])
        return self._day_dates


def _grown(counts: np.ndarray | None, size: int) -> np.ndarray:
    """`counts` padded with zeros to `size` (new names since the last refresh)."""
    out = np.zeros(size, dtype=np.int64)
    if counts is not None:
        out[: len(counts)] = counts
    return out


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves every output bit (wrapping arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Per key, whether the sorted array holds it."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys


def _take(counts: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """counts[ids], 0 for ids the counts do not cover yet (names first seen on a record)."""
    inside = ids < len(counts)
    return np.where(inside, counts[np.where(inside, ids, 0)], 0)
