"""Keeping a serving process's index current with what other processes write to the store.

Each server process (each `--processes` worker, or the one process) holds its own index. Identities
that the CLI imports, a change file merges, or another worker writes reach it through `IndexFollower`:
a thread that asks the store every `interval_s` what changed since its mark and applies it. A write
becomes matchable within about `interval_s` plus the time to encode it.

The mark trails the poll by `lag_s`: a transaction stamps its rows before it commits, so a row can
become visible with a stamp older than the previous poll; re-reading a trailing window catches it.
Rows already applied are skipped by their content fingerprint, so the window costs one index range
scan of (id, fingerprint) pairs and never re-adds an unchanged identity.

The matcher is not safe to grow while it matches: a served matcher is a `SharedMatcher`
(`linkage.engine.shared`), one match or catch-up at a time, in arrival order (a catch-up of a few
identities takes milliseconds).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from linkage.domain import PersonRecord
from linkage.engine.shared import SharedMatcher

log = logging.getLogger(__name__)


class IdentityChanges(Protocol):
    """What the store says changed (adapters.store.feed.IdentityFeed)."""

    def stamps_since(self, since: datetime) -> list[tuple[str, str]]: ...

    def read(self, ids: Sequence[str]) -> list[PersonRecord]: ...

    def absorbed_since(self, since: datetime) -> list[str]: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


class IndexFollower:
    """Applies the store's identity changes to a matcher, every `interval_s`, in a daemon thread."""

    def __init__(self, matcher: SharedMatcher, changes: IdentityChanges, since: datetime, *,
                 interval_s: float = 1.0, lag_s: float = 30.0,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        if interval_s <= 0 or lag_s < 0:
            raise ValueError("interval_s must be positive and lag_s not negative")
        self._matcher, self._changes, self._clock = matcher, changes, clock
        self.interval_s, self.lag = interval_s, timedelta(seconds=lag_s)
        self._since = since
        self._seen: dict[str, str] = {}  # id -> fingerprint applied, for the rows inside the window
        self._gone: set[str] = set()  # ids removed, for the merges inside the window
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll(self) -> tuple[int, int]:
        """One catch-up: returns (identities added or replaced, identities removed)."""
        started = self._clock()
        stamps = self._changes.stamps_since(self._since)
        fresh = [ident for ident, fingerprint in stamps if self._seen.get(ident) != fingerprint]
        absorbed = self._changes.absorbed_since(self._since)
        gone = [ident for ident in absorbed if ident not in self._gone]
        records = self._changes.read(fresh) if fresh else []
        if records:
            self._matcher.add_identities(records)
        removed = self._matcher.remove_identities(gone) if gone else 0
        # A row rewritten between the two reads was opened in its newer form but is remembered by the
        # older fingerprint: the next poll reads it once more, which is harmless.
        self._seen = dict(stamps)
        self._gone = set(absorbed)
        self._since = started - self.lag
        if records or removed:
            log.info("index caught up with the store: %d identities written, %d merged away", len(records),
                     removed)
        return len(records), removed

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="index-follower", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.poll()
            except Exception:  # noqa: BLE001 - a database hiccup must not end following; the next poll retries
                log.exception("index catch-up failed; retrying in %.1f s", self.interval_s)
