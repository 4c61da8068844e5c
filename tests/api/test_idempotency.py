"""The idempotency cache: first answer kept, reuse refused, expiry and bounds, failures forgotten."""

from __future__ import annotations

import threading

import pytest

from linkage.api.idempotency import IdempotencyCache, IdempotencyKeyReused


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def counter():
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return compute, calls


def test_the_first_answer_is_returned_again() -> None:
    cache: IdempotencyCache[int] = IdempotencyCache()
    compute, calls = counter()
    assert cache.run("k", b"req", compute) == 1
    assert cache.run("k", b"req", compute) == 1
    assert len(calls) == 1


def test_no_key_means_no_memory() -> None:
    cache: IdempotencyCache[int] = IdempotencyCache()
    compute, calls = counter()
    assert [cache.run("", b"req", compute) for _ in range(3)] == [1, 2, 3]
    assert len(cache) == 0


def test_a_key_reused_for_another_request_is_refused() -> None:
    cache: IdempotencyCache[int] = IdempotencyCache()
    cache.run("k", b"one", lambda: 1)
    with pytest.raises(IdempotencyKeyReused):
        cache.run("k", b"two", lambda: 2)
    assert cache.run("k", b"two", lambda: 2, scope="another caller") == 2


def test_keys_expire_and_the_cache_stays_bounded() -> None:
    clock = Clock()
    cache: IdempotencyCache[int] = IdempotencyCache(ttl_s=10, max_entries=3, clock=clock)
    cache.run("old", b"r", lambda: 1)
    clock.now = 11
    assert cache.run("old", b"r", lambda: 2) == 2
    for i in range(10):
        cache.run(f"k{i}", b"r", lambda: 0)
    assert len(cache) == 3


def test_a_failed_computation_is_not_remembered() -> None:
    cache: IdempotencyCache[int] = IdempotencyCache()

    def fail() -> int:
        raise RuntimeError("store down")

    with pytest.raises(RuntimeError):
        cache.run("k", b"r", fail)
    assert cache.run("k", b"r", lambda: 7) == 7


def test_concurrent_retries_compute_once() -> None:
    cache: IdempotencyCache[int] = IdempotencyCache()
    started, calls = threading.Event(), []

    def slow() -> int:
        calls.append(1)
        started.wait(1)
        return 42

    threads = [threading.Thread(target=cache.run, args=("k", b"r", slow)) for _ in range(5)]
    for thread in threads:
        thread.start()
    started.set()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
