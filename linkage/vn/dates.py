"""Dates as source systems write them, with their precision kept, and comparison levels.

Formats read: ISO (2001-05-03, 2001-05, 2001, 20010503), dd/mm/yyyy and its variants (- . space, 03052001),
mm/dd/yyyy when the second number cannot be a month (records from abroad), mm/yyyy, year only,
Vietnamese words ("ngày 3 tháng 5 năm 2001", "3 tháng 5 năm 2001", "tháng 5/2001", "năm 2001"),
month names as adoption files written abroad use them ("May 3, 2001", "Sept 2001"; day first also in
French, Italian, Spanish, German, Dutch and the Scandinavian languages: "3 mai 2001", "3. März 2001";
Roman numerals: "3.V.2001"), dates their writer was unsure of ("1990 hoặc 1991", "cuối năm 1990",
"khoảng tháng 5/2001", "Summer 2001", "dịp Tết 2001", "the 1990s", "3/5/2001 or 4/5/2001": windows),
the year's name in the sixty-year cycle beside it ("2001 (Tân Tỵ)", read past), an unknown day or
month written as zeros ("00/00/1995"), lunar-calendar dates ("05/03/1995 (âm lịch)", a window of solar
dates), approximate years ("khoảng năm 1995", "~1995", "1995?") and estimated ages of abandoned
children ("khoảng 2 tháng tuổi", "ước 4 tháng tuổi", "10 ngày tuổi", "sơ sinh", "about 3 months old")
and stated ages ("aged 27", "27 y/o"), which become a range of birth dates counted back from the day
the record was written. Labels around a date ("ngày sinh:", "DOB", "SN") are dropped. An ambiguous
03/05/2001 is read day first, as Vietnam writes it; the comparison then offers SWAPPED for records that
read it the other way.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from typing import TypeVar

from linkage.vn.text import repair, unmarked

__all__ = ["Precision", "PartialDate", "parse_date", "DateLevel", "compare_dates", "WITHIN_DAYS"]

MIN_YEAR, MAX_YEAR = 1850, 2100
WITHIN_DAYS = 7  # "within a few days": typing errors and registration-day confusion
Years = TypeVar("Years")  # a year, or a numpy array of years


class Precision(IntEnum):
    DAY = 0
    MONTH = 1
    YEAR = 2
    ESTIMATE = 3


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int | None
    month: int | None
    day: int | None
    precision: Precision
    earliest: dt.date  # the range the date may lie in
    latest: dt.date


def _day(year: int, month: int, day: int, text: str) -> PartialDate:
    _check_year(year, text)
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12 in {text!r}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"day {day} does not exist in {year}-{month:02d} ({text!r})")
    date = dt.date(year, month, day)
    return PartialDate(year, month, day, Precision.DAY, date, date)


def _month(year: int, month: int, text: str) -> PartialDate:
    _check_year(year, text)
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12 in {text!r}")
    last = calendar.monthrange(year, month)[1]
    first_day, last_day = dt.date(year, month, 1), dt.date(year, month, last)
    return PartialDate(year, month, None, Precision.MONTH, first_day, last_day)


def _year(year: int, text: str) -> PartialDate:
    _check_year(year, text)
    return PartialDate(year, None, None, Precision.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR} in {text!r}")


def _full_year(value: str) -> int:
    """Four digits as written; two digits (old forms write 03/05/87) in the hundred years up to this one:
    nobody was born in a year to come, so 48 is 1948."""
    year = int(value)
    if len(value) == 2:
        year += 2000 if 2000 + year <= dt.date.today().year else 1900
    return year


_SEP = r"[\/\-\. ]"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?$"), "ymd"),
    (re.compile(r"^(\d{4})[\/\.](\d{1,2})[\/\.](\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{4})(0[1-9]|1[0-2])(\d{2})$"), "ymd"),
    (re.compile(r"^(\d{2})(\d{2})(\d{4})$"), "dmy"),  # "03052001", as forms with boxes for digits write it
    (re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})$"), "dmy"),
    (re.compile(r"^(\d{4})[\-\/\.](\d{1,2})$"), "ym"),
    (re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{4}})$"), "my"),
    (re.compile(r"^(\d{4})$"), "y"),
)
# "ngày 3 tháng 5 năm 2001", "3 tháng 5 năm 2001", "mùng 3 tháng 5 năm 2001" (mùng: days 1-10),
# "3 tháng 5, 2001"
_WORDS = re.compile(r"^(?:(?:ngay|mung|mong)\s*(\d{1,2})\s*|(\d{1,2})\s*(?=thang))?"
                    r"(?:thang\s*(\d{1,2})\s*(?:nam|/|-|\.|,)?\s*)?(?:nam\s*)?(\d{4})$")
# the months spelt out in Vietnamese, after "tháng": "tháng ba 1995", "ngày 5 tháng Ba năm 1995" ("tháng
# năm" is May, the year then follows; giêng and chạp name the lunar year's first and last months)
_MONTH_WORDS = {"gieng": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
                "chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12, "chap": 12}
_MONTH_WORD = re.compile(r"\bthang\s+(muoi\s+mot|muoi\s+hai|gieng|hai|ba|tu|nam|sau|bay|tam|chin|muoi|chap)"
                         r"(?=[\s,./-]|$)")
# "ngày mồng 5 tháng 3": mồng (or mùng) says the day is one of the first ten, after ngày or for it
_NGAY_MUNG = re.compile(r"\bngay\s+(?=m[uo]ng\s)")
# the year first, then the month, and the day: "năm 1990 tháng 3 ngày 5", "năm 1990, tháng 3"
_YEAR_FIRST_WORDS = re.compile(r"^nam\s+(\d{4})\s*,?\s*thang\s*(\d{1,2})(?:\s*,?\s*ngay\s*(\d{1,2}))?$")
# "15 thg 3, 2001" (how software set to Vietnamese writes a date), "15-Th3-2001"
_DAY_THEN_MONTH_ABBREVIATED = re.compile(r"(?<=\d)[\s-]*(?:thg|th)\.?\s*(?=\d{1,2}\b)")
_LUNAR_MONTH_NAME = re.compile(r"\bthang\s+(?:gieng|chap)\b")
# "T5/2001", "T.5-2001", "thg 5/2001", "Thg 5 2001"
_MONTH_ABBREVIATED = re.compile(r"^(?:thg|th|t)\.?\s*(?=\d{1,2}\s*[/\-.,]?\s*\d{4}$)")
_SPACED_SEPARATOR = re.compile(r"(?<=\d)\s*([/\-.])\s*(?=\d)")
# the day and month in digits, the year in words: "5/3 năm 1990", "ngày 5-3 năm 1990"
_DAY_MONTH_THEN_YEAR = re.compile(r"^(\d{1,2})([/\-.])(\d{1,2})\s*,?\s*nam\s+(\d{4})$")
# two months, either of which it may be: "tháng 3-4/1990", "tháng 3 hoặc 4 năm 1990", "March-April 1990"
_MONTH_RANGE = re.compile(r"^thang\s*(\d{1,2})\s*(?:-|–|den|toi|hoac|hay|or)\s*(?:thang\s*)?(\d{1,2})"
                          r"\s*(?:[/\-.,]|\s)\s*(?:nam\s*)?(\d{4})$")
_NAMED_MONTH_RANGE = re.compile(r"^([a-z]+)\.?\s*(?:-|–|/|or|to|ou|oder)\s*([a-z]+)\.?,?\s+(\d{4})$")
# "1990-1991", "1990/91", "1990 hoặc 1991"; "between 1990 and 1991", "từ 1990 đến 1991", "entre 1990 et 1991"
_YEAR_RANGE = re.compile(r"^(?:(?:between|tu|from|entre|zwischen|tra)\s+)?(\d{4})\s*"
                         r"(?:-|/|–|hoac|or|ou|oder|o|and|to|den|va|et|y|und|e)\s*(\d{4}|\d{2})$")
_PARTS = {"dau": (1, 4), "early": (1, 4), "giua": (5, 8), "mid": (5, 8), "middle of": (5, 8), "cuoi": (9, 12),
          "late": (9, 12), "end of": (9, 12)}
# a part of a month: "đầu tháng 5/2001" (its first ten days), "giữa tháng", "cuối tháng 5 năm 2001"
_PART_OF_MONTH = re.compile(r"^(dau|giua|cuoi|early|mid|late)[\s-]+(?:thang\s*)?(\d{1,2})\s*"
                            r"(?:nam|/|-|\.|,)?\s*(\d{4})$")
_PART_OF_YEAR = re.compile(r"^(dau|giua|cuoi|early|mid|middle of|late|end of)[\s-]*(?:nam\s*)?(\d{4})$")
# a season, as forms abroad write a birth nobody dated (northern-hemisphere months; winter straddles two
# years, so it stands for its whole year): "Summer 2001", "été 2001", "Frühling 2001", "mùa hè 2001"
# (Vietnamese seasons only after "mùa": alone, "thu" and "hạ" are names and weekdays too)
_SEASONS = {"spring": (3, 5), "printemps": (3, 5), "fruhling": (3, 5), "fruhjahr": (3, 5), "mua xuan": (3, 5),
            "summer": (6, 8), "ete": (6, 8), "sommer": (6, 8), "mua he": (6, 8), "mua ha": (6, 8),
            "autumn": (9, 11), "fall": (9, 11), "automne": (9, 11), "herbst": (9, 11), "mua thu": (9, 11),
            "winter": (1, 12), "hiver": (1, 12), "mua dong": (1, 12)}
_SEASON = re.compile(rf"^({'|'.join(_SEASONS)})(?:\s+(?:of|de|nam))?\s+(\d{{4}})$")
# a decade: "1990s", "the 1990s", "années 1990", "những năm 1990", "thập niên 1990" ("năm 1990" is the
# year), or a part of one ("early 1990s", "cuối những năm 1990", "début des années 1990"): its first
# four, middle three or last three years
_DECADE_PARTS = {"early": (0, 3), "dau": (0, 3), "debut": (0, 3), "mid": (4, 6), "giua": (4, 6),
                 "milieu": (4, 6), "late": (7, 9), "cuoi": (7, 9), "fin": (7, 9)}
_DECADE = re.compile(r"^(?:(early|mid|late|dau|giua|cuoi|debut|milieu|fin)[\s-]+(?:(?:des|de|of)\s+)?)?"
                     r"(the\s+|nhung\s+nam\s+|thap\s+(?:nien|ky)\s+|annees\s+|in\s+den\s+)?"
                     r"(\d{3}0)('?s|er(?:\s+jahren)?)?$")
_DECADE_DIGITS = re.compile(r"^(\d{3})(?:\?|x|_)$")
# born around Tết, the lunar new year (21 January to 20 February), a fortnight either side
_TET = re.compile(r"^(?:(?:dip|quanh|khoang|gan|sau|truoc)\s+)?tet(?:\s+(?:nguyen dan|am lich))?(?:\s+nam)?"
                  r"\s+(\d{4})$")
# the year's name in the sixty-year cycle written beside it: "2001 (Tân Tỵ)", "năm Tân Tỵ 2001"
_CAN = "giap|at|binh|dinh|mau|ky|canh|tan|nham|quy"
_CHI = "ty|suu|dan|mao|thin|ngo|mui|than|dau|tuat|hoi"
_CYCLE_NOTE = re.compile(rf"\s*[(\[]?\s*(?:nam\s+)?(?:{_CAN})\s+(?:{_CHI})\s*[)\]]?\s*")
# two dates, either of which it may be: "03/05/2001 or 04/05/2001", "3 hoặc 4/5/2001" is not read
_EITHER = re.compile(r"\s+(?:or|hoac|ou|oder|o)\s+")
# "about" before a date, in Vietnamese and the languages of the receiving countries (vers, um, cerca,
# ongeveer, omstreeks, omkring, ungefär); a centre's "ước tính 2017" (estimated), "ước 4 tháng tuổi"
_UOC = r"uoc(?:\s+(?:tinh|luong|chung))?(?=\s)"
_APPROXIMATELY = re.compile(rf"^(?:khoang|{_UOC}|about|abt\.?|approximately|approx\.?|appr\.?|around|circa\.?"
                            r"|ca\.?|est\.?|estimated|environ|vers|etwa|ungefahr|ungefar|um|cerca de|hacia"
                            r"|intorno al|ongeveer|omstreeks|rond|omkring|cirka|~)\s*(.+)$")
_APPROX_YEAR = re.compile(rf"^(?:khoang|khoang nam|{_UOC}|about|abt\.?|approx\.?|appr\.?|circa\.?|ca\.?|c\."
                          # as people say it: tầm, chừng, độ, cỡ, khoảng chừng (about), before a year alone;
                          # a question mark or a plus-minus before it
                          r"|est\.?|estimated|~|tam|chung|do|co|khoang chung|\?|±|\+/-)"
                          r"\s*(?:nam\s*)?(\d{4})$")
# (khoảng, about, ~ are read off by `_APPROXIMATELY` first; chừng and tầm only before an age or a year)
# an age in two units or with a half: "1 tuổi rưỡi", "1,5 tuổi", "1 năm 6 tháng", "1 year 6 months",
# "1 tháng 10 ngày", "2 tháng rưỡi" (rưỡi: and a half); a whole count in one unit is left to `_AGE`
_COMPOUND_AGE = re.compile(r"^(\d{1,2})(?:[.,](\d))?\s*(tuoi|nam|years?|thang|months?)(\s+ruoi)?"
                           r"(?:\s+(?:va\s+|and\s+)?(\d{1,2})\s*(thang|months?|ngay|days?))?"
                           r"(?=\s*(?:tuoi|old)?$)")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")
_ENGLISH_MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES, start=1)} | {
    name[:3]: i for i, name in enumerate(_MONTH_NAMES, start=1)} | {"sept": 9}
# the months as the countries that adopted most Vietnamese children write them (France, Italy, Spain,
# Germany, the Netherlands and Belgium, Denmark, Norway, Sweden; CLDR's wide names and common
# abbreviations, marks folded as `text.unmarked` folds them: février -> fevrier, März -> marz); always after
# the day ("3 mai 2001", "3. Mai 2001", "le 1er mars 1990", "3 de mayo de 2001"), never before it:
# "Mai 3" is a given name and a number
_EUROPEAN_MONTHS = {name: i for i, names in enumerate((
    "janvier janv gennaio gen enero ene januar januari jan",
    "fevrier fevr febbraio febrero februar februari feb",
    "mars marzo marz maerz maart mrt marts",
    "avril avr aprile abril april apr",
    "mai maggio mayo mei maj",
    "juin giugno junio juni jun",
    "juillet juil luglio julio juli jul",
    "aout agosto augusti augustus august ago",
    "septembre settembre septiembre september sept sep set",
    "octobre ottobre octubre oktober okt ott oct",
    "novembre noviembre november nov",
    "decembre dicembre diciembre dezember december dez dic dec",
), start=1) for name in names.split()}
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
_ROMAN_MONTHS = {r: i for i, r in enumerate(_ROMAN, start=1)}
_DAY_MONTHS = _EUROPEAN_MONTHS | _ROMAN_MONTHS | _ENGLISH_MONTHS
_DAY_FIRST = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|er|e)?\s+([a-z]+)\s+(\d{4}|\d{2})$")
_MONTH_YY = re.compile(r"^([a-z]+)\.?\s*(?:-|'|’)\s*(\d{2})$")
_MONTH_FIRST = re.compile(r"^([a-z]+)\s+(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?(\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})\s+([a-z]+)(?:\s+(\d{1,2}))?$")  # "1995 March", "1995 Mar 3"
# a month name run together with the day and year, as passports and airline systems write it: "05MAR1990"
_RUN_TOGETHER = re.compile(r"^(\d{1,4})([a-z]{3,9})(\d{2,4})$")
# words around a spelt-out date: the article before the day (le, den, el, the), "of" and "de" between
_FILLER = re.compile(r"^(?:le|den|el|il|the)\s+|\s(?:of|de|del)(?=\s)")
# how records write what they do not know, or which calendar a date is in
_UNKNOWN = r"(?:0{1,2}|\?{1,2}|x{1,2}|-{1,2}|_{1,2})"  # a day or month not known: 00, ??, xx, --
_UNKNOWN_PARTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^{_UNKNOWN}{_SEP}{_UNKNOWN}{_SEP}(\d{{4}})$"), "y"),
    (re.compile(rf"^{_UNKNOWN}{_SEP}(\d{{1,2}}){_SEP}(\d{{4}})$"), "my"),
    (re.compile(r"^(\d{4})-00-00$"), "y"),
    (re.compile(r"^(\d{4})-(\d{1,2})-00$"), "ym"),
)
_NUMERIC = _UNKNOWN_PARTS + _PATTERNS
_LABEL = re.compile(r"^(?:ngay sinh|sinh ngay|sinh nam|nam sinh|sinh|s\.?n\.?(?![a-z])|n\.?s\.?(?![a-z])"
                    r"|dob|d\.o\.b\.?"
                    r"|date of birth|birth date"
                    r"|born(?: on| in)?|b\.(?=\s*\d)"
                    # "born (on)" in the receiving countries' languages: né(e) le, geboren am, nato il, ...
                    r"|(?:nee? le|nee? en|nee?|le|geb\.|geboren(?: am| den| op)?|nat[oa](?: il)?"
                    r"|nacid[oa](?: el)?"
                    r"|fodd(?: den)?|f[oø]dt(?: den)?)(?![a-z]))\s*[:\-]?\s*"
                    r"|^(?:ngay|mung|mong)\s+(?=\d{1,2}\s*[\/\-\.])")
# a weekday before the date: "Sunday, May 3, 2001", "thứ Hai, ngày 3 tháng 5 năm 2001", "dimanche 3 mai"
_WEEKDAY = re.compile(r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|lundi|mardi|mercredi|jeudi|vendredi"
                      r"|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
                      r"|thu (?:hai|ba|tu|nam|sau|bay|[2-7])|chu nhat)(?![a-z0-9])\s*,?\s*")
# a note that the date is a guess, after it: "1990 (estimated)", "03/05/2001 (approx.)", "(ước tính)"
# (bracketed, or after a space or a comma: "2001 ca.", "1990 approx", "1990, est.")
_GUESS_NOTE = re.compile(r"(?:\s*[(\[,]\s*|\s+)(?:estimated|est\.?|approx(?:imately|\.)?|uoc tinh|uoc luong"
                         r"|khoang|environ|estime|geschatzt|ca\.?|circa)\s*[)\]]?$|\s*[(\[]\s*\?\s*[)\]]$")
# what a record writes where nobody knew the date: it is missing, not unreadable
_NOT_KNOWN = re.compile(r"^(?:unknown|not known|inconnue?|unbekannt|onbekend|desconocido|sconosciuto|okand"
                        r"|khong ro|chua ro|khong biet|khong ro ngay sinh|n/?a)$")
# what a database or a spreadsheet writes in a date column where none is known: a zero date, or the
# first day of its calendar (1900-01-01, and 1899-12-30/31, the day before its day 1)
_EMPTY_DATE = re.compile(r"^(?:0{1,4}[-/.]0{1,2}[-/.]0{1,4}|1900[-/.]0?1[-/.]0?1|0?1[-/.]0?1[-/.]1900"
                         r"|1899[-/.]12[-/.]3[01]|3[01][-/.]12[-/.]1899)(?:[ t]0{1,2}:00(?::00(?:\.0+)?)?)?$")
# the number a spreadsheet holds for a date cell (days since 1899-12-30, Excel's and LibreOffice's
# count), exported as such: five digits are the years 1927 to 2173, of which only the birth dates are
# taken (up to 2100)
_SPREADSHEET_SERIAL = re.compile(r"([1-6]\d{4})(?:\.0+)?")
_SPREADSHEET_EPOCH = dt.date(1899, 12, 30)
# a time of day after a date, as spreadsheets and database exports write one: "03/05/2001 00:00:00"
_TIME = re.compile(r"(?<=\d)(?:\s+|t)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?"
                   r"(?:z|[+-]\d{2}:?\d{2})?$")
_LUNAR = re.compile(r"\s*[(\[]?\s*(?:am lich|al|a\.l\.?|lunar(?: calendar)?)\s*[)\]]?$")
_LUNAR_FIRST = re.compile(r"^[(\[]?\s*(?:am lich|a\.?l\.?|lunar(?: calendar)?)\s*[)\]:]?\s*(?=\d|ngay|mung)")
_SOLAR = re.compile(r"\s*[(\[]?\s*(?:duong lich|dl|d\.l\.?|solar|gregorian)\s*[)\]]?$")
_NEWBORN = re.compile(r"^(?:so sinh|moi sinh|newborn|new born|tre so sinh)$")
# a newborn whose age in days is said too: "trẻ sơ sinh khoảng 2-3 ngày"
_NEWBORN_AGED = re.compile(r"^(?:(?:tre|be)\s+)?(?:so sinh|moi sinh|newborn|new born)[\s,:;-]+(?=\S)(.+)$")
# an age in years as files from abroad shorten it: "aged 27", "Age: 27", "aged about 30", "27 y/o"
_AGE_SHORTHAND = re.compile(r"^(?:aged?\s*:?\s*(about|approx(?:imately|\.)?|around|circa|ca\.?|~)?"
                            r"\s*(\d{1,3})|(\d{1,3})\s*(?:y/o|y\.o\.?|yo|yrs?))(?:\s+old)?$")
_UNIT_DAYS = {"ngay": 1, "day": 1, "days": 1, "tuan": 7, "week": 7, "weeks": 7, "thang": 30.44,
              "month": 30.44, "months": 30.44, "tuoi": 365.25, "nam": 365.25, "year": 365.25,
              "years": 365.25,
              # French and German, as files from France, Belgium, Switzerland and Germany write an age
              "jour": 1, "jours": 1, "semaine": 7, "semaines": 7, "mois": 30.44, "an": 365.25, "ans": 365.25,
              "tag": 1, "tage": 1, "woche": 7, "wochen": 7, "monat": 30.44, "monate": 30.44, "jahr": 365.25,
              "jahre": 365.25,
              # and as the other receiving countries do: Italy, Spain, the Netherlands, Denmark, Norway,
              # Sweden (marks folded as `text.unmarked` folds them: år -> ar, días -> dias, años -> anos)
              **dict.fromkeys(("giorno", "giorni", "dia", "dias", "dag", "dagen", "dage", "dager",
                               "dagar"), 1),
              **dict.fromkeys(("settimana", "settimane", "semana", "semanas", "weken", "uge", "uger",
                               "uke", "uker", "vecka", "veckor"), 7),
              **dict.fromkeys(("mese", "mesi", "mes", "meses", "maand", "maanden", "maned", "maneder",
                               "manad", "manader"), 30.44),
              **dict.fromkeys(("anno", "anni", "ano", "anos", "jaar", "jaren", "ar"), 365.25)}


def _alternatives(words: Iterable[str]) -> str:
    """A regular expression's alternatives, the longest first ("a few" before "a")."""
    return "|".join(sorted(words, key=len, reverse=True))


