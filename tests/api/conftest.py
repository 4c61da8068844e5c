"""A real server on a loopback port, over a real SQLite store, and a real channel to it.

The population is a handful of invented Vietnamese identities (no real person). One server is shared
by the tests of a module; tests that need their own (slow matcher, shutdown) build one with `serving`.
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
from linkage.v1 import linkage_service_pb2_grpc, person_pb2

MAX_MESSAGE_BYTES = 64 * 1024

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


def make_app(tmp_path: Path, matcher: Matcher | None = None) -> App:
    settings = Settings(data_dir=tmp_path, db_url=f"sqlite:///{tmp_path / 'linkage.sqlite'}",
                        max_message_bytes=MAX_MESSAGE_BYTES, workers=4)
    app = bootstrap(settings, matcher=matcher or SimpleMatcher())
    with app.uow() as uow:
        uow.identities.add_many(POPULATION)
        uow.commit()
    app.matcher.add_identities(POPULATION)
    return app


@contextmanager
def serving(app: App) -> Iterator[tuple[RunningServer, grpc.Channel]]:
    running = build_server(app, "127.0.0.1:0")
    running.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{running.port}")
    try:
        yield running, channel
    finally:
        channel.close()
        running.stop(0)


@pytest.fixture
def new_app(tmp_path: Path) -> Iterator[Callable[..., App]]:
    """Build an app of the test's own (e.g. with a slow matcher); closed after the test."""
    apps: list[App] = []

    def build(matcher: Matcher | None = None) -> App:
        apps.append(make_app(tmp_path, matcher))
        return apps[-1]

    yield build
    for app in apps:
        app.close()


@pytest.fixture
def serve_app() -> Callable[[App], AbstractContextManager[tuple[RunningServer, grpc.Channel]]]:
    """`with serve_app(app) as (running, channel):` a server of the test's own."""
    return serving


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    app = make_app(tmp_path_factory.mktemp("api"))
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
