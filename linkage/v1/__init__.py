"""Generated gRPC/protobuf code for the linkage.v1 API. Do not edit: run `scripts/gen_protos.sh`.

The sources are `protos/linkage/v1/*.proto`; `tests/api/test_codegen.py` fails when they drift.
"""