_UNIT = _alternatives(_UNIT_DAYS)
_OLD = r"(?:tuoi|old|of age|alt|oud|gammel|gammal|de edad|di eta)"  # "3 tháng tuổi", "3 months old"
_AGE = re.compile(rf"^(chung|tam)?\s*(\d{{1,3}})(?:\s*-\s*(\d{{1,3}}))?\s*({_UNIT})\s*{_OLD}?$")
# an age as people say it, which `_age_said` writes as `_AGE` reads it: in words ("ba tháng tuổi", "a
# week old", "deux ans"), a few ("vài ngày tuổi"), half a month or a year ("nửa tháng"), a month full
# ("đầy tháng", the day a baby's first month is celebrated), and bounded: under ("dưới 1 tuổi", "chưa
# đầy 1 tháng", "less than a month old"), a little over ("hơn 1 tháng", "trên 30 tuổi", "over 2 years"),
# nearly ("gần 1 tuổi", "almost 2"); "được 3 ngày" (3 days since birth) is "3 ngày"
_NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
    "muoi mot": 11, "muoi hai": 12, "muoi lam": 15, "hai muoi": 20,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12}
_FEW = ("vai", "may", "a few", "few", "several", "quelques", "ein paar", "einige", "unos", "alcuni", "enkele",
        "nogle", "nagra")
