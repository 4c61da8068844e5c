"""CSV in and out for `linkage import population` and `linkage link`: streamed, row by row.

Input has a header row; a column feeds the `PersonRecord` field of the same name or of a common header
(`ALIASES`: id, name, dob, "Ngày sinh", CCCD...), and `--map field=column` maps any other header. A name
split over columns ("Họ và tên đệm" and "Tên", "Nom" and "Prénom": `NAME_PART_ALIASES`) is composed.
Problems with the file as a whole (an unknown field, a missing column) raise `ValueError` before the
first row is yielded; a row that cannot become a record is passed to `on_reject` with its line, or
raises when there is none. Messages name columns and lines, never values, so no personal data reaches
logs.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from adapters.encodings import UTF8, decoder, detect_file
from linkage.domain import MatchResult, PersonRecord, Sex, Source

# headers registers and exports commonly use, in English, Vietnamese and the receiving countries'
# languages (matched casefolded, with spaces, hyphens and underscores alike)
ALIASES = {
    "id": "record_id",
    **dict.fromkeys(("name", "fullname", "họ_tên", "họ_và_tên", "ho_ten", "ho_va_ten", "nom_complet",
                     "nome_completo", "nombre_completo"), "full_name"),
    **dict.fromkeys(("gender", "giới_tính", "gioi_tinh", "sexe", "geschlecht", "sesso", "sexo", "geslacht",
                     "køn", "kön", "kjønn"), "sex"),
    **dict.fromkeys(("dob", "date_of_birth", "birthdate", "ngày_sinh", "ngay_sinh", "ngày_tháng_năm_sinh",
                     "ngay_thang_nam_sinh", "năm_sinh", "nam_sinh", "year_of_birth", "date_de_naissance",
                     "geburtsdatum", "data_di_nascita", "fecha_de_nacimiento", "geboortedatum", "fødselsdato",
                     "födelsedatum"), "birth_date"),
    **dict.fromkeys(("pob", "place_of_birth", "birthplace", "nơi_sinh", "noi_sinh", "lieu_de_naissance",
                     "geburtsort", "luogo_di_nascita", "lugar_de_nacimiento", "geboorteplaats", "fødested",
                     "födelseort"), "birth_place"),
    **dict.fromkeys(("mother", "mother_full_name", "mothers_name", "mother's_name", "họ_tên_mẹ", "tên_mẹ",
                     "ho_ten_me", "ten_me", "họ_và_tên_mẹ", "ho_va_ten_me", "mère", "nom_de_la_mère",
                     "mutter", "madre", "moeder"), "mother_name"),
    # (bố: father, as the north says it)
    **dict.fromkeys(("father", "father_full_name", "fathers_name", "father's_name", "họ_tên_cha", "tên_cha",
                     "ho_ten_cha", "ten_cha", "họ_và_tên_cha", "ho_va_ten_cha", "họ_tên_bố", "tên_bố",
                     "ho_ten_bo", "ten_bo", "họ_và_tên_bố", "ho_va_ten_bo", "père", "nom_du_père", "vater",
                     "padre", "vader"), "father_name"),
    **dict.fromkeys(("personal_id", "national_id", "id_number", "personal_number", "cccd", "số_cccd",
                     "so_cccd", "căn_cước", "can_cuoc", "số_định_danh", "so_dinh_danh", "mã_định_danh",
                     "ma_dinh_danh", "mã_số_định_danh", "ma_so_dinh_danh"), "pid"),
    # when the record was written: a register's date of registration, a centre's date of intake
    **dict.fromkeys(("recorded", "recorded_date", "record_date", "date_recorded", "registration_date",
                     "date_of_registration", "registered_on", "intake_date", "date_received", "received_on",
                     "ngày_đăng_ký", "ngay_dang_ky", "ngày_lập", "ngay_lap", "ngày_ghi", "ngay_ghi",
                     "ngày_tiếp_nhận", "ngay_tiep_nhan"), "recorded_on"),
}
# a name split over columns, as registers and forms keep one: the surname (with the middle name, where
# one column holds both: "Họ và tên đệm"), the middle name, the given name or first names
NAME_PART_ALIASES = {
    **dict.fromkeys(("surname", "last_name", "lastname", "family_name", "họ", "ho", "họ_đệm", "ho_dem",
                     "họ_và_tên_đệm", "ho_va_ten_dem", "họ_và_chữ_đệm", "ho_va_chu_dem", "họ_và_tên_lót",
                     "ho_va_ten_lot", "nom", "nom_de_famille", "nachname", "familienname", "cognome",
                     "apellido", "apellidos", "achternaam", "efternavn", "efternamn", "etternavn"),
                    "surname"),
    **dict.fromkeys(("middle_name", "middle_names", "tên_đệm", "ten_dem", "chữ_đệm", "chu_dem", "tên_lót",
                     "ten_lot"), "middle_name"),
    **dict.fromkeys(("given_name", "first_name", "firstname", "first_names", "forename", "forenames", "tên",
                     "ten", "prénom", "prenom", "prénoms", "prenoms", "vorname", "vornamen", "nome",
                     "nombre", "voornaam", "voornamen", "fornavn", "förnamn"), "given_name"),
}
NAME_PARTS = ("surname", "middle_name", "given_name")
RECORD_FIELDS = tuple(f.name for f in fields(PersonRecord) if f.name != "source")
# what a column may feed: a record's fields, and in a file of several sources each row's source
READ_FIELDS = ("source", *RECORD_FIELDS)
REQUIRED = ("record_id", "full_name")
# a file of several sources holds one record id in two sources; a person without a number is known by id
OUTPUT_COLUMNS = ("record_id", "source", "decision", "identity_id", "pid", "probability", "weight",
                  "model_version")

SEX_SPELLINGS = {
    "m": Sex.MALE, "male": Sex.MALE, "nam": Sex.MALE,
    "f": Sex.FEMALE, "female": Sex.FEMALE, "nữ": Sex.FEMALE, "nu": Sex.FEMALE,
    "u": Sex.UNKNOWN, "unknown": Sex.UNKNOWN, "": Sex.UNKNOWN,
    # ISO/IEC 5218, as registers code it: 0 not known, 1 male, 2 female, 9 not applicable
    "0": Sex.UNKNOWN, "1": Sex.MALE, "2": Sex.FEMALE, "9": Sex.UNKNOWN,
    # a child's file: boy or girl, man or woman, in Vietnamese and in the receiving countries' languages
    # (French, German, Italian, Spanish, Dutch, Danish, Swedish, Norwegian), with the letters their forms
    # use that no other language reads otherwise: H (homme, hombre), W (weiblich), V (vrouw), K (kvinde,
    # kvinna); M stays male, as ISO and ICAO write it (Spanish forms use it for mujer)
    **dict.fromkeys(("boy", "man", "trai", "bé trai", "con trai", "nam giới", "h", "masc", "masculine",
                     "masculin", "homme",
                     "garçon", "männlich", "junge", "maschio", "maschile", "hombre", "masculino", "niño",
                     "mannelijk", "jongen", "mand", "dreng", "pojke", "mann", "gutt"), Sex.MALE),
    **dict.fromkeys(("girl", "woman", "gái", "gai", "bé gái", "con gái", "nữ giới", "fem", "feminine",
                     "féminin", "feminin", "femme", "frau",
                     "fille", "w", "weiblich", "mädchen", "femmina", "femminile", "mujer", "femenino", "niña",
                     "v", "vrouw", "vrouwelijk", "meisje", "k", "kvinde", "pige", "kvinna", "flicka",
                     "kvinne", "jente"), Sex.FEMALE),
    # X: unspecified (ICAO 9303)
    **dict.fromkeys(("không rõ", "khong ro", "not known", "x", "?", "n/a", "na", "-"), Sex.UNKNOWN),
    # what Vietnamese forms write for "not known": không xác định (kxđ), chưa rõ, chưa xác định, không biết
    **dict.fromkeys(("không xác định", "khong xac dinh", "kxđ", "kxd", "chưa rõ", "chua ro", "chưa xác định",
                     "chua xac dinh", "không biết", "khong biet"), Sex.UNKNOWN),
}


def parse_sex(text: str) -> Sex:
    """M/F/U, nam/nữ, male/female, ISO/IEC 5218's 1/2, boy/girl (`SEX_SPELLINGS`) in any case and Unicode
    form; blank is unknown; a bilingual form's two words for one sex ("Nam/Male", "Nữ - Female") are it,
    and a form's choice left unmade ("Nam/Nữ") is unknown."""
    key = sex_key(text)
    if key in SEX_SPELLINGS:
        return SEX_SPELLINGS[key]
    said = {SEX_SPELLINGS.get(sex_key(part)) for part in _BILINGUAL.split(key)}
    if None not in said:
        return said.pop() if len(said) == 1 else Sex.UNKNOWN
    raise ValueError("sex: expected M/F/U, nam/nữ, male/female or 1/2 (ISO/IEC 5218)")


