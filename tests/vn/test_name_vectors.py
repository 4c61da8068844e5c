"""The table of name pairs that must meet and must not (name_vectors.csv, with a reason per row).

"meet":  for a name part, compare_part gives a level better than DIFFERENT; for a full name,
         compare_names gives given < DIFFERENT and neither surname nor middle DIFFERENT (MISSING is
         allowed: a dropped middle name or surname is not a disagreement).
"not":   the given names (or the part) compare no stronger than `strongest_allowed` — JW_LOW for
         different names; FOLDED or PHONETIC only for pairs that differ in nothing but what the folded
         or phonetic form must merge (Lan/Lân, Vy/Vi) — and are never EXACT and never VARIANT.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from linkage.vn.compare import NameLevel, compare_names, compare_part
from linkage.vn.names import parse_name
from linkage.vn.variants import are_variants

VECTORS = Path(__file__).with_name("name_vectors.csv")


def _rows() -> list[dict[str, str]]:
    with VECTORS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = _rows()


def test_table_has_enough_cases() -> None:
    meets = [r for r in ROWS if r["expect"] == "meet"]
    nots = [r for r in ROWS if r["expect"] == "not"]
    strict_nots = [r for r in nots if r["strongest_allowed"] == "JW_LOW"]
    assert len(meets) >= 300
    assert len(nots) >= 100
    assert len(strict_nots) >= 100
    assert all(r["reason"] for r in ROWS)


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r["expect"] == "meet"], ids=lambda r: f"{r['part']}:{r['a']}~{r['b']}"
)
def test_pairs_that_must_meet(row: dict[str, str]) -> None:
    a, b = row["a"], row["b"]
    if row["part"] == "name":
        result = compare_names(parse_name(a), parse_name(b))
        assert result.given < NameLevel.DIFFERENT, (row["reason"], result)
        assert result.surname != NameLevel.DIFFERENT, (row["reason"], result)
        assert result.middle != NameLevel.DIFFERENT, (row["reason"], result)
    else:
        assert compare_part(a, b) < NameLevel.DIFFERENT, row["reason"]


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r["expect"] == "not"], ids=lambda r: f"{r['part']}:{r['a']}!{r['b']}"
)
def test_pairs_that_must_not_meet(row: dict[str, str]) -> None:
    a, b = row["a"], row["b"]
    strongest = NameLevel[row["strongest_allowed"]]
    if row["part"] == "name":
        level = compare_names(parse_name(a), parse_name(b)).given
        given_a, given_b = parse_name(a).given, parse_name(b).given
    else:
        level = compare_part(a, b)
        given_a, given_b = a, b
    assert level >= strongest, (row["reason"], level)
    assert level not in (NameLevel.EXACT, NameLevel.VARIANT)
    assert not are_variants(given_a, given_b)
