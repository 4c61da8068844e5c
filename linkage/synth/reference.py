"""Reference tables the generator samples from, read straight from `linkage/vn/data/`.

The generator deliberately does not import `linkage.vn`: the benchmark must not share code (or bugs)
with the matcher it measures. The raw files carry quirks (Ð U+00D0 written for Đ, "composite"
Unicode), so every string is normalised to NFC and Ð is repaired on load.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "vn" / "data"

# Published population shares (SOURCES.md) of the commonest surnames, in percent. Hoàng/Huỳnh and
# Vũ/Võ are one share each, split by region in `population.py`.
REFERENCE_SURNAME_SHARES: dict[str, float] = {
    "Nguyễn": 38.4, "Trần": 12.1, "Lê": 9.5, "Phạm": 7.0, "Hoàng|Huỳnh": 5.1, "Phan": 4.5,
    "Vũ|Võ": 3.9, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1.0, "Lý": 0.5,
}

# Approximate 2019-census populations (millions, rounded) of the 63 pre-2025 provinces by code, used
# only as sampling weights so that Hà Nội and TP Hồ Chí Minh dominate as they do in real registers.
PROVINCE_POPULATION_M: dict[str, float] = {
    "01": 8.05, "02": 0.85, "04": 0.53, "06": 0.31, "08": 0.78, "10": 0.73, "11": 0.60, "12": 0.46,
    "14": 1.25, "15": 0.82, "17": 0.85, "19": 1.29, "20": 0.78, "22": 1.32, "24": 1.80, "25": 1.46,
    "26": 1.15, "27": 1.37, "30": 1.89, "31": 2.03, "33": 1.25, "34": 1.86, "35": 0.85, "36": 1.78,
    "37": 0.98, "38": 3.64, "40": 3.33, "42": 1.29, "44": 0.90, "45": 0.63, "46": 1.13, "48": 1.13,
    "49": 1.50, "51": 1.23, "52": 1.49, "54": 0.87, "56": 1.23, "58": 0.59, "60": 1.23, "62": 0.54,
    "64": 1.51, "66": 1.87, "67": 0.62, "68": 1.30, "70": 0.99, "72": 1.17, "74": 2.43, "75": 3.10,
    "77": 1.15, "79": 9.00, "80": 1.69, "82": 1.76, "83": 1.29, "84": 1.01, "86": 1.02, "87": 1.60,
    "89": 1.91, "91": 1.72, "92": 1.24, "93": 0.73, "94": 1.20, "95": 0.91, "96": 1.19,
}


def clean(text: str) -> str:
    """NFC, with the Icelandic eth the raw lists use for Đ repaired."""
    return unicodedata.normalize("NFC", text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")).strip()


def _rows(relative: str) -> list[dict[str, str]]:
    with (DATA_DIR / relative).open(encoding="utf-8", newline="") as handle:
        return [{k: clean(v or "") for k, v in row.items()} for row in csv.DictReader(handle)]


_VIETNAMESE_LETTERS = set("abcdeghiklmnopqrstuvxy")


def _is_name(text: str) -> bool:
    """Vietnamese syllables only: drops list noise such as "Gur K" or foreign spellings."""
    import unicodedata as ud

    folded = "".join(c for c in ud.normalize("NFD", text.lower().replace("đ", "d")) if not ud.combining(c))
    return bool(text) and all(len(part) >= 2 and set(part) <= _VIETNAMESE_LETTERS for part in folded.split())


@dataclass(frozen=True)
class Weighted:
    """Values with sampling probabilities (summing to 1)."""

    values: tuple[str, ...]
    probs: np.ndarray

    @classmethod
    def of(cls, counts: dict[str, float], power: float = 1.0) -> Weighted:
        values = tuple(counts)
        weights = np.array([counts[v] for v in values], dtype=float) ** power
        return cls(values, weights / weights.sum())

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Indices into `values`."""
        return rng.choice(len(self.values), size=size, p=self.probs)


@dataclass(frozen=True)
class Commune:
    province_code: str
    province_full: str
    province_en: str
    district_code: str
    district_full: str
    commune_code: str
    commune_full: str


@dataclass(frozen=True)
class NewUnit:
    """A commune as written after 1 July 2025 (34 provinces, no districts)."""

    province_full: str
    province_en: str
    commune_full: str


@dataclass(frozen=True)
class Reference:
    surnames_tail: Weighted                 # surnames outside the reference head, by observed counts
    given_male: Weighted
    given_female: Weighted
    compound_male: tuple[str, ...]
    compound_female: tuple[str, ...]
    middle_male_van: Weighted               # segments starting with Văn
    middle_male_other: Weighted
    middle_female_thi: Weighted             # segments starting with Thị
    middle_female_other: Weighted
    communes: tuple[Commune, ...]
    communes_by_province: dict[str, np.ndarray]
    province_codes: tuple[str, ...]
    province_probs: np.ndarray
    new_units_2025: dict[str, NewUnit]      # old commune code -> unit after 1 July 2025
    new_units_2026: dict[str, NewUnit]      # old commune code -> unit in the 2026 spelling
    new_province_by_old: dict[str, str]     # old province code -> new province (for unmapped communes)


