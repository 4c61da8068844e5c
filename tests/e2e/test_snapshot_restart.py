"""A restart from the index snapshot, as an operator runs it: import a population, `linkage snapshot`,
import one more identity, then `linkage serve` maps the snapshot, catches up with the store since its
watermark and finds the newcomer through the real server; a corrupted snapshot is refused and rebuilt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_secure_path import REPO, _free_port, _linkage, _wait_serving

NEWCOMER = ("population,NEW-0001,Trịnh Thị Ngọc Hân,F,2016-11-20,Tỉnh Nghệ An,Lê Thị Thu,Trịnh Văn Quý,"
            "040316009876,2016-12-01")


def _serve(env: dict[str, str], address: str, keys_dir: Path) -> tuple[str, str]:
    server = subprocess.Popen([sys.executable, "-m", "linkage.cli", "serve", "--address", address,
                               "--console", "off"], env=env, cwd=REPO, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_serving(address, keys_dir, server)
        matched = _linkage(env, "match", "--address", address, "--name", "Trinh Thi Ngoc Han", "--sex", "F",
                           "--dob", "2016-11-20", "--mother", "Le Thi Thu", "--source", "adoption_file")
        assert matched.returncode == 0, matched.stderr
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
    return matched.stdout, err


@pytest.mark.slow
def test_the_server_restarts_from_the_snapshot_and_catches_up_with_the_store(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    env = {**os.environ, "PYTHONPATH": str(REPO), "LINKAGE_DATA_DIR": str(tmp_path / "data"),
           "LINKAGE_KEYS_DIR": str(keys_dir), "LINKAGE_SNAPSHOT_LAG_S": "0"}
    env.pop("LINKAGE_MASTER_KEY", None)
    made = _linkage(env, "synth", "--population", "800", "--records", "5", "--out", str(tmp_path / "synth"))
    assert made.returncode == 0, made.stderr
    imported = _linkage(env, "import", "population", str(tmp_path / "synth" / "population.csv"), timeout=120)
    assert imported.returncode == 0, imported.stderr
    written = _linkage(env, "snapshot", timeout=120)
    assert written.returncode == 0, written.stderr
    snapshot_dir = Path(written.stdout.strip())
    assert (snapshot_dir / "meta.json").is_file() and snapshot_dir.parent == tmp_path / "data" / "snapshot"

    header = (tmp_path / "synth" / "population.csv").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "new.csv").write_text(f"{header}\n{NEWCOMER}\n", encoding="utf-8")
    added = _linkage(env, "import", "population", str(tmp_path / "new.csv"))
    assert added.returncode == 0, added.stderr

    out, err = _serve(env, f"127.0.0.1:{_free_port()}", keys_dir)
    assert f"index snapshot {snapshot_dir.name} mapped" in err and "1 written, 0 merged away" in err
    assert "building the index" not in err and "refused" not in err
    assert out.splitlines()[1].startswith("1. NEW-0001 ")

    index_rows = snapshot_dir / "index_rows.npy"
    data = bytearray(index_rows.read_bytes())
    data[-3] ^= 0xFF
    index_rows.write_bytes(bytes(data))
    out, err = _serve(env, f"127.0.0.1:{_free_port()}", keys_dir)
    assert "index snapshot refused" in err and "index_rows.npy is corrupted" in err
    assert out.splitlines()[1].startswith("1. NEW-0001 ")  # rebuilt from the store: still complete
