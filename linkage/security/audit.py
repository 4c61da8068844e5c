"""The tamper-evident audit chain: who did what, for which purpose, to which records, with what outcome.

Each entry carries the SHA-256 of its predecessor (hash chain over canonical JSON). Every
`checkpoint_every` entries a checkpoint (seq, hash) is signed with an Ed25519 key, and a signed *head*
(the latest seq and hash) is rewritten on every append. `verify` then finds, and locates:
- an edited entry (its hash no longer matches, or the next entry's `prev_hash` no longer does),
- a deleted entry (a gap in the sequence), reordered entries (a sequence number out of place),
- truncation (a checkpoint or the head points past the end of the log),
- a rewritten chain or a forged checkpoint (a hash that differs from, or a signature that fails for,
  what the checkpoint key signed).
The chain alone is unkeyed; the signatures are what an attacker without the key cannot redo. Ship
checkpoints off the machine (or to a second store) so deleting them is noticed too.

Entries hold identifiers only (principal id, record ids, field names): never names or values.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from linkage.security.ports import AuditSink
from linkage.security.tokens import key_id

GENESIS_HASH = "0" * 64
_IDENTIFIER = re.compile(r"^[A-Za-z0-9._:/@#=+-]{0,200}$")
Clock = Callable[[], dt.datetime]


class AuditFormatError(ValueError):
    """A stored line is not an audit entry; `line` says which (1-based)."""

    def __init__(self, line: int) -> None:
        super().__init__(f"line {line} is not a valid audit entry")
        self.line = line


def canonical_json(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _check_identifier(name: str, value: str) -> str:
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        raise ValueError(f"audit {name} must be an identifier (no spaces, names or free text)")
    return value


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    time: str
    principal_id: str
    principal_kind: str
    role: str
    action: str
    purpose: str
    resource_ids: tuple[str, ...]
    fields: tuple[str, ...]
    outcome: str
    prev_hash: str
    hash: str = ""

    def body(self) -> dict:
        """Every field but the hash (spelt out: `dataclasses.asdict` deep-copies, a third of an append)."""
        return {"seq": self.seq, "time": self.time, "principal_id": self.principal_id,
                "principal_kind": self.principal_kind, "role": self.role, "action": self.action,
                "purpose": self.purpose, "resource_ids": list(self.resource_ids), "fields": list(self.fields),
                "outcome": self.outcome, "prev_hash": self.prev_hash}

    def computed_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.body())).hexdigest()

    def to_json(self) -> str:
        return canonical_json({**self.body(), "hash": self.hash}).decode("ascii")

    @classmethod
    def from_json(cls, text: str) -> AuditEntry:
        data = json.loads(text)
        return cls(
            seq=int(data["seq"]), time=str(data["time"]), principal_id=str(data["principal_id"]),
            principal_kind=str(data["principal_kind"]), role=str(data["role"]), action=str(data["action"]),
            purpose=str(data["purpose"]), resource_ids=tuple(str(r) for r in data["resource_ids"]),
            fields=tuple(str(f) for f in data["fields"]), outcome=str(data["outcome"]),
            prev_hash=str(data["prev_hash"]), hash=str(data["hash"]),
        )


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement: "entry `seq` of the chain has hash `hash`"."""

    seq: int
    hash: str
    time: str
    key_id: str
    signature: str

    @staticmethod
    def _message(seq: int, entry_hash: str, time: str, kid: str) -> bytes:
        return canonical_json({"kind": "linkage-audit-checkpoint-v1", "seq": seq, "hash": entry_hash,
                               "time": time, "key_id": kid})

    @classmethod
    def sign(cls, key: Ed25519PrivateKey, seq: int, entry_hash: str, time: str, kid: str = "") -> Checkpoint:
        """`kid`, when the caller already knows it, spares deriving the public key on every head."""
        kid = kid or key_id(key.public_key())
        signature = key.sign(cls._message(seq, entry_hash, time, kid))
        return cls(seq, entry_hash, time, kid, base64.b64encode(signature).decode("ascii"))

    def is_valid(self, public_key: Ed25519PublicKey) -> bool:
        try:
            public_key.verify(base64.b64decode(self.signature, validate=True),
                              self._message(self.seq, self.hash, self.time, self.key_id))
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_json(self) -> str:
        return canonical_json({"seq": self.seq, "hash": self.hash, "time": self.time, "key_id": self.key_id,
                               "signature": self.signature}).decode("ascii")

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        data = json.loads(text)
        return cls(int(data["seq"]), str(data["hash"]), str(data["time"]), str(data["key_id"]),
                   str(data["signature"]))


