"""The security gate in front of every RPC: authenticate, authorise, rate-limit, audit.

Who is calling:
- An institution presents a client certificate signed by the service's CA (mutual TLS); its common
  name is looked up in the agreement table (`Institutions`) to give its role and allowed purposes. It
  may declare one of those purposes in the `x-linkage-purpose` metadata; otherwise its default.
- A person sends `authorization: Bearer <token>` (Ed25519 JWS, see `linkage.security.tokens`).
- When both are present, **the token wins**: the person it names is the caller, and the certificate
  only proves the channel (people reach the service through tools that hold a client certificate).
  A token that fails verification is refused outright; it never falls back to the certificate.

Then the method is mapped to an action (`METHOD_ACTIONS`, deny for unknown methods), the caller's
bucket is charged (RESOURCE_EXHAUSTED when empty), the policy decides (PERMISSION_DENIED), and the
call runs with `current_call()` available to the servicer. Every call except health and reflection,
refused or not, appends an audit entry with its outcome; a call whose audit entry cannot be written
fails (INTERNAL) rather than returning data unaudited. Work a servicer leaves to finish before the answer
(`CallContext.defer_sync`: a store commit still on its way to the disk) starts on another thread at once
and runs while the answer is built and the entry written, so the two flushes overlap; the caller is
answered only when both are done.
Refusals carry a `google.rpc.Status` with an `ErrorInfo` whose reason is a stable code and whose
message never holds personal data.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import grpc
from google.protobuf import duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from linkage.security.audit import AuditLog
from linkage.security.errors import AuthenticationError
from linkage.security.policy import Action, Decision, Resource, decide
from linkage.security.principal import Institutions, Principal
from linkage.security.ratelimit import RateLimiter
from linkage.security.tokens import TokenVerifier

log = logging.getLogger(__name__)

ERROR_DOMAIN = "linkage.v1"
PURPOSE_METADATA = "x-linkage-purpose"

# Health checks and reflection carry no personal data and must work for probes and grpcurl.
PUBLIC_METHODS = frozenset({
    "/grpc.health.v1.Health/Check",
    "/grpc.health.v1.Health/Watch",
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
})

_S = "/linkage.v1."
METHOD_ACTIONS: Mapping[str, Action] = {
    f"{_S}LinkageService/MatchRecord": Action.LINKAGE_MATCH,
    f"{_S}LinkageService/LinkRecords": Action.LINKAGE_LINK_BATCH,
    f"{_S}LinkageService/GetLink": Action.LINKAGE_GET_LINK,
    f"{_S}ReviewService/ListReviewCases": Action.REVIEW_LIST,
    f"{_S}ReviewService/ClaimReviewCase": Action.REVIEW_CLAIM,
    f"{_S}ReviewService/DecideReviewCase": Action.REVIEW_DECIDE,
    f"{_S}ReviewService/UndoReviewDecision": Action.REVIEW_UNDO,
    f"{_S}ReviewService/EscalateReviewCase": Action.REVIEW_ESCALATE,
    f"{_S}TracingService/OpenTrace": Action.TRACING_OPEN,
    f"{_S}TracingService/PrepareTrace": Action.TRACING_PREPARE,
    f"{_S}TracingService/ApproveTrace": Action.TRACING_APPROVE,
    f"{_S}TracingService/ReturnTrace": Action.TRACING_APPROVE,  # the approver's other answer, same four eyes
    f"{_S}TracingService/ReleaseTrace": Action.TRACING_RELEASE,
    f"{_S}TracingService/GetTrace": Action.TRACING_GET,
    f"{_S}ConsentService/RecordConsent": Action.CONSENT_RECORD,
    f"{_S}ConsentService/WithdrawConsent": Action.CONSENT_WITHDRAW,
    f"{_S}ConsentService/GetConsent": Action.CONSENT_GET,
    f"{_S}ConsentService/ListConsents": Action.CONSENT_GET,
    f"{_S}AuditService/ListAuditEntries": Action.AUDIT_READ,
    f"{_S}AuditService/VerifyAuditLog": Action.AUDIT_VERIFY,
    f"{_S}AdminService/RotateKeys": Action.ADMIN_KEYS_ROTATE,
    f"{_S}AdminService/TrainModel": Action.ADMIN_TRAIN,
}


@dataclass
class CallContext:
    """What the gate established for the current call; servicers read it, and add what they touched."""

    principal: Principal
    action: Action
    decision: Decision
    resource_ids: list[str] = field(default_factory=list)
    fields: set[str] | None = None
    start: Callable[[Callable[[], None]], Future[None]] | None = None  # runs work on another thread
    before_answer: list[Future[None]] = field(default_factory=list)

    def note_access(self, resource_ids: list[str] | tuple[str, ...] = (),
                    fields: frozenset[str] | None = None) -> None:
        """Record which records (ids) and fields the call actually read or changed, for the audit entry."""
        self.resource_ids.extend(resource_ids)
        if fields is not None:
            self.fields = (self.fields or set()) | set(fields)

    def defer_sync(self, work: Callable[[], None]) -> None:
        """Start `work` (making a commit durable) now, on another thread, and finish it before the caller
        is answered, alongside the audit entry's flush; unary calls only (a stream answers as it goes)."""
        if self.start is None:
            work()
            return
        self.before_answer.append(self.start(work))

    def authorize(self, resource: Resource) -> Decision:
        """Ask the policy again with the loaded resource (required when `decision.needs_resource`)."""
        return decide(self.principal, self.action, self.principal.purpose, resource)


