"""CSV in and out: header mapping, aliases, errors that name what is wrong, BOM, the result writer."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest

from adapters.csv_io import LinkResultWriter, parse_mapping, parse_sex, read_records
from adapters.encodings import encode_legacy
from linkage.domain import Candidate, Decision, MatchResult, PersonRecord, Sex


def write(tmp_path: Path, text: str, name: str = "in.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_columns_named_like_fields_fill_the_record(tmp_path: Path) -> None:
    path = write(tmp_path,
                 "record_id,full_name,sex,birth_date,birth_place,mother_name,father_name,pid,extra\n"
                 "P1,Nguyễn Thị Lan,nữ,2001-05-03,Hà Nội,Trần Thị Hoa,Nguyễn Văn Minh,001301012345,x\n"
                 "P2,  Lê Văn Hùng  ,Nam,2001,,,,,\n")
    rows = list(read_records(path, "population"))
    assert rows == [
        (2, PersonRecord("population", "P1", "Nguyễn Thị Lan", Sex.FEMALE, "2001-05-03", "Hà Nội",
                         "Trần Thị Hoa", "Nguyễn Văn Minh", "001301012345")),
        (3, PersonRecord("population", "P2", "Lê Văn Hùng", Sex.MALE, "2001")),
    ]


def test_id_is_an_alias_and_headers_ignore_case_and_spaces(tmp_path: Path) -> None:
    path = write(tmp_path, " ID ,Full_Name,Recorded_On\nC-1,Giàng A Páo,2024-02-01\n")
    [(line, record)] = read_records(path, "abandoned_intake")
    assert (line, record.source, record.record_id, record.full_name, record.recorded_on) == (
        2, "abandoned_intake", "C-1", "Giàng A Páo", "2024-02-01")


def test_a_file_of_several_sources_gives_each_row_its_own(tmp_path: Path) -> None:
    """`linkage synth` writes one records file for every source: each row was read as the command's
    `--source` (child_registry), so an adoption file was linked on a child registry's threshold."""
    path = write(tmp_path, "source,record_id,full_name\nadoption_file,A-1,Emily Lan Nguyen\n"
                           "trace_request,T-1,Lan\n,C-1,Nguyễn Thị Lan\n")
    assert [(r.source, r.record_id) for _, r in read_records(path, None)] == [
        ("adoption_file", "A-1"), ("trace_request", "T-1"), ("child_registry", "C-1")]
    # a source the command names is every row's
    assert {r.source for _, r in read_records(path, "adoption_file")} == {"adoption_file"}
    mapped = write(tmp_path, "nguon,id,full_name\nabandoned_intake,B-1,Bé gái\n")
    [(_, record)] = read_records(mapped, None, parse_mapping(["source=nguon"]))
    assert (record.source, record.record_id) == ("abandoned_intake", "B-1")


def test_mapping_names_other_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "rid,ho_ten,province,birth_place\nA-1,Emily Lan Nguyen,Sài Gòn,ignored\n")
    mapping = parse_mapping(["id=rid", "full_name=ho_ten", "birth_place=province"])
    assert mapping == {"record_id": "rid", "full_name": "ho_ten", "birth_place": "province"}
    [(_, record)] = read_records(path, "adoption_file", mapping)
    assert (record.record_id, record.full_name, record.birth_place) == ("A-1", "Emily Lan Nguyen", "Sài Gòn")