@dataclass(slots=True)
class _Pending:
    """One caller's entry waiting for a group commit, and what became of it."""

    make: Callable[[AuditEntry | None], AuditEntry]
    entry: AuditEntry | None = None
    error: BaseException | None = None
    done: bool = False


class AuditLog:
    """Appends entries through an `AuditSink`, signing checkpoints and the head as it goes.

    Thread-safe; the sink makes appends atomic across processes. Concurrent callers share one write:
    whoever takes the lock appends every entry queued so far in one `append_many` (one fsync) and signs
    one head for them all, so under load a caller waits for one disk flush, not for one per caller
    ahead of it. No caller returns before its own entry is on disk and a head covering it is in place.
    """

    def __init__(self, sink: AuditSink, signing_key: Ed25519PrivateKey, checkpoint_every: int = 100,
                 clock: Clock = _utc_now) -> None:
        if checkpoint_every < 1:
            raise ValueError("checkpoint_every must be >= 1")
        self.sink, self._key, self.checkpoint_every, self._clock = sink, signing_key, checkpoint_every, clock
        self._kid = key_id(signing_key.public_key())
        self._lock = threading.Lock()
        self._queue: list[_Pending] = []
        self._queue_lock = threading.Lock()

    def append(self, *, principal_id: str, principal_kind: str, role: str, action: str, purpose: str,
               outcome: str, resource_ids: Iterable[str] = (), fields: Iterable[str] = ()) -> AuditEntry:
        values = {"principal_id": principal_id, "principal_kind": principal_kind, "role": role,
                  "action": action, "purpose": purpose, "outcome": outcome}
        for name, value in values.items():
            _check_identifier(name, value)
        resources = tuple(_check_identifier("resource id", r) for r in resource_ids)
        names = tuple(sorted({_check_identifier("field", f) for f in fields}))
        time = self._clock().astimezone(dt.UTC).isoformat(timespec="microseconds")

        def make(last: AuditEntry | None) -> AuditEntry:
            draft = AuditEntry(seq=(last.seq + 1) if last else 1, time=time, resource_ids=resources,
                               fields=names, prev_hash=last.hash if last else GENESIS_HASH, **values)
            return replace(draft, hash=draft.computed_hash())

        pending = _Pending(make)
        with self._queue_lock:
            self._queue.append(pending)
        with self._lock:
            if not pending.done:  # nobody committed it while this caller waited: commit the queue
                with self._queue_lock:
                    group, self._queue = self._queue, []
                self._commit(group)
        if pending.error is not None:
            raise pending.error
        assert pending.entry is not None
        return pending.entry

    def _commit(self, group: list[_Pending]) -> None:
        """Append a group of entries with one write, sign its checkpoints and one head (lock held)."""
        try:
            entries = self.sink.append_many([p.make for p in group])
            last = entries[-1]
            head = self._sign(last)
            for entry in entries:
                if entry.seq % self.checkpoint_every == 0:
                    self.sink.add_checkpoint(head if entry is last else self._sign(entry))
            self.sink.write_head(head)
            for p, entry in zip(group, entries, strict=True):
                p.entry = entry
        except BaseException as error:  # every caller of the group fails alike: none was audited for sure
            for p in group:
                p.error = error
        finally:
            for p in group:
                p.done = True

    def _sign(self, entry: AuditEntry) -> Checkpoint:
        return Checkpoint.sign(self._key, entry.seq, entry.hash, entry.time, self._kid)

    def checkpoint(self) -> Checkpoint | None:
        """Sign a checkpoint at the current head now (e.g. at shutdown); None for an empty log."""
        with self._lock:
            head = self.sink.head()
            if head is None:
                return None
            checkpoint = Checkpoint.sign(self._key, head.seq, head.hash, self._clock().isoformat(), self._kid)
            self.sink.add_checkpoint(checkpoint)
            return checkpoint


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    entries_checked: int
    checkpoints_checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    problems: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        if self.ok:
            return (f"audit log OK: {self.entries_checked} entries, "
                    f"{self.checkpoints_checked} checkpoints verified")
        return f"audit log TAMPERED at seq {self.first_bad_seq}: {self.problem}"


