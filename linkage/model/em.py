"""Expectation-maximisation of m (and optionally u) and the prior from unlabelled comparison levels.

Works on the level matrix of candidate pairs (rows = pairs, columns = comparisons, codes = level index,
-1 = null). Identical rows are collapsed to patterns with counts first, so a million pairs cost what a
few thousand distinct patterns cost. u is best taken from random pairs (which are almost all
non-matches) and held fixed, as Splink does; EM then only has to find m and λ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linkage.model.spec import NULL_LEVEL, PROB_CEIL, PROB_FLOOR


@dataclass(frozen=True, slots=True)
class EMResult:
    m: list[np.ndarray]
    u: list[np.ndarray]
    prior: float
    iterations: int
    converged: bool


def estimate_u(levels: np.ndarray, n_levels: list[int], shared: list[np.ndarray] | None = None,
               min_count: int = 0) -> list[np.ndarray]:
    """u per comparison from random pairs: the share of each level among non-null comparisons.

    With `shared`, a level met fewer than `min_count` times keeps the shared u and the others share
    the rest in their own proportions: a small sample meets a rare level (two random people born the
    same day: 1 in 30,000) by chance or not at all, and a count of zero would make that level
    near-certain proof, while a common level (names folding alike in records without diacritics) is
    the source's own."""
    if shared is None:
        return [_shares(levels[:, j], n, None) for j, n in enumerate(n_levels)]
    out = []
    for j, n in enumerate(n_levels):
        codes = levels[:, j]
        counts = np.bincount(codes[codes != NULL_LEVEL].astype(np.int64), minlength=n)[:n].astype(np.float64)
        if counts.sum() <= 0:
            out.append(_shares(codes, n, None))
            continue
        rare = counts < min_count
        kept = np.asarray(shared[j], dtype=np.float64)
        u = np.where(rare, kept, 0.0)
        if (~rare).any():
            u[~rare] = counts[~rare] / counts[~rare].sum() * max(1.0 - kept[rare].sum(), 0.0)
        out.append(np.clip(u / u.sum(), PROB_FLOOR, PROB_CEIL))
    return out


def run_em(
    levels: np.ndarray,
    n_levels: list[int],
    m_start: list[np.ndarray],
    u_start: list[np.ndarray],
    prior_start: float,
    fix_u: bool = True,
    fixed_m: frozenset[int] = frozenset(),
    max_iterations: int = 200,
    tolerance: float = 1e-6,
) -> EMResult:
    """Fellegi-Sunter EM under conditional independence. `fixed_m`: column indices whose m is kept."""
    patterns, counts = np.unique(np.asarray(levels, dtype=np.int8), axis=0, return_counts=True)
    counts = counts.astype(np.float64)
    m = [np.clip(np.asarray(x, dtype=np.float64), PROB_FLOOR, PROB_CEIL) for x in m_start]
    u = [np.clip(np.asarray(x, dtype=np.float64), PROB_FLOOR, PROB_CEIL) for x in u_start]
    prior = float(np.clip(prior_start, PROB_FLOOR, PROB_CEIL))
    converged, iteration = False, 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 - reported in the result
        posterior = _posterior(patterns, m, u, prior)
        new_prior = float(np.clip(np.sum(posterior * counts) / counts.sum(), PROB_FLOOR, PROB_CEIL))
        new_m = [m[j] if j in fixed_m else _shares(patterns[:, j], len(m[j]), posterior * counts)
                 for j in range(len(n_levels))]
        new_u = u if fix_u else [_shares(patterns[:, j], len(u[j]), (1 - posterior) * counts)
                                 for j in range(len(n_levels))]
        change = max(abs(new_prior - prior),
                     *(float(np.max(np.abs(a - b))) for a, b in zip(new_m, m, strict=True)))
        m, u, prior = new_m, new_u, new_prior
        if change < tolerance:
            converged = True
            break
    return EMResult(m=m, u=u, prior=prior, iterations=iteration, converged=converged)


def run_exclusive_em(
    levels: np.ndarray,
    groups: np.ndarray,
    n_groups: int,
    population: int,
    n_levels: list[int],
    m_start: list[np.ndarray],
    u: list[np.ndarray],
    prior_start: float = 0.5,
    max_iterations: int = 100,
    tolerance: float = 1e-5,
    pseudo_matches: float = 0.0,
    known: np.ndarray | None = None,
) -> EMResult:
    """EM for record-to-population linkage, where each record is at most one identity.

    `groups[i]` is the record of candidate pair i; `u` comes from random pairs and stays fixed. The
    prior is π, the share of records whose person is in the population: a pair's prior odds are
    π / ((1 - π) N). The E-step normalises each record's candidates against each other and against
    "not in the population", which is what keeps blocked non-matches (siblings, namesakes sharing the
    block) from being taken for matches, the failure that makes plain pairwise EM collapse.

    `pseudo_matches` > 0 makes it MAP-EM: m_start counts as that many matches already seen. Rare levels
    (a regional surname variant, a day/month swap) are then not driven to zero by a self-fulfilling
    estimate: matches on them score low, so EM never counts them, so they keep scoring low.

    `known` (per pair: 1 a match, 0 not one, NaN unknown) holds what stewards decided: those pairs'
    posteriors are their decisions in every E-step, the others EM's (semi-supervised EM). The decided
    records stay among all the others, so the review queue they come from, the records least like the
    rest, informs m and π without standing for every match.
    """
    patterns, pattern_of = _patterns(np.asarray(levels, dtype=np.int8))
    m = [np.clip(np.asarray(x, dtype=np.float64), PROB_FLOOR, PROB_CEIL) for x in m_start]
    u = [np.clip(np.asarray(x, dtype=np.float64), PROB_FLOOR, PROB_CEIL) for x in u]
    prior = float(np.clip(prior_start, 0.01, 0.99))
    converged, iteration = False, 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 - reported in the result
        posterior = exclusive_posterior(patterns, pattern_of, groups, n_groups, population, m, u, prior)
        if known is not None:
            posterior = np.where(np.isnan(known), posterior, known)
        new_prior = float(np.clip(posterior.sum() / max(n_groups, 1), 0.01, 0.99))
        per_pattern = np.bincount(pattern_of, weights=posterior, minlength=len(patterns))
        new_m = [_smoothed(patterns[:, j], len(m[j]), per_pattern, m_start[j], pseudo_matches)
                 for j in range(len(n_levels))]
        change = max(abs(new_prior - prior),
                     *(float(np.max(np.abs(a - b))) for a, b in zip(new_m, m, strict=True)))
        m, prior = new_m, new_prior
        if change < tolerance:
            converged = True
            break
    return EMResult(m=m, u=u, prior=prior, iterations=iteration, converged=converged)


