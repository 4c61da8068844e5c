"""Places of birth and registration, resolved to today's province whatever name the record used.

A record from 1995 says "Hà Tây" or "Sông Bé"; one from 2024 says "Bắc Giang"; one from Denmark says
"HCMC". All are places a clerk can put on today's map. Sources (data/SOURCES.md):
- the 63 provinces, districts and communes before 1 July 2025 and the 34 provinces and communes after
  (thanglequoc/vietnamese-provinces-database), the 63 -> 34 merger list and the commune merger links
  (daohoangson/dvhcvn, Decision 19/2025/QĐ-TTg and the National Assembly resolution behind it);
- older names and the wider extent of names still in use ("Lai Châu" before 2004 also held Điện Biên)
  (data/knowledge/historical_provinces.csv: Resolution 15/2008/QH12 for Hà Tây, Resolution
  22/2003/QH11 for the 2004 splits, Wikipedia articles for the 1976-1997 provinces and for the
  Republic of Vietnam's of 1956-1975: Kiến Hòa, Phong Dinh, ...);
- English and abbreviated spellings (data/knowledge/province_aliases.csv);
- the province of a hospital known by a name that holds none (data/knowledge/institutions.csv);
- regions: the six socio-economic regions of the General Statistics Office (data/knowledge/regions.csv,
  as listed in Wikipedia "Provinces of Vietnam"), by pre-2025 province; a new province takes the
  region of the old province whose code it kept (the seat of the new province).
A name that now lies in more than one province ("Hà Sơn Bình": Hà Nội and Phú Thọ) resolves with
province_code "" and the possible current provinces in `candidates`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import IntEnum
from functools import cache, lru_cache
from typing import NamedTuple

from jellyfish import damerau_levenshtein_distance

from linkage.vn._data import read_csv
from linkage.vn.lost_letters import fill_lost_place_letters
from linkage.vn.text import fold, normalize, repair, unmarked

__all__ = ["Place", "resolve_place", "PlaceLevel", "compare_places", "old_provinces", "new_provinces",
           "current_province_of", "as_written_since_reform", "REFORM_DAY"]


@dataclass(frozen=True, slots=True)
class Place:
    province_code: str  # current (34-province, from 1 July 2025) 2-digit code; "" when ambiguous
    old_province_code: str  # pre-2025 (63-province) 2-digit code, "" if the text names no single one
    region: str  # GSO socio-economic region (6): red_river_delta, mekong_delta, ...; "" if unknown
    commune_code: str = ""  # current commune code when the text names a commune unambiguously
    candidates: tuple[str, ...] = ()  # current province codes an old, split-up name may denote
    # pre-2025 commune code when the text names an old commune: the commune of birth itself, even where
    # the 2025 reform shared it out among several current communes (11 % of old communes)
    old_commune_code: str = ""
    # pre-2025 code of the province the text named, where the place lies in a part that has since left
    # it ("Huyện Đăk Glong, Tỉnh Đắk Lắk", written before 2004, lies in Đắk Nông); "" otherwise
    named_code: str = ""
    # the old commune was named without the district that dates an address, by a name a current commune
    # that took it in bears too ("Phường Bạch Mai, Hà Nội"): the text may mean that current commune
    maybe_current: bool = False
    # pre-2025 district code where the text names one district or an old commune (its district): records
    # from abroad often stop at the district ("Ứng Hòa, Hà Sơn Bình")
    district_code: str = ""
    # pre-2025 codes of the provinces an old, split-up name covered ("Sông Bé": Bình Dương and Bình
    # Phước), or a name still in use covered when the record's papers were written ("Đắk Lắk" before
    # 2004, with Đắk Nông: `as_named_on`), where no part of the text tells which
    old_candidates: tuple[str, ...] = ()
    # a part of the country named instead of a province ("North Vietnam", "miền Tây", "the Mekong Delta",
    # "Tây Nguyên"), as an adoptee abroad may only know it: its id in `knowledge/areas.csv`
    area: str = ""


class PlaceLevel(IntEnum):
    SAME_COMMUNE = 0  # same province and the same (current) commune, both named
    SAME = 1  # same old province (or same new one when either lacks the old), commune unknown on a side
    IN_AREA = 2  # a part of the country named on one side (`Place.area`), the other's place within it
    SAME_NOW = 3  # different old names, same current province (Bắc Giang vs Bắc Ninh)
    OTHER_COMMUNE = 4  # same province, both communes (or districts) named, different: a namesake's profile
    OUTSIDE_AREA = 5  # a part of the country named on one side, the other's place outside it
    SAME_REGION = 6
    DIFFERENT = 7
    MISSING = 8


# Administrative words that open a segment, by level (toned; their folded forms match ASCII input).
_PROVINCE_WORDS = (("thành", "phố"), ("tỉnh",), ("tp",), ("thủ", "đô"), ("t", "p"), ("t",))
_DISTRICT_WORDS = (("thị", "xã"), ("quận",), ("huyện",), ("tx",), ("q",), ("h",))
_COMMUNE_WORDS = (("thị", "trấn"), ("xã",), ("phường",), ("đặc", "khu"), ("tt",), ("p",), ("x",))
_ALL_WORDS = _PROVINCE_WORDS + _DISTRICT_WORDS + _COMMUNE_WORDS
# the kind of commune a level word names (ward, rural commune, township), abbreviated or in English: two
# communes of one name in a province are often a ward and a rural commune (Phường and Xã Vạn Phúc, Hà Nội)
_COMMUNE_KINDS = {("thị", "trấn"): "thi tran", ("tt",): "thi tran", ("xã",): "xa", ("x",): "xa",
                  ("phường",): "phuong", ("p",): "phuong", ("đặc", "khu"): "dac khu",
                  ("ward",): "phuong", ("commune",): "xa", ("village",): "xa", ("town",): "thi tran"}
# the kind of district a level word names, which tells districts of one name apart (Quận Tân Phú of Hồ Chí
# Minh City, Huyện Tân Phú of Đồng Nai; Thị xã Sơn Tây of Hà Nội, Huyện Sơn Tây of Quảng Ngãi)
_DISTRICT_KINDS = {("quận",): "quan", ("q",): "quan", ("huyện",): "huyen", ("h",): "huyen",
                   ("thị", "xã"): "thi xa", ("tx",): "thi xa", ("thành", "phố"): "thanh pho",
                   ("tp",): "thanh pho", ("t", "p"): "thanh pho"}
# words that follow a place without changing it: "Da Nang City", "Go Vap Orphanage", "Vietnam"; files
# from abroad translate xã, the rural commune, as "Commune" or "Village" ("Phu Nghia Village, Chuong My")
_ENGLISH_LEVELS = frozenset({"city", "province", "district", "ward", "commune", "village", "town"})
_TRAILING = _ENGLISH_LEVELS | {"vietnam", "hospital", "orphanage", "maternity", "clinic", "center", "centre",
                               "nursery"}
_SPLIT = re.compile(r"[,;\n|]+")
_THE_COUNTRY = frozenset({"", "vn", "vietnam"})  # the keys of a part that names only the country
_SPACED_DASH = re.compile(r"\s+[-–—]\s+")
# a province's first word cut to its initial, the whole of a part of the address: "Q.Ninh", "B. Dương",
# "Đ.Nai, VN" (not "T.Bình Phước", tỉnh Bình Phước: no province is T… Bình Phước)
_ABBREVIATED_PROVINCE = re.compile(r"(?<![^\W\d_])([^\W\d_])\.[ \t]*([^\W\d_]+(?:[ \t]+[^\W\d_]+)?)[ \t]*"
                                   r"(?=[,;|\n]|\s[-–]\s|$)")


def _province_in_full(abbreviated: re.Match[str]) -> str:
    """"Quảng Ninh" for "Q.Ninh": the one province of that initial and those words, else as written."""
    name = _abbreviations().get(fold(abbreviated[1]) + fold(abbreviated[2]).replace(" ", ""))
    return name or abbreviated[0]


@cache
def _abbreviations() -> dict[str, str]:
    """Folded initial and following words ("qninh") -> the province's name, for each name of the 63 and the
    34 provinces that no other shares (H.Giang is Hà Giang or Hậu Giang: none), then of the historical
    ones where no current one is abbreviated alike."""
    tables = ("admin/units_pre2025_63_provinces.csv", "admin/units_2025_34_provinces.csv",
              "admin/units_2026_34_provinces.csv")
    names = {normalize(row["province_name"]) for path in tables for row in read_csv(path)}
    # a historical name still in use (Hậu Giang, 1976-1991) is abbreviated as the current one is
    historical = _by_abbreviation({normalize(row["name"])
                                   for row in read_csv("knowledge/historical_provinces.csv")} - names)
    current = _by_abbreviation(names)
    return {**historical, **current}  # N.Bình: Ninh Bình, not Nghĩa Bình (1976-1989)


def _by_abbreviation(names: set[str]) -> dict[str, str]:
    found: dict[str, set[str]] = defaultdict(set)
    for name in names:
        words = fold(name).split()
        if len(words) >= 2:
            found[words[0][0] + "".join(words[1:])].add(name)
    return {key: next(iter(full)) for key, full in found.items() if len(full) == 1}


# "TT Huế", "TT-Huế", "T.T.Huế": Thừa Thiên Huế shortened; TT alone is a thị trấn (a township), and no
# township is named Huế
_THUA_THIEN_SHORT = re.compile(r"\bt\.?\s*t\.?[\s.\-]*(?=hu[eế]\b)", re.IGNORECASE)
# the numbered wards and districts of the cities in English: "Ward 5, District 3", "Dist. 8"
_ENGLISH_NUMBERED = re.compile(r"\b(ward|district|dist\.?)\s*(\d+)\b", re.IGNORECASE)
_CHUNK = re.compile(r"\d+|[^\W\d_]+")
# a level word written before the name, as files in English, French and German write it ("Commune: Yen
# Thang", "district de Y Yen", "Provinz Nam Dinh"): the part is read with the English word after the name
_FOREIGN_LEVEL_FIRST = re.compile(
    r"(?P<lead>^|[,;|\n]|\s[-–—]\s)(?P<space>\s*)(?P<level>commune|gemeinde|ward|quartier|district|bezirk|kreis"
    r"|arrondissement|province|provinz|city|ville|stadt|village|dorf|hameau|hamlet|town)"
    r"(?:\s*:\s*|\s+(?:de\s+(?:la\s+)?|du\s+|d['’]\s*|of\s+)?)(?P<name>[^\W\d_][^,;|\n]*?)\s*(?=[,;|\n]|\s[-–—]\s|$)",
    re.IGNORECASE)
_IN_ENGLISH = {"gemeinde": "commune", "quartier": "ward", "bezirk": "district", "kreis": "district",
               "arrondissement": "district", "provinz": "province", "ville": "city", "stadt": "city",
               "dorf": "village", "hameau": "village", "hamlet": "village"}
# a form's label naming two levels, the field's value after it ("Xã/Phường: Yên Thắng", "Tỉnh/TP: Nam
# Định"): the first level is kept; and a slash between words parts an address as a comma does ("Xã Yên
# Thắng/Ý Yên/Nam Định"), where a slash between numbers is a house's ("12/3 Lê Lợi")
_LABEL_ALTERNATIVE = re.compile(r"\s*/\s*[^\W\d_]+\.?(?:\s+[^\W\d_]+)?\s*(?=:)")
_WORD_SLASH = re.compile(r"(?<=[^\W\d_])\s*/\s*(?=[^\W\d_])")


def _level_after(found: re.Match[str]) -> str:
    """`_FOREIGN_LEVEL_FIRST`'s part with its level word, in English, after the name."""
    level = found["level"].lower()
    return f"{found['lead']}{found['space']}{found['name']} {_IN_ENGLISH.get(level, level)}"