_HALF = ("nua", "half a", "half an", "une demie", "un demi")
_BOUNDS = {"under": ("duoi", "chua day", "chua du", "chua toi", "chua den", "under", "less than", "below",
                     "moins de", "unter", "weniger als", "menos de", "meno di", "minder dan"),
           "over": ("hon", "tren", "over", "more than", "above", "plus de", "uber", "mehr als", "mas de",
                    "piu di", "meer dan", "ruim"),
           "nearly": ("gan", "almost", "nearly", "presque", "fast", "casi", "quasi", "bijna", "nesten",
                      "nastan")}
_BOUND_OF = {word: bound for bound, words in _BOUNDS.items() for word in words}
_SAID_AGE = re.compile(rf"^(?:(?:sinh\s+)?duoc\s+)?(?:({_alternatives(_BOUND_OF)})\s+)?(?:day\s+)?"
                       rf"(\d{{1,3}}|{_alternatives([*_NUMBER_WORDS, *_FEW, *_HALF])})?\s*({_UNIT})"
                       rf"(\s*{_OLD})?$")


# a child's age (in days, weeks or months) is estimated when it is found or taken in, which may be days
# before the record is written (a hospital keeps a foundling a week or two before a centre's intake)
AGE_SEEN_BEFORE_WRITTEN_DAYS = 14


