"""The matcher as a file that every Spark Python worker loads once.

Executors need the identity feature table, the vocabularies and the model, not the candidate index
(blocking is a join in Spark) nor the store-backed conflict checker (the driver applies it when
writing). A pickle of the matcher without those two is what ships; each worker process keeps the
loaded copy for every task it runs.
"""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

from linkage.engine.index import CandidateIndex
from linkage.engine.matcher import FellegiSunterMatcher

_LOADED: dict[str, FellegiSunterMatcher] = {}


def write_matcher(matcher: FellegiSunterMatcher, path: Path) -> Path:
    """Pickle what executors score with: the matcher less its index and its conflict checker."""
    shipped = copy.copy(matcher)  # shallow: shares the table, encoder and scorer with the original
    shipped.index = CandidateIndex(cap=matcher.index.cap)
    shipped.conflict_checker = None
    with open(path, "wb") as handle:
        pickle.dump(shipped, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load_matcher(path: str) -> FellegiSunterMatcher:
    """The matcher at `path`, read once per process (Spark reuses Python workers across tasks)."""
    found = _LOADED.get(path)
    if found is None:
        with open(path, "rb") as handle:
            found = pickle.load(handle)  # noqa: S301 - a file this batch wrote itself
        if not isinstance(found, FellegiSunterMatcher):
            raise TypeError(f"{path} does not hold a FellegiSunterMatcher")
        _LOADED.clear()  # one batch at a time: drop the previous batch's matcher
        _LOADED[path] = found
    return found
