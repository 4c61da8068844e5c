"""The model as data: EM recovers known parameters, JSON round-trips, explanations add up, decisions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from linkage.domain import Candidate, Decision
from linkage.engine.decide import decide
from linkage.model.comparisons import untrained_model
from linkage.model.em import capped_by_best, estimate_u, monotone, run_em, run_exclusive_em
from linkage.model.explain import contributions, total
from linkage.model.spec import Model, SourceParameters, Thresholds, probability_from_weight

TRUE_M = [np.array(x) for x in ([0.85, 0.10, 0.05], [0.9, 0.1], [0.7, 0.2, 0.1], [0.95, 0.05])]
TRUE_U = [np.array(x) for x in ([0.01, 0.04, 0.95], [0.5, 0.5], [0.05, 0.15, 0.8], [0.02, 0.98])]
TRUE_PRIOR = 0.2


def _simulate(n: int, rng: np.random.Generator, missing: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    is_match = rng.random(n) < TRUE_PRIOR
    columns = []
    for m, u in zip(TRUE_M, TRUE_U, strict=True):
        from_m = rng.choice(len(m), size=n, p=m)
        from_u = rng.choice(len(u), size=n, p=u)
        codes = np.where(is_match, from_m, from_u).astype(np.int8)
        codes[rng.random(n) < missing] = -1
        columns.append(codes)
    return np.stack(columns, axis=1), is_match


def test_em_recovers_known_m_and_prior_from_unlabelled_vectors():
    levels, _ = _simulate(60_000, np.random.default_rng(7))
    n_levels = [len(m) for m in TRUE_M]
    start_m = [np.linspace(0.6, 0.1, k) / np.linspace(0.6, 0.1, k).sum() for k in n_levels]
    result = run_em(levels, n_levels, start_m, TRUE_U, prior_start=0.5)  # u fixed, as from random pairs
    assert result.converged
    assert result.prior == pytest.approx(TRUE_PRIOR, abs=0.01)
    for estimated, true in zip(result.m, TRUE_M, strict=True):
        np.testing.assert_allclose(estimated, true, atol=0.02)


def _exclusive_em_pair_by_pair(levels, groups, n_groups, population, m_start, u, prior, pseudo, iterations):
    """The exclusive EM written out pair by pair, as its docstring states it: the reference."""
    m = m_start
    for _ in range(iterations):
        log2_odds = np.full(len(levels), math.log2(prior / ((1 - prior) * population)))
        for j in range(levels.shape[1]):
            for i, code in enumerate(levels[:, j]):
                if code >= 0:
                    log2_odds[i] += math.log2(m[j][code] / u[j][code])
        odds = 2.0 ** log2_odds
        total_of = {g: odds[groups == g].sum() for g in range(n_groups)}
        posterior = np.array([o / (1 + total_of[g]) for o, g in zip(odds, groups, strict=True)])
        prior = float(np.clip(posterior.sum() / n_groups, 0.01, 0.99))
        new_m = []
        for j, start in enumerate(m_start):
            counts = np.array([posterior[levels[:, j] == k].sum() for k in range(len(start))])
            counts = counts + pseudo * start / start.sum()
            new_m.append(np.clip(counts / counts.sum(), 1e-6, 1 - 1e-6))
        m = new_m
    return m, prior


def test_exclusive_em_on_patterns_equals_the_pair_by_pair_reference():
    """Collapsing pairs into level patterns changes the arithmetic, not the estimate."""
    rng = np.random.default_rng(3)
    n_pairs, n_groups = 600, 80
    levels = np.stack([rng.integers(-1, 3, n_pairs), rng.integers(-1, 2, n_pairs)], axis=1).astype(np.int8)
    groups = np.sort(rng.integers(0, n_groups, n_pairs))
    m0 = [np.array([0.7, 0.2, 0.1]), np.array([0.9, 0.1])]
    u = [np.array([0.05, 0.15, 0.8]), np.array([0.3, 0.7])]
    expected_m, expected_prior = _exclusive_em_pair_by_pair(levels, groups, n_groups, 1000, m0, u, 0.5,
                                                            pseudo=10.0, iterations=5)
    result = run_exclusive_em(levels, groups, n_groups, 1000, [3, 2], m0, u, prior_start=0.5,
                              max_iterations=5, tolerance=0.0, pseudo_matches=10.0)
    assert result.prior == pytest.approx(expected_prior, rel=1e-12)
    for got, want in zip(result.m, expected_m, strict=True):
        assert got == pytest.approx(want, rel=1e-10)


def test_exclusive_em_holds_decided_pairs_at_their_decisions():
    """Stewards' decisions are posteriors EM does not re-estimate: with every record decided, m is the
    decided matches' level shares and π the share of records decided to match, whatever the start."""
    levels = np.array([[0, 0], [2, 1], [1, 0], [2, 1], [0, 1], [2, 1]], dtype=np.int8)
    groups = np.array([0, 0, 1, 1, 2, 3])  # record 0 two candidates, 1 two, 2 and 3 one each
    known = np.array([1.0, 0.0, 0.0, 0.0, 1.0, 0.0])  # 0 and 2 match their first; 1 and 3 no match
    m0 = [np.array([0.1, 0.2, 0.7]), np.array([0.2, 0.8])]  # a start that has it backwards
    u = [np.array([0.05, 0.15, 0.8]), np.array([0.3, 0.7])]
    result = run_exclusive_em(levels, groups, 4, 1000, [3, 2], m0, u, prior_start=0.9, known=known)
    assert result.prior == pytest.approx(0.5)
    np.testing.assert_allclose(result.m[0], [1.0, 0.0, 0.0], atol=1e-5)
    np.testing.assert_allclose(result.m[1], [0.5, 0.5])


