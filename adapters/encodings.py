"""Text encodings of Vietnamese source files: detect UTF-8, Windows-1258, VNI, TCVN3 or mojibake, then
decode line by line into NFC text, or refuse the file with a message that says what was found.

Why line by line: every encoding handled here keeps the newline byte 0x0A out of its multi-byte
sequences (UTF-8 by design, the legacy ones are single-byte), so a file can be decoded one line at a
time, resumed at any byte offset, and a line with broken bytes rejected alone.

Tables were written down from the published code charts:
- TCVN3 (ABC, TCVN 5712:1993 "VN3"): `linkage.vn.legacy.TCVN3_LETTERS` (the charts of
  vietunicode.sourceforge.net/charset/; glibc's TCVN5712-1 agrees), which also repairs single fields
  that arrived already mis-decoded; lower-case letters and the seven upper-case base letters Ă Â Ê Ô
  Ơ Ư Đ (upper-case toned letters need "VnTimeH"-style fonts and share the lower-case bytes).
- VNI-Windows: the same charts; a base letter is followed by a mark byte (as Windows-1252 shows it:
  "Nguye" + "ã" for "Nguyễn"), and a few letters (ơ ư đ, and the toned i / ỵ) are one byte.
- Windows-1258: Python's own `cp1258` codec; its text carries combining tone marks, hence NFC.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from linkage.vn.legacy import TCVN3_LETTERS, VNI_LETTERS, VNI_MARKS
from linkage.vn.text import TONE_MARKS

SAMPLE_BYTES = 1 << 20

UTF8 = "utf-8"
CP1258 = "cp1258"
VNI = "vni"
TCVN3 = "tcvn3"
MOJIBAKE = "utf-8-mojibake"
KNOWN = (UTF8, CP1258, VNI, TCVN3, MOJIBAKE)


class EncodingRefused(ValueError):
    """The file's encoding is not one we can convert confidently; the message says what was seen."""


# --- TCVN3 (ABC) ------------------------------------------------------------------------------------
TCVN3_TABLE: dict[int, str] = {ord(byte): letter for byte, letter in TCVN3_LETTERS.items()}

# --- VNI-Windows ----------------------------------------------------------------------------------
# Mark bytes (as Windows-1252 characters) after a base vowel -> the combining marks they stand for,
# and the one-byte letters (they stand alone, no base letter before them): `linkage.vn.legacy`'s tables,
# with í and ì, which VNI writes as themselves.
_VNI_MARKS = {**VNI_MARKS, **{k.upper(): v for k, v in VNI_MARKS.items()}}
_VNI_SINGLE_LOWER = {**VNI_LETTERS, "í": "í", "ì": "ì"}
_VNI_SINGLE = {**_VNI_SINGLE_LOWER, **{k.upper(): v.upper() for k, v in _VNI_SINGLE_LOWER.items()}}
_VNI_BASES = "aeouyAEOUY" + "ôöÔÖ"  # ô/ö are ơ/ư, which take tone marks too
# One pass: a base letter with its mark byte, or a one-byte letter (never both for the same character).
_VNI_TOKEN = re.compile(f"([{_VNI_BASES}])([{''.join(_VNI_MARKS)}])|([{''.join(_VNI_SINGLE)}])")


def _vni_token(match: re.Match[str]) -> str:
    if match.group(3):
        return _VNI_SINGLE[match.group(3)]
    base = _VNI_SINGLE.get(match.group(1), match.group(1))
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", base) + _VNI_MARKS[match.group(2)])


def _decode_vni(raw: bytes) -> str:
    return _VNI_TOKEN.sub(_vni_token, raw.decode("cp1252"))


# --- mojibake: UTF-8 bytes shown as Windows-1252 and saved again as UTF-8 ---------------------------
# Bytes 0x81 0x8D 0x8F 0x90 0x9D have no cp1252 character; Windows passes them through as U+0081 etc.
_CP1252_BYTE = {(bytes([b]).decode("cp1252", errors="ignore") or chr(b)): b for b in range(256)}


