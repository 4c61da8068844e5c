"""The candidate index: union of blocks, the cap on huge blocks, incremental adds; the quality figures."""

from __future__ import annotations

import numpy as np
import pytest

from linkage.engine.evaluation import Outcomes, summarise
from linkage.engine.index import CandidateIndex
from linkage.engine.vocabulary import GrowableColumn, Vocabulary


def test_union_of_blocks_is_sorted_and_unique():
    index = CandidateIndex(cap=10)
    index.add([0, 1, 2, 3], [{10, 11}, {10}, {12}, {11, 12}])
    assert index.candidates([10, 11]).tolist() == [0, 1, 3]
    assert index.candidates([12]).tolist() == [2, 3]
    assert index.candidates([99]).tolist() == []
    assert index.candidates([]).tolist() == []


def test_blocks_larger_than_the_cap_are_skipped_but_others_still_answer():
    index = CandidateIndex(cap=3)
    index.add(range(5), [{1, 100 + i} for i in range(5)])  # key 1 is shared by all five: a huge block
    assert index.candidates([1]).tolist() == []
    assert index.candidates([1, 102]).tolist() == [2]
    assert index.block_sizes([1, 102]).tolist() == [5, 1]


def test_incremental_adds_are_visible_at_once_and_after_merging():
    index = CandidateIndex(cap=100, merge_fraction=0.0)  # merge on every add
    lazy = CandidateIndex(cap=100, merge_fraction=1e9)   # never merge: lookups read the delta
    for target in (index, lazy):
        target.add([0, 1], [{7}, {8}])
        assert target.candidates([7, 8]).tolist() == [0, 1]
        target.add([2], [{7}])
        assert target.candidates([7]).tolist() == [0, 2]
        assert len(target) == 3


def test_the_delta_never_holds_more_than_max_delta_filings():
    """However large the index (so however far off its merge fraction), new filings are merged into the
    arrays once the dict would hold more than `max_delta` of them: its memory stays bounded."""
    index = CandidateIndex(cap=100, merge_fraction=1e9, max_delta=10)
    for row in range(40):
        index.add([row], [{row % 7, 100 + row}])
        assert index._pending_keys.size <= 10 and sum(map(len, index._delta.values())) <= 10
    assert index.candidates([3]).tolist() == [3, 10, 17, 24, 31, 38] and len(index) == 80


def test_index_matches_a_brute_force_union_on_random_keys():
    rng = np.random.default_rng(3)
    keys = [set(rng.integers(0, 200, size=4).tolist()) for _ in range(2000)]
    index = CandidateIndex(cap=60)
    for start in range(0, 2000, 300):  # several incremental batches
        index.add(range(start, min(start + 300, 2000)), keys[start:start + 300])
    sizes = {k: sum(k in row for row in keys) for k in range(200)}
    query = [5, 17, 123, 199]
    expected = sorted({i for i, row in enumerate(keys) for k in query if k in row and sizes[k] <= 60})
    assert index.candidates(query).tolist() == expected


def test_vocabulary_reserves_zero_for_missing_and_counts_occurrences():
    vocab: Vocabulary[str] = Vocabulary("")
    assert vocab.encode("") == 0
    a, b = vocab.encode("lan"), vocab.encode("mai")
    assert vocab.encode("lan") == a and a != b and vocab.lookup("x") == -1
    vocab.count(np.array([a, a, b, 0]))
    assert vocab.counts_of(np.array([a, b, 0, 999])).tolist() == [2, 1, 0, 0]
    assert vocab.total == 3


def test_growable_column_keeps_values_across_growth():
    column = GrowableColumn(np.int32, capacity=2)
    for chunk in (np.arange(3), np.arange(3, 10)):
        column.extend(chunk)
    assert column.view.tolist() == list(range(10))


