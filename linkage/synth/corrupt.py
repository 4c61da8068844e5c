"""Corruptions of names, dates, places and numbers, as real sources produce them (MISSION.md §2).

Each corruption is drawn at its channel's rate and is recorded (by name) only when it changed the
text, so the truth file says exactly what happened to each record.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from linkage.synth.names import EDE, JARAI, Name
from linkage.synth.script import (
    composite,
    fold,
    mojibake,
    move_tone_oa_oe_uy,
    put_tone,
    split_tone,
    swap_hoi_nga,
    tcvn3,
)

ADOPTIVE_FIRST = {
    True: ("Thomas", "Daniel", "Lucas", "Nicolas", "David", "Michael", "Matthew", "Julien", "Pierre", "Hugo",
           "Jonas", "Liam", "Noah", "Samuel", "Benjamin", "Antoine", "Luca", "Marco", "Adrian", "Jan"),
    False: ("Emily", "Sarah", "Anna", "Sophie", "Claire", "Marie", "Julia", "Laura", "Emma", "Hannah",
            "Grace", "Chloe", "Léa", "Camille", "Manon", "Isabelle", "Katherine", "Jessica", "Amy", "Lily"),
}
ADOPTIVE_SURNAMES = ("Johnson", "Miller", "Dubois", "Martin", "Schmidt", "Andersson", "Rossi", "Smith",
                     "Bernard", "Jensen", "O'Brien", "Van Dijk", "Leroy", "Taylor", "Fischer")
# What an intake record writes for a child who came without a name, by sex (True: male)
PLACEHOLDER_NAMES = {True: ("Bé trai", "Bé trai", "Trẻ sơ sinh", "Không rõ tên", "Chưa đặt tên"),
                     False: ("Bé gái", "Bé gái", "Trẻ sơ sinh", "Không rõ tên", "Chưa đặt tên")}
# Home names ("tên gọi ở nhà") that a file adds in brackets after the registered name
NICKNAMES = ("Tí", "Tèo", "Bống", "Bin", "Su", "Mít", "Bi", "Cún", "Bông", "Xu", "Nhím", "Tôm", "Bơ", "Ốc",
             "Heo", "Na")
_ADOPTIVE_WORDS = frozenset(ADOPTIVE_FIRST[True] + ADOPTIVE_FIRST[False] + ADOPTIVE_SURNAMES)
REGIONAL = {"Hoàng": "Huỳnh", "Huỳnh": "Hoàng", "Vũ": "Võ", "Võ": "Vũ"}
# Initial consonants that regional speech merges, as (written, heard-as) pairs, longest first.
INITIAL_MERGERS = (("gi", ("d", "r")), ("tr", ("ch",)), ("ch", ("tr",)), ("d", ("gi", "v", "r")),
                   ("r", ("d", "gi")), ("s", ("x",)), ("x", ("s",)), ("v", ("d",)))
FINAL_MERGERS = (("ng", "n"), ("n", "ng"), ("c", "t"), ("t", "c"))
VOWELS = set("aăâeêioôơuưy")
KEYBOARD_NEIGHBOURS = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wertyuiopo" "sdfghjklk" "xcvbnmn", strict=True))


@dataclass
class Damage:
    """Draws corruptions at `rates` and remembers the ones that took effect."""

    rnd: random.Random
    rates: dict[str, float]
    prefix: str = ""
    applied: list[str] = field(default_factory=list)

    def hit(self, key: str, scale: float = 1.0) -> bool:
        return self.rnd.random() < self.rates.get(key, 0.0) * scale

    def note(self, key: str) -> None:
        self.applied.append(self.prefix + key)


# --- names ------------------------------------------------------------------------------------

def damage_name(name: Name, male: bool, d: Damage, scale: float = 1.0, nickname: str = "") -> str:
    """Write `name` the way this channel would: order, spelling, then script and encoding damage (which
    a home name added in brackets, `nickname`, shares)."""
    surname, middle, given = name.surname, name.middle, name.given
    surname_first = name.style not in (EDE, JARAI)
    if middle and surname_first and d.hit("drop_middle", scale):
        middle = ""
        d.note("drop_middle")
    if surname in REGIONAL and d.hit("regional_surname", scale):
        surname = REGIONAL[surname]
        d.note("regional_surname")
    if not surname_first and middle and d.hit("drop_prefix", scale):
        middle = ""
        d.note("drop_prefix")
    text = _ordered(surname, middle, given, name.style, male, d, scale) if surname_first \
        else Name(surname, middle, given, name.style).full
    text = _spelling(text, d, scale)
    return _script(f"{text} ({nickname})" if nickname else text, d, scale)


def _ordered(surname: str, middle: str, given: str, style: str, male: bool, d: Damage, scale: float) -> str:
    if d.hit("adoptive_first_name", scale):
        d.note("adoptive_first_name")
        first = d.rnd.choice(ADOPTIVE_FIRST[male])
        if d.hit("adoptive_surname", scale / max(d.rates.get("adoptive_first_name", 1.0), 1e-9)):
            d.note("adoptive_surname")
            surname = d.rnd.choice(ADOPTIVE_SURNAMES)
        kept_middle = middle if d.rnd.random() < 0.3 else ""
        if d.rnd.random() < d.rates.get("surname_comma", 0.0):  # "Last, First Middle": NGUYEN, Sarah Lan
            d.note("surname_comma")
            return f"{surname.upper()}, " + " ".join(p for p in (first, given, kept_middle) if p)
        return " ".join(p for p in (first, given, kept_middle, surname) if p)
    roll = d.rnd.random() / max(scale, 1e-9)
    western = d.rates.get("western_order", 0.0)
    last_caps = western + d.rates.get("surname_last_caps", 0.0)
    first_caps = last_caps + d.rates.get("surname_first_caps", 0.0)
    if roll < western:
        d.note("western_order")
        return " ".join(p for p in (given, middle, surname) if p)
    if roll < last_caps:
        d.note("surname_last_caps")
        kept_middle = middle if d.rnd.random() < 0.3 else ""
        return " ".join(p for p in (given, kept_middle, surname.upper()) if p)
    if roll < first_caps:
        d.note("surname_first_caps")
        return " ".join(p for p in (surname.upper(), middle, given) if p)
    comma = first_caps + d.rates.get("surname_comma", 0.0)
    if roll < comma:
        d.note("surname_comma")  # "Last, First Middle", as forms abroad lay a name out: NGUYEN, Lan Thi
        return f"{surname.upper()}, " + " ".join(p for p in (given, middle) if p)
    family_field = d.rates.get("family_field_last", 0.0)
    if middle and roll < comma + family_field:
        # the first names, then a family-name field that took the middle names with the surname, as
        # French forms do (nom "NGUYEN THI", prénom "Lan"): in capitals in the lower half of the band
        d.note("family_field_last")
        field = f"{surname} {middle}"
        return f"{given} {field.upper() if roll < comma + family_field / 2 else field}"
    return " ".join(p for p in (surname, middle, given) if p)


def _spelling(text: str, d: Damage, scale: float) -> str:
    words = text.split(" ")
    protected = {i for i, w in enumerate(words) if w in _ADOPTIVE_WORDS}
    changes = (("tone_placement", move_tone_oa_oe_uy), ("i_y", swap_i_y),
               ("sound_merger", lambda w: sound_merger(w, d.rnd)), ("typo", lambda w: typo(w, d.rnd)))
    for key, change in changes:
        if not d.hit(key, scale):
            continue
        order = list(range(len(words)))
        d.rnd.shuffle(order)
        for i in order:
            if i in protected:
                continue
            changed = change(words[i])
            if changed != words[i]:
                words[i] = changed
                d.note(key)
                break
    return " ".join(words)


def _script(text: str, d: Damage, scale: float) -> str:
    if d.hit("strip_diacritics", scale) and fold(text) != text:
        text = fold(text)
        d.note("strip_diacritics")
    if d.hit("all_caps", scale) and text.upper() != text:
        text = text.upper()
        d.note("all_caps")
    if "Đ" in text and d.hit("eth_d", scale):
        text = text.replace("Đ", "\u00d0")
        d.note("eth_d")
    if fold(text) == text:
        return text  # nothing left for encoding damage to touch
    roll = d.rnd.random() / max(scale, 1e-9)
    nfd, comp = d.rates.get("nfd", 0.0), d.rates.get("composite", 0.0)
    if roll < nfd:
        d.note("nfd")
        return unicodedata.normalize("NFD", text)
    if roll < nfd + comp and composite(text) != text:
        d.note("composite")
        return composite(text)
    moji = nfd + comp + d.rates.get("mojibake", 0.0)
    if roll < moji:
        d.note("mojibake")
        return mojibake(text)
    if roll < moji + d.rates.get("tcvn3", 0.0) and tcvn3(text) != text:
        d.note("tcvn3")  # an old file typed in a .VnTime font
        return tcvn3(text)
    return text


def _keep_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def swap_i_y(word: str) -> str:
    """Lý<->Lí, Mỹ<->Mĩ, Vy<->Vi: a final i/y after a consonant, tone mark kept on it."""
    base, mark, pos = split_tone(word)
    low = base.lower()
    if len(low) < 2 or low[-1] not in "iy" or low[-2] in VOWELS or low[-2:] == "gi" or word.lower() == "thị":
        return word
    swapped = base[:-1] + _keep_case(base[-1], "y" if low[-1] == "i" else "i")
    return put_tone(swapped, mark, pos)


def sound_merger(word: str, rnd: random.Random) -> str:
    """A spelling written by ear: d/gi/r, s/x, ch/tr, v/d, final n/ng and c/t, hỏi/ngã."""
    options = []
    low = fold(word).lower()
    for written, heard in INITIAL_MERGERS:
        if low.startswith(written) and not (written == "d" and low.startswith("dh")):
            for h in heard:
                options.append(("initial", written, h))
            break
    for written, heard in FINAL_MERGERS:
        if low.endswith(written) and len(low) > len(written) and low[-len(written) - 1] in VOWELS:
            if written == "n" and low.endswith("ng"):
                continue
            if written in ("n", "ng") and not _allows_n_ng(low[: -len(written)]):
                break
            options.append(("final", written, heard))
            break
    if swap_hoi_nga(word) != word:
        options.append(("tone", "", ""))
    if not options:
        return word
    where, written, heard = rnd.choice(options)
    if where == "tone":
        return swap_hoi_nga(word)
    if where == "initial":
        if word[:1] in "đĐ":  # đ is its own sound, merged with none (folding made it a d)
            return word
        return _keep_case(word[:len(written)], heard) + word[len(written):]
    return word[: len(word) - len(written)] + _keep_case(word[-len(written):], heard)


def _allows_n_ng(rhyme_head: str) -> bool:
    """Whether both -n and -ng exist after this vowel (an/ang, ôn/ông, iên/iêng; not uyên, inh)."""
    return rhyme_head.endswith(("a", "o", "u", "ie", "uo")) and not rhyme_head.endswith("uye")


def typo(word: str, rnd: random.Random) -> str:
    """One keyboard slip: a letter dropped, doubled, swapped with its neighbour or mistyped."""
    if len(word) < 3:
        return word
    i = rnd.randrange(1, len(word))
    kind = rnd.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2 and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    ch = word[i]
    near = KEYBOARD_NEIGHBOURS.get(fold(ch).lower())
    if not near:
        return word
    return word[:i] + _keep_case(ch, near) + word[i + 1:]


# --- dates ------------------------------------------------------------------------------------

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def damage_date(born: dt.date, d: Damage) -> str:
    """A birth date as written: formats, swapped day/month, shifted, partial or missing."""
    if d.hit("date_missing"):
        d.note("date_missing")
        return ""
    if d.hit("date_off_days"):
        born = born + dt.timedelta(days=d.rnd.choice((-1, 1)) * d.rnd.randint(1, 15))
        d.note("date_off_days")
    if d.hit("date_off_year"):
        born = _safe_replace(born, year=born.year + d.rnd.choice((-1, 1)))
        d.note("date_off_year")
    # a day or month not known is left out, or written as zeros (00/00/1995), as Vietnamese forms do
    if d.hit("date_year_only"):
        d.note("date_year_only")
        return str(born.year) if d.rnd.random() < 0.75 else f"00/00/{born.year}"
    if d.hit("date_month_only"):
        d.note("date_month_only")
        return d.rnd.choice((f"{born.month:02d}/{born.year}", f"{born.year}-{born.month:02d}",
                             f"{born.month:02d}/{born.year}", f"{born.year}-{born.month:02d}",
                             f"00/{born.month:02d}/{born.year}"))
    day, month = born.day, born.month
    if day <= 12 and day != month and d.hit("date_day_month_swap"):
        day, month = month, day
        d.note("date_day_month_swap")
    roll = d.rnd.random()
    vn, us, en = (d.rates.get(k, 0.0) for k in ("date_format_vn", "date_format_us", "date_format_en"))
    if roll < vn:
        d.note("date_format_vn")
        sep = d.rnd.choice(("/", "/", "-", "."))
        return f"{day:02d}{sep}{month:02d}{sep}{born.year}"
    if roll < vn + us:
        d.note("date_format_us")
        return f"{month:02d}/{day:02d}/{born.year}"
    if roll < vn + us + en:
        d.note("date_format_en")
        return f"{MONTHS_EN[month - 1]} {day}, {born.year}" if d.rnd.random() < 0.5 \
            else f"{day} {MONTHS_EN[month - 1]} {born.year}"
    return f"{born.year}-{month:02d}-{day:02d}"


def _safe_replace(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def estimated_age(born: dt.date, found: dt.date, rnd: random.Random) -> str:
    """'khoảng 2 tháng tuổi' / 'about 3 months old': an age estimated by a centre, with its error."""
    days = max((found - born).days, 0)
    estimate = max(days * rnd.uniform(0.7, 1.3) + rnd.uniform(-5, 5), 0)
    if estimate < 4 and rnd.random() < 0.5:
        return rnd.choice(("sơ sinh", "trẻ sơ sinh", "newborn"))
    if estimate < 45:
        n = max(int(round(estimate)), 1)
        return rnd.choice((f"khoảng {n} ngày tuổi", f"{n} ngày tuổi", f"about {n} days old"))
    months = max(int(round(estimate / 30.4)), 1)
    return rnd.choice((f"khoảng {months} tháng tuổi", f"{months} tháng tuổi", f"about {months} months old",
                       f"khoảng {months} tháng"))


# --- personal numbers -------------------------------------------------------------------------

def pid_typo(pid: str, rnd: random.Random) -> str:
    """One digit mistyped or two neighbouring digits swapped."""
    digits = list(pid)
    i = rnd.randrange(len(digits) - 1)
    if rnd.random() < 0.5 and digits[i] != digits[i + 1]:
        digits[i], digits[i + 1] = digits[i + 1], digits[i]
    else:
        digits[i] = str((int(digits[i]) + rnd.randint(1, 9)) % 10)
    return "".join(digits)
