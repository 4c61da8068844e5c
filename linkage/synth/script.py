"""Low-level Vietnamese script operations the corruptions are built from (tone marks, folding).

Kept inside `linkage.synth` on purpose: the generator must damage text independently of the code
that will repair it (`linkage.vn`).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import cache

TONE_MARKS = {"\u0300": "huyền", "\u0301": "sắc", "\u0309": "hỏi", "\u0303": "ngã", "\u0323": "nặng"}


def fold(text: str) -> str:
    """Strip every diacritic, Đ→D, the way passports and foreign systems write names."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def split_tone(syllable: str) -> tuple[str, str, int]:
    """(syllable without its tone mark, the tone mark or "", index of the vowel that carried it)."""
    chars = list(unicodedata.normalize("NFD", syllable))
    for i, ch in enumerate(chars):
        if ch in TONE_MARKS:
            del chars[i]
            base = unicodedata.normalize("NFC", "".join(chars))
            # index in the NFC base: count base characters before the mark
            position = len(unicodedata.normalize("NFC", "".join(chars[:i]))) - 1
            return base, ch, position
    return unicodedata.normalize("NFC", syllable), "", -1


def put_tone(base: str, mark: str, position: int) -> str:
    """Place `mark` on the character at `position` of `base` (NFC in, NFC out)."""
    if not mark or position < 0 or position >= len(base):
        return base
    return unicodedata.normalize("NFC", base[:position + 1] + mark + base[position + 1:])


def move_tone_oa_oe_uy(syllable: str) -> str:
    """Switch old/new tone placement on oa, oe, uy: hòa<->hoà, thúy<->thuý, khỏe<->khoẻ.

    Returns the syllable unchanged where the rule does not apply (qu-, closed syllables like "hoàn").
    """
    base, mark, pos = split_tone(syllable)
    if not mark:
        return syllable
    low = base.lower()
    for pair in ("oa", "oe", "uy"):
        i = low.find(pair)
        if i < 0 or (pair == "uy" and i > 0 and low[i - 1] == "q"):
            continue
        if len(low) > i + 2:  # a final consonant or vowel follows: placement is not in dispute
            return syllable
        if pos == i:
            return put_tone(base, mark, i + 1)
        if pos == i + 1:
            return put_tone(base, mark, i)
    return syllable


def swap_hoi_nga(syllable: str) -> str:
    """hỏi<->ngã, the tone pair central and southern speakers do not distinguish."""
    nfd = unicodedata.normalize("NFD", syllable)
    if "\u0309" in nfd:
        return unicodedata.normalize("NFC", nfd.replace("\u0309", "\u0303"))
    if "\u0303" in nfd:
        return unicodedata.normalize("NFC", nfd.replace("\u0303", "\u0309"))
    return syllable


def composite(text: str) -> str:
    """"Composite Unicode": base letters precomposed (â, ơ, ư) but the tone mark left combining."""
    out = []
    for ch in text:
        nfd = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in nfd if c in TONE_MARKS)
        if tones:
            rest = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONE_MARKS))
            out.append(rest + tones)
        else:
            out.append(ch)
    return "".join(out)


def mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252 ("Nguyễn" -> "Nguyá»…n"); undefined bytes read as Latin-1."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


_VOWELS = "aăâeêioôơuưy"


@cache
def _tcvn3_bytes() -> dict[str, str]:
    """Each Vietnamese letter as a TCVN3 file stores it, read as cp1252, from glibc's own TCVN5712-1
    converter (`iconv`), not from the table that decodes it; {} where iconv is missing (the damage is
    then never written)."""
    toned = [unicodedata.normalize("NFC", vowel + tone) for vowel in _VOWELS for tone in TONE_MARKS]
    plain = [letter for letter in _VOWELS + "đ" if not letter.isascii()]
    letters = toned + plain + [letter.upper() for letter in plain]
    if shutil.which("iconv") is None:
        return {}
    out = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input="\n".join(letters).encode(),
                         capture_output=True, check=True).stdout.decode("latin-1").split("\n")
    return dict(zip(letters, out, strict=True))


def tcvn3(text: str) -> str:
    """Vietnamese typed in a TCVN3 (.VnTime) font and read as cp1252: "Nguyễn Văn An" -> "NguyÔn V¨n An".
    The encoding has no byte for a toned capital: capitals were a font over the lowercase bytes."""
    table = _tcvn3_bytes()
    if not table:
        return text
    out = []
    for ch in unicodedata.normalize("NFC", text):
        out.append(table.get(ch) or table.get(ch.lower(), ch))
    return "".join(out)
