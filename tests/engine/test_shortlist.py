"""The shortlist: only the candidates of highest rough weight are scored in full, and it changes no outcome
that matters (the decision and the best candidate)."""

from __future__ import annotations

import numpy as np
import pytest

from linkage.engine import build_matcher
from tests.engine.conftest import HANDMADE, VY
from tests.engine.test_matcher import CORRUPTIONS, record_of

SHORT = 5


@pytest.fixture(scope="module")
def short(background):
    built = build_matcher(shortlist=SHORT)
    built.add_identities([*background, *HANDMADE])
    return built


def test_the_shortlist_keeps_the_highest_rough_weights_in_row_order(short) -> None:
    encoded = short.encoder.encode(record_of(VY, full_name="Huynh Vy", birth_date="2012"))
    rows = short.candidate_rows(encoded)
    assert len(rows) > SHORT
    kept = short.scorer.shortlist(encoded, rows, SHORT)
    rough = short.scorer.rough_weights(encoded, short.scorer.gather(rows))
    assert len(kept) == SHORT and np.all(np.diff(kept) > 0)
    assert rough[np.isin(rows, kept)].min() >= rough[~np.isin(rows, kept)].max()
    assert short.table.row_of[VY.record_id] in kept
    assert np.array_equal(short.scorer.shortlist(encoded, rows[:SHORT], SHORT), rows[:SHORT])


def test_the_true_identity_has_the_highest_rough_weight(short) -> None:
    encoded = short.encoder.encode(record_of(VY))
    rows = short.candidate_rows(encoded)
    rough = short.scorer.rough_weights(encoded, short.scorer.gather(rows))
    assert rows[int(np.argmax(rough))] == short.table.row_of[VY.record_id]


def test_a_short_list_gives_the_decision_and_best_candidate_of_all_candidates(matcher, short) -> None:
    cut = 0
    for corruption, changes in sorted(CORRUPTIONS.items()):
        record = record_of(VY, **changes)
        whole, shortlisted = matcher.match(record), short.match(record)
        cut += len(matcher.candidate_rows(matcher.encoder.encode(record))) > SHORT
        assert shortlisted.decision == whole.decision, corruption
        assert shortlisted.best.identity_id == whole.best.identity_id == VY.record_id, corruption
    assert cut > len(CORRUPTIONS) / 2  # the shortlist left candidates out for most records