# what files from abroad write after a place that is no part of it: an institution or an area named
# after it ("Dong Nai Social Protection Center", "… Center No. 1", "Ha Tinh Children's Center", "Hanoi
# area"); a single word ("Orphanage", "City") is `_TRAILING`'s
_NAMED_AFTER_PLACE = re.compile(r"\s+(?:(?:social(?:\s+protection)?|children[’']?s?)\s+"
                                r"(?:cent(?:er|re)|village|home)|area|region|vicinity)(?:\s+no\.?\s*\d+)?\s*$",
                                re.IGNORECASE)


def _words_by_first_token() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Level words by the token they open with, toned and folded (ASCII input matches the folded form),
    in `_ALL_WORDS` order: a segment's opening word is looked up, not searched for."""
    found: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for word in _ALL_WORDS:
        for first in dict.fromkeys((word[0], fold(word[0]))):
            found[first].append(word)
    return {first: tuple(words) for first, words in found.items()}


def _word_match(tokens: list[str], at: int, word: tuple[str, ...], marked: bool = False) -> bool:
    """Whether the level word `word` stands at `at`, written with its marks or without them. A text
    written with marks (`marked`) loses some on the way ("Xa Huong Thuong, Thành phố Thái Nguyen"), but
    beside marks an unmarked "Quan" is the name (Nho Quan, Quan Hóa), not quận."""
    if at + len(word) > len(tokens):
        return False
    for token, expected in zip(tokens[at: at + len(word)], word, strict=True):
        if token != expected and not (token.isascii() and token == fold(expected)
                                      and not (marked and token in _NAME_SYLLABLES)):
            return False
    return True


# level words that, written without marks, are also syllables of place names written so: "Quan"
_NAME_SYLLABLES = frozenset({"quan"})


def _tokens(text: str) -> list[str]:
    """Lowercase canonical tokens with numbers kept ("Phường 5" -> ["phường", "5"])."""
    out = []
    for chunk in _CHUNK.findall(text):
        out.append(str(int(chunk)) if chunk.isdigit() else normalize(chunk))
    return [t for t in out if t]


class Segment(NamedTuple):
    """A part of an address: level is 'province', 'district', 'commune' or '' (not marked); key is
    folded, as the tables are indexed; toned keeps the marks, which tell apart communes whose names fold
    alike (Tân Thành, Tân Thạnh); kind the commune's or the district's kind where a word names it
    (`_COMMUNE_KINDS`, `_DISTRICT_KINDS`)."""

    level: str
    key: str
    toned: str
    kind: str = ""


_OPENING = _words_by_first_token()


