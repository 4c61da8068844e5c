"""TracingService and ConsentService through the real secured server: the disclosure matrix (field by
field, in the gRPC answer and in the stored package), the denials, consent changes before release, and
the audit trail."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from linkage.v1 import consent_service_pb2 as cpb
from linkage.v1 import person_pb2
from linkage.v1 import tracing_service_pb2 as pb

ADOPTEE_FIELDS = {"adoptee.birth_name", "adoptee.birth_date", "adoptee.birth_place", "adoptee.sex",
                  "adoptee.personal_number"}
FILE_FIELDS = {"adoption.file_reference", "adoption.date", "adoption.receiving_country"}
MOTHER = {"birth_mother.name", "birth_mother.birth_date", "birth_mother.birth_place"}
FATHER = {"birth_father.name", "birth_father.birth_date", "birth_father.birth_place"}
HOANG = ADOPTEE_FIELDS | FILE_FIELDS | MOTHER | FATHER | {
    "adoption.circumstances", "birth_mother.death_date", "birth_father.medical_history"}
CW, CW2, OFFICER, OFFICER2 = "cw-an", "cw-binh", "officer-cuc", "officer-dung"


def _details(**kw) -> pb.AdopteeDetails:  # noqa: ANN003
    base = {"adoptee_consent_ref": "consent-letter-1", "identity_check_ref": "passport-check-1"}
    return pb.AdopteeDetails(**{**base, **kw})


REQUESTS = {
    # A badly damaged name: adoptive first name, Western order, no diacritics; the birth day singles her out
    # (with a month and a province alone she would wait for a steward: another Đặng Lan of August 1994
    # in Thái Bình is as likely as not, `matcher.singles_out`)
    "dang": _details(adoptive_name="Emily Lan Dang", birth_date="1994-08-21",
                     birth_place="Thai Binh, Vietnam", sex=person_pb2.SEX_FEMALE),
    "phuc": _details(adoptive_name="Peter Phuc Hoang", vietnamese_name="Hoàng Văn Phúc",
                     birth_date="1996-01-10", birth_place="Lang Son", sex=person_pb2.SEX_MALE,
                     adoption_file_ref="AF-1996-0311"),
    "loc": _details(adoptive_name="Luke Hoang", vietnamese_name="Hoàng Văn Lộc", birth_date="1996-01-10",
                    birth_place="Lạng Sơn", sex=person_pb2.SEX_MALE, adoption_file_ref="AF-1996-0312"),
    "khang": _details(adoptive_name="Marco Khang Trinh", birth_date="2001-11-05", birth_place="Nam Dinh",
                      sex=person_pb2.SEX_MALE, adoption_file_ref="AF-2002-0077"),
    "mai": _details(adoptive_name="Chloe Mai Luong", birth_date="2012-04-18", birth_place="Son La",
                    sex=person_pb2.SEX_FEMALE, adoption_file_ref="AF-2013-0020", via_adoptive_parents=True),
}

# The disclosure matrix: for each consent situation, exactly these fields, and these withheld (rule ids).
EXPECTED = {
    "dang": (  # mother vetoed contact, allowed medical history, no identity consent; father never named
        ADOPTEE_FIELDS | FILE_FIELDS | {"adoption.circumstances", "birth_mother.medical_history",
                                        "birth_father.not_recorded"},
        {("identity of birth mother", "R3"), ("contact with birth mother", "R5"),
         ("information about other relatives", "R7")}),
    "phuc": (  # mother died (no veto): identity under R6; father consents; the twin consents to be named
        HOANG | {"sibling.1.name", "sibling.1.birth_date", "sibling.1.relationship"},
        {("contact with birth mother", "R5"), ("medical history of birth mother", "R4"),
         ("contact with birth father", "R5")}),
    "loc": (  # same parents, but the twin Phúc gave no consent: nothing about him
        HOANG,
        {("contact with birth mother", "R5"), ("medical history of birth mother", "R4"),
         ("contact with birth father", "R5"), ("information about other relatives", "R7")}),
    "khang": (  # mother consents to identity and contact; the father recorded nothing
        ADOPTEE_FIELDS | FILE_FIELDS | MOTHER | {"adoption.circumstances", "birth_mother.contact"},
        {("medical history of birth mother", "R4"), ("identity of birth father", "R3"),
         ("contact with birth father", "R5"), ("medical history of birth father", "R4"),
         ("information about other relatives", "R7")}),
    "mai": (  # under 18: non-identifying only, through the adoptive parents
        {"adoptee.birth_date", "adoptee.sex", *FILE_FIELDS, "adoption.circumstances",
         "birth_mother.medical_history", "birth_father.not_recorded"},
        {("identifying information", "R8")}),
}
IDENTITY_OF = {"dang": "D-C1", "phuc": "H-C1", "loc": "H-C2", "khang": "T-C1", "mai": "L-C1"}


def _error(info: pytest.ExceptionInfo[grpc.RpcError]) -> tuple[grpc.StatusCode, str]:
    status = rpc_status.from_call(info.value)
    reason = ""
    for detail in status.details if status else ():
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            error_info = error_details_pb2.ErrorInfo()
            detail.Unpack(error_info)
            reason = error_info.reason
    return info.value.code(), reason


def _open(h, case: str, caseworker: str = CW) -> pb.Trace:  # noqa: ANN001
    return h.tracing.OpenTrace(pb.OpenTraceRequest(adoptee=REQUESTS[case]), metadata=h.auth(caseworker),
                               timeout=30).trace


def _prepare(h, trace: pb.Trace, caseworker: str = CW) -> pb.Trace:  # noqa: ANN001
    return h.tracing.PrepareTrace(pb.PrepareTraceRequest(name=trace.name), metadata=h.auth(caseworker),
                                  timeout=30).trace


def _approve(h, trace: pb.Trace, officer: str = OFFICER) -> pb.Trace:  # noqa: ANN001
    return h.tracing.ApproveTrace(pb.ApproveTraceRequest(name=trace.name, etag=trace.etag),
                                  metadata=h.auth(officer, "approving_officer"), timeout=30).trace


def _release(h, trace: pb.Trace, officer: str = OFFICER) -> pb.Trace:  # noqa: ANN001
    return h.tracing.ReleaseTrace(pb.ReleaseTraceRequest(name=trace.name, etag=trace.etag),
                                  metadata=h.auth(officer, "approving_officer"), timeout=30).trace


def _stored(h, trace: pb.Trace):  # noqa: ANN001, ANN202
    with h.app.uow() as uow:
        return uow.traces.get(trace.name.removeprefix("traces/"))


def _check_package(h, trace: pb.Trace, case: str) -> None:  # noqa: ANN001
    fields, withheld = EXPECTED[case]
    got = [f.field for f in trace.package.fields]
    assert sorted(got) == sorted(fields) and len(got) == len(set(got))
    assert {(w.category, w.rule) for w in trace.package.withheld} == withheld
    stored = _stored(h, trace).package
    assert [(f.field, f.value, f.rule) for f in stored.fields] == [
        (f.field, f.value, f.rule) for f in trace.package.fields]
    assert [(w.category, w.rule, w.reason) for w in stored.withheld] == [
        (w.category, w.rule, w.reason) for w in trace.package.withheld]
    # Withheld reasons never carry a withheld value: no value held for the trace's people appears in them.
    with h.app.uow() as uow:
        people = [uow.identities.get(s.identity.removeprefix("identities/"))
                  for s in trace.subjects if s.identity]
    secrets = {v for p in people if p for v in (p.full_name, p.birth_date, p.pid, p.birth_place) if v}
    for w in trace.package.withheld:
        assert not any(secret in w.reason for secret in secrets), w.reason


@pytest.mark.parametrize("case", ["dang", "phuc", "loc", "khang", "mai"])
def test_disclosure_matrix_field_by_field_in_the_answer_and_in_the_store(harness, case: str) -> None:
    if case in ("phuc", "loc"):  # the twin who is also searching opens a trace first
        other = _open(harness, "loc" if case == "phuc" else "phuc", CW2)
        assert other.state == pb.TRACE_STATE_LINKED
    trace = _open(harness, case)
    assert trace.state == pb.TRACE_STATE_LINKED
    adoptee = next(s for s in trace.subjects if s.role == "adoptee")
    assert adoptee.identity == f"identities/{IDENTITY_OF[case]}"
    prepared = _prepare(harness, trace)
    assert prepared.state == pb.TRACE_STATE_PREPARED
    _check_package(harness, prepared, case)
    released = _release(harness, _approve(harness, prepared))
    assert released.state == pb.TRACE_STATE_RELEASED and released.released_by == OFFICER
    _check_package(harness, released, case)


def test_values_follow_the_registry_not_the_request(harness) -> None:
    prepared = _prepare(harness, _open(harness, "dang"))
    values = {f.field: f.value for f in prepared.package.fields}
    assert values["adoptee.birth_name"] == "Đặng Thị Ngọc Lan"
    assert values["birth_mother.medical_history"] == "Asthma in childhood; no known hereditary condition."
    assert values["birth_father.not_recorded"] == "not named on the birth registration"
    reasons = {w.category: w.reason for w in prepared.package.withheld}
    assert reasons["identity of birth mother"] == (
        "identity of birth mother withheld: no consent to identity disclosure in force (rule R3)")
    assert reasons["contact with birth mother"] == (
        "contact with birth mother withheld: veto on contact (rule R5)")


def test_a_minor_is_answered_only_through_the_adoptive_parents(harness) -> None:
    request = pb.AdopteeDetails()
    request.CopyFrom(REQUESTS["mai"])
    request.via_adoptive_parents = False
    trace = harness.tracing.OpenTrace(pb.OpenTraceRequest(adoptee=request), metadata=harness.auth(CW),
                                      timeout=30).trace
    with pytest.raises(grpc.RpcError) as refused:
        _prepare(harness, trace)
    assert _error(refused) == (grpc.StatusCode.FAILED_PRECONDITION, "MINOR_NEEDS_ADOPTIVE_PARENTS")


# --- consent changes between preparation and release ------------------------------------------------
def test_withdrawal_after_approval_takes_effect_at_once_and_the_new_package_omits_her(harness) -> None:
    approved = _approve(harness, _prepare(harness, _open(harness, "khang")))
    officer = harness.auth(CW)
    consents = harness.consent.ListConsents(cpb.ListConsentsRequest(subject="identities/T-M1"),
                                            metadata=officer, timeout=10).consents
    identity = next(c for c in consents if c.scope == cpb.CONSENT_SCOPE_IDENTITY)
    withdrawn = harness.consent.WithdrawConsent(cpb.WithdrawConsentRequest(name=identity.name),
                                                metadata=officer, timeout=10).consent
    assert withdrawn.state == cpb.CONSENT_RECORD_STATE_WITHDRAWN and withdrawn.withdrawn_by == CW
    with pytest.raises(grpc.RpcError) as blocked:
        _release(harness, approved)
    assert blocked.value.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.FAILED_PRECONDITION)
    current = harness.tracing.GetTrace(pb.GetTraceRequest(name=approved.name), metadata=officer,
                                       timeout=10).trace
    assert current.state == pb.TRACE_STATE_LINKED and current.approved_by == ""
    assert "consent_changed" in [e.kind for e in current.events]
    again = _prepare(harness, current)
    assert "birth_mother.name" not in [f.field for f in again.package.fields]
    assert ("identity of birth mother", "R3") in {(w.category, w.rule) for w in again.package.withheld}
    assert "birth_mother.contact" in [f.field for f in again.package.fields]  # contact consent still stands
    released = _release(harness, _approve(harness, again))
    assert released.state == pb.TRACE_STATE_RELEASED
    assert "birth_mother.name" not in [f.field for f in _stored(harness, released).package.fields]


def test_a_consent_that_expires_before_release_blocks_the_release(harness) -> None:
    trace = _open(harness, "dang")
    consent = cpb.Consent(subject="identities/D-M1", subject_kind=cpb.CONSENT_SUBJECT_KIND_BIRTH_PARENT,
                          scope=cpb.CONSENT_SCOPE_IDENTITY, choice=cpb.CONSENT_CHOICE_GRANT,
                          evidence_ref="letter-2026-17")
    consent.expire_time.FromDatetime(harness.clock.now + timedelta(minutes=5))
    harness.consent.RecordConsent(cpb.RecordConsentRequest(consent=consent), metadata=harness.auth(CW),
                                  timeout=10)
    prepared = _prepare(harness, trace)
    assert "birth_mother.name" in [f.field for f in prepared.package.fields]
    approved = _approve(harness, prepared)
    harness.clock.now += timedelta(minutes=10)  # the consent lapses; nobody records anything
    with pytest.raises(grpc.RpcError) as blocked:
        _release(harness, approved)
    assert _error(blocked) == (grpc.StatusCode.FAILED_PRECONDITION, "PACKAGE_CHANGED")
    stored = _stored(harness, approved)
    assert stored.state.value == "linked" and stored.released_by == ""
    assert stored.events[-1].kind == "release_blocked"


# --- denials ----------------------------------------------------------------------------------------
def _denied(call) -> tuple[grpc.StatusCode, str]:  # noqa: ANN001
    with pytest.raises(grpc.RpcError) as refused:
        call()
    return _error(refused)


def test_wrong_role_and_wrong_purpose_are_denied(harness) -> None:
    request = pb.OpenTraceRequest(adoptee=REQUESTS["dang"])
    for metadata in (harness.auth("steward-1", "steward", "data_quality_review"),
                     harness.auth("steward-1", "steward", "origin_tracing"),
                     harness.auth(CW, "caseworker", "abandoned_child_registration"),
                     harness.auth(OFFICER, "approving_officer")):
        assert _denied(lambda m=metadata: harness.tracing.OpenTrace(request, metadata=m, timeout=10)) == (
            grpc.StatusCode.PERMISSION_DENIED, "POLICY_DENIED")
    outcomes = [(e.action, e.outcome) for e in harness.audit()]
    assert outcomes == [("tracing.open", "refused:POLICY_DENIED")] * 4
    with harness.app.store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM trace_requests").scalar() == 0


def test_release_needs_approval_by_a_second_officer(harness) -> None:
    prepared = _prepare(harness, _open(harness, "dang"))
    unapproved = _denied(lambda: _release(harness, prepared))
    assert unapproved == (grpc.StatusCode.PERMISSION_DENIED, "POLICY_DENIED")
    # The caseworker who prepared it, holding an approving officer's token too, may neither approve ...
    assert _denied(lambda: _approve(harness, prepared, officer=CW)) == (
        grpc.StatusCode.PERMISSION_DENIED, "POLICY_DENIED")
    approved = _approve(harness, prepared)
    # ... nor release it; nor may a caseworker's token release at all.
    assert _denied(lambda: _release(harness, approved, officer=CW))[0] is grpc.StatusCode.PERMISSION_DENIED
    assert _denied(lambda: harness.tracing.ReleaseTrace(pb.ReleaseTraceRequest(name=approved.name),
                                                        metadata=harness.auth(CW2), timeout=10))[0] is (
        grpc.StatusCode.PERMISSION_DENIED)
    assert _stored(harness, approved).state.value == "approved"
    trace_id = approved.name
    refusals = [(e.principal_id, e.action, e.outcome) for e in harness.audit()
                if e.outcome != "ok" and (trace_id in e.resource_ids or e.action == "tracing.release")]
    assert refusals == [  # every refusal is in the audit log, with who and what
        (OFFICER, "tracing.release", "error:PERMISSION_DENIED"),
        (CW, "tracing.approve", "error:PERMISSION_DENIED"),
        (CW, "tracing.release", "error:PERMISSION_DENIED"),
        (CW2, "tracing.release", "refused:POLICY_DENIED")]
    released = _release(harness, approved, officer=OFFICER2)  # another second officer may release
    assert released.state == pb.TRACE_STATE_RELEASED


def test_a_caseworker_cannot_read_or_prepare_someone_elses_trace(harness) -> None:
    trace = _open(harness, "dang")
    other = harness.auth(CW2)
    get = pb.GetTraceRequest(name=trace.name)
    prepare = pb.PrepareTraceRequest(name=trace.name)
    for call in (lambda: harness.tracing.GetTrace(get, metadata=other, timeout=10),
                 lambda: harness.tracing.PrepareTrace(prepare, metadata=other, timeout=10)):
        assert _denied(call) == (grpc.StatusCode.PERMISSION_DENIED, "POLICY_DENIED")
    assert _stored(harness, trace).state.value == "linked"
    # An approving officer may read it (to judge it).
    seen = harness.tracing.GetTrace(pb.GetTraceRequest(name=trace.name),
                                    metadata=harness.auth(OFFICER, "approving_officer"), timeout=10).trace
    assert seen.name == trace.name


def test_a_trace_needs_the_adoptees_consent_and_identity_check(harness) -> None:
    request = pb.OpenTraceRequest(adoptee=pb.AdopteeDetails(adoptive_name="Emily Lan Dang"))
    with pytest.raises(grpc.RpcError) as refused:
        harness.tracing.OpenTrace(request, metadata=harness.auth(CW), timeout=10)
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT


def test_unknown_trace_is_not_found_and_a_garbled_name_invalid(harness) -> None:
    officer = harness.auth(OFFICER, "approving_officer")
    unknown, garbled = pb.GetTraceRequest(name="traces/" + "0" * 32), pb.GetTraceRequest(name="cases/1")
    assert _denied(lambda: harness.tracing.GetTrace(unknown, metadata=officer, timeout=10))[0] is (
        grpc.StatusCode.NOT_FOUND)
    assert _denied(lambda: harness.tracing.GetTrace(garbled, metadata=officer, timeout=10))[0] is (
        grpc.StatusCode.INVALID_ARGUMENT)


# --- end to end -----------------------------------------------------------------------------------------
def test_end_to_end_damaged_name_to_released_package_with_every_access_audited(harness) -> None:
    trace = _open(harness, "dang")
    adoptee = next(s for s in trace.subjects if s.role == "adoptee")
    mother = next(s for s in trace.subjects if s.role == "birth_mother")
    father = next(s for s in trace.subjects if s.role == "birth_father")
    assert (adoptee.identity, mother.identity) == ("identities/D-C1", "identities/D-M1")
    assert father.status == pb.TRACE_LINK_STATUS_NOT_NAMED
    released = _release(harness, _approve(harness, _prepare(harness, trace)))
    _check_package(harness, released, "dang")
    assert [e.kind for e in released.events] == [
        "opened", "linked", "prepared", "approved", "released"]
    trace_id = f"traces/{trace.name.removeprefix('traces/')}"
    entries = [e for e in harness.audit() if trace_id in e.resource_ids]
    assert [(e.principal_id, e.action, e.outcome) for e in entries] == [
        (CW, "tracing.open", "ok"), (CW, "tracing.prepare", "ok"), (OFFICER, "tracing.approve", "ok"),
        (OFFICER, "tracing.release", "ok")]
    for entry in entries:
        assert "identities/D-C1" in entry.resource_ids and "identities/D-M1" in entry.resource_ids
    assert "disclosure_package.birth_mother.medical_history" in entries[-1].fields
    assert "disclosure_package.birth_mother.name" not in entries[-1].fields
