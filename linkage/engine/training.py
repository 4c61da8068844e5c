"""Estimate a model: u from random pairs, m and the prior by EM on candidate pairs, with labels held.

Labels (stewards' decisions: (source, record_id) -> identity_id, or None for "no match") are the
posteriors of their records' pairs inside EM (semi-supervised); without labels the model is learnt
unsupervised, as the issue asks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from linkage.domain import PersonRecord
from linkage.engine.features import Encoded
from linkage.engine.matcher import FellegiSunterMatcher
from linkage.engine.scorer import Readings
from linkage.model.comparisons import untrained_model
from linkage.model.em import capped_by_best, estimate_u, monotone, run_exclusive_em
from linkage.model.spec import PROB_FLOOR, Comparison, Model, SourceParameters

log = logging.getLogger(__name__)

Labels = Mapping[tuple[str, str], str | None]
PSEUDO_MATCHES = 100.0         # MAP-EM: the starting m counts as this many matches already seen
PSEUDO_MATCHES_SOURCE = 300.0  # a source's own m starts from the shared m, worth this many matches
MIN_SOURCE_RECORDS = 200       # below this, a source is scored with the shared parameters
MIN_U_COUNT = 20  # a level met fewer times among a source's random pairs keeps the shared u
# a part of the country named for the place of birth ("North Vietnam") holds it this often: border provinces
# are counted in each part they may be said to belong to (`knowledge/areas.csv`)
AREA_HOLDS_BIRTHPLACE = 0.95
# the most true matches whose given name is wholly another, once adoptive, centre and home names are read
# as such: one in two hundred (0.1-0.6 % of each source's on both generators; a trace request's nicknames
# go above it, and are sent to review whatever their weight). EM, left alone, finds 2-6 % (`_near_misses`)
GIVEN_DIFFERS_AT_MOST = 0.005
# comparisons whose levels are not a strict best-to-worst ladder (the monotone guard leaves them alone)
UNORDERED: frozenset[str] = frozenset({"birth_date", "name_order"})


def train(
    population: Iterable[PersonRecord],
    records: Sequence[PersonRecord] = (),
    labels: Labels | None = None,
    start: Model | None = None,
    random_pairs: int = 200_000,
    seed: int = 20250701,
    matcher: FellegiSunterMatcher | None = None,
    rounds: int = 2,
) -> Model:
    """Return a trained, version-stamped model. Pass `matcher` to reuse an index already built.

    Shared m/u and π first, over all records; then, for each source with enough records, its own m, u
    and π, with the shared m as a prior (MAP-EM), so a small source borrows strength from the others.
    A second round reads the names again with the first round's weights (of a name's two readings,
    the one the weights favour counts: `Readings`); the levels are computed once. The term-frequency
    bases come from the population alone (`with_tf_bases`).
    """
    start = start or untrained_model()
    if matcher is None:
        matcher = FellegiSunterMatcher(start)
        matcher.add_identities(population)
    start = with_tf_bases(start, matcher)
    if not records:
        log.warning("no source records to train on: keeping the starting m probabilities")
        matcher.use_model(start)
        return start.stamped()
    encoded = [matcher.encoder.encode(r) for r in records]
    sources = np.array([r.source for r in records])
    rng = np.random.default_rng(seed)
    readings, is_random, u_owner, rows_per_record = _pair_readings(matcher, encoded, random_pairs, rng)
    model = start
    for _ in range(rounds):
        matcher.use_model(model)
        levels = _chosen(matcher, readings)
        model = _fit_round(matcher, start, sources, records, labels, levels[is_random], u_owner,
                           levels[~is_random], rows_per_record)
    matcher.use_model(model)
    return model.stamped()


def with_tf_bases(model: Model, matcher: FellegiSunterMatcher) -> Model:
    """`model` with each term-frequency comparison's bases (`Comparison.tf_base_u`, `tf_base_u_folded`)
    taken from the identities `matcher` indexes, in the shared and every source's parameters."""
    bases = {c.tf: (matcher.scorer.average_frequency(c.tf), matcher.scorer.average_frequency(c.tf, True))
             for c in model.comparisons if c.tf}

    def based(comparisons: tuple[Comparison, ...]) -> tuple[Comparison, ...]:
        return tuple(replace(c, tf_base_u=bases[c.tf][0], tf_base_u_folded=bases[c.tf][1]) if c.tf else c
                     for c in comparisons)

    return replace(model, comparisons=based(model.comparisons),
                   sources={name: SourceParameters(based(p.comparisons), p.prior)
                            for name, p in model.sources.items()})


