"""Every data file `linkage.vn` ships is named in SOURCES.md, and hand-written rows cite a source."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

DATA = resources.files("linkage.vn").joinpath("data")
SOURCES = DATA.joinpath("SOURCES.md").read_text(encoding="utf-8")
FILES = sorted(
    f"{folder.name}/{item.name}"
    for folder in DATA.iterdir()
    if folder.is_dir() and not folder.name.startswith("_")
    for item in folder.iterdir()
    if item.name.endswith((".csv", ".txt"))
)


def test_there_are_data_files() -> None:
    assert len(FILES) >= 18


@pytest.mark.parametrize("path", FILES)
def test_each_file_is_listed_in_sources(path: str) -> None:
    assert f"`{path.split('/')[1]}`" in SOURCES


@pytest.mark.parametrize(
    "path", [p for p in FILES if p.startswith("knowledge/") and p != "knowledge/regions.csv"]
)
def test_hand_written_rows_cite_a_source(path: str) -> None:
    rows = list(csv.DictReader(DATA.joinpath(path).read_text(encoding="utf-8").splitlines()))
    assert rows
    assert all(row.get("source", "").strip() for row in rows), path
