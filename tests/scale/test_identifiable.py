"""The benchmark's generous oracle: what any matcher could single out."""

from __future__ import annotations

from bench.identifiable import identifiable
from linkage.synth.population import generate_population
from linkage.synth.records import Truth


def _truth(record_id: str, identity: str, *corruptions: str) -> Truth:
    return Truth("adoption_file", record_id, identity, "match", "abroad", list(corruptions))


def test_a_surviving_number_identifies_and_a_centre_name_without_date_or_place_does_not() -> None:
    pop = generate_population(3000, 5)
    person = pop.identity_id[0]
    numbered = _truth("R-1", person, "pid_present", "centre_name", "date_missing", "place_missing")
    lost = _truth("R-2", person, "centre_name", "date_missing", "place_missing", "parents_missing")
    full = _truth("R-3", person)
    found = identifiable(pop, [numbered, lost, full])
    assert found[numbered.record_id] and not found[lost.record_id]
    assert found[full.record_id]  # the whole profile, to the day and the commune, is one person's
