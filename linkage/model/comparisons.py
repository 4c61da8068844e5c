"""The comparisons the engine makes, their level labels in order, and starting m/u guesses for EM.

Level order matters: the scorer emits level codes as indices into these tuples (best agreement first),
and the name/date/place levels follow the IntEnums of `linkage.vn` one for one (their MISSING member
becomes the null level, which adds no weight).
"""

from __future__ import annotations

from linkage.model.spec import Comparison, Level, Model, Thresholds

# Names: the levels of `linkage.vn.compare.NameLevel`, plus "marks_differ": FOLDED agreement where the
# record *was* written with diacritics, so the marks genuinely differ (twins Mai / Mãi, Trang / Trăng),
# which is evidence against, unlike a record whose diacritics were stripped.
NAME_LEVELS = ("exact", "folded", "variant", "phonetic", "slip", "marks_differ", "jw_high", "jw_low",
               "different")
# Dates: the levels of `linkage.vn.dates.compare_dates`, with its SAME_MONTH / SAME_YEAR split by whether
# the two dates *could* be the same day (one side imprecise: "2012" vs 2012-03-09) or contradict each
# other (two full dates a few months apart): the first is no evidence against, the second is.
# "year_near": a year or a month and year written one year off the other date, which Vietnamese records
# do when the year is counted by the lunar calendar (a January birth falls in the previous lunar year) or
# from an age in "tuổi mụ" (counted from one at birth): weak evidence against, not a contradiction.
# "year_far": the same, two years off: an adoptee's age remembered a year or two wrong, or a year the
# file's writer counted from an age; weaker than year_near, and commoner by chance.
# "year_slip": the same day and month in a year keyed with one slip more than a year away (1998 for 1988,
# 1989 for 1998, 1994 for 2004): rarer than a year off, and commoner by chance.
DATE_LEVELS = ("exact", "swapped", "within_days", "within_month", "year_off", "year_slip", "month_only",
               "year_only", "within_estimate", "same_year", "year_near", "year_far", "different")
PLACE_LEVELS = ("same_commune", "same", "in_area", "same_now", "other_commune", "outside_area", "same_region",
                "different")
PARENT_LEVELS = ("exact", "given_only", "given_agrees", "similar", "different")

# Starting m/u per level. With MAP-EM the m values also act as a prior worth PSEUDO_MATCHES matches
# (linkage.engine.training), so they are set from what the corruptions of MISSION.md §2 make likely;
# the u values are replaced by random-pair estimates at training.
_NAME_START = ((0.78, 0.010), (0.08, 0.002), (0.04, 0.002), (0.03, 0.005), (0.01, 0.0005), (0.01, 0.002),
               (0.025, 0.02), (0.015, 0.06), (0.02, 0.897))
_DATE_START = ((0.75, 0.0003), (0.04, 0.0001), (0.04, 0.002), (0.03, 0.003), (0.02, 0.0005), (0.005, 0.001),
               (0.03, 0.001), (0.04, 0.005), (0.03, 0.05), (0.005, 0.05), (0.005, 0.02), (0.003, 0.02),
               (0.01, 0.8481))
# (in_area, outside_area: a record naming only a part of the country, a few in a hundred, whose candidate
# lies in it or not)
_PLACE_START = ((0.45, 0.001), (0.35, 0.03), (0.02, 0.007), (0.08, 0.02), (0.04, 0.02), (0.002, 0.013),
                (0.04, 0.15), (0.038, 0.76))
_PARENT_START = ((0.81, 0.005), (0.04, 0.002), (0.06, 0.02), (0.04, 0.05), (0.05, 0.923))

FIELDS = (
    "surname", "middle", "given", "name_order", "sex", "birth_date", "birth_place",
    "mother_name", "father_name", "pid",
)


def _levels(labels: tuple[str, ...], start: tuple[tuple[float, float], ...]) -> tuple[Level, ...]:
    return tuple(Level(label, m, u) for label, (m, u) in zip(labels, start, strict=True))


def default_comparisons() -> tuple[Comparison, ...]:
    name = _levels(NAME_LEVELS, _NAME_START)
    return (
        Comparison("surname", name, tf="surname", tf_levels=("exact", "folded"),
                   description="family name, regional variants (Huỳnh/Hoàng) as one group"),
        Comparison("middle", name, tf="middle", tf_levels=("exact", "folded"),
                   description="middle syllables joined (Thị, Văn, Ngọc Anh)"),
        Comparison("given", name, tf="given", tf_levels=("exact", "folded"),
                   description="the given name proper: the last syllable of the Vietnamese given name"),
        Comparison("name_order", _levels(("same", "swapped"), ((0.9, 0.97), (0.1, 0.03))),
                   description="whether the best alignment of the names needed another order"),
        Comparison("sex", _levels(("agree", "disagree"), ((0.98, 0.5), (0.02, 0.5)))),
        Comparison("birth_date", _levels(DATE_LEVELS, _DATE_START),
                   description="with precision: day, month, year or an estimated age"),
        Comparison("birth_place", _levels(PLACE_LEVELS, _PLACE_START),
                   description="commune, then province before and after the 2025 merger"),
        Comparison("mother_name", _levels(PARENT_LEVELS, _PARENT_START), tf="mother", tf_levels=("exact",),
                   tf_cap=2.0, description="surname and given name; a rare one agreeing weighs more"),
        Comparison("father_name", _levels(PARENT_LEVELS, _PARENT_START), tf="father", tf_levels=("exact",),
                   tf_cap=2.0, description="surname and given name; a rare one agreeing weighs more"),
        Comparison("pid", _levels(("agree", "disagree"), ((0.95, 1e-5), (0.05, 0.99999))),
                   description="the 12-digit personal identification number"),
    )


# Records written abroad (adoption files, adoptees' trace requests) mostly carry names without marks, and
# a name folded is shared by more namesakes than the model's independent fields allow for: their links
# need more certainty (on the synthetic benchmarks, 0.999 kept as many false links as 0.995 did before
# agreements without marks were weighed against their own kind, and linked more true matches).
_ABROAD_LINK = 0.999


def untrained_model() -> Model:
    """The structure with starting guesses: what EM starts from."""
    return Model(comparisons=default_comparisons(), prior=0.7,
                 thresholds={"*": Thresholds(link=0.995, review=0.5),
                             "adoption_file": Thresholds(link=_ABROAD_LINK, review=0.5),
                             "trace_request": Thresholds(link=_ABROAD_LINK, review=0.5)})
