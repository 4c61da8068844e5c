"""A small population (synthetic background plus hand-written people) and a matcher over it.

The hand-written people are invented; none is a real person. The background comes from the project's
synthetic generator so that term frequencies and near misses look like a population's.
"""

from __future__ import annotations

import pytest

from linkage.domain import PersonRecord, Sex

BACKGROUND = 4000


def person(record_id: str, full_name: str, sex: Sex, birth_date: str, birth_place: str, mother: str,
           father: str, pid: str = "", source: str = "population") -> PersonRecord:
    return PersonRecord(source=source, record_id=record_id, full_name=full_name, sex=sex,
                        birth_date=birth_date, birth_place=birth_place, mother_name=mother,
                        father_name=father, pid=pid)


VY = person("HAND-VY", "Huỳnh Thị Thúy Vy", Sex.FEMALE, "2012-03-09",
            "Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang", "Đặng Thị Hoa", "Huỳnh Văn Đức", "024312004711")
TWIN_A = person("HAND-KHAI", "Lương Văn Khải", Sex.MALE, "2015-06-02", "Phường Tân Hòa, Tỉnh Hòa Bình",
                "Tạ Thị Nhung", "Lương Văn Bình", "017215003321")
TWIN_B = person("HAND-KHANH", "Lương Văn Khánh", Sex.MALE, "2015-06-02", "Phường Tân Hòa, Tỉnh Hòa Bình",
                "Tạ Thị Nhung", "Lương Văn Bình", "017215003322")
HANDMADE = (VY, TWIN_A, TWIN_B)


@pytest.fixture(scope="session")
def background() -> list[PersonRecord]:
    from linkage.synth.population import generate_population

    return generate_population(BACKGROUND, seed=97).records()


@pytest.fixture(scope="session")
def matcher(background):
    from linkage.engine import build_matcher

    built = build_matcher()
    built.add_identities([*background, *HANDMADE])
    return built
