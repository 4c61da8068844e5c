"""Use cases of origin tracing: open, (re)link, prepare, approve, return, release, read.

Each takes plain values, units of work and `now` (an injected clock). Linking goes through the app's
`Matcher` and `match_record`, so an uncertain link becomes a review case exactly as any other record
does, and the trace waits (AWAITING_REVIEW) until a steward decides; it then continues from the stored
link. The package is built by `linkage.tracing.disclosure` from the facts and the consents in force,
and built again at approval and at release: if anything changed, nothing goes out.

Four eyes: the gate's policy checks that approvers and releasers are other officers; the service
checks it again, so no entry point can skip it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime

from linkage.consent.model import consent_state
from linkage.domain import Decision, PersonRecord, Sex, Source
from linkage.errors import LinkageError
from linkage.ports import Matcher, TracingUnitOfWork
from linkage.services.linking import match_record
from linkage.tracing.disclosure import (
    DEFAULT_POLICY,
    DisclosurePolicy,
    ParentFacts,
    RelativeFacts,
    TraceFacts,
    build_package,
    is_minor,
)
from linkage.tracing.model import (
    AdopteeRequest,
    AdoptionFile,
    InvalidTraceRequest,
    LinkStatus,
    MinorNeedsAdoptiveParents,
    Package,
    PackageChanged,
    ParentRole,
    Subject,
    Trace,
    TraceChanged,
    TraceConflict,
    TraceEvent,
    TraceNotFound,
    TraceState,
)

UowFactory = Callable[[], TracingUnitOfWork]
ADOPTEE = "adoptee"
SIBLING = "sibling"
MAX_TEXT = 200
_TRACE_ID = re.compile(r"[0-9a-f]{32}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LINKABLE = (TraceState.OPENED, TraceState.AWAITING_REVIEW, TraceState.NOT_FOUND, TraceState.LINKED)


class FourEyesViolation(LinkageError):
    """The same officer may not open or prepare a trace and also approve or release it."""

    reason = "FOUR_EYES_REQUIRED"


# --- opening ----------------------------------------------------------------------------------------
def _validate(request: AdopteeRequest) -> AdopteeRequest:
    violations: list[tuple[str, str]] = []
    texts = {name: getattr(request, name) for name in (
        "adoptive_name", "vietnamese_name", "birth_date", "birth_place", "mother_name", "father_name",
        "adoption_file_ref", "adoptee_consent_ref", "identity_check_ref")}
    for name, value in texts.items():
        if len(value) > MAX_TEXT:
            violations.append((f"adoptee.{name}", f"at most {MAX_TEXT} characters"))
        elif _CONTROL.search(value):
            violations.append((f"adoptee.{name}", "must not contain control characters"))
    if not (request.adoptive_name.strip() or request.vietnamese_name.strip()):
        violations.append(("adoptee.adoptive_name", "a name is required (adoptive or Vietnamese)"))
    for name in ("adoptee_consent_ref", "identity_check_ref"):
        if not texts[name].strip():
            violations.append((name, "required: the trace needs the adoptee's consent and an identity check"))
    if request.sex not in {s.value for s in Sex}:
        violations.append(("adoptee.sex", "must be M, F or U"))
    if violations:
        raise InvalidTraceRequest(violations)
    return request


def trace_record(trace_id: str, request: AdopteeRequest) -> PersonRecord:
    """The adoptee's details as they wrote them, as a record the engine can match."""
    return PersonRecord(Source.TRACE_REQUEST.value, trace_id,
                        request.vietnamese_name.strip() or request.adoptive_name.strip(), Sex(request.sex),
                        request.birth_date, request.birth_place, request.mother_name, request.father_name)


def open_trace(uow_factory: UowFactory, matcher: Matcher, request: AdopteeRequest, caseworker: str,
               now: datetime) -> Trace:
    """Record a trace for an adoptee (with their consent and identity check), then link it."""
    request = _validate(request)
    trace_id = uuid.uuid4().hex
    with uow_factory() as uow:
        if request.adoption_file_ref and uow.records.get(Source.ADOPTION_FILE.value,
                                                         request.adoption_file_ref) is None:
            raise InvalidTraceRequest([("adoptee.adoption_file_ref", "no adoption file with this reference")])
        trace = Trace(trace_id, TraceState.OPENED, request, caseworker, now, now,
                      events=(TraceEvent(now, caseworker, "opened"),))
        uow.traces.add(trace)
        uow.commit()
    return link_trace(uow_factory, matcher, trace_id, caseworker, now)


