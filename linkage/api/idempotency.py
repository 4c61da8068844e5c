"""Idempotency keys: a retried write returns the first answer instead of doing the work again.

A caller who lost an answer (timeout, dropped connection) retries with the same key; the retry gets
the answer the first call produced, even if the model changed in between. The same key with a
different request is refused (IdempotencyKeyReused -> ALREADY_EXISTS), because it is a caller bug.

This implementation keeps keys in memory for `ttl_s` seconds (bounded by `max_entries`), so keys do
not survive a restart; a store-backed cache with the same `run` method can replace it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from linkage.errors import AlreadyExists

T = TypeVar("T")

DAY_S = 24 * 3600


class IdempotencyKeyReused(AlreadyExists):
    """The key was used before for a different request."""

    reason = "IDEMPOTENCY_KEY_REUSED"


@dataclass
class _Entry(Generic[T]):
    fingerprint: str
    answer: T
    expires_at: float


class IdempotencyCache(Generic[T]):
    """Thread-safe map from (scope, key) to the first answer, with expiry and a size bound."""

    def __init__(self, ttl_s: float = DAY_S, max_entries: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s, self._max_entries, self._clock = ttl_s, max_entries, clock
        self._entries: OrderedDict[tuple[str, str], _Entry[T]] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[str, str], threading.Lock] = {}

    def run(self, key: str, request: bytes, compute: Callable[[], T], scope: str = "") -> T:
        """The answer for this key: remembered, or computed now (once, even under concurrent retries).

        `request` is the request's deterministic serialisation; `scope` separates callers' keys.
        An exception from `compute` is not remembered, so the caller may retry.
        """
        if not key:
            return compute()
        slot, fingerprint = (scope, key), hashlib.sha256(request).hexdigest()
        with self._lock:
            key_lock = self._key_locks.setdefault(slot, threading.Lock())
        with key_lock:
            remembered = self._lookup(slot)
            if remembered is not None:
                if remembered.fingerprint != fingerprint:
                    raise IdempotencyKeyReused("idempotency key reused with a different request")
                return remembered.answer
            answer = compute()
            self._remember(slot, _Entry(fingerprint, answer, self._clock() + self._ttl_s))
            return answer

    def __len__(self) -> int:
        return len(self._entries)

    def _lookup(self, slot: tuple[str, str]) -> _Entry[T] | None:
        with self._lock:
            entry = self._entries.get(slot)
            if entry is not None and entry.expires_at <= self._clock():
                del self._entries[slot]
                return None
            return entry

    def _remember(self, slot: tuple[str, str], entry: _Entry[T]) -> None:
        with self._lock:
            self._entries[slot] = entry
            self._entries.move_to_end(slot)
            now = self._clock()
            while self._entries:
                oldest_slot, oldest = next(iter(self._entries.items()))
                if len(self._entries) <= self._max_entries and oldest.expires_at > now:
                    break
                del self._entries[oldest_slot]
                self._key_locks.pop(oldest_slot, None)
