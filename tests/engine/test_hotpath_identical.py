"""The latency shortcuts of the hot path change no result: decisions, probabilities, explanations.

- name levels from integer columns (`NameLevels`) against the per-pair `compare_part` cache;
- the store's already-linked question asked only when its answer can change the decision;
- a new model reusing what the old scorer derived from the table (`Scorer.with_model`).
"""

from __future__ import annotations

import pytest

from linkage.domain import Decision
from linkage.engine import build_matcher
from linkage.engine.decide import ALREADY_LINKED
from linkage.engine.matcher import FellegiSunterMatcher, redecide_with_links
from linkage.engine.scorer import _NAME_CODE
from linkage.model import load_default_model
from linkage.model.comparisons import untrained_model
from linkage.vn.compare import compare_part
from tests.engine.reference_levels import PairLevelCache


def _name_code(a: str, b: str) -> int:
    """The per-pair path the vectorised name levels replaced: the reference they must equal."""
    return _NAME_CODE[compare_part(a, b)]


@pytest.fixture(scope="module")
def sample(background):
    from linkage.synth.population import generate_population
    from linkage.synth.records import build_records

    del background
    population = generate_population(4000, seed=23)
    records, _ = build_records(population, 600, 29)
    return population.records(), records


def _matcher(identities, checker=None):
    built = build_matcher()
    built.add_identities(identities)
    built.conflict_checker = checker
    return built


def test_name_levels_from_columns_give_the_same_results_as_per_pair_compare_part(sample) -> None:
    identities, records = sample
    fast, reference = _matcher(identities), _matcher(identities)
    reference.scorer._names = PairLevelCache(reference.encoder.names.values, _name_code)
    for record in records:
        assert fast.match(record) == reference.match(record), record.record_id


def test_the_store_is_asked_only_when_its_answer_can_matter(sample) -> None:
    identities, records = sample
    asked: list[str] = []

    def always_linked(record, best):
        asked.append(record.record_id)
        return [ALREADY_LINKED]

    checked, plain = _matcher(identities, always_linked), _matcher(identities)
    outcomes = set()
    for record in records:
        without = plain.match(record)
        expected = redecide_with_links(without, plain.model,
                                       {without.best.identity_id} if without.best else set())
        got = checked.match(record)
        assert got == expected, record.record_id
        outcomes.add(got.decision)
    assert 0 < len(asked) < len(records)  # asked for some records, spared for the hopeless ones
    assert {Decision.NO_LINK, Decision.REVIEW} <= outcomes


def test_a_model_swapped_in_scores_as_a_scorer_built_for_it_and_keeps_what_the_table_derived(sample) -> None:
    identities, records = sample
    swapped = _matcher(identities[:2000])
    for record in records[:50]:  # derive the table's features under the first model
        swapped.match(record)
    before = swapped.scorer
    swapped.use_model(untrained_model())
    assert swapped.scorer._name_features is before._name_features  # not derived again
    swapped.add_identities(identities[2000:])  # the shared features grow with the table
    fresh = FellegiSunterMatcher(untrained_model())  # its scorer built for the model, over its own table
    fresh.add_identities(identities)
    for record in records:
        assert swapped.match(record) == fresh.match(record), record.record_id
    assert before.model.version == load_default_model().version  # the old scorer kept its model
