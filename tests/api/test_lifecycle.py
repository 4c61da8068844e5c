"""Deadlines, failures and shutdown, each on a server of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from linkage.domain import MatchResult, PersonRecord
from linkage.engine.simple import SimpleMatcher
from linkage.security import transport
from linkage.v1 import linkage_service_pb2 as pb
from linkage.v1 import linkage_service_pb2_grpc

REPO = Path(__file__).resolve().parents[2]


class SlowMatcher(SimpleMatcher):
    """The real simple matcher, taking `delay_s` longer per record (a big index, a busy machine)."""

    def __init__(self, delay_s: float) -> None:
        super().__init__()
        self.delay_s = delay_s

    def match(self, record: PersonRecord) -> MatchResult:
        time.sleep(self.delay_s)
        return super().match(record)


class BrokenMatcher(SimpleMatcher):
    """Fails with a message that quotes the record, as careless library errors do."""

    def match(self, record: PersonRecord) -> MatchResult:
        raise RuntimeError(f"cannot score {record.full_name}")


def written(app, record_id: str) -> bool:
    with app.uow() as uow:
        return uow.records.get("child_registry", record_id) is not None or \
            uow.links.get("child_registry", record_id) is not None


def test_a_match_past_its_deadline_is_deadline_exceeded_and_writes_nothing(
    new_app, serve_app, good_record
) -> None:
    app = new_app(SlowMatcher(delay_s=0.6))
    with serve_app(app) as (_, channel):
        stub = linkage_service_pb2_grpc.LinkageServiceStub(channel)
        with pytest.raises(grpc.RpcError) as caught:
            stub.MatchRecord(pb.MatchRecordRequest(record=good_record("late-1")), timeout=0.2)
        assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        time.sleep(0.7)  # let the handler finish its (abandoned) work
        assert not written(app, "late-1")
        # With time enough, the same record goes through.
        stub.MatchRecord(pb.MatchRecordRequest(record=good_record("late-1")), timeout=5)
        assert written(app, "late-1")


def test_a_stream_past_its_deadline_stops_and_keeps_only_answered_records(
    new_app, serve_app, good_record
) -> None:
    app = new_app(SlowMatcher(delay_s=0.1))
    with serve_app(app) as (_, channel):
        stub = linkage_service_pb2_grpc.LinkageServiceStub(channel)
        requests = (pb.LinkRecordsRequest(record=good_record(f"ls-{i}")) for i in range(50))
        answered = []
        with pytest.raises(grpc.RpcError) as caught:
            for response in stub.LinkRecords(requests, timeout=0.5):
                answered.append(response.record_id)
        assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        assert 0 < len(answered) < 50
        time.sleep(0.3)
        assert all(written(app, record_id) for record_id in answered)
        assert not written(app, "ls-49")


def test_an_unexpected_failure_is_internal_without_personal_data(
    new_app, serve_app, good_record, caplog: pytest.LogCaptureFixture
) -> None:
    app = new_app(BrokenMatcher())
    with serve_app(app) as (_, channel):
        stub = linkage_service_pb2_grpc.LinkageServiceStub(channel)
        with pytest.raises(grpc.RpcError) as caught:
            stub.MatchRecord(pb.MatchRecordRequest(record=good_record("broken-1")), timeout=5)
        assert caught.value.code() == grpc.StatusCode.INTERNAL
        assert caught.value.details() == "internal error"
        assert not written(app, "broken-1")
    assert "RuntimeError" in caplog.text and "test_lifecycle.py" in caplog.text  # the stack is logged
    assert "Nguyễn" not in caplog.text  # the message, which quotes the record, is not


def test_graceful_stop_finishes_calls_in_flight_and_refuses_new_ones(new_app, serve_app, good_record) -> None:
    app = new_app(SlowMatcher(delay_s=0.8))
    with serve_app(app) as (running, channel):
        stub = linkage_service_pb2_grpc.LinkageServiceStub(channel)
        in_flight = stub.MatchRecord.future(pb.MatchRecordRequest(record=good_record("drain-1")), timeout=10)
        time.sleep(0.2)
        stopper = threading.Thread(target=running.stop, args=(5,))
        stopper.start()
        time.sleep(0.1)
        assert in_flight.result().result.record_id == "drain-1"  # finished, not cut off
        stopper.join(timeout=10)
        with pytest.raises(grpc.RpcError) as caught:
            stub.MatchRecord(pb.MatchRecordRequest(record=good_record("drain-2")), timeout=2)
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
        assert written(app, "drain-1") and not written(app, "drain-2")
        health = running.health.Check(health_pb2.HealthCheckRequest(service=""), None)
        assert health.status == health_pb2.HealthCheckResponse.NOT_SERVING


SERVE_SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from linkage.api.server import serve
    from linkage.bootstrap import bootstrap
    from linkage.config import Settings

    data = Path(sys.argv[1])
    app = bootstrap(Settings(data_dir=data, db_url=f"sqlite:///{data / 'serve.sqlite'}"))
    serve(app, "127.0.0.1:0", grace_s=5, on_ready=lambda port: print(f"PORT {port}", flush=True))
    print("STOPPED", flush=True)
""")


def test_sigterm_stops_the_server_gracefully(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-c", SERVE_SCRIPT, str(tmp_path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    try:
        line = process.stdout.readline()
        assert line.startswith("PORT "), process.stderr.read() if process.poll() is not None else line
        port = int(line.split()[1])
        credentials = transport.client_credentials(tmp_path / "keys", "linkage-tools")  # made at start-up
        with grpc.secure_channel(f"127.0.0.1:{port}", credentials) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            status = health.Check(health_pb2.HealthCheckRequest(), timeout=5).status
            assert status == health_pb2.HealthCheckResponse.SERVING
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert "STOPPED" in out
        assert "Traceback" not in err
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
