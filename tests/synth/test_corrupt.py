"""Single corruptions, checked on known inputs."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

from linkage.synth.corrupt import (
    Damage,
    damage_date,
    damage_name,
    estimated_age,
    pid_typo,
    sound_merger,
    swap_i_y,
)
from linkage.synth.names import Name
from linkage.synth.places import place_at_birth, province_as_of
from linkage.synth.reference import load_reference
from linkage.synth.script import composite, fold, mojibake, move_tone_oa_oe_uy, swap_hoi_nga


def test_script_operations():
    assert fold("Đặng Thị Thuý") == "Dang Thi Thuy"
    assert move_tone_oa_oe_uy("hòa") == "hoà" and move_tone_oa_oe_uy("thuý") == "thúy"
    assert move_tone_oa_oe_uy("hoàn") == "hoàn" and move_tone_oa_oe_uy("quý") == "quý"
    assert swap_hoi_nga("Vũ") == "Vủ" and swap_hoi_nga("Lan") == "Lan"
    assert mojibake("Nguyễn") == "Nguyá»…n"
    mixed = composite("Nguyễn")
    assert mixed != unicodedata.normalize("NFC", mixed) and unicodedata.normalize("NFC", mixed) == "Nguyễn"
    assert swap_i_y("Lý") == "Lí" and swap_i_y("Mĩ") == "Mỹ" and swap_i_y("Thị") == "Thị"


def test_sound_merger_stays_within_real_mergers():
    rnd = random.Random(0)
    seen = {sound_merger("Trần", rnd) for _ in range(50)}
    assert seen <= {"Chần", "Trầng"} and seen
    assert {sound_merger("Nguyễn", rnd) for _ in range(20)} == {"Nguyển"}  # no "Nguyễng"
    assert {sound_merger("Đức", rnd) for _ in range(20)} <= {"Đức", "Đứt"}  # đ merges with no onset


def test_western_orders_and_adoptive_names():
    name = Name("Nguyễn", "Thị", "Lan")
    def write(rates):
        return damage_name(name, False, Damage(random.Random(1), rates))
    assert write({"western_order": 1.0}) == "Lan Thị Nguyễn"
    assert write({"surname_first_caps": 1.0}) == "NGUYỄN Thị Lan"
    assert write({"surname_last_caps": 1.0}).endswith("NGUYỄN")
    assert write({"surname_comma": 1.0}) == "NGUYỄN, Lan Thị"
    assert write({"family_field_last": 1.0}) in ("Lan NGUYỄN THỊ", "Lan Nguyễn Thị")
    adopted = write({"adoptive_first_name": 1.0, "strip_diacritics": 1.0})
    assert adopted.split()[1:] in (["Lan", "Nguyen"], ["Lan", "Thi", "Nguyen"])
    # an old file typed in a .VnTime font (TCVN3), read as cp1252: glibc's bytes
    assert write({"tcvn3": 1.0}) == "NguyÔn ThÞ Lan"
    comma = write({"adoptive_first_name": 1.0, "surname_comma": 1.0})  # "Last, First Middle"
    assert comma.startswith("NGUYỄN, ") and comma.split()[2:] in (["Lan"], ["Lan", "Thị"])
    d = Damage(random.Random(1), {"strip_diacritics": 1.0, "all_caps": 1.0, "drop_middle": 1.0})
    assert damage_name(name, False, d) == "NGUYEN LAN"
    assert d.applied == ["drop_middle", "strip_diacritics", "all_caps"]


def test_central_highlands_names_keep_their_order():
    name = Name("Niê", "H'", "Hen", "ede")
    assert name.full == "H'Hen Niê"
    assert damage_name(name, False, Damage(random.Random(1), {"western_order": 1.0})) == "H'Hen Niê"


def test_dates():
    born = dt.date(2001, 5, 3)
    assert damage_date(born, Damage(random.Random(1), {})) == "2001-05-03"
    assert damage_date(born, Damage(random.Random(1), {"date_day_month_swap": 1.0})) == "2001-03-05"
    assert damage_date(born, Damage(random.Random(1), {"date_format_us": 1.0})) == "05/03/2001"
    assert damage_date(born, Damage(random.Random(1), {"date_year_only": 1.0})) == "2001"
    assert damage_date(born, Damage(random.Random(1), {"date_missing": 1.0})) == ""
    text = estimated_age(born, born + dt.timedelta(days=90), random.Random(2))
    assert "tháng" in text or "months" in text


def test_pid_typo_changes_one_digit_or_swaps_two():
    rnd = random.Random(4)
    for _ in range(200):
        typo = pid_typo("001205123456", rnd)
        diff = [i for i, (a, b) in enumerate(zip(typo, "001205123456", strict=True)) if a != b]
        assert len(typo) == 12 and 1 <= len(diff) <= 2


def test_province_history():
    ref = load_reference()
    ha_dong = next(i for i, c in enumerate(ref.communes) if c.district_full == "Quận Hà Đông")
    assert province_as_of(ref.communes[ha_dong], dt.date(2005, 1, 1)) == "Tỉnh Hà Tây"
    assert province_as_of(ref.communes[ha_dong], dt.date(2010, 1, 1)) == "Thành phố Hà Nội"
    assert province_as_of(ref.communes[ha_dong], dt.date(1990, 1, 1)) == "Tỉnh Hà Sơn Bình"
    bac_ninh = int(ref.communes_by_province["27"][0])
    assert place_at_birth(ref, bac_ninh, dt.date(1995, 1, 1)).endswith("Tỉnh Hà Bắc")
    assert "Huyện" not in place_at_birth(ref, bac_ninh, dt.date(2025, 9, 1))
