"""The authorisation policy: one table decides role x action x purpose (x resource) for every RPC.

Deny by default: a call is allowed only when a rule below names its role, its action and its purpose.
Unknown roles, actions or purposes match no rule. Each rule also says which response fields the caller
may see (data minimisation: the child-protection database gets link decisions and pids, not parents'
names), and may carry a condition on the resource (four eyes on releasing a trace).

Servicers never decide on their own: the interceptor asks `decide` before the call; actions whose rule
has a resource condition come back with `needs_resource=True`, and the servicer must ask again with the
`Resource` it loaded (`decide(..., resource=...)`) before acting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from linkage.security.principal import Principal, Purpose, Role


class Action(StrEnum):
    """One action per RPC; `linkage.api.interceptors.METHOD_ACTIONS` maps method names here."""

    LINKAGE_MATCH = "linkage.match"
    LINKAGE_LINK_BATCH = "linkage.link_batch"
    LINKAGE_GET_LINK = "linkage.get_link"
    REVIEW_LIST = "review.list"
    REVIEW_CLAIM = "review.claim"
    REVIEW_DECIDE = "review.decide"
    REVIEW_UNDO = "review.undo"
    REVIEW_ESCALATE = "review.escalate"
    TRACING_OPEN = "tracing.open"
    TRACING_PREPARE = "tracing.prepare"
    TRACING_APPROVE = "tracing.approve"
    TRACING_RELEASE = "tracing.release"
    TRACING_GET = "tracing.get"
    CONSENT_RECORD = "consent.record"
    CONSENT_WITHDRAW = "consent.withdraw"
    CONSENT_GET = "consent.get"
    AUDIT_READ = "audit.read"
    AUDIT_VERIFY = "audit.verify"
    ADMIN_KEYS_ROTATE = "admin.keys_rotate"
    ADMIN_TRAIN = "admin.train"


# Response fields, grouped. Servicers redact everything not in `Decision.fields`.
LINK_OUTCOME = frozenset({"decision", "identity_id", "pid", "probability", "model_version", "conflicts"})
MATCH_DETAIL = frozenset({"weight", "contributions"})  # contributions carry compared values
RECORD_IDENTITY = frozenset({"full_name", "sex", "birth_date", "birth_place"})
RECORD_PARENTS = frozenset({"mother_name", "father_name"})
REVIEW_CASE = frozenset({"case_id", "case_state", "reason", "assignee"})
TRACE_CASE = frozenset({"trace_id", "trace_state", "disclosure_package", "withheld"})
CONSENT = frozenset({"consent_id", "consent_scope", "consent_state", "consent_expiry"})
AUDIT_ENTRIES = frozenset({"audit_entries"})
VERIFY_REPORT = frozenset({"verify_report"})
OPERATION_RESULT = frozenset({"operation_state"})

STEWARD_VIEW = LINK_OUTCOME | MATCH_DETAIL | RECORD_IDENTITY | RECORD_PARENTS | REVIEW_CASE


@dataclass(frozen=True, slots=True)
class Resource:
    """What the servicer knows about the object acted on, for rules with a condition.

    Identifiers only: the policy needs who opened or prepared a trace, never what it contains.
    """

    kind: str
    id: str
    opened_by: str = ""
    prepared_by: str = ""
    approved_by: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    """The policy's answer. `reason` is safe to log and to return to the caller."""

    allowed: bool
    reason: str
    fields: frozenset[str] = frozenset()
    needs_resource: bool = False


Condition = Callable[[Principal, Resource], str | None]
"""Returns None when the resource passes, else the reason it does not."""


def _second_officer(principal: Principal, resource: Resource) -> str | None:
    """Four eyes: whoever opened or prepared a trace may not approve it."""
    if principal.id in {resource.opened_by, resource.prepared_by}:
        return "the officer who opened or prepared a trace may not approve it"
    return None


def _own_trace(principal: Principal, resource: Resource) -> str | None:
    """A caseworker acts on the traces they opened, not on a colleague's adoptee."""
    if resource.opened_by != principal.id:
        return "a caseworker may act only on the traces they opened"
    return None


def _approved_by_another(principal: Principal, resource: Resource) -> str | None:
    """Release needs an approval by a second officer, and the releaser is not the one who opened it."""
    if not resource.approved_by:
        return "the trace has not been approved"
    if principal.id in {resource.opened_by, resource.prepared_by}:
        return "the officer who opened or prepared a trace may not release it"
    return None


@dataclass(frozen=True, slots=True)
class Rule:
    roles: frozenset[Role]
    actions: frozenset[Action]
    purposes: frozenset[Purpose]
    fields: frozenset[str]
    condition: Condition | None = None


def _rule(roles: set[Role], actions: set[Action], purposes: set[Purpose], fields: frozenset[str],
          condition: Condition | None = None) -> Rule:
    return Rule(frozenset(roles), frozenset(actions), frozenset(purposes), fields, condition)


A, R, P = Action, Role, Purpose
_REVIEW_WORK = {A.LINKAGE_MATCH, A.LINKAGE_GET_LINK, A.REVIEW_LIST, A.REVIEW_CLAIM, A.REVIEW_DECIDE,
                A.REVIEW_ESCALATE}
