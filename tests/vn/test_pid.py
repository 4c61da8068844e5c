"""The 12-digit personal identification number."""

from __future__ import annotations

import datetime as dt

import pytest

from linkage.vn.pid import parse_pid, pid_digits, pid_disagreements


@pytest.mark.parametrize(
    "pid,province,sex,year",
    [
        ("001201012345", "001", "M", 2001),
        ("079301012345", "079", "F", 2001),
        ("001085000001", "001", "M", 1985),
        ("096190123456", "096", "F", 1990),
        ("001 210 123456", "001", "M", 2010),
        ("048-099-123456", "048", "M", 1999),
    ],
)
def test_valid_numbers(pid: str, province: str, sex: str, year: int) -> None:
    info = parse_pid(pid)
    assert info.valid and info.reason == ""
    assert (info.province_code, info.sex, info.birth_year) == (province, sex, year)


@pytest.mark.parametrize(
    "pid,reason",
    [
        ("", "empty"),
        ("12345678901", "11 digits"),
        ("0012010123456", "13 digits"),
        ("00120101234a", "digits"),
        ("123456789", "CMND"),
        ("099201012345", "province code 099"),
        ("101201012345", "province code 101"),
        ("003201012345", "province code 003"),
        ("001450123456", "future"),
    ],
)
def test_invalid_numbers(pid: str, reason: str) -> None:
    info = parse_pid(pid, dt.date(2026, 1, 1))
    assert not info.valid
    assert reason in info.reason


def test_century_digits() -> None:
    today = dt.date(2400, 1, 1)
    years = [parse_pid(f"001{d}05123456", today).birth_year for d in range(10)]
    assert years == [1905, 1905, 2005, 2005, 2105, 2105, 2205, 2205, 2305, 2305]
    assert [parse_pid(f"001{d}05123456", today).sex for d in range(4)] == ["M", "F", "M", "F"]


def test_disagreements() -> None:
    pid = "001201012345"  # Hà Nội, male, 2001
    assert pid_disagreements(pid, "M", 2001, "01") == []
    assert pid_disagreements(pid, "F", 2002, "79") == ["sex", "birth_year", "province"]
    assert pid_disagreements(pid, None, None, None) == []
    assert pid_disagreements(pid, "U", None, "") == []
    assert pid_disagreements("", "F", 1990, "79") == []
    assert pid_disagreements("12345", "F", 1990, "79") == ["invalid"]


@pytest.mark.parametrize(("written", "digits"), [
    ("001201012345", "001201012345"),
    ("001 201 012345", "001201012345"),
    ("79301012345", "079301012345"),       # a spreadsheet dropped the leading 0
    ("79301012345.0", "079301012345"),     # and wrote the number with its decimals
    ("1201012345", "001201012345"),        # both zeros of Hà Nội's 001 dropped
    ("2201012345", "002201012345"),        # Hà Giang's 002
    ("3201012345", ""),                    # 003 is no province: ten digits of something else
    ("0012010123", ""),                    # opens with 0: no zeros were dropped
    ("CMND 123456789, CCCD 001201012345", "001201012345"),
    ("１２０１０１２３４５６７", ""),           # full-width digits are no number a register wrote
    ("", ""),
])
def test_pid_digits_reads_the_number_as_files_write_it(written: str, digits: str) -> None:
    assert pid_digits(written) == digits
