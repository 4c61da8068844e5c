"""Serving the console: `run_console` blocks until stopped; `start_console` runs it in a thread.

`linkage console` calls `run_console`; `linkage serve` calls `start_console` next to the gRPC server.
Uvicorn serves the ASGI app on loopback by default: put a TLS-terminating proxy in front of it (and
pass `https_only=True` to `create_console`) before opening it to a network.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def _server(console: Starlette, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(console, host=host, port=port, log_level="warning", access_log=False,
                            lifespan="off", server_header=False)
    return uvicorn.Server(config)


def run_console(console: Starlette, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve until SIGINT/SIGTERM (uvicorn installs the handlers when run in the main thread)."""
    _server(console, host, port).run()


@dataclass
class RunningConsole:
    server: uvicorn.Server
    thread: threading.Thread
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self, timeout_s: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout_s)


def start_console(console: Starlette, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                  ready_timeout_s: float = 10.0) -> RunningConsole:
    """Serve in a background thread and return once listening; port 0 picks a free port.

    Uvicorn installs signal handlers only in the main thread, so the caller keeps its own.
    """
    server = _server(console, host, port)
    thread = threading.Thread(target=server.run, name="console", daemon=True)
    thread.start()
    deadline = time.monotonic() + ready_timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the console did not start on {host}:{port}")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    return RunningConsole(server, thread, host, bound)
