"""Running `linkage link` end to end on a fresh store, for tests that compare two ways of linking."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from linkage.bootstrap import bootstrap
from linkage.cli import main
from linkage.config import load_settings
from linkage.engine.decide import ALREADY_LINKED
from linkage.synth import generate


def when_aside(link):
    """The link without the one field a clock sets."""
    return replace(link, created_at="") if link is not None else None


def link_command(tmp: Path, synth: Path, monkeypatch, *options: str) -> tuple[list[list[str]], dict, dict]:
    """Import the synthetic population into a fresh store under `tmp`, run `linkage link` on its records
    (as child_registry) with `options`; the CSV written, and per record the stored link and its cases."""
    monkeypatch.setenv("LINKAGE_KEYS_DIR", str(tmp / "keys"))
    store = ["--data-dir", str(tmp / "data")]
    assert main(["import", "population", str(synth / "population.csv"), *store]) == 0
    out = tmp / "links.csv"
    main(["link", str(synth / "records.csv"), "--output", str(out), "--source", "child_registry",
          *options, *store])
    with open(out, encoding="utf-8") as handle:
        written = list(csv.reader(handle))
    app = bootstrap(load_settings(data_dir=tmp / "data", keys_dir=tmp / "keys"))
    try:
        with app.uow() as uow:
            ids = [row[0] for row in written[1:]]
            links = {i: when_aside(uow.links.get("child_registry", i)) for i in ids}
            cases = {i: [(c.candidates, c.model_version, c.priority, c.conflicts, c.state, c.required_reviews)
                         for c in uow.reviews.for_record("child_registry", i)] for i in ids}
    finally:
        app.close()
    return written, links, cases


def assert_linked_as_one_process(tmp: Path, monkeypatch, *options: str) -> tuple[list[list[str]], dict, dict]:
    """Link one synthetic file (every record read as child_registry) as one process does and with
    `options`: the CSV, the stored links and the review cases must be the same, and the conflict only the
    store knows (an identity met twice) must have come up. Returns what the run with `options` wrote."""
    synth = tmp / "synth"
    generate(synth, population=1_500, records=300, seed=29)
    one = link_command(tmp / "one", synth, monkeypatch)
    other = link_command(tmp / "other", synth, monkeypatch, *options)
    written, links, cases = other
    assert len(written) > 250 and written == one[0]  # the CSV, row by row
    assert links == one[1]  # the stored links: decision, identity, probability, conflicts
    assert cases == one[2]  # the review cases opened
    assert any(link is not None and ALREADY_LINKED in link.conflicts for link in links.values())
    return other
