"""Term-frequency adjustments: an agreement weighs by how common the agreed value is among the
identities, against the average agreement of its own kind (written alike, or alike once folded)."""

from __future__ import annotations

import dataclasses

import pytest

from linkage.domain import Sex
from linkage.engine import build_matcher
from linkage.engine.training import train
from tests.engine.conftest import person

# surnames no table holds, each carried by as many identities: every one is as common as the average
SURNAMES = ["Khuých", "Quềnh", "Nguých", "Thoạch", "Xuýnh", "Khoắc", "Ngoẵng", "Quýnh"]


@pytest.fixture(scope="module")
def matcher():
    people = [person(f"P{i:03d}-{j}", f"{surname} Văn {given}", Sex.MALE, f"19{60 + j}-0{1 + i % 9}-1{j}",
                     "Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang", "", "", "")
              for i, surname in enumerate(SURNAMES)
              for j, given in enumerate(["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Minh"])]
    built = build_matcher()
    built.add_identities(people)
    train(people, matcher=built)  # the bases from these identities: no records, no m or u learnt
    return built, people


@pytest.mark.parametrize("written", ["Quềnh Văn Bình", "Quenh Van Binh"])
def test_a_value_as_common_as_the_average_agreement_adjusts_nothing(matcher, written):
    """With marks the agreement is exact, without them folded: each is measured against agreements of
    its kind. Measured against exact agreements, a name written without marks lost bits it agreed on."""
    built, people = matcher
    me = people[len(SURNAMES) + 1]  # Quềnh Văn Bình
    record = dataclasses.replace(me, source="adoption_file", record_id="R-1", full_name=written)
    result = built.match(record)
    candidate = next(c for c in result.candidates if c.identity_id == me.record_id)
    surname = next(c for c in candidate.contributions if c.field == "surname")
    assert surname.level in ("exact", "folded")
    assert surname.tf_adjustment == pytest.approx(0.0, abs=0.05)


def test_a_parents_name_weighs_by_how_many_identities_name_a_parent_so(background):
    """Nguyễn Thị Lan is the mother of many in the register, Bùi Vân Ngọc of one: her name agreeing says
    more. Both are compared by surname and given name, folded (`linkage.engine.parent_names`)."""
    place = "Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang"
    common = person("M-COMMON", "Trần Văn Quý", Sex.MALE, "2001-02-03", place, "Nguyễn Thị Lan", "")
    rare = person("M-RARE", "Trần Văn Quế", Sex.MALE, "2001-02-04", place, "Bùi Vân Ngọc", "")
    lans = [person(f"M-LAN-{i}", f"Lê Văn {given}", Sex.MALE, f"19{70 + i}-05-06", place,
                   "Nguyễn Thị Lan", "")
            for i, given in enumerate(["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Minh"])]
    built = build_matcher()
    built.add_identities([*background, common, rare, *lans])
    train([*background, common, rare, *lans], matcher=built)

    def mother_tf(me) -> float:
        record = dataclasses.replace(me, source="adoption_file", record_id="R-" + me.record_id)
        candidate = next(c for c in built.match(record).candidates if c.identity_id == me.record_id)
        mother = next(c for c in candidate.contributions if c.field == "mother_name")
        assert mother.level == "exact"
        return mother.tf_adjustment

    assert mother_tf(rare) > mother_tf(common) + 2.0
