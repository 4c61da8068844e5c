"""Append-only JSON Lines storage for the audit chain (`linkage.security.ports.AuditSink`).

A directory holds `audit.jsonl` (one entry per line), `checkpoints.jsonl` (signed checkpoints) and
`head.json` (the signed latest seq and hash). Appends take an exclusive `flock` on `audit.lock`, read
the last entry (unless this sink appended it and the log has not changed since), append one line and
fsync before returning, so several processes (server, CLI) can share one log. The head is overwritten
in place and not fsynced: an entry is durable before its caller is answered, while the head only has
to survive a process crash (see `write_head`). A torn last line
(a crash mid-write) stops further appends rather than being papered over: `linkage audit verify` shows
it and an operator decides.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from linkage.security.audit import AuditEntry, AuditFormatError, Checkpoint

_TAIL_CHUNK = 8192
_HEAD_BLOCK = 512  # one sector: the head is rewritten whole, padded with spaces (JSON ignores them)


class TornAuditLog(RuntimeError):
    """The log's last line is incomplete; appending after it would hide the damage."""


class JsonlAuditSink:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.entries_path = self.directory / "audit.jsonl"
        self.checkpoints_path = self.directory / "checkpoints.jsonl"
        self.head_path = self.directory / "head.json"
        self._lock_path = self.directory / "audit.lock"
        # the lock file stays open (per process: a forked child opens its own, since `flock` excludes
        # open files, not processes), and threads of this process take turns before flocking it
        self._threads = threading.Lock()
        self._lock_fd = -1
        self._lock_pid = 0
        # (inode, size, last entry) of the log after this sink's last append: while the log is still that
        # file at that size, nobody appended since, and its last entry need not be read back and parsed
        self._tail: tuple[int, int, AuditEntry] | None = None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._threads:
            if self._lock_pid != os.getpid():
                self._lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
                self._lock_pid = os.getpid()
            fd = self._lock_fd
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def append(self, make_entry: Callable[[AuditEntry | None], AuditEntry]) -> AuditEntry:
        return self.append_many([make_entry])[0]

    def append_many(self, makers: Sequence[Callable[[AuditEntry | None], AuditEntry]]) -> list[AuditEntry]:
        """Chain and append several entries under one lock with one write and one fsync."""
        with self._locked():
            fd = os.open(self.entries_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                before = os.fstat(fd)
                tail = self._tail
                self._tail = None  # until this append is on disk
                if tail is not None and tail[:2] == (before.st_ino, before.st_size):
                    last: AuditEntry | None = tail[2]
                else:
                    last = self._last_entry()
                entries: list[AuditEntry] = []
                for make in makers:
                    last = make(last)
                    entries.append(last)
                _write_all(fd, "".join(entry.to_json() + "\n" for entry in entries).encode("utf-8"))
                os.fsync(fd)
                self._tail = (before.st_ino, os.fstat(fd).st_size, entries[-1])
            finally:
                os.close(fd)
            return entries

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        with self._locked():
            _append_line(self.checkpoints_path, checkpoint.to_json() + "\n")

    def write_head(self, head: Checkpoint) -> None:
        """Overwrite the head in place; never move it backwards (a slower writer's older head).

        One `pwrite` of a fixed-size block at offset 0, under the lock, neither renamed nor fsynced: a
        rename or a flush costs as much as the entry's own fsync. A process crash cannot tear a single
        write, so only a power loss or kernel crash can leave an older head on disk, and then the
        entries after it (fsynced, chained) are reported by `verify` as not covered by the head, not
        lost. The head guards against truncation and appends by someone without the key; a power cut
        is neither, and the operator sees it for what it is.
        """
        with self._locked():
            current = self.head()
            if current is not None and current.seq > head.seq:
                return
            block = (head.to_json() + "\n").encode("ascii")
            if len(block) > _HEAD_BLOCK:
                raise ValueError(f"a signed head is {len(block)} bytes, more than {_HEAD_BLOCK}")
            fd = os.open(self.head_path, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                os.pwrite(fd, block.ljust(_HEAD_BLOCK), 0)
                os.ftruncate(fd, _HEAD_BLOCK)  # a longer file from elsewhere must not leave a tail
            finally:
                os.close(fd)

    def entries(self) -> Iterator[AuditEntry]:
        """Every entry in stored order; a line that is not an entry raises `AuditFormatError(line)`."""
        if not self.entries_path.exists():
            return
        with self.entries_path.open("r", encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                try:
                    yield AuditEntry.from_json(line)
                except (ValueError, KeyError, TypeError):
                    raise AuditFormatError(number) from None

    def checkpoints(self) -> list[Checkpoint]:
        if not self.checkpoints_path.exists():
            return []
        with self.checkpoints_path.open("r", encoding="ascii") as lines:
            return [Checkpoint.from_json(line) for line in lines if line.strip()]

    def head(self) -> Checkpoint | None:
        """The signed head; None when there is none yet (or a crash came between creating and writing it)."""
        try:
            text = self.head_path.read_text("ascii")
        except FileNotFoundError:
            return None
        return Checkpoint.from_json(text) if text.strip() else None

    def _last_entry(self) -> AuditEntry | None:
        try:
            with self.entries_path.open("rb") as log:
                size = log.seek(0, os.SEEK_END)
                if size == 0:
                    return None
                tail, offset = b"", size
                while offset > 0:
                    step = min(_TAIL_CHUNK, offset)
                    offset -= step
                    log.seek(offset)
                    tail = log.read(step) + tail
                    if tail.count(b"\n") >= 2 or offset == 0:
                        break
        except FileNotFoundError:
            return None
        if not tail.endswith(b"\n"):
            raise TornAuditLog("the audit log ends in an incomplete line; run `linkage audit verify`")
        last = tail[:-1].rsplit(b"\n", 1)[-1]
        try:
            return AuditEntry.from_json(last.decode("utf-8"))
        except (ValueError, KeyError, TypeError):
            raise TornAuditLog("the audit log's last line is not an entry; run `linkage audit verify`") \
                from None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _append_line(path: Path, text: str) -> None:
    """Append whole lines (`text` ends in a newline) and fsync before returning."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        _write_all(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
