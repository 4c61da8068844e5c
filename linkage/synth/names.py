"""Sampling names: Kinh names in bulk (numpy), ethnic-minority names, and names for twins.

A name is kept as parts (surname, middle, given) plus a `style` that says how the parts are written,
because the corruptions (Western order, dropped middle name) work on parts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from linkage.synth.reference import REFERENCE_SURNAME_SHARES, Reference, Weighted
from linkage.synth.script import fold

KINH = "kinh"
EDE = "ede"        # Ê Đê: "Y Moan Êban", "H'Hen Niê" (prefix, given, family name last)
JARAI = "jarai"    # Jarai: "Ksor Pếch", "Siu H'Nhung" (family name first)
KHMER = "khmer"    # Khmer of the Mekong: "Thạch Sa Rây", "Danh Thị Sóc Kha"
HMONG = "hmong"    # Hmong: "Giàng A Páo", "Thào Thị Mỷ"

# Region of each pre-2025 province code: 0 north, 1 centre (incl. Central Highlands), 2 south.
def region_of(code: str) -> int:
    number = int(code)
    return 0 if number <= 37 else 1 if number <= 68 else 2


# Share of "Huỳnh" within Hoàng/Huỳnh and of "Võ" within Vũ/Võ, by region.
HUYNH_SHARE = (0.04, 0.45, 0.78)
VO_SHARE = (0.07, 0.72, 0.82)

# Minority families: share of families of a province that write names in that style.
MINORITY_SHARE: dict[str, tuple[str, float]] = {
    "66": (EDE, 0.25), "67": (EDE, 0.2), "64": (JARAI, 0.3), "62": (JARAI, 0.35), "68": (JARAI, 0.08),
    "94": (KHMER, 0.3), "84": (KHMER, 0.3), "91": (KHMER, 0.12), "95": (KHMER, 0.08), "89": (KHMER, 0.04),
    "96": (KHMER, 0.02), "02": (HMONG, 0.32), "10": (HMONG, 0.22), "11": (HMONG, 0.35),
    "12": (HMONG, 0.22), "14": (HMONG, 0.15), "15": (HMONG, 0.1),
}

_EDE_FAMILIES = ("Niê", "Êban", "Mlô", "Byă", "Ayŭn", "Adrơng", "Hwing", "Hđơk", "Êñuôl", "Kbuôr",
                 "Buôn Yă", "Knul", "Niê Kdăm", "Ktla")
_EDE_GIVEN_M = ("Moan", "Blăk", "Khăm", "Bhiêm", "Ngơn", "Juin", "Rô", "Dơk", "Krin", "Yơn", "Bhiăn",
                "Hrin", "Sanh", "Thông", "Kuăn", "Djao", "Mlơi", "Siêng")
_EDE_GIVEN_F = ("Hen", "Nga", "Lan", "Thu", "Mai", "Juin", "Ben", "Hương", "Bhiăn", "Yơn", "Duôn",
                "Dung", "Ni", "Liên", "Nhi", "Zuê", "Ang", "Drah")
_JARAI_FAMILIES = ("Ksor", "Siu", "Rơ Châm", "Rơ Mah", "Kpă", "Nay", "Rơ Lan", "Puih", "Rah Lan", "Rcom")
_JARAI_GIVEN_M = ("Pếch", "Blơi", "Hyoăn", "Thuận", "Phun", "Đinh", "Yuih", "Krang", "Hiăm", "Kla",
                  "Djơi", "Brơm", "Thương", "Nhơn", "Tú")
_JARAI_GIVEN_F = ("Nhung", "Bơ", "Hlinh", "Plơi", "Nhi", "Ngăn", "Lê", "Yam", "Blin", "Mai", "Hyưi",
                  "Phai", "Thoan")
_KHMER_FAMILIES = Weighted.of({"Thạch": 30, "Sơn": 20, "Danh": 18, "Kim": 10, "Lâm": 6, "Châu": 5,
                               "Lý": 4, "Trần": 3, "Huỳnh": 2, "Mai": 2})
_KHMER_GIVEN_M = ("Sa Rây", "Sóc Kha", "Chanh Đa", "Bô Pha", "Rết", "Sóc", "Tha", "Sà Rát", "Mông",
                  "Kha Ra", "Sô Khom", "Thươl", "Pol", "Sa Vươn", "Rum", "Sóc Phol", "Út", "Kol")
_KHMER_GIVEN_F = ("Ra Ny", "Pha Ly", "Sô Phi", "Sa Ra", "Chăn Thu", "Sà Pha", "Thi Da", "Sóc Khum",
                  "Sa Phia", "Ni", "Mây", "Sa Mây", "Chanh Thi", "Đa Ry", "Kim Hương")
_HMONG_FAMILIES = Weighted.of({"Giàng": 22, "Thào": 18, "Vàng": 16, "Sùng": 12, "Lầu": 8, "Lý": 8,
                               "Mùa": 6, "Hạng": 5, "Vừ": 3, "Cứ": 2})
_HMONG_GIVEN_M = ("Páo", "Sử", "Pó", "Dơ", "Chứ", "Sình", "Chông", "Tráng", "Dế", "Lử", "Của", "Pháy",
                  "Chu", "Nủ", "Sính", "Mua", "Giống", "Chính")
_HMONG_GIVEN_F = ("Mỷ", "Sua", "Dua", "Chà", "Mang", "Dính", "Dợ", "Pàng", "Say", "Chi", "Mai", "Sinh",
                  "Cở", "Xí", "Lan", "Pà")

# Traditional twin pairs (either may be a boy or a girl; Long/Phụng is a boy and a girl).
TWIN_PAIRS = (("Long", "Phụng"), ("Kim", "Ngân"), ("Phúc", "Lộc"), ("An", "Khang"), ("Trúc", "Mai"),
              ("Nhật", "Nguyệt"), ("Sơn", "Hà"), ("Minh", "Mẫn"), ("Thiện", "Mỹ"), ("Bảo", "Ngọc"),
              ("Song", "Hỷ"), ("Đức", "Tài"), ("Hoàng", "Huy"), ("Thiên", "Ân"))


@dataclass(frozen=True, slots=True)
class Name:
    surname: str
    middle: str
    given: str
    style: str = KINH

    @property
    def full(self) -> str:
        return render(self.surname, self.middle, self.given, self.style)


def render(surname: str, middle: str, given: str, style: str) -> str:
    if style == EDE:
        return f"{middle}{given} {surname}"
    if style == JARAI:
        return f"{surname} {middle}{given}"
    return " ".join(part for part in (surname, middle, given) if part)


def _p_van(year: np.ndarray) -> np.ndarray:
    return np.clip(0.65 - (year - 1970) * (0.53 / 45), 0.12, 0.65)


def _p_thi(year: np.ndarray) -> np.ndarray:
    return np.clip(0.9 - (year - 1975) * (0.6 / 40), 0.3, 0.9)


def _p_compound(year: np.ndarray) -> np.ndarray:
    return np.clip((year - 1985) * (0.2 / 30), 0.0, 0.2)


def _take(values: tuple[str, ...], idx: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=object)[idx]


def sample_surnames(ref: Reference, rng: np.random.Generator, region: np.ndarray) -> np.ndarray:
    """Surnames by the reference shares, the tail from observed counts, Hoàng/Huỳnh Vũ/Võ by region."""
    head = dict(REFERENCE_SURNAME_SHARES)
    tail_share = max(100.0 - sum(head.values()), 1.0)
    values = list(head) + list(ref.surnames_tail.values)
    head_probs = np.array(list(head.values())) / 100.0
    probs = np.concatenate([head_probs, ref.surnames_tail.probs * tail_share / 100])
    out = np.asarray(values, dtype=object)[rng.choice(len(values), size=len(region), p=probs / probs.sum())]
    u = rng.random(len(region))
    hh = out == "Hoàng|Huỳnh"
    out[hh] = np.where(u[hh] < np.take(HUYNH_SHARE, region[hh]), "Huỳnh", "Hoàng")
    vv = out == "Vũ|Võ"
    out[vv] = np.where(u[vv] < np.take(VO_SHARE, region[vv]), "Võ", "Vũ")
    return out


def sample_middles(ref: Reference, rng: np.random.Generator, male: np.ndarray,
                   year: np.ndarray) -> np.ndarray:
    """Middle names by sex and birth cohort: Thị and Văn common in older cohorts, rarer later."""
    n = len(male)
    out = np.empty(n, dtype=object)
    u = rng.random(n)
    groups = (
        (male & (u < _p_van(year)), ref.middle_male_van),
        (male & (u >= _p_van(year)), ref.middle_male_other),
        (~male & (u < _p_thi(year)), ref.middle_female_thi),
        (~male & (u >= _p_thi(year)), ref.middle_female_other),
    )
    for mask, table in groups:
        out[mask] = _take(table.values, table.sample(rng, int(mask.sum())))
    out[rng.random(n) < 0.03] = ""  # some people have no middle name at all
    return out


def sample_givens(ref: Reference, rng: np.random.Generator, male: np.ndarray, year: np.ndarray,
                  middle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Given names by sex; from the 1990s on, some two-syllable given names ("Minh Anh")."""
    n = len(male)
    given = np.empty(n, dtype=object)
    given[male] = _take(ref.given_male.values, ref.given_male.sample(rng, int(male.sum())))
    given[~male] = _take(ref.given_female.values, ref.given_female.sample(rng, int((~male).sum())))
    compound = rng.random(n) < _p_compound(year)
    for mask, pool in ((compound & male, ref.compound_male), (compound & ~male, ref.compound_female)):
        given[mask] = _take(pool, rng.integers(0, len(pool), int(mask.sum())))
    middle = middle.copy()
    # keep four-syllable names at most: surname + one middle + a compound given name
    middle[compound] = [m.split()[0] if m else m for m in middle[compound]]
    return given, middle


