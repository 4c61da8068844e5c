"""The disclosure rules, in one place: what an adoptee's package may contain, and what it must withhold.

Read `RULES` (each rule, its legal basis, what it says), `FIELDS` (every field a package can ever hold,
the rule that governs it, and whether it identifies someone) and `DisclosurePolicy` (the choices the
law leaves to the authority). `build_package` applies them to the facts of one trace and the consents
in force; it is a pure function, so the same facts and consents always give the same package, and
release can check that nothing changed since approval.

Withheld entries name the category and the rule, never the withheld value. The legal references are
the drafting team's reading and must be confirmed by the authority's counsel before production.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from linkage.consent.model import ConsentScope, ConsentState
from linkage.domain import PersonRecord
from linkage.tracing.model import (
    AdoptionFile,
    DisclosedField,
    LinkStatus,
    Package,
    ParentRole,
    Withheld,
)

HAGUE = "Hague Convention of 29 May 1993 on Intercountry Adoption"
ADOPTION_LAW = "Law on Adoption 2010 (52/2010/QH12)"
DATA_DECREE = "Decree 13/2023/ND-CP on personal data protection"
DATA_LAW = "Law on Personal Data Protection 2025"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    legal_basis: str
    text: str


RULES: tuple[Rule, ...] = (
    Rule("R1", "Minimisation",
         f"{DATA_DECREE}, art. 3 (data limited to what the purpose needs); {HAGUE}, art. 31",
         "A package holds only the fields listed in FIELDS, each under the rule that allows it. "
         "Nothing else the authority holds ever leaves with a package."),
    Rule("R2", "The adoptee's own origins",
         f"{HAGUE}, art. 30 (access to information on the child's origin); {ADOPTION_LAW}",
         "The adoptee receives their birth identity as the population register holds it, the facts "
         "of their adoption file, and whether their birth registration names a father."),
    Rule("R3", "A birth parent's identity",
         f"{HAGUE}, art. 16(2) and 30 (identity of the parents where the law of the State of origin "
         f"allows it); {DATA_DECREE}, art. 11 (consent); {DATA_LAW}",
         "A birth parent's name, birth date and birth place are disclosed only while their consent to "
         "identity disclosure is in force. A veto, no consent, or a parent who cannot be identified "
         "(so that their consent cannot be established) means the identity is withheld."),
    Rule("R4", "Non-identifying information",
         f"{HAGUE}, art. 16(1)(a) and 30 (medical history, background); {DATA_DECREE}, art. 2 "
         "(health data are sensitive data) and art. 11",
         "Medical history and the circumstances of the adoption do not identify anyone and are given "
         "even where identity is vetoed. A parent's medical history needs that parent's consent (when "
         "the policy says so) and is withheld when the parent cannot be identified, since a veto could "
         "not be seen; the circumstances are given unless a birth parent vetoed them."),
    Rule("R5", "Contact",
         f"{DATA_DECREE}, art. 11; {ADOPTION_LAW}",
         "The authority offers to mediate contact only with the birth parent's consent to contact in "
         "force. Contact details themselves never leave with a package."),
    Rule("R6", "A birth parent who has died",
         f"{DATA_DECREE}, art. 11 and 12; {ADOPTION_LAW} (policy choice of the authority)",
         "A parent who has died can no longer consent. Their identity and date of death are disclosed "
         "when the policy allows it, unless a veto they made in life is still recorded."),
    Rule("R7", "Third parties",
         f"{DATA_DECREE}, art. 3 and 11; {HAGUE}, art. 31",
         "Nothing about siblings or other relatives is given without their own consent to identity "
         "disclosure. One parent's consent never covers the other parent."),
    Rule("R8", "Adoptees under the age of majority",
         f"{DATA_DECREE}, art. 20 (children's data); {HAGUE}, art. 30 (appropriate guidance)",
         "An adoptee under the adult age receives non-identifying information only, through their "
         "adoptive parents; identifying information waits until they come of age."),
    Rule("R9", "Consent changes before release",
         f"{DATA_DECREE}, art. 12 (withdrawal of consent takes effect)",
         "The package is evaluated again at release. If anything differs from the approved package "
         "(a consent given, vetoed, withdrawn or expired), nothing is released; it is prepared and "
         "approved again."),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


@dataclass(frozen=True, slots=True)
class FieldRule:
    field: str
    rule: str
    identifying: bool
    meaning: str


_PARENT_FIELDS = (
    ("name", "R3", True, "full name as the population register holds it"),
    ("birth_date", "R3", True, "date of birth"),
    ("birth_place", "R3", True, "place of birth"),
    ("death_date", "R6", True, "date of death (with the identity only)"),
    ("contact", "R5", True, "the parent agreed to be contacted through the Central Authority"),
    ("medical_history", "R4", False, "the parent's medical history from the adoption file"),
    ("not_recorded", "R2", False, "the birth registration names no such parent"),
)
MAX_SIBLINGS = 8

FIELDS: tuple[FieldRule, ...] = (
    FieldRule("adoptee.birth_name", "R2", True, "the adoptee's name at birth"),
    FieldRule("adoptee.birth_date", "R2", False, "the adoptee's date of birth"),
    FieldRule("adoptee.birth_place", "R2", True, "the adoptee's place of birth"),
    FieldRule("adoptee.sex", "R2", False, "sex as registered at birth"),
    FieldRule("adoptee.personal_number", "R2", True, "the adoptee's 12-digit personal number"),
    FieldRule("adoption.file_reference", "R2", False, "the adoption file's reference"),
    FieldRule("adoption.date", "R2", False, "date of the adoption decision"),
    FieldRule("adoption.receiving_country", "R2", False, "the receiving country"),
    FieldRule("adoption.circumstances", "R4", False, "the circumstances of the adoption"),
    *(FieldRule(f"{role.value}.{name}", rule, identifying, f"birth {role.name.lower()}: {meaning}")
      for role in ParentRole for name, rule, identifying, meaning in _PARENT_FIELDS),
    *(FieldRule(f"sibling.{n}.{name}", "R7", True, meaning)
      for n in range(1, MAX_SIBLINGS + 1)
      for name, meaning in (("name", "a sibling's name, with their consent"),
                            ("birth_date", "a sibling's date of birth, with their consent"),
                            ("relationship", "twin or sibling"))),
)
FIELDS_BY_NAME = {f.field: f for f in FIELDS}


@dataclass(frozen=True, slots=True)
class DisclosurePolicy:
    """Where the law leaves room, the authority's choice (versioned: a package records its version)."""

    version: str = "vn-origin-tracing-2026.1"
    adult_age: int = 18
    disclose_deceased_parent_identity: bool = True
    medical_history_needs_consent: bool = True
    circumstances_need_consent: bool = False