_BILINGUAL = re.compile(r"\s*[/|,;(]\s*|\s+-\s+")  # "Nam/Male", "Nữ - Female", "Nữ (F)"


def sex_key(text: str) -> str:
    """How a sex value is looked up: NFC, casefolded, spaces collapsed ("Bé  gái": bé gái), without the
    brackets or full stop a form wraps it in ("(Nam)", "Nữ.")."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().strip(" .()[]").split())


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """`["id=rid", "birth_place=province"]` -> `{"record_id": "rid", "birth_place": "province"}`."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise ValueError(f"--map {pair!r}: expected FIELD=COLUMN")
        field = _field_name(field)
        if field in mapping:
            raise ValueError(f"--map: field {field!r} is mapped twice")
        mapping[field] = column
    return mapping


def _field_name(name: str) -> str:
    field = ALIASES.get(name, name)
    if field not in READ_FIELDS + NAME_PARTS:
        known = ", ".join(("id", *READ_FIELDS, *NAME_PARTS))
        raise ValueError(f"unknown record field {name!r}; known fields: {known}")
    return field


def name_part_columns(keys: list[str]) -> dict[str, int]:
    """The column each part of a name split over columns comes from (`NAME_PARTS`), by the headers' keys
    (`header_key`): the first column of each part."""
    columns: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in NAME_PART_ALIASES:
            columns.setdefault(NAME_PART_ALIASES[key], i)
    return columns


