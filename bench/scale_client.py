"""The load generator of the latency bench: N concurrent clients calling MatchRecord, one call at a time each.

Runs in its own process (`python -m bench.scale_client REQUESTS OUT --address ... --clients 8`) so that
the clients' Python work does not share the server's interpreter lock. Requests are length-prefixed
serialised `MatchRecordRequest`s (`write_requests`); each client thread has its own channel, sends its
share of them in order and times every call from send to reply. Latencies (ms) go to OUT as JSON.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import grpc  # noqa: E402

from linkage.v1 import linkage_service_pb2 as pb  # noqa: E402
from linkage.v1 import linkage_service_pb2_grpc as pb_grpc  # noqa: E402

_LENGTH = struct.Struct("<I")


def write_requests(path: Path, requests: Iterable[pb.MatchRecordRequest]) -> int:
    count = 0
    with Path(path).open("wb") as out:
        for request in requests:
            data = request.SerializeToString()
            out.write(_LENGTH.pack(len(data)))
            out.write(data)
            count += 1
    return count


def read_requests(path: Path) -> list[pb.MatchRecordRequest]:
    data = Path(path).read_bytes()
    out, at = [], 0
    while at < len(data):
        (size,) = _LENGTH.unpack_from(data, at)
        at += _LENGTH.size
        out.append(pb.MatchRecordRequest.FromString(data[at:at + size]))
        at += size
    return out


def run(address: str, token: str, requests: list[pb.MatchRecordRequest], clients: int,
        warmup: int = 20, timeout: float = 30.0) -> dict:
    """Latencies in ms of every call after each client's first `warmup` calls, plus errors and wall time."""
    metadata = [("authorization", f"Bearer {token}")]
    shares = [requests[i::clients] for i in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []  # "CODE: details" of every refused call
    start_line = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        # a connection of its own, as separate callers have (channels otherwise share one subchannel,
        # and so one server process of `serve --processes N`)
        with grpc.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)]) as channel:
            stub = pb_grpc.LinkageServiceStub(channel)
            grpc.channel_ready_future(channel).result(timeout=30)
            start_line.wait()
            for n, request in enumerate(shares[i]):
                began = time.perf_counter()
                try:
                    stub.MatchRecord(request, metadata=metadata, timeout=timeout)
                except grpc.RpcError as error:  # counted, never hidden: a refused call is not a fast call
                    errors.append(f"{error.code().name}: {error.details()}")
                    continue
                if n >= warmup:
                    latencies[i].append(1000 * (time.perf_counter() - began))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    flat = [x for per in latencies for x in per]
    codes: dict[str, int] = {}
    for error in errors:
        code = error.split(":", 1)[0]
        codes[code] = codes.get(code, 0) + 1
    return {"clients": clients, "calls": len(requests), "measured": len(flat), "errors": len(errors),
            "error_codes": codes, "first_errors": errors[:5], "wall_s": wall,
            "calls_per_s": len(requests) / wall if wall else 0.0,
            "latencies_ms": flat}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("requests", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--address", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args(argv)
    result = run(args.address, args.token, read_requests(args.requests), args.clients, args.warmup)
    args.out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
