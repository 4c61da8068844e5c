"""The generated code can never drift from the .proto files, and the protos stay buf-lint clean."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GENERATED = REPO / "linkage" / "v1"
BUF = REPO / "node_modules" / ".bin" / "buf"


def _generated_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "linkage" / "v1").glob("*_pb2*.py*"))}


def test_checked_in_code_matches_the_protos(tmp_path: Path) -> None:
    subprocess.run(["bash", str(REPO / "scripts" / "gen_protos.sh"), str(tmp_path)], check=True, cwd=REPO)
    fresh, checked_in = _generated_files(tmp_path), _generated_files(REPO)
    assert fresh, "protoc generated nothing"
    assert sorted(checked_in) == sorted(fresh), "generated files added or removed: run scripts/gen_protos.sh"
    stale = [name for name in fresh if fresh[name] != checked_in[name]]
    assert not stale, f"linkage/v1 is stale for {stale}: run scripts/gen_protos.sh and commit the result"


def test_every_proto_has_generated_code() -> None:
    protos = {p.stem for p in (REPO / "protos" / "linkage" / "v1").glob("*.proto")}
    assert protos and protos == {p.name.removesuffix("_pb2.py") for p in GENERATED.glob("*_pb2.py")}


@pytest.mark.skipif(not BUF.exists() and shutil.which("buf") is None,
                    reason="buf not installed: run `npm ci` at the repository root")
def test_buf_lint_is_clean() -> None:
    buf = str(BUF) if BUF.exists() else "buf"
    result = subprocess.run([buf, "lint"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