def _fit_round(matcher: FellegiSunterMatcher, start: Model, sources: np.ndarray,
               records: Sequence[PersonRecord], labels: Labels | None, u_levels: np.ndarray,
               u_owner: np.ndarray, pair_levels: np.ndarray, rows_per_record: list[np.ndarray]) -> Model:
    groups = np.repeat(np.arange(len(records)), [len(rows) for rows in rows_per_record])
    decided = _decided_pairs(matcher, records, rows_per_record, labels) if labels else None
    population = matcher.table.live_count()
    n_levels = [len(c.levels) for c in start.comparisons]
    shared_u = estimate_u(u_levels, n_levels)
    shared, shared_prior, notes = _fit(start.comparisons, pair_levels, groups, len(records), population,
                                       shared_u, len(u_levels), start.prior, decided)
    per_source: dict[str, SourceParameters] = {}
    for source in sorted(set(sources.tolist())):
        chosen = np.flatnonzero(sources == source)
        if len(chosen) < MIN_SOURCE_RECORDS:
            continue
        remap = np.full(len(records), -1)
        remap[chosen] = np.arange(len(chosen))
        own_u = u_levels[np.isin(u_owner, chosen)]
        pairs = remap[groups] >= 0
        comparisons, prior, source_notes = _fit(
            shared, pair_levels[pairs], remap[groups[pairs]], len(chosen), population,
            estimate_u(own_u, n_levels, shared_u, MIN_U_COUNT), len(own_u), shared_prior,
            decided[pairs] if decided is not None else None, pseudo=PSEUDO_MATCHES_SOURCE)
        per_source[source] = SourceParameters(comparisons, prior)
        notes[f"source:{source}"] = source_notes
    notes["labelled"] = len(labels) if labels else 0
    return replace(start, comparisons=shared, prior=shared_prior, sources=per_source, notes=notes)


def _fit(start: tuple[Comparison, ...], pair_levels: np.ndarray, groups: np.ndarray, n_records: int,
         population: int, u_random: list[np.ndarray], random_pairs: int, prior: float,
         decided: np.ndarray | None,
         pseudo: float = PSEUDO_MATCHES) -> tuple[tuple[Comparison, ...], float, dict]:
    """One exclusive MAP-EM fit: u as estimated from random pairs, m and π by EM, with the pairs stewards
    decided (`decided`: 1, 0 or NaN per pair) held at their decisions."""
    n_levels = [len(c.levels) for c in start]
    m0 = [np.array([lv.m for lv in c.levels]) for c in start]
    result = run_exclusive_em(pair_levels, groups, n_records, population, n_levels, m0, u_random,
                              prior_start=prior if 0.01 < prior < 0.99 else 0.7, pseudo_matches=pseudo,
                              known=decided)
    m = result.m
    comparisons = []
    for j, comparison in enumerate(start):
        mj, uj = monotone(*_area_levels(comparison, _near_misses(comparison, m[j]), u_random[j]),
                          ordered=comparison.name not in UNORDERED)
        if comparison.name in UNORDERED:
            mj, uj = capped_by_best(mj, uj)
        comparisons.append(comparison.with_probabilities(mj, uj))
    notes = {"pairs": int(len(pair_levels)), "random_pairs": random_pairs, "records": n_records,
             "em_iterations": result.iterations, "em_converged": result.converged,
             "prior": round(result.prior, 4)}
    return tuple(comparisons), result.prior, notes


