"""bench.stewards: the review loop measured on the records that come after the decided ones."""

from __future__ import annotations

from pathlib import Path

from bench import stewards
from linkage.synth.generate import generate


def test_the_review_loop_bench_decides_the_earlier_half_and_scores_the_later(tmp_path: Path, capsys) -> None:
    data = tmp_path / "pilot"
    generate(data, population=3000, records=300, seed=5)

    assert stewards.main(["--data", str(data)]) == 0

    out = capsys.readouterr().out
    assert "300 records, 150 in the later half" in out
    rows = {line[:44].strip(): line[44:].split() for line in out.splitlines() if line.startswith("all ")}
    assert set(rows) == {f"all {row}" for row in stewards.SHOWN}
    without, with_decisions = (float(v) for v in rows["all op_precision"])
    assert without > 0.9 and with_decisions > 0.9
