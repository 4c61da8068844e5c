"""The tracing rules of the authorisation policy, with the resource the servicer loads."""

from __future__ import annotations

import pytest

from linkage.security.policy import Action, Resource, decide
from linkage.security.principal import Principal, Purpose, Role

TRACE = Resource("trace", "t1", opened_by="cw-an", prepared_by="cw-an")


def _person(role: Role, who: str, purpose: Purpose = Purpose.ORIGIN_TRACING) -> Principal:
    return Principal("person", who, role, purpose)


@pytest.mark.parametrize("action", [Action.TRACING_GET, Action.TRACING_PREPARE])
def test_a_caseworker_acts_only_on_the_traces_they_opened(action: Action) -> None:
    gate = decide(_person(Role.CASEWORKER, "cw-an"), action, Purpose.ORIGIN_TRACING)
    assert gate.allowed and gate.needs_resource
    assert decide(_person(Role.CASEWORKER, "cw-an"), action, Purpose.ORIGIN_TRACING, TRACE).allowed
    other = decide(_person(Role.CASEWORKER, "cw-binh"), action, Purpose.ORIGIN_TRACING, TRACE)
    assert not other.allowed and other.reason == "a caseworker may act only on the traces they opened"


def test_officers_read_any_trace_but_approve_and_release_only_others() -> None:
    officer = _person(Role.APPROVING_OFFICER, "officer-cuc")
    assert decide(officer, Action.TRACING_GET, Purpose.ORIGIN_TRACING, TRACE).allowed
    assert decide(officer, Action.TRACING_APPROVE, Purpose.ORIGIN_TRACING, TRACE).allowed
    same = _person(Role.APPROVING_OFFICER, "cw-an")
    assert not decide(same, Action.TRACING_APPROVE, Purpose.ORIGIN_TRACING, TRACE).allowed
    approved = Resource("trace", "t1", opened_by="cw-an", prepared_by="cw-an", approved_by="officer-cuc")
    assert not decide(officer, Action.TRACING_RELEASE, Purpose.ORIGIN_TRACING, TRACE).allowed  # unapproved
    assert decide(officer, Action.TRACING_RELEASE, Purpose.ORIGIN_TRACING, approved).allowed
    assert not decide(same, Action.TRACING_RELEASE, Purpose.ORIGIN_TRACING, approved).allowed
    wrong_purpose = _person(Role.APPROVING_OFFICER, "officer-cuc", Purpose.AUDIT)
    assert not decide(wrong_purpose, Action.TRACING_RELEASE, Purpose.AUDIT, approved).allowed
