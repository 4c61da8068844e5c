"""Where the engine's memory goes: process RSS, and the matcher's own structures part by part.

Numpy arrays are counted exactly (`nbytes`); Python containers as `sys.getsizeof` of the container plus
each element's (shallow: a list in a dict counts its pointers, not what they point to), so the figure
says which parts are still Python objects, the ones to move to arrays before 100 M identities. A string
shared by two structures (the synthetic population's ids and the table's) counts in each.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MiB, from /proc/self/status."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as `uptime` prints them: the machine is shared."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@dataclass(frozen=True)
class Part:
    name: str
    bytes: int
    python_objects: bool  # True: an estimate of Python object overhead, not an exact array size


def list_of_str_bytes(values: list) -> int:
    """A list's pointer array plus every object it holds (strings shared with other lists count here too)."""
    return sys.getsizeof(values) + sum(map(sys.getsizeof, values))


def dict_bytes(mapping: dict, values_shared: bool = True) -> int:
    """A dict's table plus its keys (and its values unless they are shared with another structure).

    Exact sums, not samples: the first entries of a dict are no sample of it (early index keys hold the
    largest blocks). Costs about a second per 5 M entries.
    """
    size = sys.getsizeof(mapping) + sum(map(sys.getsizeof, mapping))
    if not values_shared:
        size += sum(map(sys.getsizeof, mapping.values()))
    return size


def engine_parts(matcher) -> list[Part]:
    """The matcher's memory by structure. Works on `FellegiSunterMatcher`; reads, never changes it."""
    table, index, encoder = matcher.table, matcher.index, matcher.encoder
    parts = [
        Part("candidate index keys+rows (numpy)", index.nbytes(), False),
        Part("feature columns (numpy int32/int64)", table.nbytes(), False),
        Part("alive flags (numpy)", int(matcher._alive.nbytes()), False),
        # fixed-width bytes + sorted int32 order; ids added since the last merge are Python objects
        Part("identity ids (numpy bytes + order)", table.ids.array_nbytes(), False),
    ]
    pending = table.ids.nbytes() - parts[-1].bytes
    if pending:
        parts.append(Part("identity ids added since (list + dict)", pending, True))
    vocab = sum(v.nbytes() for v in (encoder.names, encoder.folded_names, encoder.dates, encoder.places))
    parts.append(Part("vocabularies (names, dates, places)", vocab + int(encoder.fold_of.nbytes()), True))
    delta = getattr(index, "_delta", {})
    if delta:
        parts.append(Part("index delta dict", dict_bytes(delta, values_shared=False), True))
    return parts


def footprint(matcher, identities: int) -> dict:
    """Bytes per identity: exact numpy part, estimated Python part, and the parts themselves."""
    parts = engine_parts(matcher)
    arrays = sum(p.bytes for p in parts if not p.python_objects)
    python = sum(p.bytes for p in parts if p.python_objects)
    n = max(identities, 1)
    return {
        "identities": identities,
        "index_keys_per_identity": len(matcher.index) / n,
        "numpy_bytes_per_identity": arrays / n,
        "python_bytes_per_identity": python / n,
        "total_bytes_per_identity": (arrays + python) / n,
        "parts": {p.name: {"mb": p.bytes / 2**20, "bytes_per_identity": p.bytes / n,
                           "python_objects": p.python_objects} for p in parts},
    }
