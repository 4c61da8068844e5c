"""Normalising Vietnamese text: one canonical spelling per written name, and a weaker ASCII fold.

Why a canonical form and not just NFC: the same name reaches us as NFC, NFD, "composite" Unicode (a
precomposed vowel plus a combining tone), with the tone mark in the old or the new place (hòa/hoà,
thúy/thuý, khỏe/khoẻ), with Ð (Icelandic eth) for Đ, and as UTF-8 that was read as cp1252
("Nguyá»…n"). A clerk sees one name in all of these; so must the matcher, *without* throwing the tone
marks away, because they carry most of the evidence (Lan and Lân are different names).

Canonical tone placement is the traditional one (hòa, thúy, khỏe), the style of the 2025 reference
data and of most records (spelling_variants_observed.csv: hòa 307 vs hoà 68, thúy 1103 vs thuý 200).
Rules, from the Vietnamese orthography (Wikipedia "Vietnamese alphabet", section "Tone marks"):
  1. the vowel with a quality mark (â ă ê ô ơ ư) takes the tone; in ươ the ơ;
  2. otherwise, when a final consonant follows, the last vowel of the nucleus;
  3. otherwise the first of two vowels (ai, ao, oa, oe, uy...) or the middle of three (oai, uya...);
  the u of "qu" and the i of "gi" (before another vowel) belong to the onset and never take it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalize", "fold", "name_tokens", "NameToken", "tone_of", "strip_tone", "is_folded"]

# Combining marks that Vietnamese uses.
GRAVE, ACUTE, TILDE, HOOK, DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
TONE_MARKS = (GRAVE, ACUTE, TILDE, HOOK, DOT)
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
# Deprecated duplicates that some legacy converters emit.
_MARK_ALIASES = {"\u0340": GRAVE, "\u0341": ACUTE}
# Which quality marks a base vowel may carry in Vietnamese; any other pairing is dropped.
_VALID_QUALITY = {("a", CIRCUMFLEX), ("a", BREVE), ("e", CIRCUMFLEX), ("o", CIRCUMFLEX), ("o", HORN),
                  ("u", HORN)}
_VOWELS = frozenset("aeiouy")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'",
                              "\u02b9": "'", "\u2032": "'"})
# Ð (U+00D0, eth) and its lowercase ð stand for Đ/đ in several Vietnamese lists (SOURCES.md);
# U+0189 (African D) is another look-alike.
_D_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110",
                               "\u0256": "\u0111"})

# Titles dropped when they open a name. English ones always; Vietnamese ones only when at least two
# name tokens would remain, because several of them are also given names or surnames (Bé, Ông).
_TITLES_ALWAYS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "mme", "mlle", "mister", "madam",
                            "sr", "sister", "fr", "rev"})
_TITLES_VI = frozenset({"ông", "bà", "cụ", "cháu", "bé", "anh", "chị", "em", "cô", "chú", "sơ"})
# "anh", "em", "cô", "chú" are titles only when written with a full stop or colon ("Anh: ...")
# elsewhere they are names; they are handled like the others but need that marker.
_TITLES_VI_MARKED_ONLY = frozenset({"anh", "chị", "em", "cô", "chú", "sơ"})

# Hints that a string is UTF-8 that was decoded as cp1252/latin-1.
_MOJIBAKE_HINT = re.compile("[\u00c3\u00c2\u00c4\u00c5\u00c6\u00e1\u00e2][\u0080-\u00bf\u0152\u0153\u0160"
                            "\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-"
                            "\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_VIETNAMESE_EXTRA = frozenset("đĐ")
_APOSTROPHE_RUN = re.compile("'+")


class NameToken(tuple):
    """(normalised token, was written in capitals, a comma followed it) — a light named tuple."""

    __slots__ = ()

    def __new__(cls, text: str, upper: bool, comma_after: bool):
        return tuple.__new__(cls, (text, upper, comma_after))

    @property
    def text(self) -> str:
        return self[0]

    @property
    def upper(self) -> bool:
        return self[1]

    @property
    def comma_after(self) -> bool:
        return self[2]


def _to_cp1252_bytes(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) < 256:  # C1 controls and the five bytes cp1252 leaves undefined
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


def _looks_vietnamese(text: str) -> bool:
    for ch in unicodedata.normalize("NFD", text):
        if ch.isascii() or ch in _VIETNAMESE_EXTRA or "\u0300" <= ch <= "\u036f":
            continue
        return False
    return True


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp1252 ("Nguyá»…n" -> "Nguyễn") when the result is plainly Vietnamese.

    Applied repeatedly (double encoding happens) but only while each step yields valid UTF-8 whose
    characters are all Latin letters with Vietnamese marks, so ordinary text is never touched. When
    the whole string cannot be repaired (a byte was lost), each space-separated word is tried alone.
    """
    if not _MOJIBAKE_HINT.search(text):
        return text
    whole = _repair_whole(text)
    if whole != text:
        return whole
    return " ".join(_repair_whole(word) for word in text.split(" "))


