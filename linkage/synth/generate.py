"""`linkage synth`: write a population, damaged source records, the truth and a manifest to a folder.

Files are written row by row (csv module), so memory stays proportional to the population's columns,
not to the text of the files.
"""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from linkage.domain import PersonRecord
from linkage.synth.population import TODAY, Population, generate_population
from linkage.synth.profiles import CHANNELS, NEAR_MISS_KINDS, SOURCES, effective_rates
from linkage.synth.records import Truth, build_records, corruption_counts
from linkage.synth.reference import load_reference

RECORD_COLUMNS = ("source", "record_id", "full_name", "sex", "birth_date", "birth_place", "mother_name",
                  "father_name", "pid", "recorded_on")
TRUTH_COLUMNS = ("source", "record_id", "identity_id", "kind", "channel", "corruptions")
FORMAT_VERSION = 1


def synthetic_dataset(population: int, records: int, seed: int = 7
                      ) -> tuple[list[PersonRecord], list[PersonRecord], dict[tuple[str, str], str | None]]:
    """In memory, for tests: (population records, source records, truth {(source, record_id): identity})."""
    pop = generate_population(population, seed)
    recs, truth = build_records(pop, records, seed)
    return pop.records(), recs, {(t.source, t.record_id): t.identity_id for t in truth}


def generate(out_dir: Path, population: int, records: int, seed: int = 7, progress: bool = False) -> dict:
    """Write population.csv, records.csv, truth.csv and manifest.json into `out_dir`; return the manifest."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    ref = load_reference()
    pop = generate_population(population, seed, ref)
    recs, truth = build_records(pop, records, seed, ref)
    _write_csv(out_dir / "population.csv", RECORD_COLUMNS, _progress(pop.csv_rows(), len(pop), progress))
    _write_csv(out_dir / "records.csv", RECORD_COLUMNS, (_row(r) for r in recs))
    _write_csv(out_dir / "truth.csv", TRUTH_COLUMNS,
               ((t.source, t.record_id, t.identity_id or "", t.kind, t.channel, ";".join(t.corruptions))
                for t in truth))
    manifest = build_manifest(pop, truth, seed)
    manifest["seconds"] = round(time.perf_counter() - started, 2)
    text = json.dumps(manifest, ensure_ascii=False, indent=2)
    (out_dir / "manifest.json").write_text(text, encoding="utf-8")
    return manifest


def build_manifest(pop: Population, truth: list[Truth], seed: int) -> dict:
    kinds: dict[str, Counter] = {}
    for t in truth:
        kinds.setdefault(t.source, Counter())[t.kind] += 1
    return {
        "format_version": FORMAT_VERSION,
        "seed": seed,
        "reference_date": TODAY.isoformat(),
        "counts": {
            "population": len(pop),
            "twins_in_population": int((pop.twin >= 0).sum()),
            "records": len(truth),
            "records_by_source": {s: sum(c.values()) for s, c in kinds.items()},
            "kinds_by_source": {s: dict(sorted(c.items())) for s, c in kinds.items()},
            "no_true_match": sum(1 for t in truth if t.identity_id is None),
        },
        "sources": {s: {"share": cfg["share"], "no_match_share": cfg["no_match"], "channels": cfg["channels"],
                        "birth_years": list(cfg["years"])} for s, cfg in SOURCES.items()},
        "near_miss_kinds": NEAR_MISS_KINDS,
        "rates_by_channel": CHANNELS,
        "rates_by_source": {s: effective_rates(s) for s in SOURCES},
        "corruptions_applied_by_source": corruption_counts(truth),
    }


def _row(r: PersonRecord) -> tuple[str, ...]:
    return (r.source, r.record_id, r.full_name, r.sex.value, r.birth_date, r.birth_place, r.mother_name,
            r.father_name, r.pid, r.recorded_on)


def _write_csv(path: Path, header: tuple[str, ...], rows: Iterable[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _progress(rows: Iterable, total: int, enabled: bool) -> Iterable:
    if not enabled:
        return rows
    from tqdm import tqdm

    return tqdm(rows, total=total, unit=" rows", desc="population.csv")