_current: contextvars.ContextVar[CallContext | None] = contextvars.ContextVar("linkage_call", default=None)


def current_call() -> CallContext:
    """The gate's record of the running call; raises outside an authenticated call."""
    call = _current.get()
    if call is None:
        raise RuntimeError("no authenticated call in progress")
    return call


def current_principal() -> Principal:
    return current_call().principal


class Refused(Exception):  # noqa: N818 - a control-flow signal, not an error of ours
    """A call the gate turns away: the gRPC status and the stable reason it answers with."""

    def __init__(self, code: int, grpc_code: grpc.StatusCode, reason: str, message: str,
                 retry_after_s: float = 0.0) -> None:
        super().__init__(message)
        self.code, self.grpc_code, self.reason, self.message = code, grpc_code, reason, message
        self.retry_after_s = retry_after_s

    def status(self, action: str) -> grpc.Status:
        status = status_pb2.Status(code=self.code, message=self.message)
        status.details.add().Pack(error_details_pb2.ErrorInfo(reason=self.reason, domain=ERROR_DOMAIN,
                                                              metadata={"action": action}))
        if self.retry_after_s:
            seconds = max(self.retry_after_s, 0.001)
            delay = duration_pb2.Duration(seconds=int(seconds), nanos=int((seconds % 1) * 1e9))
            status.details.add().Pack(error_details_pb2.RetryInfo(retry_delay=delay))
        return rpc_status.to_status(status)


class Authenticator:
    """Turns a call's TLS peer and metadata into a `Principal` (see the module docstring for the rule)."""

    def __init__(self, institutions: Institutions, tokens: TokenVerifier | None) -> None:
        self.institutions, self.tokens = institutions, tokens

    def authenticate(self, auth_context: Mapping[str, list[bytes]],
                     metadata: Mapping[str, list[str]]) -> Principal:
        authorization = metadata.get("authorization", [])
        purposes = metadata.get(PURPOSE_METADATA, [])
        if len(authorization) > 1 or len(purposes) > 1:
            raise AuthenticationError("more than one authorization or purpose header",
                                      "AMBIGUOUS_CREDENTIALS")
        declared_purpose = purposes[0] if purposes else None
        if authorization:
            scheme, _, token = authorization[0].partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise AuthenticationError("authorization must be 'Bearer <token>'", "TOKEN_MALFORMED")
            if self.tokens is None:
                raise AuthenticationError("this server does not accept tokens", "TOKEN_NOT_ACCEPTED")
            person = self.tokens.verify(token.strip())
            # A person's purpose is fixed when the token is issued; a call cannot switch it.
            if declared_purpose is not None and declared_purpose != person.purpose.value:
                raise AuthenticationError("declared purpose differs from the token's", "PURPOSE_MISMATCH")
            return person
        common_names = auth_context.get("x509_common_name", [])
        if len(common_names) != 1:
            raise AuthenticationError("no client certificate and no token", "NO_CREDENTIALS")
        common_name = common_names[0].decode("utf-8", "replace")
        return self.institutions.principal_for(common_name, declared_purpose)


