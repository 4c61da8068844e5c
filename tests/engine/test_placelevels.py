"""The vectorised place levels (`PlaceColumns`) equal the per-pair ones (`PairLevelCache` over `place_code`)
on every pair of a sample of places."""

from __future__ import annotations

import numpy as np

from linkage.engine.scorer import PlaceColumns, place_code
from linkage.engine.vocabulary import Vocabulary
from linkage.vn.places import PlaceLevel, resolve_place
from tests.engine.reference_levels import PairLevelCache

# old names, a split-up old province (Hà Sơn Bình: Hà Nội and Phú Thọ today), English, communes, and
# places in a part that left the province their text names (Điện Biên in Lai Châu before 2004)
SPECIAL = ("Hà Tây", "Hà Sơn Bình", "Hà Nội", "Tỉnh Phú Thọ", "HCMC", "Sông Bé", "Tỉnh Bắc Giang",
           "Tỉnh Bắc Ninh", "Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang", "Phường Tân Hòa, Tỉnh Hòa Bình",
           "Bình Dương", "Vietnam", "Lai Châu", "Xã Thanh An, Huyện Điện Biên, Tỉnh Lai Châu", "Đắk Lắk",
           "Xã Đắk Som, Huyện Đăk Glong, Tỉnh Đắk Lắk", "Điện Biên", "Đắk Nông",
           # two old communes merged into one in 2025, and a name that may be the current commune's
           "Xã Yên Trị, Huyện Yên Thủy, Tỉnh Hoà Bình", "Xã Ngọc Lương, Huyện Yên Thủy, Tỉnh Hoà Bình",
           "Xã Yên Trị, Tỉnh Hòa Bình", "Xã Yên Trị, Tỉnh Phú Thọ",
           # provinces merged in 2025 (Trà Vinh and Bến Tre into Vĩnh Long)
           "Tỉnh Trà Vinh", "Tỉnh Bến Tre", "Tỉnh Vĩnh Long", "Xã Hưng Mỹ, Tỉnh Vĩnh Long",
           # a district named alone, of the split-up Hà Sơn Bình, and a commune of another district
           "Ứng Hòa, Hà Sơn Bình", "Huyện Ứng Hòa, Thành phố Hà Nội",
           "Xã Phúc Hòa, Huyện Phúc Thọ, Tỉnh Hà Tây",
           # parts of the country named instead of a place
           "North Vietnam", "miền Nam", "Mekong Delta", "Tây Nguyên")


def test_vectorised_levels_equal_place_code_on_every_pair(background) -> None:
    places: Vocabulary = Vocabulary(None)
    texts = [*SPECIAL, *(p.birth_place for p in background[:1500])]
    for text in texts:
        places.encode(resolve_place(text) if text.strip() else None)
    assert any(p is not None and p.candidates for p in places.values)  # the split-up name is there
    columns = PlaceColumns(places.values)
    ids = np.arange(len(places.values))
    got = np.stack([columns.levels(int(a), ids) for a in ids])
    # a place id is a parsed place: "Gia Lai" agrees with itself on the province, not on a commune
    reference = PairLevelCache(places.values, place_code, self_exact=False)
    want = np.stack([reference.levels(int(a), ids) for a in ids])
    assert np.array_equal(got, want), np.argwhere(got != want)[:10].tolist()
    assert len(set(want.ravel().tolist())) >= 6  # most levels occur, missing included


def test_a_province_alone_agrees_on_the_province_not_a_commune() -> None:
    """"Gia Lai" and a commune of Gia Lai the tables do not resolve parse to one place id: the same
    province, which a namesake shares, not the same commune (`matcher.singles_out` counts a commune)."""
    place = resolve_place("Gia Lai")
    assert place is not None and not place.commune_code
    columns = PlaceColumns([None, place])
    assert columns.levels(1, np.array([1]))[0] == PlaceLevel.SAME


def test_a_part_of_the_country_holds_the_places_in_it() -> None:
    """"North Vietnam" (the Red River Delta and the northern midlands and mountains) holds Hà Nội and Cao
    Bằng, not Cần Thơ; "Central Vietnam" holds Huế and the Central Highlands."""
    north, central = resolve_place("North Vietnam"), resolve_place("Central Vietnam")
    places = [None, north, central, *(resolve_place(t) for t in ("Hà Nội", "Tỉnh Cao Bằng", "Cần Thơ",
                                                                 "Thừa Thiên Huế", "Tỉnh Gia Lai"))]
    columns = PlaceColumns(places)
    inside, outside = PlaceLevel.IN_AREA, PlaceLevel.OUTSIDE_AREA
    assert columns.levels(1, np.arange(3, 8)).tolist() == [inside, inside, outside, outside, outside]
    assert columns.levels(2, np.arange(3, 8)).tolist() == [outside, outside, outside, inside, inside]