# --- linking ----------------------------------------------------------------------------------------
def _resolve(record: PersonRecord, matcher: Matcher, uow_factory: UowFactory) -> tuple[LinkStatus, str]:
    """How far one record is linked: the stored link if there is one (a steward's decision included),
    else the engine's answer now (an uncertain one opens a review case)."""
    with uow_factory() as uow:
        link = uow.links.get(record.source, record.record_id)
        if link is None:
            uow.records.upsert(record)
            uow.commit()
    if link is None:
        result = match_record(record, matcher, uow_factory())
        decision, identity = result.decision, result.best.identity_id if result.best else ""
    else:
        decision, identity = link.decision, link.identity_id
    if decision is Decision.LINK:
        return LinkStatus.LINKED, identity
    if decision is Decision.REVIEW:
        return LinkStatus.IN_REVIEW, ""
    return LinkStatus.NOT_FOUND, ""


def _parent_record(trace_id: str, role: ParentRole, child: PersonRecord,
                   file: AdoptionFile | None) -> PersonRecord:
    """The parent as the birth registration names them, dated by the adoption file when it can: a name
    alone is thin evidence, which the engine sends to review rather than link."""
    mother = role is ParentRole.MOTHER
    born = (file.mother_birth_date if mother else file.father_birth_date) if file else ""
    name, sex = (child.mother_name, Sex.FEMALE) if mother else (child.father_name, Sex.MALE)
    return PersonRecord(Source.TRACE_REQUEST.value, f"{trace_id}.{role.value}", name, sex, born,
                        child.birth_place)


def _adoption_file(uow: TracingUnitOfWork, request: AdopteeRequest, child_id: str) -> AdoptionFile | None:
    """The file the request names, else the one whose child is linked to this birth identity."""
    file_ref = request.adoption_file_ref or next(
        (link.record_id for link in uow.links.linked_to(child_id)
         if link.source == Source.ADOPTION_FILE.value and link.decision is Decision.LINK), "")
    return uow.adoption_files.get(file_ref) if file_ref else None


def _siblings(uow: TracingUnitOfWork, trace_id: str, parents: list[Subject], child_id: str) -> list[Subject]:
    """Other adoptees whose traces resolved to the same birth mother or father: their relatives' traces
    are how the authority knows of siblings (a twin who is also searching)."""
    found: dict[str, Subject] = {}
    child = uow.identities.get(child_id)
    for parent in parents:
        if parent.status is not LinkStatus.LINKED:
            continue
        for other_id, _ in uow.traces.about(parent.identity_id, roles=(parent.role,)):
            other = uow.traces.get(other_id)
            adoptee = other.subject(ADOPTEE) if other and other_id != trace_id else None
            if adoptee is None or adoptee.status is not LinkStatus.LINKED or adoptee.identity_id == child_id:
                continue
            person = uow.identities.get(adoptee.identity_id)
            twin = bool(person and child and person.birth_date and person.birth_date == child.birth_date)
            found.setdefault(adoptee.identity_id, Subject(SIBLING, LinkStatus.LINKED, adoptee.identity_id,
                                                           "twin" if twin else "sibling"))
    return sorted(found.values(), key=lambda s: s.identity_id)


def _subjects(uow_factory: UowFactory, matcher: Matcher,
              trace: Trace) -> tuple[TraceState, list[Subject], str]:
    request = trace.request
    statuses = [_resolve(trace_record(trace.trace_id, request), matcher, uow_factory)]
    if request.adoption_file_ref:
        with uow_factory() as uow:
            file_record = uow.records.get(Source.ADOPTION_FILE.value, request.adoption_file_ref)
        if file_record is not None:
            statuses.insert(0, _resolve(file_record, matcher, uow_factory))
    linked = {identity for status, identity in statuses if status is LinkStatus.LINKED}
    if len(linked) > 1:
        return TraceState.NOT_FOUND, [Subject(ADOPTEE, LinkStatus.NOT_FOUND)], "file_and_request_disagree"
    if not linked:
        waiting = any(status is LinkStatus.IN_REVIEW for status, _ in statuses)
        status = LinkStatus.IN_REVIEW if waiting else LinkStatus.NOT_FOUND
        state = TraceState.AWAITING_REVIEW if waiting else TraceState.NOT_FOUND
        return state, [Subject(ADOPTEE, status)], ""
    child_id = linked.pop()
    subjects = [Subject(ADOPTEE, LinkStatus.LINKED, child_id)]
    with uow_factory() as uow:
        child = uow.identities.get(child_id)
        file = _adoption_file(uow, request, child_id)
    assert child is not None
    for role in ParentRole:
        name = child.mother_name if role is ParentRole.MOTHER else child.father_name
        if not name.strip():
            subjects.append(Subject(role.value, LinkStatus.NOT_NAMED))
            continue
        status, identity = _resolve(_parent_record(trace.trace_id, role, child, file), matcher, uow_factory)
        subjects.append(Subject(role.value, status, identity))
    with uow_factory() as uow:
        subjects += _siblings(uow, trace.trace_id, subjects[1:], child_id)
    waiting = any(s.status is LinkStatus.IN_REVIEW for s in subjects)
    return (TraceState.AWAITING_REVIEW if waiting else TraceState.LINKED), subjects, ""


