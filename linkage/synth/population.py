"""A synthetic population register: families, siblings, twins, parents' names and personal numbers.

Sampling is vectorised with numpy (families, dates, provinces, Kinh names); only minority names, twins'
names and the final string assembly run per row, so a million identities take well under a minute.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import numpy as np

from linkage.domain import PersonRecord, Sex, Source
from linkage.synth.names import (
    KINH,
    MINORITY_SHARE,
    Name,
    TwinNamer,
    minority_name,
    region_of,
    render,
    sample_givens,
    sample_middles,
    sample_surnames,
)
from linkage.synth.places import place_at_birth
from linkage.synth.reference import Reference, load_reference

TODAY = dt.date(2026, 6, 30)          # fixed, so output never depends on the clock
TWIN_BIRTH_RATE = 0.008               # share of births that are twin births (~1.6 % of children)
FAMILY_SIZES = np.array([1, 2, 3, 4, 5, 6])
FAMILY_SIZE_PROBS = np.array([0.30, 0.38, 0.19, 0.08, 0.03, 0.02])
MOTHERS_SURNAME_RATE = 0.03           # children given their mother's surname
SHARED_MIDDLE_RATE = 0.6              # siblings of one sex sharing the family's middle name


@dataclass
class Population:
    """Column arrays, one row per identity (index i). `twin` is the row of the twin, or -1."""

    identity_id: list[str]
    surname: np.ndarray
    middle: np.ndarray
    given: np.ndarray
    style: np.ndarray
    full_name: list[str]
    male: np.ndarray
    birth: np.ndarray                  # datetime64[D]
    commune: np.ndarray                # index into Reference.communes
    birth_place: list[str]
    mother: list[Name]
    father: list[Name]
    pid: list[str]
    family: np.ndarray
    twin: np.ndarray

    def __len__(self) -> int:
        return len(self.identity_id)

    def name(self, i: int) -> Name:
        return Name(self.surname[i], self.middle[i], self.given[i], self.style[i])

    def birth_date(self, i: int) -> dt.date:
        return self.birth[i].astype(object)

    def record(self, i: int) -> PersonRecord:
        return PersonRecord(
            source=Source.POPULATION.value, record_id=self.identity_id[i], full_name=self.full_name[i],
            sex=Sex.MALE if self.male[i] else Sex.FEMALE, birth_date=str(self.birth[i]),
            birth_place=self.birth_place[i], mother_name=self.mother[i].full, father_name=self.father[i].full,
            pid=self.pid[i],
        )

    def records(self) -> list[PersonRecord]:
        return [self.record(i) for i in range(len(self))]

    def csv_rows(self):
        """Rows in `PersonRecord` field order, without building dataclasses (fast path for CSV)."""
        births = np.datetime_as_string(self.birth, unit="D")
        for i in range(len(self)):
            yield (Source.POPULATION.value, self.identity_id[i], self.full_name[i],
                   "M" if self.male[i] else "F", births[i], self.birth_place[i], self.mother[i].full,
                   self.father[i].full, self.pid[i], "")


def _first_child_ages(rng: np.random.Generator, size: int) -> np.ndarray:
    """Age in days of a family's first child: flat to 45 years, thinning to nothing at 88."""
    ages = np.arange(0, 89)
    weights = np.where(ages <= 45, 1.0, np.clip(1.0 - (ages - 45) / 45, 0.03, 1.0))
    years = rng.choice(ages, size=size, p=weights / weights.sum())
    return years * 365 + rng.integers(0, 365, size)


def _dates(days_before_today: np.ndarray) -> np.ndarray:
    return np.datetime64(TODAY, "D") - days_before_today.astype("timedelta64[D]")


