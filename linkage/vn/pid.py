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

__all__ = ["PidInfo", "parse_pid", "pid_disagreements"]

_CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 2300, 9: 2300}
_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True, slots=True)
class PidInfo:
    valid: bool
    reason: str  # "" when valid
    province_code: str  # 3 digits, the pre-2025 province code with a leading zero (Hà Nội 001)
    sex: str  # "M" / "F"
    birth_year: int | None  # century digit + 2 year digits


def _invalid(reason: str, province: str = "", sex: str = "", year: int | None = None) -> PidInfo:
    return PidInfo(False, reason, province, sex, year)


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
