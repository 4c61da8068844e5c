"""A small client for the linkage API, used by `linkage match` and by tests.

It speaks domain values: a `PersonRecord` in, a `MatchResult` out. A refused record comes back as
the same `InvalidRecord` the core raises (field paths as the API names them, e.g. `record.full_name`),
an unknown link as `NotFound`; other failures stay `grpc.RpcError`.

The server wants mutual TLS (`credentials`, e.g. `transport.client_credentials(keys_dir, cn)`), and a
person's signed `token` on top (sent as `authorization: Bearer ...`); an institution's certificate
alone names the institution, which may declare one of its agreed purposes (`purpose`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from linkage.api import convert
from linkage.domain import MatchResult, PersonRecord, StoredLink
from linkage.errors import InvalidRecord, NotFound
from linkage.v1 import linkage_service_pb2 as pb
from linkage.v1 import linkage_service_pb2_grpc as pb_grpc


def open_channel(address: str, credentials: grpc.ChannelCredentials | None = None) -> grpc.Channel:
    return grpc.secure_channel(address, credentials) if credentials else grpc.insecure_channel(address)


def call_metadata(token: str | None = None, purpose: str | None = None) -> list[tuple[str, str]]:
    """The metadata that carries a person's token and a declared purpose."""
    metadata = []
    if token:
        metadata.append(("authorization", f"Bearer {token}"))
    if purpose:
        metadata.append(("x-linkage-purpose", purpose))
    return metadata


def match(
    address: str,
    record: PersonRecord,
    timeout: float = 10.0,
    *,
    idempotency_key: str = "",
    credentials: grpc.ChannelCredentials | None = None,
    token: str | None = None,
    purpose: str | None = None,
) -> MatchResult:
    """Match one record on the server at `address`; raises InvalidRecord when the server refuses it."""
    request = pb.MatchRecordRequest(record=convert.record_to_message(record), idempotency_key=idempotency_key)
    with open_channel(address, credentials) as channel:
        try:
            response = pb_grpc.LinkageServiceStub(channel).MatchRecord(
                request, timeout=timeout, metadata=call_metadata(token, purpose))
        except grpc.RpcError as error:
            raise _domain_error(error) from error
    return convert.result_from_message(response.result)


def get_link(
    address: str,
    source: str,
    record_id: str,
    timeout: float = 10.0,
    *,
    credentials: grpc.ChannelCredentials | None = None,
    token: str | None = None,
    purpose: str | None = None,
) -> StoredLink:
    """The current decision on one source record; raises NotFound when there is none."""
    request = pb.GetLinkRequest(name=convert.link_name(source, record_id))
    with open_channel(address, credentials) as channel:
        try:
            response = pb_grpc.LinkageServiceStub(channel).GetLink(
                request, timeout=timeout, metadata=call_metadata(token, purpose))
        except grpc.RpcError as error:
            raise _domain_error(error) from error
    return convert.link_from_message(response.link)


def link_records(
    address: str,
    records: Iterable[PersonRecord],
    timeout: float = 600.0,
    *,
    credentials: grpc.ChannelCredentials | None = None,
    token: str | None = None,
    purpose: str | None = None,
) -> Iterator[MatchResult | InvalidRecord]:
    """Match a stream of records; yields, in order, a result or the InvalidRecord for each one."""
    requests = (pb.LinkRecordsRequest(record=convert.record_to_message(r)) for r in records)
    with open_channel(address, credentials) as channel:
        responses = pb_grpc.LinkageServiceStub(channel).LinkRecords(
            requests, timeout=timeout, metadata=call_metadata(token, purpose))
        for response in responses:
            if response.HasField("result"):
                yield convert.result_from_message(response.result)
            else:
                yield InvalidRecord([(v.field, v.description) for v in response.rejection.field_violations])


def _domain_error(error: grpc.RpcError) -> Exception:
    if not isinstance(error, grpc.Call):
        return error
    if error.code() == grpc.StatusCode.NOT_FOUND:
        return NotFound(error.details() or "not found")
    if error.code() == grpc.StatusCode.INVALID_ARGUMENT:
        status = rpc_status.from_call(error)
        violations: list[tuple[str, str]] = []
        for detail in status.details if status else ():
            bad_request = error_details_pb2.BadRequest()
            if detail.Unpack(bad_request):
                violations += [(v.field, v.description) for v in bad_request.field_violations]
        return InvalidRecord(violations)
    return error
