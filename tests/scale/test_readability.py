"""bench.readability: what the engine cannot read in a folder of records, as shapes without personal data."""

from __future__ import annotations

from pathlib import Path

from bench import readability
from linkage.domain import PersonRecord
from linkage.synth.generate import generate


def test_unreadable_values_are_counted_by_shape_and_name_nothing() -> None:
    rows = [
        {"birth_date": "ngày 32 tháng 13 năm 1990", "birth_place": "Gần chợ Bến Thành",
         "pid": "CMND 123456789"},
        {"birth_date": "ngày 31 tháng 13 năm 1991", "birth_place": "Near the big river", "pid": ""},
        {"birth_date": "05/03/1990", "birth_place": "Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang",
         "pid": "024190000123"},
    ]
    found = readability.unreadable(rows)
    assert found["birth_date"] == {"ngay 99 thang 99 nam 9999": 2}
    assert sum(found["birth_place"].values()) == 2 and found["pid"] == {"cmnd 999999999": 1}
    shapes = " ".join(s for counter in found.values() for s in counter)
    assert "ben" not in shapes and "river" not in shapes  # a place's own words are never shown


def test_the_report_runs_on_a_folder(tmp_path: Path, capsys) -> None:
    data = tmp_path / "pilot"
    generate(data, population=200, records=20, seed=4)
    assert readability.main(["--data", str(data), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "== records.csv: 20 rows" in out and "birth_date:" in out and "pid:" in out
    assert "refused by the service: " in out


def test_what_the_service_would_refuse_is_counted_by_reason_without_values() -> None:
    """A folder of one's own, before it is linked: the records `MatchRecord` and `linkage link` refuse."""
    records = [
        PersonRecord("adoption_file", "A-1", "", birth_date="31/02/1990"),  # no name, an impossible date
        PersonRecord("adoption_file", "A-2", "Lê Thị Hoa", pid="CCCD 0791"),
        PersonRecord("abandoned_intake", "B-1", "", birth_date="khoảng 2 tháng tuổi",
                     recorded_on="2024-03-01"),  # a foundling the centre has not named: matched
    ]
    count, reasons = readability.refused(records)
    assert count == 2 and reasons == {"birth_date: is not a real calendar date": 1,
                       "full_name: is required when the record holds no date of birth, parent's name or "
                       "personal number": 1, "pid: must be exactly 12 digits": 1}
    assert not any("0791" in reason or "Hoa" in reason for reason in reasons)
