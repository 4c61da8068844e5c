"""Shared fixtures: real key material in a temporary keys/ and a real mTLS gRPC server on 127.0.0.1:0."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from adapters.audit_log import JsonlAuditSink
from linkage.api.interceptors import Authenticator, SecurityInterceptor, current_call
from linkage.security import pki, transport
from linkage.security.audit import AuditLog
from linkage.security.principal import Institutions
from linkage.security.ratelimit import RateLimiter
from linkage.security.tokens import TokenIssuer, TokenVerifier

NOW = 1_900_000_000.0


class FakeClock:
    """Injected time for token issue and verification (seconds since the epoch)."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> pki.KeyFiles:
    files, _ = pki.init_keys(tmp_path_factory.mktemp("keys"))
    return files


@pytest.fixture(scope="session")
def other_keys(tmp_path_factory: pytest.TempPathFactory) -> pki.KeyFiles:
    """A second, unrelated CA with the same client names: its certificates must be refused."""
    files, _ = pki.init_keys(tmp_path_factory.mktemp("other-keys"))
    return files


@pytest.fixture()
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture()
def issuer(keys: pki.KeyFiles, clock: FakeClock) -> TokenIssuer:
    return TokenIssuer(pki.load_signing_key(keys.token_signing_key), clock=clock)


@pytest.fixture()
def verifier(keys: pki.KeyFiles, clock: FakeClock) -> TokenVerifier:
    return TokenVerifier(pki.load_public_key(keys.token_public_key), clock=clock)


@pytest.fixture()
def audit_log(tmp_path: Path, keys: pki.KeyFiles) -> AuditLog:
    return AuditLog(JsonlAuditSink(tmp_path / "audit"), pki.load_signing_key(keys.audit_signing_key),
                    checkpoint_every=5)


def _get_link(request: bytes, context: grpc.ServicerContext) -> bytes:
    """Answers with what the gate established, so tests can see the principal and its visible fields."""
    call = current_call()
    call.note_access(["link/child_registry/r-1"])
    if request == b"missing":
        context.abort(grpc.StatusCode.NOT_FOUND, "no such link")
    fields = ",".join(sorted(call.decision.fields))
    return f"{call.principal.kind}|{call.principal.id}|{call.principal.role}|{fields}".encode()


def _link_records(requests: Iterator[bytes], context: grpc.ServicerContext) -> Iterator[bytes]:
    for request in requests:
        yield current_call().principal.id.encode() + b":" + request


TEST_HANDLERS = grpc.method_handlers_generic_handler("linkage.v1.LinkageService", {
    "GetLink": grpc.unary_unary_rpc_method_handler(_get_link),
    "LinkRecords": grpc.stream_stream_rpc_method_handler(_link_records),
    "NotInTheTable": grpc.unary_unary_rpc_method_handler(_get_link),
})


@dataclass
class Served:
    port: int
    audit_log: AuditLog | None

    def channel(self, credentials: grpc.ChannelCredentials) -> grpc.Channel:
        return grpc.secure_channel(f"127.0.0.1:{self.port}", credentials)


@pytest.fixture()
def serve(keys: pki.KeyFiles, verifier: TokenVerifier,
          audit_log: AuditLog) -> Iterator[Callable[..., Served]]:
    servers: list[grpc.Server] = []

    def start(require_client_auth: bool = True, rate_limiter: RateLimiter | None = None,
              max_message_bytes: int = transport.DEFAULT_MAX_MESSAGE_BYTES) -> Served:
        authenticator = Authenticator(Institutions.load(), verifier)
        interceptor = SecurityInterceptor(authenticator, audit_log, rate_limiter)
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), interceptors=[interceptor],
                             options=transport.message_size_options(max_message_bytes))
        server.add_generic_rpc_handlers([TEST_HANDLERS])
        health_servicer = health.HealthServicer()
        health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
        health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
        credentials = transport.server_credentials(keys.root, require_client_auth)
        port = server.add_secure_port("127.0.0.1:0", credentials)
        server.start()
        servers.append(server)
        return Served(port, audit_log)

    yield start
    for server in servers:
        server.stop(None)
