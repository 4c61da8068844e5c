"""Words typed in Telex with the input method switched off: "Nguyeenx Thij Lan", "DUWOWNG".

Vietnamese keyboards type the marks as letters: a doubled vowel for the circumflex (aa â, ee ê, oo ô),
w for the breve and the horn (aw ă, ow ơ, uw ư), dd for đ, and a last letter for the tone (s sắc,
f huyền, r hỏi, x ngã, j nặng). With the input method off, or on a system that never had it, the keys
reach the record as typed.

A slip of the keyboard writes some of the same: a doubled letter (Phaan, Caoo) or j beside h (Anj for
Anh); and English words hold ow and aw (Town, Dawn, Law). So a text is read as Telex only where one
word at least could be nothing else: uw (Dưong typed Duwowng), dd opening a word (Đạt typed Ddatj), a
doubled vowel with a tone key after it (Nguyễn typed Nguyeenx), or aw or ow closed by a consonant and a
tone key (Thắm typed Thawms, Thắng typed Thawngs); then every word of the text that
types a syllable is read so (Thij, Vawn beside it). A common Western first name (Dawn, Lee) is left as
it is, and so is a word that types no syllable (Peter, Thomas).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from linkage.vn.legacy import SYLLABLE

_TONE_KEYS = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_PAIRS = (("dd", "đ"), ("uwow", "ươ"), ("uow", "ươ"), ("aa", "â"), ("aw", "ă"), ("ee", "ê"), ("oo", "ô"),
          ("ow", "ơ"), ("uw", "ư"))
_VOWELS = frozenset("aăâeêioôơuưy")
_WORD = re.compile(r"(?i)\b[a-z]{2,}\b")
# (aw and ow then a closing consonant and a tone key: English holds awns, owns, laws, cows, never awms,
# owng, awngs)
_ONLY_TELEX = re.compile(r"uw|^dd|(?:aa|ee|oo)[a-z]*[sfrxj]$|[ao]w(?:m|ng|nh|c|ch|p|t)[sfrxj]$")
# the quick test for a text: a word holding what only Telex writes
_HINT = re.compile(r"(?i)uw|\bdd|(?:aa|ee|oo)[a-z]*[sfrxj]\b|[ao]w(?:m|ng|nh|c|ch|p|t)[sfrxj]\b")


def untelex_text(text: str) -> str:
    """`text` with its words typed in Telex written with their marks, where one word at least could be
    nothing else; otherwise `text` itself."""
    if not _HINT.search(text):  # nearly every text: one regular expression, no word split
        return text
    words = _WORD.findall(text)
    if not any(_ONLY_TELEX.search(word.lower()) and untelex(word) for word in words):
        return text
    return _WORD.sub(lambda m: untelex(m[0]) or m[0], text)


@lru_cache(maxsize=1 << 14)
def untelex(word: str) -> str | None:
    """The syllable an ASCII `word` types in Telex, in the word's case ("NGUYEENX" -> "NGUYỄN"); None
    where it types none or types only itself."""
    lower = word.lower()
    tone = ""
    if lower[-1] in _TONE_KEYS:
        tone, lower = _TONE_KEYS[lower[-1]], lower[:-1]
    for typed, letter in _PAIRS:
        lower = lower.replace(typed, letter)
    if (not tone and lower.isascii()) or not lower:
        return None
    bare = unicodedata.normalize("NFD", lower.replace("đ", "d"))
    if not SYLLABLE.fullmatch("".join(ch for ch in bare if ch.isascii())):
        return None
    from linkage.vn.names import is_western_first_name  # both import text, which imports this module
    from linkage.vn.text import normalize

    if is_western_first_name(word.lower()):
        return None
    last_vowel = max((i for i, ch in enumerate(lower) if ch in _VOWELS), default=-1)
    if last_vowel < 0:
        return None
    syllable = normalize(lower[:last_vowel + 1] + tone + lower[last_vowel + 1:])  # the tone placed anew
    if word.isupper():
        return syllable.upper()
    return syllable[:1].upper() + syllable[1:] if word[:1].isupper() else syllable
