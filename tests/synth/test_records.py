"""Source records: damage at each source's rates, true non-matches that look like matches, the truth."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import replace

import numpy as np

from linkage.domain import Sex
from linkage.synth.corrupt import MONTHS_EN
from linkage.synth.population import call_name, generate_population
from linkage.synth.profiles import SOURCES, effective_rates
from linkage.synth.records import FOREIGN_MONTHS, SIBLING_GAP_DAYS, _Builder, build_records, person_of
from linkage.synth.reference import load_reference
from linkage.synth.script import fold


def _by_source(truth):
    out = defaultdict(list)
    for t in truth:
        out[t.source].append(t)
    return out


def _close(observed: int, n: int, rate: float) -> bool:
    """Within four binomial standard deviations (plus one record) of the expected count."""
    return abs(observed - n * rate) <= 4 * math.sqrt(n * rate * (1 - rate)) + 1


def test_reproducible_records_and_truth():
    pop = generate_population(4000, 2)
    a, ta = build_records(pop, 400, 2)
    b, tb = build_records(pop, 400, 2)
    c, _ = build_records(pop, 400, 3)
    assert a == b and [(t.record_id, t.identity_id, t.corruptions) for t in ta] == \
        [(t.record_id, t.identity_id, t.corruptions) for t in tb]
    assert a != c


def test_counts_ids_and_truth_line_up(population, records_and_truth):
    records, truth = records_and_truth
    assert len(records) == len(truth) == 6000
    assert len({(r.source, r.record_id) for r in records}) == len(records)
    ids = set(population.identity_id)
    for r, t in zip(records, truth, strict=True):
        assert (r.source, r.record_id) == (t.source, t.record_id)
        assert t.identity_id is None or t.identity_id in ids
        assert (t.identity_id is None) == (t.kind not in ("match", "match_twin", "match_again"))


def test_no_true_match_share_per_source(records_and_truth):
    _, truth = records_and_truth
    for source, rows in _by_source(truth).items():
        share = sum(t.identity_id is None for t in rows) / len(rows)
        assert abs(share - SOURCES[source]["no_match"]) < 0.01, source
        kinds = Counter(t.kind for t in rows)
        for kind in ("twin_absent", "sibling_absent", "namesake", "no_match", "match", "match_twin"):
            assert kinds[kind] > 0, (source, kind)


def test_unconditional_corruptions_at_their_rates(records_and_truth):
    _, truth = records_and_truth
    for source, rows in _by_source(truth).items():
        rates = effective_rates(source)
        applied = Counter(c for t in rows for c in set(t.corruptions))
        # an estimated age replaces the written date, so date damage applies to the other records only
        rates["date_missing"] = rates["date_missing"] * (1 - rates.get("estimated_age", 0.0))
        for key in ("date_missing", "place_missing", "parents_missing", "pid_present"):
            assert _close(applied[key], len(rows), rates.get(key, 0.0)), (source, key, applied[key])


def test_adoption_and_trace_are_the_most_damaged(records_and_truth):
    _, truth = records_and_truth
    by = _by_source(truth)
    def mean_damage(source):
        own = [[c for c in t.corruptions if ":" not in c and c != "pid_present"] for t in by[source]]
        return np.mean([len(c) for c in own])
    light = mean_damage("child_registry")
    assert mean_damage("adoption_file") > 1.5 * light and mean_damage("trace_request") > 2 * light
    def share(source, key):
        return np.mean([key in t.corruptions for t in by[source]])
    assert share("trace_request", "strip_diacritics") > 0.55
    assert share("child_registry", "strip_diacritics") < 0.1
    abroad_only = ("western_order", "surname_last_caps", "adoptive_first_name", "date_format_us",
                   "place_english")
    for key in abroad_only:
        assert share("trace_request", key) > 0.05 and share("child_registry", key) == 0, key
    for key in ("tone_placement", "i_y", "sound_merger", "typo", "nfd", "mojibake", "eth_d",
                "regional_surname", "drop_middle", "all_caps", "date_day_month_swap", "date_off_days",
                "place_abbrev", "place_current_units", "pid_typo", "composite", "mother:strip_diacritics"):
        heavy = by["adoption_file"] + by["trace_request"]
        assert sum(key in t.corruptions for t in heavy) > 0, key


def test_abandoned_children_have_estimates_and_intake_dates(records_and_truth):
    records, truth = records_and_truth
    rows = [(r, t) for r, t in zip(records, truth, strict=True) if r.source == "abandoned_intake"]
    assert all(r.recorded_on for r, _ in rows)
    estimated = [r for r, t in rows if "estimated_age" in t.corruptions]
    assert _close(len(estimated), len(rows), 0.6)
    assert any("tháng" in r.birth_date or "months" in r.birth_date for r in estimated)
    assert np.mean([not r.mother_name and not r.father_name for r, _ in rows]) > 0.6
    assert any("centre_name" in t.corruptions for _, t in rows)


def test_corruptions_show_in_the_text(population, records_and_truth):
    records, truth = records_and_truth
    index = {pid: i for i, pid in enumerate(population.identity_id)}
    for r, t in zip(records, truth, strict=True):
        if t.identity_id is None:
            continue
        original = population.full_name[index[t.identity_id]]
        visible = [c for c in t.corruptions if c.startswith(("strip", "western", "all_caps"))]
        if not visible or "named_as_mothers_child" in t.corruptions:  # the name is then the mother's
            continue
        if "strip_diacritics" in t.corruptions and "mojibake" not in t.corruptions:
            assert fold(r.full_name) == r.full_name
        # (bytes of a legacy encoding have no capitals of their own: mojibake, TCVN3)
        if "all_caps" in t.corruptions and not {"mojibake", "tcvn3"} & set(t.corruptions):
            assert r.full_name == r.full_name.upper()
        assert r.full_name != original


def test_pid_rarely_outside_child_registry(records_and_truth):
    records, _ = records_and_truth
    by = defaultdict(list)
    for r in records:
        by[r.source].append(bool(r.pid))
    assert np.mean(by["child_registry"]) > 0.45
    assert np.mean(by["trace_request"]) < 0.08 and np.mean(by["abandoned_intake"]) < 0.05


def test_near_misses_look_like_population_people(population):
    b = _Builder(population, 5, load_reference())
    pool = np.flatnonzero(b.years >= 1990)
    for anchor in pool[:40].tolist():
        a = person_of(population, anchor)
        twin = b.near_miss("twin_absent", anchor, (1988, 2026))
        assert (twin.born, twin.mother, twin.father, twin.commune) == (a.born, a.mother, a.father, a.commune)
        assert twin.name != a.name and twin.pid not in population.pid
        namesake = b.near_miss("namesake", anchor, (1988, 2026))
        assert namesake.name == a.name and namesake.born.year == a.born.year and namesake.male == a.male
        cousin = b.near_miss("same_name_other_year", anchor, (1988, 2026))
        assert cousin.name == a.name and abs(cousin.born.year - a.born.year) >= 1
        assert cousin.father.surname == a.father.surname and cousin.father != a.father
        sib = b.near_miss("sibling_absent", anchor, (1988, 2026))
        assert sib.father == a.father and sib.born != a.born
        assert call_name(sib.name.given) != call_name(a.name.given)


def test_an_absent_sibling_is_born_a_pregnancy_apart_from_every_registered_sibling(population):
    """Not only from the sibling it was drawn beside: a brother born days from another registered child
    of the family would be a twin, and a date too narrow to hold two siblings' births singles a child out
    (`linkage.engine.matcher.dated_narrower_than_siblings`)."""
    b = _Builder(population, 5, load_reference())
    families = np.bincount(population.family)
    anchors = np.flatnonzero(families[population.family] >= 3)[:60]
    for anchor in anchors.tolist():
        sib = b.near_miss("sibling_absent", anchor, (1970, 2026))
        for i in np.flatnonzero(population.family == population.family[anchor]).tolist():
            assert abs((sib.born - population.birth[i].astype(object)).days) >= SIBLING_GAP_DAYS


def test_no_two_children_of_one_family_share_a_given_name(population):
    """Vietnamese parents do not give two of their children one given name proper (twins included)."""
    seen: set[tuple[int, str]] = set()
    for i in range(len(population)):
        key = (int(population.family[i]), call_name(population.given[i]))
        assert key not in seen, population.full_name[i]
        seen.add(key)


def test_sex_written_as_m_f_u(records_and_truth):
    records, _ = records_and_truth
    assert {r.sex for r in records} == {Sex.MALE, Sex.FEMALE, Sex.UNKNOWN}


def test_each_source_holds_some_people_twice(records_and_truth):
    """A birth registered again, a trace request filed again: a source's second record of a person it
    already holds, written independently, at the source's share of its true matches."""
    from linkage.synth.profiles import WRITTEN_AGAIN

    records, truth = records_and_truth
    written = {(r.source, r.record_id): replace(r, record_id="") for r in records}
    for source, rows in _by_source(truth).items():
        first = {t.identity_id: t.record_id for t in rows if t.identity_id and t.kind != "match_again"}
        again = [t for t in rows if t.kind == "match_again"]
        matches = sum(t.identity_id is not None for t in rows)
        assert abs(len(again) - matches * WRITTEN_AGAIN[source]) <= 1, source
        assert all(t.identity_id in first for t in again), source
        # each written by its own hand, not copied
        copied = sum(written[(source, t.record_id)] == written[(source, first[t.identity_id])] for t in again)
        assert copied <= 0.2 * len(again), source


