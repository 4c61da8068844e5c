"""A deliberately simple, honest scorer: the floor the Fellegi-Sunter engine must beat.

Names are folded to ASCII and compared token-set-wise with Jaro-Winkler; dates compared exactly.
Kept as the fallback and as a baseline in tests; the real engine is `linkage.engine.matcher`.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

import jellyfish

from linkage.domain import Candidate, Decision, FieldContribution, MatchResult, PersonRecord

MODEL_VERSION = "simple-1"


def _fold(text: str) -> list[str]:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return sorted(t for t in text.lower().split() if t.isalpha())


class SimpleMatcher:
    """Candidates share a folded name token with the record; scored by name similarity and date."""

    model_version = MODEL_VERSION

    def __init__(self, link_at: float = 0.95, review_at: float = 0.80, limit: int = 5) -> None:
        self.link_at, self.review_at, self.limit = link_at, review_at, limit
        self._people: dict[str, PersonRecord] = {}
        self._by_token: dict[str, set[str]] = defaultdict(set)

    def add_identities(self, identities: Iterable[PersonRecord]) -> None:
        for person in identities:
            self._people[person.record_id] = person
            for token in _fold(person.full_name)[-1:] + _fold(person.full_name)[:1]:
                self._by_token[token].add(person.record_id)

    def match(self, record: PersonRecord) -> MatchResult:
        tokens = _fold(record.full_name)
        ids = set().union(*(self._by_token.get(t, set()) for t in tokens)) if tokens else set()
        scored = sorted((self._score(record, self._people[i]) for i in ids), key=lambda c: -c.probability)
        best = scored[0].probability if scored else 0.0
        if best >= self.link_at:
            decision = Decision.LINK
        elif best >= self.review_at:
            decision = Decision.REVIEW
        else:
            decision = Decision.NO_LINK
        top = tuple(scored[: self.limit])
        return MatchResult(record.source, record.record_id, decision, top, MODEL_VERSION)

    def _score(self, record: PersonRecord, person: PersonRecord) -> Candidate:
        left, right = " ".join(_fold(record.full_name)), " ".join(_fold(person.full_name))
        name = jellyfish.jaro_winkler_similarity(left, right)
        date = 1.0 if record.birth_date and record.birth_date == person.birth_date else 0.0
        probability = 0.7 * name + 0.3 * date
        contributions = (
            FieldContribution("name", f"jaro_winkler={name:.2f}", 0.7 * name, 0.0,
                              record.full_name, person.full_name),
            FieldContribution("birth_date", "exact" if date else "different", 0.3 * date, 0.0,
                              record.birth_date, person.birth_date),
        )
        return Candidate(person.record_id, person.pid, probability, probability, contributions)
