"""The waterfall a steward sees: the prior, then what each comparison added, then the total.

Built from the same weight tables the scorer sums, so the explanation always adds up to the score:
sum(c.weight + c.tf_adjustment for c in contributions) == candidate weight.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from linkage.domain import FieldContribution
from linkage.model.spec import NULL_LEVEL, Model

PRIOR_FIELD = "prior"


COMPETITION_FIELD = "competition"
PARTS_TOGETHER_FIELD = "name_parts_together"


def contributions(
    model: Model,
    population: int,
    level_codes: Sequence[int],
    tf_adjustments: Sequence[float],
    left: Sequence[str],
    right: Sequence[str],
    tables: list[np.ndarray] | None = None,
    competition: float | None = None,
    competitors: int = 0,
    twin_risk: float = 0.0,
    together: float = 0.0,
    carriers: int = 0,
) -> tuple[FieldContribution, ...]:
    """The prior, one FieldContribution per comparison (null ones show as "missing", 0 bits), the name
    parts that agree priced together where they were priced rarer apart (`together` bits, `carriers`
    identities carrying them), and the competition term: -log2(1 + sum of the other candidates' odds),
    since one record is one person."""
    tables = tables or model.weight_tables()
    items = [FieldContribution(PRIOR_FIELD, f"π={model.prior:.3g} of {population:,} identities",
                               float(model.prior_weight(population)))]
    # plain Python numbers (one conversion per row, not one per field): the same values
    codes = level_codes.tolist() if isinstance(level_codes, np.ndarray) else [int(c) for c in level_codes]
    tfs = tf_adjustments.tolist() if isinstance(tf_adjustments, np.ndarray) else \
        [float(t) for t in tf_adjustments]
    for j, comparison in enumerate(model.comparisons):
        code = codes[j]
        items.append(FieldContribution(
            comparison.name,
            "missing" if code == NULL_LEVEL else comparison.levels[code].label,
            tables[j].item(code),
            tfs[j],
            left[j],
            right[j],
        ))
    if together:
        items.append(FieldContribution(PARTS_TOGETHER_FIELD, f"carried together by {carriers:,} of "
                                       f"{population:,} identities", float(together)))
    if competition is not None:
        label = f"{competitors} other candidates"
        if twin_risk:
            label += f", a possible unregistered twin ({twin_risk:g})"
        items.append(FieldContribution(COMPETITION_FIELD, label, float(competition)))
    return tuple(items)


def total(items: Sequence[FieldContribution]) -> float:
    return float(sum(item.weight + item.tf_adjustment for item in items))


def describe(item: FieldContribution) -> str:
    """A readable sentence, e.g. 'given: exact (+9.1 bits, tf +2.3): 1100x more likely a match'."""
    bits = item.weight + item.tf_adjustment
    factor = 2.0 ** bits
    direction = (f"{factor:,.1f}x more likely a match" if bits >= 0
                 else f"{1 / factor:,.1f}x less likely a match")
    tf = f", tf {item.tf_adjustment:+.1f}" if item.tf_adjustment else ""
    return f"{item.field}: {item.level} ({item.weight:+.1f} bits{tf}): {direction}"
