"""Match -> review case -> steward decision -> link, through the server `linkage serve` builds.

The real `build_server` (security gate included, plaintext as `--insecure`), real keys made by
`bootstrap`, a steward token signed with them, and both services on one channel.
"""

from __future__ import annotations

from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from linkage.api.server import REVIEW_SERVICE, build_server
from linkage.bootstrap import bootstrap
from linkage.config import Settings
from linkage.domain import PersonRecord, Sex
from linkage.engine.simple import SimpleMatcher
from linkage.security.pki import load_signing_key
from linkage.security.tokens import TokenIssuer
from linkage.v1 import linkage_service_pb2, linkage_service_pb2_grpc, match_pb2, person_pb2
from linkage.v1 import review_service_pb2 as pb
from linkage.v1 import review_service_pb2_grpc as pb_grpc

IDENTITY = PersonRecord("population", "P-301", "Nguyễn Thị Lan", Sex.FEMALE, "2019-04-02", "Hà Nội",
                        "Trần Thị Hoa", "Nguyễn Văn Minh", "001319012399")


def test_a_review_decision_from_the_served_api_links_the_record(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, db_url=f"sqlite:///{tmp_path / 'linkage.sqlite'}", insecure=True,
                        workers=2)
    app = bootstrap(settings, matcher=SimpleMatcher())
    with app.uow() as uow:
        uow.identities.add_many([IDENTITY])
        uow.commit()
    app.matcher.add_identities([IDENTITY])
    running = build_server(app, "127.0.0.1:0")
    running.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{running.port}")
    try:
        issuer = TokenIssuer(load_signing_key(app.security.keys.token_signing_key))
        token = issuer.issue("steward-lan", "steward", "data_quality_review")
        steward = [("authorization", f"Bearer {token}")]
        probe = health_pb2.HealthCheckRequest(service=REVIEW_SERVICE)
        health = health_pb2_grpc.HealthStub(channel).Check(probe, timeout=10)
        assert health.status == health_pb2.HealthCheckResponse.SERVING

        record = person_pb2.PersonRecord(source=person_pb2.SOURCE_ABANDONED_INTAKE, record_id="ab-77",
                                         full_name="Nguyễn Ngọc Lan", sex=person_pb2.SEX_FEMALE,
                                         birth_date=person_pb2.DateOfBirth(year=2019, month=4, day=2))
        linkage = linkage_service_pb2_grpc.LinkageServiceStub(channel)
        matched = linkage.MatchRecord(linkage_service_pb2.MatchRecordRequest(record=record), metadata=steward,
                                      timeout=10)
        assert matched.result.decision == match_pb2.DECISION_REVIEW

        review = pb_grpc.ReviewServiceStub(channel)
        listed = review.ListReviewCases(pb.ListReviewCasesRequest(), metadata=steward, timeout=10)
        assert [(c.record_id, c.source) for c in listed.review_cases] == [
            ("ab-77", person_pb2.SOURCE_ABANDONED_INTAKE)]
        case = listed.review_cases[0]
        claimed = review.ClaimReviewCase(pb.ClaimReviewCaseRequest(name=case.name), metadata=steward,
                                         timeout=10)
        assert claimed.record.full_name == "Nguyễn Ngọc Lan"
        assert claimed.candidate_records[0].full_name == "Nguyễn Thị Lan"
        review.DecideReviewCase(pb.DecideReviewCaseRequest(
            name=case.name, outcome=pb.REVIEW_OUTCOME_MATCH, reason="cùng ngày sinh, tên đệm khác",
            etag=claimed.review_case.etag), metadata=steward, timeout=10)
        get_link = linkage_service_pb2.GetLinkRequest(name="sources/abandoned_intake/records/ab-77/link")
        link = linkage.GetLink(get_link, metadata=steward, timeout=10).link
        assert (link.decision, link.identity, link.model_version) == (
            match_pb2.DECISION_LINK, "identities/P-301", "steward:steward-lan")

        # the same record sent again (a retry, a batch re-run): the steward's decision stands
        again = linkage.MatchRecord(linkage_service_pb2.MatchRecordRequest(record=record), metadata=steward,
                                    timeout=10)
        assert again.result.decision == match_pb2.DECISION_LINK
        assert "steward_decided" in again.result.conflicts
        link = linkage.GetLink(get_link, metadata=steward, timeout=10).link
        assert (link.decision, link.model_version) == (match_pb2.DECISION_LINK, "steward:steward-lan")
        listed = review.ListReviewCases(pb.ListReviewCasesRequest(), metadata=steward, timeout=10)
        assert list(listed.review_cases) == []
        actions = [(e.action, e.outcome) for e in app.security.audit_log.sink.entries()]
        assert ("review.decide", "ok") in actions and ("review.claim", "ok") in actions
    finally:
        channel.close()
        running.stop(0)
        app.close()
