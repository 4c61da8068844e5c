import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from linkage.v1 import match_pb2 as _match_pb2
from linkage.v1 import person_pb2 as _person_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReviewCaseState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REVIEW_CASE_STATE_UNSPECIFIED: _ClassVar[ReviewCaseState]
    REVIEW_CASE_STATE_OPEN: _ClassVar[ReviewCaseState]
    REVIEW_CASE_STATE_CLAIMED: _ClassVar[ReviewCaseState]
    REVIEW_CASE_STATE_DECIDED: _ClassVar[ReviewCaseState]
    REVIEW_CASE_STATE_ESCALATED: _ClassVar[ReviewCaseState]
    REVIEW_CASE_STATE_CLOSED: _ClassVar[ReviewCaseState]

class ReviewOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REVIEW_OUTCOME_UNSPECIFIED: _ClassVar[ReviewOutcome]
    REVIEW_OUTCOME_MATCH: _ClassVar[ReviewOutcome]
    REVIEW_OUTCOME_NON_MATCH: _ClassVar[ReviewOutcome]
    REVIEW_OUTCOME_UNSURE: _ClassVar[ReviewOutcome]
    REVIEW_OUTCOME_ESCALATE: _ClassVar[ReviewOutcome]
REVIEW_CASE_STATE_UNSPECIFIED: ReviewCaseState
REVIEW_CASE_STATE_OPEN: ReviewCaseState
REVIEW_CASE_STATE_CLAIMED: ReviewCaseState
REVIEW_CASE_STATE_DECIDED: ReviewCaseState
REVIEW_CASE_STATE_ESCALATED: ReviewCaseState
REVIEW_CASE_STATE_CLOSED: ReviewCaseState
REVIEW_OUTCOME_UNSPECIFIED: ReviewOutcome
REVIEW_OUTCOME_MATCH: ReviewOutcome
REVIEW_OUTCOME_NON_MATCH: ReviewOutcome
REVIEW_OUTCOME_UNSURE: ReviewOutcome
REVIEW_OUTCOME_ESCALATE: ReviewOutcome

