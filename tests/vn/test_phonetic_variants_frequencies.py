"""Phonetic key, variants and frequency tables."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from linkage.vn.compare import NameLevel, compare_part
from linkage.vn.frequencies import (
    FLOOR,
    carried_without_marks,
    given_frequency,
    middle_frequency,
    surname_frequency,
)
from linkage.vn.phonetic import phonetic_key
from linkage.vn.text import fold
from linkage.vn.variants import are_variants, surname_group


@pytest.mark.parametrize(
    "a,b",
    [
        ("dũng", "giũng"),
        ("dũng", "rũng"),
        ("vũng", "dũng"),
        ("sơn", "xơn"),
        ("trinh", "chinh"),
        ("lan", "lang"),
        ("minh", "min"),
        ("phúc", "phút"),
        ("bích", "bít"),
        ("lý", "lí"),
        ("yến", "iến"),
        ("diệu", "giệu"),
        ("nguyễn", "nguyen"),
        ("kiên", "ciên"),
        ("nghĩa", "ngĩa"),
        ("lê", "nê"),
        ("linh", "ninh"),
        ("nam", "lam"),
    ],
)
def test_sound_mergers_share_a_key(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


@pytest.mark.parametrize(
    "a,b",
    [
        ("lan", "nam"),
        ("đào", "dao"),
        ("hoa", "hoan"),
        ("minh", "mạnh"),
        ("thu", "tu"),
        ("an", "am"),
    ],
)
def test_different_sounds_keep_different_keys(a: str, b: str) -> None:
    assert phonetic_key(a) != phonetic_key(b)


def test_phonetic_key_of_several_syllables() -> None:
    assert phonetic_key("Trần Văn Sơn") == phonetic_key("chần dăn xơn")


@pytest.mark.parametrize(
    "a,b,same",
    [
        ("Huỳnh", "Hoàng", True),
        ("võ", "Vũ", True),
        ("huynh", "Hoàng", True),
        ("Lý", "Lí", True),
        ("Mỹ", "Mĩ", True),
        ("Sỹ", "sĩ", True),
        ("Kỳ", "Kì", True),
        ("hòa", "hoà", True),
        ("Hoàng Phủ", "Hoàng", True),
        ("Tôn Thất", "Ton", True),  # cut to its head and written without marks
        ("Tôn Thất", "Tan", False),
        ("H'Hen", "Hen", True),
        ("Vy", "Vi", False),
        ("Thy", "Thi", False),
        ("Lan", "Lân", False),
        ("Nguyễn", "Trần", False),
        ("Hoàng", "Hoàn", False),
        ("Vũ", "Vương", False),
        ("", "", False),
    ],
)
def test_are_variants(a: str, b: str, same: bool) -> None:
    assert are_variants(a, b) is same
    assert are_variants(b, a) is same


def test_surname_group() -> None:
    assert surname_group("Huỳnh") == "hoàng" and surname_group("Võ") == "vũ"
    assert surname_group("Nguyễn") == "nguyễn"


def test_surname_group_groups_folded_surnames() -> None:
    """A record without diacritics must land in the same group as the marked spelling (once folded)."""
    assert surname_group("huynh") == "hoang" and surname_group("Vo") == "vu"
    assert fold(surname_group("Huynh")) == fold(surname_group("Huỳnh")) == fold(surname_group("Hoàng"))
    assert surname_group("nguyen") == "nguyen"


def test_surname_shares_use_the_reference_figures() -> None:
    assert surname_frequency("Nguyễn") == pytest.approx(0.384)
    assert surname_frequency("Trần") == pytest.approx(0.121)
    assert surname_frequency("Hoàng") + surname_frequency("Huỳnh") == pytest.approx(0.051)
    assert surname_frequency("Vũ") + surname_frequency("Võ") == pytest.approx(0.039)
    assert surname_frequency("Lý") == pytest.approx(0.005)
    # the rest are scaled below the commonest and above the floor
    assert FLOOR < surname_frequency("Thạch") < surname_frequency("Lý") * 2
    assert surname_frequency("Zzyzx") == FLOOR
    # folded lookups sum every toned name that folds to the key
    assert surname_frequency("nguyen") >= surname_frequency("Nguyễn")


def test_given_and_middle_frequencies_by_sex() -> None:
    assert given_frequency("Trang", "F") > 10 * given_frequency("Trang", "M")
    assert given_frequency("Huy", "M") > 10 * given_frequency("Huy", "F")
    assert middle_frequency("Thị", "F") > 0.1
    assert middle_frequency("Thị", "M") == FLOOR
    assert middle_frequency("Văn") > middle_frequency("Ngọc") > middle_frequency("Thị Ngọc Hồng")
    assert 0 < given_frequency("Qwerty") == FLOOR
    assert given_frequency("tuan") > given_frequency("Tuấn")  # folded: Tuấn + Tuân + ...


def _observed_pairs() -> list[dict[str, str]]:
    path = resources.files("linkage.vn").joinpath("data", "names", "spelling_variants_observed.csv")
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def _expected_level(row: dict[str, str]) -> NameLevel:
    phenomenon = row["phenomenon"]
    if phenomenon.startswith("tone"):
        return NameLevel.EXACT  # tone placement (and the misplaced mark after qu) vanish in normalize
    if phenomenon.startswith("regional"):
        return NameLevel.VARIANT
    if phenomenon.startswith("i/y"):
        toned = row["variant_a"] not in ("vy", "ly", "my", "thy")
        return NameLevel.VARIANT if toned else NameLevel.PHONETIC
    return NameLevel.PHONETIC  # sound mergers


@pytest.mark.parametrize("row", _observed_pairs(), ids=lambda r: f"{r['variant_a']}/{r['variant_b']}")
def test_every_observed_spelling_pair_gets_its_level(row: dict[str, str]) -> None:
    assert compare_part(row["variant_a"], row["variant_b"]) == _expected_level(row), row["phenomenon"]


@pytest.mark.parametrize("slip,name", [("Dinnh", "Dinh"), ("Chuyeen", "Chuyên"), ("Thannh", "Thành")])
def test_a_doubled_letter_is_a_slip_the_key_ignores(slip: str, name: str) -> None:
    assert phonetic_key(slip.lower()) == phonetic_key(name.lower())


@pytest.mark.parametrize("name,role,carried", [
    ("lan", "given", True), ("minh", "given", True), ("mai", "surname", True),  # names as written
    ("tam", "given", True),  # 2 % of Tam, Tâm, Tám: twins named Tam and Tâm stay told apart
    ("duc", "given", False), ("tran", "surname", False), ("thi", "middle", False),  # marks lost
    ("emily", "given", True),  # no table holds it: nothing to say
])
def test_a_name_written_without_marks_is_carried_so_or_has_lost_them(name: str, role: str,
                                                                     carried: bool) -> None:
    assert carried_without_marks(name, role) is carried


@pytest.mark.parametrize("english,vietnamese", [("Zung", "Dung"), ("Dzung", "Dũng"), ("Zang", "Giang")])
def test_an_english_spelling_of_the_z_sound_is_d(english: str, vietnamese: str) -> None:
    """Southern papers and the diaspora write the /z/ of d and gi as z or dz: Zung is Dung."""
    assert phonetic_key(english) == phonetic_key(vietnamese)
