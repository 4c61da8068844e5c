"""`NameLevels` (integer columns per name) gives exactly `compare_part`'s level for every pair."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest

from linkage.engine.features import Encoder
from linkage.engine.namelevels import NameLevels
from linkage.engine.scorer import _NAME_CODE
from linkage.vn.compare import compare_part
from linkage.vn.names import parse_name

VECTORS = Path(__file__).resolve().parents[1] / "vn" / "name_vectors.csv"
# each rule of compare_part, and the near misses of each (probed against every other value)
EDGE_CASES = ("Ngả", "Ngã", "ngả", "Lý", "Lí", "Huỳnh", "Hoàng", "huynh", "hoang", "Võ", "Vũ", "H'Hen", "Hen",
              "Tôn Thất", "Tôn", "Ton", "ton that", "Vy", "Vi", "Đức", "Duc", "duc", "Thị Lan", "Lan", "Hoa",
              "Hoan", "Khánh", "Khải", "Kha", "Giệu", "Diệu", "Trung", "Chung", "!!", "Nguyễn Văn", "xyz",
              "Phương", "Phuong", "Phuong Anh", "Nguyen Thi Minh Khai", "Nguyễn Thị Minh Khai", "H'Lê", "Le",
              "Lé", "H'Bơ", "Bo")


def _vector_values() -> list[str]:
    """Every name, token and parsed part in the project's name vectors, plus hand-picked edge cases."""
    found: set[str] = set()
    with VECTORS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for text in (row["a"], row["b"]):
                found.add(text)
                found.update(text.split())
                parsed = parse_name(text)
                found.update((parsed.surname, " ".join(parsed.middle), parsed.given))
    found.update(EDGE_CASES)
    found.discard("")
    return sorted(found)


def _levels_against_all(values: list[str], probes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    vocabulary = ["", *values]
    levels = NameLevels(vocabulary, _NAME_CODE)
    ids = np.arange(len(vocabulary), dtype=np.int32)
    got = np.stack([levels.levels(a, ids) for a in probes])
    want = np.array([[_NAME_CODE[compare_part(vocabulary[a], vocabulary[b])] for b in ids.tolist()]
                     for a in probes], dtype=np.int8)
    return got, want


def _assert_equal(values: list[str], got: np.ndarray, want: np.ndarray, probes: list[int]) -> None:
    vocabulary = ["", *values]
    wrong = np.argwhere(got != want)
    shown = [(vocabulary[probes[i]], vocabulary[j], int(got[i, j]), int(want[i, j])) for i, j in wrong[:10]]
    assert not len(wrong), f"{len(wrong)} pairs differ (a, b, got, want): {shown}"


def test_equals_compare_part_on_name_vectors() -> None:
    values = _vector_values()
    edge = [i + 1 for i, v in enumerate(values) if v in EDGE_CASES]
    probes = sorted({0, *edge, *random.Random(3).sample(range(1, len(values) + 1), 250)})
    got, want = _levels_against_all(values, probes)
    _assert_equal(values, got, want, probes)
    assert len(set(want.ravel().tolist())) == 9  # every level, missing included, occurs in the table


@pytest.fixture(scope="module")
def population_names() -> list[str]:
    from linkage.synth.population import generate_population

    encoder = Encoder()
    people = generate_population(3000, seed=11).records()
    for person in people:
        encoder.encode(person)
    return [v for v in encoder.names.values if v]


def test_equals_compare_part_on_a_synthetic_population(population_names) -> None:
    probes = random.Random(5).sample(range(1, len(population_names) + 1), 150)
    got, want = _levels_against_all(population_names, probes)
    _assert_equal(population_names, got, want, probes)


def test_new_names_are_picked_up_and_repeated_ids_agree() -> None:
    vocabulary = ["", "Nguyễn", "Nguyen"]
    levels = NameLevels(vocabulary, _NAME_CODE)
    assert levels.levels(1, np.array([2, 0, 1, 2]))[[0, 1, 2, 3]].tolist() == [
        _NAME_CODE[compare_part("Nguyễn", "Nguyen")], _NAME_CODE[compare_part("", "x")], 0,
        _NAME_CODE[compare_part("Nguyễn", "Nguyen")]]
    vocabulary += ["Huỳnh", "Hoàng"]  # the encoder's list grows as records bring new names
    assert levels.levels(3, np.array([4])).tolist() == [_NAME_CODE[compare_part("Huỳnh", "Hoàng")]]
    assert levels.levels(0, np.array([1, 2])).tolist() == [_NAME_CODE[compare_part("", "Nguyễn")]] * 2


def test_levels_many_equals_levels_pair_by_pair(population_names) -> None:
    vocabulary = ["", *population_names, " "]  # an empty name (nothing left once normalised) as well
    levels = NameLevels(vocabulary, _NAME_CODE)
    rng = np.random.default_rng(7)
    ids = np.arange(len(vocabulary))
    pairs = [(int(a), rng.choice(ids, size=int(rng.integers(0, 60)))) for a in rng.choice(ids, size=40)]
    pairs += [(0, ids[:5]), (len(vocabulary) - 1, ids[:5]), (1, np.zeros(0, dtype=np.int32))]
    got = levels.levels_many(pairs)
    assert [len(g) for g in got] == [len(b) for _, b in pairs]
    for (a, b), found in zip(pairs, got, strict=True):
        want = [_NAME_CODE[compare_part(vocabulary[a], vocabulary[x])] for x in b.tolist()]
        assert found.tolist() == want, vocabulary[a]


def test_sounds_alike_is_the_folded_phonetic_agreement() -> None:
    vocabulary = ["", "Nguyễn", "nguyen", "Nguyên", "Trần", " "]
    levels = NameLevels(vocabulary, _NAME_CODE)
    assert levels.sounds_alike(1, np.array([1, 2, 3, 4, 0, 5])).tolist() == [True, True, True, False, False,
                                                                              False]
    assert not levels.sounds_alike(0, np.array([0, 1])).any()
    assert not levels.sounds_alike(5, np.array([5, 1])).any()


def test_names_sharing_some_leading_letters_in_any_script() -> None:
    """The Jaro-Winkler bound packs each name's first four letters into one integer: names that share
    0 to 4 of them, shorter names, and letters outside ASCII (kept by folding) bound exactly as before."""
    values = ["Khánh", "Khanh", "Khan", "Kha", "Kh", "K", "Kiên", "Anna", "Ann", "Annie", "Anh", "Hanna",
              "Дмитрий", "Дмитри", "Дима", "李明", "李", "Marie-Ann", "Mari", "Maria"]
    probes = list(range(len(values) + 1))
    got, want = _levels_against_all(values, probes)
    _assert_equal(values, got, want, probes)
