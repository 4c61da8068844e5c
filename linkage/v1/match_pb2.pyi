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

class Decision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_UNSPECIFIED: _ClassVar[Decision]
    DECISION_LINK: _ClassVar[Decision]
    DECISION_REVIEW: _ClassVar[Decision]
    DECISION_NO_LINK: _ClassVar[Decision]
DECISION_UNSPECIFIED: Decision
DECISION_LINK: Decision
DECISION_REVIEW: Decision
DECISION_NO_LINK: Decision

class FieldContribution(_message.Message):
    __slots__ = ("field", "level", "weight", "tf_adjustment", "record_value", "candidate_value")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    TF_ADJUSTMENT_FIELD_NUMBER: _ClassVar[int]
    RECORD_VALUE_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_VALUE_FIELD_NUMBER: _ClassVar[int]
    field: str
    level: str
    weight: float
    tf_adjustment: float
    record_value: str
    candidate_value: str
    def __init__(self, field: _Optional[str] = ..., level: _Optional[str] = ..., weight: _Optional[float] = ..., tf_adjustment: _Optional[float] = ..., record_value: _Optional[str] = ..., candidate_value: _Optional[str] = ...) -> None: ...

class MatchCandidate(_message.Message):
    __slots__ = ("identity", "personal_number", "match_probability", "match_weight", "contributions")
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MATCH_PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    MATCH_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    CONTRIBUTIONS_FIELD_NUMBER: _ClassVar[int]
    identity: str
    personal_number: str
    match_probability: float
    match_weight: float
    contributions: _containers.RepeatedCompositeFieldContainer[FieldContribution]
    def __init__(self, identity: _Optional[str] = ..., personal_number: _Optional[str] = ..., match_probability: _Optional[float] = ..., match_weight: _Optional[float] = ..., contributions: _Optional[_Iterable[_Union[FieldContribution, _Mapping]]] = ...) -> None: ...

class MatchResult(_message.Message):
    __slots__ = ("link", "source", "record_id", "decision", "candidates", "conflicts", "model_version")
    LINK_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    link: str
    source: _person_pb2.Source
    record_id: str
    decision: Decision
    candidates: _containers.RepeatedCompositeFieldContainer[MatchCandidate]
    conflicts: _containers.RepeatedScalarFieldContainer[str]
    model_version: str
    def __init__(self, link: _Optional[str] = ..., source: _Optional[_Union[_person_pb2.Source, str]] = ..., record_id: _Optional[str] = ..., decision: _Optional[_Union[Decision, str]] = ..., candidates: _Optional[_Iterable[_Union[MatchCandidate, _Mapping]]] = ..., conflicts: _Optional[_Iterable[str]] = ..., model_version: _Optional[str] = ...) -> None: ...

class Link(_message.Message):
    __slots__ = ("name", "source", "record_id", "decision", "identity", "personal_number", "match_probability", "match_weight", "model_version", "conflicts", "create_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MATCH_PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    MATCH_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    source: _person_pb2.Source
    record_id: str
    decision: Decision
    identity: str
    personal_number: str
    match_probability: float
    match_weight: float
    model_version: str
    conflicts: _containers.RepeatedScalarFieldContainer[str]
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., source: _Optional[_Union[_person_pb2.Source, str]] = ..., record_id: _Optional[str] = ..., decision: _Optional[_Union[Decision, str]] = ..., identity: _Optional[str] = ..., personal_number: _Optional[str] = ..., match_probability: _Optional[float] = ..., match_weight: _Optional[float] = ..., model_version: _Optional[str] = ..., conflicts: _Optional[_Iterable[str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FieldViolation(_message.Message):
    __slots__ = ("field", "description")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    field: str
    description: str
    def __init__(self, field: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...
