"""`linkage serve --processes N`: N server processes on one port, so matching uses every core.

One Python process matches on one core at a time (the interpreter lock), so concurrent callers queue.
The parent bootstraps once (keys, store, the matcher from its snapshot or built), then forks the workers
*before any gRPC object exists* (gRPC's own multiprocessing example: its threads do not survive a fork).
Each worker builds its own server bound to the same port with `grpc.so_reuseport`, and the kernel spreads
incoming connections over them; a channel stays with the worker that accepted it.

What a fork shares and what it must not:
- the matcher's numpy pages are shared copy-on-write (memory-mapped snapshot files are shared anyway),
  and `gc.freeze()` keeps the collector from touching, and so copying, the parent's objects;
- database connections never cross a fork: the parent closes its pool before forking and each worker
  disposes the inherited engine (`dispose(close=False)`) so it opens its own connections;
- the audit log is one file chain that every worker appends to under `flock` (adapters.audit_log);
- rate limits are per process: a principal's budget applies per worker it is connected to, so a caller
  spreading channels over N workers gets up to N times the configured rate (one channel: exactly it).

Each worker follows the store (`linkage.api.catchup`): what another worker or the CLI writes becomes
matchable in every worker within about `catchup_interval_s`.

The parent does no serving itself and starts no thread, so every fork, including a restart, copies a
quiet process: it forks the stewards' console into a process of its own too, restarts a child that
dies (at most `MAX_RESTARTS` in `RESTART_WINDOW_S`, then it gives up and stops the rest), and on
SIGTERM or SIGINT forwards SIGTERM to every child, which drains as `linkage.api.server.serve` does.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as ProcessEvent

from linkage.bootstrap import App

log = logging.getLogger(__name__)

MAX_RESTARTS = 5
RESTART_WINDOW_S = 60.0
READY_TIMEOUT_S = 120.0
_FORK = multiprocessing.get_context("fork")


@dataclass
class _Child:
    """One supervised slot: what it runs, the process running it now, and its recent restarts."""

    name: str
    target: Callable[[ProcessEvent], None]
    process: BaseProcess | None = None
    ready: ProcessEvent | None = None
    restarts: list[float] = field(default_factory=list)

    def start(self) -> None:
        self.ready = _FORK.Event()
        self.process = _FORK.Process(target=self.target, args=(self.ready,), name=self.name, daemon=False)
        self.process.start()


def split_address(address: str) -> tuple[str, int]:
    """HOST:PORT (IPv6 in brackets) -> (host, port)."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"address {address!r}: expected HOST:PORT")
    return host.strip("[]") or "0.0.0.0", int(port)  # noqa: S104 - an empty host means every interface


def reserve_port(address: str) -> tuple[socket.socket, str]:
    """Bind `address` with SO_REUSEPORT (port 0: a free one) and keep the socket, so the port stays ours
    while the workers bind it too; returns the socket and the address with the actual port."""
    host, port = split_address(address)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    bound = sock.getsockname()[1]
    return sock, f"[{host}]:{bound}" if family == socket.AF_INET6 else f"{host}:{bound}"