def _estimate(low_days: float, high_days: float, recorded: dt.date, seen_before: bool = False) -> PartialDate:
    """Born `low_days` to `high_days` before `recorded`, or before a day up to
    `AGE_SEEN_BEFORE_WRITTEN_DAYS` earlier where the age was `seen_before` the record was written."""
    high_days += AGE_SEEN_BEFORE_WRITTEN_DAYS if seen_before else 0
    earliest = recorded - dt.timedelta(days=round(high_days))
    latest = recorded - dt.timedelta(days=max(0, round(low_days)))
    if earliest.year < MIN_YEAR:
        raise ValueError("estimated birth date before 1850")
    mid = earliest + (latest - earliest) / 2
    return PartialDate(mid.year, None, None, Precision.ESTIMATE, earliest, latest)


def _in_smaller_unit(age: re.Match[str]) -> str:
    """"1 tuổi rưỡi", "1,5 tuổi", "1 năm 6 tháng" as "18 thang"; "2 tháng rưỡi" as "76 ngay", "1 tháng
    10 ngày" as "40 ngay". A year's days or a month's months are left as written (unread)."""
    whole, tenth, unit, half, more, more_unit = age[1], age[2], age[3], age[4], age[5], age[6]
    if not (tenth or half or more):
        return age[0]
    in_months = unit in ("thang", "month", "months")
    if more and in_months != (more_unit in ("ngay", "day", "days")):
        return age[0]
    count = int(whole) + (int(tenth) / 10 if tenth else 0.5 if half else 0.0)
    if in_months:
        return f"{round(count * _UNIT_DAYS['thang']) + int(more or 0)} ngay"
    return f"{round(count * 12) + int(more or 0)} thang"


