"""Forms people write that no form asks for: an age in words, a part of the country for a birthplace, both
parents on one line. Each rewrites what `records` already wrote, so the damage stays the same."""

from __future__ import annotations

import random
import re

from linkage.synth.names import region_of

_VIETNAMESE_NUMBERS = {1: "một", 2: "hai", 3: "ba", 4: "bốn", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám",
                       9: "chín", 10: "mười", 11: "mười một", 12: "mười hai", 15: "mười lăm", 20: "hai mươi"}
_ENGLISH_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                    9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}
_VIETNAMESE_AGE = re.compile(r"^(khoảng )?(\d+) (ngày|tháng)( tuổi)?$")
_ENGLISH_AGE = re.compile(r"^about (\d+) (days|months) old$")


def age_in_words(written: str, rnd: random.Random) -> str:
    """A centre's estimated age ("khoảng 3 tháng tuổi", "about 5 days old") as a caseworker says it: the
    count in words ("khoảng ba tháng tuổi"), a few days ("vài ngày tuổi"), not a full month ("chưa đầy
    tháng"); `written` itself where it is no such age."""
    if m := _VIETNAMESE_AGE.match(written):
        about, count, unit, old = m[1] or "", int(m[2]), m[3], m[4] or ""
        if unit == "ngày" and count <= 5 and rnd.random() < 0.5:
            return "vài ngày tuổi"
        if unit == "ngày" and 20 <= count < 30 and rnd.random() < 0.5:
            return "chưa đầy tháng"
        if count in _VIETNAMESE_NUMBERS:
            return f"{about}{_VIETNAMESE_NUMBERS[count]} {unit}{old}"
    elif m := _ENGLISH_AGE.match(written):
        count, unit = int(m[1]), m[2]
        if unit == "days" and count <= 5 and rnd.random() < 0.5:
            return "a few days old"
        if count in _ENGLISH_NUMBERS:
            return f"about {_ENGLISH_NUMBERS[count]} {unit if count > 1 else unit[:-1]} old"
    return written


_MEKONG_DELTA = frozenset({"80", "82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96"})
_CENTRAL_HIGHLANDS = frozenset({"62", "64", "66", "67", "68"})
_PARTS = (("North Vietnam", "Northern Vietnam", "miền Bắc"), ("Central Vietnam", "miền Trung"),
          ("South Vietnam", "Southern Vietnam", "miền Nam"))


def part_of_the_country(province_code: str, rnd: random.Random) -> str:
    """The part of the country an adoptee abroad knows a province by: north, centre or south (the
    generator's own three regions), the Mekong Delta or the Central Highlands."""
    if province_code in _MEKONG_DELTA and rnd.random() < 0.4:
        return rnd.choice(("the Mekong Delta", "Mekong Delta", "miền Tây"))
    if province_code in _CENTRAL_HIGHLANDS and rnd.random() < 0.4:
        return rnd.choice(("Central Highlands", "Tây Nguyên"))
    return rnd.choice(_PARTS[region_of(province_code)])


def parents_on_one_line(father: str, mother: str, rnd: random.Random) -> str:
    """Both parents as a form with one "Họ tên cha mẹ" line holds them, in the mother's field."""
    return rnd.choice((f"{father}, {mother}", f"{mother}, {father}", f"Bố: {father} - Mẹ: {mother}",
                       f"{father} - {mother}"))
