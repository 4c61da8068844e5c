"""Parents' names: the other name order is read only where it aligns both names."""

from __future__ import annotations

import numpy as np

from linkage.engine.scorer import N_DIFFERENT, N_EXACT, _parent_levels
from linkage.model.comparisons import PARENT_LEVELS
from linkage.model.spec import NULL_LEVEL


def _levels(given, surname, given_swap, surname_swap) -> int:
    one = [np.array([v], dtype=np.int8) for v in (given, surname, given_swap, surname_swap)]
    return int(_parent_levels(*one, np.array([0]))[0])


def test_a_western_order_parent_agrees_in_the_other_order():
    """"Hạnh Thị Phạm" against Phạm Thị Hạnh: both names agree once swapped."""
    assert _levels(N_DIFFERENT, N_DIFFERENT, N_EXACT, N_EXACT) == PARENT_LEVELS.index("exact")


def test_a_family_name_alone_does_not_agree_as_the_given_name():
    """"Danh Chanh Đa" against "Danh Pol" read without a surname (given "danh"): only the clan name would
    agree, as a given name, in the other order: the parent differs."""
    assert _levels(N_DIFFERENT, NULL_LEVEL, N_EXACT, NULL_LEVEL) == PARENT_LEVELS.index("different")


def test_a_western_order_parent_agrees_on_either_forename():
    """"Trọng Trung Nguyễn" is Nguyễn Trung Trọng moved round or Nguyễn Trọng Trung kept in order: the
    father named Trọng agrees as well as a father named Trung, not worse."""
    from linkage.domain import PersonRecord, Sex
    from linkage.engine.matcher import FellegiSunterMatcher
    from linkage.model import load_default_model

    def person(record_id: str, father: str) -> PersonRecord:
        return PersonRecord(source="population", record_id=record_id, full_name="Nguyễn Quỳnh Linh",
                            sex=Sex.FEMALE, birth_date="1991-12-24", birth_place="Tỉnh An Giang",
                            mother_name="Trần Thị Vy", father_name=father)

    matcher = FellegiSunterMatcher(load_default_model())
    matcher.add_identities([person("P-TRONG", "Nguyễn Trung Trọng"), person("P-TRUNG", "Nguyễn Văn Trung")])
    record = PersonRecord(source="adoption_file", record_id="R-1", full_name="NGUYEN Linh", sex=Sex.FEMALE,
                          birth_date="", birth_place="", mother_name="", father_name="Trọng Trung Nguyễn")
    levels = {c.identity_id: next(x.level for x in c.contributions if x.field == "father_name")
              for c in matcher.match(record).candidates}
    assert levels == {"P-TRONG": "exact", "P-TRUNG": "exact"}
