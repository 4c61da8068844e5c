"""`linkage link --processes N`: forked workers decide, the parent keeps each result; the store ends up
exactly as the one-process batch leaves it, and every decision is the one `matcher.match` gives."""

from __future__ import annotations

import pytest

from linkage.cli import main
from linkage.engine import build_matcher
from linkage.services.batch import ForkedMatchers
from linkage.synth import synthetic_dataset
from tests.linking import assert_linked_as_one_process


def test_forked_workers_decide_every_record_as_the_matcher_does():
    population, records, _ = synthetic_dataset(2_000, 400, seed=31)
    matcher = build_matcher()
    matcher.add_identities(population)
    with ForkedMatchers(matcher, 2) as forked:
            decided = list(forked.decide(records))
    assert decided == [matcher.match(record) for record in records]
    assert {r.decision.value for r in decided} == {"link", "review", "no_link"}


def test_link_in_two_processes_writes_what_one_process_writes(tmp_path, monkeypatch):
    assert_linked_as_one_process(tmp_path, monkeypatch, "--processes", "2")


def test_a_process_count_below_one_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="at least 1"):
        main(["link", str(tmp_path / "none.csv"), "--output", str(tmp_path / "o.csv"), "--processes", "0",
              "--data-dir", str(tmp_path / "data")])
