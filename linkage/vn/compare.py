"""Comparison levels for names: how strongly two spellings say "the same name".

Levels, strongest first (each is tried in turn; the first that holds is the answer):
  EXACT     equal after `normalize` (tones kept; tone placement and case do not count)
  FOLDED    equal without marks (Lan/Lân, Nguyễn/Nguyen): weaker, folding merges real names
  VARIANT   known equivalent spellings (`variants.are_variants`: Huỳnh/Hoàng, Lý/Lí, H'Hen/Hen), and
            two marked spellings that differ only by hỏi against ngã (Ngả/Ngã): most of the south
            and centre pronounce the two tones alike, so writing one for the other is a spelling
            slip, not another name (checked before FOLDED, which would call it a real difference)
  PHONETIC  same Vietnamese phonetic key and compatible tones (hỏi = ngã; folded side unchecked)
  SLIP      one keyboard slip (a letter dropped, doubled, swapped or mistyped) between a name and a word
            that is part of no name (Gka for Gia, Ngjyen for Nguyễn): nobody bears the word, so it is
            the name miswritten, where JW_HIGH may be another name
  JW_HIGH   Jaro-Winkler on the folded forms >= 0.94 and both at least 5 letters (typing errors)
  JW_LOW    Jaro-Winkler on the folded forms >= 0.88
  DIFFERENT otherwise;  MISSING when either side is empty
Short syllables are not allowed JW_HIGH because one letter changes a short name into another
(Hoa/Hoan score 0.94). The weights of every level are learned by the engine; these only order them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

import jellyfish

from linkage.vn.names import MIDDLE_MARKERS, ParsedName
from linkage.vn.phonetic import phonetic_key, tone_class
from linkage.vn.slips import is_no_name, is_typing_slip
from linkage.vn.text import fold, is_folded, normalize, strip_tone, tone_of
from linkage.vn.variants import are_variants

__all__ = ["NameLevel", "compare_part", "NameComparison", "compare_names", "JW_HIGH_MIN", "JW_LOW_MIN",
           "is_typing_slip"]

JW_HIGH_MIN = 0.94
JW_LOW_MIN = 0.88
JW_HIGH_MIN_LENGTH = 5


class NameLevel(IntEnum):
    EXACT = 0
    FOLDED = 1
    VARIANT = 2
    PHONETIC = 3
    SLIP = 4
    JW_HIGH = 5
    JW_LOW = 6
    DIFFERENT = 7
    MISSING = 8


def _same_sound(a: str, b: str, fa: str, fb: str) -> bool:
    if is_folded(a) or is_folded(b):  # a folded side cannot tell đ from d: compare folded keys
        return phonetic_key(fa) == phonetic_key(fb)
    return phonetic_key(a) == phonetic_key(b) and tone_class(a) == tone_class(b)


def _hoi_nga_slip(a: str, b: str) -> bool:
    """Both marked, the same letters and vowel marks, and tones equal once hỏi and ngã are merged."""
    if is_folded(a) or is_folded(b):
        return False
    sa, sb = a.split(), b.split()
    return (len(sa) == len(sb) and all(strip_tone(x) == strip_tone(y) for x, y in zip(sa, sb, strict=True))
            and tone_class(a) == tone_class(b))


@lru_cache(maxsize=1 << 18)
def _compare_normalized(a: str, b: str) -> NameLevel:
    if not a or not b:
        return NameLevel.MISSING
    if a == b:
        return NameLevel.EXACT
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return NameLevel.VARIANT if _hoi_nga_slip(a, b) else NameLevel.FOLDED
    if are_variants(a, b):
        return NameLevel.VARIANT
    if _same_sound(a, b, fa, fb):
        return NameLevel.PHONETIC
    if (is_no_name(a) or is_no_name(b)) and is_typing_slip(a, b) and (is_folded(a) or is_folded(b)
                                                                       or tone_of(a) == tone_of(b)):
        # a slip to no name at all ("Gka" for Gia, "Udc" for Đức); a slip keeps the tone (Qyền is no
        # slip of Quyên, but her twin Quyền's)
        return NameLevel.SLIP
    jw = jellyfish.jaro_winkler_similarity(fa, fb)
    if jw >= JW_HIGH_MIN and min(len(fa), len(fb)) >= JW_HIGH_MIN_LENGTH:
        return NameLevel.JW_HIGH
    if jw >= JW_LOW_MIN:
        return NameLevel.JW_LOW
    return NameLevel.DIFFERENT


def compare_part(a: str, b: str) -> NameLevel:
    """Level for one name part (surname, middle or given); "" on either side -> MISSING."""
    na, nb = normalize(a), normalize(b)
    if na > nb:  # symmetric, so one cache entry per pair
        na, nb = nb, na
    return _compare_normalized(na, nb)


def _compare_middle(a: tuple[str, ...], b: tuple[str, ...]) -> NameLevel:
    """Middle names: whole strings first; then ignoring Thị/Văn, which records often drop or add."""
    if not a or not b:
        return NameLevel.MISSING
    level = compare_part(" ".join(a), " ".join(b))
    if level <= NameLevel.VARIANT:
        return level
    core_a = [m for m in a if m not in MIDDLE_MARKERS]
    core_b = [m for m in b if m not in MIDDLE_MARKERS]
    if core_a and core_b and (core_a != list(a) or core_b != list(b)):
        level = min(level, max(NameLevel.VARIANT, compare_part(" ".join(core_a), " ".join(core_b))))
    return level


@dataclass(frozen=True, slots=True)
class NameComparison:
    surname: NameLevel
    middle: NameLevel
    given: NameLevel
    swapped: bool  # best alignment needed a different order (western, surname last...)


# How much each level costs when choosing an alignment; MISSING sits between the fuzzy levels so
# that an alignment which matches parts beats one that leaves them out, but not one that conflicts.
_COST = {NameLevel.EXACT: 0, NameLevel.FOLDED: 1, NameLevel.VARIANT: 1, NameLevel.PHONETIC: 3,
         NameLevel.SLIP: 3, NameLevel.JW_HIGH: 4, NameLevel.JW_LOW: 5, NameLevel.DIFFERENT: 9,
         NameLevel.MISSING: 4}

_View = tuple[str, tuple[str, ...], str]


def _views(name: ParsedName) -> list[_View]:
    """The parse itself first, then the other plausible readings of the same tokens."""
    own: _View = (name.surname, name.middle, name.given)
    views = [own]
    core = [s for s in ((name.surname.split() if name.surname else []) + list(name.middle)
                        + ([name.given] if name.given else []))]
    if name.order == "minority" or len(core) < 2:
        return views
    candidates = [
        (core[0], tuple(core[1:-1]), core[-1]),  # Vietnamese order
        (core[-1], tuple(core[1:-1]), core[0]),  # Western, given first (Lan Thi Nguyen)
        (core[-1], tuple(core[:-2]), core[-2]),  # Western, given names kept in order (Thi Lan Nguyen)
        (core[0], tuple(core[2:]), core[1]),  # surname first, given names reversed (Nguyen Lan Thi)
    ]
    if not name.surname and len(core) >= 2:
        candidates.append(("", tuple(core[:-1]), core[-1]))
    for view in candidates:
        if view[2] in MIDDLE_MARKERS:  # Thị/Văn are never a given name
            continue
        if view not in views:
            views.append(view)
    return views


def _score(levels: tuple[NameLevel, NameLevel, NameLevel], swapped: bool) -> tuple[int, int, int]:
    surname, middle, given = levels
    total = 2 * _COST[given] + 2 * _COST[surname] + _COST[middle] + (1 if swapped else 0)
    return (total, int(swapped), int(given))


@lru_cache(maxsize=1 << 16)
def compare_names(a: ParsedName, b: ParsedName) -> NameComparison:
    """Best alignment of the parts of two parsed names across the plausible orders.

    Each side's other readings are tried against the other side's own parse (never two re-readings
    at once, which would let unrelated parts meet); a re-reading costs a little, so on a tie the
    parses win.
    """
    own_a: _View = (a.surname, a.middle, a.given)
    own_b: _View = (b.surname, b.middle, b.given)
    pairs = [(own_a, own_b)] + [(own_a, vb) for vb in _views(b)[1:]] + [(va, own_b) for va in _views(a)[1:]]
    best: tuple[tuple[int, int, int], tuple[NameLevel, NameLevel, NameLevel], bool] | None = None
    for i, (va, vb) in enumerate(pairs):
        levels = (compare_part(va[0], vb[0]), _compare_middle(va[1], vb[1]), compare_part(va[2], vb[2]))
        score = _score(levels, i != 0)
        if best is None or score < best[0]:
            best = (score, levels, i != 0)
    assert best is not None
    surname, middle, given = best[1]
    return NameComparison(surname, middle, given, best[2])
