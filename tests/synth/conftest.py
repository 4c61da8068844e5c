"""Shared generated data for the synth tests: generated once per session (a second or two)."""

from __future__ import annotations

import pytest

from linkage.synth.population import generate_population
from linkage.synth.records import build_records

SEED = 11


@pytest.fixture(scope="session")
def population():
    return generate_population(60_000, SEED)


@pytest.fixture(scope="session")
def records_and_truth(population):
    return build_records(population, 6_000, SEED)
