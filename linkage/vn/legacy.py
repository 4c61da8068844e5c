"""Legacy Vietnamese encodings found in old files: VNI-Windows and TCVN3 text read as cp1252.

Before Unicode, Vietnamese was typed with VNI fonts: a base letter followed by a mark character
(Bùi is stored as "Bu" + "ø"), a few letters precomposed ("Ñ" for Đ, "ö" for ư, "ô" for ơ). Read as
ordinary cp1252 this gives the spellings seen in the source lists (surname_counts.csv: Buøi, Ñoã,
Döông, Huøynh, Laâm, Vuõ). The layout is VNI Software's VNI-Windows encoding; the table below was
written from it and cross-checked against the mapping of duydev/vietnamese-conversion (MIT).

Government offices typed the 1990s and 2000s in TCVN3 (TCVN 5712:1993 VN3, the ".Vn" fonts): one
byte per Vietnamese letter, lowercase only ("Nguyễn" is "NguyÔn", "Văn" is "V¨n"), read as cp1252 in
old spreadsheets an adoption file may come from (`decode_tcvn3`; `adapters.encodings` decodes whole
files with the same table).

Many of these characters are also ordinary Latin-1 letters (Søren, Müller, Peña), so a string is
decoded only when (1) it holds a character Vietnamese Unicode never uses, (2) decoding consumes every
such character, and (3) every word of the result is a possible Vietnamese syllable.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["decode_legacy", "decode_vni", "decode_tcvn3", "has_rhyme", "looks_vni", "SYLLABLE",
           "VNI_MARKS", "VNI_LETTERS", "VNI_TELLTALE", "VNI_TELLTALE_PAIR", "VNI_PAIR_SECONDS",
           "TCVN3_LETTERS", "TCVN3_TELLTALE", "TCVN3_CAPITALS", "TCVN3_CAPITAL_INSIDE"]

GRAVE, ACUTE, TILDE, HOOK, DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"

# Mark characters that follow a vowel: the combining marks they stand for (lowercase; `adapters.encodings`
# decodes whole VNI files with these tables too).
VNI_MARKS = {
    "ø": GRAVE, "ù": ACUTE, "û": HOOK, "õ": TILDE, "ï": DOT,
    "â": CIRCUMFLEX, "à": CIRCUMFLEX + GRAVE, "á": CIRCUMFLEX + ACUTE, "å": CIRCUMFLEX + HOOK,
    "ã": CIRCUMFLEX + TILDE, "ä": CIRCUMFLEX + DOT,
    "ê": BREVE, "è": BREVE + GRAVE, "é": BREVE + ACUTE, "ú": BREVE + HOOK, "ü": BREVE + TILDE,
    "ë": BREVE + DOT,
}
# Precomposed letters of the VNI layout (lowercase).
VNI_LETTERS = {"ñ": "đ", "ó": "ĩ", "æ": "ỉ", "ò": "ị", "ô": "ơ", "ö": "ư", "î": "ỵ"}
# Characters that Vietnamese Unicode text never contains: their presence points to VNI.
VNI_TELLTALE = frozenset("øûïåäëüñöæî" + "øûïåäëüñöæî".upper())
_VOWELS = frozenset("aeiouy")
# Pairs Vietnamese Unicode never writes but VNI does: a mark after a toneless vowel ("aâ" for â,
# "uù" for ú, "eã" for ễ, "aà" for ầ in Traàn). Pairs that Unicode also has (uâ in quân, oà in hoà)
# are left out.
VNI_TELLTALE_PAIR = re.compile("[aeoAEO][\u00e2\u00c2]|[aeiouyAEIOUY][\u00f9\u00d9\u00f5\u00d5]"
                            "|[eE][\u00e0-\u00e5\u00c0-\u00c5]|[aA][\u00e0\u00e1\u00e3\u00c0\u00c1\u00c3]")
# The second characters of those pairs: text holding none of them cannot match VNI_TELLTALE_PAIR.
VNI_PAIR_SECONDS = frozenset("\u00e2\u00c2\u00f9\u00d9\u00f5\u00d5\u00e0\u00e1\u00e2\u00e3\u00e4\u00e5"
                             "\u00c0\u00c1\u00c2\u00c3\u00c4\u00c5")

# One Vietnamese syllable, unaccented (đ kept): optional onset, 1-3 vowels, optional final
# consonant (Wikipedia "Vietnamese phonology", syllable structure). Also used by the name parser to
# tell Vietnamese syllables from Western names ("emily", "john").
_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx]"
SYLLABLE = re.compile(rf"(?:{_ONSETS})?[aeiouy]{{1,3}}(?:ch|nh|ng|[cmnpt])?")
# What a VNI word may decode to: a Vietnamese syllable, or one of the Central Highlands' names that
# Vietnamese letters write (Krông, Klông, Đắk, Lắk, Drai: a consonant and l or r, a final k). A word
# that decodes to neither stays as written.
_VNI_SYLLABLE = re.compile(rf"(?:[bdđgkp][lr]|{_ONSETS})?[aeiouy]{{1,3}}(?:ch|nh|ng|[cmnptk])?")


# Vowel groups as written without marks (Wikipedia "Vietnamese phonology", rhymes): those that end in
# a glide or in ia/ưa take no final consonant; the rest may. "Léa" and "Liam" fit the loose SYLLABLE
# shape but no Vietnamese rhyme.
_RHYME = re.compile(r"(?:ai|ao|au|ay|eo|eu|ia|iu|oi|ui|uu|ieu|yeu|oai|oay|oao|oeo|uay|uoi|uou|uya|uyu|ueu"
                    r"|y|(?:a|e|i|o|u|ie|ye|uo|ua|oa|oe|oo|ue|uy|uye)(?:ch|nh|ng|[cmnpt])?)")
_ONSET = re.compile(rf"(?:{_ONSETS})?")


def has_rhyme(bare: str) -> bool:
    """Whether unaccented lowercase letters are an onset, then a rhyme Vietnamese has: "gi" and "qu"
    may be the onset, or its consonant and the rhyme's first vowel."""
    found = _ONSET.match(bare)
    longest = found.group() if found else ""
    onsets = [longest, longest[:1]] if len(longest) == 2 and longest in ("gi", "qu") else [longest]
    return any(_RHYME.fullmatch(bare, len(onset)) for onset in onsets)


