"""What the engine cannot read in a folder of records: unreadable dates, unplaced birthplaces, personal
numbers that are no number, counted per field with their most common shapes.

    .venv/bin/python -m bench.readability --data DIR [--top 20]

DIR holds records.csv (and population.csv) in `linkage synth`'s layout, as `bench.quality --data`
reads it. Real records write forms no generator does; this says which, before they cost links. Only
shapes are printed, never the texts: each digit is written 9, and a word only where it is one that
dates ("tháng", "khoảng") or addresses ("Xã", "Huyện", "bệnh viện") use for their parts, every other
word W: no number, date or name of a place or person is printed, save where it is spelt like such a
word (a given name Thanh, as in "thành phố").
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linkage.domain import PersonRecord  # noqa: E402
from linkage.validation import validate_record  # noqa: E402
from linkage.vn.dates import parse_date  # noqa: E402
from linkage.vn.pid import pid_digits  # noqa: E402
from linkage.vn.places import resolve_place  # noqa: E402
from linkage.vn.text import unmarked  # noqa: E402

# words kept in a shape: what dates and addresses say of their parts, not what they name
_KEPT = frozenset({
    "ngay", "thang", "nam", "khoang", "uoc", "tuoi", "tuan", "sinh", "so", "mung", "mong", "ram",
    "tet", "am", "lich", "duong", "dau", "giua", "cuoi", "hoac", "den", "tu", "about", "circa", "born",
    "aged", "age", "years", "year", "months", "month", "weeks", "days", "old", "or", "and", "to", "xa",
    "phuong", "thi", "tran", "huyen", "quan", "tinh", "thanh", "pho", "tp", "tx", "tt", "q", "p", "h",
    "x", "t", "ward", "district", "province", "city", "commune", "town", "village", "vietnam", "viet",
    "benh", "vien", "bv", "chua", "cong", "truoc", "tram", "te", "y", "hospital", "orphanage", "center",
    "centre", "near", "area", "cu", "nay", "la", "now", "cmnd", "cccd", "dinh", "danh", "ma",
})
_WORD = re.compile(r"[^\W\d_]+")


def shape(text: str) -> str:
    """`text` with each digit written 9 and each word a date or an address does not use for its parts
    written as one capital per word ("ước 4 tháng tuổi" stays, "Xã Tân Sỏi" is "xa W W")."""
    digits = re.sub(r"\d", "9", unmarked(text))
    return _WORD.sub(lambda m: m[0] if m[0] in _KEPT else "W", digits)


def unreadable(rows: Iterable[dict[str, str]]) -> dict[str, Counter[str]]:
    """Per field, the shapes of the values the engine cannot read, counted."""
    found: dict[str, Counter[str]] = {"birth_date": Counter(), "birth_place": Counter(), "pid": Counter()}
    for row in rows:
        date, place, pid = (row.get(f, "") or "" for f in ("birth_date", "birth_place", "pid"))
        if date.strip():
            try:
                parse_date(date, row.get("recorded_on") or None)
            except ValueError:
                found["birth_date"][shape(date)] += 1
        if place.strip() and resolve_place(place) is None:
            found["birth_place"][shape(place)] += 1
        if pid.strip() and not pid_digits(pid):
            found["pid"][shape(pid)] += 1
    return found


def refused(records: Iterable[PersonRecord]) -> tuple[int, Counter[str]]:
    """How many records the service would refuse (`MatchRecord`, `linkage link`: `linkage.validation`)
    and why, each reason counted; the reasons never hold a value."""
    count, found = 0, Counter()
    for record in records:
        violations = validate_record(record)
        count += bool(violations)
        found.update(f"{field}: {reason}" for field, reason in violations)
    return count, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a folder in `linkage synth`'s layout")
    parser.add_argument("--top", type=int, default=20, help="shapes shown per field")
    args = parser.parse_args(argv)
    from bench.quality import person, read_rows

    for name in ("records.csv", "population.csv"):
        if not (args.data / name).is_file():
            continue
        rows = read_rows(args.data / name)
        print(f"== {name}: {len(rows)} rows")
        for field, shapes in unreadable(rows).items():
            print(f"{field}: {sum(shapes.values())} unreadable, {len(shapes)} shapes")
            for text, count in shapes.most_common(args.top):
                print(f"  {count:6d}  {text}")
        kind = {} if name == "records.csv" else {"source": "population"}
        count, reasons = refused(person({**row, **kind}) for row in rows)
        print(f"refused by the service: {count} records")
        for reason, times in reasons.most_common(args.top):
            print(f"  {times:6d}  {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