def _patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a level matrix and, per row, which of them it is: EM weighs the few thousand
    patterns, not the millions of pairs. Rows are packed into one integer (4 bits a level) to be told
    apart, which bounds a comparison to 15 levels and a matrix to 15 comparisons."""
    if levels.shape[1] > 15 or (len(levels) and int(levels.max()) > 14):
        raise ValueError("level matrix too wide to pack: at most 15 comparisons of 15 levels")
    key = np.zeros(len(levels), dtype=np.int64)
    for j in range(levels.shape[1]):
        key = (key << 4) | (levels[:, j].astype(np.int64) + 1)
    _, first, pattern_of = np.unique(key, return_index=True, return_inverse=True)
    return levels[first], pattern_of.reshape(-1)


def exclusive_posterior(patterns: np.ndarray, pattern_of: np.ndarray, groups: np.ndarray, n_groups: int,
                        population: int, m: list[np.ndarray], u: list[np.ndarray],
                        prior: float) -> np.ndarray:
    """P(pair i is the record's match), with the record's candidates competing for it. Pair i shows
    the levels `patterns[pattern_of[i]]`."""
    log2_odds = np.full(len(patterns), np.log2(prior / ((1 - prior) * max(population, 1))))
    for j in range(patterns.shape[1]):
        table = np.append(np.log2(m[j]) - np.log2(u[j]), 0.0)
        log2_odds += table[patterns[:, j].astype(np.int64)]
    odds = np.exp2(np.clip(log2_odds, -1000, 1000))[pattern_of]
    total = np.bincount(groups, weights=odds, minlength=n_groups)
    return odds / (1.0 + total[groups])


def match_posterior(levels: np.ndarray, m: list[np.ndarray], u: list[np.ndarray], prior: float) -> np.ndarray:
    return _posterior(np.asarray(levels, dtype=np.int8), m, u, prior)


def monotone(m: np.ndarray, u: np.ndarray, ordered: bool) -> tuple[np.ndarray, np.ndarray]:
    """Guard: a worse level (later in the list) never weighs more than a better one.

    EM on sparse levels can invert two neighbours (a handful of pairs on "jw_low"); where the levels are
    ordered we lower m of the offending level until its Bayes factor equals its better neighbour's.
    """
    if not ordered:
        return m, u
    m = m.copy()
    for i in range(1, len(m)):
        if m[i] / u[i] > m[i - 1] / u[i - 1]:
            m[i] = max(u[i] * m[i - 1] / u[i - 1], PROB_FLOOR)
    return m, u


def capped_by_best(m: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Guard for comparisons whose levels are not a ladder (dates): no level weighs more than the first.

    A day/month swap or a date a few days off is a damaged form of exact agreement; EM on a source that
    swaps often can still give the swap a larger Bayes factor than exact agreement (its u is smaller),
    which would rank a twin-like date slip above the real date.
    """
    m = m.copy()
    best = m[0] / u[0]
    for i in range(1, len(m)):
        if m[i] / u[i] > best:
            m[i] = max(u[i] * best, PROB_FLOOR)
    return m, u


def _posterior(patterns: np.ndarray, m: list[np.ndarray], u: list[np.ndarray], prior: float) -> np.ndarray:
    log_ratio = np.full(len(patterns), np.log(prior) - np.log1p(-prior))
    for j in range(patterns.shape[1]):
        codes = patterns[:, j].astype(np.int64)
        table = np.append(np.log(m[j]) - np.log(u[j]), 0.0)  # code -1 picks the trailing 0.0
        log_ratio += table[codes]
    return 1.0 / (1.0 + np.exp(-np.clip(log_ratio, -700, 700)))


def _smoothed(codes: np.ndarray, n: int, weights: np.ndarray, start: np.ndarray, pseudo: float) -> np.ndarray:
    present = codes != NULL_LEVEL
    totals = np.bincount(codes[present].astype(np.int64), weights=weights[present], minlength=n)[:n]
    totals = totals + pseudo * np.asarray(start, dtype=np.float64) / max(float(np.sum(start)), 1e-12)
    return np.clip(totals / max(totals.sum(), 1e-12), PROB_FLOOR, PROB_CEIL)


def _shares(codes: np.ndarray, n: int, weights: np.ndarray | None) -> np.ndarray:
    present = codes != NULL_LEVEL
    w = None if weights is None else weights[present]
    totals = np.bincount(codes[present].astype(np.int64), weights=w, minlength=n)[:n].astype(np.float64)
    total = totals.sum()
    if total <= 0:
        return np.full(n, 1.0 / n)
    return np.clip(totals / total, PROB_FLOOR, PROB_CEIL)