def _repair_whole(text: str) -> str:
    for _ in range(3):
        if not _MOJIBAKE_HINT.search(text):
            return text
        raw = _to_cp1252_bytes(text)
        if raw is None:
            return text
        try:
            fixed = raw.decode("utf-8")
        except UnicodeDecodeError:
            return text
        if fixed == text or not _looks_vietnamese(fixed):
            return text
        text = fixed
    return text


def _prepare(text: str) -> str:
    """NFC, look-alike letters replaced, mojibake repaired: still cased, still punctuated."""
    text = unicodedata.normalize("NFC", text.translate(_D_LOOKALIKES))
    return repair_mojibake(text).translate(_D_LOOKALIKES)


def _split_letters(nfd: str) -> list[tuple[str, str, str]]:
    """NFD lowercase text of one token -> [(base letter, quality mark or '', tone mark or '')]."""
    out: list[list[str]] = []
    for ch in nfd:
        if "\u0300" <= ch <= "\u036f":
            ch = _MARK_ALIASES.get(ch, ch)
            if not out:
                continue
            if ch in TONE_MARKS:
                if not out[-1][2]:
                    out[-1][2] = ch
            elif (out[-1][0], ch) in _VALID_QUALITY and not out[-1][1]:
                out[-1][1] = ch
            continue
        out.append([ch, "", ""])
    return [(b, q, t) for b, q, t in out]


def _tone_position(letters: list[tuple[str, str, str]], run: tuple[int, int]) -> int:
    start, end = run
    n = len(letters)
    if end - start > 1:
        first = letters[start][0]
        onset_u = first == "u" and start > 0 and letters[start - 1][0] == "q"  # qu
        onset_i = first == "i" and start == 1 and letters[0][0] == "g"  # gi
        if onset_u or onset_i:
            start += 1
    quality = [i for i in range(start, end) if letters[i][1]]
    if quality:
        return quality[-1]
    if end < n:  # a final consonant follows the nucleus
        return end - 1
    length = end - start
    if length <= 2:
        return start
    return end - 2


@lru_cache(maxsize=1 << 16)
def _canonical_piece(piece: str) -> str:
    """One apostrophe-free, lowercase piece of a token in canonical NFC with the tone in place."""
    letters = _split_letters(unicodedata.normalize("NFD", piece))
    tone = ""
    tone_at = -1
    for i, (_, _, t) in enumerate(letters):
        if t:
            tone, tone_at = t, i
            break
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(letters):
        if letters[i][0] in _VOWELS:
            j = i
            while j < len(letters) and letters[j][0] in _VOWELS:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    target = -1
    if tone and runs:
        run = next((r for r in runs if r[0] <= tone_at < r[1]), runs[-1])
        target = _tone_position(letters, run)
    parts = []
    for i, (base, quality, _) in enumerate(letters):
        parts.append(base + quality + (tone if i == target else ""))
    return unicodedata.normalize("NFC", "".join(parts))


