"""The whole secure path, as an operator runs it: `linkage serve` over mutual TLS in its own process,
`linkage match` with a steward's token, `linkage audit verify` passes; then the audit file is edited by
hand and `linkage audit verify` fails and says where."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from linkage.security import transport

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _linkage(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "linkage.cli", *args], env=env, cwd=REPO, text=True,
                          capture_output=True, timeout=timeout, check=False)


def _wait_serving(address: str, keys_dir: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read() if process.stderr else ''}")
        try:
            credentials = transport.client_credentials(keys_dir, "linkage-tools")
            with grpc.secure_channel(address, credentials) as channel:
                reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=2)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
        except (grpc.RpcError, OSError, Exception):  # noqa: BLE001 - keys or port not ready yet
            time.sleep(0.2)
    raise AssertionError("server did not start serving")


@pytest.mark.slow
def test_serve_match_audit_verify_then_tamper(tmp_path: Path) -> None:
    address = f"127.0.0.1:{_free_port()}"
    keys_dir = tmp_path / "keys"
    env = {**os.environ, "PYTHONPATH": str(REPO), "LINKAGE_DATA_DIR": str(tmp_path / "data"),
           "LINKAGE_KEYS_DIR": str(keys_dir)}
    env.pop("LINKAGE_MASTER_KEY", None)
    server = subprocess.Popen([sys.executable, "-m", "linkage.cli", "serve", "--address", address, "--demo",
                               "--demo-size", "300", "--console", f"127.0.0.1:{_free_port()}"],
                              env=env, cwd=REPO, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_serving(address, keys_dir, server)
        matched = _linkage(env, "match", "--address", address, "--name", "Nguyen Thi Lan",
                           "--dob", "2001-05-03")
        assert matched.returncode == 0, matched.stderr
        assert matched.stdout.startswith("decision: ")
        refused = _linkage(env, "match", "--address", address, "--name", "Nguyen Thi Lan",
                           "--role", "auditor", "--purpose", "audit")
        assert refused.returncode != 0 and "PERMISSION_DENIED" in refused.stderr
        assert "Nguyen Thi Lan" not in refused.stderr.split("PERMISSION_DENIED")[-1]
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "over mutual TLS" in out and "-cacert" in out and "authorization: Bearer" in out

    verified = _linkage(env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("audit log OK: 2 entries")

    log = tmp_path / "data" / "audit" / "audit.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["outcome"] = "refused:POLICY_DENIED"  # rewrite history: the match "never happened"
    log.write_text("\n".join([json.dumps(first, sort_keys=True, separators=(",", ":")), *lines[1:]]) + "\n",
                   encoding="utf-8")
    tampered = _linkage(env, "audit", "verify")
    assert tampered.returncode == 1
    assert "TAMPERED at seq 1" in tampered.stdout