def minority_name(style: str, male: bool, rnd: random.Random, family: str | None = None) -> Name:
    """One ethnic-minority name; `family` keeps a family's clan name across parents and children."""
    if style == EDE:
        surname = family or rnd.choice(_EDE_FAMILIES)
        return Name(surname, "Y " if male else "H'", rnd.choice(_EDE_GIVEN_M if male else _EDE_GIVEN_F), EDE)
    if style == JARAI:
        surname = family or rnd.choice(_JARAI_FAMILIES)
        prefix = "" if male else ("H'" if rnd.random() < 0.6 else "")
        return Name(surname, prefix, rnd.choice(_JARAI_GIVEN_M if male else _JARAI_GIVEN_F), JARAI)
    if style == KHMER:
        surname = family or _KHMER_FAMILIES.values[_pick(_KHMER_FAMILIES, rnd)]
        middle = "" if male else ("Thị" if rnd.random() < 0.5 else "")
        return Name(surname, middle, rnd.choice(_KHMER_GIVEN_M if male else _KHMER_GIVEN_F), KHMER)
    surname = family or _HMONG_FAMILIES.values[_pick(_HMONG_FAMILIES, rnd)]
    if male:
        middle = "A" if rnd.random() < 0.6 else ("Seo" if rnd.random() < 0.3 else "")
    else:
        middle = "Thị" if rnd.random() < 0.6 else ("Seo" if rnd.random() < 0.2 else "")
    return Name(surname, middle, rnd.choice(_HMONG_GIVEN_M if male else _HMONG_GIVEN_F), HMONG)