def test_summary_figures_on_a_hand_made_outcome():
    outcomes = Outcomes(
        truth=["a", "b", "c", None, None],
        predicted=["a", "b", "x", "y", None],
        score=np.array([0.99, 0.9, 0.8, 0.95, -np.inf]),
        linked=np.array([True, True, False, True, False]),
        retrieved=np.array([True, True, False, False, False]),
        candidate_pairs=10,
    )
    s = summarise(outcomes, population=100)
    assert s["recall_at_p999"] == pytest.approx(1 / 3)       # only "a" is above the first false link
    assert s["f1"] == pytest.approx(2 * (2 / 3) * (2 / 3) / (4 / 3))
    assert s["false_link_rate_no_match"] == pytest.approx(0.5)
    assert s["pair_completeness"] == pytest.approx(2 / 3)
    assert s["reduction_ratio"] == pytest.approx(1 - 10 / 500)
    assert s["op_precision"] == pytest.approx(2 / 3)


def test_keys_are_stored_as_32_bits_and_wider_hashes_fold_to_their_low_bits():
    index = CandidateIndex(cap=10)
    wide = (1 << 40) + 7
    index.add([0, 1], [{wide}, {7}])  # the same low 32 bits: one block
    assert index.candidates([7]).tolist() == [0, 1] == index.candidates([wide]).tolist()
    assert index.nbytes() == 2 * 8  # a filing costs a uint32 key and an int32 row


def test_an_index_over_read_only_sorted_arrays_answers_and_grows_without_writing_them():
    keys, rows = np.array([3, 5, 5, 9], dtype=np.uint32), np.array([0, 1, 2, 3], dtype=np.int32)
    keys.flags.writeable = rows.flags.writeable = False  # as a memory-mapped snapshot gives them
    index = CandidateIndex.from_sorted(keys, rows, cap=10, merge_fraction=0.0)
    index.add([4], [{5}])
    assert index.candidates([5]).tolist() == [1, 2, 4] and keys.tolist() == [3, 5, 5, 9]
    with pytest.raises(ValueError, match="not sorted"):
        CandidateIndex.from_sorted(np.array([2, 1], dtype=np.uint32), np.array([0, 1], dtype=np.int32))


def test_identity_ids_find_the_newest_row_across_merges_replacements_and_removals():
    from linkage.engine.identity_ids import IdentityIds

    ids = IdentityIds(min_pending=2, merge_fraction=0.0)
    assert ids.append(["b", "a", "c"]).tolist() == [-1, -1, -1]  # merged: pending passed 2
    assert ids.append(["a"]).tolist() == [1]                        # pending: replaces row 1
    assert ids.rows_of(["a", "b", "zz"]).tolist() == [3, 0, -1]
    assert ids.append(["dd-longer-id", "a", "e"]).tolist() == [-1, 3, -1]  # merges, widens the array
    assert ids.rows_of(["a", "dd-longer-id", "c"]).tolist() == [5, 4, 2]
    assert ids.live_count() == 5 and len(ids) == 7
    assert ids.forget(["c", "c", "nope"]).tolist() == [2] and ids.live_count() == 4
    assert "c" not in ids.row_of and ids.row_of["a"] == 5 and ids.ids[4] == "dd-longer-id"
    assert sorted(ids.row_of.values()) == [0, 4, 5, 6]
    assert sorted(ids.row_of) == ["a", "b", "dd-longer-id", "e"]
    assert ids.append(["c"]).tolist() == [-1] and ids.live_count() == 5  # a removed id may come back


def test_identity_ids_in_one_batch_keep_the_last_row_of_a_repeated_id():
    from linkage.engine.identity_ids import IdentityIds

    ids = IdentityIds()
    assert ids.append(["x", "y", "x"]).tolist() == [-1, -1, 0]
    assert ids.row_of["x"] == 2 and ids.live_count() == 2


def test_a_column_over_a_read_only_array_copies_on_its_first_write():
    base = np.arange(4, dtype=np.int32)
    base.flags.writeable = False
    column = GrowableColumn.over(base)
    assert column.view is base or np.shares_memory(column.view, base)
    column.writable()[0] = 9
    column.extend(np.array([4]))
    assert column.view.tolist() == [9, 1, 2, 3, 4] and base.tolist() == [0, 1, 2, 3]
