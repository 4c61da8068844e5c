"""Linkage quality on the project's synthetic benchmark: this engine beside recordlinkage, per source.

    .venv/bin/python -m bench.quality --population 200000 --records 5000 --seed 1

Generates a population and damaged source records with `linkage.synth` (seeded), then
1. runs this engine: index the population, learn the model by EM on these records without labels
   (as Splink and recordlinkage both do on the data they link), match every record the service would
   accept (one that `MatchRecord` and `linkage link` refuse counts as unmatched: `linkage.validation`);
2. runs recordlinkage configured as its documentation shows: `preprocessing.clean` on names,
   `Index.block` on given name + birth year and on surname + date of birth, `Compare` with
   `string(method="jarowinkler", threshold=0.85)` on name parts and parents' names, `exact` on sex,
   date and place, then `ECMClassifier`;
and prints precision / recall / F1 at the best threshold, recall at precision 0.999, the false-link
rate among records with no true match, blocking pair completeness, reduction ratio and time, overall
and per source. The table also goes to bench/out/quality-<population>-<records>-<seed>.json.

    .venv/bin/python -m bench.quality --data DIR

runs the same comparison on labelled data of one's own (a sample stewards decided, data from another
generator): DIR holds population.csv, records.csv and truth.csv as `linkage synth` writes them
(linkage/synth/README.md; truth.csv needs only source, record_id and identity_id, empty for no match).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.identifiable import identifiable  # noqa: E402
from linkage.domain import Decision, PersonRecord, Sex  # noqa: E402
from linkage.engine.evaluation import Outcomes, summarise, threshold_at_precision  # noqa: E402

OUT_DIR = Path(__file__).resolve().parent / "out"
ROWS = ("precision", "recall", "f1", "recall_at_p999", "op_precision", "op_recall",
        "false_link_rate_no_match", "pair_completeness", "reduction_ratio", "seconds")


def generate(population: int, records: int, seed: int):
    """(the Population, its identities as records, the source records, their truth)."""
    from linkage.synth.population import generate_population
    from linkage.synth.records import build_records

    pop = generate_population(population, seed)
    recs, truth = build_records(pop, records, seed + 1)
    return pop, pop.records(), recs, truth


def read_rows(path: Path) -> list[dict[str, str]]:
    """A table's rows keyed by field: a header may name one its own way ("Date of Birth", "id"); any
    encoding and delimiter a spreadsheet writes."""
    from adapters.csv_io import NAME_PART_ALIASES, header_field, table_reader

    with table_reader(path) as reader:
        fields = [NAME_PART_ALIASES.get(f, f) for f in (header_field(h) for h in next(reader, []))]
        return [dict(zip(fields, row, strict=False)) for row in reader if any(c.strip() for c in row)]


def person(row: dict[str, str]) -> PersonRecord:
    """A row of `read_rows` as a record: a name split over columns composed, a sex no table knows
    unknown (the measurement goes on)."""
    from adapters.csv_io import NAME_PARTS, composed_name, parse_sex

    text = {f: row.get(f) or "" for f in _PERSON_FIELDS}
    if not text["full_name"]:
        text["full_name"] = composed_name(*(row.get(part) or "" for part in NAME_PARTS))
    try:
        sex = parse_sex(row.get("sex") or "")
    except ValueError:
        sex = Sex.UNKNOWN
    return PersonRecord(**text, sex=sex)


def load(data: Path) -> tuple[list[PersonRecord], list[PersonRecord], list]:
    """(identities, source records, their truth) from a folder in `linkage synth`'s layout."""
    from linkage.synth.records import Truth

    def rows(name: str) -> list[dict[str, str]]:
        return read_rows(data / name)

    population = [person({**row, "source": "population"}) for row in rows("population.csv")]
    records = [person(row) for row in rows("records.csv")]
    truth_rows = rows("truth.csv")
    # a truth that names no source keys its records by id alone (ids unique across the sources)
    by_source = all("source" in row for row in truth_rows)

    def key(source: str, record_id: str) -> tuple[str, str]:
        return (source if by_source else "", record_id)

    truth_of = {key(row.get("source", ""), row["record_id"]): row for row in truth_rows}
    missing = [r.record_id for r in records if key(r.source, r.record_id) not in truth_of]
    if missing:
        raise SystemExit(f"truth.csv lacks {len(missing)} records (first: {missing[0]})")
    truth = []
    for r in records:
        row = truth_of[key(r.source, r.record_id)]
        identity = row.get("identity_id") or None
        corruptions = [c for c in (row.get("corruptions") or "").split(";") if c]
        kind = row.get("kind") or ("match" if identity else "no_match")
        truth.append(Truth(r.source, r.record_id, identity, kind, row.get("channel") or "", corruptions))
    return population, records, truth