def _years(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[Y]").astype(int) + 1970


def pid_numbers(rng: np.random.Generator, province_codes: np.ndarray, male: np.ndarray,
                year: np.ndarray) -> list[str]:
    """12-digit personal numbers: province (3) + sex/century (1) + year (2) + random (6), all unique."""
    century_sex = np.where(year >= 2000, 2, 0) + np.where(male, 0, 1)
    prefix = province_codes.astype(np.int64) * 1000 + century_sex * 100 + year % 100
    serial = rng.integers(0, 1_000_000, len(prefix))
    numbers = prefix * 1_000_000 + serial
    while True:
        _, first = np.unique(numbers, return_index=True)
        duplicate = np.ones(len(numbers), dtype=bool)
        duplicate[first] = False
        if not duplicate.any():
            break
        numbers[duplicate] = prefix[duplicate] * 1_000_000 + rng.integers(0, 1_000_000, int(duplicate.sum()))
    return [f"{x:012d}" for x in numbers.tolist()]


def _family_layout(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(family of each child, birth order in the family, is-second-twin), exactly n children."""
    sizes = rng.choice(FAMILY_SIZES, size=n // 2 + 16, p=FAMILY_SIZE_PROBS)
    family = np.repeat(np.arange(len(sizes)), sizes)
    twin_birth = rng.random(len(family)) < TWIN_BIRTH_RATE
    copies = 1 + twin_birth
    family = np.repeat(family, copies)
    second_twin = np.zeros(len(family), dtype=bool)
    second_twin[np.cumsum(copies)[twin_birth] - 1] = True
    family, second_twin = family[:n], second_twin[:n]
    starts = np.r_[0, np.flatnonzero(np.diff(family)) + 1]
    order = np.arange(len(family)) - np.repeat(starts, np.diff(np.r_[starts, len(family)]))
    return family, order, second_twin


def _distinct_sibling_names(ref: Reference, seed: int, family: np.ndarray, surname: np.ndarray,
                            middle: np.ndarray, given: np.ndarray, male: np.ndarray, year: np.ndarray,
                            style: np.ndarray, second_twin: np.ndarray, clan: dict[int, str]) -> None:
    """Give a child whose given name repeats an elder sibling's another one (in place).

    Vietnamese parents do not give two of their children the same given name proper (the last syllable,
    the tên a child is called by at home: Bảo Vân and Hồng Vân would both be Vân), let alone the same
    full name; drawing siblings' given names independently from the cohort's distribution did so for
    about 1 % of sibling pairs, and for 0.28 % with the whole name (512 pairs among 200,000 people). The
    redraw uses its own random stream, so every other draw of the population stays as it was. A second
    twin is named apart from the co-twin already (`TwinNamer`); should it repeat an elder sibling's
    name, the elder keeps it and the twin is named again as a twin.
    """
    rng = np.random.default_rng([seed, 2])
    rnd = random.Random(seed * 104729 + 2)
    namer = TwinNamer(ref)
    seen: set[tuple[int, str]] = set()
    for i in range(len(family)):
        for _ in range(50):
            if (int(family[i]), call_name(given[i])) not in seen and \
                    not (middle[i] and middle[i].split()[-1] == given[i]):
                break
            if second_twin[i]:
                given[i] = namer.given_for_twin(given[i - 1], bool(male[i]), rnd)
            elif style[i] != KINH:
                given[i] = minority_name(style[i], bool(male[i]), rnd, family=clan[int(family[i])]).given
            else:
                again, mid = sample_givens(ref, rng, male[i:i + 1], year[i:i + 1], middle[i:i + 1])
                given[i], middle[i] = again[0], mid[0]
        seen.add((int(family[i]), call_name(given[i])))


def call_name(given: str) -> str:
    """The given name proper a child is called by: the last syllable of the given name (Vân of Bảo Vân)."""
    return given.split()[-1] if given else ""


def generate_population(n: int, seed: int, ref: Reference | None = None) -> Population:
    """`n` identities, reproducible from `seed` (same seed, same population, byte for byte)."""
    ref = ref or load_reference()
    rng = np.random.default_rng(seed)
    rnd = random.Random(seed)
    family, order, second_twin = _family_layout(rng, n)
    n_fam = int(family.max()) + 1 if n else 0

    # --- family level -------------------------------------------------------------------------
    prov_idx = rng.choice(len(ref.province_codes), size=n_fam, p=ref.province_probs)
    codes = np.asarray(ref.province_codes)[prov_idx]
    region = np.array([region_of(c) for c in ref.province_codes])[prov_idx]
    home = np.array([ref.communes_by_province[c][rng.integers(len(ref.communes_by_province[c]))]
                     for c in codes.tolist()], dtype=np.int64)
    style = np.full(n_fam, KINH, dtype=object)
    u = rng.random(n_fam)
    for code, (minority, share) in MINORITY_SHARE.items():
        style[(codes == code) & (u < share)] = minority
    first_age = _first_child_ages(rng, n_fam)
    father_age = first_age + ((22 + rng.gamma(4.0, 2.0, n_fam)) * 365).astype(int)
    mother_age = first_age + ((19 + rng.gamma(3.0, 2.0, n_fam)) * 365).astype(int)
    father_year, mother_year = _years(_dates(father_age)), _years(_dates(mother_age))
    f_sur, m_sur = sample_surnames(ref, rng, region), sample_surnames(ref, rng, region)
    ones, zeros = np.ones(n_fam, bool), np.zeros(n_fam, bool)
    f_given, f_mid = sample_givens(ref, rng, ones, father_year, sample_middles(ref, rng, ones, father_year))
    m_given, m_mid = sample_givens(ref, rng, zeros, mother_year, sample_middles(ref, rng, zeros, mother_year))
    first_year = _years(_dates(first_age))
    fam_mid_boy = sample_middles(ref, rng, ones, first_year)
    fam_mid_girl = sample_middles(ref, rng, zeros, first_year)

    # --- child level --------------------------------------------------------------------------
    gaps = np.where(second_twin, 0, ((1.2 + rng.gamma(2.0, 1.1, n)) * 365).astype(int))
    gaps[order == 0] = 0
    cumulative = np.cumsum(gaps)
    offset = cumulative - cumulative[np.searchsorted(family, np.arange(n_fam))][family]
    age_days = first_age[family] - offset
    overflow = np.zeros(n_fam, dtype=np.int64)
    np.maximum.at(overflow, family, -age_days)   # children "born after today": move the family back
    overflow = np.where(overflow > 0, overflow + rng.integers(0, 200, n_fam), 0)
    age_days = age_days + overflow[family]
    birth = _dates(age_days)
    year = _years(birth)
    male = rng.random(n) < 0.512
    same_sex = rng.random(n) < 0.65
    prev = np.flatnonzero(second_twin) - 1
    male[second_twin] = np.where(same_sex[second_twin], male[prev], ~male[prev])

    kinh = style[family] == KINH
    surname = np.where((rng.random(n) < MOTHERS_SURNAME_RATE) & kinh, m_sur[family], f_sur[family])
    own_mid = sample_middles(ref, rng, male, year)
    shared = rng.random(n) < SHARED_MIDDLE_RATE
    middle = np.where(shared, np.where(male, fam_mid_boy[family], fam_mid_girl[family]), own_mid)
    given, middle = sample_givens(ref, rng, male, year, middle)
    repeated = np.array([bool(m) and m.split()[-1] == g for m, g in zip(middle, given, strict=True)])
    if repeated.any():  # "Nguyễn Minh Minh": draw the given name again once
        again, _ = sample_givens(ref, rng, male[repeated], year[repeated], middle[repeated])
        given[repeated] = again
    commune = np.where(rng.random(n) < 0.85, home[family], -1)
    for i in np.flatnonzero(commune < 0).tolist():
        pool = ref.communes_by_province[codes[family[i]]]
        commune[i] = pool[rnd.randrange(len(pool))]
    style_child = style[family].copy()

    # twins: same date and commune as the elder twin, same middle name, a related given name
    namer = TwinNamer(ref)
    for j in np.flatnonzero(second_twin).tolist():
        commune[j], middle[j], surname[j] = commune[j - 1], middle[j - 1], surname[j - 1]
        given[j] = namer.given_for_twin(given[j - 1], bool(male[j]), rnd)

    # ethnic-minority families: clan name shared by the father and the children
    fathers = [Name(f_sur[f], f_mid[f], f_given[f]) for f in range(n_fam)]
    mothers = [Name(m_sur[f], m_mid[f], m_given[f]) for f in range(n_fam)]
    clan: dict[int, str] = {}
    for f in np.flatnonzero(style != KINH).tolist():
        fathers[f] = minority_name(style[f], True, rnd)
        mothers[f] = minority_name(style[f], False, rnd)
        clan[f] = fathers[f].surname
    for i in np.flatnonzero(~kinh).tolist():
        nm = minority_name(style_child[i], bool(male[i]), rnd, family=clan[int(family[i])])
        surname[i], middle[i], given[i] = nm.surname, nm.middle, nm.given

    _distinct_sibling_names(ref, seed, family, surname, middle, given, male, year, style_child,
                            second_twin, clan)

    # --- shuffle, ids, numbers, text ----------------------------------------------------------
    perm = rng.permutation(n)
    inverse = np.empty(n, dtype=np.int64)
    inverse[perm] = np.arange(n)
    twin = np.full(n, -1, dtype=np.int64)
    second = np.flatnonzero(second_twin)
    twin[second], twin[second - 1] = second - 1, second
    twin = np.where(twin[perm] >= 0, inverse[np.maximum(twin[perm], 0)], -1)
    surname, middle, given, style_child = surname[perm], middle[perm], given[perm], style_child[perm]
    male, birth, commune, fam = male[perm], birth[perm], commune[perm], family[perm]
    year = year[perm]
    width = max(7, len(str(n)))
    ids = [f"P{i:0{width}d}" for i in range(1, n + 1)]
    pcode = np.array([int(ref.communes[c].province_code) for c in commune.tolist()], dtype=np.int64)
    pids = pid_numbers(rng, pcode, male, year)
    births = birth.astype(object).tolist()
    place = [place_at_birth(ref, c, b) for c, b in zip(commune.tolist(), births, strict=True)]
    full = [render(s, m, g, st) for s, m, g, st in zip(surname, middle, given, style_child, strict=True)]
    return Population(
        identity_id=ids, surname=surname, middle=middle, given=given, style=style_child, full_name=full,
        male=male, birth=birth, commune=commune, birth_place=place,
        mother=[mothers[f] for f in fam.tolist()], father=[fathers[f] for f in fam.tolist()], pid=pids,
        family=fam, twin=twin,
    )
