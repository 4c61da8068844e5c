"""The twin doubt: whether other names of the sex share a folded form, and whether a co-twin is registered."""

from __future__ import annotations

import dataclasses

import numpy as np

from linkage.domain import PersonRecord, Sex
from linkage.engine.ambiguity import FLOOR_WHEN_ALONE, FoldAmbiguity, RegisteredTwins
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


def _family(record_id: str, given: str, birth_date: str = "2016-04-05",
            mother: str = "Lê Thị Hoa") -> PersonRecord:
    return PersonRecord(source="population", record_id=record_id, full_name=f"Trần Thị {given}",
                        sex=Sex.FEMALE, birth_date=birth_date,
                        birth_place="Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang",
                        mother_name=mother, father_name="Trần Văn Đức")


def _registered(people: list[PersonRecord]) -> dict[str, bool]:
    table = FeatureTable(Encoder())
    table.append([p.record_id for p in people], [table.encoder.encode(p) for p in people])
    found = RegisteredTwins(table).of(np.arange(len(people)))
    return {p.record_id: bool(f) for p, f in zip(people, found, strict=True)}


def test_a_child_of_the_same_birth_with_another_name_is_a_registered_twin() -> None:
    found = _registered([_family("A", "Lan"), _family("B", "Lân"), _family("C", "Lan", mother="Vũ Thị Mai")])
    assert found == {"A": True, "B": True, "C": False}   # C: other parents


def test_a_sibling_born_another_day_or_the_same_name_twice_is_no_twin() -> None:
    found = _registered([_family("A", "Lan"), _family("B", "Mai", birth_date="2017-09-01"),
                         _family("C", "Hương", birth_date="2019-02-03"), _family("D", "Hương", "2019-02-03")])
    assert not any(found.values())   # D is C registered twice


def test_a_birth_known_only_to_the_year_or_without_parents_tells_no_twin() -> None:
    year_only = [_family("A", "Lan", birth_date="2016"), _family("B", "Lân", birth_date="2016")]
    foundlings = [dataclasses.replace(p, mother_name="", father_name="")
                  for p in (_family("C", "Lan"), _family("D", "Lân"))]
    assert not any(_registered(year_only).values())
    assert not any(_registered(foundlings).values())


def test_a_co_twin_registered_later_is_found() -> None:
    table = FeatureTable(Encoder())
    first = _family("A", "Lan")
    table.append(["A"], [table.encoder.encode(first)])
    twins = RegisteredTwins(table)
    assert not twins.of(np.array([0]))[0]
    table.append(["B"], [table.encoder.encode(_family("B", "Lân"))])
    assert twins.of(np.array([0, 1])).tolist() == [True, True]
