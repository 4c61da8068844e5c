"""Legacy Vietnamese encodings found in old files: VNI-Windows text read as cp1252.

Before Unicode, Vietnamese was typed with VNI fonts: a base letter followed by a mark character
(Bùi is stored as "Bu" + "ø"), a few letters precomposed ("Ñ" for Đ, "ö" for ư, "ô" for ơ). Read as
ordinary cp1252 this gives the spellings seen in the source lists (surname_counts.csv: Buøi, Ñoã,
Döông, Huøynh, Laâm, Vuõ). The layout is VNI Software's VNI-Windows encoding; the table below was
written from it and cross-checked against the mapping of duydev/vietnamese-conversion (MIT).

Many of these characters are also ordinary Latin-1 letters (Søren, Müller, Peña), so a string is
decoded only when (1) it holds a character Vietnamese Unicode never uses, (2) decoding consumes every
such character, and (3) every word of the result is a possible Vietnamese syllable.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["decode_vni", "looks_vni", "SYLLABLE", "VNI_TELLTALE", "VNI_TELLTALE_PAIR", "VNI_PAIR_SECONDS"]

GRAVE, ACUTE, TILDE, HOOK, DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"

# Mark characters that follow a vowel: the combining marks they stand for.
_MARKS = {
    "ø": GRAVE, "ù": ACUTE, "û": HOOK, "õ": TILDE, "ï": DOT,
    "â": CIRCUMFLEX, "à": CIRCUMFLEX + GRAVE, "á": CIRCUMFLEX + ACUTE, "ä": CIRCUMFLEX + HOOK,
    "ã": CIRCUMFLEX + TILDE, "å": CIRCUMFLEX + DOT,
    "ê": BREVE, "è": BREVE + GRAVE, "é": BREVE + ACUTE, "ú": BREVE + HOOK, "ü": BREVE + TILDE,
    "ë": BREVE + DOT,
}
# Precomposed letters of the VNI layout.
_LETTERS = {"ñ": "đ", "ó": "ĩ", "æ": "ỉ", "ò": "ị", "ô": "ơ", "ö": "ư", "î": "ỵ"}
# Characters that Vietnamese Unicode text never contains: their presence points to VNI.
VNI_TELLTALE = frozenset("øûïåäëüñöæî" + "øûïåäëüñöæî".upper())
_VOWELS = frozenset("aeiouy")
# Pairs Vietnamese Unicode never writes but VNI does: a mark after a toneless vowel ("aâ" for â,
# "uù" for ú, "eã" for ễ). Pairs that Unicode also has (uâ in quân, oà in hoà) are left out.
VNI_TELLTALE_PAIR = re.compile("[aeoAEO][\u00e2\u00c2]|[aeiouyAEIOUY][\u00f9\u00d9\u00f5\u00d5]"
                            "|[eE][\u00e0-\u00e5\u00c0-\u00c5]")
# The second characters of those pairs: text holding none of them cannot match VNI_TELLTALE_PAIR.
VNI_PAIR_SECONDS = frozenset("\u00e2\u00c2\u00f9\u00d9\u00f5\u00d5\u00e0\u00e1\u00e2\u00e3\u00e4\u00e5"
                             "\u00c0\u00c1\u00c2\u00c3\u00c4\u00c5")

# One Vietnamese syllable, unaccented (đ kept): optional onset, 1-3 vowels, optional final
# consonant (Wikipedia "Vietnamese phonology", syllable structure). Also used by the name parser to
# tell Vietnamese syllables from Western names ("emily", "john").
SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?[aeiouy]{1,3}"
                      r"(?:ch|nh|ng|[cmnpt])?")


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
        if lower in _MARKS and out and _unaccented(out[-1][:1]) in _VOWELS:
            out[-1] += _MARKS[lower]
        elif lower in _LETTERS:
            letter = _LETTERS[lower]
            out.append(letter.upper() if ch != lower else letter)
        else:
            out.append(ch)
    decoded = unicodedata.normalize("NFC", "".join(out))
    if not VNI_TELLTALE.isdisjoint(decoded) or not SYLLABLE.fullmatch(_unaccented(decoded)):
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
