"""The authorisation matrix: every role x action x purpose, against a table written out independently.

The expected table below is the policy restated by hand, so a change to `RULES` that grants or removes
anything fails here until this table is changed too: a second pair of eyes on every grant.
"""

from __future__ import annotations

import itertools

import pytest

from linkage.security.errors import AuthenticationError
from linkage.security.policy import (
    LINK_OUTCOME,
    RECORD_IDENTITY,
    RECORD_PARENTS,
    Action,
    Resource,
    decide,
)
from linkage.security.principal import INSTITUTION_ROLES, PERSON_ROLES, Principal, Purpose, Role

A, R, P = Action, Role, Purpose
REVIEW = ["linkage.match", "linkage.get_link", "review.list", "review.claim", "review.decide",
          "review.escalate"]
LINKING = ["linkage.match", "linkage.link_batch", "linkage.get_link"]

EXPECTED_ALLOWED: set[tuple[str, str, str]] = {
    *{("steward", a, "data_quality_review") for a in REVIEW},
    *{("senior_steward", a, "data_quality_review") for a in [*REVIEW, "review.undo", "admin.train"]},
    *{("caseworker", a, "origin_tracing") for a in [
        "tracing.open", "tracing.prepare", "tracing.get", "consent.record", "consent.withdraw", "consent.get",
        "linkage.match", "linkage.get_link"]},
    ("caseworker", "linkage.match", "abandoned_child_registration"),
    ("caseworker", "linkage.get_link", "abandoned_child_registration"),
    *{("approving_officer", a, "origin_tracing") for a in
      ["tracing.get", "consent.get", "tracing.approve", "tracing.release"]},
    ("auditor", "audit.read", "audit"),
    ("auditor", "audit.verify", "audit"),
    *{("operator", a, "operations") for a in ["audit.verify", "admin.keys_rotate", "admin.train"]},
    *{("institution:child_protection", a, "child_protection") for a in LINKING},
    *{("institution:adoption_files", a, "adoption_matching") for a in LINKING},
    *{("institution:social_protection", a, "abandoned_child_registration") for a in LINKING},
    ("institution:social_protection", "linkage.get_link", "child_protection"),
}


def _principal(role: Role, purpose: Purpose, pid: str = "user-1") -> Principal:
    return Principal("institution" if role.is_institution else "person", pid, role, purpose)


MATRIX = list(itertools.product(Role, Action, Purpose))


def test_matrix_covers_every_combination():
    assert len(MATRIX) == len(Role) * len(Action) * len(Purpose) == 9 * 20 * 7


@pytest.mark.parametrize(("role", "action", "purpose"), MATRIX, ids=lambda v: str(v))
def test_matrix(role, action, purpose):
    decision = decide(_principal(role, purpose), action, purpose)
    expected = (role.value, action.value, purpose.value) in EXPECTED_ALLOWED
    assert decision.allowed is expected, decision.reason
    if not expected:
        assert decision.fields == frozenset()
        assert decision.reason


def test_expected_table_names_only_real_things():
    for role, action, purpose in EXPECTED_ALLOWED:
        Role(role), Action(action), Purpose(purpose)


@pytest.mark.parametrize(("action", "purpose"), [
    ("linkage.delete_everything", "child_protection"),
    ("linkage.match", "marketing"),
    ("", ""),
])
def test_unknown_actions_and_purposes_are_denied(action, purpose):
    decision = decide(_principal(R.STEWARD, P.DATA_QUALITY_REVIEW), action, purpose)
    assert not decision.allowed


def test_no_principal_is_denied():
    assert not decide(None, A.LINKAGE_MATCH, P.CHILD_PROTECTION).allowed


def test_a_purpose_other_than_the_authenticated_one_is_denied():
    steward = _principal(R.STEWARD, P.DATA_QUALITY_REVIEW)
    assert not decide(steward, A.LINKAGE_MATCH, P.CHILD_PROTECTION).allowed


def test_institutions_never_see_names_or_parents():
    for role in INSTITUTION_ROLES:
        for action, purpose in itertools.product(Action, Purpose):
            decision = decide(_principal(role, purpose), action, purpose)
            assert not decision.fields & (RECORD_PARENTS | RECORD_IDENTITY)
    child_protection = decide(_principal(R.INSTITUTION_CHILD_PROTECTION, P.CHILD_PROTECTION),
                              A.LINKAGE_MATCH, P.CHILD_PROTECTION)
    assert {"decision", "pid"} <= child_protection.fields == LINK_OUTCOME


def test_abandoned_child_registration_shows_no_parents_to_caseworkers():
    decision = decide(_principal(R.CASEWORKER, P.ABANDONED_CHILD_REGISTRATION), A.LINKAGE_MATCH,
                      P.ABANDONED_CHILD_REGISTRATION)
    assert decision.allowed and not decision.fields & RECORD_PARENTS


def test_persons_never_hold_institution_roles():
    assert all(not r.is_institution for r in PERSON_ROLES)
    with pytest.raises(AuthenticationError):
        Principal("person", "x", R.INSTITUTION_CHILD_PROTECTION, P.CHILD_PROTECTION)


# --- four eyes on tracing ----------------------------------------------------------------------------

OFFICER = _principal(R.APPROVING_OFFICER, P.ORIGIN_TRACING, "officer-2")


def test_approval_needs_the_resource_and_a_second_officer():
    gate = decide(OFFICER, A.TRACING_APPROVE, P.ORIGIN_TRACING)
    assert gate.allowed and gate.needs_resource
    mine = Resource("trace", "trace-1", opened_by="officer-2")
    theirs = Resource("trace", "trace-1", opened_by="caseworker-1", prepared_by="caseworker-1")
    assert not decide(OFFICER, A.TRACING_APPROVE, P.ORIGIN_TRACING, mine).allowed
    assert not decide(OFFICER, A.TRACING_APPROVE, P.ORIGIN_TRACING,
                      Resource("trace", "t", opened_by="c-1", prepared_by="officer-2")).allowed
    granted = decide(OFFICER, A.TRACING_APPROVE, P.ORIGIN_TRACING, theirs)
    assert granted.allowed and not granted.needs_resource


def test_release_needs_an_approval():
    unapproved = Resource("trace", "trace-1", opened_by="caseworker-1")
    approved = Resource("trace", "trace-1", opened_by="caseworker-1", approved_by="officer-3")
    assert not decide(OFFICER, A.TRACING_RELEASE, P.ORIGIN_TRACING, unapproved).allowed
    assert decide(OFFICER, A.TRACING_RELEASE, P.ORIGIN_TRACING, approved).allowed


def test_unconditioned_rules_do_not_ask_for_a_resource():
    decision = decide(_principal(R.STEWARD, P.DATA_QUALITY_REVIEW), A.REVIEW_DECIDE, P.DATA_QUALITY_REVIEW)
    assert decision.allowed and not decision.needs_resource


def test_servicer_asks_again_with_the_resource_through_the_call_context():
    from linkage.api.interceptors import CallContext

    gate = decide(OFFICER, A.TRACING_APPROVE, P.ORIGIN_TRACING)
    call = CallContext(OFFICER, A.TRACING_APPROVE, gate)
    assert gate.needs_resource
    assert not call.authorize(Resource("trace", "t-1", opened_by="officer-2")).allowed
    assert call.authorize(Resource("trace", "t-1", opened_by="caseworker-1")).allowed
