"""Messages <-> domain values: round trips, date precision, resource names."""

from __future__ import annotations

from datetime import date

import pytest

from linkage.api import convert
from linkage.domain import Candidate, Decision, FieldContribution, MatchResult, PersonRecord, Sex, Source
from linkage.errors import InvalidRecord
from linkage.v1 import linkage_service_pb2 as pb
from linkage.v1 import person_pb2

TODAY = date(2025, 6, 1)
DOB = person_pb2.DateOfBirth


def test_every_domain_enum_has_an_api_value() -> None:
    assert set(convert.SOURCE_TO_PB) == set(Source)
    assert set(convert.DECISION_TO_PB) == set(Decision)
    assert set(convert.SEX_TO_PB) == set(Sex)


@pytest.mark.parametrize("birth_date", ["2001-05-03", "2001-05", "2001", "khoảng 2 tháng tuổi", ""])
def test_a_record_survives_the_round_trip(birth_date: str) -> None:
    record = PersonRecord("abandoned_intake", "AB/17", "Bé gái", Sex.FEMALE, birth_date, "Trà Vinh",
                          "", "", "", recorded_on="2024-11-02")
    assert convert.record_from_message(convert.record_to_message(record), TODAY) == record


def test_a_day_of_intake_written_day_first_travels_as_the_date() -> None:
    """A centre's file writes "02/11/2024": it was dropped on the way, and the age estimated from it was
    then read against no date."""
    record = PersonRecord("abandoned_intake", "AB/18", "", Sex.FEMALE, "khoảng 2 tháng tuổi",
                          recorded_on="02/11/2024")
    sent = convert.record_from_message(convert.record_to_message(record), TODAY)
    assert sent.recorded_on == "2024-11-02" and sent.birth_date == "khoảng 2 tháng tuổi"


@pytest.mark.parametrize(("message", "text"), [
    (DOB(year=2001, month=5, day=3), "2001-05-03"),
    (DOB(year=2001, month=5), "2001-05"),
    (DOB(year=2001), "2001"),
    (DOB(year=2001, month=5, day=3, precision=person_pb2.DATE_PRECISION_DAY), "2001-05-03"),
    (DOB(year=2001, precision=person_pb2.DATE_PRECISION_YEAR), "2001"),
    (DOB(as_written="khoảng 3 ngày tuổi"), "khoảng 3 ngày tuổi"),
    (DOB(), ""),
])
def test_birth_date_text_keeps_its_precision(message: person_pb2.DateOfBirth, text: str) -> None:
    record = person_pb2.PersonRecord(source=person_pb2.SOURCE_CHILD_REGISTRY, record_id="r", full_name="Lan")
    record.birth_date.CopyFrom(message)
    assert convert.record_from_message(record, TODAY).birth_date == text


@pytest.mark.parametrize(("message", "field"), [
    (DOB(year=2001, day=3), "birth_date.day"),
    (DOB(year=2001, month=5, precision=person_pb2.DATE_PRECISION_DAY), "birth_date.day"),
    (DOB(year=2001, month=5, precision=person_pb2.DATE_PRECISION_YEAR), "birth_date.month"),
    (DOB(year=2001, as_written="x", precision=person_pb2.DATE_PRECISION_YEAR), "birth_date.as_written"),
    (DOB(year=2001, month=-1), "birth_date.month"),
    (DOB(year=2026), "birth_date.year"),
])
def test_inconsistent_birth_dates_name_the_part(message: person_pb2.DateOfBirth, field: str) -> None:
    record = person_pb2.PersonRecord(source=person_pb2.SOURCE_CHILD_REGISTRY, record_id="r", full_name="Lan")
    record.birth_date.CopyFrom(message)
    with pytest.raises(InvalidRecord) as caught:
        convert.record_from_message(record, TODAY)
    assert field in [path for path, _ in caught.value.violations]


def test_domain_field_names_become_api_paths() -> None:
    request = pb.MatchRecordRequest(record=person_pb2.PersonRecord(
        source=person_pb2.SOURCE_CHILD_REGISTRY, record_id="r", full_name="Lan", personal_number="1"))
    with pytest.raises(InvalidRecord) as caught:
        convert.match_request(request, TODAY)
    assert caught.value.violations == [("record.personal_number", "must be exactly 12 digits")]


@pytest.mark.parametrize("record_id", ["CR-1", "a/b", "số 7", "50%"])
def test_link_names_round_trip(record_id: str) -> None:
    name = convert.link_name("adoption_file", record_id)
    assert name.count("/") == 4
    assert convert.parse_link_name(name) == ("adoption_file", record_id)


def test_a_result_survives_the_round_trip() -> None:
    contribution = FieldContribution("full_name", "exact", 7.5, -1.25, "Nguyễn Thị Lan", "Nguyễn Thị Lan")
    result = MatchResult("child_registry", "c-1", Decision.REVIEW,
                         (Candidate("P/9", "001301012345", 0.9, 3.2, (contribution,)),), "fs-2025.1",
                         ("possible_twin",))
    message = convert.result_to_message(result)
    assert message.candidates[0].identity == "identities/P%2F9"
    assert convert.result_from_message(message) == result