DEFAULT_POLICY = DisclosurePolicy()


# --- the facts of one trace -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ParentFacts:
    role: ParentRole
    status: LinkStatus
    identity: PersonRecord | None = None
    died_on: str = ""
    medical_history: str = ""


@dataclass(frozen=True, slots=True)
class RelativeFacts:
    identity: PersonRecord
    relationship: str  # "twin" or "sibling"


@dataclass(frozen=True, slots=True)
class TraceFacts:
    birth_identity: PersonRecord
    adoption_file: AdoptionFile | None
    parents: tuple[ParentFacts, ...]
    relatives: tuple[RelativeFacts, ...] = ()


ConsentLookup = Callable[[str, ConsentScope], ConsentState]
"""(identity id, scope) -> the state in force now."""


# --- age ----------------------------------------------------------------------------------------------
def age_on(birth_date: str, today: date) -> int | None:
    """Completed years on `today` from an ISO-like date ("2001-05-03", "2001-05", "2001"); None if unknown.

    With only a month or a year, the latest possible birthday is assumed: never older than certain.
    """
    parts = birth_date.strip().split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 12
        day = int(parts[2]) if len(parts) > 2 else 31
    except ValueError:
        return None
    if not 1800 < year <= today.year:
        return None
    return today.year - year - ((today.month, today.day) < (month, day))


def is_minor(birth_date: str, today: date, policy: DisclosurePolicy) -> bool:
    """Under the adult age, or of unknown age (the rule protects until the age is certain)."""
    age = age_on(birth_date, today)
    return age is None or age < policy.adult_age


# --- evaluation -------------------------------------------------------------------------------------
class _Builder:
    def __init__(self) -> None:
        self.fields: list[DisclosedField] = []
        self.withheld: list[Withheld] = []

    def give(self, name: str, value: str, rule: str | None = None) -> None:
        governing = FIELDS_BY_NAME[name]  # R1: a field that is not in the table cannot be given
        if value:
            self.fields.append(DisclosedField(name, value, rule or governing.rule))

    def withhold(self, category: str, rule: str, why: str) -> None:
        entry = Withheld(category, rule, f"{category} withheld: {why} (rule {rule})")
        if entry not in self.withheld:
            self.withheld.append(entry)


_WHY = {ConsentState.VETOED: "veto on {what}", ConsentState.NONE: "no consent to {what} in force"}


