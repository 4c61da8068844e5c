"""parse_name on the orders records use, and compare_names' alignment."""

from __future__ import annotations

import pytest

from linkage.vn.compare import NameLevel, compare_names, compare_part
from linkage.vn.names import (
    first_name_sex,
    names_an_adoptive_parent,
    other_reading,
    parent_named_instead,
    parse_name,
    the_parent_of,
    without_parent_title,
)
from linkage.vn.text import fold


@pytest.mark.parametrize(
    "raw,surname,middle,given,other,order",
    [
        ("Nguyễn Thị Lan", "nguyễn", ("thị",), "lan", (), "vietnamese"),
        ("NGUYEN Thi Lan", "nguyen", ("thi",), "lan", (), "vietnamese"),
        ("Lan Thi Nguyen", "nguyen", ("thi",), "lan", (), "western"),
        ("Thi Lan NGUYEN", "nguyen", ("thi",), "lan", (), "western"),
        ("Lan Thi NGUYEN", "nguyen", ("thi",), "lan", (), "western"),
        ("Nguyen, Thi Lan", "nguyen", ("thi",), "lan", (), "vietnamese"),
        ("Lan Nguyen", "nguyen", (), "lan", (), "western"),
        ("Nguyễn Lan", "nguyễn", (), "lan", (), "vietnamese"),
        ("Emily Lan Nguyen", "nguyen", (), "lan", ("emily",), "western"),
        ("Emily Nguyen Thi Lan", "nguyen", ("thi",), "lan", ("emily",), "vietnamese"),
        ("Emily Lan Smith", "", (), "lan", ("emily", "smith"), "unknown"),
        # an adoptive surname with particles (Van Dijk, von Allmen), unless the name needs the particle
        ("Claire Quynh Van Dijk", "", (), "quynh", ("claire", "van", "dijk"), "unknown"),
        ("Thomas Minh von Allmen", "", (), "minh", ("thomas", "von", "allmen"), "unknown"),
        ("Emily Van Jensen", "", (), "van", ("emily", "jensen"), "unknown"),
        ("Tuan Anh Tran", "tran", ("tuan",), "anh", (), "western"),
        # forenames that open with Thị stand in Vietnamese order: the given name is the last of them
        ("Thi Ngoc Khanh Nguyen", "nguyen", ("thi", "ngoc"), "khanh", (), "western"),
        # a name in quotes is another name, as one in brackets; so is one after "dit" (called)
        ("Nguyễn Văn An \"Tí\"", "nguyễn", ("văn",), "an", ("tí",), "vietnamese"),
        ("Nguyễn Văn “Tí” An", "nguyễn", ("văn",), "an", ("tí",), "vietnamese"),
        ("NGUYEN Van An, dit Ti", "nguyen", ("van",), "an", ("ti",), "vietnamese"),
        # a married adoptee's birth surname alone after née: her first names stand before the married one
        ("Lan Martin née Nguyen", "nguyen", (), "lan", ("martin",), "western"),
        # the words for a child a centre writes before the name it gave are no part of the name
        ("Bé gái Nguyễn Thị Lan", "nguyễn", ("thị",), "lan", (), "vietnamese"),
        ("Trẻ sơ sinh Trần Văn An", "trần", ("văn",), "an", (), "vietnamese"),
        ("Em bé Lê Hùng", "lê", (), "hùng", (), "vietnamese"),
        ("Bé gái Mai", "", (), "mai", ("bé", "gái"), "unknown"),
        ("Baby girl Nguyen", "nguyen", (), "", ("baby", "girl"), "western"),
        ("Thị Lan Bích Lê", "lê", ("thị", "lan"), "bích", (), "western"),
        ("Emily Thi Lan Anh Nguyen", "nguyen", ("thi", "lan"), "anh", ("emily",), "western"),
        # four names after Thị ending in a surname keep it last (Lữ Thị Cẩm My), not a lost surname
        ("Emily Thi Cam My Lu", "lu", ("thi", "cam"), "my", ("emily",), "western"),
    ("Van Thi Nguyen", "nguyen", ("thi",), "van", (), "western"),
    ("Thi Van NGUYEN", "nguyen", ("thi",), "van", (), "western"),
    ("Nguyen Thi Van", "nguyen", ("thi",), "van", (), "vietnamese"),
        ("Tôn Thất Minh Hoàng", "tôn thất", ("minh",), "hoàng", (), "vietnamese"),
        # a compound surname without its marks, and in Western order; unmarked, "Nguyen Phuc" may be a
        # Nguyễn whose middle name is Phúc (a common one), so it stays one surname and a middle name
        ("Ton That Minh Hoang", "ton that", ("minh",), "hoang", (), "vietnamese"),
        ("Minh Hoang TON THAT", "ton that", ("minh",), "hoang", (), "western"),
        ("Lan Ton Nu", "ton nu", (), "lan", (), "western"),
        ("Nguyen Phuc Bao", "nguyen", ("phuc",), "bao", (), "vietnamese"),
        # "Last, First Middle" whose first name is Thi (two markers cannot both be middle names), and a
        # Khmer clan name before the comma
        ("VU, Thi Thi Cam", "vu", ("thi", "cam"), "thi", (), "vietnamese"),
        ("DANH, Ra Thi Sa", "danh", ("thi", "sa"), "ra", (), "vietnamese"),
        # a name a system ran together, each word opened by a capital
        ("NguyễnThịLanAnh", "nguyễn", ("thị", "lan"), "anh", (), "vietnamese"),
        ("NguyenVanBinh", "nguyen", ("van",), "binh", (), "vietnamese"),
        # or in one case: the commonest reading (Trần Văn An, not Trần Va Nan)
        ("nguyenthilananh", "nguyen", ("thi", "lan"), "anh", (), "vietnamese"),
        ("TRANVANAN", "tran", ("van",), "an", (), "vietnamese"),
        ("H'Hen Niê", "niê", (), "h'hen", (), "minority"),
        ("Y Moan Êban", "êban", ("y",), "moan", (), "minority"),
        ("Ksor Pếch", "ksor", (), "pếch", (), "minority"),
        # the same names written without marks, as records from abroad write them
        ("Ro Cham Phun", "ro cham", (), "phun", (), "minority"),
        ("Ro Mah H'Thoan", "ro mah", (), "h'thoan", (), "minority"),
        ("Y Moan Eban", "eban", ("y",), "moan", (), "minority"),
        ("Rah Lan Mai", "rah lan", (), "mai", (), "minority"),  # Rah is no Kinh syllable, yet of the name
        ("Duon Bya", "bya", (), "duon", (), "minority"),  # H'Duôn Byă without the prefix and the marks
        ("Giàng A Páo", "giàng", ("a",), "páo", (), "minority"),
        ("Thạch Thị Sa Phi", "thạch", ("thị", "sa"), "phi", (), "minority"),
        # a Khmer given name that is no Vietnamese syllable stays in the name the clan name opens
        ("Danh Pol", "danh", (), "pol", (), "minority"),
        ("THACH Thi Sophal", "thach", ("thi",), "sophal", (), "minority"),
        # three forenames in Western order: the most given-like one, wherever it stands
        ("Hai Giang Ngoc VUONG", "vuong", ("hai", "ngoc"), "giang", (), "western"),
        ("Bich Loan Ngoc Nguyen", "nguyen", ("bich", "ngoc"), "loan", (), "western"),
        ("Thi Minh Khai Nguyen", "nguyen", ("thi", "minh"), "khai", (), "western"),
        # a forename before Thị or Văn is the given name moved first: Thị and Văn open the middle name
        ("Mai Thi Huyen Tran", "tran", ("thi", "huyen"), "mai", (), "western"),
        ("Thi Thi Ai Do", "do", ("thi", "ai"), "thi", (), "western"),
        # Léa without its accent fits no Vietnamese rhyme: an adoptive first name, not a name part
        ("Lea Huyen Ha Phi", "phi", ("ha",), "huyen", ("lea",), "western"),
        ("Liam Minh Tran", "tran", (), "minh", ("liam",), "western"),
        ("Tran Minh Vyy", "tran", ("minh",), "vyy", (), "vietnamese"),  # past the first token, a slip
        # two letters with one dropped (Sơn, Anh) are the name too; two capitals beside a name that is
        # not in capitals are an abbreviation (VN), not part of it
        ("Hoang Sn", "hoang", (), "sn", (), "vietnamese"),
        ("NGUYỄN DUY VIỆT AH", "nguyễn", ("duy", "việt"), "ah", (), "vietnamese"),
        ("Nguyen Thi Lan VN", "nguyen", ("thi",), "lan", ("vn",), "vietnamese"),
        # a slip that breaks the syllable's shape stays in the name: one key from Oanh, or marks only
        # Vietnamese writes; an adoptive surname lies nowhere near a Vietnamese name
        ("Nguyễn Minh Oamh", "nguyễn", ("minh",), "oamh", (), "vietnamese"),
        ("Hồ Vũ Trường Phưpng", "hồ", ("vũ", "trường"), "phưpng", (), "vietnamese"),
        ("Lily Vy Taylor", "", (), "vy", ("lily", "taylor"), "unknown"),
        # a common Western first name past the first token is an adoptive name, though one letter from
        # a name in the tables (Sarah / Sara, Marie / Maria, Leroy); a rare one beside a Vietnamese
        # name is likelier its slip (Lona for Long)
        ("NGUYEN, Sarah Thi Lan", "nguyen", ("thi",), "lan", ("sarah",), "vietnamese"),
        ("Tran, John Minh", "tran", (), "minh", ("john",), "vietnamese"),
        ("Nguyen Thi Lan Marie", "nguyen", ("thi",), "lan", ("marie",), "vietnamese"),
        ("Hannah Tu Leroy", "", (), "tu", ("hannah", "leroy"), "unknown"),
        ("Nguyễn Lona", "nguyễn", (), "lona", (), "vietnamese"),
        # after the comma of "Last, First Middle" a Western first name of Vietnamese shape is adoptive
        # too; a slip of the given name, of the same shape there, stays in the name
        ("NGUYEN, Liam Minh", "nguyen", (), "minh", ("liam",), "vietnamese"),
        ("NGUYEN, Lea Lan Thi", "nguyen", ("thi",), "lan", ("lea",), "vietnamese"),
        ("TRAN, Vuyy Gia", "tran", ("gia",), "vuyy", (), "western"),
        # an adoptive surname stands where Western order keeps the surname: the Vietnamese names before
        # it are forenames, unless one end of them is plainly the birth surname kept
        ("Grace Huong Thi Thanh Taylor", "", ("thi", "thanh"), "huong", ("grace", "taylor"), "western"),
        ("Grace Thi Thanh Huong Taylor", "", ("thi", "thanh"), "huong", ("grace", "taylor"), "western"),
        ("Lan Nguyen Smith", "nguyen", (), "lan", ("smith",), "western"),
        ("Nguyen Thi Lan Smith", "nguyen", ("thi",), "lan", ("smith",), "vietnamese"),
        ("Ha Lan Smith", "ha", (), "lan", ("smith",), "vietnamese"),  # Hà is a surname as often as not
        # Chau opens Khmer names, but before a common Kinh surname it is the given name Châu
        ("Jessica Chau Tran", "tran", (), "chau", ("jessica",), "western"),
        ("Chau Sóc Khon", "khon", ("chau",), "sóc", (), "minority"),
        ("Chau Van Phong", "chau", ("van",), "phong", (), "vietnamese"),  # Châu Văn Phong, without marks
        # a common surname one slip from its spelling still tells which end holds it
        ("Luca Duc Bang Nguen", "nguen", ("duc",), "bang", ("luca",), "western"),
        ("Nguyem Van Lam", "nguyem", ("van",), "lam", (), "vietnamese"),
        # and at the front, where an adoptive first name would stand, it is still the surname
        ("Ngyuen Thi Lan", "ngyuen", ("thi",), "lan", (), "vietnamese"),
        ("Nugyễn Ngọc An", "nugyễn", ("ngọc",), "an", (), "vietnamese"),
        # before a surname that ends the name, the first forename's slip is its given name, not an
        # adoptive name
        ("Ttinh NGUYEN", "nguyen", (), "ttinh", (), "western"),
        ("Quann Hoang Nguyen", "nguyen", ("hoang",), "quann", (), "western"),
        ("Katherine NGUYEN", "nguyen", (), "", ("katherine",), "western"),
    ],
)
def test_parse(raw, surname, middle, given, other, order) -> None:
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.middle, parsed.given, parsed.other, parsed.order) == (
        surname,
        middle,
        given,
        other,
        order,
    )


