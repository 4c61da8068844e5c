"""normalize and fold on the cases SOURCES.md lists."""

from __future__ import annotations

import unicodedata

import pytest

from linkage.vn.text import fold, normalize


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Nguyễn Thị Hoà", "nguyễn thị hòa"),
        ("THUÝ", "thúy"),
        ("khoẻ", "khỏe"),
        ("Qúy", "quý"),
        ("Gìa", "già"),
        ("gìn", "gìn"),
        ("giữ", "giữ"),
        ("Huỳnh", "huỳnh"),
        ("người", "người"),
        ("thuở", "thuở"),
        ("khuỷu", "khuỷu"),
        ("ngoài", "ngoài"),
        ("Hòai", "hoài"),
        ("Tòan", "toàn"),
        ("Ðặng", "đặng"),
        ("ðặng", "đặng"),
        ("  Nguyễn \t Văn   An ", "nguyễn văn an"),
        ("Nguyễn-Thị-Lan", "nguyễn thị lan"),
        ("Nguyá»…n VÄƒn Ä‘á»©c", "nguyễn văn đức"),
        ("TrÆ°Æ¡ng Thá»‹", "trương thị"),
        ("Nguyá»…n VÄ©nh Quáº£ng Ã\x90áº¡t", "nguyễn vĩnh quảng đạt"),  # Ðạt, eth for Đ, read as cp1252
        ("Mr. Emily Lan Nguyen", "emily lan nguyen"),
        ("Bà Lê Thị Mai", "lê thị mai"),
        ("Ông Thị Kiều Vy", "ông thị kiều vy"),  # a title is never followed by Thị: Ông is the surname
        ("Ông Lê Văn Vy", "lê văn vy"),
        ("Nguyễn Thị Bé", "nguyễn thị bé"),
        ("Bé Lan", "bé lan"),
        ("H'Hen Niê", "h'hen niê"),
        ("H’Hen Niê", "h'hen niê"),
        ("'Lan'", "lan"),
        ("Lan 2", "lan"),
        ("", ""),
        ("...", ""),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_composite_unicode_is_normalised() -> None:
    composite = "Nguyê\u0303n"  # precomposed ê + combining tilde: neither NFC nor NFD
    assert normalize(composite) == "nguyễn"
    assert normalize(unicodedata.normalize("NFD", "Nguyễn")) == "nguyễn"


