"""The matching engine: candidate index, vectorised Fellegi-Sunter scorer, decisions and conflicts.

`build_matcher()` is what the service and the CLI call; `linkage.engine.training.train` /
`train_from_store` re-estimate a model. Imports are lazy so that light modules (index, evaluation)
load without the Vietnamese knowledge tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linkage.engine.matcher import ConflictChecker, FellegiSunterMatcher

__all__ = ["FellegiSunterMatcher", "build_matcher", "load_default_matcher"]


def build_matcher(model_path: str | Path | None = None, conflict_checker: ConflictChecker | None = None,
                  **options) -> FellegiSunterMatcher:
    """A matcher with the model at `model_path`, or the trained model shipped in the package."""
    from linkage.engine.matcher import FellegiSunterMatcher
    from linkage.model import Model, load_default_model

    model = Model.load(model_path) if model_path else load_default_model()
    return FellegiSunterMatcher(model, conflict_checker=conflict_checker, **options)


def load_default_matcher() -> FellegiSunterMatcher:
    return build_matcher()


def __getattr__(name: str):
    if name == "FellegiSunterMatcher":
        from linkage.engine.matcher import FellegiSunterMatcher

        return FellegiSunterMatcher
    raise AttributeError(name)
