"""`linkage import population|records|changes`: argument parsing and the command bodies.

Kept here (not in `linkage/cli.py`) so the CLI only wires them in; each command opens the store
without loading the matcher's index (an import does not match), reads the file through its layout
with a progress bar, commits in checkpointed batches, and writes the reject report as CSV
(`line,reason`) next to the input, or under the data directory when that is not writable.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from adapters.encodings import EncodingRefused
from adapters.sources.files import open_source
from adapters.sources.layout import LayoutError, known_layouts, load_layout

DEFAULT_LAYOUTS = {"population": "population_csv", "records": "records_csv",
                   "changes": "population_changes_csv"}
SOURCES = ("child_registry", "adoption_file", "abandoned_intake")
ParserHook = Callable[[argparse.ArgumentParser], argparse.ArgumentParser]  # adds the store options
Handler = Callable[[argparse.Namespace], int]


def add_import_commands(imp_sub: Any, with_store: ParserHook, run: Handler) -> None:
    """Add `population`, `records` and `changes` under `linkage import`; `with_store` adds the store
    options to a parser and `run` is the handler."""
    layouts = ", ".join(known_layouts())
    pop = with_store(imp_sub.add_parser("population", help="load identities from a CSV or JSONL export"))
    records = with_store(imp_sub.add_parser("records", help="load source records (child registry, ...)"))
    records.add_argument("--source", required=True, choices=SOURCES)
    changes = with_store(imp_sub.add_parser("changes", help="apply a population change file"))
    for what, parser in (("population", pop), ("records", records), ("changes", changes)):
        parser.add_argument("file")
        parser.add_argument("--layout", default=DEFAULT_LAYOUTS[what],
                            help=f"layout NAME or PATH of a JSON layout (known: {layouts})")
        parser.add_argument("--batch-size", type=int, default=5_000)
        parser.add_argument("--restart", action="store_true", help="forget the checkpoint and start over")
        parser.add_argument("--rejects", help="reject report path (default FILE.rejects.csv)")
        parser.add_argument("--keys-dir", help="key directory (env LINKAGE_KEYS_DIR)")
        if what == "population":
            parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                                help="override the layout's column for a field")
            parser.add_argument("--copy", action="store_true", help="PostgreSQL: bulk load through COPY")
        parser.set_defaults(func=run, what=what)


def run_import(args: argparse.Namespace, settings: Any) -> int:
    """The body of every `linkage import` command, given the loaded `Settings`."""
    from tqdm import tqdm

    from adapters.store import Store
    from linkage.bootstrap import load_security, open_store
    from linkage.services.importing import apply_changes, import_source

    try:
        layout = load_layout(args.layout)
        if getattr(args, "map", None):
            from adapters.csv_io import parse_mapping

            layout = _with_columns(layout, parse_mapping(args.map))
        source = open_source(Path(args.file), layout, getattr(args, "source", None))
    except (LayoutError, EncodingRefused, ValueError, OSError) as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    print(f"reading {source.description}", file=sys.stderr)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store: Store = open_store(settings, load_security(settings))
    bar = tqdm(total=source.total(), unit="B", unit_scale=True, desc=f"import {args.what}", disable=None)
    done = 0

    def progress(position: int) -> None:
        nonlocal done
        bar.update(position - done)
        done = position

    try:
        if args.what == "changes":
            report = apply_changes(source, store.unit_of_work, batch_size=args.batch_size, progress=progress)
        else:
            writer = copy_writer if getattr(args, "copy", False) and store.dialect == "postgresql" else None
            options = {"write_identities": writer} if writer else {}
            report = import_source(source, store.unit_of_work, batch_size=args.batch_size, progress=progress,
                                   restart=args.restart, **options)
    finally:
        bar.close()
        store.dispose()
    report_path = write_reject_report(report.rejected, Path(args.file), settings.data_dir, args.rejects)
    state = "already imported; nothing changed" if report.already_done else (
        f"resumed after line {report.resumed_from_line}" if report.resumed_from_line else "done")
    print(f"{state}: read {report.read}, written {report.written}, rejected {len(report.rejected)}"
          + (f" (report: {report_path})" if report.rejected else ""))
    return 1 if report.rejected else 0


def copy_writer(uow: Any, records: list) -> int:
    """`import_source`'s `write_identities` for PostgreSQL COPY (the `--copy` option)."""
    return uow.imports.copy_identities(records)


def _with_columns(layout: Any, columns: dict[str, str]) -> Any:
    import dataclasses

    return dataclasses.replace(layout, columns={**layout.columns, **columns})


def write_reject_report(rejects: list[tuple[int, str]], input_path: Path, data_dir: Path,
                        wanted: str | None = None) -> Path | None:
    """`line,reason` CSV next to the input (or under data_dir/rejects/); None when there are none."""
    if not rejects:
        return None
    candidates = [Path(wanted)] if wanted else [
        input_path.with_name(input_path.name + ".rejects.csv"),
        Path(data_dir) / "rejects" / (input_path.name + ".rejects.csv"),
    ]
    for path in candidates:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(("line", "reason"))
                writer.writerows(rejects)
            return path
        except OSError:
            continue
    return None
