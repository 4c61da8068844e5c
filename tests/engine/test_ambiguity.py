"""The twin doubt of a folded given name: whether other names of the sex share its folded form."""

from __future__ import annotations

import numpy as np

from linkage.domain import PersonRecord, Sex
from linkage.engine.ambiguity import FLOOR_WHEN_ALONE, FoldAmbiguity
from linkage.engine.features import Encoder, FeatureTable


def _table(names: list[tuple[str, Sex]]) -> FeatureTable:
    encoder = Encoder()
    table = FeatureTable(encoder)
    people = [PersonRecord(source="population", record_id=f"P{i}", full_name=f"Trần Thị {given}", sex=sex,
                           birth_date="2001-02-03") for i, (given, sex) in enumerate(names)]
    table.append([p.record_id for p in people], [encoder.encode(p) for p in people])
    return table


def _ambiguity(table: FeatureTable, given: str, sex: int) -> float:
    name_id = table.encoder.names.lookup(given.lower())
    return float(FoldAmbiguity(table).of(np.array([name_id]), np.array([sex]))[0])


def test_a_folded_form_only_one_name_holds_leaves_little_doubt() -> None:
    table = _table([("Uy", Sex.FEMALE)] * 5 + [("Lan", Sex.FEMALE)] * 8 + [("Lân", Sex.FEMALE)] * 2)
    assert _ambiguity(table, "Uy", 2) == FLOOR_WHEN_ALONE


def test_a_shared_folded_form_keeps_the_doubt_of_the_other_names() -> None:
    table = _table([("Lan", Sex.FEMALE)] * 19 + [("Lân", Sex.FEMALE)] * 1)
    assert _ambiguity(table, "Lân", 2) == 1.0
    assert _ambiguity(table, "Lan", 2) == 1.0   # however rare Lân is: twins are named as a pair


def test_names_of_the_other_sex_do_not_count() -> None:
    table = _table([("Lan", Sex.FEMALE)] * 8 + [("Lân", Sex.MALE)] * 2)
    assert _ambiguity(table, "Lan", 2) == FLOOR_WHEN_ALONE
    assert _ambiguity(table, "Lan", 1) == 1.0   # every male "lan" is someone else
    assert _ambiguity(table, "Lan", 0) == 1.0   # sex unknown: the larger doubt


def test_counts_follow_the_table_as_it_grows() -> None:
    table = _table([("Lan", Sex.FEMALE)] * 4)
    ambiguity = FoldAmbiguity(table)
    lan = np.array([table.encoder.names.lookup("lan")])
    assert ambiguity.of(lan, np.array([2]))[0] == FLOOR_WHEN_ALONE
    extra = PersonRecord(source="population", record_id="X", full_name="Trần Thị Lân", sex=Sex.FEMALE)
    table.append(["X"], [table.encoder.encode(extra)])
    assert ambiguity.of(lan, np.array([2]))[0] == 1.0