def verify(entries: Iterable[AuditEntry], checkpoints: Sequence[Checkpoint], public_key: Ed25519PublicKey,
           head: Checkpoint | None = None, require_head: bool = False) -> VerifyReport:
    """Check the chain, the checkpoints and the head; report the earliest problem and where it is."""
    found: list[tuple[int, str]] = []
    hashes, last_seq, count = _check_chain(entries, found)
    checked = 0
    trusted_seq = 0  # the last seq a valid checkpoint vouches for, to locate a rewrite
    for checkpoint in sorted(checkpoints, key=lambda c: c.seq):
        checked += 1
        _check_checkpoint(checkpoint, "checkpoint", hashes, last_seq, trusted_seq, public_key, found)
        if checkpoint.is_valid(public_key) and hashes.get(checkpoint.seq) == checkpoint.hash:
            trusted_seq = checkpoint.seq
    if head is not None:
        _check_checkpoint(head, "signed head", hashes, last_seq, trusted_seq, public_key, found)
        if head.seq < last_seq:
            found.append((head.seq + 1, f"entries after seq {head.seq} are not covered by the signed head "
                                        "(appended by someone without the key, or a crash mid-append)"))
    elif require_head and last_seq:
        found.append((last_seq, "the signed head is missing: truncation cannot be ruled out"))
    if not found:
        return VerifyReport(True, count, checked)
    found.sort(key=lambda item: item[0])
    return VerifyReport(False, count, checked, found[0][0], found[0][1], tuple(p for _, p in found))


def _check_chain(entries: Iterable[AuditEntry],
                 found: list[tuple[int, str]]) -> tuple[dict[int, str], int, int]:
    """Walk the stored order; stop at the first break (nothing after it can be trusted)."""
    hashes: dict[int, str] = {}
    listed: list[AuditEntry] = []
    try:
        listed.extend(entries)
    except AuditFormatError as bad:
        found.append((len(listed) + 1, f"{bad} (corrupted or hand-edited)"))
    present = {e.seq for e in listed}
    last_seq = max(present, default=0)
    previous = GENESIS_HASH
    for position, entry in enumerate(listed, start=1):
        if entry.seq != position:
            if entry.seq < position or position in present:
                found.append((position, f"entries out of order: seq {entry.seq} stands where seq {position} "
                                        "belongs (reordered or duplicated)"))
            else:
                found.append((position, f"entry {position} is missing (deleted)"))
            break
        if entry.computed_hash() != entry.hash:
            found.append((entry.seq, f"entry {entry.seq} was edited: its content does not match its hash"))
            break
        if entry.prev_hash != previous:
            bad = max(entry.seq - 1, 1)
            found.append((bad, f"entry {bad} was edited or replaced: entry {entry.seq} chains to a "
                               "different hash"))
            break
        hashes[entry.seq] = previous = entry.hash
    return hashes, last_seq, len(listed)


def _check_checkpoint(checkpoint: Checkpoint, what: str, hashes: dict[int, str], last_seq: int,
                      trusted_seq: int, public_key: Ed25519PublicKey, found: list[tuple[int, str]]) -> None:
    if not checkpoint.is_valid(public_key):
        found.append((checkpoint.seq, f"{what} at seq {checkpoint.seq} has an invalid signature "
                                      "(forged or altered)"))
    elif checkpoint.seq > last_seq:
        found.append((last_seq + 1, f"log truncated: the {what} signs seq {checkpoint.seq} but the log "
                                    f"ends at seq {last_seq}"))
    elif checkpoint.seq in hashes and hashes[checkpoint.seq] != checkpoint.hash:
        found.append((trusted_seq + 1, f"entries between seq {trusted_seq + 1} and {checkpoint.seq} were "
                                       f"rewritten: the chain differs from the {what} at that seq"))
