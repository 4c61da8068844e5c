"""Blocking keys are the same in every process: a snapshot or a Spark executor depends on it."""

import dataclasses
import os
import subprocess
import sys

from linkage.domain import PersonRecord, Sex
from linkage.engine.features import Encoder
from linkage.engine.keys import identity_keys, record_keys

SCRIPT = (
    "from linkage.domain import PersonRecord\n"
    "from linkage.engine.features import Encoder\n"
    "from linkage.engine.keys import identity_keys, record_keys\n"
    "e = Encoder().encode(PersonRecord(source='child_registry', record_id='r', full_name='Nguyễn Thị Lan',"
    " birth_date='2010-03-04', sex='F', birth_place='Hà Nội', mother_name='Trần Thị Hoa', pid=''))\n"
    "print(sorted(identity_keys(e)), sorted(record_keys(e)))\n"
)


def _keys_with_hash_seed(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True,
                          check=True).stdout


def _meets(registered: PersonRecord, written: PersonRecord) -> bool:
    """Whether the record looks up a key the identity is filed under."""
    encoder = Encoder()
    return bool(identity_keys(encoder.encode(registered)) & record_keys(encoder.encode(written)))


def test_keys_do_not_depend_on_the_hash_seed():
    first = _keys_with_hash_seed("1")
    assert first.strip() and first == _keys_with_hash_seed("2")


def test_a_record_that_does_not_say_the_sex_meets_identities_of_either_sex():
    """An unnamed foundling with an estimated age and a province, sex not recorded: its province, sex and
    year keys are looked up for both sexes."""
    encoder = Encoder()
    girl = encoder.encode(PersonRecord(source="population", record_id="P-1", full_name="Trần Thị Hải Dung",
                                       sex=Sex.FEMALE, birth_date="2009-11-24", birth_place="Tỉnh Bắc Ninh",
                                       mother_name="", father_name=""))
    found = encoder.encode(PersonRecord(source="abandoned_intake", record_id="AI-1", full_name="Chưa đặt tên",
                                        sex=Sex.UNKNOWN, birth_date="khoảng 5 tháng tuổi",
                                        birth_place="Tỉnh Bắc Ninh", mother_name="", father_name="",
                                        recorded_on="2010-04-09"))
    assert identity_keys(girl) & record_keys(found)


def test_a_name_written_without_the_womens_prefix_meets_the_registered_name():
    """Ê Đê and Jarai women's names carry H' (H'Dung Niê), which records drop: with the date a few days
    off and no parents, the given name's blocks are all that is left, and the prefix must not split them
    (it also hid the onset: d merges with gi and r in the key, h'd did not)."""
    registered = PersonRecord(
        source="population", record_id="P-1", full_name="H'Dung Niê", sex=Sex.FEMALE, birth_date="2009-03-31",
        birth_place="Xã Quảng Phú, Huyện Krông Nô, Tỉnh Đắk Nông", mother_name="H'Hen Ktla",
        father_name="Y Yơn Niê")
    written = dataclasses.replace(registered, source="trace_request", record_id="TR-1", full_name="Dung Niê",
                                  birth_date="5 April 2009", mother_name="", father_name="")
    assert _meets(registered, written)


def test_a_renamed_foundling_whose_father_is_not_named_meets_its_identity_through_its_mother():
    """A centre's name, the mother named in full, an estimated age, no place and no father: the register
    gave the child the father's surname (Huỳnh), which the record cannot say, so the mother's key is
    tried beside each common surname."""
    encoder = Encoder()
    registered_record = PersonRecord(
        source="population", record_id="P-1", full_name="Huỳnh Thị Thúy Vy", sex=Sex.FEMALE,
        birth_date="2012-03-09", birth_place="Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang",
        mother_name="Đặng Thị Hoa", father_name="Huỳnh Văn Đức")
    registered = encoder.encode(registered_record)
    found = PersonRecord(source="abandoned_intake", record_id="AI-1", full_name="Lê Minh Anh", sex=Sex.FEMALE,
                         birth_date="khoảng 15 ngày tuổi", recorded_on="2012-03-25", birth_place="",
                         mother_name="Đặng Thị Hoa", father_name="")
    assert identity_keys(registered) & record_keys(encoder.encode(found))
    # a surname one person in three hundred carries (Lâm) is tried too
    lam = encoder.encode(dataclasses.replace(registered_record, full_name="Lâm Xuân Loan",
                                             father_name="Lâm Văn Đức"))
    assert identity_keys(lam) & record_keys(encoder.encode(found))
    # a child registry record names the child itself: its own surname is the one to try
    registry = dataclasses.replace(found, source="child_registry", recorded_on="")
    assert not identity_keys(registered) & record_keys(encoder.encode(
        dataclasses.replace(registry, birth_date="2012-03")))