def test_exclusive_em_leaves_undecided_records_to_the_estimate():
    """A decided record moves the estimate by what it is, one record among all: the others are EM's."""
    levels, _ = _simulate(20_000, np.random.default_rng(5))
    groups = np.arange(len(levels))
    n_levels = [len(m) for m in TRUE_M]
    start_m = [np.linspace(0.6, 0.1, k) / np.linspace(0.6, 0.1, k).sum() for k in n_levels]
    free = run_exclusive_em(levels, groups, len(levels), 1, n_levels, start_m, TRUE_U, prior_start=0.5)
    known = np.full(len(levels), np.nan)
    known[:20] = 0.0  # twenty records decided to have no match
    held = run_exclusive_em(levels, groups, len(levels), 1, n_levels, start_m, TRUE_U, prior_start=0.5,
                            known=known)
    assert abs(held.prior - free.prior) < 0.002
    for a, b in zip(held.m, free.m, strict=True):
        np.testing.assert_allclose(a, b, atol=0.005)


def test_u_from_random_pairs_is_the_level_share_ignoring_nulls():
    levels = np.array([[0, -1], [1, 1], [1, 1], [2, -1]], dtype=np.int8)
    u = estimate_u(levels, [3, 2])
    np.testing.assert_allclose(u[0], [0.25, 0.5, 0.25])
    np.testing.assert_allclose(u[1], [1e-6, 1 - 1e-6])


def test_u_of_a_level_a_small_sample_rarely_meets_is_the_shared_u():
    """20,000 random pairs of one source, none born the same day: the shared u (1 in 25,000) stands,
    where the sample alone would floor it at 1e-6 and make an exact date 40 times stronger proof; the
    levels the sample meets often keep the source's own proportions."""
    levels = np.array([[1]] * 15_000 + [[2]] * 5_000, dtype=np.int8)
    shared = [np.array([4e-5, 0.5, 0.5 - 4e-5])]
    u = estimate_u(levels, [3], shared, min_count=20)[0]
    assert u[0] == pytest.approx(4e-5)
    assert u[1] / u[2] == pytest.approx(3.0) and u.sum() == pytest.approx(1.0)
    assert estimate_u(levels, [3])[0][0] == 1e-6


def test_em_learns_u_too_when_not_fixed():
    levels, _ = _simulate(80_000, np.random.default_rng(11))
    n_levels = [len(m) for m in TRUE_M]
    start_m = [np.linspace(0.7, 0.1, k) / np.linspace(0.7, 0.1, k).sum() for k in n_levels]
    start_u = [np.linspace(0.1, 0.7, k) / np.linspace(0.1, 0.7, k).sum() for k in n_levels]
    result = run_em(levels, n_levels, start_m, start_u, prior_start=0.3, fix_u=False, max_iterations=500)
    assert result.prior == pytest.approx(TRUE_PRIOR, abs=0.02)
    np.testing.assert_allclose(result.m[0], TRUE_M[0], atol=0.03)
    np.testing.assert_allclose(result.u[0], TRUE_U[0], atol=0.03)