def _segments(text: str) -> list[Segment]:
    """The address's segments, in the order written."""
    segments: list[Segment] = []
    marked = not text.isascii()  # level words are written as the rest is: with marks, or without any
    for part in _SPLIT.split(text):
        tokens = " ".join(_tokens(part)).split()
        if len(tokens) > 1 and fold(tokens[-1]) in _ENGLISH_LEVELS:
            # English names the level after the name, so a first word that folds to a Vietnamese level
            # word is the name's own: "Phuong Giao Commune" is Phương Giao, "Tinh Bien Town" Tịnh Biên
            english = _COMMUNE_KINDS.get((fold(tokens[-1]),), "")
            # a district says so ("Long My District", "Ninh Kieu District"): no commune of its name
            level = "district" if fold(tokens[-1]) == "district" else ""
            segments.append(Segment(level, _key(tokens), _key(tokens, folded=False), english))
            continue
        current: list[str] = []
        level = kind = ""
        i = 0
        while i < len(tokens):
            # a level word opens a segment, but never right after another: "Xã Quan Lạn" is the commune
            # Quan Lạn, not a commune and then the district (Quận) Lạn; nor before nothing but a word
            # like "Province": "Ha Tinh Province" is Hà Tĩnh, not Hà and then a province
            opened = bool(level) and not current
            word = None if opened else next(
                (w for w in _OPENING.get(tokens[i], ())
                 if _word_match(tokens, i, w, marked) and _named_after(tokens, i + len(w))), None)
            if word is not None:
                if current:
                    segments.append(Segment(level, _key(current), _key(current, folded=False), kind))
                current = []
                level = ("province" if word in _PROVINCE_WORDS else
                         "district" if word in _DISTRICT_WORDS else "commune")
                written = tuple(map(normalize, word))
                kind = _COMMUNE_KINDS.get(written) or _DISTRICT_KINDS.get(written, "")
                i += len(word)
                continue
            current.append(tokens[i])
            i += 1
        if current:
            segments.append(Segment(level, _key(current), _key(current, folded=False), kind))
    return [segment for segment in segments if segment.key]


def _named_after(tokens: list[str], at: int) -> bool:
    """Whether a name follows position `at`: a word other than those that trail a place ("City")."""
    return not all(map(_trails, tokens[at:]))


def _trails(token: str) -> bool:
    """A word that follows a place without changing it ("City", "Orphanage"), marked or not."""
    return token in _TRAILING or fold(token) in _TRAILING


def _key(tokens: list[str], folded: bool = True) -> str:
    while tokens:
        if _trails(tokens[-1]):
            tokens = tokens[:-1]
        elif len(tokens) > 2 and fold(tokens[-2]) == "viet" and fold(tokens[-1]) == "nam":
            tokens = tokens[:-2]
        else:
            break
    return "".join(t if t.isdigit() or not folded else fold(t) for t in tokens)


def _strip_words(name: str, folded: bool = True) -> str:
    tokens = " ".join(_tokens(name)).split()
    for word in _OPENING.get(tokens[0], ()) if tokens else ():  # the level words, in _ALL_WORDS' order
        if _word_match(tokens, 0, word) and len(tokens) > len(word):
            tokens = tokens[len(word):]
            break
    return _key(tokens, folded)


@cache
def _merges() -> dict[str, str]:
    """Old (63) province code -> current (34) province code."""
    rows = read_csv("admin/province_merges_2025.csv")
    return {r["old_province_code"]: r["new_province_code"] for r in rows}


@cache
def _regions() -> dict[str, str]:
    return {r["old_province_code"]: r["region"] for r in read_csv("knowledge/regions.csv")}


@cache
def area_provinces() -> dict[str, frozenset[str]]:
    """A part of the country (`Place.area`) -> its pre-2025 provinces: those of the regions it spans and
    those its name also covers, as "North Vietnam" covers the north of the 17th parallel."""
    by_region: dict[str, set[str]] = defaultdict(set)
    for code, region in _regions().items():
        by_region[region].add(code)
    return {row["area"]: frozenset().union(*(by_region[r] for r in row["regions"].split(";")),
                                           filter(None, row["also"].split(";")))
            for row in read_csv("knowledge/areas.csv")}


@cache
def _area_names() -> dict[str, str]:
    """A part of the country's name, folded (`_area_key`) -> its id."""
    return {_area_key(row["name"]): row["area"] for row in read_csv("knowledge/area_names.csv")}


# the words around a part of the country's name: "North Vietnam", "the north of Viet Nam", "miền Bắc
# Việt Nam", "Nord du Vietnam", "Mekong Delta region", "near the Central Highlands"
_AREA_WORDS = re.compile(r"\b(?:viet\s*nam|vn|the|of|du|de|des|in|region|vung|area|part|province|tinh|near"
                         r"|around|gan|khu vuc)\b")


def _area_key(text: str) -> str:
    words = _AREA_WORDS.sub(" ", re.sub(r"[^a-z ]", " ", unmarked(text))).split()
    return " ".join(w for w in words if damerau_levenshtein_distance(w, "vietnam") > 1)  # "Viegnam"


def _area_place(text: str) -> Place | None:
    """A part of the country named instead of a province (`Place.area`), None for other text."""
    area = _area_names().get(_area_key(text))
    return Place("", "", "", area=area) if area else None


@cache
def old_provinces() -> dict[str, str]:
    """Pre-2025 code -> official name (63)."""
    rows = read_csv("admin/province_merges_2025.csv")
    return {r["old_province_code"]: r["old_province_name"] for r in rows}


@cache
def new_provinces() -> dict[str, str]:
    """Current code -> official name (34)."""
    return {r["Mã số"]: r["Tên 34 tỉnh sau sáp nhập"] for r in read_csv("admin/province_codes_2025.csv")}


def current_province_of(old_code: str) -> str:
    """The current province an old (63) province now lies in ("" if the code is unknown)."""
    return _merges().get(old_code, "")


REFORM_DAY = dt.date(2025, 7, 1)  # the 34 provinces and the two-level map took effect


def as_written_since_reform(place: Place) -> Place:
    """`place` as a record written on or after `REFORM_DAY` names it: a province named alone by the name
    the merged province kept ("Tuyên Quang", which now holds Hà Giang; "Bắc Ninh", which holds Bắc Giang;
    "TP HCM", Bình Dương) may mean the merged province, so the old one of that name is not held against
    a birth in another of its parts (the province agrees, as for any current name)."""
    if _names_commune(place) or place.district_code or place.old_province_code not in _names_kept():
        return place
    return replace(place, old_province_code="")


HA_NOI = "01"


def as_named_on(place: Place, day: dt.date) -> Place:
    """`place` as a text about `day` (a birth, or the record's writing, then) names it: a province named
    alone by a name that then covered more ("Đắk Lắk" held today's Đắk Nông until 2004, "Đồng Nai" Bà
    Rịa - Vũng Tàu until 1991, "Lai Châu" Điện Biên) may mean any part it covered, as adoption files of
    the 1990s name them and the register names the part since split off."""
    if _names_commune(place) or place.district_code or place.old_candidates:
        return place
    wider = _covered_until().get(place.old_province_code)
    return replace(place, old_candidates=wider[0]) if wider and day.year <= wider[1] else place


@cache
def _covered_until() -> dict[str, tuple[tuple[str, ...], int]]:
    """Old province code -> the old provinces its name once covered, and the last year it covered them,
    for each name still in use that covered more (`knowledge/historical_provinces.csv`)."""
    code_of = {_strip_words(name): code for code, name in old_provinces().items()}
    covered: dict[str, tuple[tuple[str, ...], int]] = {}
    for row in read_csv("knowledge/historical_provinces.csv"):
        codes = tuple(row["successor_old_codes"].split(";"))
        code = code_of.get(_strip_words(row["name"]))
        # whole provinces split off; not a district Hà Nội took in (Mê Linh of Vĩnh Phúc, 2008), which a
        # province's name alone hardly means
        if code in codes and len(codes) > 1 and HA_NOI not in codes:
            last = row["years"].split(";")[-1].split("-")[-1].strip()
            last_year = int(last.split()[-1]) - 1 if last.startswith("before") else int(last)
            covered[code] = (codes, max(last_year, covered.get(code, ((), 0))[1]))
    return covered


@cache
def _names_kept() -> frozenset[str]:
    """Old provinces whose name the province they merged into in 2025, with another, kept."""
    old_names, new_names = old_provinces(), new_provinces()
    return frozenset(old for current, olds in _merged_with_others().items() for old in olds
                     if _strip_words(old_names[old]) == _strip_words(new_names[current]))


