"""Letters an encoding lost to "?" (a spreadsheet saved as cp1252, a system that holds ASCII alone)."""

from __future__ import annotations

import pytest

from linkage.vn.lost_letters import fill_lost_letters, fill_lost_place_letters
from linkage.vn.names import parse_name
from linkage.vn.places import PlaceLevel, compare_places, resolve_place


@pytest.mark.parametrize("written,sex,meant", [
    ("Nguy?n Th? Lan", "F", "Nguyễn Thị Lan"),          # cp1252 kept none of these letters
    ("?INH V?N NAM", "M", "ĐINH VĂN NAM"),
    ("?? Ng?c Trinh", "F", "Đỗ Ngọc Trinh"),            # a word that lost every letter with a mark
    ("Hoàng Th? Thu H??ng", "F", "Hoàng Thị Thu Hương"),  # cp1252 kept à: ư and ị are the lost ones
    ("H? B? Ph?c", "M", "Hồ Bá Phúc"),                   # the first word is a surname: Hồ, not Hà
    ("Nguy?n V?n T?", "M", "Nguyễn Văn Tú"),             # the last a given name: Tú, not the surname Tạ
    ("Tr?n Th? V?n Giang", "F", "Trần Thị Vân Giang"),   # a woman's middle name Vân, not Văn
    ("Th?ch Th? Duy", "M", "Thạch Thế Duy"),             # a man's middle name is never Thị
])
def test_a_name_gets_back_the_letters_an_encoding_lost(written: str, sex: str, meant: str) -> None:
    assert fill_lost_letters(written, sex) == meant
    assert parse_name(written, sex) == parse_name(meant, sex)


@pytest.mark.parametrize("written", ["Nguyễn Thị Lan (?)", "Lan?", "Nguyen Van An"])
def test_a_question_mark_that_is_no_lost_letter_stays(written: str) -> None:
    assert fill_lost_letters(written) == written


@pytest.mark.parametrize("written,meant", [
    ("H? N?i", "Hà Nội"),
    ("Th?nh ph? H? Ch? Minh", "Thành phố Hồ Chí Minh"),   # the unit's whole name: Hồ, where a word alone
    ("?à N?ng", "Đà Nẵng"),                             # would be Hà
    ("Ph??ng 5, Qu?n 3, TP.HCM", "Phường 5, Quận 3, TP.HCM"),
])
def test_an_address_gets_back_the_letters_an_encoding_lost(written: str, meant: str) -> None:
    assert fill_lost_place_letters(written) == meant


def test_an_address_with_lost_letters_finds_its_commune() -> None:
    lost = "Xã Ph??c H?o, Huy?n Châu Thành, T?nh Trà Vinh"   # cp1252 keeps ã, â, à
    place = resolve_place(lost)
    assert place is not None and place.old_commune_code
    assert compare_places(place, resolve_place("Xã Phước Hảo, Huyện Châu Thành, Tỉnh Trà Vinh")) \
        == PlaceLevel.SAME_COMMUNE
