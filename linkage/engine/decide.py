"""Link, review or no link, and the conflicts that turn a would-be link into a review case.

Precision comes first: a false link can send a child's file to the wrong family. So every conflict
sends the record to a steward rather than linking it, whatever its probability.
"""

from __future__ import annotations

from collections.abc import Sequence

from linkage.domain import Candidate, Decision
from linkage.model.spec import Thresholds

TWIN_MARGIN = "twin_margin"          # two candidates too close to tell apart (twins, siblings, duplicates)
PID_DISAGREES = "pid_disagrees"      # the record's personal number contradicts the best candidate
ALREADY_LINKED = "already_linked"    # the best candidate is already linked to another record of the source
PERSON_DIFFERS = "person_differs"    # family fields agree but the given name or the birth date contradicts:
                                     # the profile of a sibling, a twin or a namesake, never auto-linked


def decide(
    candidates: Sequence[Candidate],
    thresholds: Thresholds,
    twin_margin: float,
    conflicts: Sequence[str] = (),
) -> tuple[Decision, tuple[str, ...]]:
    """Decide from ranked candidates (best first). `conflicts` are those found outside (pid, store)."""
    found = list(dict.fromkeys(conflicts))
    if not candidates or candidates[0].probability < thresholds.review:
        return Decision.NO_LINK, ()
    best = candidates[0]
    if len(candidates) > 1:
        runner_up = candidates[1]
        if runner_up.probability >= thresholds.review and best.weight - runner_up.weight < twin_margin:
            found.append(TWIN_MARGIN)
    if best.probability >= thresholds.link and not found:
        return Decision.LINK, ()
    return Decision.REVIEW, tuple(found)