@cache
def _names_lost() -> frozenset[str]:
    """Old provinces merged in 2025 into a province called by another's name (Nam Định into Ninh Bình)."""
    return frozenset(old for olds in _merged_with_others().values() for old in olds) - _names_kept()


@cache
def _merged_with_others() -> dict[str, list[str]]:
    """Current (34) province code -> the old (63) provinces merged into it in 2025, where two or more."""
    merged = defaultdict(list)
    for old, current in _merges().items():
        merged[current].append(old)
    return {current: olds for current, olds in merged.items() if len(olds) > 1}


# Province index entries: ("old", code) or ("hist", "c1;c2") for a historical name.
@cache
def _province_index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}

    def add(name: str, entry: tuple[str, str], *, overwrite: bool = False) -> None:
        for key in {_strip_words(name), _key(" ".join(_tokens(name)).split())}:
            if key and (overwrite or key not in index):
                index[key] = entry

    for name, code in _official_names():
        add(name, ("old", code))  # each of the 34 keeps an old name and code
    for row in read_csv("knowledge/historical_provinces.csv"):
        codes = row["successor_old_codes"].split(";")
        add(row["name"], ("old", codes[0]) if len(codes) == 1 else ("hist", ";".join(codes)))
    for row in read_csv("knowledge/province_aliases.csv"):
        add(row["alias"], ("old", row["old_province_code"]), overwrite=True)
    return index


def _official_names() -> Iterator[tuple[str, str]]:
    """(name, province code) for the provinces' official names, before and since 2025, in Vietnamese (short
    and full) and English."""
    for path in ("admin/units_pre2025_63_provinces.csv", "admin/units_2025_34_provinces.csv",
                 "admin/units_2026_34_provinces.csv"):
        for row in read_csv(path):
            for name in (row["province_name"], row["province_full_name"], row["province_name_en"]):
                yield name, row["province_code"]


@cache
def _official_province_names() -> frozenset[str]:
    """The keys of the provinces' official names (`_official_names`)."""
    return frozenset(_strip_words(name) for name, _ in _official_names())


@cache
def _district_index() -> dict[str, dict[str, frozenset[str]]]:
    """District key -> {old province code: district codes} (a key may exist in several provinces, and
    twice in one: Thị xã Cai Lậy and Huyện Cai Lậy)."""
    index: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in read_csv("admin/units_pre2025_63_provinces.csv"):
        for name in (row["district_name"], row["district_full_name"]):
            for key in {_key(" ".join(_tokens(name)).split()), _strip_words(name)}:
                index[key][row["province_code"]].add(row["district_code"])
    return {key: {province: frozenset(codes) for province, codes in by_province.items()}
            for key, by_province in index.items()}


@cache
def _districts_by_kind() -> dict[tuple[str, str], dict[str, frozenset[str]]]:
    """(district kind as `_DISTRICT_KINDS` names it, district key) -> {old province code: district codes}."""
    index: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in read_csv("admin/units_pre2025_63_provinces.csv"):
        kind = _kind_of(row["district_full_name"], _DISTRICT_KINDS)
        index[(kind, _strip_words(row["district_name"]))][row["province_code"]].add(row["district_code"])
    return {key: {province: frozenset(codes) for province, codes in by_province.items()}
            for key, by_province in index.items()}


@cache
def _old_communes() -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """(old province, commune key) -> [(district code, old commune code, name with its marks)]."""
    index: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for row in read_csv("admin/units_pre2025_63_provinces.csv"):
        entry = (row["district_code"], row["commune_code"], _strip_words(row["commune_name"], folded=False))
        for key in {_strip_words(row["commune_full_name"]), _strip_words(row["commune_name"])}:
            index[(row["province_code"], key)].append(entry)
    return dict(index)


def _only_commune_named(key: str) -> str:
    """The old province of the one pre-2025 commune in the country named `key` (folded), "" where none
    or several are (79 % of commune names are one commune's)."""
    return _communes_by_name().get(key, "")


@cache
def _communes_by_name() -> dict[str, str]:
    codes: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for (province, key), entries in _old_communes().items():
        codes[key].update((province, entry[1]) for entry in entries)
    return {key: next(iter(found))[0] for key, found in codes.items() if len(found) == 1}


@cache
def _new_communes() -> dict[tuple[str, str], list[str]]:
    """(current province, commune key) -> [current commune codes], 2025 and 2026 spellings."""
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in ("admin/units_2025_34_provinces.csv", "admin/units_2026_34_provinces.csv"):
        for row in read_csv(path):
            for key in {_strip_words(row["commune_full_name"]), _strip_words(row["commune_name"])}:
                index[(row["province_code"], key)].add(row["commune_code"])
    return {k: sorted(v) for k, v in index.items()}


@cache
def _old_to_new_commune() -> dict[str, tuple[str, ...]]:
    links: dict[str, set[str]] = defaultdict(set)
    for row in read_csv("admin/commune_merges_2025.csv"):
        links[row["old_commune_code"]].add(row["new_commune_code"])
    return {k: tuple(sorted(v)) for k, v in links.items()}


@cache
def _new_commune_old_provinces() -> dict[str, frozenset[str]]:
    """Current commune code -> the pre-2025 provinces its parts came from."""
    sources: dict[str, set[str]] = defaultdict(set)
    for row in read_csv("admin/commune_merges_2025.csv"):
        if row["old_province_code"]:
            sources[row["new_commune_code"]].add(row["old_province_code"])
    return {k: frozenset(v) for k, v in sources.items()}


def _commune(old_code: str, new_code: str, districts: frozenset[str] | None,
             segment: Segment) -> tuple[str, str | None, str]:
    """(current commune code, old province it lies in when the commune tells, old commune code) for a
    commune named in the text; ("", None, "") when the data is ambiguous.

    Without a district, "Xã Tân Phú, Tỉnh Vĩnh Long" may be an old address (Tân Phú of the old Vĩnh
    Long) or a current one (the Tân Phú that was Bến Tre's, now in Vĩnh Long): where no part of the old
    commune of that name went into the current commune of that name, the marks decide if they tell the
    two apart (Phước Thạnh, Phước Thành), and otherwise the commune is not known. But "Xã Yên Thắng, Tỉnh
    Nam Định" is old: since 2025 the province of the Yên Thắng it could be is called Ninh Bình, and Nam
    Định is no province's name."""
    _, commune_key, toned, kind = segment
    old_reading = None
    if old_code:
        hits = _old_communes().get((old_code, commune_key), [])
        if districts is not None:
            hits = [h for h in hits if h[0] in districts]
        if len(hits) > 1 and toned != commune_key:  # written with marks: they tell folded namesakes apart
            hits = [h for h in hits if h[2] == toned] or hits
        if len(hits) > 1 and kind:  # so does the kind: Phường Vạn Phúc (Hà Đông), Xã Vạn Phúc (Thanh Trì)
            hits = [h for h in hits if _old_commune_kinds().get(h[1]) == kind] or hits
        if len(hits) > 1:  # several old communes of that name ("Xa Duc Long, Cao Bang"): not the current one
            return "", None, ""
        if hits:
            new = _old_to_new_commune().get(hits[0][1], ())
            old_reading = (new[0] if len(new) == 1 else ""), None, hits[0][1]
            if districts is not None:
                return old_reading
    new_reading = None
    if districts is None and new_code:
        new_hits = _new_communes().get((new_code, commune_key), [])
        if len(new_hits) > 1 and toned != commune_key:  # Cẩm Giàng and Cẩm Giang, both in Hải Phòng
            new_hits = [h for h in new_hits if _new_commune_names().get(h) == toned] or new_hits
        if len(new_hits) > 1 and kind:
            new_hits = [h for h in new_hits if _new_commune_kinds().get(h) == kind] or new_hits
        if len(new_hits) == 1:
            # A post-2025 address: the province name may be the merged one (Lâm Đồng now holds Bình
            # Thuận); the commune's own history says which old province it was in.
            olds = _new_commune_old_provinces().get(new_hits[0], frozenset())
            new_reading = new_hits[0], next(iter(olds)) if len(olds) == 1 else "", ""
    if old_reading and new_reading and new_reading[0] not in _old_to_new_commune().get(old_reading[2], ()):
        if old_code in _names_lost():  # a province 2025 merged under another's name: no address since
            return old_reading         # names it
        old_toned = hits[0][2] == toned
        new_toned = _new_commune_names().get(new_reading[0]) == toned
        if toned == commune_key or old_toned == new_toned:
            return "", None, ""
        return old_reading if old_toned else new_reading
    return old_reading or new_reading or ("", None, "")


