"""Turn exceptions into rich gRPC statuses: the right code, a fixed message, typed details.

Every error leaves the server as a `google.rpc.Status` with an `ErrorInfo` (domain "linkage.v1") and,
for bad input, a `BadRequest` listing each invalid field. Messages are fixed per kind of error and
never carry the exception's text, which may hold personal data; unexpected errors are logged with
their stack but without their message, and answered INTERNAL, never with a traceback.

Handlers never call `context.abort` themselves: they raise, and `unary_errors`/`stream_errors` do
the aborting, so any exception those decorators see is a real one.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import grpc
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from linkage.errors import AlreadyExists, FailedPrecondition, InvalidRecord, LinkageError, NotFound

log = logging.getLogger(__name__)

ERROR_DOMAIN = "linkage.v1"

Handler = TypeVar("Handler", bound=Callable[..., Any])


class DeadlineExpired(LinkageError):
    """The caller's deadline passed before the work was done; nothing was written."""


class PermissionDenied(LinkageError):
    """An authenticated caller may not do this to this resource (a policy condition, four eyes).

    The gate refuses by role and purpose before the servicer runs; this is the servicer's refusal once
    it has loaded the resource. Subclasses set `reason` (e.g. "POLICY_DENIED"); the message the caller
    gets is the fixed one of the kind, so nothing about the resource leaks through it.
    """

    reason = "PERMISSION_DENIED"


@dataclass(frozen=True)
class _Kind:
    code: int
    reason: str
    message: str


# Most specific first: the first class the exception is an instance of decides.
_KINDS: list[tuple[type[BaseException], _Kind]] = [
    (InvalidRecord, _Kind(code_pb2.INVALID_ARGUMENT, "INVALID_RECORD", "the request has invalid fields")),
    (NotFound, _Kind(code_pb2.NOT_FOUND, "NOT_FOUND", "the requested resource does not exist")),
    (PermissionDenied, _Kind(code_pb2.PERMISSION_DENIED, "PERMISSION_DENIED", "permission denied")),
    (AlreadyExists, _Kind(code_pb2.ALREADY_EXISTS, "ALREADY_EXISTS", "the resource already exists")),
    (FailedPrecondition, _Kind(code_pb2.FAILED_PRECONDITION, "FAILED_PRECONDITION",
                               "the system is not in the state this operation needs")),
    (DeadlineExpired, _Kind(code_pb2.DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED",
                            "the deadline expired before the work was done; nothing was written")),
]
_INTERNAL = _Kind(code_pb2.INTERNAL, "INTERNAL", "internal error")


def error_reason(error: BaseException) -> str:
    """The ErrorInfo reason for an error: its own `reason` attribute, else its kind's."""
    return getattr(error, "reason", None) or _kind_of(error).reason


def status_for(error: BaseException) -> status_pb2.Status:
    """The google.rpc.Status a caller receives for this error."""
    kind = _kind_of(error)
    status = status_pb2.Status(code=kind.code, message=kind.message)
    info = error_details_pb2.ErrorInfo(reason=error_reason(error), domain=ERROR_DOMAIN)
    status.details.add().Pack(info)
    if isinstance(error, InvalidRecord):
        bad_request = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=path, description=reason)
                for path, reason in error.violations
            ]
        )
        status.details.add().Pack(bad_request)
    return status


def _kind_of(error: BaseException) -> _Kind:
    for cls, kind in _KINDS:
        if isinstance(error, cls):
            return kind
    return _INTERNAL


def _abort(context: grpc.ServicerContext, error: BaseException) -> None:
    kind = _kind_of(error)
    if kind is _INTERNAL:
        # The stack, but not the message: messages of library errors may quote personal data.
        stack = "".join(traceback.format_tb(error.__traceback__))
        log.error("internal error %s in handler\n%s", type(error).__name__, stack)
    context.abort_with_status(rpc_status.to_status(status_for(error)))


def unary_errors(handler: Handler) -> Handler:
    """Wrap a unary servicer method so every exception becomes a proper status."""

    @functools.wraps(handler)
    def wrapper(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
        try:
            return handler(self, request, context)
        except Exception as error:  # every error must become a status
            _abort(context, error)

    return wrapper  # type: ignore[return-value]


def stream_errors(handler: Handler) -> Handler:
    """Wrap a response-streaming servicer method (a generator) the same way."""

    @functools.wraps(handler)
    def wrapper(self: Any, request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
        try:
            yield from handler(self, request, context)
        except Exception as error:  # every error must become a status
            if not context.is_active() and not isinstance(error, LinkageError):
                return  # the caller cancelled or timed out: reading its stream failed, nobody to answer
            _abort(context, error)

    return wrapper  # type: ignore[return-value]


def check_deadline(context: grpc.ServicerContext) -> None:
    """Raise DeadlineExpired when the caller has stopped waiting (deadline passed or cancelled)."""
    if context.time_remaining() <= 0 or not context.is_active():
        raise DeadlineExpired()
