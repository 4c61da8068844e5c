"""Origin-tracing fixtures: the real secured server (mutual TLS, tokens, policy, audit) over a real
SQLite store holding the demo families, with the Fellegi-Sunter engine and a clock the tests move."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest

from linkage.api.server import build_server
from linkage.bootstrap import App, bootstrap
from linkage.config import Settings
from linkage.domain import PersonRecord
from linkage.engine import load_default_matcher
from linkage.engine.matcher import FellegiSunterMatcher
from linkage.security import pki, transport
from linkage.security.audit import AuditEntry
from linkage.security.commands import ensure_keys
from linkage.security.tokens import TokenIssuer
from linkage.tracing.demo import IDENTITIES, load_demo_tracing
from linkage.v1 import consent_service_pb2_grpc, tracing_service_pb2_grpc

TRACING = "origin_tracing"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@dataclass
class Harness:
    app: App
    tracing: tracing_service_pb2_grpc.TracingServiceStub
    consent: consent_service_pb2_grpc.ConsentServiceStub
    issuer: TokenIssuer
    clock: Clock

    def auth(self, subject: str, role: str = "caseworker", purpose: str = TRACING) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.issuer.issue(subject, role, purpose, ttl_s=600)}")]

    def audit(self) -> list[AuditEntry]:
        return list(self.app.security.audit_log.sink.entries())


@pytest.fixture(scope="session")
def background() -> list[PersonRecord]:
    """A synthetic population for the demo families to live among, as they do in `linkage serve --demo`:
    fourteen people alone, where two share a name, would make that name one in seven."""
    from linkage.synth.population import generate_population

    return generate_population(3000, seed=97).records()


@pytest.fixture
def demo_matcher(background: list[PersonRecord]) -> FellegiSunterMatcher:
    matcher = load_default_matcher()
    matcher.add_identities([*background, *IDENTITIES])
    return matcher


@pytest.fixture(scope="session")
def tracing_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tracing-keys")
    ensure_keys(root)
    return root


@pytest.fixture
def harness(tmp_path: Path, tracing_keys: Path, monkeypatch: pytest.MonkeyPatch,
            demo_matcher: FellegiSunterMatcher) -> Iterator[Harness]:
    settings = Settings(data_dir=tmp_path, db_url=f"sqlite:///{tmp_path / 'linkage.sqlite'}", workers=4,
                        keys_dir=tracing_keys, rate_per_s=10_000, rate_burst=10_000)
    app = bootstrap(settings, matcher=demo_matcher)
    load_demo_tracing(app)
    clock = Clock()
    monkeypatch.setattr("linkage.api.tracing_servicer._utc_now", clock)
    monkeypatch.setattr("linkage.api.consent_servicer._utc_now", clock)
    running = build_server(app, "127.0.0.1:0")
    running.start()
    credentials = transport.client_credentials(tracing_keys, "linkage-tools")
    channel = grpc.secure_channel(f"127.0.0.1:{running.port}", credentials)
    issuer = TokenIssuer(pki.load_signing_key(pki.KeyFiles(tracing_keys).token_signing_key))
    try:
        yield Harness(app, tracing_service_pb2_grpc.TracingServiceStub(channel),
                      consent_service_pb2_grpc.ConsentServiceStub(channel), issuer, clock)
    finally:
        channel.close()
        running.stop(0)
        app.close()