def test_monotone_guard_lowers_an_inverted_level():
    m, u = monotone(np.array([0.5, 0.3, 0.2]), np.array([0.1, 0.01, 0.89]), ordered=True)
    ratios = m / u
    assert ratios[1] <= ratios[0] + 1e-12
    assert m[0] == 0.5


def test_unordered_levels_never_outweigh_the_first_level():
    """A day/month swap (rare among random pairs, so tiny u) may not weigh more than an exact date."""
    m, u = capped_by_best(np.array([0.6, 0.1, 0.3]), np.array([0.001, 0.0001, 0.9989]))
    ratios = m / u
    assert ratios[1] == pytest.approx(ratios[0]) and ratios[2] < ratios[0]
    assert m[0] == 0.6 and m[2] == 0.3


def test_model_json_round_trip_keeps_content_and_version():
    model = untrained_model().stamped()
    again = Model.from_json(model.to_json())
    assert again == model
    assert again.version == model.version
    assert model.version.startswith("fs-")


def test_tampered_model_json_is_refused():
    text = untrained_model().stamped().to_json().replace('"prior": 0.7', '"prior": 0.5')
    with pytest.raises(ValueError, match="does not match its version"):
        Model.from_json(text)


def test_version_changes_with_content():
    model = untrained_model().stamped()
    other = model.with_comparisons(model.comparisons, prior=0.01)
    assert other.version != model.version


def test_explanation_sums_to_the_weight_the_scorer_would_add():
    model = untrained_model()
    tables = model.weight_tables()
    codes = [0, -1, 3, 0, 0, 1, 2, 0, 3, -1]
    tf = [1.5, 0.0, -0.7, 0, 0, 0, 0, 0, 0, 0]
    items = contributions(model, 200_000, codes, tf, [""] * 10, [""] * 10, competition=-0.25, competitors=3)
    scored = model.prior_weight(200_000) + sum(tables[j][c] for j, c in enumerate(codes)) + sum(tf) - 0.25
    assert total(items) == pytest.approx(scored)
    assert items[2].level == "missing" and items[2].weight == 0.0
    assert items[-1].field == "competition"
    assert probability_from_weight(0.0) == pytest.approx(0.5)


def test_prior_weight_scales_with_the_population():
    model = untrained_model()
    assert model.prior_weight(2_000) - model.prior_weight(2_000_000) == pytest.approx(math.log2(1000))


def test_per_source_parameters_round_trip_and_apply_only_to_their_source():
    base = untrained_model()
    other = tuple(c.with_probabilities(np.full(len(c.levels), 1 / len(c.levels)),
                                       np.full(len(c.levels), 1 / len(c.levels))) for c in base.comparisons)
    model = Model(base.comparisons, 0.7, sources={"adoption_file": SourceParameters(other, 0.4)}).stamped()
    again = Model.from_json(model.to_json())
    assert again == model
    assert again.for_source("adoption_file").prior == 0.4
    assert again.for_source("adoption_file").comparisons == other
    assert again.for_source("child_registry").comparisons == base.comparisons


def _candidate(identity: str, weight: float) -> Candidate:
    return Candidate(identity, "", float(probability_from_weight(weight)), weight)


def test_clear_winner_links_weak_best_does_not_and_conflicts_send_to_review():
    assert decide([_candidate("a", 20.0), _candidate("b", 3.0)], Thresholds()) == (Decision.LINK, ())
    assert decide([_candidate("a", -5.0)], Thresholds()) == (Decision.NO_LINK, ())
    assert decide([], Thresholds()) == (Decision.NO_LINK, ())
    assert decide([_candidate("a", 20.0)], Thresholds(), ["pid_disagrees", "pid_disagrees"]) == (
        Decision.REVIEW, ("pid_disagrees",))
    assert decide([_candidate("a", 1.0)], Thresholds()) == (Decision.REVIEW, ())


def test_thresholds_are_validated():
    with pytest.raises(ValueError):
        Thresholds(link=0.4, review=0.6)
    model = untrained_model()
    assert math.isclose(model.thresholds_for("child_registry").link, 0.995)
    # records written abroad need more certainty: their folded names have more namesakes
    assert model.thresholds_for("adoption_file").link > model.thresholds_for("child_registry").link
