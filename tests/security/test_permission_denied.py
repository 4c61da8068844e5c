"""PERMISSION_DENIED is a kind of `linkage.api.errors`: the servicers' refusals (policy conditions on a
loaded trace or consent, four eyes) leave as it with an ErrorInfo reason and a fixed message."""

from __future__ import annotations

import pytest
from google.rpc import code_pb2, error_details_pb2

from linkage.api.errors import ERROR_DOMAIN, PermissionDenied, status_for
from linkage.api.tracing_servicer import AccessDenied, FourEyesDenied, guarded
from linkage.tracing.service import FourEyesViolation


def _info(error: BaseException) -> tuple[int, str, str, str]:
    status = status_for(error)
    info = error_details_pb2.ErrorInfo()
    assert len(status.details) == 1 and status.details[0].Unpack(info)
    return status.code, status.message, info.reason, info.domain


def test_refusals_are_permission_denied_with_their_reason_and_a_fixed_message() -> None:
    personal = "a caseworker may act only on the traces they opened: Nguyễn Thị Lan"
    assert _info(PermissionDenied()) == (code_pb2.PERMISSION_DENIED, "permission denied", "PERMISSION_DENIED",
                                         ERROR_DOMAIN)
    assert _info(AccessDenied(personal)) == (code_pb2.PERMISSION_DENIED, "permission denied", "POLICY_DENIED",
                                             ERROR_DOMAIN)
    assert _info(FourEyesDenied()) == (code_pb2.PERMISSION_DENIED, "permission denied", "FOUR_EYES_REQUIRED",
                                       ERROR_DOMAIN)


class _Aborted(Exception):
    pass


class _Context:
    """The one method of a servicer context the error wrappers call."""

    def __init__(self) -> None:
        self.status = None

    def abort_with_status(self, status: object) -> None:
        self.status = status
        raise _Aborted


def test_the_tracing_servicers_wrapper_answers_four_eyes_as_permission_denied() -> None:
    @guarded
    def approve(self: object, request: object, context: object) -> None:
        raise FourEyesViolation("officer-1 opened this trace")

    context = _Context()
    with pytest.raises(_Aborted):
        approve(None, None, context)
    assert context.status is not None
    assert context.status.code.name == "PERMISSION_DENIED"  # type: ignore[attr-defined]
    assert context.status.details == "permission denied"  # type: ignore[attr-defined]
    assert "officer-1" not in str(context.status.trailing_metadata)  # type: ignore[attr-defined]
