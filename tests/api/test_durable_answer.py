"""A MatchRecord answer waits for both durable writes, which run side by side.

The store commits without waiting for the disk and the gate runs the wait (a fsync of SQLite's WAL) on
another thread while it writes and flushes the audit entry; the caller is answered after both. These
tests hold the WAL sync back and watch what the caller and the audit log see.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import grpc
import pytest

from adapters.store.durability import WalSync
from linkage.bootstrap import App
from linkage.v1 import linkage_service_pb2 as pb
from linkage.v1 import linkage_service_pb2_grpc

MATCH = "linkage.match"
WAIT_S = 5.0


def _entries(app: App) -> list:
    return list(app.security.audit_log.sink.entries())


def _match(channel: grpc.Channel, record) -> pb.MatchRecordResponse:
    return linkage_service_pb2_grpc.LinkageServiceStub(channel).MatchRecord(
        pb.MatchRecordRequest(record=record), timeout=30)


def test_the_answer_comes_after_the_store_and_the_audit_entry_are_on_disk(
        new_app, serve_app, good_record, monkeypatch: pytest.MonkeyPatch) -> None:
    app: App = new_app()
    synced: list[float] = []
    real_sync: Callable[[WalSync], None] = WalSync.__call__

    def slow_sync(self: WalSync) -> None:
        time.sleep(0.3)  # a slow disk: the answer must still wait for it
        real_sync(self)
        synced.append(time.monotonic())

    monkeypatch.setattr(WalSync, "__call__", slow_sync)
    with serve_app(app) as (_, channel):
        before = len(_entries(app))
        response = _match(channel, good_record("durable-1"))
        answered = time.monotonic()
    assert response.result.record_id == "durable-1"
    assert synced and synced[-1] <= answered
    entry = _entries(app)[before]
    assert (entry.action, entry.outcome) == (MATCH, "ok")
    assert "sources/child_registry/records/durable-1" in entry.resource_ids
    with app.uow() as uow:
        assert uow.records.get("child_registry", "durable-1") is not None
        assert uow.links.get("child_registry", "durable-1") is not None


def test_the_store_sync_runs_while_the_audit_entry_is_written(
        new_app, serve_app, good_record, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sync waits until the audit entry is on disk: were the two run one after the other, it would
    wait in vain and the call would fail."""
    app: App = new_app()
    sink = app.security.audit_log.sink
    entry_written = threading.Event()
    real_append, real_sync = sink.append_many, WalSync.__call__

    def append_many(makers):
        entries = real_append(makers)
        entry_written.set()
        return entries

    def sync_after_the_audit_entry(self: WalSync) -> None:
        if not entry_written.wait(WAIT_S):
            raise OSError("the audit entry was not written while the store synced")
        real_sync(self)

    with serve_app(app) as (_, channel):
        _match(channel, good_record("warm-up"))
        monkeypatch.setattr(sink, "append_many", append_many)
        monkeypatch.setattr(WalSync, "__call__", sync_after_the_audit_entry)
        response = _match(channel, good_record("overlap-1"))
    assert response.result.record_id == "overlap-1"


def test_a_commit_that_cannot_reach_the_disk_is_not_answered_and_is_audited_as_failed(
        new_app, serve_app, good_record, monkeypatch: pytest.MonkeyPatch) -> None:
    app: App = new_app()

    def failing_sync(self: WalSync) -> None:
        raise OSError(5, "Input/output error")

    with serve_app(app) as (_, channel):
        _match(channel, good_record("warm-up"))
        before = len(_entries(app))
        monkeypatch.setattr(WalSync, "__call__", failing_sync)
        with pytest.raises(grpc.RpcError) as refused:
            _match(channel, good_record("lost-1"))
    assert refused.value.code() is grpc.StatusCode.INTERNAL
    written = _entries(app)[before:]
    assert [(e.action, e.outcome) for e in written] == [(MATCH, "ok"), (MATCH, "error:INTERNAL")]
    assert all("sources/child_registry/records/lost-1" in e.resource_ids for e in written)


def test_concurrent_callers_each_get_an_entry_and_the_chain_stays_whole(new_app, serve_app,
                                                                        good_record) -> None:
    app: App = new_app()
    with serve_app(app) as (_, channel):
        before = len(_entries(app))
        errors: list[BaseException] = []

        def call(i: int) -> None:
            try:
                _match(channel, good_record(f"many-{i}"))
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=call, args=(i,)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors
    written = _entries(app)[before:]
    assert sorted(r for e in written for r in e.resource_ids if r.startswith("sources/")) == sorted(
        f"sources/child_registry/records/many-{i}" for i in range(16))
    assert [e.seq for e in written] == list(range(written[0].seq, written[0].seq + 16))
    assert all(b.prev_hash == a.hash for a, b in zip(written, written[1:], strict=False))
    with app.uow() as uow:
        assert all(uow.links.get("child_registry", f"many-{i}") is not None for i in range(16))
