"""Words typed in Telex with the input method off, read with their marks; keyboard slips left alone."""

import pytest

from linkage.vn.names import parse_name
from linkage.vn.text import repair


@pytest.mark.parametrize("typed,meant", [
    ("Nguyeenx Thij Lan", "Nguyễn Thị Lan"),          # a doubled vowel and a tone key: Thij beside it
    ("LAM HOANG DUWOWNG", "LAM HOANG DƯƠNG"),
    ("LÂM HOÀNG DUWOWNG", "LÂM HOÀNG DƯƠNG"),          # one word of a name typed with marks
    ("Hoangf Vawn Tuaans", "Hoàng Văn Tuấn"),
    ("Tran Van Ddatj", "Tran Van Đạt"),
    ("Dang Thi Thanh Thawms", "Dang Thi Thanh Thắm"),  # aw closed by a consonant and a tone key
    ("Nguyen Van Thawngs", "Nguyen Van Thắng"), ("Le Thi Howpj", "Le Thi Hợp"),
])
def test_a_name_typed_in_telex_is_read_with_its_marks(typed: str, meant: str) -> None:
    assert repair(typed) == meant


@pytest.mark.parametrize("text", [
    "Phaan Mai Ngan", "Caoo Thi Lan",      # a doubled letter alone is a slip (Phan, Cao)
    "Anj Thi Ai NGUYEN", "Thij Lan",       # so is j beside h, without a word only Telex writes
    "Y Bhiem Hwing",                       # an Ê Đê name with a w
    "Thoi Son Ward, Tinh Bien Town", "Hoangf Dawn Law",  # English words hold ow and aw
    "Dawn Pham", "Thomas Nguyen", "Max Tran", "Peter Le",  # Western first names
    "Lawns Pham", "Owns Tran", "Hawks Le",  # English words: aw and ow before n, or before no Vietnamese final
])
def test_slips_and_other_names_are_left_as_written(text: str) -> None:
    assert repair(text) == text


def test_a_telex_name_parses_as_the_name_it_types() -> None:
    name = parse_name("Nguyeenx Thij Hoaf")
    assert (name.surname, name.middle, name.given) == ("nguyễn", ("thị",), "hòa")
