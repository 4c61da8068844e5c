"""Bulk export files (CSV, JSON Lines) read row by row with the byte offset after each row.

The file is read as bytes and decoded one row at a time (`adapters.encodings`), so memory stays
bounded, a resumed import seeks straight to its checkpoint, and one row with broken bytes is rejected
alone. A CSV row whose quoted field spans lines is gathered before it is parsed. Reasons name fields
and columns, never values, so a reject report holds no personal data.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from adapters.csv_io import (
    NAME_PARTS,
    header_field,
    header_key,
    name_part_columns,
    sniff_delimiter,
    with_composed_name,
)
from adapters.encodings import EncodingRefused, decoder, detect_file
from adapters.sources.layout import CHANGE_FIELDS, RECORD_FIELDS, Layout
from linkage.domain import PersonRecord
from linkage.ports import Change, ChangeOp, ChangeRow, SourceRow
from linkage.vn.dates import Precision, parse_date

HEAD_BYTES = 1 << 20
BOM = b"\xef\xbb\xbf"


def file_fingerprint(path: Path) -> str:
    """size + sha256 of the first MB + absolute path: the same file is recognised on a re-run."""
    path = Path(path).resolve()
    with open(path, "rb") as handle:
        head = hashlib.sha256(handle.read(HEAD_BYTES)).hexdigest()
    return f"{path.stat().st_size}:{head}:{path}"


@dataclass(frozen=True, slots=True)
class RawRow:
    line: int
    end_offset: int
    data: bytes


def raw_rows(handle: IO[bytes], start_line: int, start_offset: int, quoted: bool) -> Iterator[RawRow]:
    """Rows as bytes from `start_offset`; with `quoted`, a row goes on while a CSV quote is open."""
    handle.seek(start_offset)
    line, offset = start_line, start_offset
    while chunk := handle.readline():
        first = line + 1
        line += 1
        while quoted and chunk.count(b'"') % 2 == 1:
            more = handle.readline()
            if not more:
                break
            chunk += more
            line += 1
        offset += len(chunk)
        yield RawRow(first, offset, chunk)


class FileSource:
    """One export file read through a layout: `rows()` for records, `changes()` for change files."""

    def __init__(self, path: Path | str, layout: Layout, source: str | None = None) -> None:
        self.path = Path(path)
        self.layout = layout
        self.kind = layout.kind
        self.source = source or layout.source
        if layout.encoding == "auto":
            detection = detect_file(str(self.path))  # raises EncodingRefused with the reason
            self.encoding, self.encoding_note = detection.encoding, detection.note
        else:
            self.encoding, self.encoding_note = layout.encoding, f"{layout.encoding} (from the layout)"
        self._decode = decoder(self.encoding)
        self.description = f"{self.path} ({layout.name}, {self.encoding_note})"

    def fingerprint(self) -> str:
        return file_fingerprint(self.path)

    def total(self) -> int | None:
        return os.path.getsize(self.path)

    # --- records -----------------------------------------------------------------------------------
    def rows(self, start_line: int = 0, start_offset: int = 0) -> Iterator[SourceRow]:
        for line, end, values, reason in self._values(start_line, start_offset):
            if reason:
                yield SourceRow(line, end, reason=reason)
                continue
            try:
                yield SourceRow(line, end, record=self._record(values))
            except ValueError as error:
                yield SourceRow(line, end, reason=str(error))

    def changes(self, start_line: int = 0, start_offset: int = 0) -> Iterator[ChangeRow]:
        for line, end, values, reason in self._values(start_line, start_offset):
            if reason:
                yield ChangeRow(line, end, reason=reason)
                continue
            try:
                yield ChangeRow(line, end, change=self._change(values))
            except ValueError as error:
                yield ChangeRow(line, end, reason=str(error))

    # --- reading -----------------------------------------------------------------------------------
    def _values(self, start_line: int, start_offset: int) -> Iterator[tuple[int, int, dict[str, str], str]]:
        parse = self._csv_parser if self.layout.format == "csv" else self._json_parser
        with open(self.path, "rb") as handle:
            row_parser, first_line, first_offset = parse(handle)
            if start_offset < first_offset:
                start_line, start_offset = first_line, first_offset
            for raw in raw_rows(handle, start_line, start_offset, quoted=self.layout.format == "csv"):
                if not raw.data.strip():
                    continue
                if len(raw.data) > self.layout.max_row_bytes:
                    reason = f"row longer than {self.layout.max_row_bytes} bytes"
                    yield raw.line, raw.end_offset, {}, reason
                    continue
                try:
                    text = self._decode(raw.data)
                except UnicodeError:
                    yield raw.line, raw.end_offset, {}, f"invalid byte sequence for {self.encoding}"
                    continue
                try:
                    yield raw.line, raw.end_offset, row_parser(text), ""
                except ValueError as error:
                    yield raw.line, raw.end_offset, {}, str(error)

    def _csv_parser(self, handle: IO[bytes]) -> tuple[Callable[[str], dict[str, str]], int, int]:
        header_raw = next(raw_rows(handle, 0, 0, quoted=True), None)
        if header_raw is None:
            raise ValueError(f"{self.path}: empty file, expected a header row")
        data = header_raw.data.removeprefix(BOM)
        try:
            text = self._decode(data)
            delimiter = sniff_delimiter(text) if self.layout.delimiter == "auto" else self.layout.delimiter
            header = next(csv.reader([text], delimiter=delimiter))
        except (UnicodeError, StopIteration, csv.Error):
            raise ValueError(f"{self.path}: unreadable header row") from None
        positions = self._positions(header)
        width = len(header)

        def parse(text: str) -> dict[str, str]:
            try:
                cells = next(csv.reader([text], delimiter=delimiter, strict=True))
            except (csv.Error, StopIteration) as error:
                raise ValueError(f"malformed CSV ({error})") from None
            if len(cells) != width:
                raise ValueError(f"has {len(cells)} columns, the header has {width}")
            return {name: cells[i] for name, i in positions.items()}

        return parse, header_raw.line, header_raw.end_offset

    def _positions(self, header: list[str]) -> dict[str, int]:
        """Which column feeds each field: the one the layout names, else one named like the field, else
        one with a common name for it (`csv_io.ALIASES`: id, dob, "Họ và tên"...)."""
        wanted = RECORD_FIELDS + (CHANGE_FIELDS if self.kind == "population_changes" else ())
        keys = [header_key(name) for name in header]
        aliased = [header_field(name) for name in header]
        positions: dict[str, int] = {}
        for field_name in wanted:
            column = header_key(self.layout.column(field_name))
            if column in keys:
                positions[field_name] = keys.index(column)
            elif column == field_name and field_name in aliased:
                positions[field_name] = aliased.index(field_name)
        if "full_name" not in positions:  # a name split over columns ("Họ và tên đệm", "Tên"), composed
            for part, i in name_part_columns(keys).items():
                positions.setdefault(part, i)
        split_name = any(part in positions for part in NAME_PARTS)
        missing = [f for f in self.layout.required if f not in positions
                   and not (f == "full_name" and split_name)]
        if missing:
            columns = ", ".join(self.layout.column(f) for f in missing)
            raise ValueError(f"{self.path}: the header has no column for {columns} "
                             f"(layout {self.layout.name})")
        return positions

    def _json_parser(self, handle: IO[bytes]) -> tuple[Callable[[str], dict[str, str]], int, int]:
        wanted = RECORD_FIELDS + (CHANGE_FIELDS if self.kind == "population_changes" else ())
        keys = {f: self.layout.column(f) for f in wanted}
        bom = handle.read(3) == BOM

        def parse(text: str) -> dict[str, str]:
            try:
                obj: Any = json.loads(text)
            except json.JSONDecodeError:
                raise ValueError("not a JSON object") from None
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            values: dict[str, str] = {}
            for name, key in keys.items():
                value = obj.get(key, "")
                if value is None:
                    value = ""
                if not isinstance(value, str | int):
                    raise ValueError(f"{name}: must be text")
                values[name] = str(value)
            return values

        return parse, 0, 3 if bom else 0

    # --- values -> records -------------------------------------------------------------------------
    def _clean(self, values: dict[str, str]) -> dict[str, str]:
        clean = {name: value.strip() for name, value in values.items()}
        for name, value in clean.items():
            if len(value) > self.layout.max_field_chars:
                raise ValueError(f"{name}: longer than {self.layout.max_field_chars} characters")
        missing = [f for f in self.layout.required if not clean.get(f)]
        if missing:
            raise ValueError("; ".join(f"{f}: is required" for f in missing))
        return clean

    def _date(self, name: str, text: str, strict: bool) -> str:
        if not text:
            return ""
        for pattern in self.layout.date_formats:
            try:
                parsed = datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            return parsed.isoformat()[: _precision(pattern)]
        if strict:
            written = _written_date(text)
            if written is None:
                raise ValueError(f"{name}: not a calendar date in the layout's formats")
            return written
        return text

    def _record(self, values: dict[str, str]) -> PersonRecord:
        if any(part in values for part in NAME_PARTS):
            values = with_composed_name(values)
        clean = self._clean(values)
        person = {f: clean.get(f, "") for f in RECORD_FIELDS}
        person["birth_date"] = self._date("birth_date", person["birth_date"], self.layout.strict_birth_date)
        person["recorded_on"] = self._date("recorded_on", person["recorded_on"], True)
        sex = self.layout.sex(person.pop("sex"))
        return PersonRecord(source=self.source, sex=sex, **person)

    def _change(self, values: dict[str, str]) -> Change:
        clean = self._clean(values)
        try:
            op = ChangeOp(clean["op"].casefold())
        except ValueError:
            expected = ", ".join(o.value for o in ChangeOp)
            raise ValueError(f"op: unknown operation (expected {expected})") from None
        identity_id = clean["record_id"]
        if op is ChangeOp.UPSERT:
            return Change(op, identity_id, record=self._record(values))
        if op is ChangeOp.DEATH:
            if not clean.get("date"):
                raise ValueError("date: is required for a death")
            return Change(op, identity_id, date=self._date("date", clean["date"], True))
        if op is ChangeOp.MERGE:
            if not clean.get("other_id"):
                raise ValueError("other_id: the absorbed identity is required for a merge")
            if clean["other_id"] == identity_id:
                raise ValueError("other_id: an identity cannot be merged into itself")
            return Change(op, identity_id, other_id=clean["other_id"])
        if not clean.get("new_pid"):
            raise ValueError("new_pid: is required for a personal-number change")
        return Change(op, identity_id, old_pid=clean.get("old_pid", ""), new_pid=clean["new_pid"])


def _written_date(text: str) -> str | None:
    """A date none of the layout's formats holds but written so it reads one way only ("03.05.2001",
    "3 May 2001", "ngày 3 tháng 5 năm 2001"; day first, as Vietnam writes it), as ISO text to its
    precision; None for an estimate ("khoảng 1990") or what is no date."""
    try:
        date = parse_date(text)
    except ValueError:
        return None
    if date is None or date.precision is Precision.ESTIMATE:
        return None
    return "-".join(f"{part:02d}" for part in (date.year, date.month, date.day) if part is not None)


def _precision(pattern: str) -> int:
    """How much of an ISO date a pattern gives: a year, a month, or a full date."""
    if "%d" in pattern:
        return 10
    return 7 if "%m" in pattern else 4


def open_source(path: Path | str, layout: Layout, source: str | None = None) -> FileSource:
    """The reader for a file; refuses (EncodingRefused, ValueError) a file it cannot read as a whole."""
    try:
        return FileSource(path, layout, source)
    except EncodingRefused as refused:
        raise EncodingRefused(f"{path}: {refused}") from None
