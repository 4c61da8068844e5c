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

import html
import re
import unicodedata
from functools import lru_cache

from linkage.vn._cache import bounded_cache
from linkage.vn.legacy import (
    TCVN3_CAPITAL_INSIDE,
    TCVN3_CAPITALS,
    TCVN3_TELLTALE,
    VNI_PAIR_SECONDS,
    VNI_TELLTALE,
    VNI_TELLTALE_PAIR,
    decode_legacy,
    has_rhyme,
)
from linkage.vn.telex import untelex_text

__all__ = ["normalize", "fold", "repair", "unmarked", "name_tokens", "NameToken", "tone_of", "strip_tone",
           "is_folded"]

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
_MOJIBAKE_FIRST = "\u00c3\u00c2\u00c4\u00c5\u00c6\u00e1\u00e2"
_MOJIBAKE_HINT = re.compile(f"[{_MOJIBAKE_FIRST}][\u0080-\u00bf\u0152\u0153\u0160"
                            "\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-"
                            "\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_PREPARE_TABLE = {**_APOSTROPHES, **_D_LOOKALIKES}
_VIETNAMESE_EXTRA = frozenset("đĐ") | frozenset(map(chr, _D_LOOKALIKES))  # Ðặng: eth for Đ
_APOSTROPHE_RUN = re.compile("'+")

# Text that may be legacy-encoded (VNI, TCVN3, UTF-8 read as cp1252): the only text that _prepare
# repairs, and what a canonical form is checked for again in name_tokens. No match can span a space.
_RECHECK = re.compile("|".join((f"[{re.escape(''.join(sorted(VNI_TELLTALE | TCVN3_TELLTALE)))}]",
                                  VNI_TELLTALE_PAIR.pattern, TCVN3_CAPITAL_INSIDE.pattern,
                                  _MOJIBAKE_HINT.pattern)))
# Every match of _RECHECK holds one of these characters; with _PREPARE_TABLE's own characters they
# let _prepare skip the regex, the repairs and the translation for most names with one set test.
_LEGACY_CHARS = frozenset(VNI_TELLTALE | TCVN3_TELLTALE | TCVN3_CAPITALS | VNI_PAIR_SECONDS
                          | set(_MOJIBAKE_FIRST))
_PREPARE_CHARS = frozenset(map(chr, _PREPARE_TABLE))
_PREPARE_ASCII = frozenset(c for c in _PREPARE_CHARS if c.isascii())  # just the backtick
_PREPARE_SPECIAL = re.compile(f"{_RECHECK.pattern}|[{re.escape(''.join(sorted(_PREPARE_CHARS)))}]")
_SLOW_PREPARE_CHARS = _LEGACY_CHARS | _PREPARE_CHARS


# One normalised token with the cues the name parser needs: (text, written in capitals, a comma or
# semicolon followed it). A plain tuple, not a class: cached by the hundred thousand, and plain
# tuples of atoms are left alone by the garbage collector.
NameToken = tuple[str, bool, bool]
TEXT, UPPER, COMMA_AFTER = 0, 1, 2


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
    """NFC; HTML character references, UTF-8-as-cp1252, VNI or TCVN3 text repaired, words typed in
    Telex with the input method off given their marks; look-alikes and apostrophes unified; still
    cased."""
    if "&" in text and _CHARACTER_REFERENCE.search(text):  # "Nguy&#7877;n", as web forms export letters
        text = html.unescape(text)
    if text.isascii():  # folded records: nothing to compose or repair, but keys typed for marks
        text = text if _PREPARE_ASCII.isdisjoint(text) else text.translate(_PREPARE_TABLE)
        return untelex_text(text)
    # Look-alikes are replaced after the repair: mojibake may itself contain Ð (byte D0).
    text = unicodedata.normalize("NFC", text)
    text = untelex_text(text)  # "LÂM HOÀNG DUWOWNG": one word typed with the input method off
    if _SLOW_PREPARE_CHARS.isdisjoint(text) or not _PREPARE_SPECIAL.search(text):
        return text  # nothing to repair, nothing to translate: the common case
    repaired = repair_mojibake(text)
    if repaired is text:
        repaired = decode_legacy(text)
    return repaired.translate(_PREPARE_TABLE)


_CHARACTER_REFERENCE = re.compile(r"&(?:#\d{2,7}|#x[0-9a-f]{2,6}|[a-z]{2,8});", re.IGNORECASE)


def repair(text: str) -> str:
    """The text as it was meant, case and punctuation kept: NFC, legacy encodings decoded (UTF-8 read as
    cp1252, VNI, TCVN3), look-alike letters and apostrophes unified. For text that other rules split
    before normalising its words (an address): a legacy byte may be punctuation there ("X·" is Xã)."""
    return _prepare(text)


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
    run = next((r for r in runs if r[0] <= tone_at < r[1]), None) if tone else None
    if run is not None and sum(1 for _, _, t in letters if t) == 1 \
            and not has_rhyme("".join(base for base, _, _ in letters)):
        # no one syllable ("Thúyanh": two run together): the one tone stays on the vowel it was written
        # on, as moving it would make another name of them (Thuy Ánh); a vowel written twice with its
        # tone ("Tùùng") is a slip of one syllable
        return unicodedata.normalize("NFC", piece)
    if run is not None:  # a mark on a consonant (ñ in Peña) is not a Vietnamese tone: dropped
        target = _tone_position(letters, run)
    parts = []
    for i, (base, quality, _) in enumerate(letters):
        parts.append(base + quality + (tone if i == target else ""))
    return unicodedata.normalize("NFC", "".join(parts))


@lru_cache(maxsize=1 << 16)
def _canonical_token(token: str) -> str:
    """Canonical token; an inner apostrophe is kept ("h'hen", "k'long"), outer ones dropped."""
    token = token.translate(_D_LOOKALIKES)
    if "'" not in token:
        return _canonical_piece(token)
    token = _APOSTROPHE_RUN.sub("'", token).strip("'")
    return "'".join(p for p in map(_canonical_piece, token.split("'")) if p)


# A token: letters, combining marks and apostrophes ("H'Hen"); anything else separates tokens.
_TOKEN = re.compile("(?:[^\\W\\d_]|['\u0300-\u036f])+")
_SIMPLE = re.compile("[^\\W\\d_\\s]+(?:[ ]+[^\\W\\d_\\s]+)*")  # letters and single spaces only


@lru_cache(maxsize=1 << 16)
def _token_info(raw: str) -> tuple[str, bool]:
    """(canonical form, written in capitals) of one raw token; tokens recur, so this is cached."""
    upper = raw.isupper() and sum(c.isalpha() for c in raw) >= 2
    return _canonical_token(raw.lower()), upper


@lru_cache(maxsize=1 << 16)
def _simple_token(raw: str) -> tuple[NameToken, bool]:
    """The NameToken of a raw token with no comma after it, and whether its canonical form still
    looks legacy-encoded (see name_tokens); built once per distinct token, not once per name."""
    canon, upper = _token_info(raw)
    return (canon, upper, False), _RECHECK.search(canon) is not None


@bounded_cache(1 << 18)
def name_tokens(text: str) -> tuple[NameToken, ...]:
    """Normalised tokens with the casing and comma cues the name parser needs."""
    tokens, suspect = _tokenize(text)
    if not suspect:
        return tokens
    # Rarely, the canonical form itself still looks like legacy encoding (a tone moved next to a
    # vowel reads as VNI "aù"). Normalising again until nothing changes keeps normalize idempotent.
    for _ in range(4):
        joined = " ".join([t[0] for t in tokens])
        if joined.isascii() or not _RECHECK.search(joined):
            break
        again, _ = _tokenize(joined)
        if [t[0] for t in again] == [t[0] for t in tokens]:
            break
        tokens = tuple((t[0], False, False) for t in again)
    return tokens


def _tokenize(text: str) -> tuple[tuple[NameToken, ...], bool]:
    """The tokens, and False when no canonical token can look legacy-encoded (True: check it)."""
    prepared = _parted_at_tones(_parted_at_capitals(_prepare(text)))
    out: list[NameToken] = []
    marked: list[bool] = []
    if _SIMPLE.fullmatch(prepared):  # the common case: words and spaces, no punctuation
        suspect = False
        for raw in prepared.split():
            token, odd = _simple_token(raw)
            if token[0]:
                out.append(token)
                suspect = suspect or odd
        if out and _title_kind(out[0][0]):
            return tuple(_drop_titles(out, [False] * len(out))), suspect
        return tuple(out), suspect
    matches = list(_TOKEN.finditer(prepared))
    for i, match in enumerate(matches):
        canon, upper = _token_info(match.group())
        if not canon:
            continue
        end = matches[i + 1].start() if i + 1 < len(matches) else len(prepared)
        separator = prepared[match.end(): end]
        out.append((canon, upper, "," in separator or ";" in separator))
        marked.append("." in separator or ":" in separator)
    return tuple(_drop_titles(out, marked)), True


def _parted_at_capitals(text: str) -> str:
    """A name a system ran together, each word opened by a capital ("NguyễnThịLan", "NguyenVanAn"),
    parted where every part is a Vietnamese syllable ("LeAnn", "McDonald" stay whole)."""
    if text.isupper() or text.islower() or text.istitle():  # the common case, one C call each
        return text
    return " ".join(_word_parted_at_capitals(word) for word in text.split(" "))


def _word_parted_at_capitals(word: str) -> str:
    if word.istitle() or word.isupper() or word.islower():
        return word
    starts = [i for i in range(1, len(word)) if word[i].isupper() and word[i - 1].islower()]
    if not starts:
        return word
    parts = [word[i:j] for i, j in zip([0, *starts], [*starts, len(word)], strict=True)]
    # a whole name run together: three parts at least, each a capital and small letters (two parts, or a
    # capital inside a part, are more often a legacy byte that was not decoded: "NguyƠn", "GiUONG")
    whole_name = len(parts) >= 3 and all(part.istitle() and part.isalpha()
                                         and has_rhyme(_strip_marks(part.lower())) for part in parts)
    return " ".join(parts) if whole_name else word


def _parted_at_tones(text: str) -> str:
    """Two syllables run together in one marked word ("Lệhiền", "Khánhlệ", "Thảotrà"): a syllable
    carries one tone, so a word with two is parted where each part is a syllable, the second opening
    with a consonant where it can and the first as long as it can be (a final consonant closes the
    syllable before it: Ngọc|đàn, Phúc|hậu). A word that parts into no two syllables is left whole
    (Hélène)."""
    if text.isascii():
        return text
    return " ".join(_word_parted_at_tones(word) for word in text.split(" "))


@lru_cache(maxsize=1 << 16)
def _word_parted_at_tones(word: str) -> str:
    if sum(unicodedata.normalize("NFD", word).count(mark) for mark in TONE_MARKS) != 2:
        return word
    cuts = []
    for cut in range(len(word) - 1, 0, -1):
        head, tail = word[:cut], word[cut:]
        # a toned vowel written twice is a slip ("Nguyễễn", "Thịị"), not two syllables
        doubled = _strip_marks(head[-1].lower()) == _strip_marks(tail[0].lower())
        if not doubled and all(part.isalpha() and has_rhyme(_strip_marks(part.lower())) and tone_of(part)
                                   for part in (head, tail)):
            cuts.append((head, tail))
    # a second syllable that opens with a consonant before one that opens with a vowel (Phúc|hậu, not
    # Phúch|ậu), then (a stable sort of cuts made longest first) the longest first syllable
    cuts.sort(key=lambda cut: _strip_marks(cut[1][0].lower()) in _VOWELS)
    return f"{cuts[0][0]} {cuts[0][1]}" if cuts else word


@lru_cache(maxsize=1 << 12)
def _title_kind(head: str) -> int:
    """0: not a title; 1: always a title; 2: a Vietnamese title; 3: one only when marked ("Anh.")."""
    if _strip_marks(head) in _TITLES_ALWAYS:  # mark-blind, so fold() is stable too
        return 1
    if head in _TITLES_VI:
        return 3 if head in _TITLES_VI_MARKED_ONLY else 2
    return 0


# A title is followed by a full name, which opens with a surname, never with Thị or Văn: in "Ông Thị
# Kiều Vy" Ông is the (rare) surname. Nor with gái or trai: "Bé gái" is a baby girl (`names._CHILD_WORDS`).
_NOT_AFTER_TITLE = frozenset({"thị", "văn", "thi", "van", "gái", "gai", "trai"})


def _drop_titles(tokens: list[NameToken], marked: list[bool]) -> list[NameToken]:
    def is_title(head: str, remaining: int, head_marked: bool, following: str) -> bool:
        kind = _title_kind(head)
        if kind == 1:
            return remaining >= 1
        return (kind > 1 and remaining >= 2 and (kind == 2 or head_marked)
                and following not in _NOT_AFTER_TITLE)

    while tokens and is_title(tokens[0][TEXT], len(tokens) - 1, marked[0],
                              tokens[1][TEXT] if len(tokens) > 1 else ""):
        tokens, marked = tokens[1:], marked[1:]
    return tokens


def normalize(text: str) -> str:
    """Canonical form of a name or word: NFC, tone in its one place, lowercase, single spaces.

    Idempotent; NFC, NFD and composite input give the same result.
    """
    return " ".join([t[0] for t in name_tokens(text)])


_FOLD_TABLE = str.maketrans({"đ": "d"})


def _without_marks(text: str) -> str:
    nfd = unicodedata.normalize("NFD", text)
    return "".join(c for c in nfd if not ("\u0300" <= c <= "\u036f")).translate(_FOLD_TABLE)


_strip_marks = lru_cache(maxsize=1 << 18)(_without_marks)  # for names and their parts, which recur


def unmarked(text: str) -> str:
    """Lowercase, without marks, đ as d, all else as written (digits, punctuation, spaces): what a
    regular expression over dates or addresses reads, where `fold` also repairs the text and keeps only
    its words. Not cached: dates and addresses seldom recur, and would crowd out the names."""
    return _without_marks(text.lower())


def fold(text: str) -> str:
    """ASCII form (đ->d, no marks): what passports and foreign records keep. Weaker than normalize.

    Idempotent: a word a legacy decoding left alone (two tones in "¼Ì") may read as TCVN3 once its
    marks are stripped ("¼i", ẳi), so what still holds such a byte is folded again until it is stable."""
    folded = _strip_marks(normalize(text))
    for _ in range(3):
        if folded.isascii():
            break
        again = _strip_marks(normalize(folded))
        if again == folded:
            break
        folded = again
    return folded


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