@pytest.mark.parametrize(
    "raw,sex,middle,given",
    [
        # "Last, First Middle", as forms abroad lay a name out: the middle name that marks the sex
        # (Thị, Văn) after the first forename says so
        ("NGUYEN, Lan Thi", "F", ("thi",), "lan"),
        ("Nguyen, Lan Thi", None, ("thi",), "lan"),
        ("Le, Huyen Thi Thanh", "F", ("thi", "thanh"), "huyen"),
        ("Nguyễn, An Văn", None, ("văn",), "an"),
        ("Nguyen, An Van", "M", ("van",), "an"),
        ("NGUYEN, Bich San Thi", "F", ("thi", "bich"), "san"),  # the first names are Bích San
        # the forenames in Vietnamese order, or "van" that is Vân, a girl's name
        ("Nguyen, Thi Lan", "F", ("thi",), "lan"),
        ("Nguyen, Minh Van", "F", ("minh",), "van"),
    ],
)
def test_forenames_after_the_surname_and_a_comma(raw, sex, middle, given):
    name = parse_name(raw, sex)
    assert (name.surname, name.middle, name.given) == (raw.split(",")[0].lower(), middle, given)


@pytest.mark.parametrize(
    "raw,sex,surname,middle,given",
    [
        # the first names, then the family-name field that took the middle names with the surname
        # (French forms: nom "NGUYEN THI", prénom "Lan")
        ("Lan NGUYEN THI", "F", "nguyen", ("thi",), "lan"),
        ("Lan Nguyen Thi", None, "nguyen", ("thi",), "lan"),
        ("Anh Tran Thi Ngoc", "F", "tran", ("thi", "ngoc"), "anh"),
        ("Minh NGUYEN VAN", "M", "nguyen", ("van",), "minh"),
        ("Ha Nguyen Thi", "F", "nguyen", ("thi",), "ha"),
        # the family field in capitals says so whatever its middle name
        ("Huy Khanh LE MANH", "M", "le", ("manh", "huy"), "khanh"),
        ("Duy NGUYỄN QUỐC", "M", "nguyễn", ("quốc",), "duy"),
        ("Thuy Vy HUYNH", "F", "huynh", ("thuy",), "vy"),  # one word in capitals: the surname alone
        # a surname ends the name (Western order), or the family field is no commoner a surname than the
        # first token (Kinh order, two surnames)
        ("Bao Chau Thi Dang", "F", "dang", ("bao", "thi"), "chau"),
        ("Quang Thach Van Hoang", "M", "hoang", ("quang", "van"), "thach"),
        ("Nguyen Tran Thi Lan", "F", "nguyen", ("tran", "thi"), "lan"),
        # unmarked "van" is also Vân, a girl's name: no cue unless the record says male
        ("Lan Nguyen Van", None, "lan", ("nguyen",), "van"),
    ],
)
def test_first_names_before_a_family_field_with_middle_names(raw, sex, surname, middle, given):
    name = parse_name(raw, sex)
    assert (name.surname, name.middle, name.given) == (surname, middle, given)


