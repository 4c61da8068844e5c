"""The vectorised date levels agree with the scalar refinement of `linkage.vn.dates.compare_dates`."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np

from linkage.engine.datelevels import DateColumns
from linkage.engine.scorer import date_level
from linkage.engine.vocabulary import Vocabulary
from linkage.vn.dates import parse_date


def _sample_dates(n: int, rng: random.Random) -> list[str]:
    out = []
    base = dt.date(2010, 6, 15)
    for _ in range(n):
        day = base + dt.timedelta(days=rng.randint(-800, 800))
        kind = rng.random()
        if kind < 0.5:
            out.append(day.isoformat())
        elif kind < 0.6:
            out.append(f"{day.year}-{day.day:02d}-{day.month:02d}" if day.day <= 12 else day.isoformat())
        elif kind < 0.7:
            out.append(f"{day.year}-{day.month:02d}")
        elif kind < 0.8:
            out.append(str(day.year))
        elif kind < 0.9:  # a slipped year: one off, a digit, two digits swapped (2010, 2001), the decade
            out.append(day.replace(year=day.year + rng.choice((-1, 1, -2, 10, -9, -10, 20))).isoformat()
                       if day.day < 29 else day.isoformat())
        else:
            out.append("")
    return out


def test_vectorised_levels_equal_the_scalar_levels_on_every_pair():
    rng = random.Random(5)
    texts = _sample_dates(300, rng) + ["khoảng 2 tháng tuổi", "khoảng 1 tuổi", "2010-01-01", "2011-01-01",
                                       "01/01/2009", "sơ sinh", "khoảng 23 ngày tuổi", "ước 15 tháng tuổi",
                                       "2010-12-01", "2010-11-01", "2009-12-01", "2009-01-01"]
    vocab: Vocabulary = Vocabulary(None)
    ids = np.array([vocab.encode(parse_date(t, "2011-01-01") if t else None) for t in texts])
    columns = DateColumns()
    columns.sync(vocab.values)
    for a in set(ids.tolist()):
        for either_way in (True, False):
            vector = columns.levels(a, ids, either_way=either_way)
            scalar = [date_level(vocab.values[a], vocab.values[b], either_way) for b in ids.tolist()]
            assert vector.tolist() == scalar


def test_a_date_read_the_other_way_round_is_near_or_a_year_off():
    """An abroad record writes the month first: 04/10/1995 is 10 April, a year off a registered
    1996-04-10, and 05/01/2001 is 1 May, five days from 26 April."""
    from linkage.model.comparisons import DATE_LEVELS

    year_off = date_level(parse_date("04/10/1995"), parse_date("1996-04-10"))
    near = date_level(parse_date("05/01/2001"), parse_date("2001-04-26"))
    assert (DATE_LEVELS[year_off], DATE_LEVELS[near]) == ("year_off", "within_days")


def test_a_year_keyed_with_one_slip_beside_the_same_day_and_month_is_a_slipped_year():
    """27/08/1998 for a registered 1988-08-27 is one digit keyed wrong, 1989 for 1998 two digits
    swapped, 1994 for 2004 the decade: one slip, not another person's date. Two slips (1988 for 1999)
    and another day besides differ."""
    from linkage.model.comparisons import DATE_LEVELS

    def level(a: str, b: str) -> str:
        return DATE_LEVELS[date_level(parse_date(a), parse_date(b))]

    assert level("27/08/1998", "1988-08-27") == "year_slip"
    assert level("23/08/1989", "1998-08-23") == "year_slip"
    assert level("18/01/1994", "2004-01-18") == "year_slip"
    assert level("18/01/1991", "1993-01-18") == "year_slip"
    assert level("27/08/1989", "1988-08-27") == "year_off"
    assert level("27/08/1999", "1988-08-27") == "different"
    assert level("26/08/1998", "1988-08-27") == "different"


def test_a_date_written_at_home_is_read_day_first_only():
    """A record written at home puts the day first: its 06/01/2011 is 6 January, months from a registered
    15 May, not 1 June and a fortnight off, which would be two slips (a namesake's date came near so).
    Read exactly the other way round, it is still the swapped date."""
    from linkage.model.comparisons import DATE_LEVELS

    def level(a: str, b: str, either_way: bool) -> str:
        return DATE_LEVELS[date_level(parse_date(a), parse_date(b), either_way)]

    assert level("06/01/2011", "2011-05-15", either_way=True) == "within_month"
    assert level("06/01/2011", "2011-05-15", either_way=False) == "same_year"
    assert level("06/01/2011", "2011-06-01", either_way=False) == "swapped"


def test_a_year_or_month_written_one_year_off_is_near_not_different():
    """A year counted by the lunar calendar (a January birth falls in the previous lunar year) or from an
    age in tuổi mụ is one off: weak evidence against; two off, an adoptee's age remembered wrong, is far.
    Three off, and two full dates a year and months apart, differ."""
    from linkage.model.comparisons import DATE_LEVELS

    def level(a: str, b: str) -> str:
        return DATE_LEVELS[date_level(parse_date(a), parse_date(b))]

    assert level("1990", "1989-12-20") == level("03/1991", "1990-03-15") == "year_near"
    assert level("1990", "1988-12-20") == level("June 1981", "1983-06-25") == "year_far"
    assert level("01/01/1995", "1993-04-10") == "year_far"
    assert level("1990", "1987-12-20") == level("1990-01-05", "1989-06-20") == "different"


def test_the_first_of_january_is_a_year_not_a_day():
    """Registers and files write 01/01 where only the year is known: against another day of that year it
    was "same_year", a contradiction that kept the person from linking; it is the year alone now."""
    from linkage.model.comparisons import DATE_LEVELS

    def level(a: str, b: str) -> str:
        return DATE_LEVELS[date_level(parse_date(a), parse_date(b))]

    assert level("01/01/1990", "1990-05-03") == level("1990-05-03", "1990-01-01") == "year_only"
    assert level("01/01/1990", "1989-05-03") == "year_near"
    assert level("01/01/1990", "1990-01-01") == "exact" and level("01/01/1990", "1990-01-05") == "within_days"
    assert level("02/01/1990", "1990-05-03") == "same_year"  # any other day is a day


def test_an_estimate_agrees_with_a_date_on_the_first_where_it_meets_its_month_or_its_year():
    """A foundling is registered late on an estimate, and registers write the 1st for an unknown day, 1
    January for an unknown month: a centre's "newborn, 2-3 days old" on 19 May agrees with a registered
    1 May, and "about 15 months old" in January 2003 with 1 January 2001; any other day stays a day."""
    from linkage.model.comparisons import DATE_LEVELS

    def level(estimate: str, recorded_on: str, registered: str) -> str:
        return DATE_LEVELS[date_level(parse_date(estimate, recorded_on), parse_date(registered))]

    assert level("trẻ sơ sinh khoảng 2-3 ngày", "2018-05-19", "2018-05-01") == "within_estimate"
    assert level("ước 15 tháng tuổi", "2003-01-20", "2001-01-01") == "within_estimate"
    # (the estimate reaches back to 21 April: the age was seen up to two weeks before the 19th)
    assert level("trẻ sơ sinh khoảng 2-3 ngày", "2018-05-19", "2018-04-15") == "different"
    assert level("trẻ sơ sinh khoảng 2-3 ngày", "2018-05-19", "2018-03-01") == "different"


def test_a_birth_more_than_a_month_after_the_record_was_written_differs():
    from linkage.model.comparisons import DATE_LEVELS

    vocab: Vocabulary = Vocabulary(None)
    texts = ["", "2010", "2011-03-01", "2011-01-20", "2010-05-05"]
    ids = np.array([vocab.encode(parse_date(t) if t else None) for t in texts])
    columns = DateColumns()
    columns.sync(vocab.values)
    written = dt.date(2010, 12, 31).toordinal()
    no_date = [DATE_LEVELS[c] if c >= 0 else None for c in columns.levels(0, ids[1:], written).tolist()]
    assert no_date == [None, "different", None, None]  # born in March 2011; 20 January is within the grace
    with_date = [DATE_LEVELS[c] for c in columns.levels(int(ids[1]), ids[1:], written).tolist()]
    assert with_date == ["year_only", "different", "year_near", "year_only"]