def test_near_misses_follow_their_shares(records_and_truth):
    """Absent twins are kept rare (5 % of records with no match, still oversampled), the rest as set."""
    from linkage.synth.profiles import NEAR_MISS_KINDS

    _, truth = records_and_truth
    no_match = [t for t in truth if t.identity_id is None]
    kinds = Counter(t.kind for t in no_match)
    for kind, share in NEAR_MISS_KINDS.items():
        assert abs(kinds[kind] / len(no_match) - share) < 0.01, kind



def test_files_from_abroad_write_the_month_in_their_own_language(records_and_truth):
    """Two in five English dates of records from abroad are written day first in the language of a
    receiving country, and name the same day the English form would have."""
    records, truth = records_and_truth
    foreign = [(r, t) for r, t in zip(records, truth, strict=True) if "date_format_foreign" in t.corruptions]
    english = [t for t in truth if "date_format_en" in t.corruptions and t.channel == "abroad"]
    assert 0.25 < len(foreign) / len(english) < 0.55
    months = {name.casefold() for names in FOREIGN_MONTHS.values() for name in names}
    for record, _ in foreign:
        assert any(word.casefold() in months for word in record.birth_date.split())
        assert not any(name in record.birth_date for name in MONTHS_EN if name.casefold() not in months)


def test_a_nameless_newborn_is_sometimes_written_as_its_mothers_child():
    pop = generate_population(20_000, 4)
    records, truth = build_records(pop, 4000, 5)
    child_of = [(r, t) for r, t in zip(records, truth, strict=True)
                if "named_as_mothers_child" in t.corruptions]
    assert child_of and all(r.source == "abandoned_intake" for r, _ in child_of)
    for record, t in child_of:
        assert record.full_name.split()[0] in ("Con", "CB")
        assert ("mother_in_name_only" in t.corruptions) == (record.mother_name == "")