@pytest.mark.parametrize("raw,surname,given", [
    ("Nguyển Văn Hoàng", "nguyển", "hoàng"), ("Nguyển Tuấn Hoàng", "nguyển", "hoàng"),
    ("Mả Thuý Hoa", "mả", "hoa"),
])
def test_a_surname_with_hoi_and_nga_merged_is_still_the_surname(raw, surname, given):
    """The South and Centre merge the hỏi and ngã tones: "Nguyển" is Nguyễn and opens the name, though
    Hoàng, which ends it, is a common surname too."""
    name = parse_name(raw)
    assert (name.surname, name.given, name.order) == (surname, given, "vietnamese")


def test_a_family_field_after_the_first_names_keeps_the_written_order_as_the_other_reading():
    """"Hà Nguyễn Thị Lan" may yet be Hà, with two middle names: the scorer tries both."""
    other = other_reading(parse_name("Hà Nguyễn Thị Lan", "F"))
    assert other is not None
    assert (other.surname, other.middle, other.given) == ("hà", ("nguyễn", "thị"), "lan")


@pytest.mark.parametrize("raw,middle,given", [
    ("Thuyvy Huynh", ("thuy",), "vy"), ("Ngocanh Nguyen", ("ngoc",), "anh"),
    ("Kimlien Tran", ("kim",), "lien"), ("NGUYEN Thanhhuong", ("thanh",), "huong"),
    ("Tran, Ngocanh", ("ngoc",), "anh"),
])
def test_a_two_syllable_given_name_written_as_one_word_is_split(raw, middle, given):
    """Forms abroad that take one first name join Thúy Vy into "Thuyvy"; the most common reading wins
    (Ngọc Anh, not Ngô Cảnh)."""
    name = parse_name(raw)
    assert (name.middle, name.given) == (middle, given) and not name.other


@pytest.mark.parametrize("raw", ["Anna Nguyen", "Lana Pham", "Dana Vo", "Hannah Nguyen"])
def test_western_first_names_that_split_into_syllables_stay_whole(raw):
    assert parse_name(raw).other == (raw.split()[0].lower(),)


@pytest.mark.parametrize("raw,sex", [("QUAN, Hanh Phuong Ha", "F"), ("Tran, Anh Minh", None),
                                     ("Nguyen, An Van", None)])
def test_forenames_after_a_comma_without_a_cue_are_read_both_ways(raw, sex):
    """Last, First Middle or Last, Middle Given: the parse takes one, its other reading the other, and
    both keep the surname before the comma."""
    name = parse_name(raw, sex)
    other = other_reading(name)
    assert other is not None and name.surname == other.surname == raw.split(",")[0].lower()
    forenames = [t for t in name.tokens[1:]]
    readings = {(name.middle, name.given), (other.middle, other.given)}
    assert readings == {(tuple(forenames[1:]), forenames[0]), (tuple(forenames[:-1]), forenames[-1])}


def test_empty_name() -> None:
    parsed = parse_name("")
    assert parsed.tokens == () and parsed.order == "unknown" and parsed.given == ""


def test_sex_hint_is_accepted_as_enum_value_or_letter() -> None:
    assert parse_name("Nguyen Van An", "M") == parse_name("Nguyen Van An", None)


def test_compare_names_reports_a_swap_only_when_it_needed_one() -> None:
    a = parse_name("Nguyễn Thị Lan")
    assert compare_names(a, parse_name("Nguyễn Thị Lan")) == compare_names(a, a)
    assert not compare_names(a, parse_name("Lan Thi Nguyen")).swapped  # parsed right: no swap
    reversed_given = compare_names(parse_name("Trần Minh Tuấn"), parse_name("Trần Tuấn Minh"))
    assert reversed_given.swapped and reversed_given.given == NameLevel.EXACT


def test_thi_van_never_align_as_given_names() -> None:
    result = compare_names(parse_name("Đỗ Văn Quân"), parse_name("Đỗ Văn Dân"))
    assert result.given >= NameLevel.JW_LOW


@pytest.mark.parametrize(
    "a,b,level",
    [
        ("Lan", "Lan", NameLevel.EXACT),
        ("hòa", "Hoà", NameLevel.EXACT),
        ("Lan", "Lân", NameLevel.FOLDED),
        ("Huỳnh", "Hoàng", NameLevel.VARIANT),
        ("Lý", "Lí", NameLevel.VARIANT),
        ("Dũng", "Giủng", NameLevel.PHONETIC),
        ("Nguyễn", "Ngyễn", NameLevel.JW_HIGH),     # the tables hold Ngyễn: it may be a name
        ("Thuong", "Thương", NameLevel.FOLDED),
        ("Hoàng", "Hoàn", NameLevel.PHONETIC),      # final ng and n merge in the south
        ("Hoa", "Hoan", NameLevel.JW_LOW),
        ("Lan", "Huệ", NameLevel.DIFFERENT),
        ("", "Lan", NameLevel.MISSING),
        ("Lan", "", NameLevel.MISSING),
        ("Vy", "Vi", NameLevel.PHONETIC),
        ("Dũng", "Rùng", NameLevel.DIFFERENT),
        ("Dung", "Rùng", NameLevel.PHONETIC),
        ("huynh", "hoang", NameLevel.VARIANT),      # folded regional variants are still variants
        ("vo", "Vũ", NameLevel.VARIANT),
        ("Ngả", "Ngã", NameLevel.VARIANT),          # hỏi/ngã merger: a spelling slip, not another name
        ("Kỷ", "Kỹ", NameLevel.VARIANT),
        ("Nga", "Ngả", NameLevel.FOLDED),           # a folded side cannot show the slip
        # one keyboard slip to a word that is part of no name: a slip of a short name, not another name
        ("Gka", "Gia", NameLevel.SLIP), ("UDC", "Đức", NameLevel.SLIP),
        ("Dcu", "Đức", NameLevel.SLIP),
        ("Ngjyen", "Nguyễn", NameLevel.SLIP), ("Bguyen", "Nguyễn", NameLevel.SLIP),
        ("Hoamg", "Hoàng", NameLevel.SLIP), ("Mgoc", "Ngọc", NameLevel.SLIP),
        ("Lan", "Lam", NameLevel.DIFFERENT),        # two names a slip apart are two names
        # the Highlands women's prefix dropped (H'Lê written Lê), with the marks too abroad (Le); a
        # marked name keeps its tone (Lé is another name)
        ("Lê", "H'Lê", NameLevel.VARIANT),
        ("Le", "H'Lê", NameLevel.VARIANT),
        ("Lé", "H'Lê", NameLevel.DIFFERENT),
        ("Thủy", "Thụy", NameLevel.FOLDED),         # hỏi against nặng is a real difference
        ("Mai", "Mãi", NameLevel.FOLDED),
    ],
)
def test_compare_part_levels(a: str, b: str, level: NameLevel) -> None:
    assert compare_part(a, b) == level
    assert compare_part(b, a) == level


