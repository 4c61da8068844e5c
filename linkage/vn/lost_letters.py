"""Letters an encoding lost to "?": "Nguy?n Th? Lan" is Nguyễn Thị Lan.

A spreadsheet saved as a Windows code page (cp1252, the default "CSV" of Excel in Western Europe and
the Americas) or a system that stores ASCII alone writes "?" for every letter it cannot hold: each
"?" is one lost letter, and a word keeps its others ("Tr?n" is Trần). Where the text kept other
letters with marks (à, ê, ô, ú), the lost ones are those the code page lacks (ầ, ị, ễ, ư, đ); in text
that kept none, any letter with marks.

A name's word is filled with the likeliest name syllable of its shape for its place in the name (the
surname first, the given name last) and the record's sex, by the frequency tables' shares; an address
part with the unit name that fits it whole, else word by word with the commonest unit syllable. Nguyễn,
Trần, Thị and Văn fill alone; "H?ng" (Hồng, Hằng, Hưng) takes the likeliest, which the matcher weighs
as any other given name: a wrong guess is another name, never a false agreement. A word nothing fits
stays as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import cache, lru_cache

from linkage.vn._data import read_csv
from linkage.vn.frequencies import role_tables

# a word holding a "?" between letters or after them: "Nguy?n", "Th?", "?inh" (Đinh)
_LOST = re.compile(r"[^\W\d_]*\?[\w?]*|\?[^\W\d_][\w?]*", re.UNICODE)
_PARTS = re.compile(r"([^,;|\n]+)")


def fill_lost_letters(name: str, sex: str | None = None) -> str:
    """A name with each word's "?" filled by the likeliest name syllable that fits it, where one does;
    unchanged without a "?". The first word is most often the surname, the last the given name and
    those between middle names (`_ROLE_ODDS`); `sex` ("M", "F") weighs middle and given names by it."""
    if "?" not in name:
        return name
    kept_some = not name.replace("?", "").isascii()
    words = list(re.finditer(r"[\w?]+", name))
    out, at = [], 0
    for i, word in enumerate(words):
        position = "only" if len(words) == 1 else "first" if i == 0 else "last" if i == len(words) - 1 \
            else "inner"
        filled = _filled_name_word(word.group(), kept_some, position, sex) if "?" in word.group() \
            else word.group()
        out += [name[at:word.start()], filled]
        at = word.end()
    return "".join(out) + name[at:]


# how often a word at each place in a written name is a surname, a middle name or the given name: rough
# odds, Kinh order first, then Western order (which ends with the surname) and dropped middle names
_ROLE_ODDS = {"first": {"surname": 0.85, "given": 0.1, "middle": 0.05},
              "inner": {"middle": 0.8, "given": 0.1, "surname": 0.1},
              "last": {"given": 0.85, "surname": 0.15, "middle": 0.0},
              "only": {"given": 0.7, "surname": 0.3, "middle": 0.0}}


@lru_cache(maxsize=1 << 14)
def _filled_name_word(written: str, kept_some: bool, position: str, sex: str | None) -> str:
    lowered = written.lower()
    best, best_score = None, 0.0
    for syllable, shares in _name_shares(sex).get(len(written), ()):
        score = sum(_ROLE_ODDS[position][role] * share for role, share in shares.items())
        if score > best_score and _fits(lowered, syllable, kept_some):
            best, best_score = syllable, score
    return _cased_as(best, written) if best else written


def fill_lost_place_letters(address: str) -> str:
    """An address with its "?" filled: each part between commas by the one unit name that fits it whole
    ("Th?nh ph? H? Ch? Minh", where syllable by syllable H? would be Hà), else word by word."""
    if "?" not in address:
        return address
    kept_some = not address.replace("?", "").isascii()
    return _PARTS.sub(lambda m: _filled_part(m.group(), kept_some), address)


def _filled_part(part: str, kept_some: bool) -> str:
    if "?" not in part:
        return part
    stripped = part.strip()
    whole = _filled(stripped, kept_some, "unit_names") if len(stripped) <= 40 else stripped
    if whole != stripped:
        return part.replace(stripped, whole)
    return _LOST.sub(lambda m: _filled(m.group(), kept_some, "unit_syllables"), part)


@lru_cache(maxsize=1 << 14)
def _filled(written: str, kept_some: bool, vocabulary: str) -> str:
    """`written` as the commonest entry of the vocabulary it may stand for ("unit_names" or
    "unit_syllables"); unchanged where none fits."""
    lowered = written.lower()
    for entry, _ in _VOCABULARIES[vocabulary]().get(len(written), ()):
        if _fits(lowered, entry, kept_some):
            return _cased_as(entry, written)
    return written


def _cased_as(entry: str, written: str) -> str:
    """`entry` with the capitals of `written`: a word in capitals throughout, or the letters in capitals
    where they are, and a lost letter that opens a word in capitals ("?inh" is Đinh)."""
    letters = [c for c in written if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return entry.upper()
    return "".join(e.upper() if w.isupper() or (w == "?" and (i == 0 or written[i - 1] == " ")) else e
                   for i, (e, w) in enumerate(zip(entry, written, strict=True)))


def _fits(written: str, entry: str, kept_some: bool) -> bool:
    for have, letter in zip(written, entry, strict=True):
        if have == "?":
            if letter.isascii() or (kept_some and _in_code_page(letter)):
                return False
        elif have != letter:
            return False
    return True


def _in_code_page(letter: str) -> bool:
    try:
        letter.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _by_length(counts: Counter[str]) -> dict[int, tuple[tuple[str, int], ...]]:
    by_length: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for entry, count in counts.most_common():
        by_length[len(entry)].append((entry, count))
    return {length: tuple(found) for length, found in by_length.items()}


def _lower(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


@cache
def _name_shares(sex: str | None) -> dict[int, tuple[tuple[str, dict[str, float]], ...]]:
    """Length -> (syllable, {role: its share of that role's names}), from the frequency tables; a
    syllable of a name of two (Thanh Hương) counts for both."""
    shares: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for role, table in role_tables(sex).items():
        for name, share in table.items():
            for syllable in name.split():
                shares[syllable][role] += share
    by_length: dict[int, list[tuple[str, dict[str, float]]]] = defaultdict(list)
    for syllable, roles in shares.items():
        by_length[len(syllable)].append((syllable, dict(roles)))
    return {length: tuple(found) for length, found in by_length.items()}


def _unit_rows():
    for path in ("admin/units_pre2025_63_provinces.csv", "admin/units_2026_34_provinces.csv"):
        yield from read_csv(path)


@cache
def _unit_names() -> dict[int, tuple[tuple[str, int], ...]]:
    """Every unit's name, with its level word and without, counted by the units that bear it."""
    counts: Counter[str] = Counter()
    for row in _unit_rows():
        for level in ("province", "district", "commune"):
            for column in (f"{level}_name", f"{level}_full_name"):
                if row.get(column):
                    counts[_lower(row[column])] += 1
    return _by_length(counts)


@cache
def _unit_syllables() -> dict[int, tuple[tuple[str, int], ...]]:
    counts: Counter[str] = Counter()
    for row in _unit_rows():
        for column in ("province_full_name", "district_full_name", "commune_full_name"):
            for syllable in _lower(row.get(column) or "").split():
                counts[syllable] += 1
    return _by_length(counts)


_VOCABULARIES = {"unit_names": _unit_names, "unit_syllables": _unit_syllables}

__all__ = ["fill_lost_letters", "fill_lost_place_letters"]