def test_a_namesakes_parents_are_never_the_anchors_own():
    """A child of the anchor's own parents with the anchor's name would be the anchor (parents do not give
    two children one name); in a small population the random draw often lands in the anchor's family."""
    pop = generate_population(80, 6)
    b = _Builder(pop, 7, load_reference())
    for anchor in range(len(pop)):
        a = person_of(pop, anchor)
        for _ in range(3):
            namesake = b.near_miss("namesake", anchor, (1970, 2026))
            assert (namesake.mother, namesake.father) != (a.mother, a.father)


def test_some_records_say_what_forms_do_not_ask_for(records_and_truth):
    """An estimated age in words, a part of the country for a province alone abroad, both parents on the
    mother's line: each from a stream of its own, so the other records stay as they were."""
    from linkage.vn.dates import parse_date
    from linkage.vn.places import resolve_place

    records, truth = records_and_truth
    said = {form: [(r, t) for r, t in zip(records, truth, strict=True) if form in t.corruptions]
            for form in ("age_in_words", "place_area", "parents_one_line")}
    assert all(len(pairs) >= 10 for pairs in said.values()), {k: len(v) for k, v in said.items()}
    for record, t in said["age_in_words"]:
        assert t.source == "abandoned_intake" and not any(ch.isdigit() for ch in record.birth_date)
        assert parse_date(record.birth_date, record.recorded_on) is not None
    for record, t in said["place_area"]:
        assert t.channel == "abroad" and resolve_place(record.birth_place).area
    for record, _ in said["parents_one_line"]:
        assert record.father_name == "" and ("," in record.mother_name or " - " in record.mother_name)