@pytest.mark.parametrize("written,name,slip", [
    ("Tiếnn", "Tiến", True), ("Qyuết", "Quyết", True), ("Vnâ", "Vân", True), ("HUONNG", "Hướng", True),
    ("Lan", "Lân", False),      # the same letters: a difference of marks, not a slip
    ("Hoa", "Hoàng", False), ("Vy", "Vy", False), ("", "Vy", False),
])
def test_is_typing_slip(written: str, name: str, slip: bool) -> None:
    from linkage.vn.compare import is_typing_slip

    assert is_typing_slip(written, name) is slip


@pytest.mark.parametrize("full,surname,given", [
    ("Siu Djơi", "siu", "djơi"), ("Rơ Châm Blơi", "rơ châm", "blơi"), ("Nay Blin", "nay", "blin"),
])
def test_a_highland_given_name_with_a_cluster_is_the_given_name(full: str, surname: str, given: str) -> None:
    parsed = parse_name(full)
    assert (parsed.surname, parsed.given, parsed.other) == (surname, given, ())


@pytest.mark.parametrize("full,surname", [("Y JU ADRONG", "adrong"), ("Y Ju Adrơng", "adrơng")])
def test_a_name_in_capitals_with_a_one_letter_prefix_is_still_in_capitals(full: str, surname: str) -> None:
    """An Ê Đê man's Y shows no case of its own: "Y JU ADRONG" is written in capitals, so JU is his
    given name, not an abbreviation set beside a name written in small letters."""
    parsed = parse_name(full, "M")
    assert (parsed.surname, parsed.given, parsed.other) == (surname, "ju", ())


@pytest.mark.parametrize("full", ["Ông Thị Kiều Vy", "Hà Thị Dương", "Lưu Văn Vũ", "Dương Thành Cao"])
def test_a_registered_name_is_read_surname_first(full: str) -> None:
    """The register writes names surname first; frequency cues may turn the same text round when a
    record from abroad writes it (a rare surname before a name that is also a surname)."""
    parsed = parse_name(full, registered=True)
    assert (parsed.surname, parsed.order) == (full.split()[0].lower(), "vietnamese")


@pytest.mark.parametrize(
    "raw,surname,middle,given",
    [
        # parsed Western (Vũ ends it); read surname first it is Đinh / Quang Hoàn / Vũ
        ("DINH QUANG HOAN VU", "dinh", ("quang", "hoan"), "vu"),
        ("Dinh Quang Vu", "dinh", ("quang",), "vu"),
        ("Lan Thi Nguyen", "lan", ("thi",), "nguyen"),
        # the adoptive first name stays out of either reading, and so does a bracketed alias, even one
        # that repeats a forename
        ("Emily Quang Vu Nguyen", "quang", ("vu",), "nguyen"),
        ("Lan Thi NGUYEN (Lan)", "lan", ("thi",), "nguyen"),
        # parsed surname first, but a far commoner surname stands inside: first names before a family
        # field without the capitals or the Thị / Văn that tell the layout (prénom Mai, nom Nguyễn Cẩm)
        ("Mai Nguyễn Cẩm", "nguyễn", ("cẩm",), "mai"),
        ("Phuong Phan Thuy", "phan", ("thuy",), "phuong"),
        ("Minh Hoa Phan Minh", "phan", ("minh", "minh"), "hoa"),  # the commonest surname inside
    ],
)
def test_the_other_reading_puts_the_whole_name_in_the_other_order(raw: str, surname: str, middle: tuple,
                                                                   given: str) -> None:
    other = other_reading(parse_name(raw))
    assert other is not None and (other.surname, other.middle, other.given) == (surname, middle, given)


@pytest.mark.parametrize("raw,other", [
    ("Thu Vân", ("", ("thu",), "vân")),
    ("KHÁNH ANH", ("", ("khánh",), "anh")),
    ("Trung Tú", ("", ("trung",), "tú")),
    # a common surname first (Mai), or one no middle name is (Sơn, Cầm: Khmer and Thái), is a surname
    ("Mai Lan", None),
    ("Sơn Thy", None),
    ("Cầm Hoa", None),
    # nor where the second is no common given name: a misspelt surname, Western order (Phan)
    ("Luca Thanh Phang", None),
])
def test_two_syllables_opening_with_a_rare_surname_that_is_a_common_middle_name_may_have_lost_the_surname(
        raw: str, other: tuple | None) -> None:
    """"Thu Vân" for Nguyễn Thu Vân had only the surname Thu, which contradicted hers: a trace request gives
    the name an adoptee was called by. The scorer compares both readings (`other_reading`)."""
    found = other_reading(parse_name(raw))
    assert (found and (found.surname, found.middle, found.given)) == other


def test_a_girls_van_is_van_among_the_first_names_before_a_family_field() -> None:
    """"Thao Van Dinh Hai": for a girl "van" is Vân, a first name (Đinh Hải Thảo Vân); for a boy it is
    Văn, never a first name, so the family field cannot open after it."""
    other = other_reading(parse_name("Thao Van Dinh Hai", "F"), "F")
    assert other is not None
    assert (other.surname, other.middle, other.given) == ("dinh", ("hai", "thao"), "van")
    assert other_reading(parse_name("Thao Van Dinh Hai", "M"), "M") is None


@pytest.mark.parametrize("raw", ["Nguyen Van Nam", "Tôn Thất Minh Hoàng", "Giàng A Páo", "Lan",
                                 "Emily Lan Smith", "Lan Nguyen", "Ngô Minh Trí",
                                 "Binh Linh Seo"])
def test_names_with_one_plausible_order_have_no_other_reading(raw: str) -> None:
    assert other_reading(parse_name(raw)) is None


@pytest.mark.parametrize(
    "raw,surname,middle,given,other",
    [
        ("Nguyễn Văn A (Tí)", "nguyễn", ("văn",), "a", ("tí",)),  # a nickname
        ("NGUYEN THI LAN (LAN ANH)", "nguyen", ("thi",), "lan", ("lan", "anh")),  # a second name
        ("Nguyễn Thị Lan (con bà Hoa)", "nguyễn", ("thị",), "lan", ("con", "bà", "hoa")),  # a note
        ("(Nguyễn Thị Lan)", "nguyễn", ("thị",), "lan", ()),  # the whole name in brackets
    ],
)
def test_what_a_record_adds_in_brackets_is_kept_beside_the_name(raw: str, surname: str, middle: tuple,
                                                                given: str, other: tuple) -> None:
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.middle, parsed.given, parsed.other) == (surname, middle, given, other)


