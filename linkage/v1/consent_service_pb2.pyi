import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ConsentSubjectKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_SUBJECT_KIND_UNSPECIFIED: _ClassVar[ConsentSubjectKind]
    CONSENT_SUBJECT_KIND_BIRTH_PARENT: _ClassVar[ConsentSubjectKind]
    CONSENT_SUBJECT_KIND_ADOPTEE: _ClassVar[ConsentSubjectKind]
    CONSENT_SUBJECT_KIND_RELATIVE: _ClassVar[ConsentSubjectKind]

class ConsentScope(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_SCOPE_UNSPECIFIED: _ClassVar[ConsentScope]
    CONSENT_SCOPE_IDENTITY: _ClassVar[ConsentScope]
    CONSENT_SCOPE_CONTACT: _ClassVar[ConsentScope]
    CONSENT_SCOPE_MEDICAL_HISTORY: _ClassVar[ConsentScope]
    CONSENT_SCOPE_CIRCUMSTANCES: _ClassVar[ConsentScope]

class ConsentChoice(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_CHOICE_UNSPECIFIED: _ClassVar[ConsentChoice]
    CONSENT_CHOICE_GRANT: _ClassVar[ConsentChoice]
    CONSENT_CHOICE_VETO: _ClassVar[ConsentChoice]

class ConsentRecordState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_RECORD_STATE_UNSPECIFIED: _ClassVar[ConsentRecordState]
    CONSENT_RECORD_STATE_IN_FORCE: _ClassVar[ConsentRecordState]
    CONSENT_RECORD_STATE_WITHDRAWN: _ClassVar[ConsentRecordState]
    CONSENT_RECORD_STATE_EXPIRED: _ClassVar[ConsentRecordState]
CONSENT_SUBJECT_KIND_UNSPECIFIED: ConsentSubjectKind
CONSENT_SUBJECT_KIND_BIRTH_PARENT: ConsentSubjectKind
CONSENT_SUBJECT_KIND_ADOPTEE: ConsentSubjectKind
CONSENT_SUBJECT_KIND_RELATIVE: ConsentSubjectKind
CONSENT_SCOPE_UNSPECIFIED: ConsentScope
CONSENT_SCOPE_IDENTITY: ConsentScope
CONSENT_SCOPE_CONTACT: ConsentScope
CONSENT_SCOPE_MEDICAL_HISTORY: ConsentScope
CONSENT_SCOPE_CIRCUMSTANCES: ConsentScope
CONSENT_CHOICE_UNSPECIFIED: ConsentChoice
CONSENT_CHOICE_GRANT: ConsentChoice
CONSENT_CHOICE_VETO: ConsentChoice
CONSENT_RECORD_STATE_UNSPECIFIED: ConsentRecordState
CONSENT_RECORD_STATE_IN_FORCE: ConsentRecordState
CONSENT_RECORD_STATE_WITHDRAWN: ConsentRecordState
CONSENT_RECORD_STATE_EXPIRED: ConsentRecordState

class Consent(_message.Message):
    __slots__ = ("name", "subject", "subject_kind", "scope", "choice", "evidence_ref", "expire_time", "recorded_by", "create_time", "withdraw_time", "withdrawn_by", "state")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_KIND_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    CHOICE_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_REF_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    WITHDRAW_TIME_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_BY_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    name: str
    subject: str
    subject_kind: ConsentSubjectKind
    scope: ConsentScope
    choice: ConsentChoice
    evidence_ref: str
    expire_time: _timestamp_pb2.Timestamp
    recorded_by: str
    create_time: _timestamp_pb2.Timestamp
    withdraw_time: _timestamp_pb2.Timestamp
    withdrawn_by: str
    state: ConsentRecordState
    def __init__(self, name: _Optional[str] = ..., subject: _Optional[str] = ..., subject_kind: _Optional[_Union[ConsentSubjectKind, str]] = ..., scope: _Optional[_Union[ConsentScope, str]] = ..., choice: _Optional[_Union[ConsentChoice, str]] = ..., evidence_ref: _Optional[str] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_by: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., withdraw_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., withdrawn_by: _Optional[str] = ..., state: _Optional[_Union[ConsentRecordState, str]] = ...) -> None: ...

class RecordConsentRequest(_message.Message):
    __slots__ = ("consent", "idempotency_key")
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    consent: Consent
    idempotency_key: str
    def __init__(self, consent: _Optional[_Union[Consent, _Mapping]] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class RecordConsentResponse(_message.Message):
    __slots__ = ("consent",)
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    consent: Consent
    def __init__(self, consent: _Optional[_Union[Consent, _Mapping]] = ...) -> None: ...

class WithdrawConsentRequest(_message.Message):
    __slots__ = ("name", "idempotency_key")
    NAME_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    name: str
    idempotency_key: str
    def __init__(self, name: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class WithdrawConsentResponse(_message.Message):
    __slots__ = ("consent",)
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    consent: Consent
    def __init__(self, consent: _Optional[_Union[Consent, _Mapping]] = ...) -> None: ...

class GetConsentRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetConsentResponse(_message.Message):
    __slots__ = ("consent",)
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    consent: Consent
    def __init__(self, consent: _Optional[_Union[Consent, _Mapping]] = ...) -> None: ...

class ListConsentsRequest(_message.Message):
    __slots__ = ("subject",)
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    subject: str
    def __init__(self, subject: _Optional[str] = ...) -> None: ...

class ListConsentsResponse(_message.Message):
    __slots__ = ("consents",)
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    consents: _containers.RepeatedCompositeFieldContainer[Consent]
    def __init__(self, consents: _Optional[_Iterable[_Union[Consent, _Mapping]]] = ...) -> None: ...
