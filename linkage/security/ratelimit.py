"""Per-principal token buckets: each caller gets `rate_per_s` calls a second with bursts up to `burst`.

One bucket per principal id, so one busy institution cannot starve the others; the table is bounded
(least recently used buckets are dropped first) so a flood of ids cannot grow memory without limit.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, rate_per_s: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_principals: int = 100_000) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate_per_s, self.burst, self._clock, self._max = rate_per_s, burst, clock, max_principals
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def acquire(self, principal_id: str) -> float:
        """Take one token. Returns 0.0 when allowed, else the seconds until a token is available."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(principal_id, None) or _Bucket(float(self.burst), now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate_per_s)
            bucket.updated = now
            self._buckets[principal_id] = bucket
            if len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate_per_s
