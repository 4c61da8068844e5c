"""Stewards' decisions as feedback: labels for training, and how far stewards and the model agree.

`labels` turns settled cases into (source, record_id, identity_id, is_match) tuples: a match on one
candidate is also a non-match on the others. `agreement_report` measures the stewards against each
other on the double-reviewed sample (raw agreement and Cohen's kappa) and the model against the
stewards (precision of "the best candidate is the person" at and above each probability threshold).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from linkage.ports import ReviewUnitOfWork
from linkage.review.model import CaseState, Outcome, ReviewCase, ReviewDecision

Label = tuple[str, str, str, bool]
ANSWERS = (Outcome.MATCH, Outcome.NON_MATCH)
BANDS = (0.5, 0.8, 0.9, 0.95, 0.99)


def _answers_by_case(uow: ReviewUnitOfWork) -> dict[str, tuple[ReviewCase, list[ReviewDecision]]]:
    found: dict[str, tuple[ReviewCase, list[ReviewDecision]]] = {}
    for case, decision in uow.reviews.iter_decisions():
        if decision.outcome in ANSWERS:
            found.setdefault(case.case_id, (case, []))[1].append(decision)
    return found


def labels(uow: ReviewUnitOfWork) -> list[Label]:
    """Labelled pairs from settled cases: the last answer on each case decides."""
    out: list[Label] = []
    with uow:
        for case, answers in _answers_by_case(uow).values():
            if case.state is not CaseState.DECIDED:
                continue
            final = answers[-1]
            for candidate in case.candidates:
                matched = final.outcome is Outcome.MATCH and candidate.identity_id == final.identity_id
                out.append((case.source, case.record_id, candidate.identity_id, matched))
    return out


def training_labels(uow: ReviewUnitOfWork) -> dict[tuple[str, str], str | None]:
    """The shape `linkage.engine.training.train(labels=...)` takes: record -> identity, or None."""
    result: dict[tuple[str, str], str | None] = {}
    for source, record_id, identity_id, is_match in labels(uow):
        if is_match:
            result[(source, record_id)] = identity_id
        else:
            result.setdefault((source, record_id), None)
    return result


def _answer(decision: ReviewDecision) -> str:
    return f"match:{decision.identity_id}" if decision.outcome is Outcome.MATCH else "non_match"


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two raters; None without pairs, 1.0 when both always gave one same answer."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected >= 1.0:
        return 1.0 if observed == 1.0 else 0.0
    return (observed - expected) / (1.0 - expected)


def agreement_report(uow: ReviewUnitOfWork, link_threshold: float = 0.995) -> dict[str, Any]:
    """Stewards' agreement on double-reviewed cases, and the model's precision against their answers."""
    with uow:
        by_case = _answers_by_case(uow)
    pairs: list[tuple[str, str]] = []
    for _case, answers in by_case.values():
        stewards: dict[str, ReviewDecision] = {}
        for decision in answers:
            stewards.setdefault(decision.steward, decision)
        if len(stewards) >= 2:
            first, second = list(stewards.values())[:2]
            pairs.append((_answer(first), _answer(second)))
    settled = [(case, answers[-1]) for case, answers in by_case.values() if case.state is CaseState.DECIDED]

    def precision_at(threshold: float) -> dict[str, Any]:
        above = [(c, d) for c, d in settled if c.top_probability >= threshold]
        right = sum(1 for c, d in above if d.outcome is Outcome.MATCH and c.best and
                    d.identity_id == c.best.identity_id)
        return {"threshold": threshold, "cases": len(above),
                "precision": round(right / len(above), 4) if above else None}

    kappa = cohen_kappa(pairs)
    return {
        "double_reviewed": len(pairs),
        "raw_agreement": round(sum(a == b for a, b in pairs) / len(pairs), 4) if pairs else None,
        "cohen_kappa": round(kappa, 4) if kappa is not None else None,
        "decided_cases": len(settled),
        "steward_matches": sum(1 for _, d in settled if d.outcome is Outcome.MATCH),
        "model_precision_at_link_threshold": precision_at(link_threshold),
        "model_precision_by_threshold": [precision_at(t) for t in BANDS],
    }
