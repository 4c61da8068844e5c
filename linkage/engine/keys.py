"""Blocking keys: several independent ways for a damaged record to meet its identity.

Each family is built so that some corruption in MISSION.md §2 that breaks the others leaves it intact:

- given + birth year (±1 on the record side)         survives surname variants, order, old places
- surname group + given + current province         survives date errors and estimates
- given + mother's given                            survives date and place loss
- surname + mother's given + mother's surname       survives an adoptive or changed given name
  (identities also without the mother's surname)    and a mother named by her given name alone
  (a renamed child whose father the record does not name: each common surname with the mother)
- on the record side, every surname key also with the father's and the mother's surname
                                                     survives a name given by a centre or adoptive family
- personal number                                    survives everything but the number itself
- every pair of name tokens + year, and without it  survives Western order, adoptive names, bad parses;
                                                     without the year, a birth year misstated by more than
                                                     one (an adoption file's, a trace request's)
- full date of birth (and its day/month swap) + surname initial   survives given-name damage
- surname + day and month of birth                    survives a wrong year together with a damaged given name
- given + birth province + sex                        survives a missing date and a damaged surname
- mother's given + birth province + birth year        survives any name of the child's: adoptive, a nickname
- on the record side, the last two also with the other reading of a name (`vn.names.other_reading`)
                                                     survives a Western parse of a name written surname first,
                                                     and first names before a family field read surname first
- on the record side, the three given-name keys also with each real name an unknown token may be a
  keyboard slip of (Tie -> Tiến, Hyu -> Huy)         survives a mistyped given name
- any one name token of a record as the given name + year   survives a misparsed name
- full date of birth + province, + sex               survives an adoptive surname with a damaged given name
  (on the record side, each day a newborn's estimated age allows, + sex)   survives a foundling's record
                                                     that holds nothing else of the person
- commune of birth + birth year                      survives any name: a nickname, none at all
- province + sex + birth year, for estimated ages and abandoned children's records
                                                     survives a name given by the centre
- on the record side, every province key with each province a name since split may be (Sông Bé: Bình
  Dương, Bình Phước)                                 survives a birthplace written as the province of the day

All name parts enter as their Vietnamese phonetic keys (d/gi/r, s/x, ch/tr, n/ng, c/t, i/y merged, tones
and đ folded), so diacritic loss and regional spellings never split a block. Keys are stable 32-bit
hashes (CRC-32; see `linkage.engine.index` for why 32 bits are enough).
"""

from __future__ import annotations

import zlib
from datetime import timedelta
from functools import lru_cache
from itertools import combinations

from linkage.domain import Source
from linkage.engine.features import RENAMING_SOURCES, Encoded, year_range
from linkage.vn.frequencies import common_surnames
from linkage.vn.phonetic import phonetic_key
from linkage.vn.places import Place, current_province_of
from linkage.vn.slips import given_names_a_slip_away
from linkage.vn.text import fold
from linkage.vn.variants import surname_group, without_prefix

# the widest estimate of a birth date searched day by day: an age in days or weeks (`vn.dates` allows a
# newborn "sơ sinh" six weeks, "about 32 days old" seven), not one in months
NEWBORN_WINDOW_DAYS = 62

FAMILIES = ("given_year", "surname_given_province", "given_mother", "surname_mother", "pid",
            "token_pair", "token_pair_year", "date_surname")


@lru_cache(maxsize=400_000)
def phon(token: str) -> str:
    """A name part's phonetic key, without the women's prefix H' that records drop (H'Dung and Dung
    share one block; the prefix would also hide the onset d, which the key merges with gi and r)."""
    return phonetic_key(fold(without_prefix(token))) if token else ""


@lru_cache(maxsize=1)
def _common_surname_keys() -> tuple[str, ...]:
    """The keys of the surnames one in five hundred people or more carry (34, 96 % of people: Lâm,
    Lương, Triệu as well as Nguyễn). Record side only, for the few records that need them, and each
    key's block is one mother's children: cheap where a missed surname is a lost child."""
    return tuple(dict.fromkeys(surname_phon(name) for name, _share in common_surnames(0.002)))


@lru_cache(maxsize=100_000)
def surname_phon(surname: str) -> str:
    return phon(surname_group(surname)) if surname else ""