def _parent(b: _Builder, parent: ParentFacts, consent: ConsentLookup, policy: DisclosurePolicy) -> None:
    role = parent.role.value
    label = parent.role.value.replace("_", " ")
    if parent.status is LinkStatus.NOT_NAMED:
        b.give(f"{role}.not_recorded", "not named on the birth registration")
        return
    if parent.identity is None:
        unknown = "not identified, so consent cannot be established"
        b.withhold(f"identity of {label}", "R3", unknown)
        b.withhold(f"contact with {label}", "R5", unknown)
        if parent.medical_history:  # a veto could not be seen, so even a lenient policy does not apply
            b.withhold(f"medical history of {label}", "R4", unknown)
        return
    person, pid = parent.identity, parent.identity.record_id
    identity = consent(pid, ConsentScope.IDENTITY)
    deceased_rule = parent.died_on and policy.disclose_deceased_parent_identity
    if identity is ConsentState.GRANTED or (deceased_rule and identity is ConsentState.NONE):
        rule = "R3" if identity is ConsentState.GRANTED else "R6"
        b.give(f"{role}.name", person.full_name, rule)
        b.give(f"{role}.birth_date", person.birth_date, rule)
        b.give(f"{role}.birth_place", person.birth_place, rule)
        b.give(f"{role}.death_date", parent.died_on)
    else:
        b.withhold(f"identity of {label}", "R3", _WHY[identity].format(what="identity disclosure"))
    contact = consent(pid, ConsentScope.CONTACT)
    if contact is ConsentState.GRANTED and not parent.died_on:
        b.give(f"{role}.contact", "agreed to be contacted through the Central Authority")
    else:
        state = ConsentState.NONE if parent.died_on else contact
        b.withhold(f"contact with {label}", "R5", _WHY[state].format(what="contact"))
    if parent.medical_history:
        medical = consent(pid, ConsentScope.MEDICAL_HISTORY)
        allowed = medical is ConsentState.GRANTED or (
            medical is ConsentState.NONE and not policy.medical_history_needs_consent)
        if allowed:
            b.give(f"{role}.medical_history", parent.medical_history)
        else:
            b.withhold(f"medical history of {label}", "R4", _WHY[medical].format(what="its disclosure"))


def _circumstances(b: _Builder, facts: TraceFacts, consent: ConsentLookup, policy: DisclosurePolicy) -> None:
    text = facts.adoption_file.circumstances if facts.adoption_file else ""
    if not text:
        return
    known = [p.identity.record_id for p in facts.parents if p.identity is not None]
    states = [consent(pid, ConsentScope.CIRCUMSTANCES) for pid in known]
    if ConsentState.VETOED in states:
        b.withhold("circumstances of the adoption", "R4", "a birth parent vetoed their disclosure")
    elif policy.circumstances_need_consent and not (
            states and all(s is ConsentState.GRANTED for s in states)):
        b.withhold("circumstances of the adoption", "R4", "no consent of the birth parents in force")
    else:
        b.give("adoption.circumstances", text)


def _relatives(b: _Builder, facts: TraceFacts, consent: ConsentLookup) -> None:
    shown = 0
    for relative in facts.relatives[:MAX_SIBLINGS]:
        if consent(relative.identity.record_id, ConsentScope.IDENTITY) is ConsentState.GRANTED:
            shown += 1
            b.give(f"sibling.{shown}.name", relative.identity.full_name)
            b.give(f"sibling.{shown}.birth_date", relative.identity.birth_date)
            b.give(f"sibling.{shown}.relationship", relative.relationship)
    if shown < len(facts.relatives) or not facts.relatives:
        # Said whether or not relatives exist, so the notice itself reveals nothing about them.
        b.withhold("information about other relatives", "R7", "given only with their own consent")


def build_package(facts: TraceFacts, consent: ConsentLookup, policy: DisclosurePolicy,
                  today: date) -> Package:
    """Apply the rules to one trace's facts and the consents in force `today`."""
    b = _Builder()
    child, file = facts.birth_identity, facts.adoption_file
    b.give("adoptee.birth_name", child.full_name)
    b.give("adoptee.birth_date", child.birth_date)
    b.give("adoptee.birth_place", child.birth_place)
    b.give("adoptee.sex", child.sex.value if child.sex.value != "U" else "")
    b.give("adoptee.personal_number", child.pid)
    if file is not None:
        b.give("adoption.file_reference", file.file_ref)
        b.give("adoption.date", file.adoption_date)
        b.give("adoption.receiving_country", file.receiving_country)
    _circumstances(b, facts, consent, policy)
    for parent in sorted(facts.parents, key=lambda p: p.role.value, reverse=True):  # mother first
        _parent(b, parent, consent, policy)
    _relatives(b, facts, consent)
    fields, withheld = b.fields, b.withheld
    if is_minor(child.birth_date, today, policy):
        fields = [f for f in fields if not FIELDS_BY_NAME[f.field].identifying]
        withheld = [w for w in withheld if w.rule in ("R4",)]
        withheld.append(Withheld(
            "identifying information", "R8",
            f"identifying information withheld: the adoptee is under {policy.adult_age}; "
            "non-identifying information only, through the adoptive parents (rule R8)"))
    return Package(tuple(fields), tuple(withheld), policy.version, today)


def rules_table() -> str:
    """The rules and fields as plain text, for the lawyer reviewing them (and for the docs)."""
    lines = ["Rule  Title / legal basis / text"]
    for rule in RULES:
        lines += [f"{rule.id:<5} {rule.title}", f"      basis: {rule.legal_basis}", f"      {rule.text}"]
    lines.append("")
    lines.append("Field                                  Rule  Identifying  Meaning")
    for f in FIELDS:
        if f.field.startswith("sibling.") and not f.field.startswith("sibling.1."):
            continue
        lines.append(f"{f.field:<38} {f.rule:<5} {'yes' if f.identifying else 'no':<12} {f.meaning}")
    return "\n".join(lines)
