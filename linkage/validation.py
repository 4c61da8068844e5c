"""Check a record before anything is matched or written: the one gate for the API and the importers.

Validation refuses only what cannot be a real record (an empty name, 30 February, a birth in the
future, a personal number of the wrong shape); it never refuses a record for being *unusual*
(Western name order, an estimated age, an old province name), because that is the matcher's job.
Reasons name the rule broken and never repeat the value, so they are safe to log and to return.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import fields
from datetime import date
from functools import cache
from importlib import resources

from linkage.domain import PersonRecord, Sex, Source

MAX_RECORD_ID = 128
MAX_NAME = 200
MAX_PLACE = 300
MAX_DATE_TEXT = 100
MIN_BIRTH_YEAR = 1900

Violation = tuple[str, str]

_LENGTH_LIMITS = {
    "full_name": MAX_NAME, "mother_name": MAX_NAME, "father_name": MAX_NAME, "birth_place": MAX_PLACE
}
_ISO_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# Day first, as Vietnamese write dates: 03/05/2001 is 3 May 2001.
_DAY_FIRST_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_PID = re.compile(r"[0-9]{12}")
# The 4th digit of a personal number encodes sex and century of birth (Circular 59/2021/TT-BCA):
# 0/1 born 1900-1999 (male/female), 2/3 2000-2099, 4/5 2100-2199, 6/7 2200-2299, 8/9 1800-1899.
_CENTURY_BY_DIGIT = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}


def validate_record(record: PersonRecord, today: date | None = None) -> list[Violation]:
    """Every (field, reason) pair the record breaks; empty when it may be matched and stored."""
    today = today or date.today()
    violations: list[Violation] = []
    for name in (f.name for f in fields(PersonRecord)):
        value = getattr(record, name)
        if isinstance(value, str) and _has_control_characters(value, mojibake_allowed=name in _WRITTEN_TEXT):
            violations.append((name, "contains control characters"))
    violations += _check_source(record.source)
    violations += _check_record_id(record.record_id)
    violations += _check_full_name(record.full_name)
    if not isinstance(record.sex, Sex) and record.sex not in {s.value for s in Sex}:
        violations.append(("sex", "must be one of M, F, U"))
    for name, limit in _LENGTH_LIMITS.items():
        if len(getattr(record, name)) > limit:
            violations.append((name, f"longer than {limit} characters"))
    violations += [("birth_date", reason) for reason in check_date_text(record.birth_date, today)]
    violations += [("recorded_on", reason) for reason in _check_recorded_on(record.recorded_on, today)]
    violations += [("pid", reason) for reason in check_personal_number(record.pid, today)]
    return _unique(violations)


def _check_source(source: str) -> list[Violation]:
    if not source:
        return [("source", "is required")]
    if source not in {s.value for s in Source}:
        return [("source", "is not a known source")]
    return []


def _check_record_id(record_id: str) -> list[Violation]:
    if not record_id.strip():
        return [("record_id", "is required")]
    if len(record_id) > MAX_RECORD_ID:
        return [("record_id", f"longer than {MAX_RECORD_ID} characters")]
    if record_id != record_id.strip():
        return [("record_id", "has leading or trailing spaces")]
    return []


def _check_full_name(name: str) -> list[Violation]:
    if not name.strip():
        return [("full_name", "is required")]
    if not any(ch.isalpha() for ch in name):
        return [("full_name", "contains no letters")]
    return []


def check_date_text(text: str, today: date) -> list[str]:
    """Reasons a date of birth as written is impossible; free text (an estimated age) passes."""
    if not text:
        return []
    if len(text) > MAX_DATE_TEXT:
        return [f"longer than {MAX_DATE_TEXT} characters"]
    if iso := _ISO_DATE.fullmatch(text.strip()):
        year, month, day = (int(part) if part else None for part in iso.groups())
        return _check_date_parts(year, month, day, today)
    if day_first := _DAY_FIRST_DATE.fullmatch(text.strip()):
        day, month, year = (int(part) for part in day_first.groups())
        if month > 12 >= day:  # month first, as written abroad (12/14/1996): `vn.dates` reads it so too
            day, month = month, day
        return _check_date_parts(year, month, day, today)
    return []


def _check_date_parts(year: int, month: int | None, day: int | None, today: date) -> list[str]:
    """A day or month of 0 is one not known, as Vietnamese records write it (00/00/1990: the year)."""
    if not MIN_BIRTH_YEAR <= year <= today.year:
        return [f"year must be between {MIN_BIRTH_YEAR} and {today.year}"]
    if month == 0 and day:
        return ["day given without a month"]
    month, day = month or None, day or None
    if month is not None and not 1 <= month <= 12:
        return ["month must be between 1 and 12"]
    if day is None:
        if month is not None and (year, month) > (today.year, today.month):
            return ["is in the future"]
        return []
    try:
        born = date(year, month or 1, day)
    except ValueError:
        return ["is not a real calendar date"]
    return ["is in the future"] if born > today else []


def _check_recorded_on(text: str, today: date) -> list[str]:
    if not text:
        return []
    iso = _ISO_DATE.fullmatch(text)
    if not iso or not iso.group(3) or 0 in (int(iso.group(2)), int(iso.group(3))):
        return ["must be a full date, YYYY-MM-DD"]
    return _check_date_parts(*(int(part) for part in iso.groups()), today)


def check_personal_number(pid: str, today: date) -> list[str]:
    """Structure of the 12-digit personal number: digits, province of registration, century."""
    if not pid:
        return []
    if not _PID.fullmatch(pid):
        return ["must be exactly 12 digits"]
    if pid[:3] not in _province_codes():
        return ["does not start with a province code"]
    born_year = _CENTURY_BY_DIGIT[int(pid[3])] + int(pid[4:6])
    if born_year > today.year:
        return ["encodes a birth year in the future"]
    return []


@cache
def _province_codes() -> frozenset[str]:
    """Three-digit province codes of personal numbers: '0' + the province's administrative code."""
    admin = resources.files("linkage.vn").joinpath("data/admin")
    codes: set[str] = set()
    for name, column in (("units_pre2025_63_provinces.csv", "province_code"),
                         ("province_codes_2025.csv", "Mã số")):
        with admin.joinpath(name).open(encoding="utf-8") as handle:
            codes |= {row[column].strip().zfill(3) for row in csv.DictReader(handle)}
    return frozenset(codes)


# Names and places as written: UTF-8 read as Windows-1252 leaves C1 controls where cp1252 has no letter
# (Đ is C4 90: "Ä\x90"; ờ is E1 BB 9D), which `vn.text.normalize` repairs, so they are damage, not input
# to refuse. Everywhere else, and C0 controls (tab, newline, bell) anywhere, are refused.
_WRITTEN_TEXT = frozenset({"full_name", "mother_name", "father_name", "birth_place"})
_C1 = range(0x80, 0xA0)


def _has_control_characters(text: str, mojibake_allowed: bool = False) -> bool:
    return any(unicodedata.category(ch) in {"Cc", "Cs"} and not (mojibake_allowed and ord(ch) in _C1)
               for ch in text)


def _unique(violations: list[Violation]) -> list[Violation]:
    return list(dict.fromkeys(violations))
