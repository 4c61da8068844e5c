"""Properties of normalisation and parsing that must hold for any input (hypothesis)."""

from __future__ import annotations

import unicodedata

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from linkage.vn import names
from linkage.vn.names import parse_name
from linkage.vn.text import fold, normalize

VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
    "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ"
)
NOISE = " \t,.-'’Ð\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b0123456789ÃÄÆ»…‘"
VNI_CHARS = "øùûõïâàáäãåêèéúüëñóæòôöîØÙÛÕÏÑÖ"  # legacy VNI marks, also ordinary Latin-1 letters
TCVN3_CHARS = "µ¸¶·¹¨»¾¼½ÆÇÈÉËÌÐÎÏÑÒÓÔÕÖ×ÝØÜÞß«¬\xad®¡¢£¤¥¦§"  # legacy TCVN3 letters
names_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE_LETTERS + NOISE + VNI_CHARS + TCVN3_CHARS + "fjwzEMILY"), max_size=40
)
word = st.text(alphabet=st.sampled_from(VIETNAMESE_LETTERS), min_size=1, max_size=7)
name_like = st.lists(word, min_size=1, max_size=5).map(" ".join)
any_text = st.text(max_size=30)


@settings(max_examples=400, deadline=None)
@given(st.one_of(names_text, name_like, any_text))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=400, deadline=None)
@given(st.one_of(names_text, name_like, any_text))
def test_nfc_and_nfd_input_give_the_same_result(text: str) -> None:
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(unicodedata.normalize("NFC", text))


@settings(max_examples=400, deadline=None)
@given(st.one_of(names_text, name_like, any_text))
def test_toned_and_folded_forms_are_consistent(text: str) -> None:
    assert fold(normalize(text)) == fold(text)
    assert fold(fold(text)) == fold(text)


@settings(max_examples=300, deadline=None)
@given(name_like)
def test_fold_of_vietnamese_letters_is_ascii(text: str) -> None:
    assert fold(text).isascii()


@settings(max_examples=400, deadline=None)
@given(st.one_of(names_text, name_like))
@example("B0B0RCOM")  # a repeated token set aside twice, once kept as the given name
@example("Lyly")  # a given name written as one word is split in two (Ly Ly), nothing lost
@example("A0tH0A")  # a middle name one slip from Thị ("th") is read as Thị, the token kept as written
def test_parsing_never_loses_a_token(text: str) -> None:
    # words that say what a name is are read, not kept: "née", "alias", "Con bà", "Ng." for Nguyễn, a
    # form's label ("Mẹ:"), a note of age, year or role after it (", 35 tuổi", "- mẹ") or in brackets
    # ("(đã mất)"), a middle initial ("Nguyen H. Du")
    assume(not any(marker.search(text) for marker in (names._BIRTH_NAME, names._ALIAS_WORD,
                                                      names._NGUYEN_ABBREVIATED, names._CHILD_OF,
                                                      names._FIELD_LABEL, names._NOTE_AFTER,
                                                      names._ROLE_AFTER, names._BRACKETED_NOTE,
                                                      names._INITIAL)))
    parsed = parse_name(text)
    # the tokens as written, save a two-syllable given name written as one word, which is split
    assert "".join(parsed.tokens) == "".join(normalize(text).split())
    assert len(parsed.tokens) >= len(normalize(text).split())
    # a middle name one slip from Thị or Văn and no name ("Tih", "th") is read as it (`_slipped_marker`)
    middle = [next((t for t in parsed.tokens if names._slipped_marker(t) == m and t != m), m)
              if m in names.MIDDLE_MARKERS and m not in parsed.tokens else m for m in parsed.middle]
    parts = (
        parsed.surname.split()
        + middle
        + ([parsed.given] if parsed.given else [])
        + list(parsed.other)
    )
    assert sorted(parts) == sorted(parsed.tokens)


marker = st.sampled_from(["née", "né", "born", "alias", "còn gọi là", "Con bà", "CB", "Baby of", "(", ")",
                          ",", "Ng.", "Ng", "tên khai sinh:", "Bé gái"])
name_with_markers = st.lists(st.one_of(word, marker), max_size=8).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(name_with_markers, names_text))
@example("Saigon born Dupont")  # once re-read itself without end
def test_parsing_any_arrangement_of_names_and_markers_ends(text: str) -> None:
    parsed = parse_name(text)
    assert set(parsed.surname.split()) | set(parsed.middle) | {parsed.given} - {""} <= set(parsed.tokens)


@settings(max_examples=200, deadline=None)
@given(name_like)
def test_normalize_output_is_lowercase_nfc_single_spaced(text: str) -> None:
    out = normalize(text)
    assert out == unicodedata.normalize("NFC", out)
    assert out == out.lower()
    assert "  " not in out and out == out.strip()
