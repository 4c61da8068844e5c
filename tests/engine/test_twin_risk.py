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
ALONE = person("T-ALONE", "Đỗ Thị Lan", Sex.FEMALE, "2015-11-23", PLACE, "Ngô Thị Hạnh", "Đỗ Văn Tâm",
               "024315009876")


@pytest.fixture(scope="module")
def matcher(background):
    from linkage.engine import build_matcher

    built = build_matcher()
    built.add_identities([*background, LAN, LAN_TWIN, LONG, PHUNG, ALONE])
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
