"""A population file with every kind of bad row: each bad row in the report with its reason, every
good row in the store, nothing else (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from adapters.sources.files import open_source
from adapters.sources.layout import load_layout
from adapters.store import Store
from linkage.services.importing import import_source

HEADER = "record_id,full_name,sex,birth_date,birth_place,mother_name,father_name,pid,recorded_on\n"
GOOD_PID = "001090012345"
TOMORROW = (date.today() + timedelta(days=1)).isoformat()

ROW_G1 = "G1,Nguyễn Thị Lan,F,2001-05-03,Hà Nội,,,,\n".encode()

# (row bytes, expected reason fragment or None for a good row)
ROWS: list[tuple[bytes, str | None]] = [
    (ROW_G1, None),
    ("G2,Tra\u0302\u0300n Va\u0306n A,M,03/05/1990,,,,001090012345,\n".encode(), None),  # NFD, day-first date
    (b"G3,Le Van B,nam,1985,,,,,\n", None),                   # year precision, Vietnamese sex value
    (ROW_G1, None),                                           # the same row again: harmless
    (b"B1,,F,2001-05-03,,,,,\n", "full_name: is required"),
    (b"B2,Nguyen \x07Lan,F,2001-05-03,,,,,\n", "control characters"),
    (b"B3,Tran Thi C,F,2001-02-30,,,,,\n", "not a calendar date"),
    (b"B4,Tran Thi D,F,2099-01-01,,,,,\n", "year must be between 1900 and"),
    (f"B4b,Tran Thi D,F,{TOMORROW},,,,,\n".encode(), "is in the future"),
    (b"B5,Tran Thi E,F,2001-01-01,,,,00109001234,\n", "exactly 12 digits"),
    (b"B6,Tran Thi F,F,2001-01-01,,,,999090012345,\n", "province code"),
    (b"B7,Tran Thi G,F,2001-01-01,,,,001490012345,\n", "birth year in the future"),
    (b"B8,Tran Thi H,Q,2001-01-01,,,,,\n", "sex: unknown value"),
    (b",Tran Thi I,F,2001-01-01,,,,,\n", "record_id: is required"),
    (b"B10,Tran Thi K,F,,,,,,\n", "birth_date: is required"),
    (b"B11,Tran Thi L,F,2001-01-01\n", "has 4 columns, the header has 9"),
    (b"B12,Tran Thi M,F,2001-01-01,,,,,,extra\n", "has 10 columns, the header has 9"),
    (b"B13,Tr\xe1\xbb n Thi N,F,2001-01-01,,,,,\n", "invalid byte sequence"),
    (b"B14," + b"A" * 1_200 + b",F,2001-01-01,,,,,\n", "longer than 1000 characters"),
    (b"B15," + b"A" * 300 + b",F,2001-01-01,,,,,\n", "full_name: longer than 200"),
    (b"G1,Nguyen Thi Khac,F,1999-09-09,,,,,\n", "appears more than once"),
    (b"B17,Tran Thi P,F,not a date,,,,,\n", "not a calendar date"),
    (b"B18,12345,F,2001-01-01,,,,,\n", "contains no letters"),
    (b"B19" + b"9" * 130 + b",Tran Thi Q,F,2001-01-01,,,,,\n", "record_id: longer than 128"),
    (b"B20,Tran Thi R,F,2001-01-01,,,,0010900abcde,\n", "exactly 12 digits"),
    (b'B21,"Tran" Thi S,F,2001-01-01,,,,,\n', "malformed CSV"),
    (b"B22,Tran Thi T,F,2001-01-01," + b"x" * 17_000 + b",,,\n", "row longer than"),
    (b"B23,Tran Thi U,F,1850-01-01,,,,,\n", "year must be between"),
    (b"B24,Tran Thi V,F,2001-13-01,,,,,\n", "not a calendar date"),
    (b"B25,Tran Thi W,F,2001-01-01,,,,,2001-01\n", "recorded_on: must be a full date"),
]


def _write(path: Path) -> dict[int, str | None]:
    expected: dict[int, str | None] = {}
    with open(path, "wb") as handle:
        handle.write(HEADER.encode())
        for line, (raw, reason) in enumerate(ROWS, start=2):
            handle.write(raw)
            expected[line] = reason
    return expected


def test_every_bad_row_is_reported_and_every_good_row_is_in(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    expected = _write(path)
    assert sum(reason is not None for reason in expected.values()) >= 20
    report = import_source(open_source(path, load_layout("population_csv")), store.unit_of_work, batch_size=7)

    reported = dict(report.rejected)
    wanted_bad = {line: reason for line, reason in expected.items() if reason}
    assert set(reported) == set(wanted_bad)
    for line, fragment in wanted_bad.items():
        assert fragment in reported[line], (line, reported[line])
    with store.unit_of_work() as uow:
        assert uow.identities.count() == 3
        assert uow.identities.get("G1").full_name == "Nguyễn Thị Lan"
        assert uow.identities.get("G1").birth_place == "Hà Nội"
        assert uow.identities.get("G2").full_name == "Trần Văn A"   # NFD in, NFC stored
        assert uow.identities.get("G2").birth_date == "1990-05-03"
        assert uow.identities.get("G2").pid == GOOD_PID
        assert uow.identities.get("G3").birth_date == "1985"
    # No reason repeats a value of the file (reasons are safe to log).
    assert not any("Tran Thi" in reason or "Nguyen" in reason for reason in reported.values())


def test_a_nameless_foundling_is_imported_a_row_with_nothing_is_not(store: Store, tmp_path: Path) -> None:
    """A centre records a foundling it has not named: the layouts required a name, and the record was
    refused. Now `linkage.validation` decides: nothing else sound to match on is what refuses a row."""
    path = tmp_path / "intake.csv"
    path.write_text("ma_ho_so,ten_tam_goi,gioi_tinh,tuoi_uoc_tinh,noi_phat_hien,ngay_tiep_nhan\n"
                    "AB-1,,gái,khoảng 2 tháng tuổi,Trước cổng chùa Phổ Quang,01/03/2024\n"
                    "AB-2,,gái,,Trước cổng chùa Phổ Quang,01/03/2024\n", encoding="utf-8")
    report = import_source(open_source(path, load_layout("abandoned_intake_csv")), store.unit_of_work)
    assert [(line, reason.split(" when ")[0]) for line, reason in report.rejected] == [
        (3, "full_name: is required")]
    with store.unit_of_work() as uow:
        foundling = uow.records.get("abandoned_intake", "AB-1")
        assert foundling is not None and foundling.full_name == "" and foundling.recorded_on == "2024-03-01"
        assert uow.records.get("abandoned_intake", "AB-2") is None
