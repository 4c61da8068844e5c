"""The console over HTTP (no browser): sign-in, cookies, CSRF, policy, diff highlight, decisions, audit."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from linkage.domain import Decision


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def _sign_in(client: TestClient, token: str):  # noqa: ANN202
    page = client.get("/login")
    return client.post("/login", data={"token": token, "csrf": _csrf(page.text)}, follow_redirects=False)


@pytest.fixture
def client(world) -> TestClient:
    return TestClient(world.console(), base_url="http://127.0.0.1")


def test_pages_need_a_session(client: TestClient) -> None:
    for path in ("/queue", "/next", "/cases/" + "0" * 32):
        response = client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/login")


def test_sign_in_sets_a_strict_http_only_cookie_and_shows_the_queue(world, client: TestClient) -> None:
    response = _sign_in(client, world.token())
    assert (response.status_code, response.headers["location"]) == (303, "/queue")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    queue = client.get("/queue")
    assert queue.status_code == 200 and 'lang="vi"' in queue.text
    assert "Hàng đợi" in queue.text and 'id="queue-total">4<' in queue.text
    assert "default-src 'self'" in queue.headers["content-security-policy"]
    first_row = re.search(r'data-case="([0-9a-f]{32})"', queue.text)
    assert first_row and "Tiếp nhận trẻ bị bỏ rơi" in queue.text  # abandoned-child intake first


def test_bad_tokens_and_other_roles_cannot_sign_in(world, client: TestClient) -> None:
    for token in ("not-a-token", world.token("cw-1", "caseworker", "origin_tracing")):
        response = _sign_in(client, token)
        assert response.headers["location"] == "/login?error=1"
    assert client.get("/queue", follow_redirects=False).status_code == 303
    outcomes = [e.outcome for e in world.audit_log.sink.entries()]
    assert outcomes == ["refused:TOKEN_MALFORMED", "refused:POLICY_DENIED"]


def test_posts_without_the_csrf_token_are_refused(world, client: TestClient) -> None:
    _sign_in(client, world.token())
    case_page = client.get("/next")
    case_id = re.search(r'id="case" data-case="([0-9a-f]{32})"', case_page.text).group(1)
    etag = re.search(r'name="etag" value="(\d+)"', case_page.text).group(1)
    forged = {"outcome": "match", "etag": etag, "csrf": "forged"}
    response = client.post(f"/cases/{case_id}/decide", data=forged, follow_redirects=False)
    assert response.status_code == 403
    with world.app.uow() as uow:
        assert uow.reviews.decisions(case_id) == []
    assert _sign_in(TestClient(world.console()), "x").status_code == 303  # sign-in itself needs the token too
    bare = TestClient(world.console(), base_url="http://127.0.0.1")
    assert bare.post("/login", data={"token": world.token()}, follow_redirects=False).status_code == 403


def test_case_page_shows_both_records_with_tone_marks_highlighted_and_is_audited(world, client) -> None:
    _sign_in(client, world.token())
    page = client.get("/next")
    assert page.status_code == 200
    html = page.text
    assert '<mark class="mark">a</mark>' in html and '<mark class="mark">â</mark>' in html  # Lan / Lân
    assert 'id="weights"' in html and 'class="neg"' in html and 'class="pos"' in html
    assert "P-202" in html and 'id="btn-match" data-key="m"' in html
    case_id = re.search(r'id="case" data-case="([0-9a-f]{32})"', html).group(1)
    entry = list(world.audit_log.sink.entries())[-1]
    assert (entry.principal_id, entry.action, entry.outcome) == ("steward-lan", "review.claim", "ok")
    assert f"reviewCases/{case_id}" in entry.resource_ids and "identities/P-201" in entry.resource_ids
    assert "Nguyễn" not in world.audit_log.sink.entries_path.read_text(encoding="utf-8")
    english = client.get(f"/lang/en?next=/cases/{case_id}")
    assert "Review case" in english.text and 'lang="en"' in english.text


def test_deciding_writes_the_link_moves_on_and_can_be_undone_by_a_senior(world, client) -> None:
    _sign_in(client, world.token("senior-hoa", "senior_steward"))
    page = client.get("/next")
    case_id = re.search(r'id="case" data-case="([0-9a-f]{32})"', page.text).group(1)
    etag = re.search(r'name="etag" value="(\d+)"', page.text).group(1)
    response = client.post(f"/cases/{case_id}/decide", follow_redirects=False, data={
        "outcome": "match", "etag": etag, "identity": "P-201", "reason": "", "csrf": _csrf(page.text)})
    assert (response.status_code, response.headers["location"]) == (303, "/next")
    with world.app.uow() as uow:
        link = uow.links.get("abandoned_intake", "ab-1")
        decisions = uow.reviews.decisions(case_id)
    assert (link.decision, link.identity_id) == (Decision.LINK, "P-201")
    assert decisions[0].reason == "Các trường chính khớp"  # the default reason, in the steward's language
    queue = client.get("/queue")
    assert 'id="queue-total">3<' in queue.text and 'id="decided-today">1<' in queue.text
    undone = client.post(f"/cases/{case_id}/undo", data={"csrf": _csrf(queue.text)}, follow_redirects=False)
    assert undone.headers["location"] == f"/cases/{case_id}"
    with world.app.uow() as uow:
        assert uow.links.get("abandoned_intake", "ab-1").decision is Decision.REVIEW


def test_a_stale_decision_is_refused_and_loses_nothing(world, client) -> None:
    _sign_in(client, world.token())
    page = client.get("/next")
    case_id = re.search(r'id="case" data-case="([0-9a-f]{32})"', page.text).group(1)
    response = client.post(f"/cases/{case_id}/decide", follow_redirects=False, data={
        "outcome": "match", "etag": "1", "csrf": _csrf(page.text)})
    assert response.headers["location"] == "/queue?msg=conflict"
    assert "không có gì bị mất" in client.get(response.headers["location"]).text
    response = client.post(f"/cases/{case_id}/decide", follow_redirects=False, data={
        "outcome": "maybe", "etag": "2", "csrf": _csrf(page.text)})
    assert response.status_code == 400
    with world.app.uow() as uow:
        assert uow.reviews.decisions(case_id) == []


def test_a_steward_may_not_undo_under_the_current_policy(world, client) -> None:
    _sign_in(client, world.token())
    page = client.get("/next")
    case_id = re.search(r'id="case" data-case="([0-9a-f]{32})"', page.text).group(1)
    response = client.post(f"/cases/{case_id}/undo", data={"csrf": _csrf(page.text)}, follow_redirects=False)
    assert response.status_code == 403
    assert list(world.audit_log.sink.entries())[-1].outcome == "refused:POLICY_DENIED"


def test_escalating_hands_the_case_to_senior_stewards(world, client) -> None:
    _sign_in(client, world.token())
    page = client.get("/next")
    case_id = re.search(r'id="case" data-case="([0-9a-f]{32})"', page.text).group(1)
    etag = re.search(r'name="etag" value="(\d+)"', page.text).group(1)
    response = client.post(f"/cases/{case_id}/escalate", data={"etag": etag, "csrf": _csrf(page.text)},
                           follow_redirects=False)
    assert response.headers["location"] == "/next"
    assert 'id="queue-total">3<' in client.get("/queue").text
    senior = TestClient(world.console(), base_url="http://127.0.0.1")
    _sign_in(senior, world.token("senior-hoa", "senior_steward"))
    assert 'id="queue-total">4<' in senior.get("/queue").text
    assert senior.get(f"/cases/{case_id}").status_code == 200
