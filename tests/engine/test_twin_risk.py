"""The hidden-twin doubt on records written without diacritics, and the evidence that lifts it."""

from __future__ import annotations

import dataclasses

import pytest

from linkage.domain import Decision, PersonRecord, Sex
from linkage.engine.decide import TWIN_MARGIN
from tests.engine.conftest import person

PLACE = "Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang"
# twins named to fold alike (Lan / Lân), twins named apart (Long / Phụng), and a Lan with no twin registered
LAN = person("T-LAN", "Trần Thị Lan", Sex.FEMALE, "2016-04-05", PLACE, "Lê Thị Hoa", "Trần Văn Đức",
             "024316001234")
LAN_TWIN = person("T-LAN2", "Trần Thị Lân", Sex.FEMALE, "2016-04-05", PLACE, "Lê Thị Hoa", "Trần Văn Đức",
                  "024316001235")
LONG = person("T-LONG", "Phạm Văn Long", Sex.MALE, "2014-08-19", PLACE, "Vũ Thị Mai", "Phạm Văn Hùng",
              "024214007001")
PHUNG = person("T-PHUNG", "Phạm Thị Phụng", Sex.FEMALE, "2014-08-19", PLACE, "Vũ Thị Mai", "Phạm Văn Hùng",
               "024314007002")
# twins one of whom carries a name with no marks at all (Khai / Khải): a record without diacritics shows
# the folded form of either
KHAI = person("T-KHAI", "Lê Anh Khai", Sex.MALE, "1997-11-05", PLACE, "Nguyễn Thị Cẩm Dung", "Lê Phong Huy",
              "024197001111")
KHAI_TWIN = person("T-KHAI2", "Lê Anh Khải", Sex.MALE, "1997-11-05", PLACE, "Nguyễn Thị Cẩm Dung",
                   "Lê Phong Huy", "024197001112")
ALONE = person("T-ALONE", "Đỗ Thị Lan", Sex.FEMALE, "2015-11-23", PLACE, "Ngô Thị Hạnh", "Đỗ Văn Tâm",
               "024315009876")
# a Khánh with no twin registered, and a Khang elsewhere: Khang is a name people carry
KHANH = person("T-KHANH", "Nguyễn Khánh", Sex.MALE, "2022-09-23", PLACE, "Đỗ Minh Ly", "Nguyễn Văn Hoàng",
               "024222807386")
KHANG = person("T-KHANG", "Trần Minh Khang", Sex.MALE, "2009-02-11", "Tỉnh Bắc Ninh", "Lý Thị Hà",
               "Trần Văn Tú", "027209001001")
HAO = person("T-HAO", "Nguyễn Thị Thanh Hảo", Sex.FEMALE, "2018-06-20", PLACE, "Nguyễn Thị Thu Châu",
             "Nguyễn Tiến Lưu", "024318004321")


@pytest.fixture(scope="module")
def matcher(background):
    from linkage.engine import build_matcher

    built = build_matcher()
    built.add_identities([*background, LAN, LAN_TWIN, LONG, PHUNG, ALONE, KHAI, KHAI_TWIN, HAO, KHANH, KHANG])
    return built


def abroad(base: PersonRecord, full_name: str, **changes) -> PersonRecord:
    """The person as written abroad: no diacritics anywhere, no personal number unless given."""
    written = {"mother_name": "", "father_name": "", "birth_place": "", "pid": "", **changes}
    return dataclasses.replace(base, source="adoption_file", record_id="AF-1", full_name=full_name, **written)


def _twin_risk(matcher, record: PersonRecord, identity_id: str) -> float:
    _, scores = matcher.score(record)
    row = matcher.table.row_of[identity_id]
    return float(scores.twin_risk[list(scores.rows).index(row)])


def test_a_candidate_with_no_registered_twin_keeps_the_doubt(matcher):
    assert _twin_risk(matcher, abroad(ALONE, "Do Thi Lan"), ALONE.record_id) > 0


def test_a_given_name_that_agrees_as_a_variant_spelling_keeps_the_doubt_with_its_marks(matcher):
    """"Hão" written with its marks is Hảo misspelt (hỏi and ngã merge in speech), or a twin named Hão:
    the marks cannot tell which. "Hảo" itself, written with its marks, would show a twin's."""
    assert _twin_risk(matcher, abroad(HAO, "Nguyễn Thị Thanh Hão"), HAO.record_id) > 0
    assert _twin_risk(matcher, abroad(HAO, "Nguyễn Thị Thanh Hảo"), HAO.record_id) == 0


def test_a_given_name_that_agrees_by_its_sound_doubts_a_twin_named_so(matcher):
    """"KHANG" beside Khánh is a regional slip or a twin named Khang (twins are named to sound alike);
    the candidate needs the slip and the twin does not, so the doubt outweighs the one of a folded
    agreement and keeps the probability below that cap. "Khán" is a name nobody carries: a slip."""
    record = abroad(KHANH, "NGUYỄN KHANG", birth_place=PLACE)
    sound_alike = _twin_risk(matcher, record, KHANH.record_id)
    folded = _twin_risk(matcher, abroad(ALONE, "Do Thi Lan"), ALONE.record_id)
    assert sound_alike > folded > 0
    assert matcher.match(record).best.probability < 1 / (1 + folded)
    assert _twin_risk(matcher, abroad(KHANH, "Nguyễn Khán", birth_place=PLACE), KHANH.record_id) < folded


def test_an_agreeing_personal_number_rules_the_twin_out_and_links(matcher):
    record = abroad(ALONE, "Do Thi Lan", pid=ALONE.pid)
    assert _twin_risk(matcher, record, ALONE.record_id) == 0
    result = matcher.match(record)
    assert result.best.identity_id == ALONE.record_id and result.decision is Decision.LINK


def test_a_registered_twin_named_apart_is_no_hidden_twin(matcher):
    assert _twin_risk(matcher, abroad(LONG, "Pham Van Long"), LONG.record_id) == 0


def test_a_registered_twin_named_alike_competes_and_sends_to_review(matcher):
    record = abroad(LAN, "Tran Thi Lan", mother_name="Le Thi Hoa", father_name="Tran Van Duc")
    assert _twin_risk(matcher, record, LAN.record_id) == 0
    result = matcher.match(record)
    assert {c.identity_id for c in result.candidates[:2]} == {LAN.record_id, LAN_TWIN.record_id}
    assert result.decision is Decision.REVIEW and TWIN_MARGIN in result.conflicts


def test_a_name_without_marks_agrees_alike_with_twins_named_with_and_without_them(matcher):
    """"Khai" written abroad is Khai or Khải: an exact agreement with the twin whose name has no marks is
    no better evidence than the folded one with the other twin, so the record goes to review."""
    for twin in (KHAI, KHAI_TWIN):
        record = abroad(twin, "Le Anh Khai", birth_place="Xa Tan Soi, Tinh Bac Giang")
        result = matcher.match(record)
        assert {c.identity_id for c in result.candidates[:2]} == {KHAI.record_id, KHAI_TWIN.record_id}
        assert result.decision is Decision.REVIEW and TWIN_MARGIN in result.conflicts
        first, second = result.candidates[:2]
        assert abs(first.weight - second.weight) < 1e-9
