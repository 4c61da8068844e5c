"""Use cases of the consent registry: record, withdraw, read; a change takes effect at once.

Recording or withdrawing a consent sends every trace whose package is prepared or approved and that
concerns this person back to LINKED, in the same transaction: no package judged under the old consents
can be approved or released (release also re-evaluates; this makes the change visible at once).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from linkage.consent.model import (
    ConsentAlreadyWithdrawn,
    ConsentChoice,
    ConsentNotFound,
    ConsentRecord,
    ConsentScope,
    InvalidConsent,
    SubjectKind,
)
from linkage.errors import NotFound
from linkage.ports import TracingUnitOfWork
from linkage.tracing.model import TraceEvent, TraceState

MAX_EVIDENCE_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONSENT_ID = re.compile(r"[0-9a-f]{32}")
PENDING = (TraceState.PREPARED, TraceState.APPROVED)


class SubjectNotFound(NotFound):
    reason = "IDENTITY_NOT_FOUND"


def _check_text(path: str, value: str, violations: list[tuple[str, str]]) -> str:
    value = (value or "").strip()
    if not value:
        violations.append((path, "required"))
    elif len(value) > MAX_EVIDENCE_CHARS:
        violations.append((path, f"at most {MAX_EVIDENCE_CHARS} characters"))
    elif _CONTROL.search(value):
        violations.append((path, "must not contain control characters"))
    return value


def reopen_pending_packages(uow: TracingUnitOfWork, identity_id: str, actor: str, now: datetime) -> list[str]:
    """Send prepared or approved traces about this person back to LINKED; inside the caller's transaction."""
    reopened = []
    for trace_id, _role in uow.traces.about(identity_id, states=PENDING):
        trace = uow.traces.get(trace_id)
        if trace is None or trace.state not in PENDING:
            continue
        if uow.traces.replace(trace.changed(now, state=TraceState.LINKED, approved_by=""), trace.version):
            uow.traces.add_event(trace_id, TraceEvent(now, actor, "consent_changed", "prepare again"))
            reopened.append(trace_id)
    return reopened


def record_consent(uow: TracingUnitOfWork, subject_identity_id: str, subject_kind: SubjectKind | str,
                   scope: ConsentScope | str, choice: ConsentChoice | str, evidence_ref: str,
                   recorded_by: str, now: datetime, expires_at: datetime | None = None) -> ConsentRecord:
    """Record a consent or veto for a population identity; it supersedes older ones at once."""
    violations: list[tuple[str, str]] = []
    values = []
    for path, enum, value in (("subject_kind", SubjectKind, subject_kind), ("scope", ConsentScope, scope),
                              ("choice", ConsentChoice, choice)):
        try:
            values.append(enum(value))
        except ValueError:
            violations.append((path, "unknown or unspecified"))
    evidence = _check_text("evidence_ref", evidence_ref, violations)
    if not subject_identity_id:
        violations.append(("subject", "required: identities/{identity}"))
    if expires_at is not None and expires_at <= now:
        violations.append(("expire_time", "must be in the future"))
    if violations:
        raise InvalidConsent(violations)
    kind, scope_, choice_ = values
    record = ConsentRecord(uuid.uuid4().hex, subject_identity_id, kind, scope_, choice_, evidence,
                           recorded_by, now, expires_at)
    with uow:
        if uow.identities.get(subject_identity_id) is None:
            raise SubjectNotFound("no such identity")
        uow.consents.add(record)
        reopen_pending_packages(uow, subject_identity_id, recorded_by, now)
        uow.commit()
    return record


def _load(uow: TracingUnitOfWork, consent_id: str) -> ConsentRecord:
    if not _CONSENT_ID.fullmatch(consent_id or ""):
        raise InvalidConsent([("name", "must be consents/{consent} with a 32-character hex id")])
    record = uow.consents.get(consent_id)
    if record is None:
        raise ConsentNotFound("no such consent")
    return record


def withdraw_consent(uow: TracingUnitOfWork, consent_id: str, withdrawn_by: str,
                     now: datetime) -> ConsentRecord:
    """Withdraw a consent (or veto) at once; packages prepared under it must be prepared again."""
    with uow:
        record = _load(uow, consent_id)
        if not uow.consents.mark_withdrawn(consent_id, now, withdrawn_by):
            raise ConsentAlreadyWithdrawn("the consent was already withdrawn")
        reopen_pending_packages(uow, record.subject_identity_id, withdrawn_by, now)
        uow.commit()
        withdrawn = uow.consents.get(consent_id)
    assert withdrawn is not None
    return withdrawn


def get_consent(uow: TracingUnitOfWork, consent_id: str) -> ConsentRecord:
    with uow:
        return _load(uow, consent_id)


def list_consents(uow: TracingUnitOfWork, subject_identity_id: str) -> list[ConsentRecord]:
    """Every record for one person, oldest first, withdrawn ones included (the history)."""
    with uow:
        return uow.consents.for_subjects([subject_identity_id])
