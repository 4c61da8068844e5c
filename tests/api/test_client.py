"""`linkage.api.client` against the real server: domain values in and out, domain errors back.

Over mutual TLS: a steward's token for the calls people make, the institution's certificate alone for
the batch call.
"""

from __future__ import annotations

import pytest

from linkage.api import client
from linkage.domain import Decision, PersonRecord, Sex
from linkage.errors import InvalidRecord, NotFound


@pytest.fixture
def address(server) -> str:
    return f"127.0.0.1:{server[0].port}"


def test_match_returns_a_domain_result(address: str, as_steward: dict) -> None:
    record = PersonRecord("child_registry", "cli-1", "Trần Văn Đức", Sex.MALE, "1998-11-20")
    result = client.match(address, record, timeout=10, **as_steward)
    assert result.decision == Decision.LINK
    assert result.best is not None and result.best.identity_id == "P-002"
    assert result.record_id == "cli-1" and result.source == "child_registry"


def test_a_refused_record_raises_invalid_record_with_api_paths(address: str, as_steward: dict) -> None:
    with pytest.raises(InvalidRecord) as caught:
        record = PersonRecord("child_registry", "cli-2", " ", birth_date="2001-02-30")
        client.match(address, record, timeout=10, **as_steward)
    assert dict(caught.value.violations).keys() == {"record.full_name", "record.birth_date"}


def test_link_records_yields_results_and_rejections_in_order(address: str, as_institution: dict) -> None:
    names = ["Lê Hoàng Nam", "", "H'Hen Niê"]
    records = [PersonRecord("adoption_file", f"cli-s{i}", name) for i, name in enumerate(names)]
    outcomes = list(client.link_records(address, records, timeout=30, **as_institution))
    assert [type(o).__name__ for o in outcomes] == ["MatchResult", "InvalidRecord", "MatchResult"]
    assert outcomes[2].best.identity_id == "P-003"


def test_get_link_after_match_and_not_found(address: str, as_steward: dict) -> None:
    client.match(address, PersonRecord("trace_request", "cli-t/1", "Giàng A Páo", Sex.MALE, "1995-12-01"),
                 **as_steward)
    link = client.get_link(address, "trace_request", "cli-t/1", timeout=10, **as_steward)
    assert (link.source, link.record_id, link.identity_id) == ("trace_request", "cli-t/1", "P-006")
    assert link.decision == Decision.LINK and link.model_version == "simple-1" and link.created_at
    with pytest.raises(NotFound):
        client.get_link(address, "trace_request", "nobody", timeout=10, **as_steward)
