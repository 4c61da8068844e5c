"""LinkageService: translate the request, call `linkage.services.linking`, translate the answer.

Nothing here decides anything about records or about who may see what: the security gate has already
asked the policy, and every response is cut down to the fields its `Decision.fields` allow
(`convert.redact`) and the records and fields returned are noted for the audit entry
(`current_call().note_access`). Errors are raised and turned into statuses by the
decorators of `linkage.api.errors`. Deadlines are checked before matching and again before the
result is written, so a call whose caller stopped waiting writes nothing.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from urllib.parse import unquote

import grpc

from linkage.api import convert
from linkage.api.errors import check_deadline, error_reason, stream_errors, unary_errors
from linkage.api.idempotency import IdempotencyCache, IdempotencyKeyReused
from linkage.api.interceptors import current_call
from linkage.bootstrap import App
from linkage.domain import MatchResult, PersonRecord
from linkage.errors import InvalidRecord
from linkage.ports import Matcher
from linkage.services.linking import get_link, match_record
from linkage.v1 import linkage_service_pb2 as pb
from linkage.v1 import linkage_service_pb2_grpc as pb_grpc
from linkage.v1 import match_pb2


class LinkageServicer(pb_grpc.LinkageServiceServicer):
    def __init__(self, app: App, idempotency: IdempotencyCache[bytes] | None = None) -> None:
        self._app = app
        self._idempotency: IdempotencyCache[bytes] = idempotency or IdempotencyCache()
        # SQLite takes one writer at a time; server threads queue here instead of busy-polling the file
        self._write_lock: AbstractContextManager[object] = (
            threading.Lock() if app.store.dialect == "sqlite" else contextlib.nullcontext())

    @unary_errors
    def MatchRecord(
        self, request: pb.MatchRecordRequest, context: grpc.ServicerContext
    ) -> pb.MatchRecordResponse:
        record, key = convert.match_request(request)
        return pb.MatchRecordResponse(result=self._match(record, key, request, context, unary=True))

    @stream_errors
    def LinkRecords(
        self, request_iterator: Iterable[pb.LinkRecordsRequest], context: grpc.ServicerContext
    ) -> Iterator[pb.LinkRecordsResponse]:
        for index, request in enumerate(request_iterator):
            check_deadline(context)
            response = pb.LinkRecordsResponse(
                index=index, source=request.record.source, record_id=request.record.record_id
            )
            try:
                record, key = convert.match_request(request)
                response.result.CopyFrom(self._match(record, key, request, context))
            except InvalidRecord as invalid:
                response.rejection.reason = error_reason(invalid)
                response.rejection.field_violations.extend(convert.violations_to_messages(invalid.violations))
            except IdempotencyKeyReused as reused:
                response.rejection.reason = error_reason(reused)
            yield response

    @unary_errors
    def GetLink(self, request: pb.GetLinkRequest, context: grpc.ServicerContext) -> pb.GetLinkResponse:
        source, record_id = convert.parse_link_name(request.name)
        call = current_call()
        call.note_access([convert.record_audit_id(source, record_id)], frozenset())
        link = get_link(source, record_id, self._app.uow())
        message = convert.link_to_message(link)
        shown = convert.redact(message, call.decision.fields)
        call.note_access([convert.identity_audit_id(link.identity_id)] if link.identity_id else [],
                         frozenset(shown))
        return pb.GetLinkResponse(link=message)

    def _match(self, record: PersonRecord, key: str, request: pb.MatchRecordRequest | pb.LinkRecordsRequest,
               context: grpc.ServicerContext, unary: bool = False) -> match_pb2.MatchResult:
        """One record matched and kept. A unary call without an idempotency key leaves the wait for its
        commit to reach the disk to the gate, which overlaps it with the audit entry's flush; a stream
        answers as it goes, and a keyed answer is remembered for retries, so those wait here."""
        call = current_call()
        defer_sync = call.defer_sync if unary and not key else None

        def compute() -> match_pb2.MatchResult:
            matcher = _DeadlineBoundMatcher(self._app.matcher, context)
            result = match_record(record, matcher, self._app.uow(), self._write_lock, defer_sync,
                                  validated=True)  # by `convert.match_request`
            return convert.result_to_message(result)

        call.note_access([convert.record_audit_id(record.source, record.record_id)], frozenset())
        if key:  # remembered as bytes: every retry redacts a copy of its own
            fingerprint = request.record.SerializeToString(deterministic=True)
            answer = self._idempotency.run(key, fingerprint, lambda: compute().SerializeToString())
            message = match_pb2.MatchResult.FromString(answer)
        else:
            message = compute()
        identities = [convert.identity_audit_id(unquote(c.identity.removeprefix("identities/")))
                      for c in message.candidates if c.identity]
        shown = convert.redact(message, call.decision.fields)
        call.note_access(identities, frozenset(shown))
        return message


class _DeadlineBoundMatcher:
    """A matcher that gives up when the caller has: checked before scoring and before the write."""

    def __init__(self, matcher: Matcher, context: grpc.ServicerContext) -> None:
        self._matcher, self._context = matcher, context
        self.model_version = matcher.model_version

    @property
    def model(self) -> object:
        """The matcher's model, when it has one: `match_record` decides the store's conflicts with it."""
        return getattr(self._matcher, "model", None)

    def match(self, record: PersonRecord) -> MatchResult:
        check_deadline(self._context)
        result = self._matcher.match(record)
        check_deadline(self._context)
        return result

    def add_identities(self, identities: Iterable[PersonRecord]) -> None:
        self._matcher.add_identities(identities)
