"""A phonetic key for Vietnamese syllables, so that misspellings by ear meet.

English soundex/metaphone know nothing of Vietnamese. This key encodes the regional sound mergers
that clerks write down (SOURCES.md "What is known about how names change"; Wikipedia "Vietnamese
phonology", sections on Northern, Central and Southern dialects):
  onsets:  d = gi = r = v (North merges d/gi/r; South merges v with d/gi), s = x, ch = tr,
           l = n (speakers of the Red River Delta confuse them, "nói ngọng": Lê written Nê, Nam as Lam),
           c = k = q, ng = ngh, g = gh, ph = f
  rhymes:  final n = ng = nh, final c = t = ch, i = y as a whole rhyme (Lý/Lí) and iê = yê;
           vowel quality marks are dropped (a/ă/â, e/ê, o/ô/ơ, u/ư), since folded records lack them.
  slips:   a doubled letter counts once (Dinnh = Dinh).
  tones:   ignored by the key; `tone_class` gives the tone with hỏi and ngã merged, which the
           comparison checks separately (a folded record has no tone to check).
Đ is kept apart from d: đ is /d/, d is /z/, and no dialect merges them. English spellings of that /z/
(Zung, Dzung: Dung, as southern papers and the diaspora write it) are d.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from linkage.vn.text import HOOK, TILDE, TONE_MARKS, normalize

__all__ = ["phonetic_key", "tone_class", "bare_letters"]

# Longest onsets first. Values are the merged class written with one letter.
_ONSETS = (
    ("ngh", "G"), ("ng", "G"), ("gh", "g"), ("gi", "Z"), ("nh", "N"), ("ch", "C"), ("tr", "C"),
    ("kh", "X"), ("ph", "f"), ("th", "T"), ("qu", "Kw"), ("dz", "Z"), ("d", "Z"), ("z", "Z"), ("r", "Z"),
    ("v", "Z"), ("s", "S"), ("x", "S"), ("c", "K"), ("k", "K"), ("q", "K"), ("đ", "D"), ("b", "b"),
    ("g", "g"), ("h", "h"), ("l", "n"), ("m", "m"), ("n", "n"), ("p", "p"), ("t", "t"), ("f", "f"),
)
_FINALS = (("ng", "N"), ("nh", "N"), ("ch", "T"), ("n", "N"), ("c", "T"), ("t", "T"))
_VOWEL = re.compile(r"[aeiouy]")


def bare_letters(syllable: str) -> str:
    """Lowercase letters without any mark but đ kept."""
    nfd = unicodedata.normalize("NFD", syllable.replace("đ", "\x00"))
    return "".join(c for c in nfd if not ("\u0300" <= c <= "\u036f")).replace("\x00", "đ")


_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)  # a few thousand syllables make every name
def _syllable_key(syllable: str) -> str:
    # a doubled letter is a keyboard slip (Dinnh, Chuyeen): no Vietnamese spelling doubles one but the
    # rare oo of xoong, which the key may fold into o
    s = _DOUBLED.sub(r"\1", bare_letters(syllable))
    onset = ""
    for spelled, merged in _ONSETS:
        if s.startswith(spelled):
            # "gi" before a consonant or alone is g + the vowel i (gìn): onset g, rhyme i...
            if spelled == "gi" and not _VOWEL.match(s[2:3] or "x"):
                onset, s = "Z", "i" + s[2:]
            else:
                onset, s = merged, s[len(spelled):]
                if spelled == "gi" and s.startswith("e"):
                    s = "i" + s  # gi + iê is written giê: giệu = diệu
            break
    rhyme = s
    for spelled, merged in _FINALS:
        if rhyme.endswith(spelled) and len(rhyme) > len(spelled):
            rhyme = rhyme[: -len(spelled)] + merged
            break
    if rhyme == "y":
        rhyme = "i"
    elif rhyme.startswith("ye"):
        rhyme = "ie" + rhyme[2:]
    return onset + rhyme


@lru_cache(maxsize=1 << 16)
def phonetic_key(syllable: str) -> str:
    """Key of a syllable or of several (keys joined by spaces); toned or folded input."""
    return " ".join(_syllable_key(part) for part in normalize(syllable).split())


@lru_cache(maxsize=1 << 16)
def tone_class(syllable: str) -> str:
    """Tone marks of the syllables ("" = level tone), with hỏi written as ngã (they merge)."""
    out = []
    for part in normalize(syllable).split():
        tone = next((c for c in unicodedata.normalize("NFD", part) if c in TONE_MARKS), "")
        out.append(TILDE if tone == HOOK else tone)
    return "|".join(out)
