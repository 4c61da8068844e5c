"""Known equivalent spellings: one name written differently, not two names that look alike.

- Regional surname forms (data/knowledge/surname_variants.csv): Huỳnh = Hoàng, Võ = Vũ.
- Tone placement (hòa/hoà): removed by `normalize`, so equal after it.
- i/y: Lý/Lí, Mỹ/Mĩ, Sỹ/Sĩ, Kỳ/Kì are one name (spelling_variants_observed.csv). The rule applies
  only when the i/y is the whole rhyme *and carries a tone mark*: toneless Vy/Vi, Thy/Thi, My/Mi,
  Ly/Li are used as distinct given names (the same file: vy 361 vs vi 464), so they are not variants.
- Compound surnames cut to their head, marked or not (Hoàng Phủ -> Hoàng, Tôn Thất -> Ton;
  data/knowledge/compound_surnames.csv).
- Central Highlands women's prefix H' written or dropped (H'Hen = Hen).
"""

from __future__ import annotations

from functools import cache, lru_cache

from linkage.vn._data import read_csv
from linkage.vn.text import fold, is_folded, normalize, strip_tone, tone_of

__all__ = ["surname_group", "are_variants", "compound_surnames", "without_prefix"]

_ONSETS_BEFORE_I = ("", "b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n", "nh", "ngh",
                    "p", "ph", "r", "s", "t", "th", "tr", "v", "x")


@cache
def _groups() -> dict[str, str]:
    return {normalize(r["variant"]): normalize(r["canonical"])
            for r in read_csv("knowledge/surname_variants.csv")}


@cache
def compound_surnames() -> dict[str, str]:
    """Compound surname ("tôn thất") -> its head syllable ("tôn")."""
    return {normalize(r["compound"]): normalize(r["head"])
            for r in read_csv("knowledge/compound_surnames.csv")}


@cache
def _folded_groups() -> dict[str, str]:
    return {fold(k): fold(v) for k, v in _groups().items()}


def surname_group(surname: str) -> str:
    """Canonical representative of a surname's regional forms (huỳnh -> hoàng); itself otherwise.

    A surname written without diacritics gets the folded canonical form (huynh -> hoang), so that
    folding the group of either spelling gives one key: blocking relies on it.
    """
    name = normalize(surname)
    found = _groups().get(name)
    if found is not None:
        return found
    if name.isascii():
        return _folded_groups().get(name, name)
    return name


def _iy_form(syllable: str) -> str | None:
    """The syllable with its whole-rhyme, toned y written as i ("lý" -> "lí"); None if not such."""
    if not tone_of(syllable):
        return None
    bare = strip_tone(syllable)
    if bare[-1:] not in ("i", "y") or bare[:-1] not in _ONSETS_BEFORE_I:
        return None
    if bare[:-1] in ("g",):  # "gi" is an onset + i; gy does not exist
        return None
    return syllable[:-1] + {"ý": "í", "ỳ": "ì", "ỷ": "ỉ", "ỹ": "ĩ", "ỵ": "ị"}.get(syllable[-1], syllable[-1])


def without_prefix(syllable: str) -> str:
    """The name without the Central Highlands women's prefix glued to it (H'Mai -> Mai), which records
    write or drop."""
    return syllable[2:] if syllable.startswith("h'") and len(syllable) > 2 else syllable


@lru_cache(maxsize=1 << 16)
def _syllables_equivalent(a: str, b: str) -> bool:
    if a == b:
        return True
    groups = _groups()
    if groups.get(a, a) == groups.get(b, b):
        return True
    if a.isascii() or b.isascii():  # a folded record: its regional form can only be matched folded
        folded = _folded_groups()
        fa, fb = fold(a), fold(b)
        if fa != fb and folded.get(fa, fa) == folded.get(fb, fb):
            return True
    ia, ib = _iy_form(a), _iy_form(b)
    if ia is not None and ia == ib:
        return True
    # H'Lê written Lê, or Le abroad (prefix and marks dropped together)
    pa, pb = without_prefix(a), without_prefix(b)
    return (pa, pb) != (a, b) and (pa == pb or ((a.isascii() or b.isascii()) and fold(pa) == fold(pb)))


def _cut_to_head(compound: str, other: str) -> bool:
    """`other` is the compound surname cut to its head, with its marks or without (Tôn Thất: Tôn, Ton)."""
    head = compound_surnames().get(compound)
    return head is not None and (other == head or (is_folded(other) and other == fold(head)))


@lru_cache(maxsize=1 << 16)
def are_variants(a: str, b: str) -> bool:
    """True when a and b are known spellings of one name (see the module docstring)."""
    na, nb = normalize(a), normalize(b)
    if na == nb:
        return bool(na)
    if _cut_to_head(na, nb) or _cut_to_head(nb, na):
        return True
    sa, sb = na.split(), nb.split()
    if len(sa) != len(sb):
        return False
    return all(_syllables_equivalent(x, y) for x, y in zip(sa, sb, strict=True))
