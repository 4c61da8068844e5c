"""The sink remembers the entry it appended last, and reads the log again whenever anyone else wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.audit_log import JsonlAuditSink, TornAuditLog
from linkage.security.audit import AuditLog, verify

KEY = Ed25519PrivateKey.generate()


def _append(log: AuditLog, who: str) -> int:
    return log.append(principal_id=who, principal_kind="person", role="steward", action="linkage.match",
                      purpose="data_quality_review", outcome="ok").seq


def test_two_sinks_on_one_log_chain_each_others_entries(tmp_path: Path) -> None:
    first, second = JsonlAuditSink(tmp_path), JsonlAuditSink(tmp_path)  # as two processes would
    a, b = AuditLog(first, KEY, checkpoint_every=3), AuditLog(second, KEY, checkpoint_every=3)
    seqs = [_append(log, f"p{i}") for i, log in enumerate([a, a, b, a, b, b, a])]
    assert seqs == list(range(1, 8))
    report = verify(first.entries(), first.checkpoints(), KEY.public_key(), head=first.head(),
                    require_head=True)
    assert report.ok, report.problems


def test_a_torn_line_written_by_someone_else_still_stops_appends(tmp_path: Path) -> None:
    sink = JsonlAuditSink(tmp_path)
    log = AuditLog(sink, KEY)
    _append(log, "a")
    with sink.entries_path.open("a", encoding="ascii") as out:
        out.write('{"seq": 2, "ti')  # a crash mid-write in another process
    with pytest.raises(TornAuditLog):
        _append(log, "b")
