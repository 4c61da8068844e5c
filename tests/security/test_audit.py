"""The audit chain detects and locates every kind of tampering: edit, delete, reorder, truncate, forge."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.audit_log import JsonlAuditSink
from linkage.security.audit import AuditEntry, AuditLog, Checkpoint, VerifyReport, verify

KEY = Ed25519PrivateKey.generate()
ENTRIES = 12  # checkpoints every 5: at 5 and 10; the signed head at 12


def _write(log: AuditLog, n: int) -> None:
    for i in range(1, n + 1):
        log.append(principal_id=f"caseworker-{i % 3}", principal_kind="person", role="caseworker",
                   action="tracing.get", purpose="origin_tracing", outcome="ok",
                   resource_ids=[f"trace/{i}"], fields=["trace_state"])


@pytest.fixture()
def sink(tmp_path: Path) -> JsonlAuditSink:
    sink = JsonlAuditSink(tmp_path / "audit")
    _write(AuditLog(sink, KEY, checkpoint_every=5), ENTRIES)
    return sink


def _verify(sink: JsonlAuditSink, require_head: bool = True) -> VerifyReport:
    return verify(sink.entries(), sink.checkpoints(), KEY.public_key(), head=sink.head(),
                  require_head=require_head)


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines()


def _save(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines))


def _entry(sink: JsonlAuditSink, seq: int) -> AuditEntry:
    return AuditEntry.from_json(_lines(sink.entries_path)[seq - 1])


def test_untouched_log_verifies(sink):
    report = _verify(sink)
    assert report.ok, report
    assert (report.entries_checked, report.checkpoints_checked) == (ENTRIES, 2)
    assert [c.seq for c in sink.checkpoints()] == [5, 10] and sink.head().seq == ENTRIES


def test_entries_and_checkpoints_serialise_every_field(sink):
    """The hashed body and the stored JSON are spelt out field by field: none may be left out."""
    entry, checkpoint = _entry(sink, 3), sink.checkpoints()[0]
    expected = {**asdict(entry), "resource_ids": list(entry.resource_ids), "fields": list(entry.fields)}
    assert json.loads(entry.to_json()) == expected
    assert entry.body() == {k: v for k, v in expected.items() if k != "hash"}
    assert json.loads(checkpoint.to_json()) == asdict(checkpoint)


def test_entries_hold_identifiers_only(tmp_path):
    log = AuditLog(JsonlAuditSink(tmp_path), KEY)
    bad_values = ({"resource_ids": ["Nguyễn Thị Lan"]}, {"fields": ["mother name"]},
                  {"principal_id": "Lan Nguyen"})
    for bad in bad_values:
        arguments = {"principal_id": "u-1", "principal_kind": "person", "role": "steward",
                     "action": "review.decide", "purpose": "data_quality_review", "outcome": "ok", **bad}
        with pytest.raises(ValueError):
            log.append(**arguments)
    assert not (tmp_path / "audit.jsonl").exists()


def test_edit_without_rehash_is_located(sink):
    lines = _lines(sink.entries_path)
    lines[6] = lines[6].replace('"purpose":"origin_tracing"', '"purpose":"audit"')
    _save(sink.entries_path, lines)
    report = _verify(sink)
    assert not report.ok and report.first_bad_seq == 7 and "edited" in report.problem


def test_edit_with_rehash_is_located(sink):
    lines = _lines(sink.entries_path)
    edited = replace(_entry(sink, 7), principal_id="someone-else")
    lines[6] = replace(edited, hash=edited.computed_hash()).to_json()
    _save(sink.entries_path, lines)
    report = _verify(sink)
    assert not report.ok and report.first_bad_seq == 7 and "entry 7 was edited" in report.problem


def test_rewritten_chain_is_caught_by_the_signed_checkpoint(sink):
    """Edit 7 and recompute every hash after it: the chain is consistent, the signatures are not."""
    entries = list(sink.entries())
    previous = entries[5].hash
    rewritten = entries[:6]
    for entry in entries[6:]:
        changed = replace(entry, outcome="refused:POLICY_DENIED" if entry.seq == 7 else entry.outcome,
                          prev_hash=previous)
        changed = replace(changed, hash=changed.computed_hash())
        rewritten.append(changed)
        previous = changed.hash
    _save(sink.entries_path, [e.to_json() for e in rewritten])
    report = _verify(sink)
    assert not report.ok and report.first_bad_seq == 6  # after the last checkpoint still matching (5)
    assert "between seq 6 and 10" in report.problem


def test_delete_is_located(sink):
    lines = _lines(sink.entries_path)
    del lines[6]
    _save(sink.entries_path, lines)
    report = _verify(sink)
    assert not report.ok and report.first_bad_seq == 7 and "missing" in report.problem


def test_reorder_is_located(sink):
    lines = _lines(sink.entries_path)
    lines[6], lines[7] = lines[7], lines[6]
    _save(sink.entries_path, lines)
    report = _verify(sink)
    assert not report.ok and report.first_bad_seq == 7 and "out of order" in report.problem


def test_duplicated_entry_is_located(sink):
    lines = _lines(sink.entries_path)
    lines.insert(4, lines[3])
    _save(sink.entries_path, lines)
    report = _verify(sink)
    assert not report.ok and report.first_bad_seq == 5


def test_truncation_after_the_last_checkpoint_is_caught_by_the_head(sink):
    _save(sink.entries_path, _lines(sink.entries_path)[:11])
    report = _verify(sink)
    assert not report.ok and report.first_bad_seq == 12 and "truncated" in report.problem


def test_truncation_past_a_checkpoint_is_caught_even_without_the_head(sink):
    _save(sink.entries_path, _lines(sink.entries_path)[:8])
    sink.head_path.unlink()
    report = verify(sink.entries(), sink.checkpoints(), KEY.public_key(), head=None)
    assert not report.ok and report.first_bad_seq == 9 and "truncated" in report.problem


def test_missing_head_is_reported_when_required(sink):
    sink.head_path.unlink()
    report = _verify(sink, require_head=True)
    assert not report.ok and "head is missing" in report.problem


def test_head_created_but_never_written_reads_as_missing(sink):
    """A crash between creating head.json and writing it leaves an empty file: no head, reported."""
    sink.head_path.write_bytes(b"")
    assert sink.head() is None
    report = _verify(sink, require_head=True)
    assert not report.ok and "head is missing" in report.problem


def test_the_head_is_rewritten_whole_over_a_longer_file(sink):
    """The head is rewritten in place: nothing of a longer file that stood there may survive it."""
    head = sink.head()
    sink.head_path.write_text(head.to_json().ljust(2000))
    sink.write_head(head)
    assert sink.head_path.stat().st_size == 512 and sink.head() == head and _verify(sink).ok


def test_forged_checkpoint_is_detected(sink):
    """Rewrite from 7 and sign fresh checkpoints and head with the attacker's own key."""
    forger = Ed25519PrivateKey.generate()
    lines = _lines(sink.entries_path)[:6]
    _save(sink.entries_path, lines)
    log = AuditLog(sink, forger, checkpoint_every=5)
    sink.checkpoints_path.write_text(sink.checkpoints()[0].to_json() + "\n")
    sink.head_path.unlink()
    _write(log, 6)
    report = _verify(sink)
    assert not report.ok and report.first_bad_seq == 10 and "invalid signature" in report.problem


