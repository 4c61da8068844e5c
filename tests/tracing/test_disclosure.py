"""The disclosure rules as properties: whatever the consents, a package holds only allowed fields, never
an identity that was vetoed, nothing identifying for a minor, and withheld reasons never hold a value."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.consent.model import ConsentScope, ConsentState
from linkage.domain import PersonRecord, Sex
from linkage.tracing.disclosure import (
    FIELDS_BY_NAME,
    RULES_BY_ID,
    DisclosurePolicy,
    ParentFacts,
    RelativeFacts,
    TraceFacts,
    age_on,
    build_package,
    is_minor,
    rules_table,
)
from linkage.tracing.model import AdoptionFile, LinkStatus, ParentRole

TODAY = date(2026, 11, 23)
CHILD = PersonRecord("population", "C", "Trần Thị Bích", Sex.FEMALE, "1990-05-06", "Huế", "Lê Thị Sen",
                     "Trần Văn Bá", "046190000001")
MOTHER = PersonRecord("population", "M", "Lê Thị Sen", Sex.FEMALE, "1970-01-01", "Quảng Trị")
FATHER = PersonRecord("population", "F", "Trần Văn Bá", Sex.MALE, "1968-02-02", "Quảng Bình")
SISTER = PersonRecord("population", "S", "Trần Thị Ngọc", Sex.FEMALE, "1992-03-03", "Huế")
FILE = AdoptionFile("AF-1", "1991-01-01", "Sweden", "circumstances-text", "mother-medical-text",
                    "father-medical-text")
SECRETS = {"Lê Thị Sen", "1970-01-01", "Quảng Trị", "Trần Văn Bá", "1968-02-02", "Quảng Bình",
           "Trần Thị Ngọc", "1992-03-03", "mother-medical-text", "father-medical-text", "circumstances-text",
           "2010-10-10"}
STATES = st.sampled_from(list(ConsentState))
PARENT_IDENTITY = ("name", "birth_date", "birth_place", "death_date")


def _facts(mother_status: LinkStatus, father_status: LinkStatus, mother_died: bool,
           child_birth: str) -> TraceFacts:
    linked = LinkStatus.LINKED
    mother = ParentFacts(ParentRole.MOTHER, mother_status, MOTHER if mother_status is linked else None,
                         "2010-10-10" if mother_died else "", FILE.mother_medical_history)
    father = ParentFacts(ParentRole.FATHER, father_status, FATHER if father_status is linked else None,
                         "", FILE.father_medical_history)
    child = PersonRecord(**{**{f: getattr(CHILD, f) for f in CHILD.__slots__}, "birth_date": child_birth})
    return TraceFacts(child, FILE, (mother, father), (RelativeFacts(SISTER, "sibling"),))


@settings(max_examples=300, deadline=None)
@given(consents=st.dictionaries(
           st.tuples(st.sampled_from(["M", "F", "S"]), st.sampled_from(list(ConsentScope))), STATES),
       mother_status=st.sampled_from([LinkStatus.LINKED, LinkStatus.NOT_FOUND]),
       father_status=st.sampled_from([LinkStatus.LINKED, LinkStatus.NOT_FOUND, LinkStatus.NOT_NAMED]),
       mother_died=st.booleans(), deceased_policy=st.booleans(), medical_needs_consent=st.booleans(),
       child_birth=st.sampled_from(["1990-05-06", "2010-01-01", "2008-11-23", "2008-11-24", "", "1990"]))
def test_whatever_the_consents_the_package_keeps_the_rules(
        consents, mother_status, father_status, mother_died, deceased_policy, medical_needs_consent,
        child_birth):
    policy = DisclosurePolicy(disclose_deceased_parent_identity=deceased_policy,
                              medical_history_needs_consent=medical_needs_consent)
    facts = _facts(mother_status, father_status, mother_died, child_birth)
    package = build_package(facts, lambda pid, scope: consents.get((pid, scope), ConsentState.NONE), policy,
                            TODAY)
    names = package.field_names()
    assert len(names) == len(set(names)) and all(n in FIELDS_BY_NAME for n in names)  # R1
    assert all(f.rule in RULES_BY_ID for f in package.fields)
    minor = is_minor(child_birth, TODAY, policy)
    if minor:  # R8
        assert not any(FIELDS_BY_NAME[n].identifying for n in names)
    for role, pid, died in (("birth_mother", "M", mother_died), ("birth_father", "F", False)):
        identity = consents.get((pid, ConsentScope.IDENTITY), ConsentState.NONE)
        linked = (mother_status if pid == "M" else father_status) is LinkStatus.LINKED
        shown = {f"{role}.{n}" for n in PARENT_IDENTITY} & set(names)
        allowed = linked and not minor and (identity is ConsentState.GRANTED or (
            died and deceased_policy and identity is ConsentState.NONE))
        assert bool(shown) == allowed, (role, identity, died)  # R3, R6
        medical = consents.get((pid, ConsentScope.MEDICAL_HISTORY), ConsentState.NONE)
        expected = linked and (medical is ConsentState.GRANTED
                               or medical is ConsentState.NONE and not medical_needs_consent)
        assert (f"{role}.medical_history" in names) == expected  # R4: never after a veto, nor unidentified
        contact = consents.get((pid, ConsentScope.CONTACT), ConsentState.NONE)
        assert (f"{role}.contact" in names) == (linked and not minor and not died
                                                 and contact is ConsentState.GRANTED)  # R5
    sister = consents.get(("S", ConsentScope.IDENTITY), ConsentState.NONE)
    assert ("sibling.1.name" in names) == (sister is ConsentState.GRANTED and not minor)  # R7
    for entry in package.withheld:
        assert not any(secret in entry.reason or secret in entry.category for secret in SECRETS)
        assert entry.rule in RULES_BY_ID and f"(rule {entry.rule})" in entry.reason


def test_the_other_parents_consent_never_covers_a_parent() -> None:
    facts = _facts(LinkStatus.LINKED, LinkStatus.LINKED, False, "1990-05-06")
    granted = {("F", s): ConsentState.GRANTED for s in ConsentScope}
    package = build_package(facts, lambda pid, scope: granted.get((pid, scope), ConsentState.NONE),
                            DisclosurePolicy(), TODAY)
    assert not [n for n in package.field_names() if n.startswith("birth_mother.")]
    assert {"birth_father.name", "birth_father.contact", "birth_father.medical_history"} <= set(
        package.field_names())


def test_a_veto_made_in_life_outlasts_death() -> None:
    facts = _facts(LinkStatus.LINKED, LinkStatus.NOT_NAMED, True, "1990-05-06")
    veto = {("M", ConsentScope.IDENTITY): ConsentState.VETOED}
    package = build_package(facts, lambda pid, scope: veto.get((pid, scope), ConsentState.NONE),
                            DisclosurePolicy(), TODAY)
    assert "birth_mother.name" not in package.field_names()
    assert ("identity of birth mother", "R3") in {(w.category, w.rule) for w in package.withheld}


def test_age_is_never_assumed_older_than_certain() -> None:
    assert age_on("2008-11-23", TODAY) == 18 and age_on("2008-11-24", TODAY) == 17
    assert age_on("2008-10", TODAY) == 18 and age_on("2008-11", TODAY) == 17  # the month's end assumed
    assert age_on("2008", TODAY) == 17 and age_on("2007", TODAY) == 18
    assert age_on("", TODAY) is None and age_on("khoảng 2 tháng tuổi", TODAY) is None
    assert is_minor("", TODAY, DisclosurePolicy()) and not is_minor("2008-11-23", TODAY, DisclosurePolicy())
    assert is_minor("2008-11-23", TODAY, DisclosurePolicy(adult_age=21))


def test_the_rules_table_reads_for_a_lawyer() -> None:
    table = rules_table()
    for rule in RULES_BY_ID.values():
        assert rule.id in table and rule.legal_basis in table
    assert "birth_mother.medical_history" in table and "Hague" in table and "Decree 13/2023" in table
