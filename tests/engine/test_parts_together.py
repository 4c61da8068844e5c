"""Name parts that agree are priced together where pricing them apart claims them rarer than the
identities show: a register full of namesakes does not let a rare full name link on its own."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from linkage.domain import Sex
from linkage.engine import build_matcher
from linkage.engine.name_parts import good_turing, part_keys
from linkage.model.explain import PARTS_TOGETHER_FIELD, total
from tests.engine.conftest import person

SURNAMES = ["Khuých", "Quềnh", "Nguých", "Thoạch", "Xuýnh", "Khoắc", "Ngoẵng", "Quýnh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Minh"]
PLACE = "Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang"


def test_a_name_seen_once_is_as_common_as_the_names_seen_twice_say():
    once, twice = np.arange(40), np.repeat(np.arange(100, 120), 2)  # 40 names seen once, 20 seen twice
    adjusted = good_turing(np.sort(np.r_[once, twice].astype(np.uint32)))
    assert adjusted[1] == pytest.approx(2 * 20 / 40)
    assert adjusted[2] == 2  # nothing seen three times: the count stands


def test_too_few_names_seen_twice_are_no_evidence_that_names_recur():
    assert good_turing(np.arange(1000, dtype=np.uint32))[1] == 0  # no name recurs
    few = np.sort(np.r_[np.arange(12), [100, 100]].astype(np.uint32))  # one name of 13 recurs
    assert good_turing(few)[1] == 0


def test_keys_tell_the_combinations_of_parts_apart():
    a = (np.array([1, 1]), np.array([2, 3]), np.array([4, 4]))
    surname_given = part_keys(a, 0b101)
    assert surname_given[0] == surname_given[1]  # the middle names differ, but they are left out
    assert part_keys(a, 0b111)[0] != part_keys(a, 0b111)[1]
    assert part_keys(a, 0b011)[0] != part_keys(a, 0b101)[0]


def _matcher(namesakes: bool, added: int = 1):
    people = [person(f"P{i}-{j}-{k}", f"{surname} Văn {given}", Sex.MALE, f"19{60 + j}-0{1 + i % 9}-1{k}",
                     PLACE, "", "", "")
              for i, surname in enumerate(SURNAMES) for j, given in enumerate(GIVEN)
              for k in range(2 if namesakes and (i + j) % 2 else 1)]
    built = build_matcher()
    for _ in range(added):  # an identity added again replaces its earlier version
        built.add_identities(people)
    return built, people


@pytest.mark.parametrize(("namesakes", "added"), [(True, 1), (False, 1), (False, 2)])
def test_a_rare_name_weighs_as_the_register_shows_namesakes(namesakes, added):
    """Its replaced versions are no namesakes of an identity: added twice, no name recurs."""
    built, people = _matcher(namesakes, added)
    me = next(p for p in people if p.full_name == "Khuých Văn An")  # carried once either way
    record = dataclasses.replace(me, source="adoption_file", record_id="R-1", birth_date="1960")
    candidate = next(c for c in built.match(record).candidates if c.identity_id == me.record_id)
    together = [c for c in candidate.contributions if c.field == PARTS_TOGETHER_FIELD]
    if namesakes:  # half the names recur: a name seen once is no rarer than one in the register
        assert len(together) == 1 and together[0].weight < -1.0, together
        assert "carried together by 1 of" in together[0].level
    else:
        assert not together
    assert total(candidate.contributions) == pytest.approx(candidate.weight)