def _middle_tables(rows: list[dict[str, str]], column: str, lead: str) -> tuple[Weighted, Weighted]:
    with_lead: dict[str, float] = {}
    without: dict[str, float] = {}
    for row in rows:
        seg, count = row["middle_name_segment"], float(row[column] or 0)
        if count < 2 or not _is_name(seg) or len(seg.split()) > 2:
            continue
        (with_lead if seg.split()[0] == lead else without)[seg] = count
    return Weighted.of(with_lead), Weighted.of(without)


def _new_units() -> tuple[dict[str, NewUnit], dict[str, NewUnit]]:
    units25 = {r["commune_code"]: r for r in _rows("admin/units_2025_34_provinces.csv")}
    units26 = {r["commune_code"]: r for r in _rows("admin/units_2026_34_provinces.csv")}
    out25: dict[str, NewUnit] = {}
    out26: dict[str, NewUnit] = {}
    for row in _rows("admin/commune_merges_2025.csv"):
        old, new = row["old_commune_code"], row["new_commune_code"]
        if old in out25 or new not in units25:
            continue  # a split commune: keep the first new commune it went to
        u25 = units25[new]
        out25[old] = NewUnit(u25["province_full_name"], u25["province_name_en"], u25["commune_full_name"])
        u26 = units26.get(new, u25)
        out26[old] = NewUnit(u26["province_full_name"], u26["province_name_en"], u26["commune_full_name"])
    return out25, out26


@cache
def load_reference() -> Reference:
    """Parse every table once per process (about a second)."""
    surname_rows = _rows("names/surname_counts.csv")
    head = {s for key in REFERENCE_SURNAME_SHARES for s in key.split("|")}
    tail = {
        r["surname"]: float(r["count_list_a"] or 0) + float(r["count_list_b"] or 0)
        for r in surname_rows
        if r["surname"] not in head and _is_name(r["surname"]) and int(r["count_list_b"] or 0) >= 3
    }

    given_rows = _rows("names/given_name_counts_by_sex.csv")
    # list b holds distinct full names, which flattens the head of the given-name distribution; a
    # power a little above 1 restores the "many people called Lan / Hùng" heaviness of a register.
    given_male = Weighted.of({r["given_name"]: float(r["male_count"]) for r in given_rows
                              if _is_name(r["given_name"]) and float(r["male_count"]) >= 2}, power=1.15)
    given_female = Weighted.of({r["given_name"]: float(r["female_count"]) for r in given_rows
                                if _is_name(r["given_name"]) and float(r["female_count"]) >= 2}, power=1.15)

    def compounds(path: str) -> tuple[str, ...]:
        text = (DATA_DIR / path).read_text(encoding="utf-8")
        names = (clean(line) for line in text.splitlines())
        return tuple(sorted({n for n in names if _is_name(n) and len(n.split()) == 2}))

    middle_rows = _rows("names/middle_name_counts_by_sex.csv")
    van, male_other = _middle_tables(middle_rows, "male_count", "Văn")
    thi, female_other = _middle_tables(middle_rows, "female_count", "Thị")

    communes = tuple(
        Commune(r["province_code"], r["province_full_name"], r["province_name_en"], r["district_code"],
                r["district_full_name"], r["commune_code"], r["commune_full_name"])
        for r in _rows("admin/units_pre2025_63_provinces.csv")
    )
    by_province: dict[str, list[int]] = {}
    for i, c in enumerate(communes):
        by_province.setdefault(c.province_code, []).append(i)
    codes = tuple(sorted(by_province))
    weights = np.array([PROVINCE_POPULATION_M[c] for c in codes])
    new25, new26 = _new_units()
    return Reference(
        surnames_tail=Weighted.of(tail),
        given_male=given_male,
        given_female=given_female,
        compound_male=compounds("names/given_names_male.txt"),
        compound_female=compounds("names/given_names_female.txt"),
        middle_male_van=van,
        middle_male_other=male_other,
        middle_female_thi=thi,
        middle_female_other=female_other,
        communes=communes,
        communes_by_province={k: np.array(v) for k, v in by_province.items()},
        province_codes=codes,
        province_probs=weights / weights.sum(),
        new_units_2025=new25,
        new_units_2026=new26,
        new_province_by_old={r["old_province_code"]: r["new_province_name"]
                             for r in _rows("admin/province_merges_2025.csv")},
    )
