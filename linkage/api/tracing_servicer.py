"""TracingService: translate, ask the policy about the loaded trace, call `linkage.tracing.service`.

The gate has already allowed the action for the caller's role and purpose. Actions on an existing trace
have conditions (a caseworker acts on the traces they opened; approvers and releasers are second
officers), so each handler loads the trace, asks `current_call().authorize(Resource(...))`, and only
then acts; a refusal is PERMISSION_DENIED with reason "POLICY_DENIED". Each call notes the trace and
the identities it touched, and the package fields it returned, for the gate's audit entry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import grpc

from linkage.api import convert
from linkage.api.errors import PermissionDenied, check_deadline, unary_errors
from linkage.api.idempotency import IdempotencyCache
from linkage.api.interceptors import current_call
from linkage.api.review_servicer import audit_id
from linkage.domain import Sex
from linkage.errors import FailedPrecondition
from linkage.security.policy import Resource
from linkage.tracing import service
from linkage.tracing.disclosure import DEFAULT_POLICY, DisclosurePolicy
from linkage.tracing.model import AdopteeRequest, InvalidTraceRequest, LinkStatus, Package, Trace, TraceState
from linkage.tracing.service import FourEyesViolation
from linkage.v1 import person_pb2
from linkage.v1 import tracing_service_pb2 as pb
from linkage.v1 import tracing_service_pb2_grpc as pb_grpc

Clock = Callable[[], datetime]
TRACE_PREFIX = "traces/"
STATE_TO_PB = {s: pb.TraceState.Value(f"TRACE_STATE_{s.name}") for s in TraceState}
LINK_TO_PB = {s: pb.TraceLinkStatus.Value(f"TRACE_LINK_STATUS_{s.name}") for s in LinkStatus}


class AccessDenied(PermissionDenied):
    """The policy refused the action on this particular trace (or consent)."""

    reason = "POLICY_DENIED"


class FourEyesDenied(PermissionDenied):
    """The service refused an officer acting twice on one trace (opened or prepared, then approved)."""

    reason = FourEyesViolation.reason


class NoAuthenticatedOfficer(FailedPrecondition):
    reason = "SECURITY_GATE_REQUIRED"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def officer_id() -> str:
    try:
        return current_call().principal.id
    except RuntimeError:
        raise NoAuthenticatedOfficer("tracing actions need an authenticated officer") from None


def authorize(kind: str, resource_id: str, opened_by: str = "", prepared_by: str = "",
              approved_by: str = "") -> None:
    """Ask the policy again with what the action is on; raise AccessDenied with its reason if refused."""
    decision = current_call().authorize(Resource(kind, resource_id, opened_by, prepared_by, approved_by))
    if not decision.allowed:
        raise AccessDenied(decision.reason)


def guarded(handler: Callable) -> Callable:
    """`unary_errors`, with the service's four-eyes refusal answered PERMISSION_DENIED like the policy's."""

    @functools.wraps(handler)
    def refusing(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
        try:
            return handler(self, request, context)
        except FourEyesViolation:
            raise FourEyesDenied() from None

    return unary_errors(refusing)


def trace_id_from_name(name: str) -> str:
    if not name.startswith(TRACE_PREFIX) or len(name) == len(TRACE_PREFIX):
        raise InvalidTraceRequest([("name", "must be traces/{trace}")])
    return name.removeprefix(TRACE_PREFIX)


def request_from_message(message: pb.AdopteeDetails) -> AdopteeRequest:
    sex = convert.PB_TO_SEX.get(message.sex)
    if sex is None:
        raise InvalidTraceRequest([("adoptee.sex", "unknown sex")])
    return AdopteeRequest(
        adoptive_name=message.adoptive_name, vietnamese_name=message.vietnamese_name,
        birth_date=message.birth_date, birth_place=message.birth_place, sex=sex.value,
        mother_name=message.mother_name, father_name=message.father_name,
        adoption_file_ref=message.adoption_file_ref, adoptee_consent_ref=message.adoptee_consent_ref,
        identity_check_ref=message.identity_check_ref, via_adoptive_parents=message.via_adoptive_parents)


def package_to_message(package: Package) -> pb.DisclosurePackage:
    return pb.DisclosurePackage(
        fields=[pb.DisclosedField(field=f.field, value=f.value, rule=f.rule) for f in package.fields],
        withheld=[pb.WithheldInformation(category=w.category, rule=w.rule, reason=w.reason)
                  for w in package.withheld],
        policy_version=package.policy_version, evaluate_date=package.evaluated_on.isoformat())


def trace_to_message(trace: Trace) -> pb.Trace:
    r = trace.request
    message = pb.Trace(
        name=TRACE_PREFIX + trace.trace_id, state=STATE_TO_PB[trace.state],
        adoptee=pb.AdopteeDetails(
            adoptive_name=r.adoptive_name, vietnamese_name=r.vietnamese_name, birth_date=r.birth_date,
            birth_place=r.birth_place, sex=convert.SEX_TO_PB.get(Sex(r.sex), person_pb2.SEX_UNSPECIFIED),
            mother_name=r.mother_name, father_name=r.father_name, adoption_file_ref=r.adoption_file_ref,
            adoptee_consent_ref=r.adoptee_consent_ref, identity_check_ref=r.identity_check_ref,
            via_adoptive_parents=r.via_adoptive_parents),
        subjects=[pb.TraceSubject(role=s.role, status=LINK_TO_PB[s.status],
                                  identity=convert.identity_name(s.identity_id) if s.identity_id else "",
                                  relationship=s.relationship) for s in trace.subjects],
        opened_by=trace.opened_by, prepared_by=trace.prepared_by, approved_by=trace.approved_by,
        released_by=trace.released_by, etag=str(trace.version))
    if trace.package is not None:
        message.package.CopyFrom(package_to_message(trace.package))
    for event in trace.events:
        item = message.events.add(actor=event.actor, kind=event.kind, note=event.note)
        item.time.FromDatetime(event.at)
    message.create_time.FromDatetime(trace.opened_at)
    message.update_time.FromDatetime(trace.updated_at)
    return message


def note_trace(trace: Trace) -> None:
    """Audit: the trace, every identity it concerns, and the package fields that left with the answer."""
    ids = [audit_id("traces", trace.trace_id)]
    ids += [audit_id("identities", s.identity_id) for s in trace.subjects if s.identity_id]
    noted = set(current_call().resource_ids)
    ids = [i for i in dict.fromkeys(ids) if i not in noted]
    fields = frozenset({"trace_id", "trace_state"})
    if trace.package is not None:
        fields |= {f"disclosure_package.{f.field}" for f in trace.package.fields} | {"withheld"}
    current_call().note_access(ids, fields)


class TracingServicer(pb_grpc.TracingServiceServicer):
    def __init__(self, app: Any, clock: Clock | None = None, policy: DisclosurePolicy = DEFAULT_POLICY,
                 idempotency: IdempotencyCache[bytes] | None = None) -> None:
        self._app, self._policy = app, policy
        self._clock: Clock = clock or (lambda: _utc_now())  # looked up per call, so tests can swap it
        self._idempotency: IdempotencyCache[bytes] = idempotency or IdempotencyCache()

    def _load_authorized(self, name: str) -> Trace:
        trace_id = trace_id_from_name(name)
        trace = service.get_trace(self._app.uow(), trace_id)
        current_call().note_access([audit_id("traces", trace.trace_id)])  # a refusal names the trace too
        authorize("trace", trace.trace_id, trace.opened_by, trace.prepared_by, trace.approved_by)
        return trace

    def _once(self, request: Any, compute: Callable[[], bytes]) -> bytes:
        fingerprint = type(request)(**{f.name: getattr(request, f.name) for f, _ in request.ListFields()
                                       if f.name != "idempotency_key"}).SerializeToString(deterministic=True)
        return self._idempotency.run(request.idempotency_key, fingerprint, compute, scope=officer_id())

    @guarded
    def OpenTrace(self, request: pb.OpenTraceRequest, context: grpc.ServicerContext) -> pb.OpenTraceResponse:
        caseworker = officer_id()
        details = request_from_message(request.adoptee)

        def compute() -> bytes:
            check_deadline(context)
            trace = service.open_trace(self._app.uow, self._app.matcher, details, caseworker, self._clock())
            note_trace(trace)
            return pb.OpenTraceResponse(trace=trace_to_message(trace)).SerializeToString()

        return pb.OpenTraceResponse.FromString(self._once(request, compute))

    @guarded
    def GetTrace(self, request: pb.GetTraceRequest, context: grpc.ServicerContext) -> pb.GetTraceResponse:
        trace = self._load_authorized(request.name)
        note_trace(trace)
        return pb.GetTraceResponse(trace=trace_to_message(trace))

    @guarded
    def PrepareTrace(self, request: pb.PrepareTraceRequest,
                     context: grpc.ServicerContext) -> pb.PrepareTraceResponse:
        trace = self._load_authorized(request.name)
        caseworker = officer_id()

        def compute() -> bytes:
            check_deadline(context)
            prepared = service.prepare_trace(self._app.uow, self._app.matcher, trace.trace_id, caseworker,
                                             self._clock(), self._policy)
            note_trace(prepared)
            return pb.PrepareTraceResponse(trace=trace_to_message(prepared)).SerializeToString()

        return pb.PrepareTraceResponse.FromString(self._once(request, compute))

    @guarded
    def ApproveTrace(self, request: pb.ApproveTraceRequest,
                     context: grpc.ServicerContext) -> pb.ApproveTraceResponse:
        trace = self._load_authorized(request.name)

        def compute() -> bytes:
            check_deadline(context)
            approved = service.approve_trace(self._app.uow(), trace.trace_id, officer_id(), self._clock(),
                                             request.etag, self._policy)
            note_trace(approved)
            return pb.ApproveTraceResponse(trace=trace_to_message(approved)).SerializeToString()

        return pb.ApproveTraceResponse.FromString(self._once(request, compute))

    @guarded
    def ReturnTrace(self, request: pb.ReturnTraceRequest,
                    context: grpc.ServicerContext) -> pb.ReturnTraceResponse:
        trace = self._load_authorized(request.name)

        def compute() -> bytes:
            check_deadline(context)
            returned = service.return_trace(self._app.uow(), trace.trace_id, officer_id(), self._clock(),
                                            request.etag)
            note_trace(returned)
            return pb.ReturnTraceResponse(trace=trace_to_message(returned)).SerializeToString()

        return pb.ReturnTraceResponse.FromString(self._once(request, compute))

    @guarded
    def ReleaseTrace(self, request: pb.ReleaseTraceRequest,
                     context: grpc.ServicerContext) -> pb.ReleaseTraceResponse:
        trace = self._load_authorized(request.name)

        def compute() -> bytes:
            check_deadline(context)
            released = service.release_trace(self._app.uow(), trace.trace_id, officer_id(), self._clock(),
                                             request.etag, self._policy)
            note_trace(released)
            return pb.ReleaseTraceResponse(trace=trace_to_message(released)).SerializeToString()

        return pb.ReleaseTraceResponse.FromString(self._once(request, compute))