_PERSON_FIELDS = ("source", "record_id", "full_name", "birth_date", "birth_place", "mother_name",
                  "father_name", "pid", "recorded_on")


# this engine -------------------------------------------------------------------------------------------
_NOT_SHOWN = ("details", "store_checked")  # per record, or not JSON: kept out of the summary and the file


def run_engine(population: list[PersonRecord], records: list[PersonRecord], truth: list,
               train_on_records: bool = True) -> tuple[Outcomes, dict]:
    from linkage.engine.matcher import FellegiSunterMatcher, link_score, redecide_with_links
    from linkage.engine.training import train
    from linkage.model import load_default_model
    from linkage.validation import validate_record

    timings: dict[str, float] = {}
    start = time.perf_counter()
    matcher = FellegiSunterMatcher(load_default_model())
    matcher.add_identities(population)
    timings["index_s"] = time.perf_counter() - start
    # what `MatchRecord` and `linkage link` refuse (INVALID_ARGUMENT, a rejected row) is never matched
    refused = [bool(validate_record(record)) for record in records]
    if train_on_records:
        t = time.perf_counter()
        accepted = [record for record, out in zip(records, refused, strict=True) if not out]
        matcher.use_model(train(population, accepted, matcher=matcher))
        timings["train_s"] = time.perf_counter() - t
    t = time.perf_counter()
    row_of = matcher.table.row_of
    predicted, score, linked, retrieved, pairs = [], [], [], [], 0
    decisions: dict[str, int] = {}
    details: list[dict] = []
    # as the store decides in production (`engine.conflicts`): a record whose best candidate an earlier
    # record of its source linked goes to review (already_linked), records taken in file order
    linked_in: dict[str, set[str]] = {}
    stored_score, stored_linked = [], []
    for record, true, out in zip(records, truth, refused, strict=True):
        if out:
            predicted.append(None)
            score.append(float("-inf"))
            linked.append(False)
            stored_score.append(float("-inf"))
            stored_linked.append(False)
            retrieved.append(False)
            decisions["refused"] = decisions.get("refused", 0) + 1
            details.append({"decision": "refused", "conflicts": [], "rank": None, "best": None, "p": 0.0,
                            "p_no_twin": 0.0})
            continue
        encoded, scores = matcher.score(record)
        result = matcher.result(record, encoded, scores)
        pairs += len(scores)
        best = result.best
        predicted.append(best.identity_id if best else None)
        score.append(link_score(result))
        linked.append(result.decision is Decision.LINK)
        stored = redecide_with_links(result, matcher.model, linked_in.setdefault(record.source, set()))
        if stored.decision is Decision.LINK:
            linked_in[record.source].add(stored.best.identity_id)
        stored_score.append(link_score(stored))
        stored_linked.append(stored.decision is Decision.LINK)
        decisions[result.decision.value] = decisions.get(result.decision.value, 0) + 1
        row = row_of.get(true.identity_id) if true.identity_id else None
        retrieved.append(row is not None and bool(np.any(scores.rows == row)))
        details.append(_detail(result, scores, row))
    timings["match_s"] = time.perf_counter() - t
    timings["ms_per_record"] = 1000 * timings["match_s"] / max(len(records), 1)
    timings["seconds"] = time.perf_counter() - start
    true_ids = [t.identity_id for t in truth]
    outcomes = Outcomes(true_ids, predicted, np.array(score, dtype=np.float64), np.array(linked),
                        np.array(retrieved), pairs)
    stored = Outcomes(true_ids, predicted, np.array(stored_score, dtype=np.float64), np.array(stored_linked),
                      np.array(retrieved), pairs)
    return outcomes, {**timings, "model_version": matcher.model_version, "decisions": decisions,
                      "index_mb": (matcher.index.nbytes() + matcher.table.nbytes()) / 2**20,
                      "details": details, "store_checked": stored}


