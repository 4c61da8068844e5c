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

        @functools.wraps(function)
        def wrapper(first: Any, *rest: Any) -> Any:
            key = (first, *rest) if rest else first
            try:
                return store[key]
            except KeyError:
                pass
            value = function(first, *rest)
            if len(store) >= maxsize:
                store.clear()
            store[key] = value
            return value

        wrapper.cache_clear = store.clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
