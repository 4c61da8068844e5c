"""Blocking keys: several independent ways for a damaged record to meet its identity.

Each family is built so that some corruption in MISSION.md §2 that breaks the others leaves it intact:

- given + birth year (±1 on the record side)         survives surname variants, order, old places
- surname group + given + current province         survives date errors and estimates
- given + mother's given                            survives date and place loss
- surname + mother's given + mother's surname       survives an adoptive or changed given name
- personal number                                    survives everything but the number itself
- every pair of name tokens (+ year)                 survives Western order, adoptive names, bad parses
- full date of birth (and its day/month swap) + surname initial   survives given-name damage

All name parts enter as their Vietnamese phonetic keys (d/gi/r, s/x, ch/tr, n/ng, c/t, i/y merged, tones
and đ folded), so diacritic loss and regional spellings never split a block. Keys are 63-bit hashes.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

from linkage.engine.features import Encoded, year_range
from linkage.vn.phonetic import phonetic_key
from linkage.vn.text import fold
from linkage.vn.variants import surname_group

_MASK = (1 << 63) - 1

FAMILIES = ("given_year", "surname_given_province", "given_mother", "surname_mother", "pid",
            "token_pair", "token_pair_year", "date_surname")


@lru_cache(maxsize=400_000)
def phon(token: str) -> str:
    return phonetic_key(fold(token)) if token else ""


@lru_cache(maxsize=100_000)
def surname_phon(surname: str) -> str:
    return phon(surname_group(surname)) if surname else ""


def _key(*parts: object) -> int:
    return hash(parts) & _MASK


def _token_keys(e: Encoded) -> list[str]:
    tokens = {phon(t) for t in e.name.tokens if t}
    tokens.discard("")
    return sorted(tokens)


def identity_keys(e: Encoded) -> set[int]:
    """The keys an identity is filed under."""
    return _keys(e, years=[e.ids["birth_year"]] if e.ids["birth_year"] else [], swapped_dates=False)


def record_keys(e: Encoded) -> set[int]:
    """The keys a record looks up: the identity's keys widened for the damage records carry."""
    return _keys(e, years=list(year_range(e.date)), swapped_dates=True)


def _keys(e: Encoded, years: list[int], swapped_dates: bool) -> set[int]:
    keys: set[int] = set()
    given = phon(e.name.given)
    surname = surname_phon(e.name.surname)
    mother_given = phon(e.mother.given) if e.mother else ""
    mother_surname = surname_phon(e.mother.surname) if e.mother else ""
    province = e.place.province_code if e.place else ""
    if given:
        keys.update(_key("gy", given, year) for year in years)
        if mother_given:
            keys.add(_key("gm", given, mother_given))
        if surname and province:
            keys.add(_key("sgp", surname, given, province))
    if surname and mother_given:
        keys.add(_key("sm", surname, mother_given, mother_surname))
    if e.pid:
        keys.add(_key("pid", e.pid))
    tokens = _token_keys(e)
    for a, b in combinations(tokens, 2):
        keys.add(_key("tp", a, b))
        keys.update(_key("tpy", a, b, year) for year in years)
    date = e.date
    if date is not None and date.precision.name == "DAY" and date.year and date.month and date.day:
        initial = surname[:1]
        keys.add(_key("ds", date.year, date.month, date.day, initial))
        if swapped_dates and date.day <= 12:
            keys.add(_key("ds", date.year, date.day, date.month, initial))
        # the surname may be the damaged or misparsed part: the record also tries every token's initial
        for token in tokens if swapped_dates else ():
            keys.add(_key("ds", date.year, date.month, date.day, token[:1]))
    return keys
