import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from linkage.v1 import person_pb2 as _person_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TraceState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRACE_STATE_UNSPECIFIED: _ClassVar[TraceState]
    TRACE_STATE_OPENED: _ClassVar[TraceState]
    TRACE_STATE_AWAITING_REVIEW: _ClassVar[TraceState]
    TRACE_STATE_LINKED: _ClassVar[TraceState]
    TRACE_STATE_NOT_FOUND: _ClassVar[TraceState]
    TRACE_STATE_PREPARED: _ClassVar[TraceState]
    TRACE_STATE_APPROVED: _ClassVar[TraceState]
    TRACE_STATE_RELEASED: _ClassVar[TraceState]

class TraceLinkStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRACE_LINK_STATUS_UNSPECIFIED: _ClassVar[TraceLinkStatus]
    TRACE_LINK_STATUS_LINKED: _ClassVar[TraceLinkStatus]
    TRACE_LINK_STATUS_IN_REVIEW: _ClassVar[TraceLinkStatus]
    TRACE_LINK_STATUS_NOT_FOUND: _ClassVar[TraceLinkStatus]
    TRACE_LINK_STATUS_NOT_NAMED: _ClassVar[TraceLinkStatus]
TRACE_STATE_UNSPECIFIED: TraceState
TRACE_STATE_OPENED: TraceState
TRACE_STATE_AWAITING_REVIEW: TraceState
TRACE_STATE_LINKED: TraceState
TRACE_STATE_NOT_FOUND: TraceState
TRACE_STATE_PREPARED: TraceState
TRACE_STATE_APPROVED: TraceState
TRACE_STATE_RELEASED: TraceState
TRACE_LINK_STATUS_UNSPECIFIED: TraceLinkStatus
TRACE_LINK_STATUS_LINKED: TraceLinkStatus
TRACE_LINK_STATUS_IN_REVIEW: TraceLinkStatus
TRACE_LINK_STATUS_NOT_FOUND: TraceLinkStatus
TRACE_LINK_STATUS_NOT_NAMED: TraceLinkStatus

class AdopteeDetails(_message.Message):
    __slots__ = ("adoptive_name", "vietnamese_name", "birth_date", "birth_place", "sex", "mother_name", "father_name", "adoption_file_ref", "adoptee_consent_ref", "identity_check_ref", "via_adoptive_parents")
    ADOPTIVE_NAME_FIELD_NUMBER: _ClassVar[int]
    VIETNAMESE_NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    BIRTH_PLACE_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    MOTHER_NAME_FIELD_NUMBER: _ClassVar[int]
    FATHER_NAME_FIELD_NUMBER: _ClassVar[int]
    ADOPTION_FILE_REF_FIELD_NUMBER: _ClassVar[int]
    ADOPTEE_CONSENT_REF_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_CHECK_REF_FIELD_NUMBER: _ClassVar[int]
    VIA_ADOPTIVE_PARENTS_FIELD_NUMBER: _ClassVar[int]
    adoptive_name: str
    vietnamese_name: str
    birth_date: str
    birth_place: str
    sex: _person_pb2.Sex
    mother_name: str
    father_name: str
    adoption_file_ref: str
    adoptee_consent_ref: str
    identity_check_ref: str
    via_adoptive_parents: bool
    def __init__(self, adoptive_name: _Optional[str] = ..., vietnamese_name: _Optional[str] = ..., birth_date: _Optional[str] = ..., birth_place: _Optional[str] = ..., sex: _Optional[_Union[_person_pb2.Sex, str]] = ..., mother_name: _Optional[str] = ..., father_name: _Optional[str] = ..., adoption_file_ref: _Optional[str] = ..., adoptee_consent_ref: _Optional[str] = ..., identity_check_ref: _Optional[str] = ..., via_adoptive_parents: _Optional[bool] = ...) -> None: ...

class TraceSubject(_message.Message):
    __slots__ = ("role", "status", "identity", "relationship")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    RELATIONSHIP_FIELD_NUMBER: _ClassVar[int]
    role: str
    status: TraceLinkStatus
    identity: str
    relationship: str
    def __init__(self, role: _Optional[str] = ..., status: _Optional[_Union[TraceLinkStatus, str]] = ..., identity: _Optional[str] = ..., relationship: _Optional[str] = ...) -> None: ...

class DisclosedField(_message.Message):
    __slots__ = ("field", "value", "rule")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    field: str
    value: str
    rule: str
    def __init__(self, field: _Optional[str] = ..., value: _Optional[str] = ..., rule: _Optional[str] = ...) -> None: ...