@cache
def _old_commune_names() -> dict[str, str]:
    """Old commune code -> its name with its marks, without the level word."""
    return {row["commune_code"]: _strip_words(row["commune_name"], folded=False)
            for row in read_csv("admin/units_pre2025_63_provinces.csv")}


def _commune_kinds(*paths: str) -> dict[str, str]:
    """Commune code -> its kind, as `_COMMUNE_KINDS` names it, from the level word its full name opens
    with."""
    return {row["commune_code"]: _kind_of(row["commune_full_name"], _COMMUNE_KINDS)
            for path in paths for row in read_csv(path)}


def _kind_of(full_name: str, kinds: dict[tuple[str, ...], str]) -> str:
    """The kind (`_COMMUNE_KINDS`, `_DISTRICT_KINDS`) of the level word an official full name opens with."""
    words = tuple(normalize(full_name).split())
    return next((kind for word, kind in kinds.items() if words[:len(word)] == word), "")


@cache
def _old_commune_kinds() -> dict[str, str]:
    return _commune_kinds("admin/units_pre2025_63_provinces.csv")


@cache
def _new_commune_kinds() -> dict[str, str]:
    return _commune_kinds("admin/units_2025_34_provinces.csv", "admin/units_2026_34_provinces.csv")


@cache
def _new_commune_names() -> dict[str, str]:
    """Current commune code -> its name with its marks, without the level word."""
    return {row["commune_code"]: _strip_words(row["commune_name"], folded=False)
            for path in ("admin/units_2025_34_provinces.csv", "admin/units_2026_34_provinces.csv")
            for row in read_csv(path)}


def _place(old_code: str) -> Place:
    return Place(current_province_of(old_code), old_code, _regions().get(old_code, ""))


# where a child was found or cared for, not born: its district is no district of birth. A pagoda (chùa)
# opens its name: Tủa Chùa is a district of Điện Biên
_AN_INSTITUTION = re.compile(r"\b(?:orphanage|hospital|cent(?:er|re)|nursery|maternity|clinic|pagoda|church"
                             r"|co nhi vien|benh vien|bv|trung tam|lang tre|nha tre|(?<![^\W\d_] )chua"
                             r"|nha tho|tram y te|truoc cong|truoc cua)\b")


# where a child was cared for, never where it was born (a foundling's birthplace is where it was found):
# an orphanage, a centre that takes children in (not a health centre: "Trung tâm y tế" is a hospital)
_CARED_FOR = re.compile(r"\b(?:orphanage|orphelinat|waisenhaus|weeshuis|children s (?:home|village)|nursery"
                        r"|(?:protection|welfare|social|care) cent(?:er|re)|co nhi vien|nha mo coi|mai am"
                        r"|trung tam (?:bao tro|nuoi duong|cong tac xa hoi)|lang tre)\b")

# found at its gate or door ("Trước cổng Trung tâm Bảo trợ xã hội"): where the foundling was born, by law
_FOUND_AT = re.compile(r"\b(?:truoc (?:cong|cua)|(?:at|outside) the (?:gate|door)|found)\b")


@lru_cache(maxsize=1 << 16)
def resolve_place(text: str) -> Place | None:
    """Resolve a written place (province, or an address ending in one) to a Place; None if unknown.
    The district of an institution's address (an orphanage, a hospital, a pagoda's gate) is not kept: a
    file gives it for the birthplace, which it seldom is; nor the commune of a place that cares for
    children ("Tam Binh Orphanage": the ward Tam Bình, where the child was brought, not born)."""
    place = _resolve_place(text)
    if place is None or not (place.district_code or _names_commune(place)):
        return place
    unmarked_text = " ".join(unmarked(repair(text)).split())
    if _names_commune(place) and _CARED_FOR.search(unmarked_text.replace("'", " ")) \
            and not _FOUND_AT.search(unmarked_text):
        return replace(place, district_code="", commune_code="", old_commune_code="", maybe_current=False)
    if place.district_code and _AN_INSTITUTION.search(unmarked_text):
        return replace(place, district_code="")
    return place


# what a place is called now, written beside what it was ("Hà Giang (nay là Tuyên Quang)", "Hà Tây, nay
# thuộc Hà Nội", "Ha Tay (now Hanoi)"): bare "nay" only after a bracket, comma or dash (Nay is a Jarai name)
_NOW_NAMED = re.compile(r"(?:(?:[(\[,;]|\s[-–—])?\s*(?<!\w)(?:(?:hi[ệe]n\s+)?nay\s+(?:l[àa]|thu[ộo]c)"
                        r"|b[âa]y\s+gi[ờo]\s+l[àa]|now(?:\s+(?:part\s+of|in|called))?|today|heute"
                        r"|aujourd['’]hui|actuellement)|(?:[(\[,;]|\s[-–—])\s*nay)(?!\w)\s*:?", re.IGNORECASE)
# a name marked as a former one: "Hà Tây (cũ)", "tỉnh Hà Giang cũ" (the 2025 reform made every district
# and 29 provinces former ones), "Ha Tay (old)"; "cu" without its mark only in brackets (Củ Chi, Cư Jút)
_FORMER = re.compile(r"\s*[(\[]\s*(?:cũ|cu|old|former|ancien(?:ne)?|ehemals|ehem\.?|trước\s+đây|truoc\s+day)"
                     r"\s*[)\]]|(?<!\w)cũ(?!\w)", re.IGNORECASE)


def _as_it_was(text: str) -> tuple[str, str]:
    """(the place as the text names it when it was, what the text says it is called now, or "")."""
    text = _FORMER.sub(" ", text)
    now = _NOW_NAMED.search(text)
    if now is None:
        return text, ""
    rest = text[now.end():]
    closing = re.search(r"[)\]]", rest) if now[0].lstrip()[:1] in "([" else None
    if closing is None:
        return text[:now.start()], rest
    return text[:now.start()] + rest[closing.end():], rest[:closing.start()]


def _resolve_place(text: str) -> Place | None:
    """`resolve_place`, the district kept. A place written as it was and as it is now ("Hà Giang (nay là
    Tuyên Quang)") is the place it was, the old province that a register of the time recorded; the name
    it has now places the record where the old one cannot."""
    was, now = _as_it_was(repair(text or ""))
    place = _read_place(was) if was.strip() else None
    return place or (_read_place(now) if now.strip() else None)


