"""Estimate a model: u from random pairs, m and the prior by EM on candidate pairs, refined by labels.

Labels (stewards' decisions: (source, record_id) -> identity_id, or None for "no match") refine m where
there are enough of them; without labels the model is learnt unsupervised, as the issue asks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from linkage.domain import PersonRecord
from linkage.engine.matcher import FellegiSunterMatcher
from linkage.model.comparisons import untrained_model
from linkage.model.em import estimate_u, monotone, run_em
from linkage.model.spec import NULL_LEVEL, Model

log = logging.getLogger(__name__)

Labels = Mapping[tuple[str, str], str | None]
MIN_LABELLED_MATCHES = 50  # below this many confirmed matches, stewards' decisions do not move m
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
) -> Model:
    """Return a trained, version-stamped model. Pass `matcher` to reuse an index already built."""
    start = start or untrained_model()
    if matcher is None:
        matcher = FellegiSunterMatcher(start)
        matcher.add_identities(population)
    else:
        matcher.use_model(start)
    if not records:
        log.warning("no source records to train on: keeping the starting m probabilities")
        return start.stamped()
    rng = np.random.default_rng(seed)
    encoded = [matcher.encoder.encode(r) for r in records]
    u_levels = _random_pair_levels(matcher, encoded, random_pairs, rng)
    pair_levels, rows_per_record = _candidate_pair_levels(matcher, encoded)
    n_levels = [len(c.levels) for c in start.comparisons]
    u_random = estimate_u(u_levels, n_levels)
    m0 = [np.array([lv.m for lv in c.levels]) for c in start.comparisons]
    prior_start = min(0.5, len(records) / max(len(pair_levels), 1))
    # u is re-estimated on the candidate pairs (starting from random pairs): blocked non-matches agree far
    # more often than random ones, and holding u at random-pair values lets the match class swallow them
    result = run_em(pair_levels, n_levels, m0, u_random, prior_start=prior_start, fix_u=False)
    m, u = result.m, result.u
    if labels:
        confirmed = _labelled_match_mask(matcher, records, rows_per_record, labels)
        m = _refine_with_labels(m, pair_levels[confirmed], n_levels)
    comparisons = []
    for j, comparison in enumerate(start.comparisons):
        mj, uj = monotone(m[j], u[j], ordered=comparison.name not in UNORDERED)
        trained = comparison.with_probabilities(mj, uj)
        if comparison.tf:
            trained = replace(trained, tf_base_u=float(max(u_random[j][0], 1e-6)))
        comparisons.append(trained)
    notes = {"pairs": int(len(pair_levels)), "random_pairs": int(len(u_levels)), "records": len(records),
             "em_iterations": result.iterations, "em_converged": result.converged,
             "labelled": len(labels) if labels else 0}
    model = replace(start.with_comparisons(tuple(comparisons), prior=result.prior), notes=notes)
    return model.stamped()


def _random_pair_levels(matcher: FellegiSunterMatcher, encoded: list, n: int,
                        rng: np.random.Generator) -> np.ndarray:
    size = len(matcher.table)
    per_record = max(1, n // max(len(encoded), 1))
    blocks = [matcher.scorer.levels(e, rng.integers(0, size, per_record).astype(np.int32)) for e in encoded]
    return np.concatenate(blocks) if blocks else np.zeros((0, len(matcher.model.comparisons)), np.int8)


def _candidate_pair_levels(matcher: FellegiSunterMatcher,
                           encoded: list) -> tuple[np.ndarray, list[np.ndarray]]:
    blocks, rows_per_record = [], []
    for e in encoded:
        rows = matcher.candidate_rows(e)
        rows_per_record.append(rows)
        if len(rows):
            blocks.append(matcher.scorer.levels(e, rows))
    levels = np.concatenate(blocks) if blocks else np.zeros((0, len(matcher.model.comparisons)), np.int8)
    return levels, rows_per_record


def _labelled_match_mask(matcher: FellegiSunterMatcher, records: Sequence[PersonRecord],
                         rows_per_record: list[np.ndarray], labels: Labels) -> np.ndarray:
    """Which candidate pairs stewards confirmed as matches."""
    masks = []
    for record, rows in zip(records, rows_per_record, strict=True):
        mask = np.zeros(len(rows), dtype=bool)
        identity = labels.get((record.source, record.record_id))
        row = matcher.table.row_of.get(identity) if identity else None
        if row is not None:
            mask[rows == row] = True
        masks.append(mask)
    return np.concatenate(masks) if masks else np.zeros(0, dtype=bool)


def _refine_with_labels(m: list[np.ndarray], levels: np.ndarray, n_levels: list[int]) -> list[np.ndarray]:
    """Blend EM's m with m counted on confirmed matches, in proportion to how many there are."""
    if len(levels) < MIN_LABELLED_MATCHES:
        return m
    share = len(levels) / (len(levels) + 500.0)  # 500 confirmed matches weigh as much as EM
    counted = labelled_m(levels, n_levels)
    return [(1 - share) * a + share * b for a, b in zip(m, counted, strict=True)]


def labelled_m(levels: np.ndarray, n_levels: list[int]) -> list[np.ndarray]:
    """m counted directly on pairs known to be matches (non-null levels only)."""
    out = []
    for j, n in enumerate(n_levels):
        codes = levels[:, j]
        codes = codes[codes != NULL_LEVEL].astype(np.int64)
        counts = np.bincount(codes, minlength=n)[:n].astype(np.float64) + 0.5
        out.append(counts / counts.sum())
    return out


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
    models = getattr(uow, "models", None)
    if save and models is not None:
        with uow:
            models.save(model.version, model.to_json())
            uow.commit()
    return model


def load_model_from_store(uow) -> Model | None:
    """The latest model the store keeps, if it keeps any (`uow.models.latest()` -> json text or None)."""
    models = getattr(uow, "models", None)
    if models is None:
        return None
    with uow:
        latest = models.latest()
    if latest is None:
        return None
    text = latest if isinstance(latest, str) else getattr(latest, "params_json", None) or latest[1]
    return Model.from_json(text)


def _stored_or_default(uow) -> Model:
    from linkage.model import load_default_model

    return load_model_from_store(uow) or load_default_model()
