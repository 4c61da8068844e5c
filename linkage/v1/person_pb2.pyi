from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Source(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SOURCE_UNSPECIFIED: _ClassVar[Source]
    SOURCE_POPULATION: _ClassVar[Source]
    SOURCE_CHILD_REGISTRY: _ClassVar[Source]
    SOURCE_ADOPTION_FILE: _ClassVar[Source]
    SOURCE_ABANDONED_INTAKE: _ClassVar[Source]
    SOURCE_TRACE_REQUEST: _ClassVar[Source]

class Sex(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEX_UNSPECIFIED: _ClassVar[Sex]
    SEX_MALE: _ClassVar[Sex]
    SEX_FEMALE: _ClassVar[Sex]

class DatePrecision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATE_PRECISION_UNSPECIFIED: _ClassVar[DatePrecision]
    DATE_PRECISION_DAY: _ClassVar[DatePrecision]
    DATE_PRECISION_MONTH: _ClassVar[DatePrecision]
    DATE_PRECISION_YEAR: _ClassVar[DatePrecision]
    DATE_PRECISION_ESTIMATED: _ClassVar[DatePrecision]
SOURCE_UNSPECIFIED: Source
SOURCE_POPULATION: Source
SOURCE_CHILD_REGISTRY: Source
SOURCE_ADOPTION_FILE: Source
SOURCE_ABANDONED_INTAKE: Source
SOURCE_TRACE_REQUEST: Source
SEX_UNSPECIFIED: Sex
SEX_MALE: Sex
SEX_FEMALE: Sex
DATE_PRECISION_UNSPECIFIED: DatePrecision
DATE_PRECISION_DAY: DatePrecision
DATE_PRECISION_MONTH: DatePrecision
DATE_PRECISION_YEAR: DatePrecision
DATE_PRECISION_ESTIMATED: DatePrecision

class Date(_message.Message):
    __slots__ = ("year", "month", "day")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    year: int
    month: int
    day: int
    def __init__(self, year: _Optional[int] = ..., month: _Optional[int] = ..., day: _Optional[int] = ...) -> None: ...

class DateOfBirth(_message.Message):
    __slots__ = ("year", "month", "day", "precision", "as_written")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    PRECISION_FIELD_NUMBER: _ClassVar[int]
    AS_WRITTEN_FIELD_NUMBER: _ClassVar[int]
    year: int
    month: int
    day: int
    precision: DatePrecision
    as_written: str
    def __init__(self, year: _Optional[int] = ..., month: _Optional[int] = ..., day: _Optional[int] = ..., precision: _Optional[_Union[DatePrecision, str]] = ..., as_written: _Optional[str] = ...) -> None: ...

class PersonRecord(_message.Message):
    __slots__ = ("source", "record_id", "full_name", "sex", "birth_date", "birth_place", "mother_name", "father_name", "personal_number", "recorded_on")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    BIRTH_PLACE_FIELD_NUMBER: _ClassVar[int]
    MOTHER_NAME_FIELD_NUMBER: _ClassVar[int]
    FATHER_NAME_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    RECORDED_ON_FIELD_NUMBER: _ClassVar[int]
    source: Source
    record_id: str
    full_name: str
    sex: Sex
    birth_date: DateOfBirth
    birth_place: str
    mother_name: str
    father_name: str
    personal_number: str
    recorded_on: Date
    def __init__(self, source: _Optional[_Union[Source, str]] = ..., record_id: _Optional[str] = ..., full_name: _Optional[str] = ..., sex: _Optional[_Union[Sex, str]] = ..., birth_date: _Optional[_Union[DateOfBirth, _Mapping]] = ..., birth_place: _Optional[str] = ..., mother_name: _Optional[str] = ..., father_name: _Optional[str] = ..., personal_number: _Optional[str] = ..., recorded_on: _Optional[_Union[Date, _Mapping]] = ...) -> None: ...