def _read_place(text: str) -> Place | None:
    """`_resolve_place` of a place written once.

    Vietnamese hands often part an address with dashes ("Xã Tân Sỏi - Yên Thế - Bắc Giang"), which
    official names hold too ("Bà Rịa - Vũng Tàu", "Phường Phương Liên - Trung Tự", kept whole): read in
    parts, an address that finds a commune in the province the whole names, or where the whole finds
    none, is taken so, since read whole its words run on across the dashes ("Xã Thanh Sơn - Huyện Nho
    Quan - …" had Quan open a district; "X. Phú Lý - H. Vĩnh Cửu - Đồng Nai" was Phủ Lý, Hà Nam's city)."""
    text = _THUA_THIEN_SHORT.sub("Thừa Thiên ", fill_lost_place_letters(text))
    text = _ENGLISH_NUMBERED.sub(lambda m: ("P." if m[1].lower() == "ward" else "Q.") + m[2], text)
    text = _WORD_SLASH.sub(", ", _LABEL_ALTERNATIVE.sub("", text))
    text = _FOREIGN_LEVEL_FIRST.sub(_level_after, text)
    text = _ABBREVIATED_PROVINCE.sub(_province_in_full, text)
    text = _NAMED_AFTER_PLACE.sub("", text)
    if text.strip().isdigit():
        # a number alone is a province's code, as registers and their exports store one (01 Hà Nội, 79 Hồ
        # Chí Minh City): not Quận 1, which only a word before it ("Q1", "Quận 1") says
        code = text.strip().zfill(2)
        return _place(code) if code in old_provinces() else None
    place = _resolved(text)
    if _SPACED_DASH.search(text):
        parted = _resolved(_SPACED_DASH.sub(_part_unless_official, text))
        if parted is not None and _names_commune(parted) and (
                place is None or parted.province_code == place.province_code or not _names_commune(place)):
            return parted
    if place is not None and (respelt := _misspelt_province(text, misspelt_only=True)) is not None \
            and respelt.old_province_code != place.old_province_code:
        return respelt  # "Thanh Hoa, Lont An": Thạnh Hóa of Long An, not Thanh Hóa province
    if place is None or not (place.district_code or _names_commune(place)):
        place = _largest_first(text) or place
    return place or _institution_place(text) or _misspelt_province(text) or _area_place(text)


def _largest_first(text: str) -> Place | None:
    """An address written from the province down ("Tỉnh Nam Định, Huyện Ý Yên, Xã Yên Thắng", "Nam Định -
    Ý Yên - Yên Thắng"), as forms list their fields and a register's export joins its columns, read the
    usual way round. Only where its first part is a province's official name (not a city's, a hospital's:
    "Tu Du Hospital, Saigon" names no ward Sài Gòn), and turned round it finds a district or a commune
    of that province ("Hà Nội, Ba Đình, Điện Biên": the ward, not the province)."""
    parts = [part for part in _parts_before_the_country(text) if part.strip()]
    if len(parts) < 2 or _strip_words(parts[0]) not in _official_province_names():
        return None
    first, turned = _resolved(parts[0]), _resolved(", ".join(reversed(parts)))
    if first is None or turned is None or turned.old_province_code != first.old_province_code \
            or not (turned.district_code or _names_commune(turned)):
        return None
    return turned


def _parts_before_the_country(text: str) -> list[str]:
    """The address's parts (commas, and dashes that part it), without the country after them (", Việt
    Nam", ", VN")."""
    parts = _SPLIT.split(_SPACED_DASH.sub(_part_unless_official, text))
    while parts and _key(" ".join(_tokens(parts[-1])).split()) in _THE_COUNTRY:
        parts.pop()
    return parts


def _misspelt_province(text: str, misspelt_only: bool = False) -> Place | None:
    """An address that nothing else placed, read with its last part as the one province name a single
    edit away (a letter wrong, lost, added or two swapped: "Vinh Phux", "Tirn Giang", "Ho Ch Minh", "OLNG
    AN PROVINCE"), its level word too ("Bac Ninh provnice"). Names of five letters or more only: shorter
    ones lie an edit from too much; and the first letter as written, or the first two swapped: a word of
    the address is more often whole before it than cut at its start ("Nhà Nam" is no Hà Nam).
    `misspelt_only`: None where the last part is a province's name as written, or a district's or a
    commune's that no earlier part confirms the province of ("Huyện Gia Lâm" is Hà Nội's, not Gia Lai
    misspelt; "Hoằng Hóa - Thanh Ha" is Thanh Hóa's district, not Thanh Hà of Hải Dương)."""
    parts = _parts_before_the_country(text)
    if not parts:
        return None
    *before, last = parts
    tokens = " ".join(_tokens(last)).split()
    while tokens and (_trails(tokens[-1]) or len(tokens[-1]) >= 6
                      and damerau_levenshtein_distance(fold(tokens[-1]), "province") <= 2):
        tokens.pop()
    written = _strip_words(" ".join(tokens)) if tokens else ""
    if len(written) < 5 and tokens:  # a level word's letters opening the name: "Quan Nam" (Quảng Nam)
        written = _key(tokens)
    if len(written) < 5 or (misspelt_only and written in _province_index()):
        return None
    near = _provinces_a_slip_from(written)
    respelt = _resolved(", ".join([*before, near])) if near else None
    if misspelt_only and respelt is not None and written in _district_and_commune_keys() \
            and not (respelt.district_code or _names_commune(respelt)):
        return None
    return respelt


@cache
def _district_and_commune_keys() -> frozenset[str]:
    """The keys of every pre-2025 district's and commune's name."""
    return frozenset(_district_index()) | frozenset(key for _, key in _old_communes())


@lru_cache(maxsize=1 << 14)
def _provinces_a_slip_from(written: str) -> str | None:
    """The province name `written` is, or is one slip from, where it names one province so."""
    index = _province_index()
    near = {written} if written in index else {key for key in index if _one_slip_apart(key, written)}
    entries = {index[key] for key in near}
    old = [entry for entry in entries if entry[0] == "old"]
    former = [entry for entry in entries if entry[0] == "hist"]
    if len(old) == 1 and len(former) == 1 and old[0][1] in former[0][1].split(";"):
        # a province and the former one that held it ("Vinh Phux": Vĩnh Phúc, or Vĩnh Phú until 1997):
        # the former one, true either way
        entries, near = {former[0]}, {key for key in near if index[key] == former[0]}
    return min(near) if len(entries) == 1 else None


def _one_slip_apart(name: str, written: str) -> bool:
    """One edit apart, both of five letters or more, the first letter kept (or the first two swapped)."""
    return len(name) >= 5 and abs(len(name) - len(written)) <= 1 \
        and (name[0] == written[0] or name[:2] == written[1::-1]) \
        and damerau_levenshtein_distance(name, written) == 1


def _names_commune(place: Place) -> bool:
    """Whether a commune was found: a current one, or an old one 2025 shared out among several."""
    return bool(place.commune_code or place.old_commune_code)


def _institution_place(text: str) -> Place | None:
    """The province of a hospital known by a name that holds none ("Bệnh viện Từ Dũ", "BV Bạch Mai",
    "Tu Du Hospital"), as adoption files give a birthplace; the hospital's word must stand beside the
    name: Hùng Vương is a street in every city."""
    folded = " ".join(fold(text).split())
    found = _institution_pattern().search(folded)
    return _place(_institutions()[found[1] or found[2]]) if found else None


@cache
def _institutions() -> dict[str, str]:
    """Folded hospital name -> old province code (`knowledge/institutions.csv`)."""
    return {" ".join(fold(row["name"]).split()): row["old_province_code"]
            for row in read_csv("knowledge/institutions.csv")}


@cache
def _institution_pattern() -> re.Pattern[str]:
    names = "|".join(sorted(map(re.escape, _institutions()), key=len, reverse=True))
    return re.compile(rf"\b(?:benh vien|bv|hospital|nha bao sanh)(?: phu san| nhi)? ({names})\b"
                      rf"|\b({names})(?: children s| maternity)? hospital\b")