@pytest.mark.parametrize(
    "raw,surname,middle,given,other",
    [
        # the birth name named as such, in brackets or not
        ("Marie Dupont (née Nguyễn Thị Lan)", "nguyễn", ("thị",), "lan", ("marie", "dupont")),
        ("Marie Dupont, née Nguyen Thi Lan", "nguyen", ("thi",), "lan", ("marie", "dupont")),
        ("Marie Dupont born Nguyen Thi Lan", "nguyen", ("thi",), "lan", ("marie", "dupont")),
        ("Jean Dupont, né Nguyễn Văn An", "nguyễn", ("văn",), "an", ("jean", "dupont")),
        ("Jensen, Anna (tên khai sinh: Trần Thị Mai)", "trần", ("thị",), "mai", ("jensen", "anna")),
        # the Vietnamese name in brackets beside an adoptive one: the name, in full or in part
        ("Dupont, Marie (Nguyen Thi Lan)", "nguyen", ("thi",), "lan", ("dupont", "marie")),
        ("Marie (Lan) Dupont", "", (), "lan", ("marie", "dupont")),
        # another name after a word that says so, or an adoptive first name after a comma
        ("Nguyen Thi Lan alias Marie Dupont", "nguyen", ("thi",), "lan", ("marie", "dupont")),
        ("Nguyễn Văn An, còn gọi là Tí", "nguyễn", ("văn",), "an", ("tí",)),
        ("Nguyễn Thị Lan hoặc Lanh", "nguyễn", ("thị",), "lan", ("lanh",)),  # either, the writer unsure
        ("Nguyen Thi Lan or Lanh", "nguyen", ("thi",), "lan", ("lanh",)),
        ("NGUYEN Thi Lan, Marie", "nguyen", ("thi",), "lan", ("marie",)),
        # a nickname after a whole name and a comma or semicolon: a word hardly anyone is named
        ("NGUYỄN VĂN AN, TÈO", "nguyễn", ("văn",), "an", ("tèo",)),
        ("Nguyễn Văn An; Tí", "nguyễn", ("văn",), "an", ("tí",)),
        ("Nguyen, Thi Lan", "nguyen", ("thi",), "lan", ()),  # the surname, then the forenames
        ("Ng. Văn An", "nguyễn", ("văn",), "an", ()),  # Nguyễn shortened
        ("NG THI LAN", "nguyễn", ("thi",), "lan", ()),
    ],
)
def test_an_adoptive_name_written_beside_the_birth_name_is_another_name(raw: str, surname: str, middle: tuple,
                                                                         given: str, other: tuple) -> None:
    """Adoption files write both names, in every arrangement; before, "Marie Dupont (née Nguyễn Thị Lan)"
    parsed to no name at all and "Marie Dupont born Nguyen Thi Lan" to the surname Born."""
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.middle, parsed.given, parsed.other) == (surname, middle, given, other)


@pytest.mark.parametrize(
    "raw,parent",
    [
        ("Con bà Nguyễn Thị Lan", ("mother", "Nguyễn Thị Lan")),
        ("Con của sản phụ Trần Thị Mai", ("mother", "Trần Thị Mai")),
        ("CB Lê Thị Hoa", ("mother", "Lê Thị Hoa")),
        ("Baby of Nguyen Thi Lan", ("mother", "Nguyen Thi Lan")),
        ("Con ông Trần Văn Nam", ("father", "Trần Văn Nam")),
    ],
)
def test_a_newborn_written_as_its_parents_child_has_no_name_of_its_own(raw: str, parent: tuple) -> None:
    """A hospital names a newborn by its mother; her name is no evidence of the child's."""
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.middle, parsed.given) == ("", (), "") and parsed.other
    assert parent_named_instead(raw) == parent


@pytest.mark.parametrize("raw", ["Nguyễn Văn Con", "Con Nguyễn Văn", "Lê Thị Né", "Trần Văn Tức",
                                 "Bé Anh Nguyễn", "Cháu Chi Trần", "Lê Né Hoa", "Nguyen Tuc Anh"])
def test_names_that_hold_such_words_are_names(raw: str) -> None:
    parsed = parse_name(raw)
    assert parent_named_instead(raw) is None and parsed.given and not parsed.other


@pytest.mark.parametrize("raw", ["Bé gái", "BÉ TRAI", "Bé gái (số 2)", "Trẻ sơ sinh", "Không tên",
                                 "chưa đặt tên", "Vô danh", "N/A", "Unknown", "Baby girl",
                                 "Trẻ sơ sinh nam", "Không có", "Không", "Inconnu", "Trẻ bị bỏ rơi",
                                 "Trẻ sơ sinh bị bỏ rơi", "Abandoned child"])
def test_a_placeholder_where_no_name_is_known_is_no_name(raw: str) -> None:
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.middle, parsed.given) == ("", (), "") and parsed.other


@pytest.mark.parametrize("raw", ["Mẹ: Nguyễn Thị Lan", "MẸ ĐẺ: NGUYỄN THỊ LAN", "Mother: Nguyen Thi Lan",
                                 "Họ và tên mẹ: Nguyễn Thị Lan", "Mère : Nguyễn Thị Lan",
                                 "Mẹ ruột: Nguyễn Thị Lan", "Birth mother: Nguyen Thi Lan",
                                 "Mère biologique : Nguyễn Thị Lan"])
def test_a_forms_label_copied_with_the_name_is_read_past(raw: str) -> None:
    parsed = parse_name(raw, "F")
    assert (fold(parsed.surname), parsed.middle[0][:2], fold(parsed.given), parsed.other) == \
        ("nguyen", "th", "lan", ())


@pytest.mark.parametrize("raw", ["Nguyễn Thị Lan, 35 tuổi", "Nguyễn Thị Lan, sinh năm 1970",
                                 "Nguyễn Thị Lan - SN 1970", "Nguyen Thi Lan b. 1970", "Nguyễn Thị Lan - mẹ",
                                 "Nguyen Thi Lan, mother", "Nguyễn Thị Lan - đã mất",
                                 "Nguyen Thi Lan, deceased", "Nguyễn Thị Lan - nông dân",
                                 "NGUYEN THI LAN - LAM RUONG"])
def test_a_note_of_age_year_or_role_after_the_name_is_no_part_of_it(raw: str) -> None:
    """Forms write a parent's year of birth or age, role, death or work after the name: "tuổi" and
    "sinh" were read as the surname (after a comma, the "Thi Lan, NGUYEN" layout), "mất" and "dân" as
    the given name."""
    parsed = parse_name(raw, "F")
    assert (fold(parsed.surname), fold(parsed.given)) == ("nguyen", "lan")


@pytest.mark.parametrize("raw", ["Nguyễn Thị Lan (đã mất)", "Nguyễn Thị Lan (mẹ)",
                                 "NGUYEN THI LAN (DECEASED)", "Nguyễn Thị Lan (sinh 1970)",
                                 "Nguyễn Thị Lan [35 tuổi]", "Nguyễn Thị Lan (liệt sĩ)"])
def test_a_note_in_brackets_is_no_other_name(raw: str) -> None:
    """A bracket after a name holds another name ("(Tí)"), or a note as forms write one after a comma:
    "đã mất" (died) was kept among the other names, as a nickname would be."""
    parsed = parse_name(raw, "F")
    assert (fold(parsed.surname), fold(parsed.given), parsed.other) == ("nguyen", "lan", ())


@pytest.mark.parametrize("raw", ["Nguyễn Thị Bé", "Trần Văn Bé Tùng", "Bé Nguyễn Thị Lan", "Ngô Na"])
def test_names_that_hold_a_placeholder_word_are_names(raw: str) -> None:
    assert parse_name(raw).given


@pytest.mark.parametrize("token,expected", [
    ("Phuogn", "phuong"), ("Sn", "son"), ("Ah", "anh"),
    ("Hòs", "hoa"),  # the table holds Hos once: no name of its own beside Hoa
    ("An", None), ("X", None), ("Tèo", None),  # a real name is no slip; one letter is an initial
])
def test_given_names_a_slip_away(token: str, expected: str | None) -> None:
    from linkage.vn.slips import given_names_a_slip_away

    found = given_names_a_slip_away(token)
    assert (expected in found) if expected else found == ()


@pytest.mark.parametrize("raw,surname,given", [
    ("Nguyễn Văn Toàng", "nguyễn", "toàng"),  # a slip of Toàn ends the name: it is no surname
    ("Manon Phưn Nguyễn", "nguyễn", "phưn"),  # a slip of Phương opens it: Nguyễn is the surname
    ("Nguyen Minh Ang", "nguyen", "ang"),
    ("Bui Van Nguyen", "bui", "nguyen"),  # Bùi is a surname, not a slip of a given name
])
def test_a_slip_at_one_end_does_not_decide_which_end_holds_the_surname(raw: str, surname: str,
                                                                        given: str) -> None:
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.given) == (surname, given)


