"""Link, review or no link, and the conflicts that turn a would-be link into a review case.

Precision comes first: a false link can send a child's file to the wrong family. So every conflict
sends the record to a steward rather than linking it, whatever its probability.
"""

from __future__ import annotations

from collections.abc import Sequence

from linkage.domain import Candidate, Decision, MatchResult
from linkage.model.spec import Thresholds

TWIN_MARGIN = "twin_margin"          # two candidates too close to tell apart (twins, siblings, duplicates)
PID_DISAGREES = "pid_disagrees"      # the record's personal number contradicts the best candidate
ALREADY_LINKED = "already_linked"    # the best candidate is already linked to another record of the source
PERSON_DIFFERS = "person_differs"    # the person's own fields contradict (given name not the same name, birth
                                     # date, sex) while the rest agrees: the profile of a sibling, a twin or
                                     # a namesake, never auto-linked
THIN_EVIDENCE = "thin_evidence"      # nothing but the name singles the person out from a namesake: no parent
                                     # and no personal number to compare, and no birth day (or an approximate
                                     # date outside the commune of birth): `matcher.singles_out`


def decide(
    candidates: Sequence[Candidate],
    thresholds: Thresholds,
    conflicts: Sequence[str] = (),
) -> tuple[Decision, tuple[str, ...]]:
    """Decide from ranked candidates (best first) and the conflicts found on the best one.

    Conflicts only matter for a record that would otherwise be linked or reviewed: a record too weak
    to review is no link, whatever else is wrong with it. Review looks at the probability that *some*
    candidate is the person (their sum): twins each at 0.5 are one certain person, not two weak ones.
    """
    found = tuple(dict.fromkeys(conflicts))
    if not candidates or sum(c.probability for c in candidates) < thresholds.review:
        return Decision.NO_LINK, ()
    best = candidates[0]
    if best.probability >= thresholds.link and not found:
        return Decision.LINK, ()
    return Decision.REVIEW, found


def decided_again(result: MatchResult, thresholds: Thresholds, extra: Sequence[str]) -> MatchResult:
    """`result` with conflicts learnt after it was decided (the store's) appended to its own.

    The matcher appends the store's conflicts after its own before deciding, and a result's conflicts
    are every one a review kept (none for a link; a record too weak to review never asks the store), so
    deciding again from them gives the answer the matcher would have given had it known."""
    if not extra:
        return result
    decision, flags = decide(result.candidates, thresholds, (*result.conflicts, *extra))
    return MatchResult(result.source, result.record_id, decision, result.candidates, result.model_version,
                       flags)