_INSTITUTION_LINKING = {A.LINKAGE_MATCH, A.LINKAGE_LINK_BATCH, A.LINKAGE_GET_LINK}

# The whole policy. Read it as: these roles may do these actions for these purposes, seeing these fields.
RULES: tuple[Rule, ...] = (
    # Data stewards work the review queue and see both records in full.
    _rule({R.STEWARD, R.SENIOR_STEWARD}, _REVIEW_WORK, {P.DATA_QUALITY_REVIEW}, STEWARD_VIEW),
    _rule({R.SENIOR_STEWARD}, {A.REVIEW_UNDO, A.ADMIN_TRAIN}, {P.DATA_QUALITY_REVIEW}, STEWARD_VIEW),
    # Caseworkers of the Central Authority act for adoptees tracing their origins.
    _rule({R.CASEWORKER},
          {A.TRACING_OPEN, A.CONSENT_RECORD, A.CONSENT_WITHDRAW, A.CONSENT_GET, A.LINKAGE_MATCH,
           A.LINKAGE_GET_LINK},
          {P.ORIGIN_TRACING},
          LINK_OUTCOME | MATCH_DETAIL | RECORD_IDENTITY | RECORD_PARENTS | TRACE_CASE | CONSENT),
    # ... and read and prepare only the traces they opened themselves.
    _rule({R.CASEWORKER}, {A.TRACING_PREPARE, A.TRACING_GET}, {P.ORIGIN_TRACING}, TRACE_CASE | CONSENT,
          _own_trace),
    # ... and register abandoned children, where parents are unknown by definition.
    _rule({R.CASEWORKER}, {A.LINKAGE_MATCH, A.LINKAGE_GET_LINK}, {P.ABANDONED_CHILD_REGISTRATION},
          LINK_OUTCOME | RECORD_IDENTITY),
    # A second officer approves and releases; the policy enforces that it is a different person.
    _rule({R.APPROVING_OFFICER}, {A.TRACING_GET, A.CONSENT_GET}, {P.ORIGIN_TRACING}, TRACE_CASE | CONSENT),
    _rule({R.APPROVING_OFFICER}, {A.TRACING_APPROVE}, {P.ORIGIN_TRACING}, TRACE_CASE | CONSENT,
          _second_officer),
    _rule({R.APPROVING_OFFICER}, {A.TRACING_RELEASE}, {P.ORIGIN_TRACING}, TRACE_CASE, _approved_by_another),
    # Auditors read and verify the audit chain, which holds identifiers, not personal data.
    _rule({R.AUDITOR}, {A.AUDIT_READ, A.AUDIT_VERIFY}, {P.AUDIT}, AUDIT_ENTRIES | VERIFY_REPORT),
    # Operators run the system and see no personal data.
    _rule({R.OPERATOR}, {A.AUDIT_VERIFY}, {P.OPERATIONS}, VERIFY_REPORT),
    _rule({R.OPERATOR}, {A.ADMIN_KEYS_ROTATE, A.ADMIN_TRAIN}, {P.OPERATIONS}, OPERATION_RESULT),
    # Institutions: link decisions and pids only, never names or parents, per their agreements.
    _rule({R.INSTITUTION_CHILD_PROTECTION}, _INSTITUTION_LINKING, {P.CHILD_PROTECTION}, LINK_OUTCOME),
    _rule({R.INSTITUTION_ADOPTION_FILES}, _INSTITUTION_LINKING, {P.ADOPTION_MATCHING}, LINK_OUTCOME),
    _rule({R.INSTITUTION_SOCIAL_PROTECTION}, _INSTITUTION_LINKING, {P.ABANDONED_CHILD_REGISTRATION},
          LINK_OUTCOME),
    _rule({R.INSTITUTION_SOCIAL_PROTECTION}, {A.LINKAGE_GET_LINK}, {P.CHILD_PROTECTION}, LINK_OUTCOME),
)


def _as_enum(enum: type[StrEnum], value: object) -> StrEnum | None:
    try:
        return enum(value)
    except ValueError:
        return None


def decide(principal: Principal | None, action: Action | str, purpose: Purpose | str,
           resource: Resource | None = None, rules: tuple[Rule, ...] = RULES) -> Decision:
    """Allow only what a rule grants; anything unknown or unmatched is denied with a loggable reason."""
    if principal is None:
        return Decision(False, "no authenticated principal")
    known_action = _as_enum(Action, action)
    known_purpose = _as_enum(Purpose, purpose)
    if known_action is None:
        return Decision(False, "unknown action")
    if known_purpose is None:
        return Decision(False, "unknown purpose")
    if principal.purpose != known_purpose:
        return Decision(False, "purpose differs from the purpose the caller was authenticated for")
    for rule in rules:
        if principal.role in rule.roles and known_action in rule.actions and known_purpose in rule.purposes:
            if rule.condition is None:
                return Decision(True, f"{principal.role} may {known_action} for {known_purpose}", rule.fields)
            if resource is None:
                return Decision(True, f"{known_action} needs a resource check", rule.fields,
                                needs_resource=True)
            refusal = rule.condition(principal, resource)
            if refusal is not None:
                return Decision(False, refusal)
            return Decision(True, f"{principal.role} may {known_action} this {resource.kind}", rule.fields)
    return Decision(False, f"no rule allows {principal.role} to {known_action} for {known_purpose}")