def test_a_slip_of_a_given_name_stays_the_given_name() -> None:
    """"Hòs" is no syllable: read as another (adoptive) name, the given name became Hiền."""
    parsed = parse_name("Phan Hồng Hiền Hòs")
    assert (parsed.surname, parsed.middle, parsed.given) == ("phan", ("hồng", "hiền"), "hòs")


@pytest.mark.parametrize("name,sex", [("Claire", "F"), ("EMILY", "F"), ("Marco", "M"), ("Noah", "M"),
                                      ("Jordan", None), ("Lan", None), ("Smith", None)])
def test_a_western_first_name_tells_the_sex_when_one_sex_carries_it(name: str, sex: str | None) -> None:
    assert first_name_sex(name) == sex


@pytest.mark.parametrize(
    "raw,surname,middle,given",
    [
        ("Nguyen H. Du", "nguyen", (), "du"),
        ("Nguyễn Th. Lan", "nguyễn", (), "lan"),
        ("NGUYEN T LAN", "nguyen", (), "lan"),
        ("Lan T. Nguyen", "nguyen", (), "lan"),
        ("Nguyen H.Du", "nguyen", (), "du"),
        # no initial: a lone vowel is a name (Ý Nhi), and a lone H opens a Highlands name
        ("Tran Y Nhi", "tran", ("y",), "nhi"),
        ("H Hen Niê", "niê", ("h",), "hen"),
    ],
)
def test_a_middle_name_cut_to_its_initial_counts_as_not_written(raw: str, surname: str, middle: tuple,
                                                                given: str) -> None:
    """"Nguyen H. Du" kept the middle name H, which differs from Hữu as much as Hoàng does (-6 bits in
    the match weight against Nguyễn Hữu Du); "Nguyễn Th. Lan" kept Th."""
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.middle, parsed.given) == (surname, middle, given)


@pytest.mark.parametrize("raw,middle,given", [
    ("Lê Thị Lệhiền", ("thị", "lệ"), "hiền"),  # two tones: two syllables
    ("Phạm Phan Ngọcđàn", ("phan", "ngọc"), "đàn"),
    ("Đặng Thị Diểmanh", ("thị", "diểm"), "anh"),  # one tone, a mark only Vietnamese writes
    ("Lê Thị Sôphượng", ("thị", "sô"), "phượng"),
    ("Nguyễn Thái Tuhận Phương", ("thái", "tuhận"), "phương"),  # a slip of Thuận stays whole
    ("Nguyen Thi Thuyanh", ("thi", "thuy"), "anh"),  # the shape of one syllable, yet no rhyme Vietnamese has
    ("Trần Thị Thúyanh", ("thị", "thúy"), "anh"),  # the tone where it was written: not Thuy Ánh
    ("Trần Thị Kiềuchi", ("thị", "kiều"), "chi"),  # a tone above a circumflex: only Vietnamese writes it
])
def test_a_marked_given_name_run_together_is_parted(raw: str, middle: tuple, given: str) -> None:
    """Unmarked, "Lananh" was parted; marked, "Lệhiền" lost its second tone and "Diểmanh" (Diểm: one in
    five thousand) stayed one word, so the given name was never the candidate's."""
    parsed = parse_name(raw)
    assert (parsed.middle, parsed.given) == (middle, given)


@pytest.mark.parametrize("raw,surname,middle,given", [
    ("SCHMIDT, MANON HUONG THI NGOC", "", ("thi", "ngoc"), "huong"),  # Nguyễn Thị Ngọc Hương
    ("O'BRINE, Sophie Hồng Thị Tố", "", ("thị", "tố"), "hồng"),  # Trần Thị Tố Hồng
    ("MILLER, Matthew Anh Quang", "", ("quang",), "anh"),  # Nguyễn Quang Anh
    ("M, Trang Thanh", "", ("thanh",), "trang"),  # Ma Thanh Trang, the surname cut short
    # a surname kept among the first names stays one
    ("TAYLOR, Liam Phat Vu", "vu", (), "phat"),
    ("NGUYEN, HUONG THI NGOC", "nguyen", ("thi", "ngoc"), "huong"),
])
def test_an_adoptive_surname_before_the_comma_leaves_the_vietnamese_names_as_first_names(
        raw: str, surname: str, middle: tuple, given: str) -> None:
    """"SCHMIDT, Manon Huong Thi Ngoc" read Ngọc, its last first name, as the surname and "Sophie Hồng Thị
    Tố" the given name Tố: the given name the scorer compared was never the candidate's."""
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.middle, parsed.given) == (surname, middle, given)


@pytest.mark.parametrize("raw,surname,middle,given", [
    ("Thị Lan", "", ("thị",), "lan"),
    ("Thị Lan Anh", "", ("thị", "lan"), "anh"),
    ("Emily Thi Lan", "", ("thi",), "lan"),
    ("SMITH Mary Thi Lan", "", ("thi",), "lan"),
    # the surnames Văn and Thi, and a surname after Thị, stay
    ("Văn Thị Huyền", "văn", ("thị",), "huyền"),
    ("Thi Thị Kim Hiền", "thi", ("thị", "kim"), "hiền"),
    ("Thi Lan Nguyen", "nguyen", ("thi",), "lan"),
])
def test_a_name_that_opens_with_thi_has_lost_its_surname(raw: str, surname: str, middle: tuple,
                                                         given: str) -> None:
    """"Thị Lan" had the surname Thị, which contradicted every candidate's surname (-6.8 bits)."""
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.middle, parsed.given) == (surname, middle, given)


@pytest.mark.parametrize("raw,sex,surname,middle,given", [
    ("Văn Hùng", "M", "", ("văn",), "hùng"),
    ("VAN HAO", None, "", ("van",), "hao"),
    ("van hieu", "M", "", ("van",), "hieu"),
    # a woman's "van" is Vân; a common surname after Văn is Western order; three words keep the surname
    ("Van Anh", "F", "van", (), "anh"),
    ("Van Nguyen", "M", "nguyen", (), "van"),
    ("Văn Thị Huyền", "F", "văn", ("thị",), "huyền"),
])
def test_a_mans_name_of_two_words_that_opens_with_van_has_lost_its_surname(
        raw: str, sex: str | None, surname: str, middle: tuple, given: str) -> None:
    """A trace request's "Van Hao" for Lý Văn Hào had the surname Văn, which contradicted the surname of
    the adoptee's own identity (-4.8 bits) and left his middle name uncompared."""
    parsed = parse_name(raw, sex)
    assert (parsed.surname, parsed.middle, parsed.given) == (surname, middle, given)


@pytest.mark.parametrize("raw,sex", [("Bà Lan", "F"), ("BA LAN", "F"), ("ba lan", "F"), ("Mẹ Lan", "F"),
                                     ("Ông Lan", "M"), ("ONG LAN", "M"), ("Bố: Lan", "M"), ("Ba Lan", "M")])
def test_a_title_before_a_parents_given_name_alone_is_read_past(raw: str, sex: str) -> None:
    parsed = parse_name(without_parent_title(raw, sex), sex)
    assert (parsed.surname, parsed.middle, fold(parsed.given)) == ("", (), "lan")