def test_altered_checkpoint_is_detected(sink):
    checkpoints = sink.checkpoints()
    checkpoints[1] = replace(checkpoints[1], hash=_entry(sink, 9).hash)
    _save(sink.checkpoints_path, [c.to_json() for c in checkpoints])
    report = _verify(sink)
    assert not report.ok and report.first_bad_seq == 10 and "invalid signature" in report.problem


def test_corrupted_line_is_located(sink):
    lines = _lines(sink.entries_path)
    lines[3] = lines[3][:40]
    _save(sink.entries_path, lines)
    report = _verify(sink)
    assert not report.ok and report.first_bad_seq == 4 and "line 4" in report.problem


def test_torn_last_line_stops_appends(sink):
    with sink.entries_path.open("a") as out:
        out.write('{"seq": 13')
    with pytest.raises(RuntimeError):
        AuditLog(sink, KEY).append(principal_id="u-1", principal_kind="person", role="steward",
                                   action="review.list", purpose="data_quality_review", outcome="ok")


def test_checkpoint_now_and_appends_from_two_writers(tmp_path):
    """Two logs on one directory (as server and CLI would be) interleave into one valid chain."""
    first = AuditLog(JsonlAuditSink(tmp_path), KEY, checkpoint_every=7)
    second = AuditLog(JsonlAuditSink(tmp_path), KEY, checkpoint_every=7)
    threads = [threading.Thread(target=_write, args=(log, 40)) for log in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert isinstance(first.checkpoint(), Checkpoint)
    sink = JsonlAuditSink(tmp_path)
    report = _verify(sink)
    assert report.ok, report
    assert report.entries_checked == 80 and sink.head().seq == 80
    assert [json.loads(line)["seq"] for line in _lines(sink.entries_path)] == list(range(1, 81))