def _unaccented(word: str) -> str:
    nfd = unicodedata.normalize("NFD", word.lower().replace("đ", "\x00"))
    return "".join(c for c in nfd if not ("\u0300" <= c <= "\u036f")).replace("\x00", "đ")


def looks_vni(word: str) -> bool:
    """True when the text holds a character or pair that only VNI text has."""
    return not VNI_TELLTALE.isdisjoint(word) or bool(VNI_TELLTALE_PAIR.search(word))


def _decode_word(word: str) -> str | None:
    """The word decoded from VNI if that yields one Vietnamese syllable, else None."""
    out: list[str] = []
    for ch in word:
        lower = ch.lower()
        if lower in VNI_MARKS and out and _unaccented(out[-1][:1]) in _VOWELS:
            out[-1] += VNI_MARKS[lower]
        elif lower in VNI_LETTERS:
            letter = VNI_LETTERS[lower]
            out.append(letter.upper() if ch != lower else letter)
        else:
            out.append(ch)
    decoded = unicodedata.normalize("NFC", "".join(out))
    if not VNI_TELLTALE.isdisjoint(decoded) or not _VNI_SYLLABLE.fullmatch(_unaccented(decoded)):
        return None
    return decoded


_WORD = re.compile(r"[^\W\d_]+")


def decode_vni(text: str) -> str:
    """The text decoded from VNI-Windows when it plainly is VNI; otherwise the text unchanged.

    Evidence must come from a word that both looks like VNI and decodes into a Vietnamese syllable
    (so "Søren" is no evidence); then every word that decodes cleanly is decoded.
    """
    if VNI_TELLTALE.isdisjoint(text) and not VNI_TELLTALE_PAIR.search(text):
        return text
    decoded = {w: _decode_word(w) for w in set(_WORD.findall(text))}
    if not any(d is not None and looks_vni(w) for w, d in decoded.items()):
        return text
    return _WORD.sub(lambda m: decoded[m.group()] or m.group(), text)


