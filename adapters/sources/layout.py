"""Declarative layouts: how one export's columns become `PersonRecord` fields, as a small JSON file.

A new export layout is a new file under `mappings/` (or anywhere, by path), not new code:

    {"name": "population_csv", "kind": "population", "format": "csv", "encoding": "auto",
     "columns": {"record_id": "id", "full_name": "ho_ten", ...},
     "date_formats": ["%d/%m/%Y"], "sex_values": {"nam": "M", "nữ": "F"},
     "required": ["record_id", "full_name", "birth_date"]}

`columns` maps a field to its column (CSV header or JSON key); `date_formats` are tried in order and a
date that matches one is stored as ISO text; `sex_values` adds spellings to the standard ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path

from adapters.csv_io import SEX_SPELLINGS, sex_key
from linkage.domain import PersonRecord, Sex

MAPPINGS_DIR = Path(__file__).parent / "mappings"
KINDS = ("population", "child_registry", "adoption_file", "abandoned_intake", "population_changes")
FORMATS = ("csv", "jsonl")
RECORD_FIELDS = tuple(f.name for f in fields(PersonRecord) if f.name != "source")
CHANGE_FIELDS = ("op", "other_id", "date", "old_pid", "new_pid")
STANDARD_SEX = {spelling: sex.value for spelling, sex in SEX_SPELLINGS.items()}  # as `linkage link` reads


class LayoutError(ValueError):
    """A layout file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str
    format: str = "csv"
    encoding: str = "auto"
    delimiter: str = "auto"  # or the one character: "auto" takes the one the header row uses most
    columns: dict[str, str] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    sex_values: dict[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = ("record_id", "full_name")
    # Population identities need a real date of birth; sources may carry an estimate as free text.
    strict_birth_date: bool = False
    max_field_chars: int = 1_000
    max_row_bytes: int = 16_384

    @property
    def source(self) -> str:
        return "population" if self.kind.startswith("population") else self.kind

    def column(self, field_name: str) -> str:
        return self.columns.get(field_name, field_name)

    def sex(self, text: str) -> Sex:
        key = sex_key(text)
        table = {**STANDARD_SEX, **{sex_key(k): v for k, v in self.sex_values.items()}}
        if key not in table:
            raise ValueError("sex: unknown value (expected one of the layout's sex values)")
        return Sex(table[key])


def load_layout(name_or_path: str | Path) -> Layout:
    """A layout by name (a file in `mappings/`) or by path to a JSON file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = MAPPINGS_DIR / f"{name_or_path}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in MAPPINGS_DIR.glob("*.json")))
        raise LayoutError(f"no layout {str(name_or_path)!r}; known layouts: {known}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise LayoutError(f"{path}: not JSON ({error})") from None
    return parse_layout(data, str(path))


def parse_layout(data: dict, where: str = "layout") -> Layout:
    known = {f.name for f in fields(Layout)}
    unknown = set(data) - known
    if unknown:
        raise LayoutError(f"{where}: unknown keys {sorted(unknown)}")
    if data.get("kind") not in KINDS:
        raise LayoutError(f"{where}: kind must be one of {', '.join(KINDS)}")
    if data.get("format", "csv") not in FORMATS:
        raise LayoutError(f"{where}: format must be one of {', '.join(FORMATS)}")
    allowed = set(RECORD_FIELDS) | (set(CHANGE_FIELDS) if data["kind"] == "population_changes" else set())
    bad = set(data.get("columns", {})) - allowed
    if bad:
        raise LayoutError(f"{where}: columns for unknown fields {sorted(bad)}")
    for value in data.get("sex_values", {}).values():
        if value not in {s.value for s in Sex}:
            raise LayoutError(f"{where}: sex_values must map to M, F or U")
    for key in ("date_formats", "required"):
        if key in data:
            data = {**data, key: tuple(data[key])}
    return Layout(**data)


def known_layouts() -> list[str]:
    return sorted(p.stem for p in MAPPINGS_DIR.glob("*.json"))