@pytest.mark.parametrize("raw,sex", [
    ("Bà Nguyễn Thị Lan", "F"),  # a whole name after the title: parse_name reads it
    ("Ba Văn Linh", "M"),        # Ba, a surname here
    ("Cha Ly", "F"),             # Lý Chà, a Hmong mother, in Western order: cha (father) is no title here
    ("Ông Lan", "F"),            # nor Mr in the mother's field
])
def test_a_parents_name_is_read_as_any_name_where_no_title_stands_alone_before_it(raw: str, sex: str) -> None:
    assert without_parent_title(raw, sex) == raw


@pytest.mark.parametrize("raw", ["không xác định", "KXĐ", "Bỏ trống", "Không nhớ", "?", "??"])
def test_what_a_form_writes_for_a_name_not_known_is_no_name(raw: str) -> None:
    """Undetermined, left blank, not remembered (a trace request's "Không nhớ"): "không xác định" was
    the surname Không and the given name Định, and "?" the given name Ý (a letter an encoding lost)."""
    parsed = parse_name(raw, "F")
    assert (parsed.surname, parsed.middle, parsed.given) == ("", (), "")


@pytest.mark.parametrize("field,mother,father", [
    ("Trần Thị Bình và Nguyễn Văn An", "Trần Thị Bình", "Nguyễn Văn An"),
    ("Nguyễn Văn An & Trần Thị Bình", "Trần Thị Bình", "Nguyễn Văn An"),
    ("Tran Thi Binh / Nguyen Huu An", "Tran Thi Binh", "Nguyen Huu An"),  # Thị tells one, the other is his
])
def test_both_parents_written_in_one_field_are_told_apart(field: str, mother: str, father: str) -> None:
    """A form with one "Họ tên cha mẹ" line puts both parents in one field: read whole, the two names
    were one, and the father's given name stood as the mother's."""
    assert (the_parent_of(field, "F"), the_parent_of(field, "M")) == (mother, father)


@pytest.mark.parametrize("field,mother,father", [
    ("Trần Văn Hùng, Nguyễn Thị Lan", "Nguyễn Thị Lan", "Trần Văn Hùng"),
    ("Trần Văn Hùng - Nguyễn Minh Anh", "Nguyễn Minh Anh", "Trần Văn Hùng"),
    ("Bố: Trần Văn Hùng - Mẹ: Nguyễn Thị Lan", "Mẹ: Nguyễn Thị Lan", "Bố: Trần Văn Hùng"),
    ("Bố Trần Văn Hùng, mẹ Nguyễn Thị Lan", "mẹ Nguyễn Thị Lan", "Bố Trần Văn Hùng"),
])
def test_both_parents_parted_by_a_comma_or_a_dash_are_told_apart(field: str, mother: str,
                                                                   father: str) -> None:
    """Two full names in one field parted as a list parts them: read whole, "Trần Văn Hùng, Nguyễn Thị Lan"
    was one name, its given name Lan beside the surname Trần."""
    assert (the_parent_of(field, "F"), the_parent_of(field, "M")) == (mother, father)


@pytest.mark.parametrize("field", ["Trần Thị Bình", "Nguyễn Hữu An và Lê Minh Châu", "Lan và Hùng",
                                   "Trần Thị Bình và Lê Thị Hoa", "Trần Văn Hùng, làm ruộng",
                                   "Nguyễn Thị Lan, 45 tuổi", "Nguyễn Thị Lan, thôn 3, xã Ea Tu"])
def test_one_name_or_two_that_nothing_tells_apart_are_left_as_written(field: str) -> None:
    """(After a comma, what opens with no surname is no second parent: a farmer, an age, an address.)"""
    assert the_parent_of(field, "F") == the_parent_of(field, "M") == field


@pytest.mark.parametrize("raw", ["Tên mẹ: Nguyễn Thị Lan", "Người mẹ: Nguyễn Thị Lan", "Mẹ - Nguyễn Thị Lan",
                                 "Mẹ là Nguyễn Thị Lan", "mẹ Nguyễn Thị Lan", "Má Nguyễn Thị Lan",
                                 "mẹ đẻ Nguyễn Thị Lan"])
def test_a_parents_word_or_label_before_the_name_is_read_past(raw: str) -> None:
    """"mẹ Nguyễn Thị Lan" was read in Western order, the given name Mẹ; "Tên mẹ:" (mother's name) opened
    the name with the given name Mẹ too."""
    parsed = parse_name(without_parent_title(raw, "F"), "F")
    assert (parsed.surname, parsed.middle, parsed.given) == ("nguyễn", ("thị",), "lan")


@pytest.mark.parametrize("raw,sex", [("Chị Lan", "F"), ("Cô Lan", "F"), ("Dì Lan", "F"), ("Chú Lan", "M"),
                                     ("Bác Lan", "M")])
def test_a_younger_persons_title_before_a_parents_given_name_is_read_past(raw: str, sex: str) -> None:
    parsed = parse_name(without_parent_title(raw, sex), sex)
    assert (parsed.surname, parsed.middle, parsed.given) == ("", (), "lan")


def test_anh_before_a_surname_is_a_given_name_in_western_order() -> None:
    parsed = parse_name(without_parent_title("Anh Huynh", "M"), "M")
    assert (parsed.surname, parsed.given) == ("huynh", "anh")


@pytest.mark.parametrize("raw", ["Mẹ nuôi: Trần Thị Hoa", "Bố nuôi: Lê Văn Minh",
                                 "Adoptive mother: Jane Smith", "Mère adoptive : Marie Dupont",
                                 "Adoptivmutter: Anna Schmidt"])
def test_a_field_that_names_an_adoptive_parent_says_so(raw: str) -> None:
    assert names_an_adoptive_parent(raw)


@pytest.mark.parametrize("raw", ["Nguyễn Thị Lan", "Mẹ: Nguyễn Thị Nuôi", "Birth mother: Nguyen Thi Lan"])
def test_a_birth_parents_field_names_no_adoptive_parent(raw: str) -> None:
    assert not names_an_adoptive_parent(raw)


@pytest.mark.parametrize("raw,given", [
    ("Nhóc (Hương)", "hương"), ("Nhoc (Huong)", "huong"), ("Bé Hai (Chương)", "chương"),
    ("Be Ba (Huong)", "huong"), ("CU TI (YEN)", "yen"), ("Ti (Nguyen Van Trung)", "trung"),
])
def test_a_home_name_then_a_name_in_brackets_is_that_name(raw: str, given: str) -> None:
    """What a family calls a child (tên ở nhà), then its name, as a trace request remembers both: the
    home name was the given name, which contradicted the registered one."""
    assert parse_name(raw).given == given


@pytest.mark.parametrize("raw,surname,home", [
    ("Tí", "", "tí"), ("TEO", "", "teo"), ("Bé Út", "", "út"), ("Cu Tí", "", "tí"),
    ("Tí Nguyễn", "nguyễn", "tí"), ("HEO NGUYEN", "nguyen", "heo"), ("Nguyễn Tèo", "nguyễn", "tèo"),
    ("Be Ut Nguyen", "nguyen", "ut"),
])
def test_a_home_name_names_no_given_name(raw: str, surname: str, home: str) -> None:
    """A home name is kept among the other names, not compared as the given name it is not."""
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.given) == (surname, "") and home in parsed.other


@pytest.mark.parametrize("raw,given", [
    ("Nguyễn Thị Út", "út"), ("Nguyễn Thị Bé", "bé"), ("Hai", "hai"),  # registered given names too
    ("Bế Nam", "nam"), ("BE, Nam", "nam"),  # Bế, a Tày surname, is no Bé
    # minority names
    ("Thạch Sóc", "sóc"), ("Giàng Sua", "sua"), ("ANTOINE SU VANG", "su"), ("Kpa Tun", "tun"),
])
def test_names_a_register_holds_are_no_home_names(raw: str, given: str) -> None:
    assert parse_name(raw).given == given


