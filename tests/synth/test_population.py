"""The synthetic population looks like a Vietnamese register: shares, families, twins, numbers."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter

import numpy as np

from linkage.synth.names import KINH
from linkage.synth.population import generate_population
from linkage.synth.reference import REFERENCE_SURNAME_SHARES, load_reference


def test_same_seed_same_population_other_seed_other_population():
    a, b, c = generate_population(3000, 5), generate_population(3000, 5), generate_population(3000, 6)
    assert list(a.csv_rows()) == list(b.csv_rows())
    assert list(a.csv_rows()) != list(c.csv_rows())


def test_exact_size_and_ids(population):
    assert len(population) == 60_000
    assert population.identity_id[0] == "P0000001"
    assert len(set(population.identity_id)) == len(population)


def test_surname_shares_close_to_reference(population):
    kinh = population.style == KINH
    counts = Counter(population.surname[kinh].tolist())
    total = int(kinh.sum())
    for key, share in REFERENCE_SURNAME_SHARES.items():
        observed = sum(counts[s] for s in key.split("|")) / total * 100
        assert abs(observed - share) < max(0.6, share * 0.06), (key, observed, share)


def test_huynh_and_vo_are_southern(population):
    code = np.array([int(p[:3]) for p in population.pid])
    north, south = code <= 37, code >= 70
    def share(mask, a, b):
        names = Counter(population.surname[mask].tolist())
        return names[a] / max(names[a] + names[b], 1)
    assert share(north, "Huỳnh", "Hoàng") < 0.15 < 0.6 < share(south, "Huỳnh", "Hoàng")
    assert share(north, "Võ", "Vũ") < 0.15 < 0.6 < share(south, "Võ", "Vũ")


def test_common_names_recur_by_the_dozen(population):
    top = Counter(population.full_name).most_common(5)
    assert top[0][1] >= 40, top


def test_thi_is_common_for_older_women_and_rarer_later(population):
    years = population.birth.astype("datetime64[Y]").astype(int) + 1970
    women = ~population.male & (population.style == KINH)
    def thi_share(mask):
        mids = population.middle[mask]
        return np.mean([m.split()[:1] == ["Thị"] for m in mids])
    assert thi_share(women & (years < 1975)) > 0.75
    assert thi_share(women & (years >= 2015)) < 0.5


def test_minority_names_in_their_provinces(population):
    styles = Counter(population.style.tolist())
    share = 1 - styles[KINH] / len(population)
    assert 0.01 < share < 0.08
    ede = [population.full_name[i] for i in np.flatnonzero(population.style == "ede")]
    assert ede and all(n.startswith(("Y ", "H'")) for n in ede)
    hmong = np.flatnonzero(population.style == "hmong")
    assert all(population.pid[i][:3] in {"002", "010", "011", "012", "014", "015"} for i in hmong)


def test_birth_dates_span_ninety_years():
    pop = generate_population(20_000, 3)
    years = pop.birth.astype("datetime64[Y]").astype(int) + 1970
    assert years.min() >= 1936 and years.max() <= 2026
    assert (years < 1960).mean() > 0.03 and (years >= 2010).mean() > 0.1


def test_twins_share_parents_date_place_but_not_given_name(population):
    twins = np.flatnonzero(population.twin >= 0)
    assert 0.01 <= len(twins) / len(population) <= 0.025
    for i in twins[:300].tolist():
        j = int(population.twin[i])
        assert population.twin[j] == i
        assert population.birth[i] == population.birth[j]
        assert population.mother[i] == population.mother[j] and population.father[i] == population.father[j]
        assert population.birth_place[i] == population.birth_place[j]
        assert population.full_name[i] != population.full_name[j]


def test_siblings_share_parents(population):
    sizes = Counter(population.family.tolist())
    families = [f for f, n in sizes.items() if n >= 3][:200]
    assert len(families) == 200
    for f in families:
        members = np.flatnonzero(population.family == f)
        assert len({population.mother[i] for i in members}) == 1
        assert len({population.birth[i] for i in members}) >= 2


def test_personal_numbers_unique_and_well_formed(population):
    codes = {f"0{c}" for c in load_reference().province_codes}
    assert len(set(population.pid)) == len(population)
    for i in range(0, len(population), 7):
        pid = population.pid[i]
        born: dt.date = population.birth_date(i)
        assert len(pid) == 12 and pid.isdigit()
        assert pid[:3] in codes
        century = 0 if born.year < 2000 else 2
        assert int(pid[3]) == century + (0 if population.male[i] else 1)
        assert pid[4:6] == f"{born.year % 100:02d}"


def test_text_is_nfc_without_eth(population):
    for text in population.full_name[:5000] + [m.full for m in population.mother[:5000]]:
        assert unicodedata.is_normalized("NFC", text)
        assert "\u00d0" not in text


def test_places_are_written_as_at_birth(population):
    years = population.birth.astype("datetime64[Y]").astype(int) + 1970
    places = np.array(population.birth_place, dtype=object)
    assert any("Tỉnh Hà Tây" in p for p in places[years < 2008])
    assert not any("Tỉnh Hà Tây" in p for p in places[years >= 2009])
    assert not any("Huyện" in p or "Quận" in p for p in places[years == 2026])