def _pick(table: Weighted, rnd: random.Random) -> int:
    return rnd.choices(range(len(table.values)), cum_weights=_cumulative(table))[0]


_CUMULATIVE: dict[int, list[float]] = {}


def _cumulative(table: Weighted) -> list[float]:
    """Cumulative weights, cached: `random.choices` is O(n) per call without them."""
    key = id(table)
    if key not in _CUMULATIVE:
        _CUMULATIVE[key] = np.cumsum(table.probs).tolist()
    return _CUMULATIVE[key]


class TwinNamer:
    """Names a twin after their sibling, the way Vietnamese parents often do."""

    def __init__(self, ref: Reference):
        self._by_fold: dict[tuple[bool, str], list[str]] = {}
        self._pools = {True: ref.given_male, False: ref.given_female}
        for male, table in self._pools.items():
            for value in table.values:
                self._by_fold.setdefault((male, fold(value).lower()), []).append(value)
        self._pairs = {a: b for a, b in TWIN_PAIRS} | {b: a for a, b in TWIN_PAIRS}

    def given_for_twin(self, given: str, male: bool, rnd: random.Random) -> str:
        """A different given name, often close: Lan/Lân, Minh Anh/Minh Châu, Long/Phụng."""
        roll = rnd.random()
        if roll < 0.2 and given in self._pairs:
            return self._pairs[given]
        if roll < 0.4:
            near = [v for v in self._by_fold.get((male, fold(given).lower()), []) if v != given]
            if near:
                return rnd.choice(near)
        if roll < 0.65 and " " in given:
            head = given.split()[0]
            return f"{head} {self._random(male, rnd, avoid=given.split()[-1])}"
        if roll < 0.8:
            initial = fold(given)[:1]
            for _ in range(20):
                other = self._random(male, rnd, avoid=given)
                if fold(other)[:1] == initial:
                    return other
        return self._random(male, rnd, avoid=given)

    def _random(self, male: bool, rnd: random.Random, avoid: str) -> str:
        table = self._pools[male]
        while True:
            value = table.values[_pick(table, rnd)]
            if value != avoid:
                return value
