"""The 12-digit personal identification number (số định danh cá nhân / CCCD) and what it says.

Structure (Decree 137/2015/NĐ-CP, Circular 07/2016/TT-BCA art. 7; SOURCES.md):
  digits 1-3   province of birth registration: the pre-2025 (63-province) code with a leading 0
               (Hà Nội 001, TP Hồ Chí Minh 079); unchanged by the 2025 merger
  digit 4      sex and century: 0/1 male/female born 1900-1999, 2/3 in 2000-2099, 4/5 in 2100-2199,
               6/7 in 2200-2299, 8/9 in 2300-2399
  digits 5-6   last two digits of the birth year
  digits 7-12  random
A record whose sex, birth year or birth province disagrees with its own number is a strong hint of a
data-entry error or of a different person; the engine decides which.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from linkage.vn.places import old_provinces

__all__ = ["PidInfo", "parse_pid", "pid_digits", "pid_disagreements"]

_CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 2300, 9: 2300}
_SEPARATORS = re.compile(r"[\s.\-]")
# a spreadsheet that held the number as a number writes it with its decimals ("79302129653.0")
_SPREADSHEET_DECIMALS = re.compile(r"(?<=\d)\.0+\s*$")
# a number written in groups ("001 203 001234", "001.203.001.234"), apart from other numbers in the field
_NUMBER = re.compile(r"[0-9]+(?:[ .\-][0-9]+)*")
_DIGITS = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class PidInfo:
    valid: bool
    reason: str  # "" when valid
    province_code: str  # 3 digits, the pre-2025 province code with a leading zero (Hà Nội 001)
    sex: str  # "M" / "F"
    birth_year: int | None  # century digit + 2 year digits


def _invalid(reason: str, province: str = "", sex: str = "", year: int | None = None) -> PidInfo:
    return PidInfo(False, reason, province, sex, year)


def pid_digits(written: str) -> str:
    """The personal number's twelve digits as a file writes them, "" for anything else.

    Every number opens with 0 (its province code is 001-096), which a spreadsheet holding it as a number
    drops: eleven digits that do not open with 0 are the twelve without it, and ten whose first digit
    makes a province code 001-009 (Hà Nội's 001) are the twelve without both. Where the field holds other
    numbers too (the old nine-digit card's, the year the card was issued: "CMND 123456789, CCCD
    001203001234"), the one number of twelve digits. Only ASCII digits count: a full-width "１２…" is no
    number a register wrote."""
    digits = "".join(ch for ch in _SPREADSHEET_DECIMALS.sub("", written) if ch in _DIGITS)
    if len(digits) == 11 and digits[0] != "0":
        digits = "0" + digits
    elif len(digits) == 10 and "0" + digits[0] in old_provinces():
        digits = "00" + digits
    if len(digits) == 12:
        return digits
    twelve = {n for n in ("".join(filter(_DIGITS.__contains__, m[0])) for m in _NUMBER.finditer(written))
              if len(n) == 12}
    return twelve.pop() if len(twelve) == 1 else ""


@lru_cache(maxsize=1 << 16)
def parse_pid(pid: str, today: dt.date | None = None) -> PidInfo:
    """Check the number's structure and read what it encodes; `today` bounds the birth year."""
    digits = _SEPARATORS.sub("", pid or "")
    if not digits:
        return _invalid("empty")
    if not digits.isdigit() or not digits.isascii():
        return _invalid("not all digits")
    if len(digits) == 9:
        return _invalid("9-digit identity card (CMND), not a 12-digit personal number")
    if len(digits) != 12:
        return _invalid(f"{len(digits)} digits, expected 12")
    province = digits[:3]
    code = int(digits[3])
    sex = "M" if code % 2 == 0 else "F"
    year = _CENTURY[code] + int(digits[4:6])
    if province[0] != "0" or province[1:] not in old_provinces():
        return _invalid(f"province code {province} is not one of the 63", "", sex, year)
    this_year = (today or dt.date.today()).year
    if year > this_year:
        return _invalid(f"birth year {year} is in the future", province, sex, year)
    return PidInfo(True, "", province, sex, year)


def pid_disagreements(pid: str, sex: str | None, birth_year: int | None,
                      old_province_code: str | None) -> list[str]:
    """Fields of the record that contradict its own number: subset of ["sex", "birth_year",
    "province"], in that order; ["invalid"] when the number itself is malformed; [] when the number
    is empty (nothing to check). Unknown record values ("", None, "U") are never disagreements."""
    if not (pid or "").strip():
        return []
    info = parse_pid(pid)
    if not info.valid:
        return ["invalid"]
    out = []
    sex_value = getattr(sex, "value", sex)
    if sex_value in ("M", "F") and sex_value != info.sex:
        out.append("sex")
    if birth_year is not None and birth_year != info.birth_year:
        out.append("birth_year")
    if old_province_code and old_province_code.zfill(3) != info.province_code:
        out.append("province")
    return out
