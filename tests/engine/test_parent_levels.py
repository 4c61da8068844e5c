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