def serve_processes(app: App, processes: int, address: str | None = None, *, follow_from: datetime,
                    grace_s: float | None = None, console: tuple[str, int] | None = None,
                    on_ready: Callable[[int], None] | None = None,
                    stopping: threading.Event | None = None) -> int:
    """Fork `processes` gRPC workers (and the console, if given) over `app`; supervise until SIGTERM or
    SIGINT (or `stopping`); return 0 after a clean stop, 1 when a child kept dying.

    `follow_from`: the moment taken before the index read the store (see `serve`). `on_ready` receives
    the port once every worker serves.
    """
    from linkage.api.server import DEFAULT_GRACE_S  # grpc is imported, but nothing of it is created here

    if processes < 1:
        raise ValueError("processes must be at least 1")
    url = app.store.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        raise ValueError("an in-memory SQLite store cannot be shared by several processes")
    grace = DEFAULT_GRACE_S if grace_s is None else grace_s
    reserved, bound = reserve_port(address or app.settings.address)
    port = int(bound.rpartition(":")[2])
    app.store.dispose()  # no pooled connection may be inherited by a fork
    gc.collect()
    gc.freeze()  # the matcher's objects stay in shared pages: the collector never writes to them
    children = [_Child(f"linkage-worker-{i + 1}", _worker(app, bound, follow_from, grace))
                for i in range(processes)]
    if console is not None:
        children.append(_Child("linkage-console", _console(app, *console)))
    stopping = stopping or threading.Event()
    previous = _install_handlers(stopping)
    failed = False
    try:
        for child in children:
            child.start()
        if _await_ready(children, stopping):
            log.info("serving on port %d with %d worker processes%s", port, processes,
                     " and the console" if console else "")
            if on_ready is not None:
                on_ready(port)
        failed = _supervise(children, stopping)
    finally:
        _stop_all(children, grace + 5.0)
        reserved.close()
        gc.unfreeze()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 1 if failed else 0


def _worker(app: App, address: str, follow_from: datetime, grace_s: float) -> Callable[[ProcessEvent], None]:
    def run(ready: ProcessEvent) -> None:
        from linkage.api.server import serve

        _after_fork(app)
        serve(app, address, grace_s=grace_s, follow_from=follow_from, reuse_port=True,
              on_ready=lambda _port: ready.set())
        app.store.dispose()

    return run


def _console(app: App, host: str, port: int) -> Callable[[ProcessEvent], None]:
    def run(ready: ProcessEvent) -> None:
        from linkage.console import console_for_app, start_console

        _after_fork(app)
        stopping = threading.Event()
        _install_handlers(stopping)
        running = start_console(console_for_app(app), host, port)
        ready.set()
        stopping.wait()
        running.stop()
        app.store.dispose()

    return run


def _after_fork(app: App) -> None:
    """In a fresh child: connections of its own, and default signal handling until it installs its own.
    The collector stays frozen: collecting the parent's objects would write to, and copy, their pages."""
    app.store.engine.dispose(close=False)  # a new pool; the parent's connections are never touched
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)


def _install_handlers(stopping: threading.Event) -> dict[int, object]:
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {signum: signal.signal(signum, lambda *_: stopping.set())
            for signum in (signal.SIGTERM, signal.SIGINT)}


def _await_ready(children: list[_Child], stopping: threading.Event) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_S
    for child in children:
        assert child.ready is not None and child.process is not None
        while not child.ready.wait(0.1):
            if stopping.is_set() or not child.process.is_alive():
                return False
            if time.monotonic() > deadline:
                log.error("%s did not become ready within %.0f s", child.name, READY_TIMEOUT_S)
                return False
    return True


def _supervise(children: list[_Child], stopping: threading.Event) -> bool:
    """Restart children that die until `stopping`; True when one died too often (then stop all)."""
    while not stopping.wait(0.5):
        for child in children:
            assert child.process is not None
            if child.process.is_alive():
                continue
            code = child.process.exitcode
            now = time.monotonic()
            child.restarts = [t for t in child.restarts if now - t < RESTART_WINDOW_S] + [now]
            if len(child.restarts) > MAX_RESTARTS:
                log.error("%s exited (code %s) %d times within %.0f s: stopping", child.name, code,
                          len(child.restarts), RESTART_WINDOW_S)
                return True
            log.warning("%s exited (code %s): restarting it", child.name, code)
            child.process.close()
            child.start()
    return False


def _stop_all(children: list[_Child], timeout_s: float) -> None:
    """SIGTERM to every live child (each drains), then wait; SIGKILL whatever outlives `timeout_s`."""
    live = [c.process for c in children if c.process is not None and c.process.is_alive()]
    for process in live:
        if process.pid is not None:
            with suppress(ProcessLookupError):  # it exited meanwhile
                os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    for process in live:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            log.error("%s did not stop within %.0f s: killing it", process.name, timeout_s)
            process.kill()
            process.join(5.0)
