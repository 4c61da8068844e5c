"""A real server on a loopback port, over a real SQLite store, and a real channel to it.

The population is a handful of invented Vietnamese identities (no real person). One server is shared
by the tests of a module; tests that need their own (slow matcher, shutdown) build one with `serving`.

The server is the secure default: mutual TLS and the security gate with the real policy. The channel
presents the child-protection database's client certificate, and a data steward's token on the calls
people make (MatchRecord, GetLink: stewards see the full explanation); LinkRecords is an institution's
batch call, so it goes out on the certificate alone and comes back cut to the institution's view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import grpc
import pytest

from linkage.api.server import RunningServer, build_server
from linkage.bootstrap import App, bootstrap
from linkage.config import Settings
from linkage.domain import PersonRecord, Sex
from linkage.engine.simple import SimpleMatcher
from linkage.ports import Matcher
from linkage.security import pki, transport
from linkage.security.commands import ensure_keys
from linkage.security.tokens import TokenIssuer
from linkage.v1 import linkage_service_pb2_grpc, person_pb2

MAX_MESSAGE_BYTES = 64 * 1024
INSTITUTION = "child-protection-db"
BATCH_METHODS = frozenset({"/linkage.v1.LinkageService/LinkRecords"})

POPULATION = [
    PersonRecord("population", "P-001", "Nguyễn Thị Lan", Sex.FEMALE, "2001-05-03", "Hà Nội",
                 "Trần Thị Hoa", "Nguyễn Văn Minh", "001301012345"),
    PersonRecord("population", "P-002", "Trần Văn Đức", Sex.MALE, "1998-11-20", "Thành phố Hồ Chí Minh",
                 "Lê Thị Mai", "Trần Văn Hùng", "079098001234"),
    PersonRecord("population", "P-003", "H'Hen Niê", Sex.FEMALE, "2005-01-15", "Đắk Lắk",
                 "H'Bia Niê", "Y Moan Êban", "066305004321"),
    PersonRecord("population", "P-004", "Lê Hoàng Nam", Sex.MALE, "2003-07-09", "Đà Nẵng",
                 "Phạm Thị Thu", "Lê Văn Tám", "048203007777"),
    PersonRecord("population", "P-005", "Thạch Thị Sa Rinh", Sex.FEMALE, "2010-03-30", "Trà Vinh",
                 "Kim Thị Sa Ly", "Thạch Sô Phal", "084310002222"),
    PersonRecord("population", "P-006", "Giàng A Páo", Sex.MALE, "1995-12-01", "Lào Cai",
                 "Thào Thị Mỷ", "Giàng A Lử", "010095003333"),
]


def make_app(tmp_path: Path, matcher: Matcher | None = None, keys_dir: Path | None = None) -> App:
    settings = Settings(data_dir=tmp_path, db_url=f"sqlite:///{tmp_path / 'linkage.sqlite'}",
                        max_message_bytes=MAX_MESSAGE_BYTES, workers=4, keys_dir=keys_dir,
                        rate_per_s=10_000, rate_burst=10_000)
    app = bootstrap(settings, matcher=matcher or SimpleMatcher())
    with app.uow() as uow:
        uow.identities.add_many(POPULATION)
        uow.commit()
    app.matcher.add_identities(POPULATION)
    return app


class _AsSteward(grpc.UnaryUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds a steward's token to every call but the institutions' batch call."""

    def __init__(self, token: str) -> None:
        self._metadata = ("authorization", f"Bearer {token}")

    def _with_token(self, details: grpc.ClientCallDetails) -> grpc.ClientCallDetails:
        if details.method in BATCH_METHODS:
            return details
        return details._replace(metadata=[*(details.metadata or ()), self._metadata])  # type: ignore[attr-defined]

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._with_token(details), request)

    def intercept_stream_stream(self, continuation, details, request_iterator):
        return continuation(self._with_token(details), request_iterator)


def steward_token(keys_dir: Path) -> str:
    issuer = TokenIssuer(pki.load_signing_key(pki.KeyFiles(keys_dir).token_signing_key))
    return issuer.issue("steward-1", "steward", "data_quality_review", ttl_s=3600)