def test_a_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    path = write(tmp_path, "id,full_name\nP1,Đặng Văn Đức\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    [(_, record)] = read_records(path, "population")
    assert (record.record_id, record.full_name) == ("P1", "Đặng Văn Đức")


def test_text_is_kept_as_written_in_its_unicode_form(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    path = write(tmp_path, f"id,full_name\nP1,{nfd}\n")
    [(_, record)] = read_records(path, "population")
    assert record.full_name.encode() == nfd.encode()


def test_line_numbers_count_physical_lines_and_skip_blank_rows(tmp_path: Path) -> None:
    path = write(tmp_path, 'id,full_name,birth_place\nP1,"Lê\nThị Lan",x\n\n,,\nP2,Vũ Văn An,y\n')
    assert [(line, r.record_id) for line, r in read_records(path, "population")] == [(2, "P1"), (6, "P2")]


def test_short_rows_leave_missing_fields_blank(tmp_path: Path) -> None:
    path = write(tmp_path, "id,full_name,birth_date\nP1,Lò Văn Páo\n")
    [(_, record)] = read_records(path, "population")
    assert record.birth_date == ""


@pytest.mark.parametrize(("spelling", "sex"), [
    ("M", Sex.MALE), ("m", Sex.MALE), ("Nam", Sex.MALE), ("MALE", Sex.MALE),
    ("F", Sex.FEMALE), ("Nữ", Sex.FEMALE), (unicodedata.normalize("NFD", "NỮ"), Sex.FEMALE),
    ("female", Sex.FEMALE), ("U", Sex.UNKNOWN), ("", Sex.UNKNOWN), (" f ", Sex.FEMALE),
    ("1", Sex.MALE), ("2", Sex.FEMALE), ("0", Sex.UNKNOWN), ("9", Sex.UNKNOWN),  # ISO/IEC 5218
    ("Girl", Sex.FEMALE), ("Bé  gái", Sex.FEMALE), ("trai", Sex.MALE), ("Không rõ", Sex.UNKNOWN),
    # the receiving countries' words and letters: homme (H), weiblich (W), vrouw (V), kvinde (K)
    ("H", Sex.MALE), ("W", Sex.FEMALE), ("V", Sex.FEMALE), ("K", Sex.FEMALE), ("fille", Sex.FEMALE),
    ("Junge", Sex.MALE), ("maschio", Sex.MALE), ("vrouwelijk", Sex.FEMALE), ("pige", Sex.FEMALE),
    ("flicka", Sex.FEMALE), ("N/A", Sex.UNKNOWN), ("?", Sex.UNKNOWN),
])
def test_sex_spellings(spelling: str, sex: Sex) -> None:
    assert parse_sex(spelling) is sex


def test_an_unknown_sex_is_rejected_with_its_line_and_never_its_value(tmp_path: Path) -> None:
    path = write(tmp_path, "id,full_name,sex\nP1,Lê Văn An,M\nP2,Lê Thị Bí,SECRETVALUE\nP3,Lê Văn Cư,nam\n")
    with pytest.raises(ValueError, match="line 3: sex") as caught:
        list(read_records(path, "population"))
    assert "SECRETVALUE" not in str(caught.value)
    rejects: list[tuple[int, str]] = []
    ids = [r.record_id for _, r in read_records(path, "population", on_reject=lambda *r: rejects.append(r))]
    assert ids == ["P1", "P3"]
    assert [line for line, _ in rejects] == [3] and "sex" in rejects[0][1]


@pytest.mark.parametrize(("header", "mapping", "message"), [
    ("full_name\n", None, r"no column for record_id \(or id\)"),
    ("id,nickname\n", None, "no column for full_name"),
    ("nickname\n", None, r"record_id \(or id\) and full_name"),
    ("id,full_name\n", {"full_name": "ten"}, "mapped column 'ten' .for full_name. is not in the header"),
    ("id,full_name\n", {"nickname": "full_name"}, "unknown record field 'nickname'"),
    ("", None, "empty file"),
])
def test_header_problems_name_what_is_wrong(
    tmp_path: Path, header: str, mapping: dict[str, str] | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        list(read_records(write(tmp_path, header), "population", mapping))


@pytest.mark.parametrize(("pairs", "message"), [
    (["id"], "expected FIELD=COLUMN"),
    (["=rid"], "expected FIELD=COLUMN"),
    (["id="], "expected FIELD=COLUMN"),
    (["province=tinh"], "unknown record field 'province'"),
    (["id=a", "record_id=b"], "mapped twice"),
])
def test_bad_mappings_are_refused(pairs: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_mapping(pairs)


@pytest.mark.parametrize("text,encoding", [
    ("id\tfull_name\tdob\nP1\tNguyễn Văn An\t03/05/2001\n", "utf-16"),   # a spreadsheet's "Unicode text"
    ("id;full_name;dob\nP1;Nguyễn Văn An;03/05/2001\n", "utf-8-sig"),     # where the decimal point is a comma
    ("id|full_name|dob\nP1|\"Nguyễn Văn An\"|03/05/2001\n", "utf-8"),
    ("id,full_name,dob\nP1,Nguyễn Văn An,03/05/2001\n", "cp1258"),        # Vietnamese Windows' own code page
])
def test_a_file_in_another_encoding_or_delimiter_is_read(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(encode_legacy(text, encoding) if encoding == "cp1258" else text.encode(encoding))
    [(_, record)] = read_records(path, "adoption_file")
    assert (record.record_id, unicodedata.normalize("NFC", record.full_name), record.birth_date) == \
        ("P1", "Nguyễn Văn An", "03/05/2001")


def test_text_in_no_known_encoding_is_refused_clearly(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,full_name\nP1,Lê Văn An\n".encode() + "P2,Lê Thành\n".encode("latin-1"))
    with pytest.raises(ValueError, match="no Vietnamese legacy encoding fits"):
        list(read_records(latin, "population"))
    french = tmp_path / "french.csv"
    french.write_bytes("id,full_name\nP1,Émilie Dupré\nP2,Hélène Lefèvre\n".encode("latin-1"))
    with pytest.raises(ValueError, match="no Vietnamese legacy encoding fits"):
        list(read_records(french, "population"))


def test_reading_streams_row_by_row(tmp_path: Path) -> None:
    path = write(tmp_path, "id,full_name,sex\nP1,Lê Văn An,M\nP2,Lê Thị Bí,???\n")
    rows = read_records(path, "population")
    assert next(rows)[1].record_id == "P1"  # the bad row further down has not been read yet
    with pytest.raises(ValueError):
        next(rows)


def test_the_writer_writes_one_row_per_result(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    linked = MatchResult("child_registry", "C-1", Decision.LINK,
                         (Candidate("P1", "001301012345", 0.99991234567891, 17.123456),
                          Candidate("P2", "", 0.2, 1.0)), "fs-3")
    unmatched = MatchResult("child_registry", "C-2", Decision.NO_LINK, (), "fs-3")
    with LinkResultWriter(out) as writer:
        writer.write(linked)
        writer.write(unmatched)
    assert writer.written == 2
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["record_id", "source", "decision", "identity_id", "pid", "probability", "weight", "model_version"],
        ["C-1", "child_registry", "link", "P1", "001301012345", "0.9999123457", "17.1235", "fs-3"],
        ["C-2", "child_registry", "no_link", "", "", "", "", "fs-3"],
    ]


def test_the_writer_is_used_inside_with(tmp_path: Path) -> None:
    writer = LinkResultWriter(tmp_path / "out.csv")
    with pytest.raises(RuntimeError, match="inside"):
        writer.write(MatchResult("s", "r", Decision.NO_LINK, (), "v"))


def test_common_headers_feed_their_fields_without_a_mapping(tmp_path: Path) -> None:
    """A register's export names its columns its own way ("Date of Birth", "Họ và tên", "CCCD"); only
    "id" was known, so such a file needed a --map for every column."""
    path = write(tmp_path, "ID,Họ và tên,Gender,Date of Birth,Nơi sinh,Mother,Father,CCCD\n"
                           "P1,Lê Văn An,1,03/05/2001,Huế,Trần Thị Mai,Lê Văn Bình,046201000123\n")
    [(_, record)] = read_records(path, "population")
    assert (record.record_id, record.full_name, record.sex, record.birth_date, record.birth_place,
            record.mother_name, record.father_name, record.pid) == (
        "P1", "Lê Văn An", Sex.MALE, "03/05/2001", "Huế", "Trần Thị Mai", "Lê Văn Bình", "046201000123")


def test_a_row_with_broken_bytes_is_rejected_alone(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    good = "".join(f"P{i},Nguyễn Thị Hương {i}\n" for i in range(20))
    path.write_bytes(b"id,full_name\n" + good.encode() + "P99,Lê Thành\n".encode("latin-1"))
    rejected: list[tuple[int, str]] = []
    rows = read_records(path, "population", on_reject=lambda line, why: rejected.append((line, why)))
    records = [record for _, record in rows]
    assert len(records) == 20
    assert rejected == [(22, "invalid byte sequence for the file's encoding")]


def test_vietnamese_form_headers_and_the_date_written_feed_their_fields(tmp_path: Path) -> None:
    """"Ngày tháng năm sinh" is how a Vietnamese form heads the date of birth, "Họ và tên bố" the father
    (bố in the north), "Ngày tiếp nhận" a centre's date of intake: when the record was written, which the
    engine holds a later birth against."""
    path = write(tmp_path, "ID,Họ và tên,Ngày tháng năm sinh,Họ và tên mẹ,Họ và tên bố,Mã định danh,"
                           "Ngày tiếp nhận\nP1,Lê Văn An,03/05/2001,Trần Thị Mai,Lê Văn Bình,046201000123,"
                           "2001-06-01\n")
    [(_, record)] = read_records(path, "abandoned_intake")
    assert (record.birth_date, record.mother_name, record.father_name, record.pid, record.recorded_on) == (
        "03/05/2001", "Trần Thị Mai", "Lê Văn Bình", "046201000123", "2001-06-01")


@pytest.mark.parametrize("text,full_name", [
    # Vietnamese registers: the surname with the middle name, then the given name; or each in its column
    ("ID,Họ và tên đệm,Tên,Ngày sinh\nP1,Trần Thị,Lan,1999\n", "Trần Thị Lan"),
    ("id,Họ,Tên đệm,Tên\nP1,Nguyễn,Văn,An\n", "Nguyễn Văn An"),
    # a form abroad: the family name, then the first names, read as "Last, First" (`names.parse_name`)
    ("id,Nom,Prénom,Date de naissance\nP1,DUPONT,Marie Lan,1999\n", "DUPONT, Marie Lan"),
    ("id,Last name,First name\nP1,NGUYEN,Thi Lan\n", "NGUYEN, Thi Lan"),
])
def test_a_name_split_over_columns_is_composed(tmp_path: Path, text: str, full_name: str) -> None:
    [(_, record)] = read_records(write(tmp_path, text), "adoption_file")
    assert record.full_name == full_name


@pytest.mark.parametrize("written,sex", [
    ("Nữ.", Sex.FEMALE), ("(Nam)", Sex.MALE), ("Nam/Male", Sex.MALE), ("Nữ - Female", Sex.FEMALE),
    ("Fem", Sex.FEMALE), ("Masc", Sex.MALE), ("Nam/Nữ", Sex.UNKNOWN), ("Nữ (F)", Sex.FEMALE),
    ("M (nam)", Sex.MALE), ("Feminin", Sex.FEMALE), ("Frau", Sex.FEMALE),
    # "not known" as Vietnamese forms write it
    ("Không xác định", Sex.UNKNOWN), ("KXĐ", Sex.UNKNOWN), ("chưa rõ", Sex.UNKNOWN),
    ("Chưa xác định", Sex.UNKNOWN),
])
def test_a_sex_as_forms_write_it_is_read(written: str, sex: Sex) -> None:
    """A form's brackets or full stop, a bilingual form's two words for one sex, a choice left unmade:
    each was an unreadable sex, and the whole row was rejected for it."""
    assert parse_sex(written) is sex


def test_a_sex_no_form_writes_is_still_an_error() -> None:
    with pytest.raises(ValueError, match="sex"):
        parse_sex("N")  # nam or nữ