def _part_unless_official(dash: re.Match[str]) -> str:
    """A comma for a dash that parts an address; the dash itself inside an official name."""
    after = fold(dash.string[dash.end():]).lower()
    return dash.group(0) if after.startswith(_dashed_name_tails()) else ", "


@cache
def _dashed_name_tails() -> tuple[str, ...]:
    """What follows the dash in the official names that hold one, folded: "vung tau", "trung tu"."""
    tails = set()
    for path in ("admin/units_pre2025_63_provinces.csv", "admin/units_2025_34_provinces.csv",
                 "admin/units_2026_34_provinces.csv"):
        for row in read_csv(path):
            for name in row.values():
                for dash in _SPACED_DASH.finditer(name or ""):
                    tails.add(" ".join(fold(name[dash.end():]).lower().split()[:2]))
    return tuple(sorted(tails))


def _resolved(text: str) -> Place | None:
    segments = _segments(text)
    if not segments:
        return None
    index = _province_index()
    province_at = None
    entry = None
    for i in range(len(segments) - 1, -1, -1):
        level, key = segments[i].level, segments[i].key
        if level in ("", "province") and key in index:
            province_at, entry = i, index[key]
            break
    if entry is None:
        # No province named: a district name unique in the country still places the record, written
        # with a city's word too ("Phường Linh Trung, TP Thủ Đức": thành phố names both levels)
        for i in range(len(segments) - 1, -1, -1):
            level, key = segments[i].level, segments[i].key
            provinces = _district_index().get(key, {})
            if len(provinces) > 1 and segments[i].kind:  # "Quận Tân Phú": the kind tells which
                provinces = _districts_by_kind().get((segments[i].kind, key), provinces)
            if level != "commune" and len(provinces) == 1:
                old = next(iter(provinces))
                # (its district not kept: a provincial city, Biên Hòa, Pleiku, may stand for its province)
                return replace(_with_commune(_place(old), segments[:i], provinces[old]), district_code="")
        # nor a district: a commune said to be one ("Trạm y tế xã Kỳ Giang", as a health station is
        # named) whose name no other commune in the country bears
        for i in range(len(segments) - 1, -1, -1):
            old = _only_commune_named(segments[i].key) if segments[i].level == "commune" else ""
            if old:
                return _with_commune(_place(old), segments[:i + 1], None)
        return _named_last(text)
    kind, value = entry
    before = segments[:province_at]
    if kind == "hist":
        codes = value.split(";")
        # a district (and commune) inside a province that was later split names the part it lies in
        inside = [c for c in codes if before and _district_of(before, c) is not None]
        if len(inside) == 1:
            return _commune_in(_place(inside[0]), before)
        if before and not inside:  # and so does a commune, without its district, that only one part has
            found = [place for c in codes if _names_commune(place := _commune_in(_place(c), before))]
            if len(found) == 1:
                return found[0]
        current = sorted({current_province_of(c) for c in codes})
        regions = {_regions()[c] for c in codes}
        region = regions.pop() if len(regions) == 1 else ""
        if len(current) == 1:
            return Place(current[0], "", region or _regions().get(current[0], ""))
        return Place("", "", region, "", tuple(current), old_candidates=tuple(codes))
    place = _commune_in(_place(value), before)
    if before and not _names_commune(place):
        moved = _in_former_extent(segments[province_at].key, value, before)
        if moved is not None:
            return replace(moved, named_code=value)
        # a district said to be one that neither the province nor what it covered knows (Từ Liêm, split
        # in 2013; a misspelt one) is passed over: the commune before it is still the province's. So is
        # a part no level word opens that names nothing of the province, after another ("Đá Bạc, Châu
        # ĐĐức, Bà Rịa - Vũng Tàu": a district misspelt, read as a commune no one knows)
        unknown = before[-1].level == "district" or (
            before[-1].level == "" and len(before) > 1 and _district_of(before, value) is None
            and before[-1].key not in _province_index())  # "Hiep Duc, Quang Nam - Da Nang": a province
        past = _with_commune(place, before[:-1], None) if unknown else place
        return past if _names_commune(past) else place
    if len(before) > 1 and before[-1].level == "" and _district_of(before, value) is None:
        # the part before the province read as its commune leaves the part before that unread; where
        # it names a district in what else the province covers, that district holds the commune:
        # "Phước Hảo, Châu Thành, Vĩnh Long" is Trà Vinh's Châu Thành, not Vĩnh Long's Xã Châu Thành
        moved = _in_former_extent(segments[province_at].key, value, before)
        if moved is not None and _names_commune(moved) and _district_of(before, moved.old_province_code):
            return replace(moved, named_code=value)
    return place


_TWO_WORD_LEVELS = frozenset({("thi", "xa"), ("thi", "tran"), ("thanh", "pho"), ("dac", "khu")})  # not "xã …"


def _named_last(text: str) -> Place | None:
    """The place an institution's name ends in, where nothing else names one: "Làng trẻ em SOS Đà Nẵng",
    "Bệnh viện Phụ sản Hà Nội", "Cô nhi viện Gò Vấp", "Holt Center Saigon". Two words at least, or a
    province's name written as one long word (Saigon, Hanoi): one short word ("Vinh", "Nam") is too
    often part of another name. Nor is a river's name a place ("Đồng bằng sông Cửu Long", the Mekong
    Delta, is no province Cửu Long)."""
    for part in reversed(_SPLIT.split(text)):
        tokens = " ".join(_tokens(part)).split()
        for start in range(1, len(tokens) - 1):
            if fold(tokens[start - 1]) == "song" or \
                    (fold(tokens[start - 1]), fold(tokens[start])) in _TWO_WORD_LEVELS:
                continue
            place = resolve_place(" ".join(tokens[start:]))
            if place is not None and not place.area:  # "Nam Trung Bộ" is no "Trung Bộ"
                return place
        last = tokens[-1] if len(tokens) > 1 else ""
        if len(last) >= 5 and _key([last]) in _province_index():
            return resolve_place(last)
    return None


@cache
def _former_extents() -> dict[str, tuple[str, ...]]:
    """Province key -> the old provinces a name still in use once covered: "Tỉnh Lai Châu" before 2004
    also held today's Điện Biên, and birth registers keep the name of the day."""
    extents: dict[str, tuple[str, ...]] = {}
    for row in read_csv("knowledge/historical_provinces.csv"):
        codes = tuple(row["successor_old_codes"].split(";"))
        if len(codes) > 1:
            for key in {_strip_words(row["name"]), _key(" ".join(_tokens(row["name"])).split())}:
                extents[key] = codes
    return extents


def _in_former_extent(key: str, named: str, before: list[Segment]) -> Place | None:
    """The place in another part of what the province's name covers or once covered, when the
    district (or, without one, the commune) is found there and nowhere else, and not in the named old
    province itself (where a commune's name may only be ambiguous: Tân Lập, Đắk Lắk).

    A name once covered more ("Tỉnh Lai Châu" before 2004 held today's Điện Biên), or covers more since
    2025: "Xã Phước Hảo, Huyện Châu Thành, Tỉnh Vĩnh Long" is an old commune of Trà Vinh under the name
    of the province Trà Vinh merged into, as those who renew an address write it."""
    commune_named = before[-1].level in ("", "commune") and (named, before[-1].key) in _old_communes()
    if _district_of(before, named) is not None or commune_named:
        return None
    merged = [old for old, current in _merges().items() if current == named]
    others = sorted({*_former_extents().get(key, ()), *merged} - {named})
    inside = [c for c in others if _district_of(before, c) is not None]
    if len(inside) > 1:  # a district name several shared (Châu Thành): the commune in it tells which
        inside = [c for c in inside if _commune_in(_place(c), before).old_commune_code] or inside
    if not inside:
        inside = [c for c in others if _with_commune(_place(c), before, None).old_commune_code]
    return _commune_in(_place(inside[0]), before) if len(inside) == 1 else None