def secure_channel(app: App, port: int) -> grpc.Channel:
    keys_dir = app.settings.keys_dir
    channel = grpc.secure_channel(f"127.0.0.1:{port}", transport.client_credentials(keys_dir, INSTITUTION))
    return grpc.intercept_channel(channel, _AsSteward(steward_token(keys_dir)))


@contextmanager
def serving(app: App) -> Iterator[tuple[RunningServer, grpc.Channel]]:
    running = build_server(app, "127.0.0.1:0")
    running.start()
    channel = secure_channel(app, running.port)
    try:
        yield running, channel
    finally:
        channel.close()
        running.stop(0)


@pytest.fixture(scope="session")
def api_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One development keys/ for every API test server (made once: certificates take a moment)."""
    root = tmp_path_factory.mktemp("api-keys")
    ensure_keys(root)
    return root


@pytest.fixture
def new_app(tmp_path: Path, api_keys: Path) -> Iterator[Callable[..., App]]:
    """Build an app of the test's own (e.g. with a slow matcher); closed after the test."""
    apps: list[App] = []

    def build(matcher: Matcher | None = None) -> App:
        apps.append(make_app(tmp_path, matcher, api_keys))
        return apps[-1]

    yield build
    for app in apps:
        app.close()


@pytest.fixture
def serve_app() -> Callable[[App], AbstractContextManager[tuple[RunningServer, grpc.Channel]]]:
    """`with serve_app(app) as (running, channel):` a server of the test's own."""
    return serving


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, api_keys: Path) -> Iterator[App]:
    app = make_app(tmp_path_factory.mktemp("api"), keys_dir=api_keys)
    yield app
    app.close()


@pytest.fixture(scope="module")
def server(app: App) -> Iterator[tuple[RunningServer, grpc.Channel]]:
    with serving(app) as running:
        yield running


@pytest.fixture
def channel(server: tuple[RunningServer, grpc.Channel]) -> grpc.Channel:
    return server[1]


@pytest.fixture
def stub(channel: grpc.Channel) -> linkage_service_pb2_grpc.LinkageServiceStub:
    return linkage_service_pb2_grpc.LinkageServiceStub(channel)


@pytest.fixture
def nothing_written(app: App) -> Callable[[str, str], bool]:
    """True when the store holds neither the record nor a link for it."""

    def check(source: str, record_id: str) -> bool:
        with app.uow() as uow:
            return uow.records.get(source, record_id) is None and uow.links.get(source, record_id) is None

    return check


@pytest.fixture
def good_record() -> Callable[..., person_pb2.PersonRecord]:
    return make_record


@pytest.fixture
def max_message_bytes() -> int:
    return MAX_MESSAGE_BYTES


def make_record(record_id: str, **changes: object) -> person_pb2.PersonRecord:
    """A valid child-registry record of P-001 (Nguyễn Thị Lan), with `changes` applied."""
    record = person_pb2.PersonRecord(
        source=person_pb2.SOURCE_CHILD_REGISTRY, record_id=record_id, full_name="Nguyễn Thị Lan",
        sex=person_pb2.SEX_FEMALE, birth_date=person_pb2.DateOfBirth(year=2001, month=5, day=3),
        birth_place="Hà Nội", mother_name="Trần Thị Hoa", father_name="Nguyễn Văn Minh",
        personal_number="001301012345",
    )
    for name, value in changes.items():
        if isinstance(value, person_pb2.DateOfBirth):
            record.birth_date.CopyFrom(value)
        else:
            setattr(record, name, value)
    return record


@pytest.fixture
def as_steward(app: App) -> dict[str, object]:
    """Client keyword arguments for a data steward (token) on the tools' mutual-TLS channel."""
    keys_dir = app.settings.keys_dir
    return {"credentials": transport.client_credentials(keys_dir, INSTITUTION),
            "token": steward_token(keys_dir)}


@pytest.fixture
def as_institution(app: App) -> dict[str, object]:
    """Client keyword arguments for the child-protection database (its certificate alone)."""
    return {"credentials": transport.client_credentials(app.settings.keys_dir, INSTITUTION)}
