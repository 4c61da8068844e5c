"""Where two written values differ, down to a single tone mark, for the side-by-side view.

Values are compared in NFC, character by character, so "Lan" and "Lân" differ at "a"/"â". A difference
that vanishes once marks are stripped (a tone or a hat: "a"/"â", "Hòa"/"Hoà" written differently) is
a *mark* difference and is shown in its own colour; anything else is a letter difference.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["same", "mark", "diff"]


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class FieldDiff:
    field: str
    left: tuple[Segment, ...]
    right: tuple[Segment, ...]

    @property
    def status(self) -> Kind:
        kinds = {s.kind for s in (*self.left, *self.right)}
        return "diff" if "diff" in kinds else "mark" if "mark" in kinds else "same"


def bare(text: str) -> str:
    """Letters without marks, lower case, đ as d: what is left when diacritics are ignored."""
    nfd = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in nfd if not unicodedata.combining(c)).casefold()


def diff_values(field: str, left: str, right: str) -> FieldDiff:
    a, b = unicodedata.normalize("NFC", left or ""), unicodedata.normalize("NFC", right or "")
    if a == b:
        return FieldDiff(field, (Segment(a, "same"),) if a else (), (Segment(b, "same"),) if b else ())
    out_a: list[Segment] = []
    out_b: list[Segment] = []
    matcher = SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        piece_a, piece_b = a[i1:i2], b[j1:j2]
        if op == "equal":
            kind: Kind = "same"
        elif piece_a and piece_b and bare(piece_a) == bare(piece_b):
            kind = "mark"
        else:
            kind = "diff"
        if piece_a:
            out_a.append(Segment(piece_a, kind))
        if piece_b:
            out_b.append(Segment(piece_b, kind))
    return FieldDiff(field, tuple(out_a), tuple(out_b))