def _age_said(words: str) -> str:
    """An age as people say it (`_SAID_AGE`) as a count or a range of counts in digits: "vài ngày tuổi"
    as "2-5 ngay tuoi", "dưới 1 tuổi" as "0-1 tuoi", "nửa tháng" as "15 ngay"; other text as it is."""
    m = _SAID_AGE.match(words)
    if not m or not (m[2] or m[1] or words.startswith("day ")):
        return words
    bound, count, unit, old = m[1], m[2] or "1", m[3], m[4] or ""
    if count in _HALF:  # half a month is a fortnight, half a year six months
        per = _UNIT_DAYS[unit]
        return f"{round(per / 2)} ngay{old}" if per < _UNIT_DAYS["year"] else f"6 thang{old}"
    if count in _FEW:
        low, high = 2, 5
    else:
        low = high = int(count) if count.isdigit() else _NUMBER_WORDS[count]
    if bound:
        low, high = {"under": (0, high), "over": (low, high + 1), "nearly": (max(low - 1, 0), high)}[
            _BOUND_OF[bound]]
    return f"{low}-{high} {unit}{old}" if low != high else f"{low} {unit}{old}"


def _age_range(count_low: int, count_high: int, unit: str, hedged: bool) -> tuple[float, float]:
    """The true ages an estimate allows. A centre's estimate of an age t lies within ±30% of t, give or
    take its rounding (half a unit) and a week for a newborn's first days, so t lies within about
    [estimate / 1.3, estimate / 0.7]: a child estimated at 2 months may be nearly 3.5 months old, but not
    under 5 weeks. At least one unit (3 days) either side. An age in years is also a count of completed
    years, off by one at most (two where the writer hedged it, "khoảng", "about"): a grown adoptee who
    writes "aged 27" is 26 to 28, not 20 to 39 as ±30% would have it."""
    per = _UNIT_DAYS[unit]
    low, high = count_low * per, count_high * per
    least = per if per > 1 else 3.0
    slack = max(per / 2, 7.0)
    youngest = min(low - least, (low - slack) / 1.3)
    oldest = max(high + least, (high + slack) / 0.7)
    if per == _UNIT_DAYS["year"]:
        off = 2 if hedged else 1
        youngest, oldest = max(youngest, low - off * per), min(oldest, high + (1 + off) * per)
    return max(0.0, youngest), oldest


def _recorded(recorded_on: str | None, text: str) -> dt.date:
    if not recorded_on:
        raise ValueError(f"an estimated age ({text!r}) needs the date it was recorded on")
    parsed = parse_date(recorded_on)
    if parsed is None or parsed.precision != Precision.DAY:
        raise ValueError(f"recorded_on {recorded_on!r} must be a full date")
    return parsed.earliest


def parse_date(text: str, recorded_on: str | None = None) -> PartialDate | None:
    """Parse a written date; "" or a date written as unknown ("không rõ", "inconnu") -> None;
    unreadable or impossible dates raise ValueError.

    Around the date itself a record may say what it is ("ngày sinh:", "DOB", "born", "né le"), the
    weekday, that it is a guess ("1990?", "1990 (estimated)") or in the lunar calendar ("05/03/1990 (âm
    lịch)"), and may write an unknown day or month as 00, ?? or xx ("00/00/1990": the year alone). Text
    in a legacy encoding ("ngaøy 04 thaùng 03", VNI) is read decoded where it cannot be read as it is (the
    decoding would take the û of "août" for a VNI mark). `recorded_on`, a full date, is the day an
    estimated age ("3 tuổi") counts back from."""
    if recorded_on and text and _DIGITS_ONLY.fullmatch(text):
        # digits alone are never an estimate: without the recording day, a register's dates of birth,
        # each recorded on a day of its own, share the cache entries of the days they name (a fifth
        # of the time to index a register that keeps its registration days)
        recorded_on = None
    return _parse_date(text, recorded_on)


_DIGITS_ONLY = re.compile(r"\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\s*")


@lru_cache(maxsize=1 << 16)
def _parse_date(text: str, recorded_on: str | None) -> PartialDate | None:
    raw = (text or "").strip()
    if not raw:
        return None
    try:
        return _parse_written(raw, recorded_on)
    except ValueError:
        for other in _other_readings(raw):
            try:
                return _parse_written(other, recorded_on)
            except ValueError:
                continue
        raise


# where a date field holds the place of birth too: "sinh ngày 5/3/1990 tại Hà Nội", "5 mars 1990 à
# Saigon", "05/03/1990, Hà Nội" (words only after the last digit)
_PLACE_AFTER = re.compile(r"(?<=\d)\s*(?:,|\s+(?:t[ạa]i|[ởo]|in|at|near|g[ầa]n|[àa]|en|im|bei))\s+[^\d]+$",
                          re.IGNORECASE)


# a note in brackets after the date that says where it comes from: "(theo giấy khai sinh)", "(theo lời
# kể)" (as told), "(giấy tờ)": words only (a bracket with a number is another date, or an age)
_SOURCE_NOTE = re.compile(r"\s*[(\[][^)\]\d]*[)\]]\s*$")


def _other_readings(raw: str) -> list[str]:
    """Other texts a date that cannot be read as written may mean, in order: decoded from a legacy
    encoding, without a note of its source or a place written after it (only then: "1990, approx." and
    "1990 (ước tính)" read as written), its words with the letters an encoding lost filled in."""
    readings = [repair(raw)]
    readings.append(_PLACE_AFTER.sub("", _SOURCE_NOTE.sub("", readings[0])))
    readings.append(_LOST_LETTER_WORD.sub(_date_word, readings[-1]))
    return [text for i, text in enumerate(readings) if text != raw and text not in readings[:i]]


# the words of a date written in words, unmarked: a word an encoding lost letters of ("kho?ng 1 tu?n
# tu?i", "??C TÍNH 2017": each letter it lacked written "?") is the one of them it still fits
_DATE_WORDS = ("khoang", "tuoi", "tuan", "thang", "uoc", "tinh", "luong", "chung", "ngay", "nam", "sinh",
               "ruoi", "mung", "dau", "giua", "cuoi")
_LOST_LETTER_WORD = re.compile(r"[^\W\d_]*\?[^\W\d_?]*(?:\?[^\W\d_?]*)*")


def _date_word(lost: re.Match[str]) -> str:
    written = unmarked(lost[0])
    fits = [word for word in _DATE_WORDS if len(word) == len(written)
            and all(ch in ("?", letter) for ch, letter in zip(written, word, strict=True))]
    return fits[0] if len(fits) == 1 else lost[0]


# a year in two digits where words say it is one: "sinh năm 90", "SN 85", "'90"
_TWO_DIGIT_YEAR = re.compile(r"^(?:(?:sinh\s+)?(?:nam|sn|s\.n\.?)\s*:?\s*|['’])(\d{2})$")
# a date wholly in brackets: "(1990)", "[03/05/2001]"
_BRACKETED = re.compile(r"^[(\[]\s*([^()\[\]]*?)\s*[)\]]$")