def with_composed_name(values: dict[str, str]) -> dict[str, str]:
    """`values` with the parts of a name split over columns replaced by the full name they compose."""
    rest = {field: value for field, value in values.items() if field not in NAME_PARTS}
    return {**rest, "full_name": composed_name(*(values.get(part, "") for part in NAME_PARTS))}


def composed_name(surname: str, middle: str, given: str) -> str:
    """A full name from the columns a name was split over: in Vietnamese order where a middle-name column,
    or a surname column that holds the middle name too, says the columns are Vietnamese ("Nguyễn",
    "Văn", "An"; "Trần Thị", "Lan"); else "Surname, First names", the layout of a form's two fields that
    the name parser reads ("DUPONT, Marie Lan": an adoptive surname, not a Vietnamese one)."""
    surname, middle, given = (" ".join(part.split()) for part in (surname, middle, given))
    if not (surname and given) or middle or len(surname.split()) > 1:
        return " ".join(part for part in (surname, middle, given) if part)
    return f"{surname}, {given}"


def header_key(name: str) -> str:
    """"Date of Birth", "date-of-birth" and "DATE_OF_BIRTH" alike: date_of_birth."""
    return "_".join(unicodedata.normalize("NFC", name).casefold().replace("-", " ").replace("_", " ").split())


def header_field(name: str) -> str:
    """The record field a header names, itself or by a common alias ("Date of Birth": birth_date); any
    other header as `header_key` writes it."""
    key = header_key(name)
    return ALIASES.get(key, key)