def link_trace(uow_factory: UowFactory, matcher: Matcher, trace_id: str, actor: str, now: datetime) -> Trace:
    """Link (or link again, after stewards decided) the trace to its birth identity and birth parents."""
    trace = get_trace(uow_factory(), trace_id)
    if trace.state not in _LINKABLE:
        raise TraceConflict("the trace is past linking")
    state, subjects, note = _subjects(uow_factory, matcher, trace)
    with uow_factory() as uow:
        current = _load(uow, trace_id)
        if current.version != trace.version:
            raise TraceChanged("the trace changed while it was being linked")
        updated = current.changed(now, state=state, subjects=tuple(subjects))
        if not uow.traces.replace(updated, current.version):
            raise TraceChanged("the trace changed while it was being linked")
        if state is not current.state or note:  # a repeated attempt with the same outcome is no new step
            uow.traces.add_event(trace_id, TraceEvent(now, actor, state.value, note))
        uow.commit()
    return get_trace(uow_factory(), trace_id)


# --- the package ------------------------------------------------------------------------------------
def _facts(uow: TracingUnitOfWork, trace: Trace) -> TraceFacts:
    adoptee = trace.subject(ADOPTEE)
    child = uow.identities.get(adoptee.identity_id) if adoptee and adoptee.identity_id else None
    if child is None:
        raise TraceConflict("the trace has no birth identity yet")
    file = _adoption_file(uow, trace.request, child.record_id)
    parents = []
    for role in ParentRole:
        subject = trace.subject(role.value)
        status = subject.status if subject else LinkStatus.NOT_FOUND
        identity = uow.identities.get(subject.identity_id) if subject and subject.identity_id else None
        deaths = [e.event_date for e in uow.adoption_files.life_events(identity.record_id)
                  if e.kind == "death"] if identity is not None else []
        history = ""
        if file is not None:
            history = (file.mother_medical_history if role is ParentRole.MOTHER
                       else file.father_medical_history)
        parents.append(ParentFacts(role, status, identity, deaths[-1] if deaths else "", history))
    relatives = []
    for subject in trace.subjects:
        person = uow.identities.get(subject.identity_id) if subject.role == SIBLING else None
        if person is not None:
            relatives.append(RelativeFacts(person, subject.relationship))
    return TraceFacts(child, file, tuple(parents), tuple(relatives))


def evaluate(uow: TracingUnitOfWork, trace: Trace, policy: DisclosurePolicy, now: datetime) -> Package:
    """The package the rules give for this trace with the consents in force `now` (inside `with uow`)."""
    facts = _facts(uow, trace)
    minor = is_minor(facts.birth_identity.birth_date, now.date(), policy)
    if minor and not trace.request.via_adoptive_parents:
        raise MinorNeedsAdoptiveParents("an adoptee under the adult age is answered through the adoptive "
                                        "parents")
    ids = [s.identity_id for s in trace.subjects if s.identity_id]
    records = uow.consents.for_subjects(ids)
    in_force = lambda pid, scope: consent_state(records, pid, scope, now)  # noqa: E731
    return build_package(facts, in_force, policy, now.date())


def _load(uow: TracingUnitOfWork, trace_id: str) -> Trace:
    if not _TRACE_ID.fullmatch(trace_id or ""):
        raise InvalidTraceRequest([("name", "must be traces/{trace} with a 32-character hex id")])
    trace = uow.traces.get(trace_id)
    if trace is None:
        raise TraceNotFound("no such trace")
    return trace


def _save(uow: TracingUnitOfWork, new: Trace, old: Trace, event: TraceEvent) -> None:
    if not uow.traces.replace(new, old.version):
        raise TraceChanged("another officer changed the trace first")
    uow.traces.add_event(new.trace_id, event)


def _check_etag(trace: Trace, etag: str) -> None:
    if etag and etag != str(trace.version):
        raise TraceChanged("the trace changed since it was read")