def _detail(result, scores, true_row: int | None) -> dict:
    """What the engine did with one record, for the loss breakdown: the best candidate's probability
    with and without its possible hidden twin, the conflicts, and where the true identity ranked."""
    from linkage.engine.scorer import FIELD_INDEX
    from linkage.model.spec import probability_from_weight

    out = {"decision": result.decision.value, "conflicts": list(result.conflicts), "rank": None,
           "best": result.best.identity_id if result.best else None,
           "p": result.best.probability if result.best else 0.0, "p_no_twin": 0.0}
    if not len(scores):
        return out
    weights = scores.weights
    best = int(np.argmax(weights))
    odds = np.exp2(np.clip(weights, -1000, 1000))
    others = odds.sum() - odds[best]
    out["p_no_twin"] = float(probability_from_weight(weights[best] - np.log2(1.0 + others)))
    out["levels"] = {name: int(scores.levels[best, j]) for name, j in FIELD_INDEX.items()}
    if true_row is not None:
        hit = np.flatnonzero(scores.rows == true_row)
        if len(hit):
            out["rank"] = int((weights > weights[hit[0]]).sum())
    return out


# recordlinkage, as its documentation shows ----------------------------------------------------------------
def _frame(people: list[PersonRecord]):
    import pandas as pd
    from recordlinkage.preprocessing import clean

    df = pd.DataFrame({
        "id": [p.record_id for p in people],
        "full_name": [p.full_name for p in people],
        "sex": [p.sex.value if p.sex.value != "U" else None for p in people],
        "birth_date": [p.birth_date for p in people],
        "birth_place": [p.birth_place for p in people],
        "mother_name": [p.mother_name for p in people],
        "father_name": [p.father_name for p in people],
        "pid": [p.pid or None for p in people],
    }).set_index("id")
    name = clean(df["full_name"]).fillna("")
    parts = name.str.split()
    df["surname"] = parts.str[0]                      # the dataset's own column order: surname first
    df["given_name"] = parts.str[-1]
    df["middle_name"] = parts.apply(lambda p: " ".join(p[1:-1]) if isinstance(p, list) else "")
    df["mother_name"] = clean(df["mother_name"])
    df["father_name"] = clean(df["father_name"])
    df["birth_place"] = clean(df["birth_place"])
    dob = pd.to_datetime(df["birth_date"], errors="coerce", format="mixed", dayfirst=True)
    df["dob"] = dob.dt.strftime("%Y%m%d")
    df["birth_year"] = dob.dt.year.astype("Int64").astype(str)
    return df.replace({"": None})


def run_recordlinkage(population: list[PersonRecord], records: list[PersonRecord],
                      truth: list) -> tuple[Outcomes, dict]:
    import recordlinkage

    start = time.perf_counter()
    people, recs = _frame(population), _frame(records)
    indexer = recordlinkage.Index()
    indexer.block(left_on=["given_name", "birth_year"], right_on=["given_name", "birth_year"])
    indexer.block(left_on=["surname", "dob"], right_on=["surname", "dob"])
    pairs = indexer.index(recs, people)
    compare = recordlinkage.Compare()
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    compare.string("middle_name", "middle_name", method="jarowinkler", threshold=0.85, label="middle_name")
    compare.exact("sex", "sex", label="sex")
    compare.exact("dob", "dob", label="dob")
    compare.exact("birth_place", "birth_place", label="birth_place")
    compare.string("mother_name", "mother_name", method="jarowinkler", threshold=0.85, label="mother_name")
    compare.string("father_name", "father_name", method="jarowinkler", threshold=0.85, label="father_name")
    compare.exact("pid", "pid", label="pid")
    features = compare.compute(pairs, recs, people)
    classifier = recordlinkage.ECMClassifier()
    classifier.fit(features)
    probability = classifier.prob(features)
    matched = set(classifier.predict(features).tolist())
    seconds = time.perf_counter() - start
    frame = probability.rename("p").reset_index()
    frame.columns = ["record", "identity", "p"]
    outcomes = outcomes_from_pairs(frame, records, truth,
                                   lambda record, identity, _p: (record, identity) in matched)
    return outcomes, {"seconds": seconds}


def outcomes_from_pairs(pairs, records: list[PersonRecord], truth: list,
                        linked_if: Callable[[str, str, float], bool]) -> Outcomes:
    """Score a baseline's scored pairs (`record`, `identity`, `p` columns) like the engine: each record
    by its best pair; `linked_if(record, identity, p)` says whether the baseline itself linked it."""
    ranked = pairs.sort_values("p", ascending=False, kind="stable")
    best = ranked.drop_duplicates("record").set_index("record")
    retrieved_pairs = set(zip(pairs["record"], pairs["identity"], strict=True))
    predicted, score, linked, retrieved = [], [], [], []
    for record, true in zip(records, truth, strict=True):
        if record.record_id in best.index:
            identity, p = best.at[record.record_id, "identity"], float(best.at[record.record_id, "p"])
            predicted.append(identity)
            score.append(p)
            linked.append(linked_if(record.record_id, identity, p))
        else:
            predicted.append(None)
            score.append(-np.inf)
            linked.append(False)
        retrieved.append((record.record_id, true.identity_id) in retrieved_pairs)
    return Outcomes([t.identity_id for t in truth], predicted, np.array(score), np.array(linked),
                    np.array(retrieved), len(pairs))


