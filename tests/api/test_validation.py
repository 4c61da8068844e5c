"""`linkage.validation`: refuse impossible records, let unusual ones through, never echo values."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from linkage.domain import PersonRecord, Sex
from linkage.validation import validate_record

TODAY = date(2025, 6, 1)
GOOD = PersonRecord("child_registry", "CR-1", "Nguyễn Thị Lan", Sex.FEMALE, "2001-05-03", "Hà Nội",
                    "Trần Thị Hoa", "Nguyễn Văn Minh", "001301012345")


@pytest.mark.parametrize("changes", [
    {},
    {"full_name": "Lan Thi Nguyen"},
    {"full_name": "Emily Lan Nguyen"},
    {"full_name": "H'Hen Niê"},
    {"birth_date": "khoảng 2 tháng tuổi", "recorded_on": "2024-10-01"},
    {"birth_date": "2001-05"},
    {"birth_date": "2001"},
    {"birth_date": "03/05/2001"},
    {"birth_date": "00/00/2001"},  # day and month not known, as Vietnamese records write it
    {"birth_date": "00/05/2001"},
    {"birth_date": "2001-05-00"},
    {"birth_date": "05/03/2001 (âm lịch)"},
    {"birth_place": "Hà Tây"},
    {"pid": ""},
    {"sex": Sex.UNKNOWN},
    {"record_id": "AB/2024/17"},
    # UTF-8 read as Windows-1252 ("Lê Ngọc Đan Trang"): the C1 controls are damage the normaliser repairs
    {"full_name": "LÃŠ NGá»ŒC Ä\x90AN TRANG", "mother_name": "Pháº¡m Thá»‹ Ä\x90Ã o"},
    # the day of intake as a centre's file writes it, day first
    {"birth_date": "khoảng 2 tháng tuổi", "recorded_on": "01/10/2024"},
    {"birth_date": "khoảng 2 tháng tuổi", "recorded_on": "1.10.2024"},
    # a foundling with no name: the date, the parents or the number still find the child
    {"full_name": "", "source": "abandoned_intake"},
    {"full_name": " ", "mother_name": "", "father_name": "", "pid": ""},
    # a spreadsheet's cell: a tab after the value, a line break inside an address
    {"full_name": "Nguyễn Thị Lan\t", "birth_place": "Xã Nà Khoa,\r\nĐiện Biên",
     "birth_date": "2001-05-03\t"},
    # the personal number as files write it: grouped, its leading zeros dropped by a spreadsheet
    {"pid": "001 301 012345"},
    {"pid": "001.301.012.345"},
    {"pid": "1301012345"},
    {"pid": "79301012345"},
    {"pid": "79301012345.0"},
    # a digit miscopied into an impossible province or century: the matcher weighs it
    {"pid": "003301012345"},
    {"pid": "001330012345"},
])
def test_unusual_but_possible_records_pass(changes: dict) -> None:
    assert validate_record(replace(GOOD, **changes), TODAY) == []


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"full_name": "", "source": "population"}, "full_name", "is required"),
    ({"full_name": "", "birth_date": "", "mother_name": "", "father_name": "", "pid": ""}, "full_name",
     "is required when the record holds no date of birth, parent's name or personal number"),
    ({"full_name": "Lan\x1b"}, "full_name", "contains control characters"),
    ({"record_id": "CR-1\t"}, "record_id", "contains control characters"),
    ({"record_id": "CR-\x90"}, "record_id", "contains control characters"),
    ({"full_name": "-- ."}, "full_name", "contains no letters"),
    ({"full_name": "A" * 201}, "full_name", "longer than 200 characters"),
    ({"source": "facebook"}, "source", "is not a known source"),
    ({"source": ""}, "source", "is required"),
    ({"record_id": " "}, "record_id", "is required"),
    ({"record_id": " CR-1"}, "record_id", "has leading or trailing spaces"),
    ({"sex": "X"}, "sex", "must be one of M, F, U"),
    ({"birth_date": "2001-02-29"}, "birth_date", "is not a real calendar date"),
    ({"birth_date": "31/04/2001"}, "birth_date", "is not a real calendar date"),
    ({"birth_date": "2025-06-02"}, "birth_date", "is in the future"),
    ({"birth_date": "2025-07"}, "birth_date", "is in the future"),
    ({"birth_date": "1899"}, "birth_date", "year must be between 1900 and 2025"),
    ({"birth_date": "2001-13"}, "birth_date", "month must be between 1 and 12"),
    ({"birth_date": "13/14/2001"}, "birth_date", "month must be between 1 and 12"),
    ({"birth_date": "2001-00-03"}, "birth_date", "day given without a month"),
    ({"recorded_on": "2024"}, "recorded_on", "must be a full date, YYYY-MM-DD or DD/MM/YYYY"),
    ({"recorded_on": "2024-05-00"}, "recorded_on", "must be a full date, YYYY-MM-DD or DD/MM/YYYY"),
    ({"recorded_on": "05/2024"}, "recorded_on", "must be a full date, YYYY-MM-DD or DD/MM/YYYY"),
    ({"recorded_on": "31/04/2024"}, "recorded_on", "is not a real calendar date"),
    ({"pid": "0013010123"}, "pid", "must be exactly 12 digits"),
    ({"pid": "１２３４５６７８９０１２"}, "pid", "must be exactly 12 digits"),
    ({"pid": "00130101234"}, "pid", "must be exactly 12 digits"),
    ({"pid": "3301012345"}, "pid", "must be exactly 12 digits"),
    ({"pid": "003301012345", "source": "population"}, "pid", "does not start with a province code"),
    ({"pid": "001330012345", "source": "population"}, "pid", "encodes a birth year in the future"),
    ({"pid": "79301012345", "source": "population"}, "pid", "must be exactly 12 digits"),
])
def test_impossible_records_are_refused(changes: dict, field: str, reason: str) -> None:
    violations = validate_record(replace(GOOD, **changes), TODAY)
    assert (field, reason) in violations
    for value in changes.values():
        assert all(str(value) not in text for _, text in violations if len(str(value)) > 2)


@pytest.mark.parametrize("written", ["12/14/1996", "14/12/1996", "02/29/2000", "1996-12-14"])
def test_dates_written_month_first_abroad_are_accepted(written: str) -> None:
    assert validate_record(replace(GOOD, birth_date=written), TODAY) == []


def test_province_codes_cover_both_maps() -> None:
    for code in ("001", "079", "096", "066", "084"):
        assert validate_record(replace(GOOD, pid=code + "301012345"), TODAY) == []