def test_a_name_parsed_western_also_looks_up_its_surname_first_reading():
    """"Nguyên Văn Hoàng" (Nguyễn, its ngã lost: Nguyên is a given name) ends in a commoner surname than
    it opens with, so it is parsed Western (Hoàng). Without a date or parents, the token pairs' blocks
    are too big to read (every Nguyễn Hoàng); the blocks filed by surname, given name and province, and
    by given name, province and sex, must be read with the surname-first reading too."""
    encoder = Encoder()
    registered = encoder.encode(PersonRecord(
        source="population", record_id="P-1", full_name="Nguyễn Văn Hoàng", sex=Sex.MALE,
        birth_date="2006-06-09", birth_place="Xã Kỳ Hải, Huyện Kỳ Anh, Tỉnh Hà Tĩnh", mother_name="",
        father_name=""))
    written = encoder.encode(PersonRecord(
        source="adoption_file", record_id="AF-1", full_name="Nguyên Văn Hoàng", sex=Sex.MALE, birth_date="",
        birth_place="Tỉnh Hà Tĩnh", mother_name="", father_name=""))
    assert written.name.order == "western"
    unordered_pairs = identity_keys(dataclasses.replace(registered, place=None))  # what no province files
    assert (identity_keys(registered) - unordered_pairs) & record_keys(written)


def test_a_record_naming_a_province_since_split_meets_identities_in_each_province_it_became():
    """"Sông Bé" (1976-1997) is now Bình Dương or Bình Phước: with no date and an adoptive first name, the
    given name and the province are the record's blocks, so it tries each."""
    encoder = Encoder()
    registered = encoder.encode(PersonRecord(
        source="population", record_id="P-1", full_name="Nguyễn Vũ Huy", sex=Sex.MALE,
        birth_date="1989-08-01", birth_place="Phường Hòa Lợi, Thành phố Bến Cát, Tỉnh Bình Dương",
        mother_name="", father_name=""))
    written = PersonRecord(source="trace_request", record_id="TR-1", full_name="David Huy Nguyen",
                           sex=Sex.MALE, birth_date="", birth_place="T. Song Be", mother_name="",
                           father_name="")
    # (the name alone meets it too, in a block of every Huy Nguyễn: too large to read at scale)
    by_place = record_keys(encoder.encode(written)) - record_keys(encoder.encode(
        dataclasses.replace(written, birth_place="")))
    assert identity_keys(registered) & by_place


def test_a_record_known_by_a_nickname_meets_its_identity_through_its_commune_and_year():
    """"Cun", born 09/2000 in Quỳnh Hậu: no name part of the register's, but a commune holds few people
    born in one year."""
    encoder = Encoder()
    registered = encoder.encode(PersonRecord(
        source="population", record_id="P-1", full_name="Trần Văn Duy", sex=Sex.MALE, birth_date="2000-09-01",
        birth_place="Xã Quỳnh Hậu, Huyện Quỳnh Lưu, Tỉnh Nghệ An", mother_name="", father_name=""))
    written = PersonRecord(source="trace_request", record_id="TR-1", full_name="Cun", sex=Sex.MALE,
                           birth_date="09/2000", birth_place="Xa Quynh Hau, Tinh Nghe An", mother_name="",
                           father_name="")
    by_commune = record_keys(encoder.encode(written)) - record_keys(encoder.encode(
        dataclasses.replace(written, birth_place="Tinh Nghe An")))
    assert identity_keys(registered) & by_commune