def _mojibake_bytes(text: str) -> bytes:
    try:
        return bytes(_CP1252_BYTE[ch] for ch in text)
    except KeyError:
        raise UnicodeError("not mojibake") from None


def repair_mojibake(text: str) -> str:
    """'Nguyá»…n' -> 'Nguyễn'; raises UnicodeError when the text is not UTF-8 seen as Windows-1252."""
    return _mojibake_bytes(text).decode("utf-8")


# --- what counts as Vietnamese ----------------------------------------------------------------------
_TONES = frozenset(TONE_MARKS)
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]"
_SYLLABLE = re.compile(f"(?:{_ONSET})?[aăâeêioôơuưy]{{1,3}}(?:ch|ng|nh|[cmnpt])?")
_WORD = re.compile(r"[^\W\d_]+")


def _plausible_syllable(word: str) -> bool:
    """A word that could be one Vietnamese syllable: right shape, at most one tone, nothing stray."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONES for ch in decomposed) > 1:
        return False
    base = "".join(ch for ch in decomposed if ch not in _TONES)
    base = unicodedata.normalize("NFC", base)
    return bool(_SYLLABLE.fullmatch(base))


def vietnamese_score(text: str) -> tuple[float, int]:
    """(share of non-ASCII words that are plausible syllables, how many non-ASCII words there were)."""
    words = [w for w in _WORD.findall(unicodedata.normalize("NFC", text)) if not w.isascii()]
    if not words:
        return 0.0, 0
    return sum(map(_plausible_syllable, words)) / len(words), len(words)


# --- decoders ---------------------------------------------------------------------------------------
def _nfc(decode: Callable[[bytes], str]) -> Callable[[bytes], str]:
    return lambda raw: unicodedata.normalize("NFC", decode(raw))


def _decode_utf8(raw: bytes) -> str:
    return raw.decode("utf-8")


def _decode_mojibake(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return text if text.isascii() else repair_mojibake(text)


DECODERS: dict[str, Callable[[bytes], str]] = {
    UTF8: _nfc(_decode_utf8),
    CP1258: _nfc(lambda raw: raw.decode("cp1258")),
    VNI: _nfc(_decode_vni),
    TCVN3: _nfc(lambda raw: raw.decode("latin-1").translate(TCVN3_TABLE)),
    MOJIBAKE: _nfc(_decode_mojibake),
}


@dataclass(frozen=True, slots=True)
class Detection:
    """What the sample looked like; `encoding` is a key of `DECODERS`, `note` is for the operator."""

    encoding: str
    note: str


MIN_LEGACY_SHARE = 0.8
MIN_LEGACY_MARGIN = 0.2
# A UTF-8 file may hold a few broken rows (they are rejected one by one); past this many broken
# bytes per well-formed multi-byte character it is not UTF-8 at all.
MAX_BROKEN_PER_UTF8_CHAR = 0.25


def detect(sample: bytes) -> Detection:
    """Decide a file's encoding from its first bytes, or raise `EncodingRefused` saying why."""
    if sample.startswith(codecs.BOM_UTF8):
        sample = sample[len(codecs.BOM_UTF8):]
    if sample.isascii():
        return Detection(UTF8, "ASCII")
    text = sample.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - sample.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if multibyte and broken <= MAX_BROKEN_PER_UTF8_CHAR * multibyte:
        return _detect_utf8(text, broken)
    return _detect_legacy(sample)


def _detect_utf8(text: str, broken: int) -> Detection:
    clean = text.replace("\ufffd", "")
    try:
        repaired = repair_mojibake("".join(ch for ch in clean if not ch.isascii()))
    except UnicodeError:
        repaired = None
    if repaired is not None and vietnamese_score(repair_mojibake_lines(clean))[0] >= MIN_LEGACY_SHARE:
        return Detection(MOJIBAKE, "UTF-8 text that was once read as Windows-1252 (mojibake): repaired")
    form = "NFC" if unicodedata.is_normalized("NFC", clean) else "NFD or mixed (converted to NFC)"
    note = f"UTF-8, {form}"
    if broken:
        note += f"; {broken} broken byte sequence(s): those rows are rejected"
    return Detection(UTF8, note)