def _area_levels(comparison: Comparison, m: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The place's m and u with in_area's and outside_area's m set from their u: a record that names only
    a part of the country is as common among true pairs as among random ones, and its part holds the true
    birthplace `AREA_HOLDS_BIRTHPLACE` of the time. EM would count such records among matches too seldom:
    they have little else to be decided by, so their pairs stay uncertain and their levels under-weighed
    (in_area came out below other_commune). Where no random pair met either level (records that never
    name a part of the country), their u is the starting guess, so that a later record that does is still
    weighed."""
    if comparison.name != "birth_place":
        return m, u
    inside, outside = comparison.level_index("in_area"), comparison.level_index("outside_area")
    area, rest = [inside, outside], [i for i in range(len(m)) if i not in (inside, outside)]
    m, u = m.copy(), u.copy()
    if u[area].sum() <= 2 * PROB_FLOOR:
        u[area] = [comparison.levels[i].u for i in area]
        u[rest] *= (1.0 - u[area].sum()) / u[rest].sum()
    share = u[area].sum()
    m[rest] *= (1.0 - share) / max(m[rest].sum(), PROB_FLOOR)
    m[area] = share * AREA_HOLDS_BIRTHPLACE, share * (1.0 - AREA_HOLDS_BIRTHPLACE)
    return m, u


def _near_misses(comparison: Comparison, m: np.ndarray) -> np.ndarray:
    """The given name's m with its `different` level held to `GIVEN_DIFFERS_AT_MOST`. A record whose own
    person is unregistered finds a near miss among its candidates, a registered brother, sister or twin,
    who agrees on all that a family shares: the parents, the commune, for a twin the day. u comes from
    random pairs, to which that agreement is all but impossible, so EM takes the pair for a match, and
    the sibling's other given name for how often a true match's given name differs. Such a pair is never
    linked (`person_conflicts`), but the m it adds to `different` blunted the one thing that tells a
    twin from the person: with 5 % there, a registered twin kept a true child registry link at 0.987."""
    if comparison.name != "given":
        return m
    at = comparison.level_index("different")
    if m[at] <= GIVEN_DIFFERS_AT_MOST:
        return m
    rest = np.arange(len(m)) != at
    m = m.copy()
    m[rest] *= (1.0 - GIVEN_DIFFERS_AT_MOST) / m[rest].sum()
    m[at] = GIVEN_DIFFERS_AT_MOST
    return m


ReadingsOf = list[tuple[Encoded, Readings]]  # records' readings against rows, with the records


def _pair_readings(matcher: FellegiSunterMatcher, encoded: list[Encoded], random_pairs: int,
                   rng: np.random.Generator) -> tuple[ReadingsOf, np.ndarray, np.ndarray, list[np.ndarray]]:
    """Each record's readings against its candidates (the shortlist matching scores, `Scorer.shortlist`,
    not every row of its blocks) and against random rows, read together in one pass; which of the
    readings' pairs are random ones, which record each random pair belongs to, and every record's
    candidate rows."""
    size = len(matcher.table)
    per_record = max(1, random_pairs // max(len(encoded), 1))
    scorer = matcher.scorer
    readings, is_random, rows_per_record = [], [], []
    for e in encoded:
        rows = scorer.shortlist(e, matcher.candidate_rows(e), scorer.shortlist_size)
        rows_per_record.append(rows)
        random_rows = rng.integers(0, size, per_record).astype(np.int32)
        readings.append((e, scorer.readings(e, np.concatenate([rows.astype(np.int32), random_rows]))))
        is_random.append(np.repeat([False, True], [len(rows), per_record]))
    u_owner = np.repeat(np.arange(len(encoded)), per_record)
    return readings, np.concatenate(is_random) if is_random else np.zeros(0, bool), u_owner, rows_per_record


def _chosen(matcher: FellegiSunterMatcher, readings: ReadingsOf) -> np.ndarray:
    """The level matrices of `readings`, one after the other, as the current model's weights read them."""
    if not readings:
        return np.zeros((0, len(matcher.model.comparisons)), np.int8)
    return np.concatenate([r.chosen(matcher.scorer.view(e.source)[1]) for e, r in readings])


def _decided_pairs(matcher: FellegiSunterMatcher, records: Sequence[PersonRecord],
                   rows_per_record: list[np.ndarray], labels: Labels) -> np.ndarray:
    """Per candidate pair, what stewards decided: 1 the record's match, 0 not it (every candidate of a
    record decided to have no match, or matched to another), NaN undecided. A record matched to an
    identity its candidates lack stays undecided: its person is in the population, which 0 everywhere
    would deny."""
    out = []
    for record, rows in zip(records, rows_per_record, strict=True):
        pairs = np.full(len(rows), np.nan)
        key = (record.source, record.record_id)
        if key in labels:
            identity = labels[key]
            row = matcher.table.row_of.get(identity) if identity else None
            if identity is None or (row is not None and bool(np.any(rows == row))):
                pairs[:] = 0.0
                if row is not None:
                    pairs[rows == row] = 1.0
        out.append(pairs)
    return np.concatenate(out) if out else np.zeros(0)


