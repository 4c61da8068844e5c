"""Synthetic Vietnamese population and damaged source records with ground truth (`linkage synth`).

Independent of `linkage.vn` on purpose: the benchmark must not share code with the matcher it scores.
"""

from linkage.synth.generate import generate, synthetic_dataset
from linkage.synth.population import Population, generate_population
from linkage.synth.records import Truth, build_records

__all__ = ["Population", "Truth", "build_records", "generate", "generate_population", "synthetic_dataset"]
