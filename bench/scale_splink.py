"""Splink (DuckDB backend) linking the same records against the same population, as its tutorial shows.

Run in its own process (`python -m bench.scale_splink POP.parquet RECORDS.parquet OUT.parquet`) so that
the caller can bound it in time and memory. Preprocessing is what a Splink user would write: names
lower-cased and folded to ASCII (đ -> d), surname = first token, given name = last token, dates read
day-first by pandas. Settings: `link_only`; blocking on given name + birth year, surname + date of birth
and personal number; `NameComparison` (Jaro-Winkler + Levenshtein levels) on surname and given name,
Jaro-Winkler on the middle name and parents' names, `DateOfBirthComparison`, Levenshtein on the birth
place, exact sex and personal number. Training as the tutorial: λ from deterministic rules, u by random
sampling, m by EM on two blocking rules. Predictions go out with their match probability.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from pathlib import Path

import pandas as pd

SPLINK_THRESHOLD = 0.5  # the tutorial's clustering threshold: a pair at or above it is a link
_FOLD = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str | None) -> str | None:
    if not text:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = "".join(c if c.isalnum() or c.isspace() else " " for c in plain)
    return " ".join(plain.split()) or None


def frame(people: list, prefix: str) -> pd.DataFrame:
    """The input table Splink gets, one row per PersonRecord; `unique_id` is `prefix` + record id."""
    names = [fold(p.full_name) or "" for p in people]
    parts = [n.split() for n in names]
    dob = pd.to_datetime(pd.Series([p.birth_date for p in people]), errors="coerce", format="mixed",
                         dayfirst=True)
    return pd.DataFrame({
        "unique_id": [prefix + p.record_id for p in people],
        "surname": [t[0] if t else None for t in parts],
        "given_name": [t[-1] if len(t) > 1 else None for t in parts],
        "middle_name": [" ".join(t[1:-1]) or None for t in parts],
        "sex": [p.sex.value if p.sex.value in ("M", "F") else None for p in people],
        "dob": dob.dt.strftime("%Y-%m-%d").where(dob.notna(), None),
        "birth_year": dob.dt.year.astype("Int64").astype(str).where(dob.notna(), None),
        "birth_place": [fold(p.birth_place) for p in people],
        "mother_name": [fold(p.mother_name) for p in people],
        "father_name": [fold(p.father_name) for p in people],
        "pid": [p.pid or None for p in people],
    })


def settings():
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "birth_year"), block_on("surname", "dob"), block_on("pid"),
        ],
        comparisons=[
            cl.NameComparison("surname"),
            cl.NameComparison("given_name"),
            cl.JaroWinklerAtThresholds("middle_name"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.LevenshteinAtThresholds("birth_place", [2, 5]),
            cl.JaroWinklerAtThresholds("mother_name"),
            cl.JaroWinklerAtThresholds("father_name"),
            cl.ExactMatch("pid"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def link(population: pd.DataFrame, records: pd.DataFrame, threads: int = 2,
         u_max_pairs: float = 1e7) -> tuple[pd.DataFrame, dict]:
    """(pairs with match_probability, timings). Pairs: record unique_id, identity unique_id, probability."""
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    timings: dict[str, float] = {}
    began = time.perf_counter()
    connection = duckdb.connect()
    connection.execute(f"SET threads TO {threads}")
    db_api = DuckDBAPI(connection)
    left = db_api.register(records, dataset_display_name="records")
    right = db_api.register(population, dataset_display_name="population")
    linker = Linker([left, right], settings(), log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "dob"), block_on("pid")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    timings["train_s"] = time.perf_counter() - began
    t = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe()
    timings["predict_s"] = time.perf_counter() - t
    timings["seconds"] = time.perf_counter() - began
    left_is_record = predictions["unique_id_l"].str.startswith("r:")
    pairs = pd.DataFrame({
        "record": predictions["unique_id_l"].where(left_is_record, predictions["unique_id_r"]).str[2:],
        "identity": predictions["unique_id_r"].where(left_is_record, predictions["unique_id_l"]).str[2:],
        "p": predictions["match_probability"].astype(float),
    })
    return pairs, timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("population", type=Path)
    parser.add_argument("records", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    import splink

    pairs, timings = link(pd.read_parquet(args.population), pd.read_parquet(args.records), args.threads)
    pairs.to_parquet(args.out)
    Path(str(args.out) + ".json").write_text(json.dumps({**timings, "splink": splink.__version__,
                                                          "pairs": len(pairs)}))
    print(json.dumps(timings), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
