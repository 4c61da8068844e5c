"""What encryption at rest costs: seal/open throughput of a typical record's 8 personal fields,
blind-index throughput, token verification and audit appends.

    .venv/bin/python -m bench.crypto_bench --records 20000

Records are synthetic (made from common name parts); no real personal data.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.audit_log import JsonlAuditSink
from linkage.domain import PersonRecord, Sex
from linkage.security.audit import AuditLog
from linkage.security.keyset import Keyset
from linkage.security.sealing import SEALED_FIELDS, RecordSealer
from linkage.security.tokens import TokenIssuer, TokenVerifier

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLES = ["Thị", "Văn", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Xuân"]
GIVENS = ["Lan", "Hùng", "Hoa", "Nam", "Linh", "Tuấn", "Thủy", "Dũng", "Hạnh", "Quang", "Yến", "Khoa"]
PLACES = ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Nghệ An", "Thanh Hóa"]


def synthetic_records(n: int, seed: int = 7) -> list[PersonRecord]:
    rng = random.Random(seed)

    def name() -> str:
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"

    return [PersonRecord(source="population", record_id=f"pop-{i}", full_name=name(),
                         sex=rng.choice([Sex.FEMALE, Sex.MALE]),
                         birth_date=f"{rng.randint(1960, 2024)}-{rng.randint(1, 12):02d}-"
                                    f"{rng.randint(1, 28):02d}",
                         birth_place=rng.choice(PLACES), mother_name=name(), father_name=name(),
                         pid=f"{rng.randint(1, 96):03d}{rng.randint(0, 3)}{rng.randint(0, 99):02d}"
                             f"{rng.randint(0, 999999):06d}",
                         recorded_on="")
            for i in range(n)]


def timed(label: str, count: int, unit: str, work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {count / elapsed:>12,.0f} {unit}/s   {elapsed / count * 1e6:>8.2f} µs/{unit}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--audit-entries", type=int, default=2_000)
    args = parser.parse_args()
    n, fields = args.records, len(SEALED_FIELDS)
    records = synthetic_records(n)
    keyset = Keyset.generate()
    sealer = RecordSealer(keyset, "identities", indexed=())
    print(f"{n:,} synthetic records, {fields} personal fields each (AES-256-GCM, row+field AAD)\n")

    sealed: list = []
    seal = timed("seal (encrypt 8 fields)", n, "record",
                 lambda: sealed.extend(sealer.seal(r) for r in records))
    opened = timed("open (decrypt 8 fields)", n, "record",
                   lambda: [sealer.open("population", s.row_id, s.ciphertexts) for s in sealed])
    print(f"{'  per field: encrypt / decrypt':<44} {seal / (n * fields) * 1e6:>8.2f} / "
          f"{opened / (n * fields) * 1e6:.2f} µs")
    plain = sum(len(str(r.sex.value if f == "sex" else getattr(r, f)).encode())
                for r in records for f in SEALED_FIELDS)
    cipher = sum(len(c) for s in sealed for c in s.ciphertexts.values())
    print(f"{'  storage: plaintext -> ciphertext':<44} {plain / n:>8.0f} -> {cipher / n:.0f} bytes/record "
          f"(+{(cipher - plain) / (n * fields):.0f} per field)")
    print(f"{'  100M identities, open once at start-up':<44} {opened / n * 100e6 / 60:>8.1f} min on one core")

    rotated = keyset.rotate()
    rotated_sealer = RecordSealer(rotated, "identities", indexed=())
    timed("re-encrypt under a new primary", n, "record",
          lambda: [rotated_sealer.seal(sealer.open("population", s.row_id, s.ciphertexts)) for s in sealed])

    index = keyset.blind_index("identities.pid")
    timed("blind index (HMAC-SHA256, normalised)", n, "value",
          lambda: [index.compute(r.pid) for r in records])
    name_index = keyset.blind_index("identities.full_name")
    timed("blind index of full names", n, "value", lambda: [name_index.compute(r.full_name) for r in records])

    key = Ed25519PrivateKey.generate()
    issuer, verifier = TokenIssuer(key), TokenVerifier(key.public_key())
    tokens = [issuer.issue(f"steward-{i}", "steward", "data_quality_review") for i in range(2000)]
    timed("token verify (EdDSA JWS)", len(tokens), "token", lambda: [verifier.verify(t) for t in tokens])

    with tempfile.TemporaryDirectory() as tmp:
        log = AuditLog(JsonlAuditSink(Path(tmp)), key, checkpoint_every=100)

        def append_all() -> None:
            for i in range(args.audit_entries):
                log.append(principal_id="child-protection-db", principal_kind="institution",
                           role="institution:child_protection", action="linkage.match",
                           purpose="child_protection", outcome="ok", resource_ids=[f"rec-{i}"],
                           fields=["decision", "pid"])

        timed("audit append (fsync, signed head)", args.audit_entries, "entry", append_all)


if __name__ == "__main__":
    main()
