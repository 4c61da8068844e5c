"""The demo queue for `make run`: real matches of damaged demo records, opened once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from linkage.bootstrap import bootstrap
from linkage.config import Settings
from linkage.demo import load_demo_population
from linkage.domain import Decision
from linkage.review.demo import _retone, load_demo_queue
from linkage.review.model import CaseFilter


def test_demo_queue_opens_real_review_cases_once(tmp_path: Path) -> None:
    app = bootstrap(Settings(data_dir=tmp_path, db_url=f"sqlite:///{tmp_path / 'linkage.sqlite'}"))
    try:
        load_demo_population(app, size=600)
        assert load_demo_queue(app.matcher, app.uow, count=5) == 5
        assert load_demo_queue(app.matcher, app.uow, count=5) == 0  # a restart keeps the queue as it is
        with app.uow() as uow:
            cases = uow.reviews.page(CaseFilter(), datetime.now(UTC), 50)
            assert len(cases) == 5
            assert all(uow.links.get(c.source, c.record_id).decision is Decision.REVIEW for c in cases)
            assert all(uow.records.get(c.source, c.record_id) is not None for c in cases)
    finally:
        app.close()


def test_retone_changes_only_the_tone() -> None:
    import random

    changed = _retone("Lan", random.Random(1))
    assert changed != "Lan" and changed[0] == "L" and changed[-1] == "n" and len(changed) == 3