# TCVN3 (VN3): the byte of each Vietnamese letter as cp1252 (or Latin-1) shows it: the toned lowercase
# vowels, đ, and the seven uppercase letters VN3 has (Ă Â Ê Ô Ơ Ư Đ). Uppercase toned letters have no
# byte: capitals were a font (.VnTimeH) over the lowercase bytes. Written from the charts of
# vietunicode.sourceforge.net/charset/; glibc's TCVN5712-1 converter writes the same bytes.
TCVN3_LETTERS = dict(zip(
    "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉËÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ®¡¢£¤¥¦§",
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĂÂÊÔƠƯĐ", strict=True))
_VIETNAMESE_LETTERS = frozenset(TCVN3_LETTERS.values()) | {v.upper() for v in TCVN3_LETTERS.values()}
# Of those characters, the ones Vietnamese Unicode text never holds: their presence points to TCVN3.
# (Ð, é in TCVN3, is more often an eth written for Đ: it is decoded with others, never alone.)
TCVN3_TELLTALE = frozenset(TCVN3_LETTERS) - _VIETNAMESE_LETTERS - {"Ð"}
_TCVN3_WORD = re.compile("(?:[^\\W\\d_]|[" + re.escape("".join(TCVN3_LETTERS)) + "])+")
# A capital byte after a small letter inside a word ("NguyÔn", "HuÕ"): in TCVN3 those bytes are small
# toned letters, and Vietnamese text puts no capital inside a word.
TCVN3_CAPITALS = frozenset(ch for ch in TCVN3_LETTERS if ch.isupper())
TCVN3_CAPITAL_INSIDE = re.compile("[a-z][" + re.escape("".join(sorted(TCVN3_CAPITALS))) + "]")
_TONES = frozenset((GRAVE, ACUTE, TILDE, HOOK, DOT))


def _decode_tcvn3_word(word: str) -> str | None:
    """The word decoded from TCVN3 if that yields one Vietnamese syllable (one tone at most), in
    capitals where its other letters are; else None."""
    decoded = "".join(TCVN3_LETTERS.get(ch, ch) for ch in word)
    tones = sum(ch in _TONES for ch in unicodedata.normalize("NFD", decoded))
    if tones > 1 or not has_rhyme(_unaccented(decoded)):
        return None
    plain = [ch for ch in word if ch.isascii() and ch.isalpha()]
    # capitals were a font over the lowercase bytes: a word typed in capitals ("NGUYÔN") is one
    return decoded.upper() if len(plain) >= 2 and all(ch.isupper() for ch in plain) else decoded


def decode_tcvn3(text: str) -> str:
    """The text decoded from TCVN3 when it plainly is TCVN3 ("NguyÔn V¨n An" -> "Nguyễn Văn An");
    otherwise the text unchanged. It must hold a telltale (or a capital byte inside a word: "NguyÔn Phó"
    is Nguyễn Phú) and no letter beyond one byte (Unicode text holds ẵ, ư: "Ðặng" is Đặng with an eth),
    and every word holding a TCVN3 byte must decode into a Vietnamese syllable ("Anaïs", "François" stay
    as written)."""
    if TCVN3_TELLTALE.isdisjoint(text) and not TCVN3_CAPITAL_INSIDE.search(text):
        return text
    if any(ord(ch) > 0xFF and ch.isalpha() for ch in text):
        return text
    decoded = {word: _decode_tcvn3_word(word) for word in _TCVN3_WORD.findall(text)
               if not TCVN3_LETTERS.keys().isdisjoint(word)}
    if not decoded or any(d is None for d in decoded.values()):
        return text
    return _TCVN3_WORD.sub(lambda m: decoded.get(m.group(), m.group()), text)


def decode_legacy(text: str) -> str:
    """The text decoded from VNI or TCVN3, whichever reads it whole; unchanged when neither does.
    Their telltales overlap (VNI's ö, TCVN3's ử), so VNI's reading must leave none behind; where both
    read it, the one that makes more of its words Vietnamese syllables wins, VNI on a tie."""
    vni = decode_vni(text)
    tcvn3 = decode_tcvn3(text)
    if vni != text and (VNI_TELLTALE | TCVN3_TELLTALE).isdisjoint(vni):
        # "NguyÔn TÊt TiÕn": VNI's Nguyơn Têt Tĩn, TCVN3's Nguyễn Tất Tiến
        return tcvn3 if tcvn3 != text and _syllables(tcvn3) > _syllables(vni) else vni
    return tcvn3 if tcvn3 != text else vni


def _syllables(text: str) -> int:
    """How many words of the text are one Vietnamese syllable."""
    return sum(has_rhyme(_unaccented(word)) for word in _WORD.findall(text))