def _parse_written(raw: str, recorded_on: str | None) -> PartialDate | None:
    two_digits = _TWO_DIGIT_YEAR.match(unmarked(raw).strip())
    if two_digits:
        return _year(_full_year(two_digits[1]), raw)
    cleaned = _LABEL.sub("", _WEEKDAY.sub("", _LABEL.sub("", unmarked(raw).strip())))
    cleaned = _BRACKETED.sub(r"\1", cleaned)
    if _NOT_KNOWN.match(cleaned) or _EMPTY_DATE.match(cleaned):
        return None
    cleaned = _CYCLE_NOTE.sub(" ", cleaned).strip() if re.search(r"\d{4}", cleaned) else cleaned
    cleaned = _TIME.sub("", cleaned)
    cleaned, lunar_day = _lunar_days(cleaned)
    lunar = _LUNAR.search(cleaned) or _LUNAR_FIRST.match(cleaned)  # "05/03/1990 (âm lịch)", "ÂL: 05/03/1990"
    if lunar:
        cleaned = cleaned[:lunar.start()] if lunar.start() else cleaned[lunar.end():]
    # the lunar year's first and last months go by names of their own: "tháng giêng", "tháng chạp"
    lunar = lunar or lunar_day or (not _SOLAR.search(cleaned) and _LUNAR_MONTH_NAME.search(cleaned))
    cleaned = (cleaned if lunar else _SOLAR.sub("", cleaned)).strip()
    cleaned = _DECADE_DIGITS.sub(r"\g<1>0s", cleaned)  # "199?", "199x": the 1990s
    noted = _GUESS_NOTE.search(cleaned)
    guessed = bool(noted) or (cleaned.endswith("?") and not cleaned.endswith("??"))
    if noted:
        cleaned = cleaned[:noted.start()].strip()
    elif guessed:
        cleaned = cleaned.rstrip("?").strip()
    if not cleaned:
        raise ValueError(f"unreadable date {raw!r}")
    if lunar:
        return _from_lunar(cleaned, raw)
    date = _parsed(cleaned, raw, recorded_on)
    if guessed and date.precision == Precision.YEAR:
        return _about(date.year, raw)
    if guessed and date.precision in (Precision.DAY, Precision.MONTH):  # "03/05/2001 (approx.)"
        return _about_date(date)
    return date


# days only the lunar calendar names: rằm, the full moon (the 15th: "rằm tháng 8 năm 1990"), and the
# days of Tết ("mùng 1 Tết 1990", its first day; "30 Tết 1990", the eve, the last of the year before)
_FULL_MOON = re.compile(r"(?:^|(?<=\s))(?:ngay\s+)?ram\s+(?=thang\b)")
_DAY_OF_TET = re.compile(r"^(?:ngay\s+|mung\s+|mong\s+)?(\d{1,2})\s+tet(?:\s+nam)?\s+(\d{4})$")


def _lunar_days(cleaned: str) -> tuple[str, bool]:
    """`cleaned` with a day only the lunar calendar names written in digits, and whether it named one."""
    if _FULL_MOON.search(cleaned):
        return _FULL_MOON.sub("ngay 15 ", cleaned), True
    m = _DAY_OF_TET.match(cleaned)
    day, year = (int(m[1]), int(m[2])) if m else (0, 0)
    if 1 <= day <= 10:  # the new year's first days
        return f"ngay {day} thang 1 nam {year}", True
    if 23 <= day <= 30:  # the old year's last days, from the Kitchen Gods' day (23 tháng Chạp)
        return f"ngay {day} thang 12 nam {year - 1}", True
    return cleaned, False


def _parts(groups: tuple[str, ...], kind: str) -> tuple[int, int | None, int | None]:
    """(year, month, day) as a pattern of `_PATTERNS` or `_UNKNOWN_PARTS` reads them (dd/mm day first)."""
    if kind == "ymd":
        return int(groups[0]), int(groups[1]), int(groups[2])
    if kind == "dmy":
        return _full_year(groups[2]), int(groups[1]), int(groups[0])
    if kind == "ym":
        return int(groups[0]), int(groups[1]), None
    if kind == "my":
        return int(groups[1]), int(groups[0]), None
    return int(groups[0]), None, None


def _words(written: str) -> str:
    """`written` with its months in digits: "T5/2001", "tháng ba 2001" as "thang 5/2001", "thang 3 2001";
    the year first ("năm 1990 tháng 3 ngày 5") as the day first; "ngày mồng 5" as "mồng 5"."""
    words = " ".join(written.replace("/", " / ").split()).replace(" / ", "/")
    words = _NGAY_MUNG.sub("", words)
    year_first = _YEAR_FIRST_WORDS.match(words)
    if year_first:
        year, month, day = year_first.groups()
        words = (f"ngay {day} " if day else "") + f"thang {month} nam {year}"
    words = _MONTH_ABBREVIATED.sub("thang ", words)
    words = _DAY_THEN_MONTH_ABBREVIATED.sub(" thang ", words)
    return _MONTH_WORD.sub(lambda m: f"thang {_MONTH_WORDS[' '.join(m[1].split())]}", words)


