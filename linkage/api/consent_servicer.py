"""ConsentService: translate, call `linkage.consent.service`, translate back; audited by the gate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import grpc

from linkage.api.errors import check_deadline
from linkage.api.idempotency import IdempotencyCache
from linkage.api.interceptors import current_call
from linkage.api.review_servicer import audit_id
from linkage.api.tracing_servicer import guarded, officer_id
from linkage.consent import service
from linkage.consent.model import ConsentChoice, ConsentRecord, ConsentScope, InvalidConsent, SubjectKind
from linkage.v1 import consent_service_pb2 as pb
from linkage.v1 import consent_service_pb2_grpc as pb_grpc

Clock = Callable[[], datetime]
CONSENT_PREFIX = "consents/"
IDENTITY_PREFIX = "identities/"
KIND_TO_PB = {k: pb.ConsentSubjectKind.Value(f"CONSENT_SUBJECT_KIND_{k.name}") for k in SubjectKind}
SCOPE_TO_PB = {s: pb.ConsentScope.Value(f"CONSENT_SCOPE_{s.name}") for s in ConsentScope}
CHOICE_TO_PB = {c: pb.ConsentChoice.Value(f"CONSENT_CHOICE_{c.name}") for c in ConsentChoice}
PB_TO_KIND = {v: k for k, v in KIND_TO_PB.items()}
PB_TO_SCOPE = {v: k for k, v in SCOPE_TO_PB.items()}
PB_TO_CHOICE = {v: k for k, v in CHOICE_TO_PB.items()}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _identity(name: str, path: str) -> str:
    if not name.startswith(IDENTITY_PREFIX) or len(name) == len(IDENTITY_PREFIX):
        raise InvalidConsent([(path, "must be identities/{identity}")])
    return unquote(name.removeprefix(IDENTITY_PREFIX))


def _consent_id(name: str) -> str:
    if not name.startswith(CONSENT_PREFIX) or len(name) == len(CONSENT_PREFIX):
        raise InvalidConsent([("name", "must be consents/{consent}")])
    return name.removeprefix(CONSENT_PREFIX)


def consent_to_message(record: ConsentRecord, now: datetime) -> pb.Consent:
    expired = record.expires_at is not None and record.expires_at <= now
    state = (pb.CONSENT_RECORD_STATE_WITHDRAWN if record.withdrawn_at is not None
             else pb.CONSENT_RECORD_STATE_EXPIRED if expired else pb.CONSENT_RECORD_STATE_IN_FORCE)
    message = pb.Consent(
        name=CONSENT_PREFIX + record.consent_id, subject=IDENTITY_PREFIX + record.subject_identity_id,
        subject_kind=KIND_TO_PB[record.subject_kind], scope=SCOPE_TO_PB[record.scope],
        choice=CHOICE_TO_PB[record.choice], evidence_ref=record.evidence_ref, recorded_by=record.recorded_by,
        withdrawn_by=record.withdrawn_by, state=state)
    message.create_time.FromDatetime(record.recorded_at)
    if record.expires_at is not None:
        message.expire_time.FromDatetime(record.expires_at)
    if record.withdrawn_at is not None:
        message.withdraw_time.FromDatetime(record.withdrawn_at)
    return message


def _note(records: list[ConsentRecord]) -> None:
    ids = [audit_id("consents", r.consent_id) for r in records]
    ids += sorted({audit_id("identities", r.subject_identity_id) for r in records})
    current_call().note_access(ids)


class ConsentServicer(pb_grpc.ConsentServiceServicer):
    def __init__(self, app: Any, clock: Clock | None = None,
                 idempotency: IdempotencyCache[bytes] | None = None) -> None:
        self._app = app
        self._clock: Clock = clock or (lambda: _utc_now())  # looked up per call, so tests can swap it
        self._idempotency: IdempotencyCache[bytes] = idempotency or IdempotencyCache()

    def _once(self, request: Any, compute: Callable[[], bytes]) -> bytes:
        fingerprint = type(request)(**{f.name: getattr(request, f.name) for f, _ in request.ListFields()
                                       if f.name != "idempotency_key"}).SerializeToString(deterministic=True)
        return self._idempotency.run(request.idempotency_key, fingerprint, compute, scope=officer_id())

    @guarded
    def RecordConsent(self, request: pb.RecordConsentRequest,
                      context: grpc.ServicerContext) -> pb.RecordConsentResponse:
        officer = officer_id()
        given = request.consent
        subject = _identity(given.subject, "consent.subject")
        expires = given.expire_time.ToDatetime(UTC) if given.HasField("expire_time") else None

        def compute() -> bytes:
            check_deadline(context)
            now = self._clock()
            record = service.record_consent(
                self._app.uow(), subject, PB_TO_KIND.get(given.subject_kind, ""),
                PB_TO_SCOPE.get(given.scope, ""), PB_TO_CHOICE.get(given.choice, ""), given.evidence_ref,
                officer, now, expires)
            _note([record])
            return pb.RecordConsentResponse(consent=consent_to_message(record, now)).SerializeToString()

        return pb.RecordConsentResponse.FromString(self._once(request, compute))

    @guarded
    def WithdrawConsent(self, request: pb.WithdrawConsentRequest,
                        context: grpc.ServicerContext) -> pb.WithdrawConsentResponse:
        officer, consent_id = officer_id(), _consent_id(request.name)

        def compute() -> bytes:
            check_deadline(context)
            now = self._clock()
            record = service.withdraw_consent(self._app.uow(), consent_id, officer, now)
            _note([record])
            return pb.WithdrawConsentResponse(consent=consent_to_message(record, now)).SerializeToString()

        return pb.WithdrawConsentResponse.FromString(self._once(request, compute))

    @guarded
    def GetConsent(self, request: pb.GetConsentRequest,
                   context: grpc.ServicerContext) -> pb.GetConsentResponse:
        record = service.get_consent(self._app.uow(), _consent_id(request.name))
        _note([record])
        return pb.GetConsentResponse(consent=consent_to_message(record, self._clock()))

    @guarded
    def ListConsents(self, request: pb.ListConsentsRequest,
                     context: grpc.ServicerContext) -> pb.ListConsentsResponse:
        records = service.list_consents(self._app.uow(), _identity(request.subject, "subject"))
        _note(records)
        now = self._clock()
        return pb.ListConsentsResponse(consents=[consent_to_message(r, now) for r in records])
