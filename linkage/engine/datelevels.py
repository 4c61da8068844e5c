"""Date comparison levels for one date against many, vectorised over numpy columns of the date vocabulary.

The same levels as `linkage.engine.scorer.date_level` (which refines `linkage.vn.dates.compare_dates`),
computed on integer columns so that a record's hundreds of candidate dates cost one numpy pass instead of
hundreds of Python calls. `tests/engine/test_datelevels.py` checks the two agree on every pair of a
sample of dates.
"""

from __future__ import annotations

import datetime as dt
import threading

import numpy as np

from linkage.model.comparisons import DATE_LEVELS
from linkage.model.spec import NULL_LEVEL
from linkage.vn.dates import WITHIN_DAYS, PartialDate, Precision, years_a_slip_apart

CODE = {name: i for i, name in enumerate(DATE_LEVELS)}
# a record written before its person was born is another person's; a month's grace for a date of
# writing that is the day it was filed, or a birth registered on an estimate
WRITTEN_SLACK_DAYS = 31
_DAY, _ESTIMATE = int(Precision.DAY), int(Precision.ESTIMATE)


class DateColumns:
    """Per date-vocabulary id: year, month, day (0 = none), precision, earliest and latest ordinals.

    Held as one row per id (`rows`), so a record's candidates cost one gather instead of six.
    """

    FIELDS = ("year", "month", "day", "precision", "earliest", "latest")

    def __init__(self) -> None:
        self.rows = np.zeros((1, len(self.FIELDS)), dtype=np.int32)
        self.rows[0, self.FIELDS.index("precision")] = -1  # id 0: missing
        self.size = 1
        self._grow = threading.Lock()

    def __getstate__(self) -> dict:  # locks don't pickle
        return {key: value for key, value in self.__dict__.items() if key != "_grow"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _grow=threading.Lock())

    def sync(self, values: list[PartialDate | None]) -> None:
        """Append the dates the vocabulary gained since the last call."""
        if len(values) == self.size:
            return
        with self._grow:  # server threads score at once: one grows the columns, and all see them whole
            self._extend(list(values))  # a copy: the vocabulary may grow meanwhile

    def _extend(self, values: list[PartialDate | None]) -> None:
        if len(values) <= self.size:
            return
        new = values[self.size:]
        added = np.array([(d.year or 0, d.month or 0, d.day or 0, int(d.precision), d.earliest.toordinal(),
                            d.latest.toordinal()) for d in new], dtype=np.int32)
        added = added.reshape(len(new), len(self.FIELDS))
        # a new array swapped in whole: a reader holds either the old rows or the new, never a mix
        self.rows = np.concatenate([self.rows, added])
        self.size = len(values)

    def levels(self, a: int, b: np.ndarray, written: int = 0, either_way: bool = True) -> np.ndarray:
        """Level codes of date id `a` against date ids `b` (NULL_LEVEL where either is missing). `written`:
        the ordinal of the last day the record of `a` may have been written (0: not known); a date of
        birth more than `WRITTEN_SLACK_DAYS` after it differs, whatever the record says of its own.
        `either_way`: a day that could be the month is also read as the month (`scorer.date_level`)."""
        out = np.full(len(b), NULL_LEVEL, dtype=np.int8) if a == 0 else self._levels(a, b, either_way)
        if written:
            born_after = (b != 0) & (np.take(self.rows[:, self.FIELDS.index("earliest")], b)
                                     > written + WRITTEN_SLACK_DAYS)
            out[born_after] = CODE["different"]
        return out

    def _levels(self, a: int, b: np.ndarray, either_way: bool = True) -> np.ndarray:
        rows = self.rows
        out = np.full(len(b), CODE["different"], dtype=np.int8)
        ya, ma, da, pa, ea, la = rows[a].tolist()
        yb, mb, db, pb, eb, lb = np.take(rows, b, axis=0).T
        missing = b == 0
        estimate = (pa == _ESTIMATE) | (pb == _ESTIMATE)
        full = (pa == _DAY) & (pb == _DAY)
        gap = _day_gap(ya, ma, da, ea, eb, either_way)
        apart = np.abs(yb - ya)  # years
        same_year = apart == 0
        # partial dates (one side month or year only) that contain the other
        partial = ~estimate & ~full & same_year
        out[partial] = np.where((ma != 0) & (mb == ma), CODE["month_only"], CODE["year_only"])[partial]
        out[~estimate & ~full & (apart == 2)] = CODE["year_far"]  # an age remembered wrong
        out[~estimate & ~full & (apart == 1)] = CODE["year_near"]  # a lunar or tuổi mụ year
        # two full dates, from the weakest level up so that stronger ones overwrite
        swapped = full & same_year & (db == ma) & (mb == da) & (da <= 12) & (ma <= 12)
        out[full & same_year] = CODE["same_year"]
        # 1 January is what registers and files write where only the year is known: a year, not a day
        first_of_year = full & (((ma == 1) & (da == 1)) | ((mb == 1) & (db == 1)))
        out[first_of_year & same_year] = CODE["year_only"]
        out[first_of_year & (apart == 2)] = CODE["year_far"]
        out[first_of_year & (apart == 1)] = CODE["year_near"]
        same_day = ((mb == ma) & (db == da)) | ((mb == da) & (db == ma))  # read either way
        day_kept = np.flatnonzero(full & same_day)  # few rows: the slip's digits are read on them alone
        out[day_kept[years_a_slip_apart(ya, yb[day_kept])]] = CODE["year_slip"]
        out[full & same_day & (apart == 1)] = CODE["year_off"]
        out[full & (gap <= 31)] = CODE["within_month"]
        out[full & (gap <= WITHIN_DAYS)] = CODE["within_days"]
        out[swapped] = CODE["swapped"]
        out[full & (eb == ea)] = CODE["exact"]
        # estimates: overlap of the ranges, a full date on the 1st standing for its month (1 January: its
        # year) against an estimate, as registers write a foundling's date (`scorer._as_registered`)
        overlap = (ea <= lb) & (eb <= la)
        one_estimate = (pa == _ESTIMATE) != (pb == _ESTIMATE)
        if one_estimate.any():  # (a record with a full date meets no estimate among registered dates)
            la_registered = int(_as_registered_latest(*(np.array([v]) for v in (ya, ma, da, pa, la)))[0])
            lb_registered = _as_registered_latest(yb, mb, db, pb, lb)
            overlap |= one_estimate & (ea <= lb_registered) & (eb <= la_registered)
        out[estimate] = np.where(overlap, CODE["within_estimate"], CODE["different"])[estimate]
        out[missing] = NULL_LEVEL
        return out


def _as_registered_latest(year: np.ndarray, month: np.ndarray, day: np.ndarray, precision: np.ndarray,
                          latest: np.ndarray) -> np.ndarray:
    """The latest day a date may stand for, a full date on the 1st standing for its month, 1 January for
    its year (`scorer._as_registered`)."""
    first = (precision == _DAY) & (day == 1)
    if not first.any():
        return latest
    december = month == 12
    month_end = _ordinal(np.where(december, year + 1, year), np.where(december, 1, month + 1), 1) - 1
    year_end = _ordinal(year + 1, 1, 1) - 1
    return np.where(first, np.where(month == 1, year_end, month_end), latest)


def _ordinal(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """`date.toordinal()` of each (year, month, day), vectorised (days from civil, H. Hinnant)."""
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 305


def _day_gap(ya: int, ma: int, da: int, ea: int, eb: np.ndarray, either_way: bool = True) -> np.ndarray:
    """`vn.dates.day_gap` against many: days apart, the record's date (`a`) read either way where its day
    could be the month."""
    gap = np.abs(eb - ea)
    if either_way and 0 < da <= 12 and da != ma:
        gap = np.minimum(gap, np.abs(eb - dt.date(ya, da, ma).toordinal()))
    return gap
