"""A console over a real SQLite store holding invented identities and a few review cases.

The records are invented (no real person); "Lan" against "Lân" is there so the tone-mark highlight shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from linkage.bootstrap import App, bootstrap
from linkage.config import Settings
from linkage.console import create_console
from linkage.domain import Candidate, Decision, FieldContribution, MatchResult, PersonRecord, Sex
from linkage.engine.simple import SimpleMatcher
from linkage.review.service import ReviewSettings, sync_case
from linkage.security.audit import AuditLog
from linkage.security.pki import load_signing_key
from linkage.security.tokens import TokenIssuer, TokenVerifier

IDENTITIES = [
    PersonRecord("population", "P-201", "Nguyễn Thị Lân", Sex.FEMALE, "2019-04-02", "Hà Nội",
                 "Trần Thị Hoa", "Nguyễn Văn Minh", "001319012345"),
    PersonRecord("population", "P-202", "Nguyễn Thị Lan", Sex.FEMALE, "2019-04-20", "Hà Nội",
                 "Trần Thị Hoà", "Nguyễn Văn Minh", "001319012346"),
    PersonRecord("population", "P-203", "Lò Văn Sáng", Sex.MALE, "2020-01-15", "Sơn La",
                 "Lò Thị Xuân", "Lò Văn Páo", "014320001111"),
]
CASES = [("abandoned_intake", "ab-1", 0.93), ("trace_request", "tr-1", 0.9), ("child_registry", "cr-1", 0.8),
         ("child_registry", "cr-2", 0.7)]


def _result(source: str, record_id: str, probability: float) -> MatchResult:
    bars = (FieldContribution("full_name", "tone_differs", 5.2),
            FieldContribution("birth_date", "exact", 6.1),
            FieldContribution("mother_name", "exact", 3.4),
            FieldContribution("father_name", "missing", 0.0),
            FieldContribution("birth_place", "different", -2.3))
    return MatchResult(source, record_id, Decision.REVIEW, (
        Candidate("P-201", "001319012345", probability, 8.4, bars),
        Candidate("P-202", "001319012346", probability - 0.2, 5.0, bars[:3]),
    ), "fs-demo-1", ("twin_margin",) if record_id == "cr-2" else ())


@dataclass
class ConsoleWorld:
    app: App
    issuer: TokenIssuer
    verifier: TokenVerifier
    audit_log: AuditLog

    def token(self, subject: str = "steward-lan", role: str = "steward",
              purpose: str = "data_quality_review") -> str:
        return self.issuer.issue(subject, role, purpose)

    def console(self, **options):  # noqa: ANN201
        return create_console(self.app, self.verifier, self.audit_log, settings=ReviewSettings(), **options)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ConsoleWorld]:
    """The app as `linkage serve` wires it (keys, sealed store, audit log), plus the cases above."""
    app = bootstrap(Settings(data_dir=tmp_path, db_url=f"sqlite:///{tmp_path / 'linkage.sqlite'}"),
                    matcher=SimpleMatcher())
    now = datetime.now(UTC)
    with app.uow() as uow:
        uow.identities.add_many(IDENTITIES)
        for source, record_id, probability in CASES:
            uow.records.upsert(PersonRecord(source, record_id, "Nguyễn Thị Lan", Sex.FEMALE, "2019-04-02",
                                            "Hà Nội", "Trần Thị Hoa", ""))
            result = _result(source, record_id, probability)
            uow.links.save(result)
            sync_case(result, uow, now, ReviewSettings(double_review_rate=0.0))
        uow.commit()
    security = app.security
    issuer = TokenIssuer(load_signing_key(security.keys.token_signing_key))
    yield ConsoleWorld(app, issuer, security.token_verifier, security.audit_log)
    app.close()