def _key(*parts: object) -> int:
    """A stable 32-bit hash: the same in every process and on every run (Python's hash() is salted), so
    an index snapshot stays valid and a Spark executor computes the keys the online path does. CRC-32
    spreads short distinct strings evenly over 32 bits, which is all a block key needs (a collision only
    merges two blocks), at half the cost of a cryptographic digest."""
    return zlib.crc32("\x1f".join(map(str, parts)).encode())


def _token_keys(e: Encoded) -> list[str]:
    tokens = {phon(t) for t in e.name.tokens if t}
    tokens.discard("")
    return sorted(tokens)


_SLIPS_PER_TOKEN = 8  # the commonest names a slip may have come from: "hag" lies one slip from 20


def _slip_keys(e: Encoded) -> list[str]:
    """Phonetic keys of the given names that the record's unknown tokens may be slips of."""
    found = {phon(name) for token in e.name.tokens
             for name in given_names_a_slip_away(token)[:_SLIPS_PER_TOKEN]}
    found.discard("")
    return sorted(found)


def identity_keys(e: Encoded) -> set[int]:
    """The keys an identity is filed under."""
    return _keys(e, years=[e.ids["birth_year"]] if e.ids["birth_year"] else [], swapped_dates=False)


def record_keys(e: Encoded) -> set[int]:
    """The keys a record looks up: the identity's keys widened for the damage records carry."""
    years = list(year_range(e.date))
    return _keys(e, years=years, swapped_dates=True)


