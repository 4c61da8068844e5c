"""What encryption at rest costs: import throughput, start-up load and single-record match latency through
the real gRPC server (mutual TLS, security gate, audit), with personal fields sealed and without.

    PYTHONPATH=. .venv/bin/python -m bench.encryption_bench [--population 20000] [--matches 300] [--db URL]

"Without" swaps the store's `StoreCrypto` for `PlaintextCodec` below, which writes the same columns as
UTF-8 bytes: a measuring instrument only, never used by the service. Synthetic people only.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import grpc

from adapters.store import Store, StoreCrypto
from linkage.api.server import build_server
from linkage.bootstrap import App, load_security
from linkage.config import Settings
from linkage.domain import PersonRecord, Sex
from linkage.engine.simple import SimpleMatcher
from linkage.security import pki, transport
from linkage.security.sealing import SEALED_FIELDS, SealedRecord
from linkage.security.tokens import TokenIssuer
from linkage.synth import generate_population
from linkage.v1 import linkage_service_pb2 as pb
from linkage.v1 import linkage_service_pb2_grpc as pb_grpc
from linkage.v1 import person_pb2

BATCH = 5_000


class PlaintextCodec(StoreCrypto):
    """The baseline: same columns, same code path, values stored as UTF-8 (no AES-GCM, no HMAC)."""

    def seal(self, table, record, row_id):  # noqa: ANN001, ANN201
        values = {"full_name": record.full_name, "sex": Sex(record.sex).value,
                  "birth_date": record.birth_date,
                  "birth_place": record.birth_place, "mother_name": record.mother_name,
                  "father_name": record.father_name, "pid": record.pid, "recorded_on": record.recorded_on}
        return SealedRecord(row_id, {k: v.encode() for k, v in values.items()},
                            {"pid": record.pid or None}), 0

    def open(self, table, source, record_id, ciphertexts, row_id):  # noqa: ANN001, ANN201
        v = {name: bytes(ciphertexts[name]).decode() for name in SEALED_FIELDS}
        return PersonRecord(source, record_id, v["full_name"], Sex(v["sex"] or "U"), v["birth_date"],
                            v["birth_place"], v["mother_name"], v["father_name"], v["pid"], v["recorded_on"])

    def pid_index(self, table, pid):  # noqa: ANN001, ANN201
        return pid or None

    def fingerprint(self, table, record):  # noqa: ANN001, ANN201
        return str(hash(record))[:64]

    def seal_field(self, table, row_id, field, value):  # noqa: ANN001, ANN201
        return value.encode(), 0

    def open_field(self, table, row_id, field, ciphertext):  # noqa: ANN001, ANN201
        return bytes(ciphertext).decode()


def _import(store: Store, people: list[PersonRecord]) -> float:
    started = time.perf_counter()
    for start in range(0, len(people), BATCH):
        with store.unit_of_work() as uow:
            uow.identities.add_many(people[start:start + BATCH])
            uow.commit()
    return len(people) / (time.perf_counter() - started)


def _load(store: Store) -> float:
    started = time.perf_counter()
    matcher = SimpleMatcher()
    with store.unit_of_work() as uow:
        count = uow.identities.count()
        matcher.add_identities(uow.identities.iter_all())
    return count / (time.perf_counter() - started)


def _match_latencies(app: App, people: list[PersonRecord], matches: int) -> list[float]:
    running = build_server(app, "127.0.0.1:0")
    running.start()
    keys = pki.KeyFiles(app.settings.keys_dir)
    token = TokenIssuer(pki.load_signing_key(keys.token_signing_key)).issue("bench", "steward",
                                                                            "data_quality_review", ttl_s=3600)
    channel = grpc.secure_channel(f"127.0.0.1:{running.port}",
                                  transport.client_credentials(keys.root, "linkage-tools"))
    stub = pb_grpc.LinkageServiceStub(channel)
    metadata = [("authorization", f"Bearer {token}")]
    latencies = []
    try:
        for i in range(matches + 20):
            person = people[(i * 7919) % len(people)]
            record = person_pb2.PersonRecord(source=person_pb2.SOURCE_CHILD_REGISTRY, record_id=f"b-{i}",
                                             full_name=person.full_name, personal_number=person.pid)
            started = time.perf_counter()
            stub.MatchRecord(pb.MatchRecordRequest(record=record), metadata=metadata, timeout=10)
            if i >= 20:  # warm-up excluded
                latencies.append((time.perf_counter() - started) * 1000)
    finally:
        channel.close()
        running.stop(0)
    return latencies


def run(population: int, matches: int, db_url: str | None) -> dict[str, dict[str, float]]:
    people = [replace(p, source="population") for p in generate_population(population, seed=11).records()]
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for mode in ("plaintext", "encrypted"):
            data = root / mode
            settings = Settings(data_dir=data, db_url=db_url or f"sqlite:///{data / 'linkage.sqlite'}",
                                keys_dir=root / "keys", rate_per_s=1e6, rate_burst=1_000_000)
            data.mkdir()
            security = load_security(settings)
            keyset = security.keyset_file.load()
            crypto = PlaintextCodec(keyset) if mode == "plaintext" else StoreCrypto(keyset)
            store = Store(settings.db_url, crypto)
            store.migrate()
            try:
                rate = _import(store, people)
                load_rate = _load(store)
                matcher = SimpleMatcher()
                with store.unit_of_work() as uow:
                    matcher.add_identities(uow.identities.iter_all())
                app = App(settings=settings, store=store, matcher=matcher, security=security)
                latencies = sorted(_match_latencies(app, people, matches))
                results[mode] = {
                    "import rows/s": rate, "start-up load rows/s": load_rate,
                    "match p50 ms": statistics.median(latencies),
                    "match p95 ms": latencies[int(len(latencies) * 0.95) - 1],
                }
            finally:
                store.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=20_000)
    parser.add_argument("--matches", type=int, default=300)
    parser.add_argument("--db", help="a database URL to use instead of SQLite files (it must be empty)")
    args = parser.parse_args()
    results = run(args.population, args.matches, args.db)
    print(f"population {args.population}, {args.matches} single-record matches over mTLS (SimpleMatcher)")
    print(f"{'':24}{'plaintext':>12}{'encrypted':>12}{'cost':>9}")
    for metric in results["plaintext"]:
        plain, sealed = results["plaintext"][metric], results["encrypted"][metric]
        cost = (plain / sealed - 1) if "rows/s" in metric else (sealed / plain - 1)
        print(f"{metric:24}{plain:12,.1f}{sealed:12,.1f}{cost:+9.0%}")


if __name__ == "__main__":
    main()