class ReviewCase(_message.Message):
    __slots__ = ("name", "source", "record_id", "state", "priority", "model_version", "conflicts", "candidates", "lease_holder", "lease_expire_time", "etag", "required_reviews", "escalated", "create_time", "update_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    LEASE_HOLDER_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_REVIEWS_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    source: _person_pb2.Source
    record_id: str
    state: ReviewCaseState
    priority: float
    model_version: str
    conflicts: _containers.RepeatedScalarFieldContainer[str]
    candidates: _containers.RepeatedCompositeFieldContainer[_match_pb2.MatchCandidate]
    lease_holder: str
    lease_expire_time: _timestamp_pb2.Timestamp
    etag: str
    required_reviews: int
    escalated: bool
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., source: _Optional[_Union[_person_pb2.Source, str]] = ..., record_id: _Optional[str] = ..., state: _Optional[_Union[ReviewCaseState, str]] = ..., priority: _Optional[float] = ..., model_version: _Optional[str] = ..., conflicts: _Optional[_Iterable[str]] = ..., candidates: _Optional[_Iterable[_Union[_match_pb2.MatchCandidate, _Mapping]]] = ..., lease_holder: _Optional[str] = ..., lease_expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., etag: _Optional[str] = ..., required_reviews: _Optional[int] = ..., escalated: _Optional[bool] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReviewDecision(_message.Message):
    __slots__ = ("steward", "outcome", "identity", "reason", "decide_time", "undo_time", "undone_by")
    STEWARD_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DECIDE_TIME_FIELD_NUMBER: _ClassVar[int]
    UNDO_TIME_FIELD_NUMBER: _ClassVar[int]
    UNDONE_BY_FIELD_NUMBER: _ClassVar[int]
    steward: str
    outcome: ReviewOutcome
    identity: str
    reason: str
    decide_time: _timestamp_pb2.Timestamp
    undo_time: _timestamp_pb2.Timestamp
    undone_by: str
    def __init__(self, steward: _Optional[str] = ..., outcome: _Optional[_Union[ReviewOutcome, str]] = ..., identity: _Optional[str] = ..., reason: _Optional[str] = ..., decide_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., undo_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., undone_by: _Optional[str] = ...) -> None: ...

class ListReviewCasesRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "sources", "states", "model_version", "conflict", "min_priority", "min_age", "max_age")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    CONFLICT_FIELD_NUMBER: _ClassVar[int]
    MIN_PRIORITY_FIELD_NUMBER: _ClassVar[int]
    MIN_AGE_FIELD_NUMBER: _ClassVar[int]
    MAX_AGE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    sources: _containers.RepeatedScalarFieldContainer[_person_pb2.Source]
    states: _containers.RepeatedScalarFieldContainer[ReviewCaseState]
    model_version: str
    conflict: str
    min_priority: float
    min_age: _duration_pb2.Duration
    max_age: _duration_pb2.Duration
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., sources: _Optional[_Iterable[_Union[_person_pb2.Source, str]]] = ..., states: _Optional[_Iterable[_Union[ReviewCaseState, str]]] = ..., model_version: _Optional[str] = ..., conflict: _Optional[str] = ..., min_priority: _Optional[float] = ..., min_age: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., max_age: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class ListReviewCasesResponse(_message.Message):
    __slots__ = ("review_cases", "next_page_token", "total_size")
    REVIEW_CASES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    review_cases: _containers.RepeatedCompositeFieldContainer[ReviewCase]
    next_page_token: str
    total_size: int
    def __init__(self, review_cases: _Optional[_Iterable[_Union[ReviewCase, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class ClaimReviewCaseRequest(_message.Message):
    __slots__ = ("name", "idempotency_key")
    NAME_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    name: str
    idempotency_key: str
    def __init__(self, name: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ClaimReviewCaseResponse(_message.Message):
    __slots__ = ("review_case", "record", "candidate_records", "decisions")
    REVIEW_CASE_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_RECORDS_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    review_case: ReviewCase
    record: _person_pb2.PersonRecord
    candidate_records: _containers.RepeatedCompositeFieldContainer[_person_pb2.PersonRecord]
    decisions: _containers.RepeatedCompositeFieldContainer[ReviewDecision]
    def __init__(self, review_case: _Optional[_Union[ReviewCase, _Mapping]] = ..., record: _Optional[_Union[_person_pb2.PersonRecord, _Mapping]] = ..., candidate_records: _Optional[_Iterable[_Union[_person_pb2.PersonRecord, _Mapping]]] = ..., decisions: _Optional[_Iterable[_Union[ReviewDecision, _Mapping]]] = ...) -> None: ...

class DecideReviewCaseRequest(_message.Message):
    __slots__ = ("name", "outcome", "reason", "etag", "identity", "idempotency_key")
    NAME_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    name: str
    outcome: ReviewOutcome
    reason: str
    etag: str
    identity: str
    idempotency_key: str
    def __init__(self, name: _Optional[str] = ..., outcome: _Optional[_Union[ReviewOutcome, str]] = ..., reason: _Optional[str] = ..., etag: _Optional[str] = ..., identity: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class DecideReviewCaseResponse(_message.Message):
    __slots__ = ("review_case", "decision")
    REVIEW_CASE_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    review_case: ReviewCase
    decision: ReviewDecision
    def __init__(self, review_case: _Optional[_Union[ReviewCase, _Mapping]] = ..., decision: _Optional[_Union[ReviewDecision, _Mapping]] = ...) -> None: ...

class UndoReviewDecisionRequest(_message.Message):
    __slots__ = ("name", "etag", "idempotency_key")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    name: str
    etag: str
    idempotency_key: str
    def __init__(self, name: _Optional[str] = ..., etag: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class UndoReviewDecisionResponse(_message.Message):
    __slots__ = ("review_case",)
    REVIEW_CASE_FIELD_NUMBER: _ClassVar[int]
    review_case: ReviewCase
    def __init__(self, review_case: _Optional[_Union[ReviewCase, _Mapping]] = ...) -> None: ...

class EscalateReviewCaseRequest(_message.Message):
    __slots__ = ("name", "reason", "etag", "idempotency_key")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    name: str
    reason: str
    etag: str
    idempotency_key: str
    def __init__(self, name: _Optional[str] = ..., reason: _Optional[str] = ..., etag: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class EscalateReviewCaseResponse(_message.Message):
    __slots__ = ("review_case",)
    REVIEW_CASE_FIELD_NUMBER: _ClassVar[int]
    review_case: ReviewCase
    def __init__(self, review_case: _Optional[_Union[ReviewCase, _Mapping]] = ...) -> None: ...
