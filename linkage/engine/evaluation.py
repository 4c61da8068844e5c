"""Linkage quality figures from per-record outcomes, shared by the engine and the baseline runs.

One row per source record: its true identity (or None), the best candidate a linker proposed, that
candidate's score, whether the linker's own decision was to link, and whether blocking retrieved the
true identity at all. Everything else (precision, recall, F1 at the best threshold, recall at
precision 0.999, false-link rate among records with no true match) follows from those columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Outcomes:
    truth: list[str | None]
    predicted: list[str | None]
    score: np.ndarray          # the best candidate's score (probability); -inf where none
    linked: np.ndarray         # bool: the linker's own decision was "link"
    retrieved: np.ndarray      # bool: the true identity was among the candidate pairs
    candidate_pairs: int = 0

    def subset(self, mask: np.ndarray) -> Outcomes:
        idx = np.flatnonzero(mask)
        return Outcomes([self.truth[i] for i in idx], [self.predicted[i] for i in idx], self.score[idx],
                        self.linked[idx], self.retrieved[idx], 0)


def summarise(o: Outcomes, population: int, precision_target: float = 0.999) -> dict[str, float]:
    has_truth = np.array([t is not None for t in o.truth], dtype=bool)
    correct = np.array([t is not None and t == p for t, p in zip(o.truth, o.predicted, strict=True)],
                       dtype=bool)
    n_true = int(has_truth.sum())
    order = np.argsort(-o.score, kind="stable")
    tp = np.cumsum(correct[order])
    fp = np.cumsum(~correct[order])
    valid = np.isfinite(o.score[order])
    # only thresholds at the last position of each score value are achievable
    last = np.r_[o.score[order][1:] != o.score[order][:-1], True] & valid
    precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 1.0)[last]
    recall = (tp / max(n_true, 1))[last]
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
    best = int(np.argmax(f1)) if len(f1) else -1
    at_target = recall[precision >= precision_target]
    linked_ok = int((o.linked & correct).sum())
    linked_all = int(o.linked.sum())
    no_match = ~has_truth
    return {
        "records": len(o.truth),
        "true_matches": n_true,
        "precision": float(precision[best]) if best >= 0 else 0.0,
        "recall": float(recall[best]) if best >= 0 else 0.0,
        "f1": float(f1[best]) if best >= 0 else 0.0,
        "recall_at_p999": float(at_target.max()) if len(at_target) else 0.0,
        "op_precision": linked_ok / linked_all if linked_all else 1.0,
        "op_recall": linked_ok / n_true if n_true else 0.0,
        "false_link_rate_no_match": float((o.linked & no_match).sum() / max(int(no_match.sum()), 1)),
        "pair_completeness": float(o.retrieved[has_truth].mean()) if n_true else 1.0,
        "reduction_ratio": 1.0 - o.candidate_pairs / max(len(o.truth) * population, 1) if o.candidate_pairs
        else float("nan"),
    }


def threshold_at_precision(o: Outcomes, precision_target: float = 0.999) -> float:
    """The lowest achievable score threshold whose precision still meets the target (inf if none):
    the operating point `recall_at_p999` reports, so losses can be counted against it."""
    correct = np.array([t is not None and t == p for t, p in zip(o.truth, o.predicted, strict=True)],
                       dtype=bool)
    order = np.argsort(-o.score, kind="stable")
    scores = o.score[order]
    tp = np.cumsum(correct[order])
    fp = np.cumsum(~correct[order])
    last = np.r_[scores[1:] != scores[:-1], True] & np.isfinite(scores)
    precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 1.0)
    ok = np.flatnonzero(last & (precision >= precision_target))
    if not len(ok):
        return float("inf")
    best = ok[np.argmax(tp[ok])]
    return float(scores[best])
