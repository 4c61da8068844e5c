"""Places of birth as they were written at the time, and the other ways records write them.

A birth in 1995 in today's Bắc Ninh was registered in "Tỉnh Hà Bắc"; one in 2005 in Hà Đông in "Tỉnh
Hà Tây"; one in August 2025 in a commune of the 34-province map. The history below is simplified
(first day of the month the change took effect; the 1978-1991 Hà Nội boundary episode is ignored)
but it is the kind of change old adoption files and trace requests carry.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from linkage.synth.corrupt import Damage
from linkage.synth.reference import Commune, Reference
from linkage.synth.script import fold

_HA_TAY_DISTRICTS = frozenset(f"{d}" for d in range(268, 283))
_ME_LINH = frozenset({"250"})

# (pre-2025 province codes, district codes or None for the whole province, name before `until`, until)
_HISTORY: tuple[tuple[frozenset[str], frozenset[str] | None, str, str], ...] = (
    (frozenset({"44", "45", "46"}), None, "Tỉnh Bình Trị Thiên", "1989-07-01"),
    (frozenset({"51", "52"}), None, "Tỉnh Nghĩa Bình", "1989-07-01"),
    (frozenset({"54", "56"}), None, "Tỉnh Phú Khánh", "1989-07-01"),
    (frozenset({"62", "64"}), None, "Tỉnh Gia Lai - Kon Tum", "1991-08-01"),
    (frozenset({"77"}), None, "Tỉnh Đồng Nai", "1991-08-01"),
    (frozenset({"17"}), None, "Tỉnh Hà Sơn Bình", "1991-10-01"),
    (frozenset({"01"}), _HA_TAY_DISTRICTS, "Tỉnh Hà Sơn Bình", "1991-10-01"),
    (frozenset({"02", "08"}), None, "Tỉnh Hà Tuyên", "1991-10-01"),
    (frozenset({"10", "15"}), None, "Tỉnh Hoàng Liên Sơn", "1991-10-01"),
    (frozenset({"40", "42"}), None, "Tỉnh Nghệ Tĩnh", "1991-10-01"),
    (frozenset({"35", "36", "37"}), None, "Tỉnh Hà Nam Ninh", "1992-04-01"),
    (frozenset({"58", "60"}), None, "Tỉnh Thuận Hải", "1992-04-01"),
    (frozenset({"92", "93", "94"}), None, "Tỉnh Hậu Giang", "1992-04-01"),
    (frozenset({"84", "86"}), None, "Tỉnh Cửu Long", "1992-05-01"),
    (frozenset({"35", "36"}), None, "Tỉnh Nam Hà", "1997-01-01"),
    (frozenset({"06", "19"}), None, "Tỉnh Bắc Thái", "1997-01-01"),
    (frozenset({"24", "27"}), None, "Tỉnh Hà Bắc", "1997-01-01"),
    (frozenset({"30", "33"}), None, "Tỉnh Hải Hưng", "1997-01-01"),
    (frozenset({"25", "26"}), None, "Tỉnh Vĩnh Phú", "1997-01-01"),
    (frozenset({"01"}), _ME_LINH, "Tỉnh Vĩnh Phú", "1997-01-01"),
    (frozenset({"48", "49"}), None, "Tỉnh Quảng Nam - Đà Nẵng", "1997-01-01"),
    (frozenset({"70", "74"}), None, "Tỉnh Sông Bé", "1997-01-01"),
    (frozenset({"95", "96"}), None, "Tỉnh Minh Hải", "1997-01-01"),
    (frozenset({"11"}), None, "Tỉnh Lai Châu", "2004-01-01"),
    (frozenset({"67"}), None, "Tỉnh Đắk Lắk", "2004-01-01"),
    (frozenset({"92", "93"}), None, "Tỉnh Cần Thơ", "2004-01-01"),
    (frozenset({"01"}), _HA_TAY_DISTRICTS, "Tỉnh Hà Tây", "2008-08-01"),
    (frozenset({"01"}), _ME_LINH, "Tỉnh Vĩnh Phúc", "2008-08-01"),
    (frozenset({"46"}), None, "Tỉnh Thừa Thiên Huế", "2025-01-01"),
)
NEW_MAP_FROM = dt.date(2025, 7, 1)
RESPELLED_FROM = dt.date(2026, 1, 1)

ENGLISH_SPECIAL = {
    "79": ("Ho Chi Minh City", "HCMC", "Saigon", "Ho Chi Minh City, Vietnam"),
    "01": ("Hanoi", "Ha Noi", "Hanoi, Vietnam"),
    "48": ("Da Nang", "Danang"),
    "46": ("Hue", "Hue City"),
    "31": ("Haiphong", "Hai Phong"),
    "92": ("Can Tho", "Cantho"),
}
ABBREVIATED_PROVINCE = {"79": ("TP.HCM", "TP. HCM", "Tp.HCM", "Sài Gòn"), "01": ("TP. Hà Nội", "HN")}


@cache
def _history_for(code: str) -> tuple[tuple[frozenset[str] | None, dt.date, str], ...]:
    return tuple((districts, dt.date.fromisoformat(until), name)
                 for codes, districts, name, until in _HISTORY if code in codes)


def province_as_of(commune: Commune, born: dt.date) -> str:
    """The province name written on a birth registered on `born` (before the July 2025 map)."""
    for districts, until, name in _history_for(commune.province_code):
        if born < until and (districts is None or commune.district_code in districts):
            return name
    return commune.province_full


def place_at_birth(ref: Reference, commune_index: int, born: dt.date, with_district: bool = True) -> str:
    """Commune, district and province as a register wrote them on the day of the birth."""
    commune = ref.communes[commune_index]
    if born >= NEW_MAP_FROM:
        units = ref.new_units_2026 if born >= RESPELLED_FROM else ref.new_units_2025
        unit = units.get(commune.commune_code)
        if unit is not None:
            return f"{unit.commune_full}, {unit.province_full}"
        province = ref.new_province_by_old.get(commune.province_code, commune.province_full)
        return f"{commune.commune_full}, {province}"
    province = province_as_of(commune, born)
    if with_district:
        return f"{commune.commune_full}, {commune.district_full}, {province}"
    return f"{commune.commune_full}, {province}"


def province_today(ref: Reference, commune_index: int) -> str:
    """The province on the 34-province map (what a caseworker writing in 2026 would use)."""
    commune = ref.communes[commune_index]
    unit = ref.new_units_2025.get(commune.commune_code)
    if unit:
        return unit.province_full
    return ref.new_province_by_old.get(commune.province_code, commune.province_full)


_ABBREVIATIONS = (("Thành phố ", "TP. "), ("Tỉnh ", "T. "), ("Xã ", "X. "), ("Phường ", "P. "),
                  ("Quận ", "Q. "), ("Huyện ", "H. "), ("Thị xã ", "TX. "), ("Thị trấn ", "TT. "))


def damage_place(ref: Reference, commune_index: int, born: dt.date, d: Damage) -> str:
    """A place of birth as a source writes it: at birth, today's map, English, abbreviated, partial."""
    if d.hit("place_missing"):
        d.note("place_missing")
        return ""
    if d.hit("place_found_elsewhere"):
        pool = ref.communes_by_province[ref.communes[commune_index].province_code]
        commune_index = int(pool[d.rnd.randrange(len(pool))])
        d.note("place_found_elsewhere")
    commune = ref.communes[commune_index]
    if d.hit("place_english"):
        d.note("place_english")
        return _english(commune, d)
    if born < NEW_MAP_FROM and d.hit("place_current_units"):
        d.note("place_current_units")
        text = place_at_birth(ref, commune_index, TODAY_MAP)
        province = province_today(ref, commune_index)
    else:
        text = place_at_birth(ref, commune_index, born, with_district=True)
        province = text.rsplit(", ", 1)[-1]
    if d.hit("place_province_only"):
        d.note("place_province_only")
        text = province if d.rnd.random() < 0.5 else province.replace("Tỉnh ", "").replace("Thành phố ", "")
    elif text.count(", ") == 2 and d.hit("place_no_district"):
        d.note("place_no_district")
        parts = text.split(", ")
        text = f"{parts[0]}, {parts[2]}"
    if d.hit("place_abbrev"):
        abbreviated = _abbreviate(text, commune.province_code, d)
        if abbreviated != text:
            d.note("place_abbrev")
            text = abbreviated
    return text


TODAY_MAP = dt.date(2026, 6, 30)


def _english(commune: Commune, d: Damage) -> str:
    special = ENGLISH_SPECIAL.get(commune.province_code)
    province = d.rnd.choice(special) if special else d.rnd.choice(
        (f"{commune.province_en} Province", commune.province_en, f"{commune.province_en}, Vietnam"))
    if d.rnd.random() < 0.3:
        return f"{fold(commune.commune_full)}, {province}"
    return province


def _abbreviate(text: str, province_code: str, d: Damage) -> str:
    special = ABBREVIATED_PROVINCE.get(province_code)
    if special:
        for full in ("Thành phố Hồ Chí Minh", "Thành phố Hà Nội"):
            if full in text:
                return text.replace(full, d.rnd.choice(special))
    for full, short in _ABBREVIATIONS:
        text = text.replace(full, short if d.rnd.random() < 0.8 else "")
    return text
