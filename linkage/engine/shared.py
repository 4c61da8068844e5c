"""A matcher that many server threads share: one match (or growth of its index) at a time, in arrival order.

The engine grows caches lazily while it matches (date columns, name features, places) and its index grows
while the store is followed (`linkage.api.catchup`); neither is safe from two threads at once. Serving
one match at a time costs nothing that threads would have given: a match holds the interpreter lock
nearly all the time, so concurrent matches only interleave. Cores are used by processes
(`linkage.api.workers`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from linkage.domain import MatchResult, PersonRecord


class FifoLock:
    """A mutex granted in arrival order (a ticket lock), so no caller waits behind later ones."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0
        self._serving = 0

    def __enter__(self) -> None:
        with self._cond:
            ticket = self._next
            self._next += 1
            while ticket != self._serving:
                self._cond.wait()

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


class SharedMatcher:
    """Matches and index growth one at a time, in arrival order; anything else passes through.

    Measured at 1 M identities, 8 clients on one process: 93 calls/s and p99 120 ms one at a time, in
    order, against 62 calls/s and p99 282 ms when matches ran concurrently.
    """

    def __init__(self, matcher: Any) -> None:
        self.inner = matcher
        self._lock = FifoLock()

    @property
    def model_version(self) -> str:
        return self.inner.model_version

    def match(self, record: PersonRecord) -> MatchResult:
        with self._lock:
            return self.inner.match(record)

    def add_identities(self, identities: Iterable[PersonRecord]) -> None:
        batch = list(identities)  # read (from the store, say) before holding matches back
        with self._lock:
            self.inner.add_identities(batch)

    def remove_identities(self, identity_ids: Iterable[str]) -> int:
        ids = list(identity_ids)
        with self._lock:
            return self.inner.remove_identities(ids)

    def __len__(self) -> int:
        return len(self.inner)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
