"""The matcher's built state on disk, so a restart maps it in seconds instead of re-encoding every identity.

A snapshot is a directory of `.npy` arrays (feature columns, identity ids and their sorted order, the
candidate index, alive flags, the names -> folded names map) plus `vocabularies.pickle` (the value lists
of the vocabularies, their counts, ids removed by merges) and `meta.json` (format version, a fingerprint
of the code that encodes identities, model version, identity count, the store's watermark, and a CRC-32
and shape of every file). Arrays load with `mmap_mode="r"`: several server processes share the pages, and
a process that adds identities copies only what it grows (`GrowableColumn.over`, `CandidateIndex` merges).

Written atomically: into a temporary directory, renamed, then a `current` symlink is replaced in one
`os.replace`; a reader sees the old snapshot or the new one, never half of one. A snapshot of another
format, of other encoding code, of another store, or whose files do not match their CRC is refused with
a `SnapshotError` naming the reason (the caller rebuilds from the store).

The snapshot holds features, not the model: the scoring model is given at load.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from linkage.engine.features import COLUMNS, Encoder, FeatureTable
from linkage.engine.identity_ids import IdentityIds
from linkage.engine.index import CandidateIndex
from linkage.engine.matcher import ConflictChecker, FellegiSunterMatcher
from linkage.engine.scorer import Scorer
from linkage.engine.vocabulary import GrowableColumn, Vocabulary
from linkage.model.spec import Model

FORMAT = 1
CURRENT = "current"
META = "meta.json"
VOCABULARIES = "vocabularies.pickle"
_ENGINE = Path(__file__).resolve().parent
# the code that turns a record into features and keys: a snapshot built by other code is refused
_ENCODING_SOURCES = ("features.py", "keys.py", "vocabulary.py", "index.py", "identity_ids.py", "snapshot.py")


class SnapshotError(Exception):
    """A snapshot that cannot be used (missing, other format or code, another store, corrupted)."""


class SnapshotMissing(SnapshotError):
    pass


@dataclass(frozen=True)
class SnapshotInfo:
    path: Path
    format: int
    code: str
    model_version: str
    identities: int
    rows: int
    watermark: datetime | None
    store: str
    created_at: datetime


def code_fingerprint() -> str:
    """A hash of the engine's encoding code and the Vietnamese knowledge it uses (code and data files)."""
    digest = hashlib.sha256()
    vn = _ENGINE.parent / "vn"
    paths = [_ENGINE / name for name in _ENCODING_SOURCES]
    paths += sorted(p for p in vn.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in paths:
        digest.update(str(path.relative_to(_ENGINE.parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def store_key(db_url: str) -> str:
    """Which store a snapshot belongs to, without keeping its URL (it may carry a password)."""
    return hashlib.sha256(db_url.encode()).hexdigest()[:16]


def _crc(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(16 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


# saving --------------------------------------------------------------------------------------------------
def _arrays(matcher: FellegiSunterMatcher) -> dict[str, np.ndarray]:
    table, encoder = matcher.table, matcher.encoder
    keys, rows = matcher.index.sorted_arrays()
    ids, order = table.ids.arrays()
    arrays = {"index_keys": keys, "index_rows": rows, "alive": matcher._alive.view, "ids": ids,
              "ids_order": order, "fold_of": encoder.fold_of.view}
    arrays.update({f"col_{name}": table.col(name) for name in COLUMNS})
    return arrays


def save(matcher: FellegiSunterMatcher, root: Path, *, watermark: datetime | None, store: str = "") -> Path:
    """Write a snapshot of `matcher` under `root` and make it the current one; returns its directory.

    `watermark`: every store change before it is in the matcher (the loader asks the store for what
    changed from then on). Older snapshots are removed; a process still mapping one keeps its pages.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    tmp = root / f".tmp-{name}"
    tmp.mkdir()
    try:
        files: dict[str, dict] = {}
        for key, array in _arrays(matcher).items():
            path = tmp / f"{key}.npy"
            np.save(path, np.ascontiguousarray(array), allow_pickle=False)
            files[path.name] = {"dtype": array.dtype.str, "shape": list(array.shape), "crc32": _crc(path)}
        encoder = matcher.encoder
        vocabularies = {name: getattr(encoder, name).state()
                        for name in ("names", "folded_names", "dates", "places")}
        with (tmp / VOCABULARIES).open("wb") as out:
            pickle.dump({"vocabularies": vocabularies, "removed": sorted(matcher.table.ids.removed),
                         "live": matcher.table.live_count()}, out, protocol=pickle.HIGHEST_PROTOCOL)
        files[VOCABULARIES] = {"crc32": _crc(tmp / VOCABULARIES)}
        meta = {"format": FORMAT, "code": code_fingerprint(), "model_version": matcher.model_version,
                "identities": matcher.table.live_count(), "rows": len(matcher.table),
                "block_cap": matcher.index.cap,
                "watermark": watermark.astimezone(UTC).isoformat() if watermark else None,
                "store": store, "created_at": datetime.now(UTC).isoformat(), "files": files}
        (tmp / META).write_text(json.dumps(meta, indent=1))
        for path in tmp.iterdir():
            _fsync(path)
        final = root / name
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    link = root / f".{CURRENT}-{name}"
    os.symlink(name, link)
    os.replace(link, root / CURRENT)  # the switch: atomic
    _fsync(root)
    for old in root.iterdir():
        if old.name not in (name, CURRENT) and old.is_dir() and not old.name.startswith(".tmp-"):
            shutil.rmtree(old, ignore_errors=True)
    return final


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# loading -------------------------------------------------------------------------------------------------
def read_info(root: Path) -> SnapshotInfo:
    """The current snapshot's metadata, checked for format and code; raises `SnapshotError`."""
    path = Path(root) / CURRENT
    if not path.exists():
        raise SnapshotMissing(f"no snapshot under {root}")
    path = path.resolve()
    try:
        meta = json.loads((path / META).read_text())
    except (OSError, ValueError) as error:
        raise SnapshotError(f"snapshot {path.name}: unreadable {META} ({error})") from error
    if meta.get("format") != FORMAT:
        raise SnapshotError(f"snapshot {path.name}: format {meta.get('format')!r}, this engine reads "
                            f"{FORMAT}")
    if meta.get("code") != code_fingerprint():
        raise SnapshotError(f"snapshot {path.name}: written by other encoding code (features, keys or "
                            "Vietnamese tables changed since)")
    watermark = datetime.fromisoformat(meta["watermark"]) if meta.get("watermark") else None
    return SnapshotInfo(path, meta["format"], meta["code"], meta["model_version"], meta["identities"],
                        meta["rows"], watermark, meta.get("store", ""),
                        datetime.fromisoformat(meta["created_at"]))


def load(root: Path, model: Model, *, conflict_checker: ConflictChecker | None = None,
         store: str | None = None, limit: int = 5,
         verify: bool = True) -> tuple[FellegiSunterMatcher, SnapshotInfo]:
    """A matcher over the current snapshot under `root`, scoring with `model`.

    `store`: refuse a snapshot of another store. `verify`: check every file's CRC-32 (reads each file
    once, which also brings its pages into the page cache the mapping then uses).
    """
    info = read_info(root)
    if store is not None and info.store != store:
        raise SnapshotError(f"snapshot {info.path.name} belongs to another store")
    meta = json.loads((info.path / META).read_text())
    files = meta["files"]
    arrays: dict[str, np.ndarray] = {}
    for name, expected in files.items():
        path = info.path / name
        if not path.is_file():
            raise SnapshotError(f"snapshot {info.path.name}: {name} is missing")
        if verify and _crc(path) != expected["crc32"]:
            raise SnapshotError(f"snapshot {info.path.name}: {name} is corrupted (CRC-32 differs)")
        if name.endswith(".npy"):
            try:
                array = np.load(path, mmap_mode="r", allow_pickle=False)
            except (OSError, ValueError) as error:
                raise SnapshotError(f"snapshot {info.path.name}: {name} is unreadable ({error})") from error
            if array.dtype.str != expected["dtype"] or list(array.shape) != expected["shape"]:
                raise SnapshotError(f"snapshot {info.path.name}: {name} has another shape or type")
            arrays[name.removesuffix(".npy")] = array
    try:
        with (info.path / VOCABULARIES).open("rb") as handle:
            saved = pickle.load(handle)  # noqa: S301 - a file this engine wrote, checked by CRC above
    except (OSError, pickle.UnpicklingError, EOFError) as error:
        raise SnapshotError(f"snapshot {info.path.name}: {VOCABULARIES} is unreadable ({error})") from error
    try:
        matcher = _assemble(arrays, saved, model, conflict_checker, limit, meta.get("block_cap", 500))
    except (KeyError, ValueError) as error:
        raise SnapshotError(f"snapshot {info.path.name}: inconsistent ({error})") from error
    if len(matcher.table) != info.rows or matcher.table.live_count() != info.identities:
        raise SnapshotError(f"snapshot {info.path.name}: holds {len(matcher.table)} rows, its metadata "
                            f"says {info.rows}")
    return matcher, info


def _assemble(arrays: dict[str, np.ndarray], saved: dict, model: Model,
              conflict_checker: ConflictChecker | None, limit: int, block_cap: int) -> FellegiSunterMatcher:
    matcher = FellegiSunterMatcher(model, limit=limit, block_cap=block_cap, conflict_checker=conflict_checker)
    encoder = Encoder()
    for name, (values, counts, total) in saved["vocabularies"].items():
        setattr(encoder, name, Vocabulary.restore(values, counts, total))
    encoder.fold_of = GrowableColumn.over(arrays["fold_of"])
    if len(encoder.fold_of.view) != len(encoder.names):
        raise ValueError("the names -> folded names map and the names vocabulary differ in length")
    table = FeatureTable(encoder)
    rows = len(arrays["ids"])
    for name in COLUMNS:
        column = arrays[f"col_{name}"]
        if len(column) != rows:
            raise ValueError(f"column {name} has {len(column)} rows, the ids {rows}")
        table.columns[name] = GrowableColumn.over(column)
    table.ids = IdentityIds.from_arrays(arrays["ids"], arrays["ids_order"], saved["live"], saved["removed"])
    if len(arrays["alive"]) != rows:
        raise ValueError("alive flags and ids differ in length")
    matcher.encoder, matcher.table = encoder, table
    matcher._alive = GrowableColumn.over(arrays["alive"])
    matcher.index = CandidateIndex.from_sorted(arrays["index_keys"], arrays["index_rows"], cap=block_cap)
    matcher.scorer = Scorer(model, table, matcher.scorer.shortlist_size)  # bound to the loaded table
    return matcher


__all__ = ["SnapshotError", "SnapshotMissing", "SnapshotInfo", "save", "load", "read_info", "store_key",
           "code_fingerprint"]
