"""The review use cases on a real store (SQLite and PostgreSQL): states, leases, undo, double review."""

from __future__ import annotations

import dataclasses

import pytest

from linkage.domain import Decision
from linkage.review import service
from linkage.review.model import (
    AlreadyReviewed,
    CaseChanged,
    CaseClosed,
    CaseFilter,
    CaseState,
    InvalidReviewRequest,
    LeaseHeld,
    LeaseNotHeld,
    NeedsSeniorSteward,
    Outcome,
    UndoNotAllowed,
)
from linkage.review.service import Steward

LAN, MAI = Steward("steward-lan"), Steward("steward-mai")
SENIOR = Steward("senior-hoa", senior=True)


def test_decide_match_writes_a_link_named_for_the_steward(queue) -> None:
    case = queue.open("cr-1")
    claimed = service.claim_case(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())
    decided, decision = service.decide_case(queue.store.unit_of_work(), case.case_id, LAN, "match",
                                            "tên khớp, dấu khác", str(claimed.version), queue.clock())
    assert decided.state is CaseState.DECIDED and decision.identity_id == "P-101"
    with queue.store.unit_of_work() as uow:
        link = uow.links.get("child_registry", "cr-1")
    assert link.decision is Decision.LINK and link.identity_id == "P-101"
    assert link.model_version == "steward:steward-lan" and link.pid == "001319012345"


def test_non_match_stores_no_link_and_undo_restores_review(queue) -> None:
    case = queue.open("cr-2")
    claimed = service.claim_case(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())
    service.decide_case(queue.store.unit_of_work(), case.case_id, LAN, Outcome.NON_MATCH, "khác ngày sinh",
                        str(claimed.version), queue.clock())
    with queue.store.unit_of_work() as uow:
        assert uow.links.get("child_registry", "cr-2").decision is Decision.NO_LINK
    queue.clock.advance(minutes=5)
    reopened = service.undo_decision(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())
    assert reopened.state is CaseState.CLAIMED and reopened.lease_holder == LAN.id
    with queue.store.unit_of_work() as uow:
        link = uow.links.get("child_registry", "cr-2")
        assert link.decision is Decision.REVIEW and link.identity_id == "P-101"
        assert [d.active for d in uow.reviews.decisions(case.case_id)] == [False]


def test_undo_window_and_undo_by_another(queue) -> None:
    case = queue.open("cr-3")
    claimed = service.claim_case(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())
    service.decide_case(queue.store.unit_of_work(), case.case_id, LAN, "match", "ok", str(claimed.version),
                        queue.clock())
    with pytest.raises(UndoNotAllowed):
        service.undo_decision(queue.store.unit_of_work(), case.case_id, MAI, queue.clock())
    queue.clock.advance(minutes=16)
    with pytest.raises(UndoNotAllowed):
        service.undo_decision(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())
    with pytest.raises(UndoNotAllowed):
        service.undo_decision(queue.store.unit_of_work(), case.case_id, SENIOR, queue.clock())


def test_lease_held_then_expired(queue) -> None:
    case = queue.open("cr-4")
    claimed = service.claim_case(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())
    with pytest.raises(LeaseHeld):
        service.claim_case(queue.store.unit_of_work(), case.case_id, MAI, queue.clock())
    queue.clock.advance(minutes=11)
    with pytest.raises(LeaseNotHeld):
        service.decide_case(queue.store.unit_of_work(), case.case_id, LAN, "match", "ok",
                            str(claimed.version), queue.clock())
    page = service.list_cases(queue.store.unit_of_work(), MAI, CaseFilter(states=(CaseState.OPEN,)),
                              queue.clock())
    assert [c.case_id for c in page.cases] == [case.case_id]
    taken = service.claim_case(queue.store.unit_of_work(), case.case_id, MAI, queue.clock())
    with pytest.raises(LeaseHeld):  # Mai holds it now
        service.claim_case(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())
    assert taken.lease_holder == MAI.id


def test_stale_etag_loses_nothing(queue) -> None:
    case = queue.open("cr-5")
    claimed = service.claim_case(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())
    with pytest.raises(CaseChanged):
        service.decide_case(queue.store.unit_of_work(), case.case_id, LAN, "match", "ok", str(case.version),
                            queue.clock())
    with queue.store.unit_of_work() as uow:
        assert uow.reviews.get(case.case_id) == claimed
        assert uow.reviews.decisions(case.case_id) == []


