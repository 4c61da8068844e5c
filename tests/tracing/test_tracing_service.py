"""Tracing and consent use cases on the real store (SQLite and PostgreSQL): the review queue in the
middle of a trace, consent validation, four eyes in the service itself, and encryption at rest."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from adapters.store import Store
from linkage.consent import service as consent
from linkage.consent.model import ConsentAlreadyWithdrawn, InvalidConsent
from linkage.engine.matcher import FellegiSunterMatcher
from linkage.review import service as review
from linkage.review.model import CaseFilter
from linkage.review.service import Steward
from linkage.tracing import service as tracing
from linkage.tracing.demo import ADOPTION_FILES, FILE_RECORDS, IDENTITIES, load_demo_tracing
from linkage.tracing.model import AdopteeRequest, LinkStatus, TraceConflict, TraceState
from linkage.tracing.service import FourEyesViolation

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def app(store: Store, demo_matcher: FellegiSunterMatcher) -> SimpleNamespace:
    demo = SimpleNamespace(uow=store.unit_of_work, matcher=demo_matcher, store=store)
    load_demo_tracing(demo)
    return demo


def _request(**kw: object) -> AdopteeRequest:
    return AdopteeRequest(**{"adoptive_name": "Phuc Hoang", "sex": "M", "adoptee_consent_ref": "c-1",
                             "identity_check_ref": "id-1", **kw})  # type: ignore[arg-type]


def test_an_uncertain_link_waits_in_the_review_queue_then_the_trace_goes_on(app: SimpleNamespace) -> None:
    trace = tracing.open_trace(app.uow, app.matcher, _request(), "cw-an", NOW)  # name only: two namesakes
    assert trace.state is TraceState.AWAITING_REVIEW
    assert trace.subject("adoptee").status is LinkStatus.IN_REVIEW
    with pytest.raises(TraceConflict):
        tracing.prepare_trace(app.uow, app.matcher, trace.trace_id, "cw-an", NOW)
    page = review.list_cases(app.uow(), Steward("steward-1"), CaseFilter(sources=("trace_request",)), NOW)
    [case] = [c for c in page.cases if c.record_id == trace.trace_id]
    assert {c.identity_id for c in case.candidates} >= {"H-C1", "X-02"}
    for steward in [Steward(f"steward-{n}") for n in range(case.required_reviews)]:  # 10 % need two
        claimed = review.claim_case(app.uow(), case.case_id, steward, NOW)
        review.decide_case(app.uow(), case.case_id, steward, "match", "adoption file and dates agree",
                           str(claimed.version), NOW, identity_id="H-C1")
    prepared = tracing.prepare_trace(app.uow, app.matcher, trace.trace_id, "cw-an", NOW + timedelta(hours=1))
    assert prepared.state is TraceState.PREPARED
    assert prepared.subject("adoptee").identity_id == "H-C1"
    assert [e.kind for e in prepared.events] == ["opened", "awaiting_review", "linked", "prepared"]


def test_a_parent_named_without_other_evidence_waits_for_a_steward(app: SimpleNamespace) -> None:
    with app.uow() as uow:  # a second file on the same child that does not date the mother
        uow.records.upsert(replace(FILE_RECORDS[0], record_id="AF-TEST-1"))
        uow.adoption_files.put(replace(ADOPTION_FILES[0], file_ref="AF-TEST-1", mother_birth_date=""))
        uow.commit()
    trace = tracing.open_trace(app.uow, app.matcher, _request(adoptive_name="Emily Lan Dang", sex="F",
                                                               adoption_file_ref="AF-TEST-1"), "cw-an", NOW)
    assert trace.state is TraceState.AWAITING_REVIEW
    assert (trace.subject("adoptee").identity_id, trace.subject("birth_mother").status) == (
        "D-C1", LinkStatus.IN_REVIEW)
    with app.uow() as uow:
        assert uow.reviews.unsettled_for_record("trace_request", f"{trace.trace_id}.birth_mother") is not None


def test_four_eyes_hold_in_the_service_too(app: SimpleNamespace) -> None:
    trace = tracing.open_trace(app.uow, app.matcher, _request(birth_date="1996-01-10"), "cw-an", NOW)
    prepared = tracing.prepare_trace(app.uow, app.matcher, trace.trace_id, "cw-an", NOW)
    with pytest.raises(FourEyesViolation):
        tracing.approve_trace(app.uow(), trace.trace_id, "cw-an", NOW)
    with pytest.raises(TraceConflict):  # not approved yet
        tracing.release_trace(app.uow(), trace.trace_id, "officer-1", NOW)
    approved = tracing.approve_trace(app.uow(), trace.trace_id, "officer-1", NOW, etag=str(prepared.version))
    with pytest.raises(FourEyesViolation):
        tracing.release_trace(app.uow(), trace.trace_id, "cw-an", NOW)
    returned = tracing.return_trace(app.uow(), trace.trace_id, "officer-1", NOW, etag=str(approved.version))
    assert returned.state is TraceState.LINKED and returned.approved_by == ""
    assert tracing.get_trace(app.uow(), trace.trace_id).events[-1].kind == "returned"


def test_consent_input_is_validated_and_a_withdrawal_happens_once(app: SimpleNamespace) -> None:
    with pytest.raises(InvalidConsent) as invalid:
        consent.record_consent(app.uow(), "D-M1", "birth_parent", "everything", "grant", "", "cw-an", NOW,
                               expires_at=NOW - timedelta(days=1))
    assert {path for path, _ in invalid.value.violations} == {"scope", "evidence_ref", "expire_time"}
    with pytest.raises(consent.SubjectNotFound):
        consent.record_consent(app.uow(), "NOBODY", "birth_parent", "identity", "grant", "letter-1",
                               "cw-an", NOW)
    record = consent.record_consent(app.uow(), "D-M1", "birth_parent", "identity", "grant", "letter-1",
                                    "cw-an", NOW)
    assert consent.withdraw_consent(app.uow(), record.consent_id, "cw-an", NOW).withdrawn_at == NOW
    with pytest.raises(ConsentAlreadyWithdrawn):
        consent.withdraw_consent(app.uow(), record.consent_id, "cw-an", NOW)
    assert [r.consent_id for r in consent.list_consents(app.uow(), "D-M1")][-1] == record.consent_id


def test_personal_values_are_sealed_at_rest(app: SimpleNamespace) -> None:
    request = _request(adoptive_name="Peter Phuc Hoang", birth_date="1996-01-10", birth_place="Lạng Sơn")
    trace = tracing.open_trace(app.uow, app.matcher, request, "cw-an", NOW)
    tracing.prepare_trace(app.uow, app.matcher, trace.trace_id, "cw-an", NOW)
    plain = ["Peter Phuc Hoang", "Hoàng Văn Khiêm", "Colour blindness", "twins", "2015-06-01",
             "demo-evidence", ADOPTION_FILES[1].circumstances[:20], "c-1", "id-1"]
    with app.store.engine.connect() as connection:
        for table in ("trace_requests", "trace_subjects", "trace_events", "adoption_files", "life_events",
                      "consents"):
            for row in connection.execute(text(f"SELECT * FROM {table}")):  # noqa: S608 - fixed names
                sealed = [v for v in row if isinstance(v, bytes | memoryview)]
                # ciphertext is searched as bytes: its repr could spell a short value by chance (b"\x8c-1")
                dump = repr(tuple(v for v in row if not isinstance(v, bytes | memoryview)))
                raw = b"".join(bytes(v) for v in sealed)
                for value in plain:
                    assert value not in dump and value.encode() not in raw, (table, value)
    assert {p.record_id for p in IDENTITIES} >= {"H-C1", "H-M1"}  # ids stay in clear, by design
