"""The behaviour that matters: damaged records still link, near misses and twins do not link."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest

from linkage.domain import Decision, PersonRecord, Sex
from linkage.engine.decide import ALREADY_LINKED, PID_DISAGREES, TWIN_MARGIN
from linkage.engine.matcher import SOMEONE_ELSES_PID
from linkage.model.explain import total
from tests.engine.conftest import HANDMADE, TWIN_A, TWIN_B, VY, person


def record_of(base: PersonRecord, record_id: str = "R-1", **changes) -> PersonRecord:
    return dataclasses.replace(base, source="child_registry", record_id=record_id, **changes)


def _matcher_of(identities: list[PersonRecord]):
    """A fresh matcher holding `identities`, for people the session's `matcher` fixture lacks."""
    from linkage.engine import build_matcher

    built = build_matcher()
    built.add_identities(identities)
    return built


def _mojibake(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", errors="replace")


NAME_DATE_PLACE = {"pid": "", "mother_name": "", "father_name": ""}
# Each corruption of MISSION.md §2, applied alone to one identity.
CORRUPTIONS = {
    "clean": {},
    "strip_diacritics": {"full_name": "Huynh Thi Thuy Vy", "mother_name": "Dang Thi Hoa",
                         "father_name": "Huynh Van Duc"},
    "western_order": {"full_name": "Thuy Vy Huynh"},
    "surname_last_caps": {"full_name": "Thúy Vy HUỲNH"},
    "surname_comma": {"full_name": "HUYNH, Vy Thi Thuy"},  # Last, First Middle, as forms abroad write
    # the first names, then the family-name field that took the middle names (French forms)
    "family_field_last": {"full_name": "Vy HUYNH THI THUY"},
    "joined_given": {"full_name": "Thuyvy Huynh"},  # the two syllables of the given name as one word
    "adoptive_first_name": {"full_name": "Emily Thuy Vy Huynh"},
    "adoptive_surname": {"full_name": "Emily Vy Thi Thuy Smith"},
    "parents_western_order": {"mother_name": "Hoa Thi Dang", "father_name": "Duc Van Huynh"},
    # the form's mother and father fields filled the wrong way round
    "parents_swapped": {"mother_name": "Huỳnh Văn Đức", "father_name": "Đặng Thị Hoa"},
    "drop_middle": {"full_name": "Huỳnh Vy"},
    "regional_surname": {"full_name": "Hoàng Thị Thúy Vy"},
    "i_y": {"full_name": "Huỳnh Thị Thúy Vi"},
    "tone_placement": {"full_name": "Huỳnh Thị Thuý Vy"},
    "sound_merger": {"mother_name": "Đặng Thị Hoa", "full_name": "Huỳnh Thị Thúi Vy"},
    "typo": {"full_name": "Huỳmh Thị Thúy Vy", "mother_name": "Đặng Thị Hao"},
    # a slip in the given name that is no real name (Vyy) is a typo of the same name, not another name
    "typo_given": {"full_name": "Huỳnh Thị Thúy Vyy"},
    # a mark keyed wrong where the name it makes is no name anyone has (Vý), not a twin's (Vỹ)
    "wrong_mark": {"full_name": "Huỳnh Thị Thúy Vý", **NAME_DATE_PLACE},
    # the other sex, with the given name written the same and the date agreeing: a clerk's slip
    "sex_wrong": {"sex": Sex.MALE},
    "all_caps": {"full_name": "HUỲNH THỊ THÚY VY"},
    "eth_d": {"mother_name": "\u00d0ặng Thị Hoa"},
    "nfd": {"full_name": unicodedata.normalize("NFD", "Huỳnh Thị Thúy Vy")},
    "mojibake": {"full_name": _mojibake("Huỳnh Thị Thúy Vy")},
    # typed in a TCVN3 (.VnTime) font and read as cp1252, the bytes glibc's iconv writes
    "tcvn3": {"full_name": "Huúnh ThÞ Thóy Vy", "mother_name": "§Æng ThÞ Hoa"},
    # a spreadsheet saved as cp1252 writes "?" for each letter it lacks (it keeps ú and à)
    "lost_letters": {"full_name": "Hu?nh Th? Thúy Vy",
                     "birth_place": "Xã Tân S?i, Huy?n Yên Th?, T?nh B?c Giang", **NAME_DATE_PLACE},
    "date_vn_format": {"birth_date": "09/03/2012"},
    "date_day_month_swap": {"birth_date": "2012-09-03"},
    "date_year_only": {"birth_date": "2012"},
    "date_month_only": {"birth_date": "2012-03"},
    "date_day_unknown": {"birth_date": "00/03/2012"},
    "date_lunar": {"birth_date": "17/02/2012 (âm lịch)"},  # 9 March 2012 in the lunar calendar
    "date_abroad": {"birth_date": "née le 9 mars 2012"},
    "date_off_days": {"birth_date": "2012-03-11"},
    "date_missing": {"birth_date": ""},
    "place_current_units": {"birth_place": "Tỉnh Bắc Ninh"},
    "place_province_only": {"birth_place": "Bắc Giang"},
    "place_missing": {"birth_place": ""},
    "parents_missing": {"mother_name": "", "father_name": ""},
    "sex_missing": {"sex": Sex.UNKNOWN},
    "pid_missing": {"pid": ""},
    # as forms and systems write them: a nickname after the name, a parent's year of birth after hers,
    # a name run together, a two-digit year, eight digits day first
    # as forms write them, with the name, the date and the place alone (the personal number and the
    # parents would link whatever the damaged field said): a nickname after the name, eight digits
    "nickname": {"full_name": "HUỲNH THỊ THÚY VY, BỐNG", **NAME_DATE_PLACE},
    "date_eight_digits": {"birth_date": "09032012", **NAME_DATE_PLACE},
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_each_corruption_alone_still_links(matcher, corruption):
    result = matcher.match(record_of(VY, **CORRUPTIONS[corruption]))
    assert result.best is not None and result.best.identity_id == VY.record_id, corruption
    assert result.decision is Decision.LINK, (corruption, result.best.probability, result.conflicts)


def test_first_names_before_a_family_field_compare_surname_with_surname(matcher):
    """"Vy HUYNH THI THUY" (nom "HUYNH THI THUY", prénom "Vy") with nothing else but the date: the name
    alone must agree, so it must be read Huỳnh Thị Thúy Vy, not as a surname Thuy."""
    record = record_of(VY, full_name="Vy HUYNH THI THUY", birth_place="", mother_name="", father_name="",
                       pid="")
    best = matcher.match(record).best
    levels = {c.field: c.level for c in best.contributions}
    assert best.identity_id == VY.record_id
    assert levels["surname"] == levels["given"] == "folded", levels


def test_parents_read_crosswise_show_so_in_the_explanation_and_tell_twins_apart(matcher):
    swapped = {"mother_name": TWIN_A.father_name, "father_name": TWIN_A.mother_name, "pid": ""}
    result = matcher.match(record_of(TWIN_A, **swapped))
    assert result.best.identity_id == TWIN_A.record_id and result.decision is Decision.LINK
    lines = {c.field: c for c in result.best.contributions}
    assert lines["mother_name"].level == lines["father_name"].level == "exact"
    assert lines["mother_name"].left == "tạ nhung (in the father's field)"
    assert lines["mother_name"].right == "tạ nhung"
    assert total(result.best.contributions) == pytest.approx(result.best.weight)


def test_a_twin_with_a_readable_given_name_links_to_the_right_twin(matcher):
    for twin in (TWIN_A, TWIN_B):
        result = matcher.match(record_of(twin, pid=""))
        assert result.best.identity_id == twin.record_id
        assert result.decision is Decision.LINK


def test_twins_go_to_review_not_link_when_the_record_cannot_tell_them_apart(matcher):
    result = matcher.match(record_of(TWIN_A, full_name="Lương Văn", pid=""))
    assert result.decision is Decision.REVIEW
    assert TWIN_MARGIN in result.conflicts
    assert {c.identity_id for c in result.candidates[:2]} == {TWIN_A.record_id, TWIN_B.record_id}


def test_an_unregistered_sibling_does_not_link_to_the_family(matcher):
    sibling = person("S-1", "Lương Thị Mai", Sex.FEMALE, "2018-01-20", TWIN_A.birth_place, TWIN_A.mother_name,
                     TWIN_A.father_name, source="child_registry")
    assert matcher.match(sibling).decision is not Decision.LINK


def test_an_absent_twin_does_not_link_to_the_twin_present(matcher):
    absent = record_of(TWIN_A, full_name="Lương Văn Phúc", pid="")
    assert matcher.match(absent).decision is not Decision.LINK


def test_a_namesake_born_elsewhere_to_other_parents_does_not_link(matcher):
    namesake = person("N-1", VY.full_name, Sex.FEMALE, "2013-11-02", "Xã Tân Hưng, Tỉnh Cà Mau",
                      "Lê Thị Sen", "Huỳnh Văn Tài", source="adoption_file")
    assert matcher.match(namesake).decision is Decision.NO_LINK


def test_a_namesake_with_the_same_birth_but_two_other_parents_is_not_linked(matcher):
    """Same name, date and place: only the parents tell; two other parents are another child."""
    namesake = record_of(VY, mother_name="Lê Thị Sen", father_name="Trần Văn Tài", pid="")
    result = matcher.match(namesake)
    assert result.decision is not Decision.LINK and "person_differs" in result.conflicts


def test_a_disagreeing_personal_number_sends_to_review(matcher):
    result = matcher.match(record_of(VY, pid="024312009999"))
    assert result.best.identity_id == VY.record_id
    assert result.decision is Decision.REVIEW and PID_DISAGREES in result.conflicts


def test_a_parents_number_in_the_childs_field_is_no_evidence(matcher):
    """A form filled in by the mother may carry her number (024 1 88 …: a woman born in 1988) where the
    child's (born 2012) belongs: it says nothing of the child, so it neither disagrees nor links."""
    result = matcher.match(record_of(VY, pid="024188123456"))
    assert result.best.identity_id == VY.record_id
    assert result.decision is Decision.LINK and PID_DISAGREES not in result.conflicts
    pid = next(c for c in result.best.contributions if c.field == "pid")  # and the steward is told why
    assert (pid.level, pid.weight, pid.left) == ("missing", 0.0, SOMEONE_ELSES_PID)


@pytest.mark.parametrize("recorded_on,level", [("2026-02-01", "same"), ("2024-02-01", "same_now"),
                                               ("", "same_now")])
def test_a_province_written_on_the_2025_map_agrees_with_a_birth_in_a_part_it_took_in(matcher, recorded_on,
                                                                                   level):
    """Vy was born in Bắc Giang, which Bắc Ninh took in on 1 July 2025 under its own name: a record written
    since then that says "Bắc Ninh" may mean the merged province, so the province agrees."""
    result = matcher.match(record_of(VY, birth_place="Bắc Ninh", recorded_on=recorded_on))
    place = next(c for c in result.best.contributions if c.field == "birth_place")
    assert result.best.identity_id == VY.record_id and place.level == level


def test_a_personal_number_whose_leading_zero_a_spreadsheet_dropped_is_still_the_number(matcher):
    """Every number opens with 0 (its province code): eleven digits were ignored, and a record with
    nothing else but the name went to review as thin evidence."""
    assert VY.pid.startswith("0")
    # nor a number a spreadsheet held as a number and wrote with its decimals
    for written in (VY.pid[1:], VY.pid[1:] + ".0"):
        bare = record_of(VY, pid=written, birth_date="", birth_place="", mother_name="", father_name="")
        result = matcher.match(bare)
        assert result.best.identity_id == VY.record_id and result.decision is Decision.LINK, written


def test_a_record_written_before_the_candidate_was_born_is_someone_elses(matcher):
    """Vy was born on 9 March 2012: a record with no date of birth written in June 2011 is about someone
    else of her name, whatever else agrees but her own personal number; one written in April 2012 may be
    hers."""
    before = matcher.match(record_of(VY, birth_date="", pid="", recorded_on="2011-06-01"))
    date = next(c for c in before.best.contributions if c.field == "birth_date")
    assert date.level == "different" and before.decision is not Decision.LINK
    after = matcher.match(record_of(VY, birth_date="", pid="", recorded_on="2012-04-01"))
    assert after.best.identity_id == VY.record_id and after.decision is Decision.LINK


def test_both_parents_written_in_the_mothers_field_are_her_name_and_his(matcher):
    """A form with one line for both parents: the mother's field holds "Đặng Thị Hoa và Huỳnh Văn Đức",
    which read whole was one woman with the given name Đức, against the register's Đặng Thị Hoa."""
    result = matcher.match(record_of(VY, mother_name="Đặng Thị Hoa và Huỳnh Văn Đức", father_name=""))
    mother = next(c for c in result.best.contributions if c.field == "mother_name")
    assert result.best.identity_id == VY.record_id and mother.level == "exact"


def test_both_parents_parted_by_a_comma_in_the_mothers_field_name_the_father_too(matcher):
    """"Huỳnh Văn Đức, Đặng Thị Hoa" in the mother's field and none in the father's: read whole it was one
    woman; now the mother is hers and the father his."""
    result = matcher.match(record_of(VY, mother_name="Huỳnh Văn Đức, Đặng Thị Hoa", father_name=""))
    levels = {c.field: c.level for c in result.best.contributions}
    assert result.best.identity_id == VY.record_id
    assert (levels["mother_name"], levels["father_name"]) == ("exact", "exact")


def test_an_adoptive_parent_named_as_such_is_not_compared_with_the_birth_parent(matcher):
    """An adoption file that names the adoptive parents ("Mẹ nuôi: …", "Bố nuôi: …") names other parents
    than the register's: both compared as the birth parents, the true child was another person's."""
    adoptive = record_of(VY, mother_name="Mẹ nuôi: Trần Thị Mai", father_name="Bố nuôi: Lê Văn Minh")
    result = matcher.match(adoptive)
    levels = {c.field: c.level for c in result.best.contributions}
    assert result.best.identity_id == VY.record_id and "person_differs" not in result.conflicts
    assert levels.get("mother_name", "missing") == levels.get("father_name", "missing") == "missing"


def test_the_personal_number_among_other_numbers_in_its_field_is_still_the_number(matcher):
    """A form's field may also hold the old nine-digit card's number or the year the card was issued: the
    digits together were no number, and a record with nothing but the name went to review."""
    grouped = f"{VY.pid[:3]} {VY.pid[3:6]} {VY.pid[6:]}"
    for written in (f"CMND 121456789, CCCD {VY.pid}", f"{grouped} (cấp 2021)"):
        bare = record_of(VY, pid=written, birth_date="", birth_place="", mother_name="", father_name="")
        result = matcher.match(bare)
        assert result.best.identity_id == VY.record_id and result.decision is Decision.LINK, written


def test_a_name_part_written_without_the_marks_nobody_drops_is_compared_by_its_folded_form(background):
    """"Trần Văn Duc": Duc is no name written so (Đức with its marks lost), so it agrees with Đức by its
    folded form; it counted as a name that differs from Đức by its marks, the person's own given name
    contradicted, and the record went to review. Lan, a name as written, still differs from Lân."""
    duc = person("HAND-DUC", "Trần Văn Đức", Sex.MALE, "1985-07-21",
                 "Phường 4, Quận 5, Thành phố Hồ Chí Minh", "Lê Thị Hoa", "Trần Văn Nam")
    lan = person("HAND-LAN", "Nguyễn Thị Lân", Sex.FEMALE, "1990-03-04",
                 "Xã Tân Phú, Huyện Đồng Phú, Tỉnh Bình Phước", "Trần Thị Mai", "Nguyễn Văn Hùng")
    built = _matcher_of([*background, duc, lan])
    result = built.match(record_of(duc, full_name="Trần Văn Duc", mother_name="", father_name=""))
    assert result.best.identity_id == duc.record_id and result.decision is Decision.LINK
    result = built.match(record_of(lan, full_name="Nguyễn Thị Lan", mother_name="", father_name=""))
    assert result.decision is not Decision.LINK and "person_differs" in result.conflicts


def test_a_name_that_visibly_lost_marks_on_one_word_is_compared_folded_on_every_word(background):
    """"Phạm Xuan Hoi": Xuan is no name written so (Xuân, its marks lost), so whoever wrote it may have
    lost Hội's too: Hoi agrees with Hội by its folded form, where it counted as another name by its marks
    and the record went to review. "Phạm Xuân Hoi", marked wherever it can be, still differs."""
    hoi = person("HAND-HOI", "Phạm Xuân Hội", Sex.MALE, "1988-02-11",
                 "Xã Yên Thắng, Huyện Ý Yên, Tỉnh Nam Định", "Lê Thị Hoa", "Phạm Văn Nam")
    built = _matcher_of([*background, hoi])
    result = built.match(record_of(hoi, full_name="Phạm Xuan Hoi", mother_name="", father_name=""))
    assert result.best.identity_id == hoi.record_id and result.decision is Decision.LINK
    result = built.match(record_of(hoi, full_name="Phạm Xuân Hoi", mother_name="", father_name=""))
    assert result.decision is not Decision.LINK and "person_differs" in result.conflicts


def test_a_name_from_a_forms_last_first_middle_fields_links_abroad_not_at_home(background):
    """"TRAN Tuan Minh": a form abroad's Last, First and Middle fields put end to end write Trần Minh
    Tuấn so; read surname first, Tuấn was the middle name and Minh the given name, both contradicted.
    From a register at home, where a name written so keeps its Vietnamese order, it still differs."""
    tuan = person("HAND-TUAN", "Trần Minh Tuấn", Sex.MALE, "1999-07-12",
                  "Phường 5, Quận 3, Thành phố Hồ Chí Minh", "Lê Thị Hoa", "Trần Văn Nam")
    built = _matcher_of([*background, tuan])
    written = {"full_name": "TRAN Tuan Minh", "birth_place": "Ho Chi Minh City", **NAME_DATE_PLACE}
    abroad = built.match(dataclasses.replace(tuan, source="adoption_file", record_id="R-1", **written))
    assert abroad.best.identity_id == tuan.record_id and abroad.decision is Decision.LINK
    at_home = built.match(record_of(tuan, **written))
    assert at_home.decision is not Decision.LINK
    explained = {c.field: (c.left, c.right) for c in abroad.best.contributions}
    assert explained["given"] == ("tuan", "tuấn") and explained["middle"] == ("minh", "minh")


def test_a_twin_whose_forenames_agree_only_turned_round_goes_to_review(background):
    """Turned round, "Nguyen Thu Ha" agrees with her twin sister Nguyễn Thu Thu on the given name (Thu),
    and Hà is left to contradict the sister's middle name: read in its own order, it names another
    child of that middle name. A form's "Last, First Middle" agrees whole once turned round."""
    sister = person("HAND-THU", "Nguyễn Thu Thu", Sex.FEMALE, "1993-01-11",
                    "Xã Văn Phong, Huyện Cát Hải, Thành phố Hải Phòng", "Phạm Thị Tuyết Phương", "")
    built = _matcher_of([*background, sister])
    record = dataclasses.replace(sister, source="adoption_file", record_id="R-1", full_name="Nguyen Thu Ha",
                                 mother_name="Pham T. Phuong", birth_place="Hai Phong, VN")
    result = built.match(record)
    assert result.decision is not Decision.LINK and "person_differs" in result.conflicts


def test_a_date_of_birth_written_as_the_first_of_january_links_on_its_year(matcher):
    """1 January is what a file writes where only the year is known: the rest of the record decides, as
    for a year alone; it contradicted the person's own date of birth (person_differs)."""
    result = matcher.match(record_of(VY, birth_date="01/01/2012", pid="", mother_name="", father_name=""))
    assert result.best.identity_id == VY.record_id and result.decision is Decision.LINK


@pytest.mark.parametrize("slip", ["swapped", "mistyped"])
def test_a_personal_number_one_slip_off_is_the_persons_own_and_links(matcher, slip):
    """A clerk's slip copying the 12 digits (two neighbours swapped, one digit mistyped) is no other
    person's number: it neither agrees nor disagrees, and the rest of the record decides."""
    digits = list(VY.pid)
    i = next(k for k in range(len(digits) - 1, 0, -1) if digits[k] != digits[k - 1])
    if slip == "swapped":
        digits[i - 1], digits[i] = digits[i], digits[i - 1]
    else:
        digits[i] = str((int(digits[i]) + 3) % 10)
    result = matcher.match(record_of(VY, pid="".join(digits)))
    assert result.best.identity_id == VY.record_id
    assert result.decision is Decision.LINK and PID_DISAGREES not in result.conflicts


def test_the_stores_already_linked_conflict_sends_to_review(background):
    from linkage.engine import build_matcher

    guarded = build_matcher(conflict_checker=lambda record, best: [ALREADY_LINKED])
    guarded.add_identities([*background[:500], VY])
    result = guarded.match(record_of(VY))
    assert result.decision is Decision.REVIEW and result.conflicts == (ALREADY_LINKED,)


def test_explanations_sum_to_the_score_and_name_every_field(matcher):
    result = matcher.match(record_of(VY, **CORRUPTIONS["western_order"]))
    fields = {c.name for c in matcher.model.comparisons}
    for candidate in result.candidates:
        assert total(candidate.contributions) == pytest.approx(candidate.weight, abs=1e-9)
        assert {c.field for c in candidate.contributions} == fields | {"prior", "competition"}
    given = next(c for c in result.best.contributions if c.field == "given")
    assert given.left == "vy" and given.right == "vy" and given.tf_adjustment != 0.0
    assert result.model_version == matcher.model_version


def test_identities_added_later_are_found_and_replacements_win(background):
    m = _matcher_of(background[:1000])
    assert m.match(record_of(VY)).decision is Decision.NO_LINK
    m.add_identities([VY])
    assert m.match(record_of(VY)).best.identity_id == VY.record_id
    moved = dataclasses.replace(VY, full_name="Huỳnh Thị Thúy Vân")   # the population corrects the name
    m.add_identities([moved])
    result = m.match(record_of(VY))
    assert len(m) == 1001
    assert result.best.identity_id == VY.record_id and result.decision is not Decision.LINK


def test_matching_is_deterministic(background):
    from linkage.engine import build_matcher

    records = [record_of(p, record_id=f"D-{i}") for i, p in enumerate([*background[:40], *HANDMADE])]
    runs = []
    for _ in range(2):
        m = build_matcher()
        m.add_identities([*background[:2000], *HANDMADE])
        runs.append(m.match_many(records))
    assert runs[0] == runs[1]


def test_thresholds_are_per_source(background):
    from dataclasses import replace as replaced

    from linkage.engine.matcher import FellegiSunterMatcher
    from linkage.model import Thresholds, load_default_model

    model = load_default_model()
    strict = replaced(model, thresholds={**model.thresholds, "adoption_file": Thresholds(link=1 - 1e-15,
                                                                                        review=0.5)})
    m = FellegiSunterMatcher(strict)
    m.add_identities([*background[:500], VY])
    weak = {"full_name": "Vy Huynh", "mother_name": "", "father_name": "", "birth_date": "2012"}
    assert m.match(record_of(VY, **weak)).decision is Decision.LINK            # child_registry: default
    adoption = dataclasses.replace(record_of(VY, **weak), source="adoption_file")
    assert m.match(adoption).decision is Decision.REVIEW


@pytest.mark.parametrize("given", ["Vân", "Vỹ"])
def test_a_given_name_that_reads_as_another_name_goes_to_review(matcher, given):
    result = matcher.match(record_of(VY, full_name=f"Huỳnh Thị Thúy {given}", pid=""))
    assert result.best.identity_id == VY.record_id
    assert result.decision is Decision.REVIEW and "person_differs" in result.conflicts


@pytest.mark.parametrize("changes", [
    {"full_name": "Huỳnh Thị Thúy Vỹ"},                       # a tone slipped
    {"birth_date": "2014-03-09"},                              # a year slipped
    {"full_name": "Huỳnh Thị Thúy Vỹ", "sex": Sex.MALE},
    {"mother_name": "Huỳnh Văn Đứcc", "father_name": "Đặng Thị Hoa"},  # parents swapped, one misspelt
])
def test_the_persons_own_number_beside_a_name_near_theirs_excuses_a_slip(matcher, changes):
    """Numbers are issued one per person: a twin's or a sibling's record carries their own."""
    result = matcher.match(record_of(VY, **changes))
    assert result.best.identity_id == VY.record_id
    assert "person_differs" not in result.conflicts


@pytest.mark.parametrize("date", ["2022-03-09", "2002-03-09", "2021-09-03"])
def test_the_family_confirming_the_person_excuses_a_slipped_year(matcher, date):
    """The same given name and the same parents: the day and month in another year (a digit slipped,
    2002 for 2012; read either way round) are a clerk's error, not a sibling."""
    result = matcher.match(record_of(VY, birth_date=date, pid=""))
    assert result.best.identity_id == VY.record_id
    assert "person_differs" not in result.conflicts
    other_day = matcher.match(record_of(VY, birth_date="2015-07-21", pid=""))
    assert "person_differs" in other_day.conflicts


def test_the_other_sex_with_a_name_written_without_marks_goes_to_review(matcher):
    """Vy written without marks could be a twin of the other sex named alike: the sex still vetoes."""
    record = record_of(VY, full_name="Huynh Thuy Vy", sex=Sex.MALE, pid="")
    result = matcher.match(record)
    assert result.decision is not Decision.LINK and "person_differs" in result.conflicts


def test_the_other_sex_beside_thi_in_the_records_own_name_is_a_slip(matcher):
    """Thị says the child is a girl, and so would any namesake's name: the sex field was miswritten; so
    does the adoptive first name Emily."""
    for name in ("Huynh Thi Thuy Vy", "Huỳnh Thị Thúy Vy", "Emily Thuy Vy Huynh"):
        result = matcher.match(record_of(VY, full_name=name, sex=Sex.MALE))
        assert result.decision is Decision.LINK, (name, result.conflicts)


def test_a_foundling_named_by_the_centre_reaches_review_on_its_day_and_commune_of_birth(matcher):
    """A centre's intake gives the child a name of its own: wholly other than the registered one, it says
    nothing either way, so the exact date and the commune put the child's identity first, for review."""
    found = dataclasses.replace(record_of(VY, full_name="Trần Thị Mỹ Duyên", pid="", mother_name="",
                                          father_name=""), source="abandoned_intake")
    result = matcher.match(found)
    assert result.best is not None and result.best.identity_id == VY.record_id
    assert result.decision is Decision.REVIEW and "thin_evidence" in result.conflicts


def test_a_name_and_a_place_alone_are_not_enough_to_link(matcher):
    thin = record_of(VY, birth_date="", mother_name="", father_name="", pid="")
    result = matcher.match(thin)
    assert result.best.identity_id == VY.record_id
    assert result.decision is Decision.REVIEW and "thin_evidence" in result.conflicts


def test_a_name_with_an_approximate_date_outside_the_commune_goes_to_review(matcher):
    """Name, birth month and province fit every namesake born that month in the province."""
    namesake_profile = record_of(VY, birth_date="2012-03", birth_place="Bắc Giang", mother_name="",
                                 father_name="", pid="")
    result = matcher.match(namesake_profile)
    assert result.best.identity_id == VY.record_id
    assert result.decision is Decision.REVIEW and "thin_evidence" in result.conflicts


@pytest.mark.parametrize("changes", [
    {"birth_place": "Bắc Giang"},                  # the birth day itself
    {"birth_date": "2012-03"},                     # an approximate date, but the commune of birth
    {"birth_date": "2012-03", "birth_place": "Bắc Giang", "mother_name": VY.mother_name},  # a parent
])
def test_a_birth_day_a_commune_or_a_parent_singles_the_person_out(matcher, changes):
    record = record_of(VY, **{"mother_name": "", "father_name": "", "pid": "", **changes})
    assert "thin_evidence" not in matcher.match(record).conflicts


def test_a_mother_who_differs_does_not_single_the_person_out(matcher):
    """An adoption file may name the adoptive mother, and a namesake's mother is another woman: a mother
    who differs, with nothing else but the name and an approximate date, leaves the case to a steward."""
    record = record_of(VY, birth_date="2012-03", birth_place="Bắc Giang", mother_name="Ngô Thị Bích",
                       father_name="", pid="")
    assert "thin_evidence" in matcher.match(record).conflicts


def test_a_western_order_name_read_with_the_other_forename_as_given_still_meets_its_person(background):
    """"Huong Xuan PHAN" is parsed with Hương as the given name; the person is Phan Thị Hương Xuân. The
    other reading is compared too, and the explanation shows what was compared."""
    xuan = person("P-XUAN", "Phan Thị Hương Xuân", Sex.FEMALE, "2012-03-04", "Xã Tân Sỏi, Huyện Yên Thế, "
                  "Tỉnh Bắc Giang", "Lê Thị Hoa", "Phan Văn Minh")
    matcher = _matcher_of([*background[:2000], xuan])
    result = matcher.match(dataclasses.replace(xuan, source="adoption_file", record_id="AF-1",
                                               full_name="Huong Xuan PHAN", mother_name="", father_name=""))
    assert result.best.identity_id == "P-XUAN" and "person_differs" not in result.conflicts
    given = next(b for b in result.best.contributions if b.field == "given")
    assert (given.level, given.left) == ("folded", "xuan")


def test_an_unaccented_name_that_ends_in_a_surname_is_also_read_surname_first(background):
    """"DINH QUANG HOAN VU" ends in a surname (Vũ) and starts with one (Đinh); the parse guesses Western
    order. The person is Đinh Quang Hoàn Vũ: the record is read surname first as well, middle name and
    all, and the explanation shows that reading."""
    vu = person("P-VU", "Đinh Quang Hoàn Vũ", Sex.MALE, "1998-09-20",
                "Phường 8, Quận 6, Thành phố Hồ Chí Minh", "Huỳnh Thị Ngọc Thi", "Đinh Quang Thủy")
    matcher = _matcher_of([*background[:2000], vu])
    result = matcher.match(dataclasses.replace(vu, source="trace_request", record_id="TR", birth_date="1998",
                                               full_name="DINH QUANG HOAN VU", father_name=""))
    assert result.best.identity_id == "P-VU" and result.decision is Decision.LINK
    shown = {b.field: (b.level, b.left) for b in result.best.contributions}
    assert shown["surname"] == ("folded", "dinh") and shown["given"] == ("folded", "vu")
    assert shown["middle"] == ("folded", "quang hoan")
    assert abs(total(result.best.contributions) - result.best.weight) < 1e-6


def test_a_placeholder_name_counts_as_no_name_not_as_another_name(matcher):
    """An abandoned child recorded as "Bé gái" (baby girl): the name is missing, not a name that
    disagrees; the date, the commune and the parents still find the child."""
    result = matcher.match(record_of(VY, full_name="Bé gái", pid=""))
    assert result.best.identity_id == VY.record_id
    levels = {c.field: c.level for c in result.best.contributions}
    assert levels["surname"] == levels["given"] == levels["middle"] == "missing"


def test_a_nameless_record_with_the_parents_and_an_estimated_age_may_be_a_sibling(matcher):
    """A foundling recorded as "Bé gái", about a year old, with both parents named: the parents single out
    the family, not the child. An unregistered younger sister of Vy fits as well as Vy, so a steward
    looks; the birth day itself would tell them apart."""
    sister = record_of(VY, full_name="Bé gái", pid="", birth_date="khoảng 1 tuổi", recorded_on="2013-05-01",
                       birth_place="Tỉnh Bắc Giang")
    result = matcher.match(sister)
    assert result.best.identity_id == VY.record_id
    assert result.decision is not Decision.LINK and "thin_evidence" in result.conflicts
    born_that_day = matcher.match(record_of(VY, full_name="Bé gái", pid="", birth_place="Tỉnh Bắc Giang"))
    assert "thin_evidence" not in born_that_day.conflicts


def test_a_slip_that_lands_on_a_real_name_beside_the_persons_own_number_is_a_slip(matcher):
    """Vy typed as Vu (a real name, one key away) on a record that carries the child's own personal
    number: a sibling has another number, so the name is the person's, miscopied."""
    slipped = record_of(VY, full_name="Huỳnh Thị Thúy Vu")
    assert "person_differs" not in matcher.match(slipped).conflicts
    without_number = record_of(VY, full_name="Huỳnh Thị Thúy Vu", pid="")
    assert "person_differs" in matcher.match(without_number).conflicts


def test_a_wholly_other_name_is_weighed_not_vetoed(matcher):
    """A centre names a foundling itself: a name with another surname and given name is not a sibling's
    (siblings share the surname), so the rest of the record is weighed, not vetoed as another person."""
    renamed = dataclasses.replace(record_of(VY, full_name="Lê Minh Anh"), source="abandoned_intake")
    result = matcher.match(renamed)
    assert result.best.identity_id == VY.record_id and result.conflicts == ()
    # without the personal number nothing tells the child from an unregistered twin
    unnumbered = matcher.match(dataclasses.replace(renamed, pid=""))
    assert unnumbered.conflicts == ("thin_evidence",) and unnumbered.decision is not Decision.LINK
    sibling = record_of(VY, full_name="Huỳnh Thị Minh Anh", pid="")
    assert "person_differs" in matcher.match(sibling).conflicts


def test_a_foundling_renamed_by_the_centre_reaches_review_through_its_parents(matcher):
    """A centre's name, wholly other, beside the parents named in full: the name says nothing of who the
    child was born, so it is not weighed as three disagreements that bury the child under no link; a
    steward sees it (nothing but the personal number tells the child from an unregistered twin)."""
    found = dataclasses.replace(record_of(VY, full_name="Lê Minh Anh", birth_date="2012", birth_place="",
                                          pid=""), source="abandoned_intake")
    result = matcher.match(found)
    assert result.best.identity_id == VY.record_id
    assert result.decision is Decision.REVIEW and "thin_evidence" in result.conflicts
    name_lines = {c.field: c.level for c in result.best.contributions if c.field in ("surname", "given")}
    assert name_lines == {"surname": "missing", "given": "missing"}
    # a child registry record is the child's own name: wholly other, it disagrees
    registered = record_of(VY, full_name="Lê Minh Anh", birth_date="2012", birth_place="", pid="")
    assert matcher.match(registered).decision is Decision.NO_LINK


def test_the_family_confirms_the_person_through_a_slipped_date(matcher):
    """Same given name and both parents named alike: parents do not give two children one name, so a
    date a year off is the clerk's; without the parents, or years off, it is another child."""
    slipped = record_of(VY, birth_date="2013-04-20", pid="")
    assert "person_differs" not in matcher.match(slipped).conflicts
    orphaned = record_of(VY, birth_date="2013-04-20", pid="", mother_name="", father_name="")
    assert "person_differs" in matcher.match(orphaned).conflicts
    # one parent named is the family for a slipped year (the day and month kept), not for a date months
    # off: records drop a mother's middle name, and a namesake's mother may be Đặng Thị Diệu Hoa
    mothered = record_of(VY, birth_date="2013-04-20", pid="", father_name="")
    assert "person_differs" in matcher.match(mothered).conflicts
    year_slipped = record_of(VY, birth_date="2002-03-09", pid="", father_name="")
    assert "person_differs" not in matcher.match(year_slipped).conflicts
    by_given_name_only = record_of(VY, birth_date="2013-04-20", pid="", father_name="",
                                   mother_name="Trần Thị Hoa")
    assert "person_differs" in matcher.match(by_given_name_only).conflicts
    years_off = record_of(VY, birth_date="2016-04-20", pid="")
    assert "person_differs" in matcher.match(years_off).conflicts


def test_parents_agreeing_only_on_their_given_names_do_not_confirm_the_family(matcher):
    """A namesake born months apart whose mother is another Hoa and father another Đức: common given
    names agree by chance, so the date still contradicts."""
    other = record_of(VY, pid="", birth_date="2012-11-25", mother_name="Trần Thị Hoa",
                      father_name="Lê Văn Đức")
    result = matcher.match(other)
    assert result.decision is not Decision.LINK and "person_differs" in result.conflicts


def test_the_persons_own_number_beside_their_name_excuses_a_miscopied_date(matcher):
    miscopied = record_of(VY, birth_date="2014-11-23", mother_name="", father_name="")
    assert "person_differs" not in matcher.match(miscopied).conflicts
    assert "person_differs" in matcher.match(dataclasses.replace(miscopied, pid="")).conflicts


def test_each_of_three_western_forenames_may_be_the_given_name():
    """"Thuan Thanh Quang Phan" is Phan Quang Thuận Thành with the given name second: the parse takes the
    most given-like forename (Thuận), so the others are tried one by one, not only joined (Thanh Quang,
    which is no given name); the explanation shows the forename that was compared."""
    from linkage.engine.matcher import FellegiSunterMatcher
    from linkage.model import load_default_model

    matcher = FellegiSunterMatcher(load_default_model())
    matcher.add_identities([PersonRecord(
        source="population", record_id="P-THANH", full_name="Phan Quang Thuận Thành", sex=Sex.MALE,
        birth_date="2010-01-30", birth_place="Tỉnh Đồng Nai", mother_name="Lê Thị Hơn", father_name="")])
    record = PersonRecord(source="trace_request", record_id="R-1", full_name="Thuan Thanh Quang Phan",
                          sex=Sex.MALE, birth_date="2010", birth_place="Dong Nai", mother_name="",
                          father_name="")
    given = next(c for c in matcher.match(record).best.contributions if c.field == "given")
    assert (given.level, given.left, given.right) == ("folded", "thanh", "thành")


def test_a_newborn_written_as_its_mothers_child_is_found_through_her(matcher):
    """A hospital's record of a newborn "Con bà Đặng Thị Hoa" (the child of Mrs Hoa) names the mother, not
    the child: her name is compared as the mother's, and the child's name counts as missing, not as a
    name that disagrees with Vy's."""
    newborn = record_of(VY, full_name="Con bà Đặng Thị Hoa", mother_name="", father_name="", pid="")
    result = matcher.match(newborn)
    assert result.best.identity_id == VY.record_id
    levels = {c.field: c.level for c in result.best.contributions}
    assert levels["mother_name"] == "exact"
    assert levels["surname"] == levels["given"] == levels["middle"] == "missing"


def _name_levels(background, registered: PersonRecord, full_name: str, **changes) -> dict[str, str]:
    """The levels of `registered` when an adoption file writes its name as `full_name` (parents and any
    `changes` as given), `registered` being the best candidate among a thousand background people."""
    matcher = _matcher_of([*background[:1000], registered])
    record = dataclasses.replace(registered, source="adoption_file", record_id="AF-1", full_name=full_name,
                                 mother_name="", father_name="", **changes)
    best = matcher.match(record).best
    assert best.identity_id == registered.record_id
    return {c.field: c.level for c in best.contributions}


def test_a_record_that_dropped_the_middle_name_keeps_the_given_names_first_syllable(background):
    """Lê Thu Thảo My: Thu is the middle name, Thảo My the given name. "Lê Thảo My" dropped Thu, so its
    middle name Thảo is the candidate's last one: partial agreement, not a different middle name (which
    "Lê Hoa My" has)."""
    my = person("HAND-MY", "Lê Thu Thảo My", Sex.FEMALE, "2004-06-24", "Xã Tiên Cường, Huyện Tiên Lãng, "
                "Thành phố Hải Phòng", "Nguyễn Thị Hạnh", "Lê Văn Tùng")
    assert _name_levels(background, my, "Lê Thảo My")["middle"] == "variant"
    assert _name_levels(background, my, "LE THAO MY")["middle"] == "variant"
    # Western order: either forename may be the given name
    assert _name_levels(background, my, "Thao My Le")["middle"] == "variant"
    assert _name_levels(background, my, "Lê Hoa My")["middle"] == "different"


def test_forenames_in_western_order_agree_on_the_middle_name_whatever_their_order(background):
    """Bùi Hồng Thường Kiệt: Western forms put the given name Thường Kiệt first, then the middle name
    Hồng. Read Western, the forenames are the candidate's in another order: the middle names agree."""
    kiet = person("HAND-KIET", "Bùi Hồng Thường Kiệt", Sex.MALE, "2017-12-30",
                  "Xã Thanh Trì, Thành phố Hà Nội", "Lê Thị Hoa", "Bùi Văn Nam")
    levels = _name_levels(background, kiet, "Thuong Kiet Hong Bui", birth_place="")
    assert (levels["middle"], levels["given"]) == ("variant", "folded")


def test_a_name_read_surname_first_turned_round_tries_its_second_word_as_the_given_name(background):
    """"Kim Toan Thanh Dam" opens with a surname (Kim), so it is read Kim / Toàn Thanh / Đàm; turned round
    it is Western order with the given name Kim Toàn moved first, the middle name Thanh after it:
    Đàm Thanh Kim Toàn, whose given name is the second word."""
    toan = person("HAND-TOAN", "Đàm Thanh Kim Toàn", Sex.MALE, "2016-06-04",
                  "Xã Cây Trường II, Huyện Bàu Bàng, Tỉnh Bình Dương", "Lê Thị Mỹ Thanh", "Đàm Đức Tú")
    levels = _name_levels(background, toan, "Kim Toan Thanh Dam", birth_place="")
    assert (levels["surname"], levels["given"], levels["middle"]) == ("folded", "folded", "variant")


def test_first_names_before_a_family_field_without_a_cue_are_tried_as_such(background):
    """"Phuong Phan Thuy": prénom Phượng, nom Phan Thùy, written without the capitals or the Thị that
    tell the layout, so parsed Phương / Phan / Thùy. The commoner surname inside gives the other reading
    (Phan Thùy Phượng), under which surname and given name agree."""
    phuong = person("HAND-PHUONG", "Phan Thùy Phượng", Sex.FEMALE, "2011-02-14",
                    "Xã Tân Phú, Huyện Đồng Phú, Tỉnh Bình Phước", "Lê Thị Hoa", "Phan Văn Nam")
    levels = _name_levels(background, phuong, "Phuong Phan Thuy", birth_place="")
    assert (levels["surname"], levels["given"], levels["name_order"]) == ("folded", "folded", "swapped")


def test_a_name_read_surname_first_turned_round_tries_its_second_word_beside_van(background):
    """"Che Phuong Van Nguyen" (a boy, so Nguyen might be his given name Nguyên) is read Chế / Phương Văn /
    Nguyên; turned round it is Western order with the given name Chế Phương moved first and Văn after
    it: Nguyễn Văn Chế Phương, whose given name is the second word, though Văn is the only other middle
    name."""
    phuong = person("HAND-CHE", "Nguyễn Văn Chế Phương", Sex.MALE, "2005-08-02",
                    "Xã Hoàng Kim, Huyện Mê Linh, Tỉnh Vĩnh Phúc", "Vũ Thị Hà Trinh", "Nguyễn Đình Quyền")
    levels = _name_levels(background, phuong, "Che Phuong Van Nguyen", birth_place="")
    assert (levels["surname"], levels["given"], levels["name_order"]) == ("folded", "folded", "swapped")


def test_a_slip_of_the_keys_keeps_the_tone(background):
    """"Qyên" is Quyên with a letter dropped; "Qyền" drops it too but carries another tone: the name of
    her twin Quyền, whose record no register holds, and not a slip of Quyên's."""
    quyen = person("HAND-QUYEN", "Nguyễn Tường Quyên", Sex.FEMALE, "2001-05-15",
                   "Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang", "Âu Quế Hòa", "Nguyễn Văn Tường")
    built = _matcher_of([*background, quyen])
    slip = built.match(record_of(quyen, full_name="Nguyễn Tường Qyên", birth_date="2001"))
    assert slip.best.identity_id == quyen.record_id and "person_differs" not in slip.conflicts
    twin = built.match(record_of(quyen, full_name="Nguyễn Tường Qyền", birth_date="2001"))
    assert "person_differs" in twin.conflicts and twin.decision is not Decision.LINK


@pytest.mark.parametrize(("name", "written"), [
    # the given name lost its one vowel, and its tone with it: the missing tone is no sign of another name
    ("Lục Văn Bình", "LỤC VĂN BNH"),
    # Tâm with its first letter dropped: Am is a name, Âm with its circumflex is none
    ("Nguyễn Khánh Tâm", "Nguyễn Khánh Âm"),
])
def test_a_slip_of_the_keys_that_is_no_name_is_the_persons_own(background, name, written):
    child = person("HAND-SLIP", name, Sex.MALE, "2023-01-27", "Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang",
                   "Đỗ Thị Ngọc", "Lục Tuấn Mãi")
    built = _matcher_of([*background, child])
    result = built.match(record_of(child, full_name=written))
    assert result.best.identity_id == child.record_id and "person_differs" not in result.conflicts


@pytest.mark.parametrize("mother", ["Mrs. Hoa", "Bà Hoa", "BA HOA", "Mẹ: Hoa"])
def test_a_mother_named_by_a_title_and_her_given_name_agrees_on_the_given_name_alone(matcher, mother):
    """A caseworker writes the mother as "Bà Hoa" (Mrs. Hoa): the title is no surname to hold against
    the register's Đặng Thị Hoa."""
    result = matcher.match(record_of(VY, mother_name=mother, pid=""))
    candidate = next(c for c in result.candidates if c.identity_id == VY.record_id)
    assert next(c for c in candidate.contributions if c.field == "mother_name").level == "given_only"


@pytest.mark.parametrize("born,level", [("1994", "same"), ("2010", "same_region")])
def test_a_province_named_as_it_was_agrees_with_the_part_since_split_off(background, born, level):
    """An adoption file of 2000 says "Đắk Lắk" for a birth in Krông Nô, which has been Đắk Nông's since
    2004, as the register now writes it: the same province of birth for a child born before the split."""
    thu_anh = person("HAND-THU-ANH", "Lê Thu Anh", Sex.FEMALE, f"{born}-11-28",
                     "Xã Tân Thành, Huyện Krông Nô, Tỉnh Đắk Nông", "Dương Thị Duyên", "Lê Anh Quang")
    built = _matcher_of([*background, thu_anh])
    written = "2000-10-01" if born == "1994" else "2012-10-01"
    result = built.match(record_of(thu_anh, full_name="Lisa Thu Anh Le", birth_date=born,
                                   birth_place="Tinh Dak Lak", recorded_on=written))
    place = next(c for c in result.best.contributions if c.field == "birth_place")
    assert result.best.identity_id == thu_anh.record_id and place.level == level


def test_forenames_kept_in_order_before_the_surname_moved_last_read_the_last_as_given(background):
    """"Hoang Phuong Nguyen Le" (Lê Hoàng Phương Nguyên, the surname moved last): read surname first it
    was Hoàng … Lê, and turned round its given name was Hoàng, against Nguyên (-6 bits, person_differs)."""
    nguyen = person("HAND-NGUYEN", "Lê Hoàng Phương Nguyên", Sex.FEMALE, "2003-07-29",
                    "Phường Hương An, Thành phố Huế, Tỉnh Thừa Thiên Huế", "Nguyễn Thị Quỳnh", "Lê Hoàng Tâm")
    built = _matcher_of([*background, nguyen])
    result = built.match(record_of(nguyen, full_name="Hoang Phuong Nguyen Le", birth_date="1.1.03",
                                   birth_place="Huong An Ward, Thua Thien Hue Province",
                                   mother_name="Nguyen Thi Quynh", father_name="", recorded_on="2009-11-02"))
    given = next(c for c in result.best.contributions if c.field == "given")
    assert result.best.identity_id == nguyen.record_id and "person_differs" not in result.conflicts
    assert (given.level, given.left) == ("folded", "nguyen")  # the explanation names the word compared


def test_a_part_of_the_country_named_for_the_birthplace_tells_namesakes_apart(background):
    """An adoptee abroad knows only "North Vietnam": the namesake born in the north is the better
    candidate, one born in the Mekong Delta the worse, where the place told nothing before (unreadable)."""
    north = person("HAND-AREA-N", "Lều Thị Ngọc Trâm", Sex.FEMALE, "1986-04-02",
                   "Xã Hồng Thái, Huyện Phú Xuyên, Tỉnh Hà Tây", "Lê Thị Mai", "")
    south = person("HAND-AREA-S", "Lều Thị Ngọc Trâm", Sex.FEMALE, "1986-09-17",
                   "Xã Tân Phú, Huyện Châu Thành, Tỉnh Tiền Giang", "Trần Thị Lan", "")
    built = _matcher_of([*background, north, south])
    result = built.match(record_of(north, full_name="Tram Leu", birth_date="1986",
                                   birth_place="North Vietnam", mother_name="", father_name="", pid="",
                                   recorded_on="2015-03-01"))
    levels = {c.identity_id: next(x.level for x in c.contributions if x.field == "birth_place")
              for c in result.candidates}
    assert result.best.identity_id == north.record_id
    assert (levels[north.record_id], levels[south.record_id]) == ("in_area", "outside_area")


def test_a_date_read_month_first_counts_only_from_a_record_written_abroad(matcher):
    """03/02/2012 is 3 February in a register at home, five weeks from Vy's 9 March; an adoption file
    written abroad may mean 2 March, a week from it."""
    def date_level_of(source: str) -> str:
        record = dataclasses.replace(VY, source=source, record_id="R-1", birth_date="03/02/2012")
        best = matcher.match(record).best
        assert best.identity_id == VY.record_id
        return next(c.level for c in best.contributions if c.field == "birth_date")

    assert date_level_of("child_registry") == "same_year"
    assert date_level_of("adoption_file") == "within_days"