def prepare_trace(uow_factory: UowFactory, matcher: Matcher, trace_id: str, caseworker: str, now: datetime,
                  policy: DisclosurePolicy = DEFAULT_POLICY) -> Trace:
    """Link again where stewards have since decided, then build the package for a second officer."""
    trace = get_trace(uow_factory(), trace_id)
    if trace.state in (TraceState.OPENED, TraceState.AWAITING_REVIEW, TraceState.NOT_FOUND,
                       TraceState.LINKED):
        trace = link_trace(uow_factory, matcher, trace_id, caseworker, now)
    if trace.state is TraceState.AWAITING_REVIEW:
        raise TraceConflict("a link of this trace waits in the review queue")
    if trace.state is not TraceState.LINKED:
        raise TraceConflict(f"a {trace.state.value} trace cannot be prepared")
    with uow_factory() as uow:
        current = _load(uow, trace_id)
        package = evaluate(uow, current, policy, now)
        prepared = current.changed(now, state=TraceState.PREPARED, package=package, prepared_by=caseworker,
                                   approved_by="")
        _save(uow, prepared, current, TraceEvent(now, caseworker, "prepared"))
        uow.commit()
        return _load(uow, trace_id)


def _check_second_officer(trace: Trace, officer: str) -> None:
    if officer in {trace.opened_by, trace.prepared_by}:
        raise FourEyesViolation("the officer who opened or prepared a trace may not approve or release it")


def _reopen_if_changed(uow: TracingUnitOfWork, trace: Trace, policy: DisclosurePolicy, officer: str,
                       now: datetime, kind: str) -> Package:
    """Evaluate again; if the package differs, send the trace back to LINKED, commit, and refuse."""
    fresh = evaluate(uow, trace, policy, now)
    if fresh.same_content(trace.package):
        return fresh
    _save(uow, trace.changed(now, state=TraceState.LINKED, approved_by=""), trace,
          TraceEvent(now, officer, kind, "package changed: prepare again"))
    uow.commit()
    raise PackageChanged("the package changed since it was prepared; it must be prepared and approved again")


def approve_trace(uow: TracingUnitOfWork, trace_id: str, officer: str, now: datetime, etag: str = "",
                  policy: DisclosurePolicy = DEFAULT_POLICY) -> Trace:
    with uow:
        trace = _load(uow, trace_id)
        _check_second_officer(trace, officer)
        _check_etag(trace, etag)
        if trace.state is not TraceState.PREPARED:
            raise TraceConflict("only a prepared trace can be approved")
        _reopen_if_changed(uow, trace, policy, officer, now, "approval_blocked")
        approved = trace.changed(now, state=TraceState.APPROVED, approved_by=officer)
        _save(uow, approved, trace, TraceEvent(now, officer, "approved"))
        uow.commit()
        return _load(uow, trace_id)


def return_trace(uow: TracingUnitOfWork, trace_id: str, officer: str, now: datetime, etag: str = "") -> Trace:
    """The second officer sends a prepared (or approved, unreleased) package back to the caseworker."""
    with uow:
        trace = _load(uow, trace_id)
        _check_second_officer(trace, officer)
        _check_etag(trace, etag)
        if trace.state not in (TraceState.PREPARED, TraceState.APPROVED):
            raise TraceConflict("only a prepared or approved trace can be returned")
        returned = trace.changed(now, state=TraceState.LINKED, approved_by="")
        _save(uow, returned, trace, TraceEvent(now, officer, "returned"))
        uow.commit()
        return _load(uow, trace_id)


def release_trace(uow: TracingUnitOfWork, trace_id: str, officer: str, now: datetime, etag: str = "",
                  policy: DisclosurePolicy = DEFAULT_POLICY) -> Trace:
    """Release an approved package, after evaluating it again with the consents in force now."""
    with uow:
        trace = _load(uow, trace_id)
        _check_second_officer(trace, officer)
        _check_etag(trace, etag)
        if trace.state is not TraceState.APPROVED or not trace.approved_by:
            raise TraceConflict("only an approved trace can be released")
        _reopen_if_changed(uow, trace, policy, officer, now, "release_blocked")
        released = trace.changed(now, state=TraceState.RELEASED, released_by=officer)
        _save(uow, released, trace, TraceEvent(now, officer, "released"))
        uow.commit()
        return _load(uow, trace_id)


def get_trace(uow: TracingUnitOfWork, trace_id: str) -> Trace:
    with uow:
        return _load(uow, trace_id)


__all__ = ["FourEyesViolation", "approve_trace", "evaluate", "get_trace", "link_trace",
           "open_trace", "prepare_trace", "release_trace", "return_trace"]