def test_tones_stay_in_the_normalised_form() -> None:
    assert normalize("Lân") != normalize("Lan")
    assert normalize("Đoàn") != normalize("Doãn")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Nguyễn Thị Lan", "nguyen thi lan"),
        ("Đặng", "dang"),
        ("Ðoàn", "doan"),
        ("Doãn", "doan"),
        ("Lân", "lan"),
        ("Ư", "u"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


@pytest.mark.parametrize("vni,expected", [
    ("Buøi", "bùi"), ("Ñoã", "đỗ"), ("Döông", "dương"), ("Huøynh", "huỳnh"), ("Laâm", "lâm"),
    ("Vuõ", "vũ"), ("Höùa", "hứa"), ("Taï", "tạ"), ("Nguyeãn Thò Thuùy", "nguyễn thị thúy"),
    ("BUØI THÒ LAN", "bùi thị lan"), ("Mr. Buøi", "bùi"),
    # ầ, ấ, ẫ are "a" and a mark that is itself a Vietnamese letter: "aà" is VNI all the same
    ("Traàn Thò Lan", "trần thị lan"), ("Tuaán", "tuấn"),
    # the circumflex with the dot is "ä", with the hook "å" (the VNI chart, as xvnkb's vni.h lists it:
    # AÂ AÁ AÀ AÅ AÃ AÄ); they were read the other way round: "Vieät" was Viểt
    ("Vieät Nam", "việt nam"), ("Hoäi", "hội"), ("Nhaät", "nhật"), ("Phaåm", "phẩm"), ("Toå", "tổ"),
    # the Central Highlands' names in Vietnamese letters: a consonant and l or r, a final k
    ("Kroâng Naêng", "krông năng"), ("Ñaék Laék", "đắk lắk"),
])
def test_legacy_vni_text_is_decoded(vni: str, expected: str) -> None:
    assert normalize(vni) == expected


@pytest.mark.parametrize("latin,expected", [
    ("Søren", "søren"), ("Müller", "muller"), ("Peña", "pena"), ("Björn", "bjorn"), ("Anaïs", "anais"),
    ("Åsa", "asa"), ("Søren Hòa", "søren hòa"), ("quân", "quân"), ("Hoà", "hòa"),
])
def test_latin_names_are_not_taken_for_vni(latin: str, expected: str) -> None:
    assert normalize(latin) == expected


# TCVN3 (.VnTime fonts) read as cp1252, as glibc's `iconv -f UTF-8 -t TCVN5712-1` writes each name
@pytest.mark.parametrize("tcvn3,expected", [
    ("NguyÔn V¨n An", "nguyễn văn an"), ("TrÇn ThÞ Lan", "trần thị lan"), ("§Æng V¨n Tó", "đặng văn tú"),
    ("Huúnh ThÞ Thóy Vy", "huỳnh thị thúy vy"), ("Lª ThÞ Hång Nhung", "lê thị hồng nhung"),
    ("M\xadêng Kh\xad¬ng", "mường khương"), ("NGUYÔN THÞ LAN", "nguyễn thị lan"),
    # no byte that Unicode Vietnamese lacks, but a capital inside a word: Ô is ễ, ó is ú
    ("NguyÔn Phó", "nguyễn phú"), ("NguyÔn TuyÒn", "nguyễn tuyền"),
    # VNI reads it too (Nguyơn Têt Tĩn), but only TCVN3 gives a Vietnamese syllable of every word
    ("NguyÔn TÊt TiÕn", "nguyễn tất tiến"),
])
def test_legacy_tcvn3_text_is_decoded(tcvn3: str, expected: str) -> None:
    assert normalize(tcvn3) == expected


@pytest.mark.parametrize("latin,expected", [
    ("Peña", "pena"), ("François", "francois"), ("Anaïs", "anais"), ("Zoë", "zoe"),
    ("Ðặng Văn An", "đặng văn an"), ("Lê Văn Hóa", "lê văn hóa"), ("LeAnn", "leann"),
    ("McDonald", "mcdonald"),
])
def test_latin_names_and_unicode_vietnamese_are_not_taken_for_tcvn3(latin: str, expected: str) -> None:
    assert normalize(latin) == expected


def test_an_address_in_tcvn3_is_decoded_whole_where_a_legacy_byte_looks_like_punctuation() -> None:
    """"X·" is Xã: split at the middle dot before decoding, the commune would be lost."""
    from linkage.vn.places import resolve_place

    assert resolve_place("X· TiÒn Phong, HuyÖn Mª Linh, TØnh VÜnh Phóc") == \
        resolve_place("Xã Tiền Phong, Huyện Mê Linh, Tỉnh Vĩnh Phúc")


def test_ordinary_latin_text_is_not_taken_for_mojibake() -> None:
    assert normalize("Zoë Müller") == "zoe muller"  # marks Vietnamese lacks are dropped
    assert normalize("José") == "josé"


@pytest.mark.parametrize("raw,expected", [
    ("Lệhiền", "lệ hiền"), ("Khánhlệ", "khánh lệ"), ("Thảotrà", "thảo trà"), ("NGỌCĐÀN", "ngọc đàn"),
    # the second syllable opens with a consonant where it can (not Phúch|ậu), and y closes no syllable
    # with a consonant (not Mỹt|húy); two vowels may meet (Thảo|ánh)
    ("Phúchậu", "phúc hậu"), ("Mỹthúy", "mỹ thúy"), ("Thảoánh", "thảo ánh"),
    # a toned vowel written twice is a slip, and French names keep their accents
    ("Nguyễễn", "nguyêễn"), ("Thịị", "thịi"), ("Hélène", "hélene"), ("Thérèse", "thérese"),
    # one tone in no one syllable stays where it was written ("Thúyanh" is Thúy Anh, not Thuy Ánh)
    ("Thúyanh", "thúyanh"), ("Êñuôl", "ênuôl"),
])
def test_a_word_with_two_tones_is_two_syllables_run_together(raw: str, expected: str) -> None:
    """A syllable carries one tone: "Lệhiền" normalised to "lệhiên", its second tone lost."""
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("Nguy&#7877;n Th&#7883; Lan", "nguyễn thị lan"),       # decimal references, as web forms export
    ("Nguy&#x1EC5;n Thị Lan", "nguyễn thị lan"),            # hexadecimal
    ("Tr&#7847;n V&#259;n &#272;&#7913;c", "trần văn đức"),
    ("H&agrave; Lan", "hà lan"),                            # named
])
def test_html_character_references_are_the_letters_they_name(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