def test_a_register_and_a_parent_keep_a_home_name_as_written() -> None:
    assert parse_name("Nguyễn Tí", registered=True).given == "tí"
    assert parse_name("Nguyễn Tí", "F", home_names=False).given == "tí"


@pytest.mark.parametrize("raw,surname,given,adoptive", [
    ("Tim Nguyễn Đức Dủng", "nguyễn", "dủng", "tim"), ("Leo Tran Truong Cong", "tran", "cong", "leo"),
    ("Ben Tran Van An", "tran", "an", "ben"),
    ("Tim Van Thieng Dang", "dang", "thieng", "tim"),  # before Văn, the surname last
    # names adoptive families have given since 2000, which the 1990 census list lacks
    ("Mia Nguyen Thanh Mai", "nguyen", "mai", "mia"), ("Elin Linh Nguyen", "nguyen", "linh", "elin"),
    ("HANNA HUONG NGUYEN", "nguyen", "huong", "hanna"),
])
def test_a_western_first_name_shaped_like_a_syllable_before_a_surname_is_adoptive(
        raw: str, surname: str, given: str, adoptive: str) -> None:
    """Tim, Tom, Ben, Leo are Vietnamese syllables too: before Nguyễn they were read as the surname."""
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.given, parsed.other) == (surname, given, (adoptive,))


@pytest.mark.parametrize("raw,surname", [("Kim Nguyen Thi Lan", "nguyen"), ("Van Nguyen Thi Lan", "van"),
                                         ("Leo Thị Huyền", "leo")])  # Leo: a rare surname
def test_a_syllable_a_surname_or_given_name_is_no_adoptive_first_name(raw: str, surname: str) -> None:
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.other) == (surname, ())


@pytest.mark.parametrize("raw,surname,middle,given", [
    ("THI-TINH LAI", "lai", ("thi",), "tinh"), ("Ho-Van-Phong Hoang", "hoang", ("ho", "van"), "phong"),
    ("Dinh-Nguyen-Nhat Duong", "duong", ("dinh", "nguyen"), "nhat"), ("H.-LOC BUI", "bui", ("h",), "loc"),
    ("Tôn-Nữ Ninh", "tôn nữ", (), "ninh"),  # a compound surname, hyphenated, stays one
])
def test_forenames_joined_by_hyphens_come_in_their_order_before_the_surname(
        raw: str, surname: str, middle: tuple[str, ...], given: str) -> None:
    """A French or American form joins the forenames ("prénom composé") and writes the surname after:
    "Thi-Tinh Lai" lost its surname to the rule that a name opening with Thị has none."""
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.middle, parsed.given) == (surname, middle, given)


@pytest.mark.parametrize("raw,sex,surname,middle,given", [
    ("NGUYEN-THI Lan", None, "nguyen", ("thi",), "lan"), ("Nguyễn-Thị Hoa", "F", "nguyễn", ("thị",), "hoa"),
    ("TRAN-VAN Minh", None, "tran", ("van",), "minh"), ("Le-Van Hung", "M", "le", ("van",), "hung"),
    ("NGUYEN-THI Mai", None, "nguyen", ("thi",), "mai"),       # Mai is a surname too: Thị is no forename
    ("Hoang-Van Nguyen", None, "nguyen", ("hoang",), "van"),   # forenames Hoàng Vân before a surname
    ("Hoang-Van Tran", "F", "tran", ("hoang",), "van"),        # of a girl, unmarked van is Vân
])
def test_a_surname_hyphenated_to_thi_or_van_is_the_family_field_not_forenames(
        raw: str, sex: str | None, surname: str, middle: tuple[str, ...], given: str) -> None:
    """French and Belgian registers took Thị or Văn for part of the family name and joined them to it
    ("NGUYEN-THI Lan"): read as forenames before a surname, the name had lost its surname to "Lan"."""
    parsed = parse_name(raw, sex)
    assert (parsed.surname, parsed.middle, parsed.given) == (surname, middle, given)


@pytest.mark.parametrize("raw,surname,given", [
    ("THI VUI LA", "la", "vui"), ("Thi Phuong Son", "son", "phuong"), ("Thi Anh Au", "au", "anh"),
    ("Thi Kim Hien", "", "hien"),  # Hiền is a woman's name, no surname: Thị Kim Hiền lost hers
])
def test_thi_then_a_name_then_a_surname_rarer_as_a_womans_name_is_western_order(
        raw: str, surname: str, given: str) -> None:
    """"Thi Vui La" is La Thị Vui written first names first: La is far more often a surname than a
    woman's name, so the name did not lose its surname to Thị."""
    parsed = parse_name(raw, "F")
    assert (parsed.surname, parsed.given) == (surname, given)


@pytest.mark.parametrize("raw,middle", [
    ("LE TIH AN", ("thi",)), ("Pham aVn An", ("van",)), ("Nguyễn Tị Nga", ("thị",)), ("Lê ăn Vọng", ("văn",)),
    ("Nguyen Thu Lan", ("thu",)), ("Nguyen An Lan", ("an",)),  # names, not slips
])
def test_a_middle_name_one_slip_from_thi_or_van_and_no_name_is_that_middle_name(
        raw: str, middle: tuple[str, ...]) -> None:
    assert parse_name(raw).middle == middle


@pytest.mark.parametrize("raw,given", [("Qyunh", "qyunh"), ("Mrs. Lknh", "lknh"), ("TThuy", "tthuy")])
def test_a_name_of_one_word_slipped_is_still_the_given_name(raw: str, given: str) -> None:
    """A parent's given name alone, with a slip ("Qyunh" for Quỳnh): it was no name at all, so a mother
    named alike told nothing; compared, it is one slip from hers (`compare_part`: SLIP)."""
    assert parse_name(raw, "F").given == given


def test_a_western_first_name_alone_is_still_no_given_name() -> None:
    assert parse_name("Sarah", "F").given == ""


@pytest.mark.parametrize("raw,given", [("Bé An", "an"), ("Bé Chiến", "chiến"), ("BÉ CHIẾN", "chiến"),
                                       ("Cháu An", "an")])
def test_a_centres_baby_and_the_name_it_gave_is_that_given_name(raw: str, given: str) -> None:
    """A centre writes a foundling it named as "Bé An" (baby An): Bé was read as the surname (no surname
    is spelt so; Bế is one), or An as the surname and Bé the given name."""
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.given) == ("", given)


@pytest.mark.parametrize("raw,surname,given", [("Be Chien", "be", "chien"), ("Nguyễn Thị Bé", "nguyễn", "bé"),
                                               ("Bế Văn Chiến", "bế", "chiến")])
def test_be_unmarked_or_last_stays_a_name(raw: str, surname: str, given: str) -> None:
    parsed = parse_name(raw)
    assert (parsed.surname, parsed.given) == (surname, given)


@pytest.mark.parametrize("raw", ["Nguyen Thi Lan a.k.a. Sarah", "Nguyen Thi Lan A.K.A Sarah",
                                 "Nguyen Thi Lan aka Sarah"])
def test_a_k_a_before_another_name_is_no_set_of_initials(raw: str) -> None:
    """"a.k.a." was read as three initials dropped, and "Nguyen Thi Lan Sarah" parsed as Western order."""
    parsed = parse_name(raw, "F")
    assert (parsed.surname, parsed.middle, parsed.given) == ("nguyen", ("thi",), "lan")
    assert parsed.other == ("sarah",)