def _spelt(words: str, raw: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a date in Vietnamese words ("ngày 3 tháng 5 năm 2001", "năm 2001"), after
    `_words`; None for other text."""
    m = _WORDS.match(words)
    if not (m and (m.group(1) or m.group(2) or m.group(3) or words.startswith("nam"))):
        return None
    day, month = m.group(1) or m.group(2), m.group(3)
    if day and not month:
        raise ValueError(f"a day without a month in {raw!r}")
    return int(m.group(4)), int(month) if month else None, int(day) if day else None


def _parsed(written: str, raw: str, recorded_on: str | None, hedged: bool = False) -> PartialDate:
    """`written` as a date: lowercase ASCII (`text.unmarked`), labels and calendar notes already removed;
    `hedged`: an "about" came before it."""
    written = _SPACED_SEPARATOR.sub(r"\1", written)  # "03 - 05 - 2001"
    written = _DAY_MONTH_THEN_YEAR.sub(r"\1\2\3\2\4", written)  # "5/3 năm 1990"
    words = _words(written)
    uncertain = _uncertain(written, words, raw, recorded_on)
    if uncertain is not None:
        return uncertain
    serial = _SPREADSHEET_SERIAL.fullmatch(written)
    if serial:  # a date cell a spreadsheet exported as its number of days
        day = _SPREADSHEET_EPOCH + dt.timedelta(days=int(serial[1]))
        return _day(day.year, day.month, day.day, raw)
    found = _numeric(written, _NUMERIC)
    if found is not None:
        (year, month, day), kind = found
        if kind == "dmy" and month > 12 >= day:  # mm/dd/yyyy from abroad
            month, day = day, month
        if day is not None:
            return _day(year, month, day, raw)
        return _month(year, month, raw) if month is not None else _year(year, raw)

    spelt = _spelt(words, raw)
    if spelt is not None:
        year, month, day = spelt
        if day:
            return _day(year, month, day, raw)
        return _month(year, month, raw) if month else _year(year, raw)
    named = _month_named(words, raw)
    if named is not None:
        return named
    m = _APPROX_YEAR.match(words)
    if m:
        return _about(int(m.group(1)), raw)
    if _NEWBORN.match(words):  # a newborn is a neonate: its first 28 days (WHO)
        return _estimate(0, 28, _recorded(recorded_on, raw), seen_before=True)
    m = _NEWBORN_AGED.match(words)
    if m:
        return _parsed(m[1], raw, recorded_on, hedged)
    words = _age_said(words)
    shorthand = _AGE_SHORTHAND.match(words)
    if shorthand:  # "aged about 30" is hedged as "about 30 years old" is
        words, hedged = f"{shorthand[2] or shorthand[3]} years", hedged or bool(shorthand[1])
    words = _COMPOUND_AGE.sub(_in_smaller_unit, words)
    m = _AGE.match(words)
    if m:
        low = int(m.group(2))
        high = int(m.group(3) or low)
        if high < low:
            raise ValueError(f"age range runs backwards in {raw!r}")
        unit = m.group(4)
        lo, hi = _age_range(low, high, unit, hedged or bool(m.group(1)))
        child = _UNIT_DAYS[unit] < _UNIT_DAYS["year"]  # an age in days, weeks or months
        return _estimate(lo, hi, _recorded(recorded_on, raw), seen_before=child)
    raise ValueError(f"unreadable date {raw!r}")


def _uncertain(written: str, words: str, raw: str, recorded_on: str | None) -> PartialDate | None:
    """A date its writer was unsure of, as a window: two years ("1990 hoặc 1991", "1990-1991", "1990/91"),
    a part of a year ("đầu năm 1990": January to April, "giữa năm", "cuối năm"; "early", "mid", "late"),
    a decade ("the 1990s"), around Tết, either of two dates ("3/5/2001 or 4/5/2001"), a season ("Summer
    2001"), an approximate month or day ("khoảng tháng 5/2001": a month either side). None for any other
    text. `words`: `written` with its months in digits (`_words`)."""
    m = _YEAR_RANGE.match(written)
    if m and not (len(m[2]) == 2 and int(m[2]) <= 12):  # "2009-10" is October 2009
        first, second = int(m[1]), int(m[2]) if len(m[2]) == 4 else int(m[1][:2] + m[2])
        if 0 < second - first <= 3:
            _check_year(first, raw)
            _check_year(second, raw)
            return _window(dt.date(first, 1, 1), dt.date(second, 12, 31))
        return None
    m = _PART_OF_YEAR.match(written)
    if m:
        return _months(int(m[2]), *_PARTS[m[1]], raw)
    months = _month_range(words)
    if months is not None:
        return _months(*months, raw)
    m = _PART_OF_MONTH.match(words)
    if m:
        year, month = int(m[3]), int(m[2])
        whole = _month(year, month, raw)
        first, last = {"dau": (1, 10), "early": (1, 10), "giua": (11, 20), "mid": (11, 20)}.get(
            m[1], (21, whole.latest.day))
        return _window(dt.date(year, month, first), dt.date(year, month, last))
    m = _DECADE.match(written)
    if m and (m[2] or m[4]):  # a decade said as one ("1990s", "những năm 1990"); a bare 1990 is a year
        decade = int(m[3])
        _check_year(decade, raw)
        first, last = _DECADE_PARTS.get(m[1], (0, 9))
        return _window(dt.date(decade + first, 1, 1), dt.date(decade + last, 12, 31))
    m = _TET.match(written)
    if m:
        year = int(m[1])
        _check_year(year, raw)
        return _window(dt.date(year, 1, 7), dt.date(year, 3, 6))
    either = _EITHER.split(written)
    if len(either) == 2 and all(re.search(r"\d{4}", part) for part in either):
        first, second = (_parsed(part, raw, recorded_on) for part in either)
        earliest, latest = min(first.earliest, second.earliest), max(first.latest, second.latest)
        if (latest - earliest).days <= 3 * 366:
            return _window(earliest, latest)
        raise ValueError(f"two dates years apart in {raw!r}")
    m = _SEASON.match(written)
    if m:
        return _months(int(m[2]), *_SEASONS[m[1]], raw)
    m = _APPROXIMATELY.match(written)
    if m and not _APPROX_YEAR.match(written):
        date = _parsed(m[1], raw, recorded_on, hedged=True)
        if date.precision == Precision.YEAR:  # "around 2001", "vers 2001": as "khoảng 2001"
            return _about(date.year, raw)
        return _about_date(date) if date.precision in (Precision.DAY, Precision.MONTH) else date
    return None


def _month_range(words: str) -> tuple[int, int, int] | None:
    """(year, first month, last month) of either of two months a quarter apart at most ("tháng 3-4/1990",
    "March-April 1990"); None for other text."""
    m = _MONTH_RANGE.match(words)
    if m:
        first, last = int(m[1]), int(m[2])
    elif m := _NAMED_MONTH_RANGE.match(words):
        first, last = _DAY_MONTHS.get(m[1], 0), _DAY_MONTHS.get(m[2], 0)
    else:
        return None
    return (int(m[3]), first, last) if first and 0 < last - first <= 3 and last <= 12 else None


def _months(year: int, first_month: int, last_month: int, raw: str) -> PartialDate:
    """Months `first_month` to `last_month` of `year`, as a window."""
    _check_year(year, raw)
    return _window(dt.date(year, first_month, 1),
                   dt.date(year, last_month, calendar.monthrange(year, last_month)[1]))


def _about_date(date: PartialDate) -> PartialDate:
    """A day or month its writer was unsure of: a month either side."""
    return _window(date.earliest - dt.timedelta(days=31), date.latest + dt.timedelta(days=31))


def _window(earliest: dt.date, latest: dt.date) -> PartialDate:
    """An estimate between two dates (its year the middle one's)."""
    mid = earliest + (latest - earliest) / 2
    return PartialDate(mid.year, None, None, Precision.ESTIMATE, earliest, latest)


def _about(year: int, text: str) -> PartialDate:
    """A year given as a guess ("khoảng năm 1995", "1995?"): a year either side."""
    _check_year(year, text)
    return PartialDate(year, None, None, Precision.ESTIMATE, dt.date(max(MIN_YEAR, year - 1), 1, 1),
                       dt.date(min(MAX_YEAR, year + 1), 12, 31))


# The lunar new year falls between 21 January and 20 February; a lunar month has 29 or 30 days, and a
# leap month, in some years, adds one more before the date
_TET_EARLIEST, _TET_LATEST = (1, 21), (2, 20)


def _numeric(text: str, patterns: tuple[tuple[re.Pattern[str], str], ...]
             ) -> tuple[tuple[int, int | None, int | None], str] | None:
    """The (year, month, day) of the first pattern that reads `text`, and its kind; None when none does."""
    for pattern, kind in patterns:
        m = pattern.match(text)
        if m:
            return _parts(m.groups(), kind), kind
    return None


def _from_lunar(written: str, text: str) -> PartialDate:
    """The solar dates a lunar-calendar date (day first, as Vietnam writes it) may be: an estimate, not
    a conversion (the Vietnamese calendar, reckoned at UTC+7, parts from the Chinese one in some
    years), so no table is needed. A lunar month may have a 30th day that the solar one lacks."""
    found = _numeric(written, _PATTERNS)
    parts = found[0] if found else _spelt(_words(written), text)  # "ÂL: ngày 5 tháng 3 năm 1990"
    if parts is None:
        raise ValueError(f"unreadable lunar date {text!r}")
    year, month, day = parts
    _check_year(year, text)
    if month is None:  # the lunar year: from one new year to the next
        earliest, latest = dt.date(year, *_TET_EARLIEST), dt.date(year + 1, *_TET_LATEST)
    else:
        if not 1 <= month <= 12 or not 1 <= (day or 1) <= 30:
            raise ValueError(f"no lunar month {month} day {day} in {text!r}")
        first, last = (day, day) if day else (1, 30)
        earliest = dt.date(year, *_TET_EARLIEST) + dt.timedelta(days=(month - 1) * 29 + first - 1)
        latest = dt.date(year, *_TET_LATEST) + dt.timedelta(days=month * 30 + last - 1)
    mid = earliest + (latest - earliest) / 2
    return PartialDate(mid.year, None, None, Precision.ESTIMATE, earliest, latest)


def _month_named(words: str, raw: str) -> PartialDate | None:
    """A date with its month spelt out: "May 3, 2001", "3 May 2001", "3rd of May 2001", "03-May-01",
    "Sept 2001", "2001 May 3", and, day first, in the languages of the receiving countries ("3 mai
    2001", "3. März 2001", "le 1er mars 1990", "3 de mayo de 2001") or in Roman numerals ("3.V.2001");
    None when the words are no such date. "Nov-92" is November 1992, as spreadsheets write a month."""
    spaced = " ".join(re.sub(r"[\/\-\.,]", " ", words).split())
    spaced = " ".join(_FILLER.sub(" ", spaced).split())
    spaced = _RUN_TOGETHER.sub(r"\1 \2 \3", spaced)  # "05MAR1990", "1990MAR05"
    m = _DAY_FIRST.match(spaced)
    if m:
        month = _DAY_MONTHS.get(m[2])
        return None if month is None else _day(_full_year(m[3]), month, int(m[1]), raw)
    m = _MONTH_YY.match(words)  # "Nov-92", "Nov '92": a spreadsheet's month and year
    if m and m[1] in _ENGLISH_MONTHS:
        return _month(_full_year(m[2]), _ENGLISH_MONTHS[m[1]], raw)
    m = _YEAR_FIRST.match(spaced)
    if m and m[2] in _ENGLISH_MONTHS:
        month = _ENGLISH_MONTHS[m[2]]
        return _day(int(m[1]), month, int(m[3]), raw) if m[3] else _month(int(m[1]), month, raw)
    m = _MONTH_FIRST.match(spaced)
    if not m:
        return None
    month = _ENGLISH_MONTHS.get(m[1]) or (_EUROPEAN_MONTHS.get(m[1]) if not m[2] else None)
    if month is None:
        return None
    return _day(int(m[3]), month, int(m[2]), raw) if m[2] else _month(int(m[3]), month, raw)


class DateLevel(IntEnum):
    EXACT = 0
    SWAPPED = 1
    WITHIN_DAYS = 2
    SAME_MONTH = 3
    SAME_YEAR = 4
    WITHIN_ESTIMATE = 5
    DIFFERENT = 6
    MISSING = 7


def _swapped(a: PartialDate, b: PartialDate) -> bool:
    return (a.year == b.year and a.day is not None and b.day is not None and a.month == b.day
            and a.day == b.month and a.day <= 12 and a.month is not None and a.month <= 12)


def _read_swapped(d: PartialDate) -> dt.date | None:
    """The other reading of a full date whose day could be its month (05/01: 5 January or 1 May)."""
    if d.day is None or d.month is None or d.day > 12 or d.day == d.month:
        return None
    return dt.date(d.year, d.day, d.month)


def same_day_and_month(a: PartialDate, b: PartialDate) -> bool:
    """Whether two dates name one day and month, read either way round, whatever their years: a slipped
    year (1994 for 2004) keeps them."""
    if not (a.day and a.month and b.day and b.month):
        return False
    return (a.month, a.day) in ((b.month, b.day), (b.day, b.month))


def years_a_slip_apart(a: int, b: Years) -> Years:
    """Whether year `a` is one clerk's slip from `b` (a year, or a numpy array of years): a year off (a
    lunar year, a birthday near the new year), one digit keyed wrong (1998 for 1988), two neighbouring
    digits swapped (1989 for 1998) or the decade (1994 for 2004). Beside the same day and month, the year
    of one person's birth."""
    digits_a = [a // 10**k % 10 for k in range(4)]
    digits_b = [b // 10**k % 10 for k in range(4)]
    differ = [x != y for x, y in zip(digits_a, digits_b, strict=True)]
    swapped = False
    for k in range(3):
        swapped = swapped | (differ[k] & differ[k + 1] & (digits_a[k] == digits_b[k + 1])
                             & (digits_a[k + 1] == digits_b[k]))
    count = sum(differ)
    return (abs(b - a) == 1) | (abs(b - a) == 10) | (count == 1) | ((count == 2) & swapped)


def day_gap(a: PartialDate, b: PartialDate, either_way: bool = True) -> int:
    """Days between a record's full date `a` and a registered one `b`, `a` read either way where its day
    could be the month: an abroad record's 05/01/2001 may mean 1 May, a few days from a registered 26
    April. The register's date is read as registered: its 2018-02-08 read as 2 August, then days off a
    record's 30/07/2018, would be two slips. A record written at home puts the day first (`either_way`
    false): read the other way and days off besides would be two slips too."""
    gap = abs((a.earliest - b.earliest).days)
    other_a = _read_swapped(a) if either_way else None
    return gap if other_a is None else min(gap, abs((other_a - b.earliest).days))


def compare_dates(a: PartialDate | None, b: PartialDate | None, either_way: bool = True) -> DateLevel:
    """Level of agreement; only information both dates carry can agree (2001-05 vs 2001-05 is
    SAME_MONTH, not EXACT). `either_way`: as `day_gap`."""
    if a is None or b is None:
        return DateLevel.MISSING
    if Precision.ESTIMATE in (a.precision, b.precision):
        overlap = a.earliest <= b.latest and b.earliest <= a.latest
        return DateLevel.WITHIN_ESTIMATE if overlap else DateLevel.DIFFERENT
    if a.precision == Precision.DAY and b.precision == Precision.DAY:
        if a.earliest == b.earliest:
            return DateLevel.EXACT
        if _swapped(a, b):
            return DateLevel.SWAPPED
        if day_gap(a, b, either_way) <= WITHIN_DAYS:
            return DateLevel.WITHIN_DAYS
    if a.year != b.year:
        return DateLevel.DIFFERENT
    if a.month is not None and a.month == b.month:
        return DateLevel.SAME_MONTH
    return DateLevel.SAME_YEAR
