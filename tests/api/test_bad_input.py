"""Bad input through the real server: INVALID_ARGUMENT, the right field path, no value echoed;
nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from linkage.domain import Source
from linkage.v1 import linkage_service_pb2 as pb
from linkage.v1 import person_pb2

DOB = person_pb2.DateOfBirth
FUTURE_YEAR = 2999
# two days ahead, not one: the cases are built when the tests are collected, and a run that crosses
# midnight would otherwise send today's date as tomorrow's
SOON = date.today() + timedelta(days=2)

# a record with no name is a foundling's, and is matched by what else it holds; with nothing else, it is bad
NOTHING_ELSE: dict[str, object] = {"birth_date": DOB(), "mother_name": "", "father_name": "",
                                   "personal_number": ""}
# (case id, changes to a good record, expected field path). Values are chosen so that none of them
# could appear by accident in an error message (the test checks that none does).
BAD_RECORDS: list[tuple[str, dict[str, object], str]] = [
    ("empty name and nothing else", {"full_name": "", **NOTHING_ELSE}, "record.full_name"),
    ("whitespace name and nothing else", {"full_name": " \u3000 ", **NOTHING_ELSE}, "record.full_name"),
    ("name without letters", {"full_name": "12345 67"}, "record.full_name"),
    ("name too long", {"full_name": "Nguyễn " * 40}, "record.full_name"),
    ("control character in name", {"full_name": "Nguyễn\x00Thị Lan"}, "record.full_name"),
    ("control character in mother's name", {"mother_name": "Trần\x1bThị"}, "record.mother_name"),
    ("place too long", {"birth_place": "Xã Đông Anh, " * 30}, "record.birth_place"),
    ("unknown sex enum", {"sex": 7}, "record.sex"),
    ("unknown source enum", {"source": 42}, "record.source"),
    ("source not given", {"source": person_pb2.SOURCE_UNSPECIFIED}, "record.source"),
    ("empty record id", {"record_id": ""}, "record.record_id"),
    ("record id too long", {"record_id": "r" * 129}, "record.record_id"),
    ("impossible date", {"birth_date": DOB(year=2001, month=2, day=30)}, "record.birth_date"),
    ("month 13", {"birth_date": DOB(year=2001, month=13, day=1)}, "record.birth_date.month"),
    ("date in the future", {"birth_date": DOB(year=FUTURE_YEAR, month=1, day=1)}, "record.birth_date.year"),
    ("date in two days", {"birth_date": DOB(year=SOON.year, month=SOON.month, day=SOON.day)},
     "record.birth_date" if SOON.year == date.today().year else "record.birth_date.year"),
    ("day without month", {"birth_date": DOB(year=2001, day=3)}, "record.birth_date.day"),
    ("year out of range", {"birth_date": DOB(year=1850)}, "record.birth_date.year"),
    ("month without year", {"birth_date": DOB(month=5)}, "record.birth_date.year"),
    ("day at month precision", {"birth_date": DOB(year=2001, month=5, day=3,
                                                  precision=person_pb2.DATE_PRECISION_MONTH)},
     "record.birth_date.day"),
    ("estimate without text", {"birth_date": DOB(precision=person_pb2.DATE_PRECISION_ESTIMATED)},
     "record.birth_date.as_written"),
    ("unknown precision enum", {"birth_date": DOB(year=2001, precision=9)}, "record.birth_date.precision"),
    ("personal number with 11 digits", {"personal_number": "00130101234"}, "record.personal_number"),
    ("personal number with letters", {"personal_number": "00130101234X"}, "record.personal_number"),
    ("personal number too short", {"personal_number": "1301012"}, "record.personal_number"),
    ("recorded_on not a full date", {"recorded_on": person_pb2.Date(year=2020)}, "record.recorded_on"),
]


def bad_request(error: grpc.RpcError) -> tuple[list[str], error_details_pb2.ErrorInfo]:
    status = rpc_status.from_call(error)
    assert status is not None
    fields, info = [], None
    for detail in status.details:
        violations, candidate_info = error_details_pb2.BadRequest(), error_details_pb2.ErrorInfo()
        if detail.Unpack(violations):
            fields += [v.field for v in violations.field_violations]
        elif detail.Unpack(candidate_info):
            info = candidate_info
    assert info is not None, "no ErrorInfo"
    return fields, info


def with_changes(good_record: Callable[..., person_pb2.PersonRecord], record_id: str,
                 changes: dict[str, object]) -> person_pb2.PersonRecord:
    record = good_record(record_id)
    for name, value in changes.items():
        if isinstance(value, DOB | person_pb2.Date):
            getattr(record, name).CopyFrom(value)
        else:
            setattr(record, name, value)
    return record


@pytest.mark.parametrize(("case", "changes", "field"), BAD_RECORDS, ids=[c[0] for c in BAD_RECORDS])
def test_bad_record_is_refused_with_its_field(
    stub, good_record, nothing_written, case, changes, field
) -> None:
    record_id = changes.get("record_id", f"bad-{case.replace(' ', '-')}")
    record = with_changes(good_record, f"bad-{case.replace(' ', '-')}", changes)
    with pytest.raises(grpc.RpcError) as caught:
        stub.MatchRecord(pb.MatchRecordRequest(record=record), timeout=10)
    error = caught.value
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    fields, info = bad_request(error)
    assert field in fields
    assert (info.reason, info.domain) == ("INVALID_RECORD", "linkage.v1")
    for value in changes.values():
        if isinstance(value, str) and len(value.strip()) > 3:
            assert value.strip() not in error.details()
    assert "Traceback" not in error.details()
    assert all(nothing_written(source.value, str(record_id)) for source in Source)


def test_missing_record_is_refused(stub) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        stub.MatchRecord(pb.MatchRecordRequest(), timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_request(caught.value)[0] == ["record"]


def test_bad_idempotency_key_is_refused(stub, good_record, nothing_written) -> None:
    request = pb.MatchRecordRequest(record=good_record("bad-key"), idempotency_key="not a key!")
    with pytest.raises(grpc.RpcError) as caught:
        stub.MatchRecord(request, timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_request(caught.value)[0] == ["idempotency_key"]
    assert nothing_written("child_registry", "bad-key")


def test_every_violation_of_a_record_is_reported_at_once(stub, good_record) -> None:
    record = with_changes(good_record, "bad-many", {
        "full_name": "12345", "sex": 5, "personal_number": "12",
        "birth_date": DOB(year=2001, month=2, day=30),
    })
    with pytest.raises(grpc.RpcError) as caught:
        stub.MatchRecord(pb.MatchRecordRequest(record=record), timeout=10)
    fields, _ = bad_request(caught.value)
    assert set(fields) == {"record.full_name", "record.sex", "record.personal_number", "record.birth_date"}


def test_malformed_bytes_are_refused_without_a_traceback(channel) -> None:
    call = channel.unary_unary("/linkage.v1.LinkageService/MatchRecord")
    with pytest.raises(grpc.RpcError) as caught:
        call(b"\xff\xff\xff\xff", timeout=10)
    assert caught.value.code() in {grpc.StatusCode.INTERNAL, grpc.StatusCode.INVALID_ARGUMENT}
    assert "Traceback" not in (caught.value.details() or "")
