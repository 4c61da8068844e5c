"""Client of the national data-exchange platform (NDXP) for the population database: a `PopulationSource`.

The platform is reached over HTTPS with JSON pages; the shape assumed here (no public specification
is available to us) is the smallest that gives resumable reads:

    GET {base}/v1/population/identities?cursor=N&limit=L  -> {"items": [{...}], "next_cursor": M|null}
    GET {base}/v1/population/changes?cursor=N&limit=L      -> {"items": [{"op": ...}], "next_cursor": ...}

A cursor is an opaque, increasing integer that the import stores as its checkpoint offset, so a killed
import resumes at the page after the last committed one. Items use the same field names as our JSONL
layouts, mapped through a `Layout`, and are validated exactly like file rows.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

from adapters.sources.files import FileSource
from adapters.sources.layout import Layout, load_layout
from linkage.ports import ChangeRow, SourceRow

PAGE = 1_000
TIMEOUT_S = 30


class ExchangeError(RuntimeError):
    """The platform answered with an error or something that is not a page."""


class ExchangePopulationClient:
    kind = "population"

    def __init__(self, base_url: str, token: str = "", layout: Layout | None = None,
                 changes_layout: Layout | None = None, page_size: int = PAGE,
                 opener: Callable[..., Any] = urllib.request.urlopen) -> None:
        self.base_url = base_url.rstrip("/")
        self.description = f"data-exchange platform {self.base_url}"
        self._token, self._page_size, self._open = token, page_size, opener
        # Item -> record conversion reuses the file reader's rules (required fields, dates, sex values).
        self._records = _ItemConverter(layout or load_layout("population_jsonl"))
        self._changes = _ItemConverter(changes_layout or load_layout("population_changes_jsonl"))

    def fingerprint(self) -> str:
        return self.description

    def total(self) -> int | None:
        return None

    def rows(self, start_line: int = 0, start_offset: int = 0) -> Iterator[SourceRow]:
        for line, cursor, item in self._items("identities", start_line, start_offset):
            yield from self._records.rows(item, line, cursor)

    def changes(self, start_line: int = 0, start_offset: int = 0) -> Iterator[ChangeRow]:
        for line, cursor, item in self._items("changes", start_line, start_offset):
            yield from self._changes.changes(item, line, cursor)

    def _items(self, what: str, line: int, cursor: int) -> Iterator[tuple[int, int, dict]]:
        while True:
            page = self._get(what, cursor)
            items, next_cursor = page.get("items"), page.get("next_cursor")
            if not isinstance(items, list):
                raise ExchangeError(f"{what}: the answer has no list of items")
            for position, item in enumerate(items, 1):
                line += 1
                # Only the page's last item carries the next page's cursor: resuming mid-page re-reads
                # the page, which the idempotent upserts make harmless.
                last_of_page = position == len(items) and next_cursor is not None
                yield line, int(next_cursor) if last_of_page else cursor, item
            if next_cursor is None or not items:
                return
            cursor = int(next_cursor)

    def _get(self, what: str, cursor: int) -> dict:
        query = urllib.parse.urlencode({"cursor": cursor, "limit": self._page_size})
        request = urllib.request.Request(f"{self.base_url}/v1/population/{what}?{query}",
                                         headers={"Accept": "application/json"})
        if self._token:
            request.add_header("Authorization", f"Bearer {self._token}")
        try:
            with self._open(request, timeout=TIMEOUT_S) as response:
                page = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError) as error:
            raise ExchangeError(f"{what} at cursor {cursor}: {error}") from error
        if not isinstance(page, dict):
            raise ExchangeError(f"{what} at cursor {cursor}: the answer is not a JSON object")
        return page


class _ItemConverter(FileSource):
    """The layout rules of `FileSource` applied to JSON items instead of file lines."""

    def __init__(self, layout: Layout) -> None:  # no file: only the conversion rules are used
        self.layout, self.kind, self.source = layout, layout.kind, layout.source
        self._keys = {f: layout.column(f) for f in _fields(layout)}

    def _values_of(self, item: Any) -> dict[str, str]:
        if not isinstance(item, dict):
            raise ValueError("not a JSON object")
        values = {name: item.get(key) for name, key in self._keys.items()}
        return {name: "" if value is None else str(value) for name, value in values.items()}

    def rows(self, item: Any, line: int, cursor: int) -> Iterator[SourceRow]:  # type: ignore[override]
        try:
            yield SourceRow(line, cursor, record=self._record(self._values_of(item)))
        except ValueError as error:
            yield SourceRow(line, cursor, reason=str(error))

    def changes(self, item: Any, line: int, cursor: int) -> Iterator[ChangeRow]:  # type: ignore[override]
        try:
            yield ChangeRow(line, cursor, change=self._change(self._values_of(item)))
        except ValueError as error:
            yield ChangeRow(line, cursor, reason=str(error))


def _fields(layout: Layout) -> tuple[str, ...]:
    from adapters.sources.layout import CHANGE_FIELDS, RECORD_FIELDS

    return RECORD_FIELDS + (CHANGE_FIELDS if layout.kind == "population_changes" else ())
