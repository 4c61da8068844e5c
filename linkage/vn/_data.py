"""Loading the package's own reference tables, once, lazily (importlib.resources)."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources


@cache
def read_csv(relative_path: str) -> tuple[dict[str, str], ...]:
    """Rows of `linkage/vn/data/<relative_path>` as dicts; cached for the life of the process."""
    return tuple(csv.DictReader(io.StringIO(read_text(relative_path))))


def read_text(relative_path: str) -> str:
    """The text of `linkage/vn/data/<relative_path>`, for tables kept in their source's own layout."""
    return resources.files("linkage.vn").joinpath("data", relative_path).read_text(encoding="utf-8")