def _column_positions(header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Which column feeds each field: the mapping, then headers named like a field, then aliases."""
    names = [header_key(name) for name in header]
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        first.setdefault(name, i)
    positions: dict[str, int] = {}
    for field, column in mapping.items():
        field = _field_name(field)
        if header_key(column) not in first:
            raise ValueError(f"mapped column {column!r} (for {field}) is not in the header")
        positions[field] = first[header_key(column)]
    for name, i in first.items():
        if name in READ_FIELDS:
            positions.setdefault(name, i)
    for name, i in first.items():
        if name in ALIASES:
            positions.setdefault(ALIASES[name], i)
    if "full_name" not in positions:  # a name split over columns, composed (`composed_name`)
        for part, i in name_part_columns(names).items():
            positions.setdefault(part, i)
        if "given_name" in positions or "surname" in positions:
            positions["full_name"] = -1
    missing = [f for f in REQUIRED if f not in positions]
    if missing:
        wanted = " and ".join("record_id (or id)" if f == "record_id" else f for f in missing)
        raise ValueError(f"the header has no column for {wanted}; map one with --map FIELD=COLUMN")
    return positions


DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(header: str) -> str:
    """The delimiter the header row uses most, outside quotes: a comma, or the semicolon of spreadsheets
    in locales that write a decimal comma, the tab of "Unicode text" exports, a bar; a comma on a tie."""
    unquoted = "".join(header.split('"')[::2])
    return max(DELIMITERS, key=lambda d: (unquoted.count(d), d == ","))


@contextmanager
def table_reader(path: Path) -> Iterator[Any]:
    """A `csv.reader` over a table file whatever its encoding and delimiter: UTF-16 with its byte-order
    mark (a spreadsheet's "Unicode text"), else as `adapters.encodings` detects it (UTF-8 with or without
    a BOM, Windows-1258, VNI, TCVN3, mojibake), each line decoded alone; the delimiter the header uses
    (`sniff_delimiter`). An encoding no one can read raises `ValueError` saying what was seen."""
    with open(path, "rb") as handle:
        if handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            handle.seek(0)
            lines: Iterator[str] = iter(io.TextIOWrapper(handle, encoding="utf-16", errors="replace",
                                                         newline=""))
        else:
            handle.seek(0)
            encoding = detect_file(str(path)).encoding
            # UTF-8 as written, in whichever Unicode form (the engine normalises what it compares); a
            # row with broken bytes is rejected alone (`read_records`)
            decode = _utf8_marking_broken if encoding == UTF8 else decoder(encoding)
            lines = (decode(raw.removeprefix(codecs.BOM_UTF8) if number == 0 else raw)
                     for number, raw in enumerate(handle))
        header = next(lines, "")
        yield csv.reader(itertools.chain([header], lines) if header else iter(()),
                         delimiter=sniff_delimiter(header))


BROKEN = "\ufffd"


def _utf8_marking_broken(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def read_records(
    path: Path,
    source: str | None,
    mapping: dict[str, str] | None = None,
    on_reject: Callable[[int, str], None] | None = None,
) -> Iterator[tuple[int, PersonRecord]]:
    """Yield (line number, record) for each data row, streaming; any encoding and delimiter
    `table_reader` reads.

    The line number is where the row starts in the file (the header is line 1), so a reject can be
    found in an editor even when quoted fields span lines. Blank rows are skipped. `source` is every
    row's; without it, a file of several sources (as `linkage synth` writes one) names each row's in a
    `source` column, and a row that names none is a child registry's. Each source has its own
    parameters and thresholds: an adoption file's record weighed as a child registry's links on less
    evidence than its own source asks for.
    """
    with table_reader(path) as reader:
        try:
            header = next(reader, None)
            if header is None:
                raise ValueError(f"{path}: empty file, expected a header row")
            positions = _column_positions(header, dict(mapping or {}))
            line = reader.line_num + 1
            for row in reader:
                start, line = line, reader.line_num + 1
                if not any(cell.strip() for cell in row):
                    continue
                values = {field: row[i].strip() if 0 <= i < len(row) else ""
                          for field, i in positions.items()}
                if positions["full_name"] < 0:
                    values = with_composed_name(values)
                try:
                    if any(BROKEN in cell for cell in row):
                        raise ValueError("invalid byte sequence for the file's encoding")
                    sex = parse_sex(values.pop("sex", ""))
                except ValueError as error:
                    if on_reject is None:
                        raise ValueError(f"{path}, line {start}: {error}") from None
                    on_reject(start, str(error))
                    continue
                written = values.pop("source", "")
                yield start, PersonRecord(source=source or written or Source.CHILD_REGISTRY.value, sex=sex,
                                          **values)
        except csv.Error as error:
            raise ValueError(f"{path}, line {reader.line_num}: malformed CSV ({error})") from None


class LinkResultWriter:
    """Writes one CSV row per match result: the decision and the best candidate, if any."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.written = 0
        self._handle: IO[str] | None = None

    def __enter__(self) -> Self:
        self._handle = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed in __exit__
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self._writer.writerow(OUTPUT_COLUMNS)
        return self

    def write(self, result: MatchResult) -> None:
        if self._handle is None:
            raise RuntimeError("use LinkResultWriter inside `with`")
        best = result.best
        self._writer.writerow([
            result.record_id,
            result.source,
            result.decision.value,
            best.identity_id if best else "",
            best.pid if best else "",
            format(best.probability, ".10g") if best else "",
            format(best.weight, ".4f") if best else "",
            result.model_version,
        ])
        self.written += 1

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