# report ---------------------------------------------------------------------------------------------------
def table(results: dict[str, dict[str, dict]], sources: list[str]) -> str:
    lines = []
    for scope in ["all", *sources]:
        lines.append(f"\n== {scope} ==")
        lines.append(f"{'':28s}" + "".join(f"{name:>16s}" for name in results))
        for row in ROWS:
            values = [results[name][scope].get(row) for name in results]
            cells = "".join(f"{v:16.4f}" if isinstance(v, float) else f"{str(v or ''):>16s}" for v in values)
            lines.append(f"{row:28s}{cells}")
    return "\n".join(lines)


def losses(o: Outcomes, details: list[dict], truth: list, target: float = 0.999) -> str:
    """Where the engine loses: false links at its operating point and above the precision-target
    threshold, true matches below that threshold and why, and how near misses were decided."""
    from collections import Counter

    threshold = threshold_at_precision(o, target)
    correct = [t.identity_id is not None and t.identity_id == p
               for t, p in zip(truth, o.predicted, strict=True)]
    lines = [f"\n== engine losses (threshold at precision {target}: score >= {threshold:.6f}) =="]
    false_op = Counter()
    false_t = Counter()
    missed: Counter = Counter()
    for t, d, ok, s, linked in zip(truth, details, correct, o.score, o.linked, strict=True):
        where = f"{t.source}/{t.channel}"
        if linked and not ok:
            false_op[(t.kind, where, "wrong person" if t.identity_id else "no true match")] += 1
        if s >= threshold and not ok:
            false_t[(t.kind, where)] += 1
        if t.identity_id is None or (ok and s >= threshold):
            continue
        if d["decision"] == "refused":
            why = "refused by validation"
        elif d["rank"] is None:
            why = "not retrieved"
        elif not ok:
            why = "wrong rank"
        elif d["conflicts"]:
            why = "conflict:" + "+".join(sorted(d["conflicts"]))
        elif d["p_no_twin"] >= threshold > d["p"]:
            why = "capped by twin risk"
        else:
            why = "low score"
        missed[(why, t.source, t.channel)] += 1
    lines.append(f"false links at the operating point: {sum(false_op.values())}")
    lines += [f"  {n:5d}  {kind:22s} {where:32s} {what}" for (kind, where, what), n in false_op.most_common()]
    lines.append(f"wrong best candidates at or above the threshold: {sum(false_t.values())}")
    lines += [f"  {n:5d}  {kind:22s} {where}" for (kind, where), n in false_t.most_common()]
    lines.append(f"true matches below the threshold: {sum(missed.values())}")
    by_why = Counter()
    for (why, _source, _channel), n in missed.items():
        by_why[why] += n
    for why, n in by_why.most_common():
        lines.append(f"  {n:5d}  {why}")
        for (w, source, channel), k in sorted(missed.items(), key=lambda kv: -kv[1]):
            if w == why:
                lines.append(f"         {k:5d}  {source}/{channel}")
    near = Counter((t.kind, d["decision"]) for t, d in zip(truth, details, strict=True)
                   if t.identity_id is None)
    lines.append("records with no true match, by kind and decision:")
    for kind in sorted({k for k, _ in near}):
        cells = ", ".join(f"{dec} {near[(kind, dec)]}" for dec in ("link", "review", "no_link", "refused")
                          if dec != "refused" or near[(kind, dec)])
        lines.append(f"  {kind:22s} {cells}")
    return "\n".join(lines)