def test_double_review_disagreement_escalates_and_senior_settles(queue) -> None:
    case = queue.open("cr-6", double=True)
    assert case.required_reviews == 2
    first = service.claim_case(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())
    after_first, _ = service.decide_case(queue.store.unit_of_work(), case.case_id, LAN, "match", "ok",
                                         str(first.version), queue.clock())
    assert after_first.state is CaseState.OPEN
    with pytest.raises(AlreadyReviewed):
        service.claim_case(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())
    second = service.claim_case(queue.store.unit_of_work(), case.case_id, MAI, queue.clock())
    escalated, _ = service.decide_case(queue.store.unit_of_work(), case.case_id, MAI, "non_match", "khác",
                                       str(second.version), queue.clock())
    assert escalated.state is CaseState.ESCALATED and escalated.escalated
    with pytest.raises(NeedsSeniorSteward):
        service.claim_case(queue.store.unit_of_work(), case.case_id, Steward("steward-third"), queue.clock())
    assert service.list_cases(queue.store.unit_of_work(), LAN, CaseFilter(), queue.clock()).cases == []
    senior = service.claim_case(queue.store.unit_of_work(), case.case_id, SENIOR, queue.clock())
    final, _ = service.decide_case(queue.store.unit_of_work(), case.case_id, SENIOR, "match", "cha mẹ khớp",
                                   str(senior.version), queue.clock(), identity_id="P-102")
    assert final.state is CaseState.DECIDED
    with queue.store.unit_of_work() as uow:
        assert uow.links.get("child_registry", "cr-6").identity_id == "P-102"


def test_rematch_refreshes_or_closes_the_case(queue, make_result) -> None:
    case = queue.open("cr-7")
    claimed = service.claim_case(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())
    with queue.store.unit_of_work() as uow:
        refreshed = service.sync_case(make_result("cr-7", probability=0.7), uow, queue.clock())
        uow.commit()
    assert refreshed.case_id == case.case_id and refreshed.state is CaseState.OPEN
    with pytest.raises(CaseChanged):
        service.decide_case(queue.store.unit_of_work(), case.case_id, LAN, "match", "ok",
                            str(claimed.version), queue.clock())
    confident = dataclasses.replace(make_result("cr-7", probability=0.999), decision=Decision.LINK)
    with queue.store.unit_of_work() as uow:
        assert service.sync_case(confident, uow, queue.clock()) is None
        uow.commit()
    with pytest.raises(CaseClosed):
        service.claim_case(queue.store.unit_of_work(), case.case_id, LAN, queue.clock())


def test_queue_order_filters_and_pages(queue) -> None:
    routine = queue.open("cr-8", probability=0.6)
    abandoned = queue.open("ab-1", source="abandoned_intake", probability=0.6)
    near = queue.open("cr-9", probability=0.99, conflicts=("twin_margin",))
    uow = queue.store.unit_of_work
    first = service.list_cases(uow(), LAN, CaseFilter(), queue.clock(), page_size=2)
    assert [c.case_id for c in first.cases] == [abandoned.case_id, near.case_id] and first.total == 3
    second = service.list_cases(uow(), LAN, CaseFilter(), queue.clock(), page_size=2,
                                page_token=first.next_page_token)
    assert [c.case_id for c in second.cases] == [routine.case_id] and second.next_page_token == ""
    twins = service.list_cases(uow(), LAN, CaseFilter(conflict="twin_margin"), queue.clock())
    assert [c.case_id for c in twins.cases] == [near.case_id]
    by_source = service.list_cases(uow(), LAN, CaseFilter(sources=("abandoned_intake",)), queue.clock())
    assert [c.case_id for c in by_source.cases] == [abandoned.case_id]
    with pytest.raises(InvalidReviewRequest):
        service.list_cases(uow(), LAN, CaseFilter(sources=("child_registry",)), queue.clock(),
                           page_token=first.next_page_token)
    with pytest.raises(InvalidReviewRequest):
        service.list_cases(uow(), LAN, CaseFilter(), queue.clock(), page_token="garbage!")