def _district_of(before: list[Segment], old_code: str) -> frozenset[str] | None:
    """The district codes of the segment before the province, if it names one of that province. A
    provincial city is written with a province word ("Thành phố Cà Mau, Tỉnh Cà Mau"), so any level
    but a commune's may name the district."""
    if not before or before[-1].level == "commune":
        return None
    districts = _district_index().get(before[-1].key, {}).get(old_code)
    if districts is not None and len(districts) > 1 and before[-1].kind:
        # the level word tells which: Huyện Cao Lãnh, not Thành phố Cao Lãnh
        return _districts_by_kind().get((before[-1].kind, before[-1].key), {}).get(old_code, districts)
    return districts


def _commune_in(place: Place, before: list[Segment]) -> Place:
    district = _district_of(before, place.old_province_code)
    if district is not None:
        before = before[:-1]
    return _with_commune(place, before, district)


def _with_commune(place: Place, before: list[Segment], districts: frozenset[str] | None) -> Place:
    """`place` with the commune `before` names in it, and its district: the district named, where no
    commune is, or the commune's own. A commune named but not found in the district named leaves the
    district unknown: the address may predate a change of districts (Bồ Đề, "Huyện Gia Lâm" until 2003,
    is in Long Biên)."""
    named_district = next(iter(districts)) if districts is not None and len(districts) == 1 else ""
    if not before or before[-1].level not in ("", "commune"):
        return replace(place, district_code=named_district)
    code, old, old_commune = _commune(place.old_province_code, place.province_code, districts, before[-1])
    if not code and not old_commune:
        # what stands before the district names no one commune of it: a foundling's spot ("Trước cổng
        # chùa", "Gốc cây ven đường"), a misspelt commune, or one of two of that name (Thị trấn and Xã Mỹ
        # Thọ, Huyện Cao Lãnh). The district stands, unless the province has a commune of that name
        # elsewhere: then the address may predate a change of districts
        elsewhere = districts is not None and any(
            _commune(place.old_province_code, place.province_code, None, before[-1]))
        return place if elsewhere else replace(place, district_code=named_district)
    # an old commune named without its district, under the name of the current commune it went into
    maybe_current = bool(old_commune) and districts is None and bool(code) \
        and _new_commune_names().get(code) == _old_commune_names().get(old_commune)
    district = named_district if maybe_current else _old_commune_districts().get(old_commune, named_district)
    if old is None or old == place.old_province_code:
        return Place(place.province_code, place.old_province_code, place.region, code,
                     old_commune_code=old_commune, maybe_current=maybe_current, district_code=district)
    region = _regions().get(old, "") if old else place.region
    return Place(place.province_code, old, region, code, old_commune_code=old_commune,
                 maybe_current=maybe_current, district_code=district)


@cache
def _old_commune_districts() -> dict[str, str]:
    """Old commune code -> the code of the district it lay in."""
    return {row["commune_code"]: row["district_code"]
            for row in read_csv("admin/units_pre2025_63_provinces.csv")}


def named_alike(a: Place, b: Place) -> bool:
    """`a` names a province only, and `b`'s text named that province too, for a place in a part that has
    since left it: a trace request's "Lai Châu" and the register's "Xã Thanh An, Huyện Điện Biên, Tỉnh
    Lai Châu" (1995, before Điện Biên left) say the same."""
    return bool(a.old_province_code) and not (a.commune_code or a.old_commune_code) \
        and b.named_code == a.old_province_code


def _covers(a: Place, b: Place) -> bool:
    """`a` is an old, split-up province by the name it had ("Sông Bé", "Nghệ Tĩnh", "Bình Trị Thiên") and
    `b` lies in one of its parts: the same province of birth, named as it was then."""
    return bool(b.old_province_code) and b.old_province_code in a.old_candidates


def _old_only(place: Place) -> bool:
    """The place lies in a province 2025 merged into another, whose name is not the merged one's: Trà Vinh
    and Bến Tre, two provinces of birth, are Vĩnh Long's since; "Vĩnh Long" may mean either."""
    return bool(place.old_province_code) and place.old_province_code != place.province_code


def _in_area(a: Place, b: Place) -> PlaceLevel:
    """IN_AREA where the part of the country one side names holds the other's old province (or both
    name parts that overlap), OUTSIDE_AREA where it does not, MISSING where the other's is not known."""
    provinces_a, provinces_b = (area_provinces()[place.area] if place.area
                                else {place.old_province_code} - {""} for place in (a, b))
    if not (provinces_a and provinces_b):
        return PlaceLevel.MISSING
    return PlaceLevel.IN_AREA if provinces_a & provinces_b else PlaceLevel.OUTSIDE_AREA


def compare_places(a: Place | None, b: Place | None) -> PlaceLevel:
    """Same commune, same old province, same current province under another old name (where one name
    may be the current province's: two old provinces merged in 2025 are two provinces of birth), same
    province but another commune, same region, different. An old name for several of today's provinces
    ("Sông Bé") is the same province as a place in one of its parts. A part of the country named instead
    of a place ("North Vietnam": `Place.area`) holds the other place or not (`_in_area`).

    Communes agree by their old code where both sides name the same old one, and differ where both name
    old ones that differ (Yên Trị and Ngọc Lương, one commune since 2025, were two communes of birth),
    unless a side's name may be the current commune's (`Place.maybe_current`); else they are compared by
    their current code (an old commune name maps to the commune it was merged into), so only when both
    sides name one: a province alone says nothing about the commune. Two districts named, and different,
    are two communes too ("Ứng Hòa" against a commune of Phúc Thọ). Two people of the same name and year
    in one province are namesakes far more often when their communes differ.
    """
    if a is None or b is None:
        return PlaceLevel.MISSING
    if a.area or b.area:
        return _in_area(a, b)
    same_province = False
    if a.old_province_code and b.old_province_code:
        same_province = a.old_province_code == b.old_province_code
    elif a.province_code and a.province_code == b.province_code:
        same_province = True
    if same_province:
        if a.old_commune_code and a.old_commune_code == b.old_commune_code:
            return PlaceLevel.SAME_COMMUNE  # the same commune of birth, however 2025 shared it out
        if a.old_commune_code and b.old_commune_code and not (a.maybe_current or b.maybe_current):
            return PlaceLevel.OTHER_COMMUNE  # two communes of birth, however 2025 merged them
        if a.commune_code and b.commune_code:
            return PlaceLevel.SAME_COMMUNE if a.commune_code == b.commune_code else PlaceLevel.OTHER_COMMUNE
        if a.district_code and b.district_code and a.district_code != b.district_code:
            return PlaceLevel.OTHER_COMMUNE  # two districts: two communes, whether named or not
        # an old name may also be a current one (Phường Bạch Mai took in Minh Khai in 2025): old codes
        # that differ say nothing unless the current communes differ too
        return PlaceLevel.SAME
    if named_alike(a, b) or named_alike(b, a) or _covers(a, b) or _covers(b, a):
        return PlaceLevel.SAME
    if a.province_code and a.province_code == b.province_code and not (_old_only(a) and _old_only(b)):
        return PlaceLevel.SAME_NOW
    a_now = set(a.candidates) | ({a.province_code} - {""})
    b_now = set(b.candidates) | ({b.province_code} - {""})
    if (a.candidates or b.candidates) and a_now & b_now:
        return PlaceLevel.SAME_NOW  # an old split-up name that covers the other place today
    if a.region and a.region == b.region:
        return PlaceLevel.SAME_REGION
    return PlaceLevel.DIFFERENT