def _keys(e: Encoded, years: list[int], swapped_dates: bool) -> set[int]:
    keys: set[int] = set()
    given = phon(e.name.given)
    surname = surname_phon(e.name.surname)
    mother_given = phon(e.mother.given) if e.mother else ""
    mother_surname = surname_phon(e.mother.surname) if e.mother else ""
    # a record naming a province since split ("Sông Bé", "Hà Sơn Bình") tries each province it became
    provinces = _provinces(e.place, widen=swapped_dates)
    # a record also tries its parents' surnames as the child's: a child renamed by a centre or an
    # adoptive family still carries its father's at birth, or its mother's where no father is known
    # (and a misparsed name may have lost it)
    father_surname = surname_phon(e.father.surname) if e.father and swapped_dates else ""
    mothers = mother_surname if swapped_dates else ""
    surnames = [s for s in dict.fromkeys((surname, father_surname, mothers)) if s]
    # a record that does not say the sex (an unnamed foundling's often does not) tries both
    sexes = (e.sex,) if e.sex else (("M", "F") if swapped_dates else ())
    if given:
        keys.update(_key("gy", given, year) for year in years)
        if mother_given:
            keys.add(_key("gm", given, mother_given))
        keys.update(_key("sgp", s, given, province) for s in surnames for province in provinces)
        keys.update(_key("gps", given, province, sex) for sex in sexes for province in provinces)
    if mother_given:
        keys.update(_key("sm", s, mother_given, mother_surname) for s in surnames)
        # a child known by another name (an adoptive one, a nickname) whose mother is remembered: her given
        # name, the year and the province (a few dozen mothers of one name give birth there in a year)
        keys.update(_key("mpy", mother_given, province, year) for province in provinces for year in years)
        if mother_surname and not swapped_dates:  # a record may name her "Vui", not "Trần Thị Vui"
            keys.add(_key("sm", surname, mother_given, ""))
        # a child a centre or an adoptive family renamed, its father not named: the register gave it
        # his surname, which the record cannot say, so its mother is tried beside each common surname
        if swapped_dates and not father_surname and e.source in RENAMING_SOURCES:
            keys.update(_key("sm", s, mother_given, mother_surname) for s in _common_surname_keys()
                        if s not in surnames)
    if e.pid:
        keys.add(_key("pid", e.pid))
    if swapped_dates and (e.name.order == "western" or e.other_reading) and provinces:
        # a name parsed Western may be written surname first ("Nguyên Văn Hoàng" read Hoàng), and one
        # parsed surname first may be first names before a family field ("Mai Nguyễn Cẩm"): the other
        # reading's surname and given name with the province, as the identity is filed
        other = e.name_the_other_way
        other_given, other_surname = phon(other.given), surname_phon(other.surname)
        if other_given and (other_given, other_surname) != (given, surname):
            keys.update(_key("sgp", s, other_given, province)
                        for s in dict.fromkeys((other_surname, father_surname, mothers)) if s
                        for province in provinces)
            keys.update(_key("gps", other_given, province, sex) for sex in sexes for province in provinces)
    tokens = _token_keys(e)
    if swapped_dates:  # a record tries every token as the given name: survives a misparse
        for token in tokens:
            keys.update(_key("gy", token, year) for year in years)
        # and every real given name a token that is none may be a keyboard slip of (Tie, Hyu, Phuogn)
        for slipped in _slip_keys(e):
            keys.update(_key("gy", slipped, year) for year in years)
            for province in provinces:
                keys.update(_key("gps", slipped, province, sex) for sex in sexes)
                keys.update(_key("sgp", s, slipped, province) for s in surnames)
    for a, b in combinations(tokens, 2):
        # without the year too: a child's age was often misstated in adoption papers by two years or
        # more, and a pair of rarer names ("Lầu Mí", "Mí Thề") is a small block whatever the year (a
        # common pair's block is too large to read and is skipped)
        keys.add(_key("tp", a, b))
        keys.update(_key("tpy", a, b, year) for year in years)
    # a commune holds a few thousand people: with the year, a block that needs no name
    keys.update(_key("cy", commune, year) for commune in _communes(e.place, both=swapped_dates)
                for year in years)
    date = e.date
    # an abandoned child named by the centre keeps only sex, an estimated age or a date the centre
    # settled on, and (often) the province
    estimate = (date is not None and date.precision.name == "ESTIMATE") or e.source == Source.ABANDONED_INTAKE
    if estimate or not swapped_dates:
        keys.update(_key("pys", province, sex, year)
                    for sex in sexes for year in years for province in provinces)
    if date is not None and date.precision.name == "DAY" and date.year and date.month and date.day:
        initial = surname[:1]
        keys.add(_key("ds", date.year, date.month, date.day, initial))
        # the names are replaced (adoptive surname) or damaged: the date itself, with province or sex
        orders = ((date.month, date.day), (date.day, date.month)) if swapped_dates and date.day <= 12 \
            else ((date.month, date.day),)
        for month, day in orders:
            keys.update(_key("dp", date.year, month, day, province) for province in provinces)
            keys.update(_key("dsx", date.year, month, day, sex) for sex in sexes)
        for s in surnames:  # the year slipped and the given name is damaged: surname + day and month
            keys.add(_key("smd", s, date.month, date.day))
            if swapped_dates and date.day <= 12:
                keys.add(_key("smd", s, date.day, date.month))
        if swapped_dates and date.day <= 12:
            keys.add(_key("ds", date.year, date.day, date.month, initial))
        # the surname may be the damaged or misparsed part: the record also tries every token's initial
        for token in tokens if swapped_dates else ():
            keys.add(_key("ds", date.year, date.month, date.day, token[:1]))
    elif swapped_dates and date is not None and date.precision.name == "ESTIMATE" \
            and (date.latest - date.earliest).days <= NEWBORN_WINDOW_DAYS:
        # a foundling's age in days ("4 ngày tuổi", "trẻ sơ sinh"), often its only trace of the person: the
        # births of that sex on each day it allows (a few hundred a day in ten million people)
        for day in range((date.latest - date.earliest).days + 1):
            born = date.earliest + timedelta(days=day)
            keys.update(_key("dsx", born.year, born.month, born.day, sex) for sex in sexes)
    return keys


def _provinces(place: Place | None, widen: bool) -> tuple[str, ...]:
    """The province a place is filed under; for a record (`widen`) whose place names a province since
    split, each province it may be."""
    if place is None:
        return ()
    if place.province_code:
        if widen and place.old_candidates:  # "Đắk Lắk" before 2004: today's Đắk Nông too (Lâm Đồng)
            parts = map(current_province_of, place.old_candidates)
            return tuple(dict.fromkeys([place.province_code, *parts]))
        return (place.province_code,)
    return place.candidates if widen else ()


def _communes(place: Place | None, both: bool) -> tuple[str, ...]:
    """The commune a place names: an identity's by its current code where it has one (else its code
    before 2025), a record's (`both`) by each, so that a record naming the old commune or the current
    one meets it; none where only a province is known."""
    if place is None:
        return ()
    if not both:
        return tuple(filter(None, (place.commune_code or place.old_commune_code,)))
    return tuple(code for code in dict.fromkeys((place.old_commune_code, place.commune_code)) if code)
