"""Stewards' decisions as labels for training, and the agreement report (kappa, model precision)."""

from __future__ import annotations

import pytest

from linkage.review import service
from linkage.review.feedback import agreement_report, cohen_kappa, labels, training_labels
from linkage.review.service import Steward

LAN, MAI, SENIOR = Steward("steward-lan"), Steward("steward-mai"), Steward("senior-hoa", senior=True)


def _decide(queue, case_id: str, steward: Steward, outcome: str, identity: str = "") -> None:
    claimed = service.claim_case(queue.store.unit_of_work(), case_id, steward, queue.clock())
    service.decide_case(queue.store.unit_of_work(), case_id, steward, outcome, "lý do", str(claimed.version),
                        queue.clock(), identity)


def test_labels_and_training_labels(queue) -> None:
    matched, rejected, pending = queue.open("cr-1"), queue.open("cr-2"), queue.open("cr-3")
    _decide(queue, matched.case_id, LAN, "match", "P-102")
    _decide(queue, rejected.case_id, LAN, "non_match")
    assert pending.case_id  # undecided: no label
    assert sorted(labels(queue.store.unit_of_work())) == [
        ("child_registry", "cr-1", "P-101", False), ("child_registry", "cr-1", "P-102", True),
        ("child_registry", "cr-2", "P-101", False), ("child_registry", "cr-2", "P-102", False)]
    assert training_labels(queue.store.unit_of_work()) == {("child_registry", "cr-1"): "P-102",
                                                           ("child_registry", "cr-2"): None}
    with queue.store.unit_of_work() as uow:  # what `linkage.engine.training.train_from_store` reads
        assert uow.reviews.decided_labels() == {("child_registry", "cr-1"): "P-102",
                                                ("child_registry", "cr-2"): None}


def test_agreement_report_on_the_double_reviewed_sample(queue) -> None:
    agree, disagree = queue.open("cr-4", probability=0.996, double=True), queue.open("cr-5", double=True)
    _decide(queue, agree.case_id, LAN, "match")
    _decide(queue, agree.case_id, MAI, "match")
    _decide(queue, disagree.case_id, LAN, "match")
    _decide(queue, disagree.case_id, MAI, "non_match")  # escalated, not settled
    _decide(queue, disagree.case_id, SENIOR, "non_match")
    report = agreement_report(queue.store.unit_of_work(), link_threshold=0.995)
    assert report["double_reviewed"] == 2 and report["raw_agreement"] == 0.5
    assert report["cohen_kappa"] == pytest.approx(0.0)  # 2 pairs: (m,m), (m,n): po 0.5, pe 0.5
    assert report["decided_cases"] == 2
    assert report["model_precision_at_link_threshold"] == {"threshold": 0.995, "cases": 1, "precision": 1.0}
    band = {b["threshold"]: b for b in report["model_precision_by_threshold"]}
    assert band[0.5] == {"threshold": 0.5, "cases": 2, "precision": 0.5}


def test_cohen_kappa_known_values() -> None:
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "a"), ("b", "b")]) == 1.0
    # 20 pairs: 7 yes/yes, 2 yes/no, 3 no/yes, 8 no/no -> po 0.75; first says yes 9/20, second 10/20,
    # pe = 0.45 * 0.5 + 0.55 * 0.5 = 0.5 -> kappa (0.75 - 0.5) / 0.5 = 0.5
    pairs = [("y", "y")] * 7 + [("y", "n")] * 2 + [("n", "y")] * 3 + [("n", "n")] * 8
    assert cohen_kappa(pairs) == pytest.approx(0.5)
    # 50 pairs, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> po 0.7, pe 0.5*0.6 + 0.5*0.4 = 0.5, kappa 0.4
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