class SecurityInterceptor(grpc.ServerInterceptor):
    """Authenticate, map to an action, rate-limit, authorise, run with `current_call()`, audit."""

    def __init__(self, authenticator: Authenticator, audit_log: AuditLog | None,
                 rate_limiter: RateLimiter | None = None,
                 method_actions: Mapping[str, Action] = METHOD_ACTIONS,
                 public_methods: frozenset[str] = PUBLIC_METHODS,
                 policy: Callable[..., Decision] = decide) -> None:
        self.authenticator, self.audit_log, self.rate_limiter = authenticator, audit_log, rate_limiter
        self.method_actions, self.public_methods, self.policy = dict(method_actions), public_methods, policy
        # runs calls' `before_answer` work while their handler thread writes the audit entry
        self._syncer = ThreadPoolExecutor(max_workers=4, thread_name_prefix="linkage-sync")

    def intercept_service(self, continuation: Callable, handler_call_details: grpc.HandlerCallDetails):
        handler = continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method in self.public_methods:
            return handler
        wrap = self._wrap_stream if handler.response_streaming else self._wrap_unary
        kind = ("stream" if handler.request_streaming else "unary") + "_" + (
            "stream" if handler.response_streaming else "unary")
        inner = getattr(handler, kind)
        factory = getattr(grpc, f"{kind}_rpc_method_handler")
        return factory(wrap(method, inner), request_deserializer=handler.request_deserializer,
                       response_serializer=handler.response_serializer)

    # --- admission ----------------------------------------------------------------------------------
    def _admit(self, method: str, context: grpc.ServicerContext) -> CallContext:
        action = self.method_actions.get(method)
        principal: Principal | None = None
        try:
            if action is None:
                raise Refused(code_pb2.PERMISSION_DENIED, grpc.StatusCode.PERMISSION_DENIED, "UNKNOWN_METHOD",
                              "this method is not open to any caller")
            try:
                metadata: dict[str, list[str]] = {}
                for key, value in context.invocation_metadata() or ():
                    if isinstance(value, str):
                        metadata.setdefault(key.lower(), []).append(value)
                principal = self.authenticator.authenticate(context.auth_context() or {}, metadata)
            except AuthenticationError as error:
                # Failed attempts draw on a bucket per client address, so tokens cannot be guessed at speed.
                if self.rate_limiter is not None:
                    wait = self.rate_limiter.acquire(f"unauthenticated:{_peer_host(context.peer())}")
                    if wait > 0:
                        raise Refused(code_pb2.RESOURCE_EXHAUSTED, grpc.StatusCode.RESOURCE_EXHAUSTED,
                                      "RATE_LIMITED", "too many failed attempts; retry later",
                                      retry_after_s=wait) from None
                raise Refused(code_pb2.UNAUTHENTICATED, grpc.StatusCode.UNAUTHENTICATED, error.reason,
                              f"authentication failed: {error}") from None
            if self.rate_limiter is not None:
                wait = self.rate_limiter.acquire(f"{principal.kind}:{principal.id}")
                if wait > 0:
                    raise Refused(code_pb2.RESOURCE_EXHAUSTED, grpc.StatusCode.RESOURCE_EXHAUSTED,
                                  "RATE_LIMITED", "too many calls; retry later", retry_after_s=wait)
            decision = self.policy(principal, action, principal.purpose)
            if not decision.allowed:
                raise Refused(code_pb2.PERMISSION_DENIED, grpc.StatusCode.PERMISSION_DENIED, "POLICY_DENIED",
                              f"permission denied: {decision.reason}")
            return CallContext(principal, action, decision, start=self._syncer.submit)
        except Refused as refused:
            outcome = f"refused:{refused.reason}"
            self._audit_refusal(principal, action, outcome)
            context.abort_with_status(refused.status(str(action or "unknown")))
            raise  # abort_with_status raises; this line is for type checkers

    # --- wrappers -----------------------------------------------------------------------------------
    def _wrap_unary(self, method: str, inner: Callable) -> Callable:
        def behaviour(request, context: grpc.ServicerContext):
            call = self._admit(method, context)
            token = _current.set(call)
            try:
                response = inner(request, context)
            except BaseException:
                self._finish(call, _outcome(context, failed=True), context, fail_closed=False)
                raise
            finally:
                _current.reset(token)
            self._finish(call, _outcome(context, failed=False), context, fail_closed=True)
            return response

        return behaviour

    def _wrap_stream(self, method: str, inner: Callable) -> Callable:
        def behaviour(request, context: grpc.ServicerContext) -> Iterator:
            call = self._admit(method, context)
            failed = True
            token = _current.set(call)
            try:
                yield from inner(request, context)
                failed = False
            finally:
                # A generator closed by the garbage collector may finish in another context.
                with contextlib.suppress(ValueError):
                    _current.reset(token)
                self._finish(call, _outcome(context, failed=failed), context, fail_closed=False)

        return behaviour

    # --- audit --------------------------------------------------------------------------------------
    def _finish(self, call: CallContext, outcome: str, context: grpc.ServicerContext,
                fail_closed: bool) -> None:
        """Audit the call while its `before_answer` work runs on another thread; return when both are done.

        Should that work fail (a store that could not flush), the entry already says how the call went
        as far as it knew: a second entry says it then failed, and the caller gets INTERNAL.
        """
        pending, call.before_answer = call.before_answer, []
        try:
            self._audit_call(call, outcome, context, fail_closed)
        finally:
            try:
                for work in pending:
                    work.result()
            except Exception:
                log.exception("a %s call's store commit could not be made durable", call.action.value)
                self._audit_call(call, "error:INTERNAL", context, fail_closed=False)
                if fail_closed:
                    status = Refused(code_pb2.INTERNAL, grpc.StatusCode.INTERNAL, "STORE_UNAVAILABLE",
                                     "the result could not be stored durably")
                    context.abort_with_status(status.status(call.action.value))

    def _audit_refusal(self, principal: Principal | None, action: Action | None, outcome: str) -> None:
        if self.audit_log is None:
            return
        try:
            self.audit_log.append(
                principal_id=principal.id if principal else "-",
                principal_kind=principal.kind if principal else "anonymous",
                role=principal.role.value if principal else "-",
                action=action.value if action else "unknown",
                purpose=principal.purpose.value if principal else "-", outcome=outcome)
        except Exception:  # noqa: BLE001 - the call is refused anyway; make the failure loud
            log.exception("could not write the audit entry for a refused call")

    def _audit_call(self, call: CallContext, outcome: str, context: grpc.ServicerContext,
                    fail_closed: bool) -> None:
        if self.audit_log is None:
            return
        fields = call.fields if call.fields is not None else call.decision.fields
        try:
            self.audit_log.append(
                principal_id=call.principal.id, principal_kind=call.principal.kind,
                role=call.principal.role.value, action=call.action.value,
                purpose=call.principal.purpose.value, outcome=outcome, resource_ids=call.resource_ids,
                fields=sorted(fields))
        except Exception:
            log.exception("could not write the audit entry for %s", call.action.value)
            if fail_closed:
                status = Refused(code_pb2.INTERNAL, grpc.StatusCode.INTERNAL, "AUDIT_UNAVAILABLE",
                                 "the call could not be audited; no data was returned")
                context.abort_with_status(status.status(call.action.value))


def _peer_host(peer: str) -> str:
    """'ipv4:10.0.0.7:51234' -> '10.0.0.7'; 'ipv6:[::1]:5' -> '[::1]' (the port changes per connection)."""
    address = peer.split(":", 1)[1] if ":" in peer else peer
    return address.rsplit(":", 1)[0] if address.count(":") >= 1 else address


def _outcome(context: grpc.ServicerContext, failed: bool) -> str:
    code = context.code()
    if isinstance(code, grpc.StatusCode) and code is not grpc.StatusCode.OK:
        return f"error:{code.name}"
    return "error:UNKNOWN" if failed else "ok"