def test_a_mother_named_by_her_given_name_alone_meets_the_registered_mother():
    """A trace request remembers the mother as "Vui", the register holds Trần Thị Vui; the child's given
    name is misspelt (Tin for Tiên) and the date unknown: surname and mother's given name are left."""
    encoder = Encoder()
    registered = encoder.encode(PersonRecord(
        source="population", record_id="P-1", full_name="Trần Thị Tiên", sex=Sex.FEMALE,
        birth_date="1980-03-27", birth_place="Phường Ngô Quyền, Thành phố Vĩnh Yên, Tỉnh Vĩnh Phú",
        mother_name="Trần Thị Vui", father_name="Trần Văn Thông"))
    written = PersonRecord(source="trace_request", record_id="TR-1", full_name="Thị Tin Trần", sex=Sex.FEMALE,
                           birth_date="", birth_place="", mother_name="Vui", father_name="")
    # (the token pairs meet it too, in blocks of every Trần Thị: too large to read)
    by_mother = record_keys(encoder.encode(written)) - record_keys(encoder.encode(
        dataclasses.replace(written, mother_name="")))
    assert identity_keys(registered) & by_mother


def test_a_birth_year_misstated_by_two_still_meets_the_identity_through_its_names():
    """Adoption papers often made a child two years younger or older: "Lau Mi The, 2001" for Lầu Mí Thề,
    born 2003, with no place and no parents. Every key with a year misses; a pair of his names is a small
    block without it."""
    registered = PersonRecord(
        source="population", record_id="P-1", full_name="Lầu Mí Thề", sex=Sex.MALE, birth_date="2003-05-14",
        birth_place="Xã Pả Vi, Huyện Mèo Vạc, Tỉnh Hà Giang", mother_name="Giàng Thị Say",
        father_name="Lầu Văn Dế")
    written = PersonRecord(source="trace_request", record_id="TR-1", full_name="Lau Mi The", sex=Sex.MALE,
                           birth_date="2001")
    assert _meets(registered, written)


def test_a_foundling_known_only_by_its_age_in_days_meets_the_births_of_those_days():
    """"Bé trai, 4 ngày tuổi", no place: a centre's name and an age are all its record holds; the boys born
    on each day the age allows are looked up (not the girls, nor the boys born a year earlier)."""
    boy = PersonRecord(source="population", record_id="P-1", full_name="Trần Chí Hùng", sex=Sex.MALE,
                       birth_date="2026-06-27", birth_place="Xã Nhơn Ninh, Tỉnh Tây Ninh")
    found = PersonRecord(source="abandoned_intake", record_id="AI-1", full_name="Bé trai", sex=Sex.MALE,
                         birth_date="4 ngày tuổi", recorded_on="2026-06-30")
    assert _meets(boy, found)
    girl, a_year_older = (dataclasses.replace(boy, sex=Sex.FEMALE),
                          dataclasses.replace(boy, birth_date="2025-06-27"))
    for other in (girl, a_year_older):
        assert not _meets(other, found)


def test_a_child_known_by_a_nickname_meets_its_identity_through_its_mothers_name():
    """"Nhoc", born 2003 in Quảng Bình, whose mother was Hoa: no name of the child's own, no commune; the
    mother's given name with the province and the year is what is left."""
    registered = PersonRecord(
        source="population", record_id="P-1", full_name="Nguyễn Thị Kim Diệu", sex=Sex.FEMALE,
        birth_date="2003-10-05", birth_place="Xã Hiền Ninh, Huyện Quảng Ninh, Tỉnh Quảng Bình",
        mother_name="Nguyễn Hoa", father_name="Nguyễn Quang Minh")
    written = PersonRecord(source="trace_request", record_id="TR-1", full_name="Nhoc", birth_date="2003",
                           birth_place="Tinh Quang Binh", mother_name="Hoa")
    assert _meets(registered, written)
    assert not _meets(registered, dataclasses.replace(written, mother_name=""))
