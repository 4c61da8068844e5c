"""Concurrent audit appends share disk flushes (group commit) and the chain stays whole and signed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.audit_log import JsonlAuditSink
from linkage.security.audit import AuditLog, verify

KEY = Ed25519PrivateKey.generate()
THREADS, PER_THREAD = 8, 25


class CountingSink(JsonlAuditSink):
    """The real sink, counting its durable writes, and checking each caller is answered only after."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.writes = 0
        self.heads: list[int] = []
        self.queued: Callable[[], int] = lambda: 0

    def append_many(self, makers):
        self.writes += 1
        if self.writes == 1:  # a slow first flush: every other caller queues up behind it meanwhile
            deadline = time.monotonic() + 10
            while self.queued() < THREADS - 1 and time.monotonic() < deadline:
                time.sleep(0.001)
        return super().append_many(makers)

    def write_head(self, head) -> None:
        super().write_head(head)
        self.heads.append(head.seq)


def _append(log: AuditLog, who: str, n: int):
    return log.append(principal_id=who, principal_kind="person", role="steward", action="linkage.match",
               purpose="data_quality_review", outcome="ok", resource_ids=[f"records/{who}-{n}"])


def test_concurrent_callers_each_get_their_own_durable_entry_in_fewer_writes(tmp_path: Path) -> None:
    sink = CountingSink(tmp_path / "audit")
    log = AuditLog(sink, KEY, checkpoint_every=7)
    sink.queued = lambda: len(log._queue)
    uncovered: list[int] = []  # entries whose caller was answered before a signed head covered them
    start = threading.Barrier(THREADS)

    def caller(i: int) -> None:
        start.wait()
        for n in range(PER_THREAD):
            entry = _append(log, f"p{i}", n)
            if max(sink.heads) < entry.seq:
                uncovered.append(entry.seq)

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = THREADS * PER_THREAD
    entries = list(sink.entries())
    assert [e.seq for e in entries] == list(range(1, total + 1))
    assert sorted(r for e in entries for r in e.resource_ids) == sorted(
        f"records/p{i}-{n}" for i in range(THREADS) for n in range(PER_THREAD))
    report = verify(entries, sink.checkpoints(), KEY.public_key(), head=sink.head(), require_head=True)
    assert report.ok, report.problems
    assert [c.seq for c in sink.checkpoints()] == list(range(7, total + 1, 7))
    assert sink.head().seq == total and sink.heads == sorted(sink.heads)
    assert not uncovered
    assert sink.writes <= total - (THREADS - 2)  # the callers queued behind a flush were written together


def test_a_failed_write_fails_every_caller_of_its_group_and_the_log_goes_on(tmp_path: Path) -> None:
    class FailingOnce(JsonlAuditSink):
        failed = False

        def append_many(self, makers):
            if not self.failed:
                self.failed = True
                raise OSError("disk full")
            return super().append_many(makers)

    sink = FailingOnce(tmp_path / "audit")
    log = AuditLog(sink, KEY)
    with pytest.raises(OSError, match="disk full"):
        _append(log, "a", 1)
    _append(log, "b", 1)
    assert [e.resource_ids for e in sink.entries()] == [("records/b-1",)]
    assert verify(sink.entries(), sink.checkpoints(), KEY.public_key(), head=sink.head()).ok
