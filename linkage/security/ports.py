"""The ports the security core needs from outside.

`adapters/keys.py` implements `KeyProvider`; `adapters/audit_log.py` implements `AuditSink`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from linkage.security.audit import AuditEntry, Checkpoint


class KeyProvider(Protocol):
    """Holds the master key and wraps/unwraps the keyset with it; the master key never leaves it.

    The shape is a KMS's Encrypt/Decrypt, so a cloud or HSM key service fits behind the same port.
    `unwrap` raises `KeyMaterialError` when the blob was not wrapped by this master key.
    """

    key_id: str

    def wrap(self, plaintext: bytes, aad: bytes) -> bytes: ...

    def unwrap(self, ciphertext: bytes, aad: bytes) -> bytes: ...


class AuditSink(Protocol):
    """Append-only storage for the audit chain, its signed checkpoints and its signed head.

    `append` must be atomic with respect to other writers: it reads the last entry, lets `make_entry`
    build the next one from it, and appends that, all under one lock.
    """

    def append(self, make_entry: Callable[[AuditEntry | None], AuditEntry]) -> AuditEntry: ...

    def append_many(self, makers: Sequence[Callable[[AuditEntry | None], AuditEntry]]) -> list[AuditEntry]:
        """Like `append` for several entries at once, each built from the one before: one durable write."""
        ...

    def add_checkpoint(self, checkpoint: Checkpoint) -> None: ...

    def write_head(self, head: Checkpoint) -> None: ...

    def entries(self) -> Iterator[AuditEntry]: ...

    def checkpoints(self) -> list[Checkpoint]: ...

    def head(self) -> Checkpoint | None: ...
