"""A bounded memo for whole-name functions that the garbage collector can ignore.

functools.lru_cache keeps a linked list node (a tracked list) per entry; with hundreds of thousands
of distinct names the cyclic garbage collector then spends more time walking the cache than the
functions spend working (measured: half the throughput of bench/names_bench.py). This memo is a
plain dict that is emptied when full: entries are plain tuples and strings, which the collector
stops tracking, and the hot names come back within moments of a reset.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def bounded_cache(maxsize: int) -> Callable[[F], F]:
    def decorate(function: F) -> F:
        store: dict[Any, Any] = {}
        lookup = store.get
        missing = object()  # a value no function returns, so a cached None is still a hit

        @functools.wraps(function)
        def wrapper(first: Any, *rest: Any) -> Any:
            # dict.get, not try/except KeyError: most calls on a fresh register are misses, and
            # raising KeyError costs more than the whole lookup.
            key = (first, *rest) if rest else first
            value = lookup(key, missing)
            if value is missing:
                value = function(first, *rest)
                if len(store) >= maxsize:
                    store.clear()
                store[key] = value
            return value

        wrapper.cache_clear = store.clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