def ceiling(o: Outcomes, truth: list, singled_out: dict[str, bool], sources: list[str],
            target: float = 0.999) -> str:
    """The share of true matches a generous oracle can single out in the population (bench.identifiable),
    and the engine's recall at the precision-target threshold and its pair completeness among those and
    among the rest: a record that keeps nothing that singles its person out (a centre's name, an
    estimated age, no place, no parents) is found only where a block happens to be small enough."""
    threshold = threshold_at_precision(o, target)
    lines = [f"\n== true matches a generous oracle singles out; the engine's recall at precision {target} "
             "and pair completeness there and elsewhere =="]
    lines.append(f"{'':18s}{'true':>7s}{'identifiable':>14s}{'recall there':>14s}{'recall rest':>13s}"
                 f"{'PC there':>10s}{'PC rest':>9s}")
    for scope in ["all", *sources]:
        counts = {True: [0, 0, 0], False: [0, 0, 0]}
        for t, p, s, found in zip(truth, o.predicted, o.score, o.retrieved, strict=True):
            if t.identity_id is None or scope not in ("all", t.source):
                continue
            cell = counts[singled_out[t.record_id]]
            cell[0] += 1
            cell[1] += p == t.identity_id and s >= threshold
            cell[2] += bool(found)
        n = counts[True][0] + counts[False][0]
        share = counts[True][0] / max(n, 1)
        there, rest = (c[1] / c[0] if c[0] else float("nan") for c in (counts[True], counts[False]))
        pc_there, pc_rest = (c[2] / c[0] if c[0] else float("nan") for c in (counts[True], counts[False]))
        lines.append(f"{scope:18s}{n:7d}{share:14.4f}{there:14.4f}{rest:13.4f}{pc_there:10.4f}{pc_rest:9.4f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--population", type=int, default=200_000)
    parser.add_argument("--records", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--default-model", action="store_true", help="use the shipped model, do not re-train")
    parser.add_argument("--details", help="write the engine's per-record outcomes (JSON) to this file")
    parser.add_argument("--data", type=Path, help="a folder of labelled data in `linkage synth`'s layout, "
                        "instead of generating (--population, --records and --seed are then unused)")
    args = parser.parse_args(argv)

    t = time.perf_counter()
    if args.data:
        pop, (population, records, truth) = None, load(args.data)
    else:
        pop, population, records, truth = generate(args.population, args.records, args.seed)
    print(f"read {len(population)} identities, {len(records)} records in {time.perf_counter() - t:.1f}s",
          flush=True)
    sources = sorted({r.source for r in records})
    runs = {"engine": run_engine(population, records, truth, train_on_records=not args.default_model)}
    shown = {k: v for k, v in runs["engine"][1].items() if k not in _NOT_SHOWN}
    print(f"engine done: {json.dumps(shown, default=str)}", flush=True)
    if not args.skip_baseline:
        runs["recordlinkage"] = run_recordlinkage(population, records, truth)
        print(f"recordlinkage done in {runs['recordlinkage'][1]['seconds']:.1f}s", flush=True)
    results: dict[str, dict[str, dict]] = {}
    for name, (outcomes, info) in runs.items():
        per = {"all": {**summarise(outcomes, len(population)), "seconds": info["seconds"]}}
        for source in sources:
            mask = np.array([r.source == source for r in records])
            per[source] = summarise(outcomes.subset(mask), len(population))
        results[name] = per
    print(table(results, sources))
    checked = summarise(runs["engine"][1]["store_checked"], len(population))
    results["engine_store_checked"] = {"all": checked}
    print(f"\nas production decides it, with the store's check (a record whose best candidate an earlier "
          f"record of its source linked goes to review):\n  recall at precision 0.999 "
          f"{checked['recall_at_p999']:.4f}, precision / recall of its links {checked['op_precision']:.4f} / "
          f"{checked['op_recall']:.4f}")
    print(losses(runs["engine"][0], runs["engine"][1]["details"], truth))
    if pop is not None:  # the oracle reads the generator's population
        print(ceiling(runs["engine"][0], truth, identifiable(pop, truth), sources))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    run = f"data-{args.data.resolve().name}" if args.data else f"{args.population}-{args.records}-{args.seed}"
    out = OUT_DIR / f"quality-{run}.json"
    info = {k: {key: value for key, value in v[1].items() if key not in _NOT_SHOWN} for k, v in runs.items()}
    out.write_text(json.dumps({"args": vars(args), "results": results, "info": info}, indent=1, default=str))
    if args.details:
        rows = [{"source": t.source, "record_id": t.record_id, "identity": t.identity_id, "kind": t.kind,
                 "channel": t.channel, "corruptions": t.corruptions, "predicted": p, "score": float(sc), **d}
                for t, p, sc, d in zip(truth, runs["engine"][0].predicted, runs["engine"][0].score,
                                       runs["engine"][1]["details"], strict=True)]
        Path(args.details).write_text(json.dumps(rows, default=str))
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
