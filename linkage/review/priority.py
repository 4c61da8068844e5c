"""How urgent a case is: what matters first, then what a steward can settle fastest and most usefully.

An abandoned child waiting for an identity and an adoptee's trace request come before routine
registry clean-up; within a source, cases whose probability sits closest to a decision threshold come
first (one decision there moves the most), and flagged conflicts (twins, a pid that disagrees) add
urgency because a wrong automatic answer there is the costliest.
"""

from __future__ import annotations

from linkage.domain import Source

SOURCE_URGENCY: dict[str, float] = {
    Source.ABANDONED_INTAKE: 300.0,
    Source.TRACE_REQUEST: 300.0,
    Source.ADOPTION_FILE: 200.0,
    Source.CHILD_REGISTRY: 100.0,
}
DEFAULT_URGENCY = 50.0
CONFLICT_BONUS = 20.0
MAX_CONFLICT_BONUS = 40.0
CLOSENESS_SPAN = 100.0


def priority(source: str, probability: float, conflicts: tuple[str, ...] = (),
             link_threshold: float = 0.995, review_threshold: float = 0.5) -> float:
    """A score (higher first): source urgency, + up to 100 for closeness to a threshold, + conflicts."""
    distance = min(abs(probability - link_threshold), abs(probability - review_threshold))
    span = max(link_threshold - review_threshold, 1e-9) / 2
    closeness = CLOSENESS_SPAN * max(0.0, 1.0 - distance / span)
    bonus = min(MAX_CONFLICT_BONUS, CONFLICT_BONUS * len(conflicts))
    return round(SOURCE_URGENCY.get(source, DEFAULT_URGENCY) + closeness + bonus, 3)