class WithheldInformation(_message.Message):
    __slots__ = ("category", "rule", "reason")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    category: str
    rule: str
    reason: str
    def __init__(self, category: _Optional[str] = ..., rule: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class DisclosurePackage(_message.Message):
    __slots__ = ("fields", "withheld", "policy_version", "evaluate_date")
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    WITHHELD_FIELD_NUMBER: _ClassVar[int]
    POLICY_VERSION_FIELD_NUMBER: _ClassVar[int]
    EVALUATE_DATE_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedCompositeFieldContainer[DisclosedField]
    withheld: _containers.RepeatedCompositeFieldContainer[WithheldInformation]
    policy_version: str
    evaluate_date: str
    def __init__(self, fields: _Optional[_Iterable[_Union[DisclosedField, _Mapping]]] = ..., withheld: _Optional[_Iterable[_Union[WithheldInformation, _Mapping]]] = ..., policy_version: _Optional[str] = ..., evaluate_date: _Optional[str] = ...) -> None: ...

class TraceEvent(_message.Message):
    __slots__ = ("time", "actor", "kind", "note")
    TIME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    time: _timestamp_pb2.Timestamp
    actor: str
    kind: str
    note: str
    def __init__(self, time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ..., kind: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class Trace(_message.Message):
    __slots__ = ("name", "state", "adoptee", "subjects", "package", "opened_by", "prepared_by", "approved_by", "released_by", "etag", "events", "create_time", "update_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ADOPTEE_FIELD_NUMBER: _ClassVar[int]
    SUBJECTS_FIELD_NUMBER: _ClassVar[int]
    PACKAGE_FIELD_NUMBER: _ClassVar[int]
    OPENED_BY_FIELD_NUMBER: _ClassVar[int]
    PREPARED_BY_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    RELEASED_BY_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    state: TraceState
    adoptee: AdopteeDetails
    subjects: _containers.RepeatedCompositeFieldContainer[TraceSubject]
    package: DisclosurePackage
    opened_by: str
    prepared_by: str
    approved_by: str
    released_by: str
    etag: str
    events: _containers.RepeatedCompositeFieldContainer[TraceEvent]
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., state: _Optional[_Union[TraceState, str]] = ..., adoptee: _Optional[_Union[AdopteeDetails, _Mapping]] = ..., subjects: _Optional[_Iterable[_Union[TraceSubject, _Mapping]]] = ..., package: _Optional[_Union[DisclosurePackage, _Mapping]] = ..., opened_by: _Optional[str] = ..., prepared_by: _Optional[str] = ..., approved_by: _Optional[str] = ..., released_by: _Optional[str] = ..., etag: _Optional[str] = ..., events: _Optional[_Iterable[_Union[TraceEvent, _Mapping]]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpenTraceRequest(_message.Message):
    __slots__ = ("adoptee", "idempotency_key")
    ADOPTEE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    adoptee: AdopteeDetails
    idempotency_key: str
    def __init__(self, adoptee: _Optional[_Union[AdopteeDetails, _Mapping]] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class OpenTraceResponse(_message.Message):
    __slots__ = ("trace",)
    TRACE_FIELD_NUMBER: _ClassVar[int]
    trace: Trace
    def __init__(self, trace: _Optional[_Union[Trace, _Mapping]] = ...) -> None: ...

class GetTraceRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetTraceResponse(_message.Message):
    __slots__ = ("trace",)
    TRACE_FIELD_NUMBER: _ClassVar[int]
    trace: Trace
    def __init__(self, trace: _Optional[_Union[Trace, _Mapping]] = ...) -> None: ...

class PrepareTraceRequest(_message.Message):
    __slots__ = ("name", "idempotency_key")
    NAME_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    name: str
    idempotency_key: str
    def __init__(self, name: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class PrepareTraceResponse(_message.Message):
    __slots__ = ("trace",)
    TRACE_FIELD_NUMBER: _ClassVar[int]
    trace: Trace
    def __init__(self, trace: _Optional[_Union[Trace, _Mapping]] = ...) -> None: ...

class ApproveTraceRequest(_message.Message):
    __slots__ = ("name", "etag", "idempotency_key")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    name: str
    etag: str
    idempotency_key: str
    def __init__(self, name: _Optional[str] = ..., etag: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ApproveTraceResponse(_message.Message):
    __slots__ = ("trace",)
    TRACE_FIELD_NUMBER: _ClassVar[int]
    trace: Trace
    def __init__(self, trace: _Optional[_Union[Trace, _Mapping]] = ...) -> None: ...

class ReturnTraceRequest(_message.Message):
    __slots__ = ("name", "etag", "idempotency_key")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    name: str
    etag: str
    idempotency_key: str
    def __init__(self, name: _Optional[str] = ..., etag: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ReturnTraceResponse(_message.Message):
    __slots__ = ("trace",)
    TRACE_FIELD_NUMBER: _ClassVar[int]
    trace: Trace
    def __init__(self, trace: _Optional[_Union[Trace, _Mapping]] = ...) -> None: ...

class ReleaseTraceRequest(_message.Message):
    __slots__ = ("name", "etag", "idempotency_key")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    name: str
    etag: str
    idempotency_key: str
    def __init__(self, name: _Optional[str] = ..., etag: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ReleaseTraceResponse(_message.Message):
    __slots__ = ("trace",)
    TRACE_FIELD_NUMBER: _ClassVar[int]
    trace: Trace
    def __init__(self, trace: _Optional[_Union[Trace, _Mapping]] = ...) -> None: ...
