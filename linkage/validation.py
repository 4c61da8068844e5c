"""Check a record before anything is matched or written: the one gate for the API and the importers.

Validation refuses only what cannot be a real record (30 February, a birth in the future, a record
with nothing to match on); it never refuses a record for being *unusual* (Western name order, an
estimated age, an old province name, no name at all), because that is the matcher's job. A source
record is taken as its file wrote it: a foundling has no name, a spreadsheet drops the personal
number's leading zeros or leaves a tab after a field, a clerk miscopies a digit, and refusing such a
record would lose a child's file. The population register is held to the number's full structure.
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
from linkage.vn.pid import pid_digits

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
        if isinstance(value, str) and _has_control_characters(value, written=name in _WRITTEN_TEXT):
            violations.append((name, "contains control characters"))
    violations += _check_source(record.source)
    violations += _check_record_id(record.record_id)
    if not isinstance(record.sex, Sex) and record.sex not in {s.value for s in Sex}:
        violations.append(("sex", "must be one of M, F, U"))
    for name, limit in _LENGTH_LIMITS.items():
        if len(getattr(record, name)) > limit:
            violations.append((name, f"longer than {limit} characters"))
    violations += [("birth_date", reason) for reason in check_date_text(record.birth_date, today)]
    violations += [("recorded_on", reason) for reason in _check_recorded_on(record.recorded_on, today)]
    registered = record.source == Source.POPULATION
    violations += [("pid", reason) for reason in (check_personal_number(record.pid, today) if registered
                                                  else _check_written_number(record.pid))]
    violations += _check_full_name(record, refused={name for name, _ in violations})
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


# what finds a person whose record holds no name (a foundling's: "Bãi đất trống", a date, the sex)
_NAMELESS_EVIDENCE = ("birth_date", "mother_name", "father_name", "pid")


def _check_full_name(record: PersonRecord, refused: set[str]) -> list[Violation]:
    """A name, or for a source record without one, something else to match on that is itself sound
    (`refused`: the fields already refused)."""
    name = record.full_name
    if not name.strip():
        if record.source == Source.POPULATION:
            return [("full_name", "is required")]
        if not any(getattr(record, field).strip() and field not in refused for field in _NAMELESS_EVIDENCE):
            return [("full_name", "is required when the record holds no date of birth, parent's name "
                                  "or personal number")]
        return []
    if not any(ch.isalpha() for ch in name):
        return [("full_name", "contains no letters")]
    return []


def check_date_text(text: str, today: date) -> list[str]:
    """Reasons a date of birth as written is impossible; free text (an estimated age) passes."""
    if not text:
        return []
    if len(text) > MAX_DATE_TEXT:
        return [f"longer than {MAX_DATE_TEXT} characters"]
    parts = _date_parts(text)
    return _check_date_parts(*parts, today) if parts else []


def _date_parts(text: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a date written as ISO (a part it leaves out None) or day first; None for
    any other text. Month first where the month cannot be (12/14/1996, as written abroad): `vn.dates`
    reads it so too. The parts are as written: whether they make a real day is `_check_date_parts`'s."""
    text = text.strip()
    if iso := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) if part else None for part in iso.groups())
        return year, month, day
    if day_first := _DAY_FIRST_DATE.fullmatch(text):
        day, month, year = (int(part) for part in day_first.groups())
        return (year, day, month) if month > 12 >= day else (year, month, day)
    return None


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


def full_date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a full date written as ISO or day first (`_date_parts`), as Vietnamese files
    write the day a record was made ("01/03/2024"); None for a partial date or any other text."""
    parts = _date_parts(text)
    return (parts[0], parts[1], parts[2]) if parts and parts[1] and parts[2] else None


def _check_recorded_on(text: str, today: date) -> list[str]:
    if not text:
        return []
    parts = full_date_parts(text)
    if parts is None:
        return ["must be a full date, YYYY-MM-DD or DD/MM/YYYY"]
    return _check_date_parts(*parts, today)


def _check_written_number(written: str) -> list[str]:
    """A source record's personal number as written: whatever `vn.pid.pid_digits` reads as one (grouped,
    its leading zeros dropped by a spreadsheet). A number whose province or century is impossible is a
    digit miscopied, which the matcher weighs; the record is not refused for it."""
    return ["must be exactly 12 digits"] if written.strip() and not pid_digits(written) else []


def check_personal_number(pid: str, today: date) -> list[str]:
    """Structure of the 12-digit personal number as the register holds it: digits, province of
    registration, century."""
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


# Names, places and dates as written: UTF-8 read as Windows-1252 leaves C1 controls where cp1252 has no
# letter (Đ is C4 90: "Ä\x90"; ờ is E1 BB 9D), which `vn.text.normalize` repairs, so they are damage, not
# input to refuse; a spreadsheet's cell keeps a tab or a line break, which are whitespace there. Other
# controls (a bell, an escape, NUL), and any in an identifier, are refused.
_WRITTEN_TEXT = frozenset({"full_name", "mother_name", "father_name", "birth_place", "birth_date"})
_C1 = range(0x80, 0xA0)
# the whitespace a spreadsheet's cell keeps (a tab after the value, a line break inside an address)
_CELL_WHITESPACE = frozenset("\t\n\r")


def _has_control_characters(text: str, written: bool = False) -> bool:
    """Control characters, save in written text (`written`) the C1 range that UTF-8 read as Windows-1252
    leaves (damage the normaliser repairs) and a cell's whitespace."""
    return any(unicodedata.category(ch) in {"Cc", "Cs"}
               and not (written and (ord(ch) in _C1 or ch in _CELL_WHITESPACE)) for ch in text)


def _unique(violations: list[Violation]) -> list[Violation]:
    return list(dict.fromkeys(violations))
