"""A register's export in its own conventions: headers named its way, sex coded 1/2, dates written as
clerks write them. Each row becomes the record it means, through the same layout as any other file."""

from __future__ import annotations

from pathlib import Path

from adapters.sources.files import open_source
from adapters.sources.layout import load_layout
from linkage.domain import Sex


def test_a_population_export_in_its_own_conventions_is_read_row_for_row(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("ID,Họ và tên,Giới tính,Date of Birth,Nơi sinh,CCCD\n"
                    "P1,Lê Văn An,1,03.05.2001,Huế,046201000123\n"
                    "P2,Trần Thị Bình,2,3 May 1999,Hà Nội,\n"
                    "P3,Ngô Thị Cúc,Nữ,ngày 9 tháng 12 năm 1988,,\n"
                    "P4,Đỗ Văn Dũng,X,khoảng 1990,,\n", encoding="utf-8")
    rows = list(open_source(path, load_layout("population_csv")).rows())
    read = [(r.record.record_id, r.record.full_name, r.record.sex, r.record.birth_date, r.record.pid)
            for r in rows if r.record]
    assert read == [("P1", "Lê Văn An", Sex.MALE, "2001-05-03", "046201000123"),
                    ("P2", "Trần Thị Bình", Sex.FEMALE, "1999-05-03", ""),
                    ("P3", "Ngô Thị Cúc", Sex.FEMALE, "1988-12-09", "")]
    # an estimate is no date of birth for the register: rejected with its line, the value never shown
    [rejected] = [r for r in rows if r.record is None]
    assert rejected.line == 5 and "birth_date" in rejected.reason and "1990" not in rejected.reason


def test_an_export_with_semicolons_or_tabs_is_read_by_its_header(tmp_path: Path) -> None:
    """Spreadsheets in locales that write a decimal comma part cells with semicolons, and "text" exports
    with tabs: the layout names no delimiter, the header row shows it."""
    for delimiter in (";", "\t"):
        path = tmp_path / "export.csv"
        path.write_text(delimiter.join(("ID", "Họ và tên", "Ngày sinh")) + "\n"
                        + delimiter.join(("P1", "Lê Văn An", "03/05/2001")) + "\n", encoding="utf-8")
        [row] = open_source(path, load_layout("population_csv")).rows()
        assert (row.record.record_id, row.record.full_name, row.record.birth_date) == \
            ("P1", "Lê Văn An", "2001-05-03")


def test_a_register_that_splits_the_name_over_columns_imports_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("ID,Họ và tên đệm,Tên,Ngày sinh\nP1,Lê Văn,An,03/05/2001\n", encoding="utf-8")
    [row] = open_source(path, load_layout("population_csv")).rows()
    assert (row.record.full_name, row.record.birth_date) == ("Lê Văn An", "2001-05-03")
