"""`linkage serve --processes 2`: the real command, real clients on loopback, a real store (SQLite and
PostgreSQL: each worker must open connections of its own after the fork).

Checked: many calls spread over both workers leave an audit chain that `linkage audit verify` accepts;
an identity written to the store while serving becomes matchable in every worker; a killed worker is
replaced, and its replacement knows that identity too; SIGTERM stops everything cleanly. Each check
opens many channels with their own connections, so the kernel spreads them over the workers.
Plus the follower itself against the real store: it adds what was written, once, and forgets merges.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from adapters.store.feed import IdentityFeed
from linkage.api.catchup import IndexFollower
from linkage.bootstrap import App, bootstrap
from linkage.config import Settings
from linkage.domain import PersonRecord, Sex
from linkage.engine import build_matcher
from linkage.engine.shared import SharedMatcher
from linkage.security import transport
from linkage.v1 import linkage_service_pb2 as pb
from linkage.v1 import linkage_service_pb2_grpc, person_pb2
from tests.api.conftest import INSTITUTION, POPULATION, steward_token

REPO = Path(__file__).resolve().parents[2]
CHANNELS = 12  # separate connections per round: all landing on one of two workers has odds 1 in 2048
NEWCOMER = PersonRecord("population", "P-NEW", "Phạm Minh Khôi", Sex.MALE, "2012-08-14", "Thừa Thiên Huế",
                        "Đoàn Thị Yến", "Phạm Văn Lực", "046212009876")


def _seeded(tmp_path: Path, keys: Path, db_url: str) -> App:
    settings = Settings(data_dir=tmp_path, db_url=db_url, keys_dir=keys, rate_per_s=10_000, rate_burst=10_000)
    app = bootstrap(settings, matcher=build_matcher())
    with app.uow() as uow:
        uow.identities.add_many(POPULATION)
        uow.commit()
    return app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> set[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return {int(p) for p in text.split()}


def _request(record_id: str, person: PersonRecord = NEWCOMER) -> pb.MatchRecordRequest:
    year, month, day = (int(p) for p in person.birth_date.split("-"))
    return pb.MatchRecordRequest(record=person_pb2.PersonRecord(
        source=person_pb2.SOURCE_CHILD_REGISTRY, record_id=record_id, full_name=person.full_name,
        sex=person_pb2.SEX_MALE if person.sex is Sex.MALE else person_pb2.SEX_FEMALE,
        birth_date=person_pb2.DateOfBirth(year=year, month=month, day=day), birth_place=person.birth_place,
        mother_name=person.mother_name, father_name=person.father_name, personal_number=person.pid))


def _round(port: int, keys: Path, token: str, tag: str, person: PersonRecord = NEWCOMER) -> list[list[str]]:
    """One MatchRecord per fresh connection; the candidate identities each answer named."""
    answers = []
    for i in range(CHANNELS):
        options = [("grpc.use_local_subchannel_pool", 1)]  # a connection of its own, not a shared one
        with grpc.secure_channel(f"127.0.0.1:{port}", transport.client_credentials(keys, INSTITUTION),
                                 options=options) as channel:
            stub = linkage_service_pb2_grpc.LinkageServiceStub(channel)
            response = stub.MatchRecord(_request(f"{tag}-{i}", person), timeout=20,
                                        metadata=[("authorization", f"Bearer {token}")])
            answers.append([c.identity for c in response.result.candidates])
    return answers


def _wait_serving(port: int, keys: Path, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    with grpc.secure_channel(f"127.0.0.1:{port}", transport.client_credentials(keys, INSTITUTION)) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else "server exited"
            try:
                if health.Check(health_pb2.HealthCheckRequest(), timeout=2).status == \
                        health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


@pytest.fixture
def served(tmp_path: Path, api_keys: Path, store_url: str) -> Iterator[tuple[subprocess.Popen, int, App]]:
    app = _seeded(tmp_path, api_keys, store_url)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "LINKAGE_DATA_DIR": str(tmp_path),
           "LINKAGE_DB_URL": store_url, "LINKAGE_KEYS_DIR": str(api_keys), "LINKAGE_RATE_PER_S": "10000",
           "LINKAGE_RATE_BURST": "10000", "LINKAGE_CATCHUP_INTERVAL_S": "0.2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "linkage.cli", "serve", "--processes", "2", "--address", f"127.0.0.1:{port}",
         "--console", "off"], env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_serving(port, api_keys, process)
        yield process, port, app
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        app.close()


def test_two_workers_share_the_port_the_audit_chain_and_the_store(served, api_keys: Path) -> None:
    process, port, app = served
    token = steward_token(api_keys)
    workers = _children(process.pid)
    assert len(workers) == 2

    # Before the import nobody knows the newcomer; the known people are found by every worker.
    assert all("identities/P-NEW" not in names for names in _round(port, api_keys, token, "before"))
    assert all("identities/P-001" in names for names in _round(port, api_keys, token, "known", POPULATION[0]))

    # Written to the store by another process (as `linkage import` does): every worker catches up.
    with app.uow() as uow:
        uow.identities.add_many([NEWCOMER])
        uow.commit()
    deadline = time.monotonic() + 15
    while not all("identities/P-NEW" in names for names in _round(port, api_keys, token, "after")):
        assert time.monotonic() < deadline, "a worker never saw the imported identity"
        time.sleep(0.3)

    # A worker that dies is replaced, and the replacement knows the newcomer as well.
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while len(_children(process.pid) - {victim}) < 2:
        assert time.monotonic() < deadline, "the dead worker was not replaced"
        time.sleep(0.2)
    _wait_serving(port, api_keys, process)
    deadline = time.monotonic() + 15
    while not all("identities/P-NEW" in names for names in _round(port, api_keys, token, "restarted")):
        assert time.monotonic() < deadline, "the replacement worker never saw the imported identity"
        time.sleep(0.3)

    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err

    verify = subprocess.run(
        [sys.executable, "-m", "linkage.cli", "audit", "verify", "--keys-dir", str(api_keys),
         "--audit-dir", str(app.settings.audit_dir)], cwd=REPO, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    assert verify.returncode == 0, verify.stdout + verify.stderr
    entries = int(verify.stdout.split("audit log OK: ")[1].split()[0])
    assert entries >= 4 * CHANNELS  # every call above was audited, whichever worker answered it


def test_the_follower_adds_each_write_once_and_forgets_merges(tmp_path: Path, api_keys: Path,
                                                              store_url: str) -> None:
    app = _seeded(tmp_path, api_keys, store_url)
    try:
        shared = SharedMatcher(app.matcher)
        since = datetime.now(UTC) - timedelta(seconds=1)
        follower = IndexFollower(shared, IdentityFeed(app.store), since, lag_s=30)
        assert follower.poll() == (len(POPULATION), 0)  # written after the index read the store
        assert follower.poll() == (0, 0)  # nothing new: nothing re-added
        with app.uow() as uow:
            uow.identities.add_many([NEWCOMER])
            uow.commit()
        assert follower.poll() == (1, 0)
        assert follower.poll() == (0, 0)
        probe = PersonRecord("child_registry", "r-1", NEWCOMER.full_name, NEWCOMER.sex, NEWCOMER.birth_date,
                             NEWCOMER.birth_place)
        assert shared.match(probe).candidates[0].identity_id == "P-NEW"
        rows_before = len(shared.table)
        with app.uow() as uow:
            uow.imports.record_merge("P-NEW", "P-001")
            uow.imports.delete_identity("P-NEW")
            uow.commit()
        assert follower.poll() == (0, 1)
        assert follower.poll() == (0, 0)
        assert len(shared.table) == rows_before  # no row was re-added by the repeated window
        found = shared.match(PersonRecord("child_registry", "r-2", NEWCOMER.full_name, NEWCOMER.sex,
                                          NEWCOMER.birth_date, NEWCOMER.birth_place)).candidates
        assert all(c.identity_id != "P-NEW" for c in found)
    finally:
        app.close()
