"""How many identities carry a name's parts together: the check on pricing the parts as independent.

Term-frequency adjustments price surname, middle and given name apart, so a name of rare parts agreeing
("Đàm Thị Minh Loan") is priced as the product of their frequencies, one in 10^8 or rarer. Names are not
drawn part by part: the surname is the father's, middle and given names go together and with the sex,
a family names its children alike. So where two or three parts agree they are priced together, at no
rarer than the identities carrying them together show: a combination carried by c identities is as
common as Good-Turing says one seen c times is, (c + 1) n(c+1) / n(c) in N, n(c) the combinations seen
c times. Where namesakes are common a name seen once is not rare; where no name recurs nothing is
taken back.
"""

from __future__ import annotations

import numpy as np

from linkage.engine.features import FeatureTable

PARTS = ("surname", "middle", "given")
SUBSETS = tuple(s for s in range(8) if bin(s).count("1") >= 2)  # two parts or three (bit i: PARTS[i])
_MIX = np.uint64(0x9E3779B97F4A7C15)
_LEFT_OUT = np.uint64(0xFFFFFFFFFFFFFFFF)  # stands for a part a key leaves out (no id is that)
GOOD_TURING_UP_TO = 5  # counts above this are taken as they are (the counts of counts thin out)
GOOD_TURING_FEWEST = 10  # keys seen c + 1 times needed to adjust a count of c


def part_keys(values: tuple[np.ndarray, np.ndarray, np.ndarray], subset: int) -> np.ndarray:
    """One 32-bit key per identity for the parts in `subset` (bit i: PARTS[i]), the high half of a
    multiplicative hash. A collision only adds a namesake to a count: at 10 million identities a name
    meets another's key with a chance of about 0.2 %."""
    key = np.full(len(values[0]), np.uint64(subset), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i, part in enumerate(values):
            taken = part.astype(np.uint64) if subset >> i & 1 else _LEFT_OUT
            key = (key ^ taken) * _MIX
    return (key >> np.uint64(32)).astype(np.uint32)


class LiveRowTally:
    """Counts over the identity table's live rows, made at `refresh` (after a load or an import: at 10 M
    identities it takes seconds) and again once the table has grown by more than `stale_fraction` (a
    count a percent stale changes no decision). The current version of each identity only: a replaced
    or removed row is no namesake. A subclass says what to count (`_count`)."""

    def __init__(self, table: FeatureTable, stale_fraction: float = 0.01) -> None:
        self.table = table
        self.stale_fraction = stale_fraction
        self._built_at = -1

    def refresh(self) -> None:
        """Count again if the table has grown past `stale_fraction` since the last count (or was never
        counted)."""
        size = len(self.table)
        if self._built_at >= 0 and size - self._built_at <= self.stale_fraction * self._built_at:
            return
        self._count(np.fromiter(self.table.ids.live_rows(), dtype=np.int64, count=self.table.live_count()))
        self._built_at = size

    def _count(self, live: np.ndarray) -> None:
        raise NotImplementedError


class PartCounts(LiveRowTally):
    """How many identities carry each combination of name parts, as written and folded: one sorted key
    array per combination of two or three parts and form (eight), 4 bytes per identity per array, no
    Python objects."""

    def __init__(self, table: FeatureTable, stale_fraction: float = 0.01) -> None:
        super().__init__(table, stale_fraction)
        self._sorted: dict[tuple[int, bool], tuple[np.ndarray, np.ndarray]] = {}

    def counts(self, values: tuple[np.ndarray, np.ndarray, np.ndarray], subset: int,
               folded: bool) -> tuple[np.ndarray, np.ndarray]:
        """Identities carrying each row's parts in `subset` (name ids, as written or folded), and those
        counts as Good-Turing adjusts them (what a count of c says the name's expected count is)."""
        if folded:
            values = self._folded(values)
        table, adjusted = self._table(subset, folded)
        keys = part_keys(values, subset)
        counts = np.maximum(np.searchsorted(table, keys, "right") - np.searchsorted(table, keys, "left"), 1)
        return counts, np.where(counts <= GOOD_TURING_UP_TO, adjusted[np.minimum(counts, GOOD_TURING_UP_TO)],
                                counts)

    def _folded(self, values: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        fold_of = self.table.encoder.fold_of.view
        return tuple(fold_of[v] for v in values)  # type: ignore[return-value]

    def _count(self, live: np.ndarray) -> None:
        """Every combination of two or three parts, as written and folded."""
        written = tuple(self.table.col(part)[live] for part in PARTS)
        forms = {False: written, True: self._folded(written)}
        self._sorted = {(subset, folded): _counted(np.sort(part_keys(values, subset)))
                        for subset in SUBSETS for folded, values in forms.items()}

    def _table(self, subset: int, folded: bool) -> tuple[np.ndarray, np.ndarray]:
        self.refresh()
        return self._sorted[(subset, folded)]


def _counted(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return sorted_keys, good_turing(sorted_keys)


def good_turing(sorted_keys: np.ndarray) -> np.ndarray:
    """Adjusted counts c* = (c + 1) n(c+1) / n(c) for c = 0..GOOD_TURING_UP_TO, n(c) the keys seen c
    times, never above c (a count of c is no evidence of more) and rising with c. Where fewer than
    `GOOD_TURING_FEWEST` keys were seen c + 1 times the ratio says little: a name seen once is then
    taken as no evidence that names recur (0, which leaves the parts' product standing), one seen
    more often keeps its count (it does recur)."""
    c = np.arange(GOOD_TURING_UP_TO + 1, dtype=np.float64)
    if not len(sorted_keys):
        return c
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    runs = np.diff(np.r_[starts, len(sorted_keys)])
    seen = np.bincount(runs, minlength=GOOD_TURING_UP_TO + 2).astype(np.float64)
    now, above = seen[:GOOD_TURING_UP_TO + 1], seen[1:GOOD_TURING_UP_TO + 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        adjusted = np.minimum((c + 1) * above / now, c)
    thin = (now == 0) | (above < GOOD_TURING_FEWEST)
    adjusted = np.where(thin, np.where(c >= 2, c, 0.0), adjusted)
    return np.maximum.accumulate(adjusted)