# the store edge ------------------------------------------------------------------------------------------
def train_from_store(uow, start: Model | None = None, save: bool = True) -> Model:
    """Re-estimate from the identities and source records in the store, and stewards' decisions.

    Optional store capabilities are used when present (the store is built concurrently):
    `uow.records.iter_all()` for source records, `uow.reviews.decided_labels()` for stewards'
    decisions as {(source, record_id): identity_id | None}, `uow.models.save(version, json)` to keep
    the new model. Without source records the starting model is kept (and re-stamped).
    """
    with uow:
        population = list(uow.identities.iter_all())
        iter_records = getattr(uow.records, "iter_all", None)
        records = list(iter_records()) if iter_records else []
        reviews = getattr(uow, "reviews", None)
        decided = getattr(reviews, "decided_labels", None)
        labels = dict(decided()) if decided else None
    model = train(population, records, labels, start=start or _stored_or_default(uow))
    if save:
        with uow:  # repositories belong to one session: look `models` up inside the new one
            models = getattr(uow, "models", None)
            if models is not None:
                models.save(model.version, model.to_json())
                uow.commit()
    return model


def load_model_from_store(uow) -> Model | None:
    """The latest model the store keeps, if it keeps any (`uow.models.latest()` -> json text or None)."""
    with uow:  # repositories exist only inside the unit of work
        models = getattr(uow, "models", None)
        latest = models.latest() if models is not None else None
    if latest is None:
        return None
    text = latest if isinstance(latest, str) else getattr(latest, "params_json", None) or latest[1]
    try:
        model = Model.from_json(text)
    except ValueError as error:  # stored by an engine that kept other parameters: its version no longer fits
        log.warning("the stored model cannot be read by this engine (%s): not used", error)
        return None
    if not same_structure(model):
        log.warning("the stored model %s has other comparison levels than this engine scores: not used",
                    model.version)
        return None
    return model


def same_structure(model: Model) -> bool:
    """Whether the model's comparisons and their levels are the ones the scorer emits codes for: a model
    stored before a level was added (a commune level for places) would weigh the wrong levels."""
    def labels(comparisons) -> list[tuple[str, tuple[str, ...]]]:
        return [(c.name, tuple(lv.label for lv in c.levels)) for c in comparisons]

    expected = labels(untrained_model().comparisons)
    return labels(model.comparisons) == expected and all(
        labels(params.comparisons) == expected for params in model.sources.values())


def _stored_or_default(uow) -> Model:
    from linkage.model import load_default_model

    return load_model_from_store(uow) or load_default_model()


# the shipped default model ---------------------------------------------------------------------------------
def train_on_synthetic(population: int = 200_000, records: int = 5_000, seed: int = 7) -> Model:
    """The model shipped in the package: unsupervised EM on the project's synthetic benchmark.

    A different seed from the benchmark's (1), so the shipped model is never tested on its own data.
    No labels are used: the synthetic truth stays out of training.
    """
    from linkage.synth.population import generate_population
    from linkage.synth.records import build_records

    people = generate_population(population, seed)
    source_records, _truth = build_records(people, records, seed + 1)
    return train(people.records(), source_records)


def main(argv: Sequence[str] | None = None) -> int:
    """python -m linkage.engine.training --out linkage/model/default_model.json"""
    import argparse

    from linkage.model import default_model_path

    parser = argparse.ArgumentParser(description="train the default model on synthetic data")
    parser.add_argument("--population", type=int, default=200_000)
    parser.add_argument("--records", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(default_model_path()))
    args = parser.parse_args(argv)
    model = train_on_synthetic(args.population, args.records, args.seed)
    model = replace(model, notes={**model.notes, "trained_on": f"synthetic population={args.population} "
                                  f"records={args.records} seed={args.seed}"})
    Model.save(model, args.out)
    print(f"wrote {args.out}: {model.version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
