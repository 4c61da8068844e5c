"""The gRPC server: LinkageService plus the standard health and reflection services.

`build_server` wires a server for an `App` (tests bind port 0 on loopback and call it for real);
`serve` runs one until SIGTERM or SIGINT, then drains: health turns NOT_SERVING so load balancers stop
sending, in-flight calls get `grace` seconds to finish, new ones are refused, and the audit log signs
a checkpoint at its head.

Secure by default: mutual TLS with the certificates in keys/, and the `SecurityInterceptor`
(authenticate, rate-limit, authorise, audit) in front of every service but health and reflection.
Plaintext only when `settings.insecure` is set (`linkage serve --insecure`), and then the logs shout;
the gate still runs, so callers still need a token.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from linkage.api.catchup import IndexFollower
from linkage.api.consent_servicer import ConsentServicer
from linkage.api.interceptors import Authenticator, SecurityInterceptor
from linkage.api.linkage_servicer import LinkageServicer
from linkage.api.review_servicer import ReviewServicer
from linkage.api.tracing_servicer import TracingServicer
from linkage.bootstrap import App
from linkage.engine.shared import SharedMatcher
from linkage.security import transport
from linkage.v1 import (
    consent_service_pb2,
    consent_service_pb2_grpc,
    linkage_service_pb2,
    linkage_service_pb2_grpc,
    review_service_pb2,
    review_service_pb2_grpc,
    tracing_service_pb2,
    tracing_service_pb2_grpc,
)

log = logging.getLogger(__name__)

LINKAGE_SERVICE = linkage_service_pb2.DESCRIPTOR.services_by_name["LinkageService"].full_name
REVIEW_SERVICE = review_service_pb2.DESCRIPTOR.services_by_name["ReviewService"].full_name
TRACING_SERVICE = tracing_service_pb2.DESCRIPTOR.services_by_name["TracingService"].full_name
CONSENT_SERVICE = consent_service_pb2.DESCRIPTOR.services_by_name["ConsentService"].full_name
APP_SERVICES = (LINKAGE_SERVICE, REVIEW_SERVICE, TRACING_SERVICE, CONSENT_SERVICE)
SERVICE_NAMES = (*APP_SERVICES, health.SERVICE_NAME, reflection.SERVICE_NAME)
DEFAULT_GRACE_S = 10.0


@dataclass
class RunningServer:
    """A built (not yet started) server, the port it bound and the health servicer that reports on it."""

    server: grpc.Server
    port: int
    health: health.HealthServicer
    on_stopped: Callable[[], None] | None = None

    def start(self) -> None:
        self.server.start()
        for name in ("", *APP_SERVICES):
            self.health.set(name, health_pb2.HealthCheckResponse.SERVING)

    def stop(self, grace_s: float = DEFAULT_GRACE_S) -> None:
        """Report NOT_SERVING, refuse new calls, let in-flight ones finish within `grace_s`."""
        self.health.enter_graceful_shutdown()
        self.server.stop(grace_s).wait()
        if self.on_stopped is not None:
            self.on_stopped()


def build_server(
    app: App,
    address: str | None = None,
    *,
    interceptors: Sequence[grpc.ServerInterceptor] = (),
    credentials: grpc.ServerCredentials | None = None,
    max_workers: int | None = None,
    reuse_port: bool = False,
) -> RunningServer:
    """A server for `app` bound to `address` (default: the settings'); port 0 picks a free port.

    The security gate comes first, then any `interceptors` given. `credentials` default to mutual TLS
    from `app.settings.keys_dir` (plaintext only with `app.settings.insecure`).
    Message-size limits come from `app.settings.max_message_bytes`; a larger message is refused
    with RESOURCE_EXHAUSTED before it reaches a handler. Concurrent calls beyond four per worker
    are refused with RESOURCE_EXHAUSTED rather than queued without bound. `reuse_port`: several
    processes bind the same port (`linkage.api.workers`) and the kernel spreads connections over them.
    The server's threads share the matcher as a `SharedMatcher` (one match at a time, in arrival order).
    """
    _share_matcher(app)
    settings = app.settings
    workers = max_workers or settings.workers
    limit = settings.max_message_bytes
    server = grpc.server(
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grpc"),
        interceptors=[security_gate(app), *interceptors],
        options=[
            ("grpc.max_receive_message_length", limit),
            ("grpc.max_send_message_length", limit),
            ("grpc.so_reuseport", 1 if reuse_port else 0),
        ],
        maximum_concurrent_rpcs=workers * 4,
    )
    linkage_service_pb2_grpc.add_LinkageServiceServicer_to_server(LinkageServicer(app), server)
    review_service_pb2_grpc.add_ReviewServiceServicer_to_server(ReviewServicer(app), server)
    tracing_service_pb2_grpc.add_TracingServiceServicer_to_server(TracingServicer(app), server)
    consent_service_pb2_grpc.add_ConsentServiceServicer_to_server(ConsentServicer(app), server)
    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in ("", *APP_SERVICES):
        health_servicer.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
    reflection.enable_server_reflection(SERVICE_NAMES, server)
    address = address or settings.address
    if credentials is None and not settings.insecure:
        credentials = transport.server_credentials(settings.keys_dir, require_client_auth=True)
    if credentials is None:
        transport.warn_insecure(log)
        port = server.add_insecure_port(address)
    else:
        port = server.add_secure_port(address, credentials)
    return RunningServer(server=server, port=port, health=health_servicer,
                         on_stopped=lambda: _checkpoint_audit(app))


def security_gate(app: App) -> SecurityInterceptor:
    """The interceptor that authenticates, rate-limits, authorises and audits every non-public call."""
    security = app.security
    return SecurityInterceptor(Authenticator(security.institutions, security.token_verifier),
                               security.audit_log, security.rate_limiter)


def _checkpoint_audit(app: App) -> None:
    """Sign a checkpoint at the audit log's head, so a later truncation is caught even without the head."""
    try:
        checkpoint = app.security.audit_log.checkpoint()
    except Exception:  # noqa: BLE001 - stopping must go on; the failure is loud
        log.exception("could not sign the audit checkpoint at shutdown")
        return
    if checkpoint is not None:
        log.info("audit log checkpoint signed at seq %d", checkpoint.seq)


def create_server(app: App, address: str | None = None) -> tuple[grpc.Server, int]:
    """A started server for `app` and its port: the shape of grpc's own examples, for tests."""
    running = build_server(app, address)
    running.start()
    return running.server, running.port


def serve(
    app: App,
    address: str | None = None,
    *,
    grace_s: float = DEFAULT_GRACE_S,
    on_ready: Callable[[int], None] | None = None,
    interceptors: Sequence[grpc.ServerInterceptor] = (),
    credentials: grpc.ServerCredentials | None = None,
    stopping: threading.Event | None = None,
    follow_from: datetime | None = None,
    reuse_port: bool = False,
) -> None:
    """Serve until SIGTERM or SIGINT (or `stopping` is set), then stop gracefully.

    The caller still owns, and closes, `app`. `on_ready` receives the bound port once serving.
    `follow_from`: keep the index current with what other processes write to the store from then on
    (`linkage.api.catchup`); the caller takes it before the index read the store.
    """
    follower = _follow_store(app, follow_from) if follow_from is not None else None
    running = build_server(app, address, interceptors=interceptors, credentials=credentials,
                           reuse_port=reuse_port)
    stopping = stopping or threading.Event()
    previous = _install_stop_handlers(stopping)
    try:
        if follower is not None:
            follower.start()
        running.start()
        log.info("serving %s on port %d", ", ".join(SERVICE_NAMES), running.port)
        if on_ready is not None:
            on_ready(running.port)
        stopping.wait()
        log.info("stopping: draining in-flight calls for up to %.0f s", grace_s)
        running.stop(grace_s)
        log.info("stopped")
    finally:
        if follower is not None:
            follower.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _share_matcher(app: App) -> SharedMatcher:
    """The app's matcher as a `SharedMatcher` (wrapped once): server threads and the follower share it."""
    if not isinstance(app.matcher, SharedMatcher):
        app.matcher = SharedMatcher(app.matcher)
    return app.matcher


def _follow_store(app: App, since: datetime) -> IndexFollower:
    """An `IndexFollower` that keeps the served matcher current with the store."""
    from adapters.store.feed import IdentityFeed  # the store's change marker, read as bootstrap reads it

    settings = app.settings
    return IndexFollower(_share_matcher(app), IdentityFeed(app.store), since,
                         interval_s=settings.catchup_interval_s, lag_s=settings.catchup_lag_s)


def _install_stop_handlers(stopping: threading.Event) -> dict[int, object]:
    """SIGTERM and SIGINT set `stopping`; only possible from the main thread (else: none installed)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous[signum] = signal.signal(signum, lambda *_: stopping.set())
    return previous