def repair_mojibake_lines(text: str) -> str:
    return "\n".join(repair_mojibake(line) if not line.isascii() else line for line in text.split("\n"))


def _detect_legacy(sample: bytes) -> Detection:
    scores: dict[str, tuple[float, int]] = {}
    for name in (CP1258, VNI, TCVN3):
        try:
            scores[name] = vietnamese_score(DECODERS[name](sample))
        except UnicodeError:
            scores[name] = (0.0, 0)
    ranked = sorted(scores, key=lambda n: scores[n][0], reverse=True)
    best, runner_up = ranked[0], ranked[1]
    share, words = scores[best]
    summary = ", ".join(f"{n} {scores[n][0]:.0%}" for n in ranked)
    if words == 0 or share < MIN_LEGACY_SHARE:
        raise EncodingRefused(
            f"not UTF-8, and no Vietnamese legacy encoding fits (plausible words: {summary}); "
            "convert the file to UTF-8 or name its encoding in the layout")
    if share - scores[runner_up][0] < MIN_LEGACY_MARGIN:
        raise EncodingRefused(
            f"not UTF-8, and the legacy encoding is ambiguous ({summary}); name it in the layout")
    return Detection(best, f"legacy {best} detected ({summary}): converted to UTF-8 NFC")


def decoder(encoding: str) -> Callable[[bytes], str]:
    """The line decoder for an encoding name (as `detect` returns, or as a layout names it)."""
    name = {"utf8": UTF8, "utf-8-sig": UTF8, "windows-1258": CP1258, "abc": TCVN3, "tcvn": TCVN3,
            "vni-windows": VNI}.get(encoding.lower(), encoding.lower())
    if name not in DECODERS:
        raise EncodingRefused(f"unknown encoding {encoding!r}; known: {', '.join(KNOWN)}")
    return DECODERS[name]


def detect_file(path: str, sample_bytes: int = SAMPLE_BYTES) -> Detection:
    with open(path, "rb") as handle:
        sample = handle.read(sample_bytes)
    # Cut a UTF-8 sequence split by the sample's end, so it is not counted as broken.
    cut = sample.rfind(b"\n")
    return detect(sample[: cut + 1] if 0 < cut < len(sample) - 1 and len(sample) == sample_bytes else sample)


# --- the other way: used to write legacy test files and to check each table round-trips -------------
def _split_tone(ch: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in decomposed if c in _TONES)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES)), tone


def encode_legacy(text: str, encoding: str) -> bytes:
    """NFC text -> bytes in a legacy encoding (TCVN3 folds upper-case toned letters to lower case)."""
    text = unicodedata.normalize("NFC", text)
    if encoding == CP1258:
        out = bytearray()
        for ch in text:
            base, tone = _split_tone(ch)
            out += base.encode("cp1258") + tone.encode("cp1258")
        return bytes(out)
    if encoding == TCVN3:
        inverse = {ch: b for b, ch in TCVN3_TABLE.items()}
        return bytes(inverse[ch] if ch in inverse else inverse.get(ch.lower(), ord(ch)) if ord(ch) > 0x7F
                     else ord(ch) for ch in text)
    if encoding == VNI:
        singles = {v: k for k, v in _VNI_SINGLE.items()}
        marks = {v: k for k, v in VNI_MARKS.items()}
        out_text = []
        for ch in text:
            if ch in singles:
                out_text.append(singles[ch])
                continue
            base, tone = _split_tone(ch)
            plain = unicodedata.normalize("NFD", base)
            letter, modifier = plain[0], plain[1:]
            if letter in "ơưƠƯ" or base in "ơưƠƯ":
                letter, modifier = singles[base], ""
            elif not modifier and not tone:
                out_text.append(ch)
                continue
            mark = marks[modifier + tone] if modifier + tone else ""
            out_text.append(letter + (mark.upper() if letter.isupper() else mark))
        return "".join(out_text).encode("cp1252")
    raise ValueError(f"no encoder for {encoding!r}")
