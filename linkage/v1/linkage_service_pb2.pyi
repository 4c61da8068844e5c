from linkage.v1 import match_pb2 as _match_pb2
from linkage.v1 import person_pb2 as _person_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MatchRecordRequest(_message.Message):
    __slots__ = ("record", "idempotency_key")
    RECORD_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    record: _person_pb2.PersonRecord
    idempotency_key: str
    def __init__(self, record: _Optional[_Union[_person_pb2.PersonRecord, _Mapping]] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class MatchRecordResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: _match_pb2.MatchResult
    def __init__(self, result: _Optional[_Union[_match_pb2.MatchResult, _Mapping]] = ...) -> None: ...

class LinkRecordsRequest(_message.Message):
    __slots__ = ("record", "idempotency_key")
    RECORD_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    record: _person_pb2.PersonRecord
    idempotency_key: str
    def __init__(self, record: _Optional[_Union[_person_pb2.PersonRecord, _Mapping]] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class LinkRecordsResponse(_message.Message):
    __slots__ = ("index", "source", "record_id", "result", "rejection")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    REJECTION_FIELD_NUMBER: _ClassVar[int]
    index: int
    source: _person_pb2.Source
    record_id: str
    result: _match_pb2.MatchResult
    rejection: RecordRejection
    def __init__(self, index: _Optional[int] = ..., source: _Optional[_Union[_person_pb2.Source, str]] = ..., record_id: _Optional[str] = ..., result: _Optional[_Union[_match_pb2.MatchResult, _Mapping]] = ..., rejection: _Optional[_Union[RecordRejection, _Mapping]] = ...) -> None: ...

class RecordRejection(_message.Message):
    __slots__ = ("reason", "field_violations")
    REASON_FIELD_NUMBER: _ClassVar[int]
    FIELD_VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    reason: str
    field_violations: _containers.RepeatedCompositeFieldContainer[_match_pb2.FieldViolation]
    def __init__(self, reason: _Optional[str] = ..., field_violations: _Optional[_Iterable[_Union[_match_pb2.FieldViolation, _Mapping]]] = ...) -> None: ...

class GetLinkRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetLinkResponse(_message.Message):
    __slots__ = ("link",)
    LINK_FIELD_NUMBER: _ClassVar[int]
    link: _match_pb2.Link
    def __init__(self, link: _Optional[_Union[_match_pb2.Link, _Mapping]] = ...) -> None: ...