def _canonical_token(token: str) -> str:
    """Canonical token; an inner apostrophe is kept ("h'hen", "k'long"), outer ones dropped."""
    token = _APOSTROPHE_RUN.sub("'", token).strip("'")
    if "'" not in token:
        return _canonical_piece(token)
    return "'".join(p for p in map(_canonical_piece, token.split("'")) if p)


def _is_token_char(ch: str) -> bool:
    return ch.isalpha() or ch == "'" or "\u0300" <= ch <= "\u036f"


@lru_cache(maxsize=1 << 18)
def name_tokens(text: str) -> tuple[NameToken, ...]:
    """Normalised tokens with the casing and comma cues the name parser needs."""
    prepared = _prepare(text).translate(_APOSTROPHES)
    tokens: list[list] = []  # [raw, comma_after, marked(followed by . or :)]
    current: list[str] = []

    def flush(sep: str) -> None:
        if current:
            tokens.append(["".join(current), False, False])
            current.clear()
        if tokens and sep in ",;":
            tokens[-1][1] = True
        if tokens and sep in ".:":
            tokens[-1][2] = True

    for ch in prepared:
        if _is_token_char(ch):
            current.append(ch)
        else:
            flush(ch)
    flush(" ")

    out: list[NameToken] = []
    marked: list[bool] = []
    for raw, comma_after, is_marked in tokens:
        lower = raw.lower().translate(_D_LOOKALIKES)
        canon = _canonical_token(lower)
        if not canon:
            continue
        letters = [c for c in raw if c.isalpha()]
        upper = len(letters) >= 2 and all(c.isupper() for c in letters)
        out.append(NameToken(canon, upper, comma_after))
        marked.append(is_marked)
    return tuple(_drop_titles(out, marked))


def _drop_titles(tokens: list[NameToken], marked: list[bool]) -> list[NameToken]:
    def is_title(head: str, remaining: int, head_marked: bool) -> bool:
        if _strip_marks(head) in _TITLES_ALWAYS:  # mark-blind, so fold() is stable too
            return remaining >= 1
        if head in _TITLES_VI:
            return remaining >= 2 and (head not in _TITLES_VI_MARKED_ONLY or head_marked)
        return False

    while tokens and is_title(tokens[0].text, len(tokens) - 1, marked[0]):
        tokens, marked = tokens[1:], marked[1:]
    return tokens


@lru_cache(maxsize=1 << 18)
def normalize(text: str) -> str:
    """Canonical form of a name or word: NFC, tone in its one place, lowercase, single spaces.

    Idempotent; NFC, NFD and composite input give the same result.
    """
    return " ".join(t.text for t in name_tokens(text))


_FOLD_TABLE = str.maketrans({"đ": "d"})


@lru_cache(maxsize=1 << 18)
def _strip_marks(canonical: str) -> str:
    nfd = unicodedata.normalize("NFD", canonical)
    return "".join(c for c in nfd if not ("\u0300" <= c <= "\u036f")).translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """ASCII form (đ->d, no marks): what passports and foreign records keep. Weaker than normalize."""
    return _strip_marks(normalize(text))


@lru_cache(maxsize=1 << 16)
def tone_of(syllable: str) -> str:
    """The tone mark of a normalised syllable ('' for the level tone)."""
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in TONE_MARKS:
            return ch
    return ""


@lru_cache(maxsize=1 << 16)
def strip_tone(syllable: str) -> str:
    """The syllable without its tone mark, quality marks kept (Lân stays lân, Lấn becomes lân)."""
    nfd = unicodedata.normalize("NFD", syllable)
    return unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONE_MARKS))


def is_folded(text: str) -> bool:
    """True when the text carries no Vietnamese marks at all (written without diacritics)."""
    return text.isascii()
