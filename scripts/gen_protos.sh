#!/usr/bin/env bash
# Regenerate the Python code for the API (linkage/v1/*_pb2*.py) from protos/linkage/v1/*.proto.
# The generated files are checked in; tests/api/test_codegen.py fails if they drift from the protos.
# Usage: scripts/gen_protos.sh [OUTPUT_ROOT]   (default: the repository root)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root}"
python="${PYTHON:-$root/.venv/bin/python}"
mkdir -p "$out/linkage/v1"
cd "$root"
"$python" -m grpc_tools.protoc -Iprotos \
  --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" \
  protos/linkage/v1/*.proto
