"""Parsing a full name into surname, middle name(s) and given name, whatever order it was written in.

Kinh names are written surname first ("Nguyễn Thị Lan"). Records from abroad turn them round ("Lan
Thi Nguyen", "Thi Lan NGUYEN", "Nguyen, Thi Lan"), drop the middle name ("Lan Nguyen") or add an
adoptive Western first name ("Emily Lan Nguyen"). Ethnic minorities have their own order (MISSION.md
§2; data/knowledge/minority_names.csv): Ê Đê and Jarai use a gender prefix and often put the family
name last ("Y Moan Êban", "H'Hen Niê"), Hmong and Khmer names start with the clan or family name
("Giàng A Páo", "Thạch Thị Sa Phi").

Cues, strongest first: a known minority pattern; a comma after the surname; one token written in
capitals at either end; then which end looks more like a surname and the other more like a given
name, by the sourced frequency tables. The parse is a best guess: `compare_names` still tries the
other plausible alignments, so a wrong guess costs little.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from linkage.vn._cache import bounded_cache
from linkage.vn._data import read_csv, read_text
from linkage.vn.frequencies import FLOOR as FREQUENCY_FLOOR
from linkage.vn.frequencies import (
    common_surnames,
    given_frequency,
    is_known_surname,
    middle_frequency,
    surname_frequency,
)
from linkage.vn.legacy import SYLLABLE, has_rhyme
from linkage.vn.lost_letters import fill_lost_letters
from linkage.vn.phonetic import bare_letters
from linkage.vn.slips import given_names_a_slip_away, is_typing_slip
from linkage.vn.text import COMMA_AFTER, TEXT, UPPER, NameToken, fold, name_tokens, normalize
from linkage.vn.variants import compound_surnames

__all__ = ["ParsedName", "parse_name", "without_parent_title", "other_reading", "parent_named_instead",
           "is_home_name", "is_vietnamese_syllable", "first_name_sex", "MIDDLE_MARKERS",
           "SEX_MARKING_MIDDLES"]

# The two middle names that mark sex and almost never stand as given names or surnames.
MIDDLE_MARKERS = frozenset({"thị", "văn", "thi", "van"})
# the ones that tell the sex by themselves, by sex: Thị a woman's, Văn a man's (unmarked "van" is also Vân,
# a woman's given name: "Nguyen Van Anh")
SEX_MARKING_MIDDLES = {"F": frozenset({"thị", "thi"}), "M": frozenset({"văn"})}



@dataclass(frozen=True, slots=True)
class ParsedName:
    """A full name split into its parts; `tokens` keeps every token so nothing is ever lost."""

    surname: str  # "" when unknown
    middle: tuple[str, ...]  # middle syllables, may be empty
    given: str  # the given name (last syllable of the Vietnamese given name)
    other: tuple[str, ...]  # adoptive Western names etc. ("emily"), kept, never dropped
    order: str  # "vietnamese" | "western" | "minority" | "unknown"
    tokens: tuple[str, ...]  # every normalised token of the input, in input order


@lru_cache(maxsize=1 << 16)
def is_vietnamese_syllable(token: str) -> bool:
    """True when the token has the shape of one Vietnamese syllable (so "emily", "john" cannot)."""
    return bool(SYLLABLE.fullmatch(bare_letters(token)))


@lru_cache(maxsize=1 << 16)
def _has_rhyme(token: str) -> bool:
    return has_rhyme(bare_letters(token))


@dataclass(frozen=True, slots=True)
class _Minority:
    roles: dict[str, frozenset[str]]  # role (family, prefix_male, ...) -> names
    group: dict[str, str]  # name -> people (Ê Đê, Jarai, Khmer, Hmong...)
    words: frozenset[str]  # every name in the table
    parts: frozenset[str]  # every word of them (Rah of Rah Lan)
    highlands_first: frozenset[str]  # first words that may start a Central Highlands pattern


@cache
def _minority() -> _Minority:
    roles: dict[str, set[str]] = {}
    group: dict[str, str] = {}
    for row in read_csv("knowledge/minority_names.csv"):
        name = row["name"].strip()
        key = name if name.endswith("'") else normalize(name)
        roles.setdefault(row["role"], set()).add(key)
        group[key] = row["group"]
        # records from abroad drop the marks (Ro Mah, Nie, Kpa): a Central Highlands family name is known
        # without them too, where the folded form is no common Kinh name (Khmer and Hmong clan names,
        # Thạch, Giàng, fold onto Kinh ones)
        folded = fold(key)
        if folded != key and row["group"] not in ("Khmer", "Hmong") and \
                (" " in folded or _name_share(folded) < _KINH_NAME_SHARE):
            roles[row["role"]].add(folded)
            group[folded] = row["group"]
    words = frozenset().union(*roles.values())
    highlands = {w.split()[0] for w in roles["family"] if group[w] not in ("Khmer", "Hmong")}
    highlands |= roles["prefix_male"] | roles["prefix_female"] | {"h"}
    parts = frozenset(part for word in words for part in word.split())
    return _Minority({k: frozenset(v) for k, v in roles.items()}, group, words, parts, frozenset(highlands))


_KINH_NAME_SHARE = 1e-4  # a name part carried by fewer people is no common Kinh name


def _name_share(token: str) -> float:
    """The share of people the census tables give `token` as a given name, middle name or surname,
    whichever is largest."""
    return max(given_frequency(token), middle_frequency(token), surname_frequency(token))


_EMPTY: frozenset[str] = frozenset()


def _role(token: str, role: str) -> bool:
    return token in _minority().roles.get(role, _EMPTY)


def _is_prefixed(token: str) -> bool:
    """H'Hen, K'Long: a minority gender prefix glued to the name with an apostrophe."""
    if len(token) <= 2 or token[1] != "'":
        return False
    return _role(token[:2], "prefix_female") or _role(token[:2], "prefix_male")


@lru_cache(maxsize=1 << 16)
def _is_core(token: str) -> bool:
    """A token that belongs to the Vietnamese (or minority) name, not an adoptive Western name."""
    return (is_vietnamese_syllable(token) or token in _minority().parts or _is_prefixed(token)
            or token == "h" or _tabled_syllable(token))


# the particles that open Dutch, Flemish, German and French surnames (Van Dijk, De Vries, von Allmen):
# an adoptive surname, though "van" and "de" are Vietnamese syllables (Văn, Vân, Dê)
SURNAME_PARTICLES = frozenset({"van", "von", "de", "der", "den", "ten", "ter", "het", "des", "vander",
                               "vanden", "vande"})


def _surname_particles_at(tokens: tuple[str, ...], core: list[bool]) -> int | None:
    """Where an adoptive surname with particles starts at the end of the name: particles, then one word
    that is no part of a Vietnamese name ("Claire Quynh Van Dijk", "Lan Van der Berg"); None without.
    A particle the name needs is its own: Vân in "Emily Van Jensen" and "Julia Van Van Dijk"."""
    if len(tokens) < 3 or core[-1]:
        return None
    at = len(tokens) - 1
    while at > 1 and tokens[at - 1] in SURNAME_PARTICLES:
        at -= 1
    while at < len(tokens) - 1 and not any(core[:at]):
        at += 1
    return at if at < len(tokens) - 1 else None


def _adoptive_shaped(token: str) -> bool:
    """Léa, Liam: Vietnamese shape but no Vietnamese rhyme, no minority name, no name in the tables, no
    slip of a common surname. Where an adoptive first name stands, such a token is one; elsewhere it is
    likelier a slip (Vyy)."""
    return (is_vietnamese_syllable(token) and not _has_rhyme(token) and token not in _minority().words
            and not _tabled_syllable(token) and not _misspelt_surname_share(token))


# a census first name carried by fewer (percent of people) is likelier a slip of a Vietnamese name
# than an adoptive one: Lona beside Long, Luann beside Luân; Lily (0.017), Sarah (0.51) are names
WESTERN_NAME_MIN_PCT = 0.015


def _folded_as_written(name: str) -> str:
    """A Western name folded as written: not read as Vietnamese (Dawn is no "Dăn" typed in Telex)."""
    nfd = unicodedata.normalize("NFD", name.lower().replace("đ", "d"))
    return "".join(ch for ch in nfd if not unicodedata.combining(ch))


@cache
def _census_first_names(sex: str) -> dict[str, float]:
    """Folded first name -> percent of US people of that sex (1990 census list) who carry it."""
    rows = (line.split() for line in read_text(f"names/census1990_first_names_{sex}.txt").splitlines())
    return {_folded_as_written(fields[0]): float(fields[1]) for fields in rows if fields}


@cache
def _western_first_names() -> frozenset[str]:
    """Common first names Western families give, folded: the US 1990 census lists and the commonest
    European names they lack (data/SOURCES.md)."""
    european = read_csv("knowledge/european_first_names.csv")
    names = {_folded_as_written(row["name"]).replace(" ", "") for row in european}
    for sex in ("female", "male"):
        names |= {name for name, pct in _census_first_names(sex).items() if pct >= WESTERN_NAME_MIN_PCT}
    return frozenset(names)


def is_western_first_name(folded: str) -> bool:
    """A first name Western families commonly give (`_western_first_names`), written folded."""
    return folded in _western_first_names()


def first_name_sex(token: str) -> str | None:
    """"F" or "M" for a Western first name one sex carries (Claire, Marco); None for a name both carry
    alike (Jordan), or none. An adoptive first name tells the child's sex, whatever the sex field says."""
    name = fold(normalize(token)).replace(" ", "")
    female, male = _census_first_names("female").get(name, 0.0), _census_first_names("male").get(name, 0.0)
    if max(female, male) < WESTERN_NAME_MIN_PCT:
        return None
    if female >= 10 * male:
        return "F"
    return "M" if male >= 10 * female else None


def _adoptive_first_at(named: tuple[NameToken, ...]) -> int | None:
    """Where an adoptive first name of Vietnamese shape (`_adoptive_shaped`) stands in a name of three
    words or more: first ("Lea Huyen Ha Phi"), or first after the surname and its comma in the "Last,
    First Middle" of forms abroad ("NGUYEN, Liam Minh"); None where no such name stands there."""
    if len(named) < 3:
        return None
    if _adoptive_shaped(named[0][TEXT]) or _western_before_surname(named[0][TEXT], named[1][TEXT]):
        return 0
    # after the comma stands the given name too, and its slips (Vuyy, Khaánh) have the same shape: only a
    # Western first name counts there
    second = named[1][TEXT]
    return 1 if named[0][COMMA_AFTER] and _adoptive_shaped(second) and second in _western_first_names() \
        else None


# a Western first name that is a Vietnamese syllable too (Tim, Tom, Ben) is adoptive before a common
# surname, or Thị or Văn, where it is no surname and hardly a given name (Kim, a surname, and Vân are not)
ADOPTIVE_SYLLABLE_MAX_GIVEN_SHARE = 0.001


def _western_before_surname(first: str, second: str) -> bool:
    """"Tim Nguyễn Đức Dũng", "Tim Van Thieng Dang": an adoptive first name shaped like a syllable,
    before the birth name in either order."""
    if first not in _western_first_names() \
            or given_frequency(first, None) >= ADOPTIVE_SYLLABLE_MAX_GIVEN_SHARE:
        return False
    if _surname_score(second) >= FAMILY_FIELD_MIN_SHARE:
        return _surname_score(first) < 1e-4
    # before Thị or Văn, only a name no table holds as a surname ("Leo Thị Huyền" is Leo's, a rare one)
    return second in MIDDLE_MARKERS and not is_known_surname(first)


# marks only Vietnamese writes: breve (ă), horn (ơ ư), dot below (ạ), hook above (ả); and đ
_VIETNAMESE_MARKS = frozenset("\u0306\u031b\u0323\u0309đ")
_STACKED_MARKS = re.compile("[\u0300-\u036f]{2}")  # a tone above a circumflex (ấ, ề, ổ): no other language


def _marked_as_only_vietnamese_writes(token: str) -> bool:
    nfd = unicodedata.normalize("NFD", token)
    return not _VIETNAMESE_MARKS.isdisjoint(nfd) or _STACKED_MARKS.search(nfd) is not None


def _slipped_name_part(token: str) -> bool:
    """A token past the first that is no syllable yet belongs to the name: it carries marks only
    Vietnamese writes (Phưpng) or lies one keyboard slip from a given name (Oamh, Tuhý, Anj) and is no
    Western first name: Sarah lies one letter from Sara, Marie from Maria, yet in "NGUYEN, Sarah Thi Lan"
    or "Nguyen Thi Lan Marie" it is an adoptive name. Adoptive surnames (Smith, Taylor) lie nowhere near
    a Vietnamese name."""
    if _marked_as_only_vietnamese_writes(token):
        return True
    return bool(given_names_a_slip_away(token)) and token not in _western_first_names()


def _acronym(token: NameToken, all_caps: bool) -> bool:
    """Two capitals in a name not written in capitals: VN, TP, an abbreviation beside the name, not a
    slip of it."""
    return len(token[TEXT]) == 2 and token[UPPER] and not all_caps


def _tabled_syllable(token: str) -> bool:
    """A syllable of no Kinh rhyme that the census tables nonetheless hold as a name part: Hmong Yang,
    Tou, Khmer Chéa."""
    return bool(SYLLABLE.fullmatch(bare_letters(token))) and _name_share(token) > FREQUENCY_FLOOR


@lru_cache(maxsize=1 << 16)
def _surname_score(token: str) -> float:
    share = max(surname_frequency(token), _tone_merged_surname_share(token) / 2)
    if share >= 2e-5:
        return share if token not in MIDDLE_MARKERS else 0.0
    return _misspelt_surname_share(token) / 2


_HOOK, _TILDE = "\u0309", "\u0303"  # the hỏi and ngã tone marks


def _tone_merged_surname_share(token: str) -> float:
    """The share of the surname a token is with hỏi and ngã swapped ("Nguyển" for Nguyễn, "Đổ" for Đỗ):
    the South and the Centre merge the two tones, in speech and in the records written from it."""
    decomposed = unicodedata.normalize("NFD", token)
    if _HOOK in decomposed:
        swapped = decomposed.replace(_HOOK, _TILDE)
    elif _TILDE in decomposed:
        swapped = decomposed.replace(_TILDE, _HOOK)
    else:
        return 0.0
    return surname_frequency(unicodedata.normalize("NFC", swapped))


# cached: a parse asks it of a record's first token twice (an adoptive first name? a slipped surname?)
@lru_cache(maxsize=1 << 16)
def _misspelt_surname_share(token: str) -> float:
    """The share of the common surname a token unknown to the tables is one keyboard slip from ("Nguen",
    "Nguyem", "Ngyuen"): enough to tell which end of the name holds the surname."""
    bare = fold(token)
    if len(bare) < 3 or given_frequency(token) > FREQUENCY_FLOOR or middle_frequency(token) > FREQUENCY_FLOOR:
        return 0.0
    near = (share for name, share in common_surnames()
            if len(name) >= 4 and is_typing_slip(bare, name))  # Lê, Hồ, Đỗ: too short for one slip to tell
    return max(near, default=0.0)


def _given_score(token: str, sex: str | None) -> float:
    return given_frequency(token, sex)


def _given_share(token: str, sex: str | None) -> float:
    """How common a given name the token is; for a token no table holds, half the share of the commonest
    given name one slip away ("Phưn" for Phúc, Phương), as `_surname_score` reads a misspelt surname: a
    slip at one end must not decide which end holds the surname."""
    share = given_frequency(token, sex)
    if _name_share(token) > FREQUENCY_FLOOR or token in _minority().words:
        return share  # a name in the tables, as a given name or not (Bùi, Mạch), is no slip
    near = given_names_a_slip_away(token)
    return given_frequency(near[0], sex) / 2 if near else share


# ParsedName's fields as a plain tuple (see _parsed_fields).
_Fields = tuple[str, tuple[str, ...], str, tuple[str, ...], str, tuple[str, ...]]


# Khmer clan names that open a name and are never anyone's given name
_KHMER_CLANS_FIRST = frozenset({"thạch", "thach", "danh"})  # also as written without marks


def _build(surname: str, middle: list[str], given: str, other: list[str], order: str,
           tokens: tuple[str, ...]) -> _Fields:
    return (surname, tuple(middle), given, tuple(other), order, tokens)


def _highlands(core: list[str], other: list[str], tokens: tuple[str, ...]) -> _Fields | None:
    """Ê Đê / Jarai / K'Ho names: gender prefix, family name first or last."""
    minority = _minority()
    if minority.highlands_first.isdisjoint(core) and "'" not in "".join(core):
        return None
    if _kinh_middle_second(core):
        return None
    joined_pairs = {i: f"{core[i]} {core[i + 1]}" for i in range(len(core) - 1)}
    family_at = [i for i, t in enumerate(core) if _role(t, "family") and minority.group[t] not in
                 ("Khmer", "Hmong")]
    pair_at = [i for i, p in joined_pairs.items() if _role(p, "family")]
    first = core[0]
    has_prefix = (_role(first, "prefix_male") or _role(first, "prefix_female") or first == "h"
                  or _is_prefixed(first))
    if not family_at and not pair_at and not (has_prefix and len(core) >= 2 and first not in ("ka",)):
        return None
    if not family_at and not pair_at and _kinh_surname_last(core):
        return None  # "Chau Tran": Trần Châu turned round, not the Khmer prefix Chau
    if pair_at:
        i = pair_at[-1]
        surname_span = (i, i + 2)
    elif family_at:
        i = family_at[-1]
        surname_span = (i, i + 1)
    elif len(core) >= 3:
        surname_span = (len(core) - 1, len(core))  # prefix + name + unknown family name: family last
    else:
        surname_span = None
    if surname_span is None:
        rest = core
        surname = ""
    else:
        surname = " ".join(core[surname_span[0]: surname_span[1]])
        rest = core[: surname_span[0]] + core[surname_span[1]:]
    if not rest and other:
        # Highland given names open with clusters no Vietnamese syllable has (Djơi, Blin, Hyưi), so they
        # were set aside as adoptive: after a highland family name they are the given name. One with
        # marks (Blơi) is never Western.
        marked = [t for t in other if not t.isascii()]
        pick = (marked or other)[-1 if surname_span is not None and surname_span[0] == 0 else 0]
        rest = [pick]
        other = list(other)
        other.remove(pick)  # one occurrence: a name may repeat a token ("B B Rcom")
    if not rest:
        return _build(surname, [], "", other, "minority", tokens)
    prefixes = [t for t in rest if _role(t, "prefix_male") or _role(t, "prefix_female") or t == "h"]
    names = [t for t in rest if t not in prefixes] or rest
    # Family first (Ksor Pếch): the given name ends the name; family last (Y Moan Êban): it follows
    # the prefix.
    family_first = surname_span is not None and surname_span[0] == 0
    given = names[-1] if family_first else names[0]
    middle = list(rest)
    middle.remove(given)
    return _build(surname, middle, given, other, "minority", tokens)


def _kinh_middle_second(core: list[str]) -> bool:
    """Văn or Thị after a first token that is also a Kinh surname: "Chau Van Phong" is Châu Văn Phong
    without its marks, not a Khmer name opened by Chau."""
    return len(core) >= 3 and core[1] in MIDDLE_MARKERS and _surname_score(core[0]) > 0


def _kinh_surname_last(core: list[str]) -> bool:
    """The name ends in a common Kinh surname that no minority people uses: Western order, not a
    minority name opened by a gender prefix."""
    return core[-1] not in _minority().words and _surname_score(core[-1]) >= 0.005


def _kinh_first(core: list[str], other: list[str], tokens: tuple[str, ...], order: str) -> _Fields:
    if _opens_with_compound(core):
        return _build(f"{core[0]} {core[1]}", core[2:-1], core[-1], other, order, tokens)
    return _build(core[0], core[1:-1], core[-1], other, order, tokens)


def _opens_with_compound(core: list[str]) -> bool:
    """The name opens with a compound surname and has a given name after it: "Tôn Thất Minh", and
    without its marks "Ton That Minh" (`_unmarked_compounds`)."""
    return len(core) >= 3 and _is_compound(core[0], core[1])


def _closes_with_compound(core: list[str]) -> bool:
    """Western order of a compound surname: "Minh Ton That", "Lan Ton Nu"."""
    return len(core) >= 3 and _is_compound(core[-2], core[-1])


def _family_field(first: str, second: str, last: str, sex: str | None) -> bool:
    """A surname and the middle name that marks the sex ("NGUYEN-THI Lan", "TRAN-VAN Minh"): the family
    name as French and Belgian registers recorded many Vietnamese names, Thị or Văn taken for part of
    it, and hyphenated. Forenames joined so rarely open with a common surname ("Thi-Lan Nguyen"), but
    unmarked "van" is also Vân: "Hoang-Van" of a girl, or before a surname ("Hoang-Van Nguyen"), is a
    forename Hoàng Vân (`_sex_markers`)."""
    if surname_frequency(first) < FAMILY_FIELD_MIN_SHARE:
        return False
    return second in _sex_markers(sex) or (sex is None and fold(second) == "van"
                                            and surname_frequency(last) < FAMILY_FIELD_MIN_SHARE)


def _is_compound(first: str, second: str) -> bool:
    pair = f"{first} {second}"
    return pair in compound_surnames() or pair in _unmarked_compounds()


@cache
def _unmarked_compounds() -> frozenset[str]:
    """Compound surnames written without marks that can be nothing else: "ton that", "ton nu", not "nguyen
    phuc" or "hoang phu", whose second syllable unmarked is also a common middle name (Nguyễn Phúc Bảo is
    mostly a Nguyễn whose middle name is Phúc; marked, Hoàng Phủ is not Hoàng Phú)."""
    return frozenset(fold(compound) for compound in compound_surnames()
                     if middle_frequency(fold(compound.split()[1])) < 1e-3)


def _western(core: list[str], other: list[str], tokens: tuple[str, ...], sex: str | None) -> _Fields:
    """Surname last; the given name is the forename that looks most like a given name."""
    middle, given = _forenames(core[:-1], sex)
    return _build(core[-1], middle, given, other, "western", tokens)


# both syllables of a joined given name ("Thuyvy") are this common as a given or middle name: Thúy Vy,
# Ngọc Anh, Kim Liên pass; Western first names that split into syllables (An-na, Ha-na) do not
JOINED_MIN_SHARE = 2.5e-3
JOINED_MIN_SHARE_MARKED = 1e-4  # as many, where the word carries a mark only Vietnamese writes (Sôphượng)


def _unjoined(named: tuple[NameToken, ...]) -> tuple[NameToken, ...]:
    """The tokens with a two-syllable given name written as one word split in two: "Thuyvy Huynh" is
    Huỳnh Thúy Vy, "Ngocanh Nguyen" Nguyễn Ngọc Anh, as forms abroad that take one first name write
    them."""
    if len(named) == 1 and (whole := _joined_whole(named[0][TEXT])):
        return tuple((part, named[0][UPPER], False) for part in whole)
    split = [_joined_parts(t[TEXT]) for t in named]
    if not any(split):
        return named
    out: list[NameToken] = []
    for token, parts in zip(named, split, strict=True):
        if parts is None:
            out.append(token)
        else:
            out += [(parts[0], token[UPPER], False), (parts[1], token[UPPER], token[COMMA_AFTER])]
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def _joined_parts(token: str) -> tuple[str, str] | None:
    """The two common name syllables a token that is no syllable itself is made of, the most common
    pair where several readings exist (Ngọc Anh, not Ngô Cảnh); None for any other token."""
    if len(token) < 4 or _has_rhyme(token) or token in _minority().words:
        return None
    # a word with a mark only Vietnamese writes is no Western name: rarer syllables part it (Diểm|anh,
    # Kiều|chi), unless it is a slip of one name (Tuhận, Thuận)
    vietnamese = _marked_as_only_vietnamese_writes(token) \
        and not given_names_a_slip_away(token)
    pairs = [(share, parts) for share, parts in
             _forename_syllables(token, 2, JOINED_MIN_SHARE_MARKED if vietnamese else JOINED_MIN_SHARE)
             if len(parts) == 2 and min(map(len, parts)) >= 2]
    if not pairs:
        return None
    head, tail = max(pairs, key=lambda pair: pair[0])[1]  # the first of equal shares, as cut in order
    return head, tail


@lru_cache(maxsize=1 << 12)
def _joined_whole(token: str) -> tuple[str, ...] | None:
    """A whole name run together in one word ("nguyenthilan", "TRANVANAN", as some systems store it):
    a common surname, then two to four syllables each common as a given or middle name, the reading
    whose rarest part is commonest (Trần Văn An, not Trần Va Nan); None for any other word."""
    if len(token) < 6 or is_vietnamese_syllable(token):
        return None
    best: tuple[float, tuple[str, ...]] | None = None
    for cut in range(1, min(len(token), 8)):
        surname = token[:cut]
        if not is_vietnamese_syllable(surname) or surname_frequency(surname) < FAMILY_FIELD_MIN_SHARE:
            continue
        for share, rest in _forename_syllables(token[cut:], 4):
            if len(rest) >= 2 and (best is None or share > best[0]):
                best = (share, (surname, *rest))
    return None if best is None else best[1]


def _forename_syllables(text: str, most: int, least: float = JOINED_MIN_SHARE
                        ) -> list[tuple[float, tuple[str, ...]]]:
    """Each way of reading `text` as up to `most` syllables that at least a `least` share of people
    carry as a given or middle name, with the share of its rarest syllable."""
    found: list[tuple[float, tuple[str, ...]]] = []
    for cut in range(1, min(len(text), 8) + 1):
        head = text[:cut]
        if not is_vietnamese_syllable(head):
            continue
        share = max(given_frequency(head), middle_frequency(head))
        if share < least:
            continue
        if cut == len(text):
            found.append((share, (head,)))
        elif most > 1:
            found += [(min(share, rest_share), (head, *rest))
                      for rest_share, rest in _forename_syllables(text[cut:], most - 1, least)]
    return found


def _first_middle_after_comma(core: list[str], other: list[str], tokens: tuple[str, ...],
                              sex: str | None) -> _Fields | None:
    """"Nguyen, Lan Thi": the "Last, First Middle" of forms abroad, told from "Nguyen, Thi Lan" by a
    middle name that marks the sex (Thị, Văn) standing after the first forename and opening the middle
    names ("Bich San Thi" is Thị Bích San; `_sex_markers`).

    Without that cue "QUAN, Hanh Phuong Ha" may be either layout: a Western-order parse (the most
    given-like forename), whose other reading (`other_reading`) is the Vietnamese order and whose other
    forenames the scorer also tries as the given name. None where the forenames open with Thị or Văn,
    or are one: Vietnamese order; but a marker twice ("VU, Thi Thi Cam") opens with the given name Thi,
    as no name holds two markers."""
    forenames = core[1:]
    if len(forenames) < 2 or (forenames[0] in MIDDLE_MARKERS and forenames[1] not in MIDDLE_MARKERS):
        return None
    markers = _sex_markers(sex)
    marked_at = next((i for i, token in enumerate(forenames) if i and token in markers), None)
    if marked_at is not None:  # first names, then middle names: Vietnamese order puts them round
        ordered = forenames[marked_at:] + forenames[:marked_at]
        return _build(core[0], ordered[:-1], ordered[-1], other, "vietnamese", tokens)
    middle, given = _forenames(forenames, sex)
    return _build(core[0], middle, given, other, "western", tokens)


# how much commoner a surname the family field's first token must be than either end of the name
FAMILY_FIELD_ODDS = 10.0


def _family_field_last(core: list[str], upper: list[bool], other: list[str], tokens: tuple[str, ...],
                       sex: str | None) -> _Fields | None:
    """"Lan NGUYEN THI", "Anh Tran Thi Ngoc", "Huy Khanh LE MANH": first names, then the family-name
    field of forms abroad that took the surname together with the middle names (nom "NGUYEN THI",
    prénom "Lan"). Told by that field in capitals, two words or more opening with a surname, after
    first names that are not; or by a surname followed by a middle name that marks the sex, far
    commoner a surname than the name's ends ("Bao Chau Thi Dang" is Đặng Thị Bảo Châu in Western
    order). Read in Vietnamese order, the family field first; parsed as Western, so that the written
    order stays the other reading (`other_reading`) for a rare "Hà Nguyễn Thị Lan". None for any other
    name."""
    if core[0] in MIDDLE_MARKERS:
        return None
    in_capitals = next((i for i, up in enumerate(reversed(upper)) if not up), len(upper))  # at the end
    starts = [len(core) - in_capitals] if 2 <= in_capitals < len(core) else []
    markers = _sex_markers(sex)
    ends = max(_surname_score(core[0]), _surname_score(core[-1]))
    starts += [k for k in range(1, len(core) - 1)
               if core[k + 1] in markers and _surname_score(core[k]) > FAMILY_FIELD_ODDS * ends]
    for k in starts:
        if _surname_score(core[k]) > 0:
            return _family_field_first(core, k, other, "western", tokens)
    return None


def _family_field_first(core: list[str], k: int, other: list[str], order: str,
                        tokens: tuple[str, ...]) -> _Fields:
    """The family field that opens at `core[k]` read first, the first names before it last: "Lan Nguyen
    Thi" is Nguyễn / Thị / Lan."""
    ordered = core[k:] + core[:k]
    return _build(ordered[0], ordered[1:-1], ordered[-1], other, order, tokens)


def _sex_markers(sex: str | None) -> frozenset[str]:
    """The middle names that mark the sex, for a record of that sex (None: either). Unmarked "van" is
    also Vân, a girl's given name, so it marks a middle name only where the record says male."""
    female, male = SEX_MARKING_MIDDLES["F"], SEX_MARKING_MIDDLES["M"]
    return female if sex == "F" else male | {"van"} if sex == "M" else female | male


def _forenames(rest: list[str], sex: str | None) -> tuple[list[str], str]:
    """(middle names, given name) among forenames written in Western order.

    "Lan Thi Nguyen" (reversed) vs "Thi Lan Nguyen" (given names kept in Vietnamese order); with three
    forenames the given name may also stand second: "Manh Tuan Phu Bui" puts the two-syllable given
    name Mạnh Tuấn first, then the middle name. The most given-like forename wins; ties go to the last."""
    if len(rest) == 1:
        return [], rest[0]
    if len(rest) >= 3 and rest[1] in MIDDLE_MARKERS:
        # "Mai Thi Huyen Tran": Thị and Văn open the middle name, so what stands before them is the
        # given name moved first (Trần Thị Huyền Mai)
        return rest[1:], rest[0]
    if rest[0] in _sex_markers(sex):
        # "Thi Ngoc Khanh Nguyen": forenames that open with Thị or Văn stand in Vietnamese order, which
        # puts the given name last
        return rest[:-1], rest[-1]

    def given_ratio(token: str) -> float:
        if token in ("thị", "thi", "văn"):  # never a given name ("van" may be Vân folded)
            return 0.0
        return _given_score(token, sex) / middle_frequency(token, sex)

    ratios = [given_ratio(token) for token in rest]
    at = max(range(len(rest)), key=lambda i: (ratios[i], i))
    return rest[:at] + rest[at + 1:], rest[at]


def _surname_either_end(core: list[str], sex: str | None) -> bool:
    """Whether the first or the last of the names may well be a surname: carried as one by at least a
    tenth as many people as carry it as a given name (Hà, Mai and Lâm are both; Thanh and Hương hardly
    ever a surname)."""
    return any(_surname_score(token) > given_frequency(token, sex) / 10 for token in (core[0], core[-1]))


def _caps_cue(core_tokens: list[NameToken]) -> str | None:
    """"first"/"last" when exactly one end token is in capitals and the name is not all capitals.

    Only the ends need looking at: when they differ, the name is neither all nor never capitals.
    """
    first_upper, last_upper = core_tokens[0][UPPER], core_tokens[-1][UPPER]
    if first_upper == last_upper:
        return None
    return "first" if first_upper else "last"


def parse_name(full_name: str, sex: str | None = None, registered: bool = False,
               home_names: bool | None = None) -> ParsedName:
    """Split a full name into its parts; every token lands in exactly one part.

    `registered`: the name comes from the population register, which writes Kinh names surname first
    by law, so no cue turns it round ("Ông Thị Kiều Vy" is Ông, however rare, not Vy). `home_names`:
    whether the name may be what a family calls a child (`is_home_name`), as a record's own person's
    may; by default wherever the name is not registered (not a parent's: pass False)."""
    sex = getattr(sex, "value", sex)
    home_names = not registered if home_names is None else home_names
    return ParsedName(*_parsed_fields(full_name, sex, registered, home_names))


# a parent named as a caseworker speaks of them, by a title and the given name alone, with or without
# marks: a mother "Bà Lan", "Mẹ Lan" (Mrs, mother), a father "Ông Đạt", "Bố Đạt", "Ba Đạt" (Mr, father,
# dad in the south); as a younger person speaks of them, with marks: "Chị Lan", "Cô Lan", "Dì Lan" (elder
# sister, aunt), "Chú Đạt", "Bác Đạt" (uncle; not "Anh", elder brother, which is "Anh Huynh" written in
# Western order). Not cha (father) without a colon: "Cha Ly" is Lý Chà, a Hmong mother, in Western order,
# and in the other parent's field a title is no title
_PARENT_TITLE = {
    "F": re.compile(r"^\s*(?:b[àa]|m[ẹe]|chị|cô|dì)\.?\s*:?\s+(?=[^\W\d_]+\.?\s*$)", re.IGNORECASE),
    "M": re.compile(r"^\s*(?:[ôo]ng|b[ốo]|ba|chú|bác)\.?\s*:?\s+(?=[^\W\d_]+\.?\s*$)", re.IGNORECASE),
}


def without_parent_title(full_name: str, sex: str) -> str:
    """A mother's field (`sex` "F") or a father's ("M") without a title before the given name alone
    ("Bà Lan", "ONG CONG"), to parse as "Mrs. Lan" is: a given name alone (`given_only`), not the
    surname Bà beside the candidate's Nguyễn; nor the parent's word before a full name ("mẹ Nguyễn Thị
    Lan": `_PARENT_WORD`)."""
    title = _PARENT_TITLE.get(getattr(sex, "value", sex))
    full_name = _PARENT_WORD.sub("", full_name)
    return title.sub("", full_name) if title else full_name


# both parents written in one parent's field, as a form with one "Họ tên cha mẹ" line has them: joined by
# a word, a slash or a semicolon, or, where both are full names, a comma or a spaced dash
_TWO_NAMES = re.compile(r"\s+(?:và|and|&)\s+|\s+/\s+|\s*;\s*", re.IGNORECASE)
_TWO_FULL_NAMES = re.compile(r"\s*,\s*|\s+[-–]\s+")


def the_parent_of(text: str, sex: str) -> str:
    """Of two full names written in one parent's field (`both_parents`), the one of `sex` ("F": the
    mother's field, "M": the father's); the text as written where it holds one name, or where nothing
    tells whose is whose. Read whole, two names were one, the father's given name the mother's."""
    both = both_parents(text)
    return both[sex] if both and sex in both else text


def both_parents(text: str) -> dict[str, str] | None:
    """{"F": the mother's name, "M": the father's} where a field holds two full names ("Trần Thị Bình và
    Nguyễn Văn An", "… & …", "… / …", "Bố: Trần Văn Hùng - Mẹ: Nguyễn Thị Lan", "Trần Văn Hùng, Nguyễn Thị
    Lan"), told apart by the middle name Thị or Văn on one of them at least; None otherwise. Parted by a
    comma or a dash, a name Thị or Văn does not tell must open with a surname: "Trần Văn Hùng, làm ruộng"
    (a farmer) holds one name."""
    for parting, loosely in ((_TWO_NAMES, False), (_TWO_FULL_NAMES, True)):
        parts = [part for part in parting.split(text) if part.strip()]
        if len(parts) != 2 or any(len(part.split()) < 2 for part in parts):
            continue
        told = [_sex_by_middle(part) for part in parts]
        if told[0] == told[1]:  # neither says, or both the same sex
            continue
        if loosely and None in told and not _opens_with_surname(parts[told.index(None)]):
            continue
        other = {"F": "M", "M": "F"}
        return {cue or other[told[1 - i]]: parts[i] for i, cue in enumerate(told)}
    return None


def _opens_with_surname(name: str) -> bool:
    words = _FIELD_LABEL.sub("", _PARENT_WORD.sub("", name)).split()
    return bool(words) and is_known_surname(normalize(words[0]))


# a field that names an adoptive parent ("Mẹ nuôi: …", "Adoptive mother: …", "Mère adoptive : …"): not
# the birth parent the register holds, whose name it would contradict (má marked: Ma Nuôi is a name)
_ADOPTIVE_PARENT = re.compile(r"^\s*(?:(?:m[ẹe]|cha|b[ốo]|má|ba|cha\s+m[ẹe]|b[ốo]\s+m[ẹe])\s+nu[ôo]i"
                              r"|adoptive\s+(?:mother|father|parents?)|m[èe]re\s+adoptive|p[èe]re\s+adoptif"
                              r"|parents\s+adoptifs|adoptiv(?:mutter|vater|eltern)|adoptiefmoeder|adoptiefvader)\b",
                              re.IGNORECASE)


def names_an_adoptive_parent(text: str) -> bool:
    """Whether a parent's field says it names an adoptive parent (`_ADOPTIVE_PARENT`)."""
    return bool(_ADOPTIVE_PARENT.match(text))


def _sex_by_middle(name: str) -> str | None:
    """"F" for a name with Thị among its middle names, "M" with Văn (marked: "van" may be Vân), else None."""
    middles = [normalize(token) for token in name.split()[1:-1]]
    return next((sex for sex, marks in SEX_MARKING_MIDDLES.items() if marks.intersection(middles)), None)


def other_reading(name: ParsedName, sex: str | None = None) -> ParsedName | None:
    """A name parsed as Western read surname first instead, or one parsed surname first read as first
    names before a family-name field (`_family_field_reading`); None for every other parse, or where
    both readings agree.

    Both ends of an unaccented name are often surnames ("DINH QUANG HOAN VU": Đinh first, or Vũ last?),
    so the parse's guess of Western order can be wrong; the scorer tries this reading against each
    candidate where the parse's reading disagrees (`linkage.engine.scorer`). Swapping the surname and
    the given name is not this reading once a name has middle names: "Dinh Quang Hoan Vu" surname first
    is Đinh / Quang Hoàn / Vũ, not Hoàn / Dinh Quang / Vũ. (A name parsed surname first has no one
    Western reading: which forename is the given name is a guess, so swapping its surname and given
    name, the reversed reading "Lan Thi Nguyen", is the other reading the scorer takes, unless the
    family-field reading stands in for it.) `sex` tells "van" (Văn, a middle name of men) from Vân.
    """
    if not (name.surname and name.given) or name.order not in ("western", "vietnamese"):
        return None
    core = list(name.tokens)
    for token in reversed(name.other):  # adoptive names and bracketed aliases are in neither reading;
        del core[len(core) - 1 - core[::-1].index(token)]  # aliases stand last, so the last copy goes
    if len(core) < 3:  # two syllables: surname and given name swapped is the other reading, unless
        return _surname_lost(core, name)  # the first is likelier a middle name than a surname
    if name.order == "vietnamese":
        return _family_field_reading(core, name, getattr(sex, "value", sex))
    other = ParsedName(*_kinh_first(core, list(name.other), name.tokens, "vietnamese"))
    return None if (other.surname, other.middle, other.given) == (name.surname, name.middle, name.given) \
        else other


def _surname_lost(core: list[str], name: ParsedName) -> ParsedName | None:
    """"Thu Vân", "Khánh Anh", "Trung Tú": a name of two syllables whose first is a rare surname but a
    common middle name, and whose second a common given name, is as often a middle and a given name whose
    surname was lost (trace requests give the name an adoptee was called by), read so; None for any other
    name. Both readings are compared (the surname Thu is real, and so are Quàng and Cầm, which fold to
    common middle names). A second syllable that is no common given name may be a misspelt surname
    ("Luca Thanh Phang"): the surname and given name swapped stay the other reading there."""
    if name.order != "vietnamese" or name.middle or _surname_score(core[0]) >= FAMILY_FIELD_MIN_SHARE \
            or middle_frequency(core[0]) < JOINED_MIN_SHARE or given_frequency(core[1]) < JOINED_MIN_SHARE:
        return None
    return ParsedName("", (core[0],), core[1], name.other, "vietnamese", name.tokens)


# the family-field reading needs a surname one in five hundred people or more carry (Nguyễn, Đinh, Mai):
# beside rare or foreign ends, a rare one (Linh) is likelier a forename
FAMILY_FIELD_MIN_SHARE = 0.002


def _family_field_reading(core: list[str], name: ParsedName, sex: str | None) -> ParsedName | None:
    """"Mai Nguyễn Cẩm", "Phuong Phan Thuy": first names before a family-name field, as French forms
    write them (prénom "Mai", nom "Nguyễn Cẩm"), without the capitals or the Thị / Văn that tell the
    layout (`_family_field_last`), so parsed surname first. Read Nguyễn Cẩm Mai where the commonest
    surname inside the name is a common one, `FAMILY_FIELD_ODDS` times commoner than either end; None
    otherwise (the scorer then swaps surname and given name: "Binh Linh Seo" is Seo Linh Bình)."""
    # the family field opens with its surname before any Thị or Văn: they are never first names (but
    # "van" of a girl is Vân: "Thao Van Dinh Hai" is Đinh Hải Thảo Vân)
    markers = _sex_markers(sex)
    marker = next((i for i, token in enumerate(core) if token in markers), len(core))
    k = max(range(1, min(marker, len(core) - 1)), key=lambda i: _surname_score(core[i]), default=None)
    share = _surname_score(core[k]) if k is not None else 0.0
    if share < FAMILY_FIELD_MIN_SHARE or share <= FAMILY_FIELD_ODDS * max(_surname_score(core[0]),
                                                                          _surname_score(core[-1])):
        return None
    return ParsedName(*_family_field_first(core, k, list(name.other), "vietnamese", name.tokens))


@bounded_cache(1 << 18)
def _parsed_fields(full_name: str, sex: str | None, registered: bool, home_names: bool) -> _Fields:
    """The parse as a plain tuple: cached by the hundred thousand, which the garbage collector can
    ignore (a cached dataclass it would walk on every full collection).

    What a record adds in brackets is another name, not part of this one: a nickname ("Nguyễn Văn A
    (Tí)"), a second name ("(Lan Anh)"), a note ("(con bà Hoa)"). It is kept among the other names.
    A placeholder written where no name is known ("Bé gái", "Không tên", "Baby girl") is no name, and
    neither is a home name (`is_home_name`: "Tí", "Bé Hai"), which a register rarely holds: it names
    no given name, and a name in brackets after it is the name ("Nhóc (Hương)")."""
    if not full_name.replace("?", "").strip():  # "?", "??": no name was known, no letter was lost
        return "", (), "", (), "unknown", ()
    full_name = fill_lost_letters(full_name, sex)  # "Nguy?n Th? Lan": an encoding's lost letters
    if parent_named_instead(full_name):  # "Con bà Nguyễn Thị Lan": the mother's name, not the child's
        tokens = tuple(t[TEXT] for t in name_tokens(full_name))
        return "", (), "", tokens, "unknown", tokens
    main, aliases = _main_and_aliases(full_name)
    hyphenated = None if registered else _HYPHENATED_FIRST.match(main)
    if hyphenated and len(joined := [t[TEXT] for t in name_tokens(hyphenated[1])]) == 2 \
            and (_is_compound(*joined) or _family_field(*joined, hyphenated[2].lower(), sex)):
        hyphenated = None  # "Tôn-Nữ", "NGUYEN-THI": the family field, hyphenated
    if hyphenated:  # "Thi-Bich-Phuong Nguyen": the forenames in their order, joined as forms abroad join
        main = f"{hyphenated[2]} {hyphenated[1].replace('-', ' ')}"  # them, then the surname
    home = home_names and is_home_name(main)
    named_after_home = home and bool(aliases)
    if named_after_home:  # "Nhóc (Hương)", "Bé Hai (Chương)": what a family calls a child, then its name
        main, aliases, home = " ".join(aliases), [main], False
    # turned surname first, a hyphenated name is read as the register's are: no cue turns it round
    surname, middle, given, other, order, tokens = _parse(main, sex, registered or bool(hyphenated))
    if home or fold(main) in _PLACEHOLDERS:
        surname, middle, given, other, order = "", (), "", tokens, "unknown"
    elif home_names and surname and order != "minority" and is_home_name(" ".join([*middle, given])):
        # "Tí Nguyễn", "Be Ut Nguyen": a surname, and what the family called the child
        middle, given, other = (), "", (*middle, given, *other)
    elif not (surname or named_after_home) and aliases and ((in_full := _has_surname(aliases)) or not given):
        # "Dupont, Marie (Nguyen Thi Lan)", "Marie (Lan) Dupont": the adoptive name outside, the
        # Vietnamese one in brackets, in full (then it is the name) or a part (read in its place)
        in_place = _ALIASES.sub(lambda m: f" {m[1]} ", full_name)
        if in_full:
            main, aliases = " ".join(aliases), [main]
        elif in_place != full_name:
            main, aliases = in_place, []
        surname, middle, given, other, order, tokens = _parse(main, sex, registered)
    if aliases:
        extra = tuple(t[TEXT] for t in name_tokens(" ".join(aliases)))
        other, tokens = other + extra, tokens + extra
    if not registered and middle:
        middle = tuple(map(_slipped_marker, middle))
    return surname, middle, given, other, order, tokens


def _slipped_marker(token: str) -> str:
    """A middle name one keyboard slip from Thị or Văn that is no name anyone has ("Tih", "Tị", "aVn",
    "ăn"): that middle name, marked as the token is. Compared as written, it contradicted the
    candidate's Thị (-6 bits) where the records that drop Thị agree."""
    if token in MIDDLE_MARKERS or len(token) < 2 or _name_share(token) > FREQUENCY_FLOOR:
        return token
    marker = next((marker for marker in ("thị", "văn") if is_typing_slip(token, marker)), None)
    if marker is None:
        return token
    return fold(marker) if token.isascii() else marker


_ALIASES = re.compile(r"[(\[{]([^)\]}]*)[)\]}]?")
# forenames joined by hyphens, then one word: a French or American form's "prénom composé" and surname
_HYPHENATED_FIRST = re.compile(r"^\s*([^\W\d_]+\.?(?:\s*-\s*[^\W\d_]+)+)\s+([^\W\d_]+)\s*$")
# a name in quotes is another name too, as a bracket holds one: 'Nguyễn Văn An "Tí"' (an apostrophe
# inside a word is a highlands prefix: H'Hen)
_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|«\s*([^»]+?)\s*»|(?<!\w)[\'‘]([^\'’]+)[\'’](?!\w)')
# words that introduce the name a person was born with ("Marie Dupont, née Nguyễn Thị Lan") and those
# that introduce another name for the same person ("Nguyễn Văn An, còn gọi là Tí")
# ("né", the French for a man, only after a comma or a bracket: Né is a syllable of names too; nor
# "tức" alone, which is the given name Túc written without marks)
_BIRTH_NAME = re.compile(r"(?:(?:^|[\s,;(\[])(?:n[ée]e|born|geb\.?|geboren|birth name|formerly"
                         r"|vietnamese name|t[êe]n khai sinh|t[êe]n c[ũu]"
                         r"|t[êe]n (?:ti[ếe]ng )?vi[ệe]t(?: nam)?)"
                         r"|[,(\[]\s*né)\s*:?\s+", re.IGNORECASE)
_ALIAS_WORD = re.compile(r"(?:^|[\s,;])(?:alias|aka|a\.k\.a\.?|c[òo]n g[ọo]i l[àa]|c[òo]n g[ọo]i|t[ứu]c l[àa]"
                         # the French, German and Italian for "called", after a comma: "NGUYEN Van An, dit Ti"
                         r"|(?<=,)\s*(?:dite?|genannt|detto)"
                         r"|b[íi] danh|t[êe]n g[ọo]i kh[áa]c|t[êe]n kh[áa]c"
                         # either name, where the writer was unsure: "Nguyễn Thị Lan hoặc Lanh"
                         r"|ho[ặa]c|hay|or|ou)\s*:?\s+", re.IGNORECASE)
_AKA = re.compile(r"(?<![^\W\d_])a\.\s*k\.\s*a\.?(?![^\W\d_])", re.IGNORECASE)  # not read as initials
# "Ng." is how Vietnamese hands shorten Nguyễn ("Ng. Văn An", "Ng Thị Lan")
_NGUYEN_ABBREVIATED = re.compile(r"^\s*ng(?:\.\s*|\s+(?=(?:v[ăa]n|th[ịi])\b))", re.IGNORECASE)
# a middle name cut to its initial between two words, as forms abroad and hurried hands write one ("Nguyen
# H. Du", "Lan T. Nguyen", "Nguyễn Th. Lan", "NGUYEN H DU"): a letter or an onset says too little to
# compare (H is Hữu, Hoàng, Hồng…), so the middle name counts as not written, not as another one. A lone
# vowel is no initial (Y, Ý, Ô are names); a lone H only with its dot (H Hen Niê opens with the prefix)
# (plain spaces: a no-break space is a byte of mojibake, "PHáº\xa0M", repaired later)
_INITIAL = re.compile(r"(?<=[^\W\d_]) +(?:(?:[^\W\d_]|ch|gh|gi|kh|ng|nh|ph|qu|th|tr)\. *"
                      r"|[bcdđgklmnpqrstvx] +)(?=[^\W\d_])", re.IGNORECASE)
# a newborn or foundling written as its parent's child: "Con bà Nguyễn Thị Lan", "Con của sản phụ Trần
# Thị Mai", "CB Lê Thị Hoa" (con bà), "Baby of Nguyen Thi Lan"
_CHILD_OF = re.compile(r"^\s*(?:con(?:\s+(?:của|cua|bà|ba|chị|mẹ|ông|anh|sản phụ|san phu))+"
                       r"|(?:bé|cháu)\s+(?:con\s+)?của(?:\s+(?:bà|chị|mẹ|ông|anh|sản phụ))*"
                       r"|cb\.?|(?:baby|child|infant|son|daughter)(?:\s+(?:girl|boy))?\s+of)\s+(?=\S)",
                       re.IGNORECASE)
_CHILD_OF_FATHER = re.compile(r"\s(?:ông|ong|anh)\s*$", re.IGNORECASE)


def parent_named_instead(full_name: str) -> tuple[str, str] | None:
    """("mother" or "father", the parent's name) where a name only says whose child this is ("Con bà
    Nguyễn Thị Lan", "Con ông Trần Văn Nam", "Baby of Nguyen Thi Lan"; a hospital writes the mother,
    so an unnamed parent is the mother); None for a name of the child's own."""
    m = _CHILD_OF.match(full_name or "")
    if not m:
        return None
    parent = full_name[m.end():].strip()
    if not any(t for t in name_tokens(parent)):
        return None
    return ("father" if _CHILD_OF_FATHER.search(m[0].rstrip() + " ") else "mother"), parent


def _main_and_aliases(full_name: str) -> tuple[str, list[str]]:
    """The name to parse and the other names written with it: in brackets ("Nguyễn Văn A (Tí)"), after
    a word for another name ("alias", "còn gọi là"), or after a comma that ends a full name with an
    adoptive one ("NGUYEN Thi Lan, Marie"); where a word names the birth name ("née", "born", "tên khai
    sinh"), that is the name, and the rest are the others. A form's label before it ("Mẹ:") is read
    past."""
    full_name = _QUOTED.sub(lambda m: f"({next(part for part in m.groups() if part)})", full_name)
    full_name = _FIELD_LABEL.sub("", full_name, count=1)
    full_name = _without_notes(full_name)
    full_name = _NGUYEN_ABBREVIATED.sub(lambda m: "NGUYỄN " if m[0].strip(" .").isupper() else "Nguyễn ",
                                        full_name)
    full_name = _INITIAL.sub(" ", _AKA.sub("aka", full_name))
    birth = _BIRTH_NAME.search(full_name)
    if birth:
        tail = full_name[birth.end():]
        closing = re.search(r"[)\]}]", tail)
        name = tail[:closing.start()] if closing else tail
        rest = full_name[:birth.start()] + " " + (tail[closing.end():] if closing else "")
        kept = _ALIASES.sub(" ", rest).replace(",", " ").split()
        if len(name.split()) == 1 and len(kept) >= 2:
            # "Lan Martin née Nguyen": the birth surname alone, with the first names kept before the
            # married one
            return " ".join([*kept[:-1], name]), [kept[-1], *_ALIASES.findall(rest)]
        if any(ch.isalpha() for ch in name):
            return name, [part for part in (_ALIASES.sub(" ", rest).strip(" ,;"), *_ALIASES.findall(rest))
                          if part.strip()]
    main, aliases = _ALIASES.sub(" ", full_name), _ALIASES.findall(full_name)
    if aliases and not any(ch.isalpha() for ch in main):  # the whole name is in brackets
        return " ".join(aliases), []
    called = _ALIAS_WORD.search(main)
    if called and any(ch.isalpha() for ch in main[:called.start()]):
        main, aliases = main[:called.start()], [main[called.end():], *aliases]
    cut = _SEPARATOR.search(main)
    head, tail = (main[:cut.start()], main[cut.end():]) if cut else (main, "")
    after = name_tokens(tail) if cut and not _SEPARATOR.search(tail) else ()
    before = name_tokens(head)
    if after and len(before) >= 2 and (not any(_is_core(t[TEXT]) for t in after)
                                       or _nickname_after(before, after)):
        main, aliases = head, [tail, *aliases]
    return main, aliases


_SEPARATOR = re.compile("[,;]")
NICKNAME_MAX_SHARE = 1e-4  # a word after a whole name that fewer carry as a given name is a nickname


def _nickname_after(name: tuple[NameToken, ...], after: tuple[NameToken, ...]) -> bool:
    """"NGUYỄN VĂN AN, TÈO", "Nguyễn Văn An; Tí": one word after a whole name (a surname, a middle name,
    a given name) that hardly anyone carries as a given name is the name the family calls the child (tên
    gọi ở nhà), not the first name after a family field ("TRAN THI NGOC, Lan": Lan is a common name)."""
    return (len(after) == 1 and len(name) >= 3 and _surname_score(name[0][TEXT]) > 0
            and given_frequency(after[0][TEXT]) < NICKNAME_MAX_SHARE)


# a note after the name that holds a number: the year of birth or an age, as forms write a parent's
# ("Nguyễn Thị Hoa, sinh năm 1970", "Trần Văn Nam - SN 1968", "Nguyễn Thị Hoa, 35 tuổi")
_NOTE_AFTER = re.compile(r"(?:\s*[,;\-–]\s*|\s+)(?:(?:sinh|sn|s\.n\.|n[ăa]m sinh|born|b\.|aged?)\s*:?\s*)?"
                         r"(?:n[ăa]m\s+)?\d.*$", re.IGNORECASE | re.DOTALL)
# the parent's role written after the name ("Nguyễn Thị Hoa - mẹ", "Trần Văn Nam, father"), that they
# have died ("- đã mất", ", deceased") or what they do ("- nông dân", ", làm ruộng"), as forms note it
_ROLE = (r"(?:mẹ(?:\s+đẻ)?|bố(?:\s+đẻ)?|cha(?:\s+đẻ)?|mother|father|m[èe]re|p[èe]re"
         r"|(?:đã\s+)?(?:mất|chết|qua\s+đời)|da\s+(?:mat|chet|qua\s+doi)|deceased|died|d[ée]c[ée]d[ée]e?|verstorben"
         r"|n[ôo]ng\s+d[âa]n|l[àa]m\s+(?:ru[ộo]ng|n[ôo]ng|thu[êe])|bu[ôo]n\s+b[áa]n|c[ôo]ng\s+nh[âa]n"
         r"|n[ộo]i\s+tr[ợo]|gi[áa]o\s+vi[êe]n|lao\s+đ[ộo]ng(?:\s+t[ựu]\s+do)?|lao\s+dong(?:\s+tu\s+do)?"
         r"|liệt\s+sĩ|liet\s+si|farmer|worker|housewife)")
_ROLE_AFTER = re.compile(rf"\s*[,;\-–]\s*{_ROLE}\s*$", re.IGNORECASE)
# the same notes in brackets, or any bracket that holds a number: "Trần Thị Hoa (đã mất)", "(sinh 1970)"
_BRACKETED_NOTE = re.compile(rf"\s*[(\[]\s*(?:{_ROLE}|[^)\]]*\d[^)\]]*)\s*[)\]]", re.IGNORECASE)


def _without_notes(full_name: str) -> str:
    """The name without a note of age, year of birth or role after it (`_NOTE_AFTER`, `_ROLE_AFTER`),
    where a name stands before the note, and without such a note in brackets anywhere (not another name,
    as a bracket holds one: "(Tí)")."""
    full_name = _BRACKETED_NOTE.sub("", full_name)
    for note in (_NOTE_AFTER, _ROLE_AFTER):
        found = note.search(full_name)
        if found and any(ch.isalpha() for ch in full_name[:found.start()]):
            full_name = full_name[:found.start()]
    return full_name


def _has_surname(names: list[str]) -> bool:
    """Whether the first of the names opens with a known surname (a Vietnamese name in full)."""
    tokens = name_tokens(names[0]) if names else ()
    return bool(tokens) and _surname_score(tokens[0][TEXT]) > 0


# "baby", "little one" as written with their marks, which no surname is spelt as (Bế is one, Bé none):
# before a given name alone, no surname, as name_tokens would have it drop a title only before two
_BABY = frozenset({"bé", "cháu"})
_NOT_A_NAME = frozenset({"gái", "trai", "gai"})  # "Bé gái": a baby girl (_CHILD_WORDS)
# what a centre writes for a foundling before the name it gave ("Bé gái Mai", "Trẻ sơ sinh Trần Văn An"),
# folded: words that say a child, no name ("Bé" alone is a title and a surname: `text._drop_titles`)
_CHILD_WORDS = frozenset({
    "be gai", "be trai", "chau be", "chau gai", "chau trai", "em be", "tre em", "tre so sinh", "so sinh",
    "tre so sinh nam", "tre so sinh nu", "so sinh nam", "so sinh nu", "be so sinh", "be gai so sinh",
    "be trai so sinh", "baby", "baby girl", "baby boy", "infant", "newborn",
})


def _child_words(named: tuple[NameToken, ...]) -> int:
    """How many words for a child open the name, where a name follows them (0: none)."""
    for length in range(min(4, len(named) - 1), 0, -1):
        if " ".join(fold(t[TEXT]) for t in named[:length]) in _CHILD_WORDS:
            return length
    return 0


# What records write where a child has no name yet (folded; a centre's intake, a hospital's newborn)
_PLACEHOLDERS = _CHILD_WORDS | frozenset({
    "be", "tre", "khong ro", "khong ro ten", "khong ten", "khong co ten", "chua dat ten", "chua co ten",
    "chua ro", "chua ro ten", "vo danh", "khuyet danh", "an danh", "unknown", "unnamed", "no name", "none",
    "n a", "x", "xx",
    # what a form writes where a parent is not known ("Không có": none), in Vietnamese and abroad
    "khong", "khong co", "khong biet", "chua biet", "not known", "inconnu", "inconnue", "unbekannt",
    "onbekend", "desconocido", "sconosciuto",
    # undetermined, left blank, not remembered (a trace request's "không nhớ"), and their abbreviations
    "khong xac dinh", "chua xac dinh", "kxd", "kr", "k r", "bo trong", "de trong", "khong nho",
    "khong nho ten", "not remembered", "n k",
    # an abandoned child, as an intake may write one instead of a name
    "tre bi bo roi", "tre bo roi", "be bi bo roi", "tre so sinh bi bo roi", "chau be bi bo roi", "bi bo roi",
    "abandoned", "abandoned child", "abandoned baby", "foundling",
})


@cache
def _home_words() -> tuple[dict[str, str], dict[str, str]]:
    """Word -> its kind in a home name ("home": Tí, Nhóc; "prefix": Bé; "order": Hai, Út), as written
    with its marks, and folded."""
    rows = read_csv("knowledge/home_names.csv")
    return ({normalize(row["name"]): row["kind"] for row in rows},
            {fold(row["name"]): row["kind"] for row in rows})


def _home_word(word: str) -> str | None:
    """The kind of a normalised word in a home name; a word written with marks by its marks (Bế, a
    surname, is not Bé; Sử not Su), one without by its letters."""
    marked, folded = _home_words()
    return folded.get(word) if word.isascii() else marked.get(word)


def is_home_name(text: str) -> bool:
    """Whether `text` is a home name alone, what a family calls a child and a register rarely holds
    (`knowledge/home_names.csv`): home names ("Tí", "Nhóc", "Cu Tí"), or Bé or Cu before a home name
    or a birth order ("Bé Hai", "Bé Út", "Cu Ba"). Trace requests give the name an adoptee remembers,
    and that is often the one. Hai or Út alone are registered given names too, so not home names."""
    words = [normalize(word) for word in text.split()]  # one by one: a name's tokens lose a title (Bé)
    words = [word for word in words if word]
    if not words or len(words) > 3 or "," in text:  # "BE, Nam": the surname Bế, then the name
        return False
    kinds = [_home_word(word) for word in words]
    if len(words) > 1 and (kinds[0] == "prefix" or fold(words[0]) == "cu" and kinds[0] == "home"):
        return all(kind in ("home", "order") for kind in kinds[1:])
    return all(kind == "home" for kind in kinds)


# the form's own label copied with the name ("Mẹ: Nguyễn Thị Lan", "Họ và tên: …", "Father: …"): a
# word or two that say which name this is, then a colon
# (the birth parent too: "Mẹ ruột:", "Birth mother:", "Mère biologique :")
_BIRTH = r"(?:\s+(?:[đd][ẻe]|ru[ộo]t))?"
_FIELD_LABEL = re.compile(rf"^\s*(?:(?:h[ọo]\s+(?:v[àa]\s+)?)?t[êe]n(?:\s+(?:m[ẹe]|cha|b[ốo]){_BIRTH})?"
                          rf"|(?:ng[ưu][ờo]i\s+)?(?:m[ẹe]|cha|b[ốo]){_BIRTH}"
                          r"|(?:full\s+)?name|(?:(?:birth|biological|natural)\s+)?(?:mother|father)|nom|pr[ée]nom"
                          r"|(?:m[èe]re|p[èe]re)(?:\s+biologique)?)(?:\s*[:\-–]\s*|\s+là\s+)",
                          re.IGNORECASE)
# a parent's word before a full name, with no colon: "mẹ Nguyễn Thị Lan", "Bố Trần Văn Hùng" (marked
# only: Ma is a surname, and in Western order Cha is a Hmong given name)
_PARENT_WORD = re.compile(r"^\s*(?:ng[ưu]ời\s+)?(?:mẹ|bố|má)(?:\s+(?:đẻ|ruột))?(?:\s+là)?\s+(?=\S+\s+\S)",
                          re.IGNORECASE)


def _parse(full_name: str, sex: str | None, registered: bool = False) -> _Fields:
    named = name_tokens(full_name) if registered else _unjoined(name_tokens(full_name))
    if not registered and len(named) == 2 and named[0][TEXT] in _BABY and named[1][TEXT] not in _NOT_A_NAME:
        named = named[1:]  # "Bé An", as a centre writes a foundling it named: a baby, and its name
    child = 0 if registered else _child_words(named)
    if len(named) - child >= 2:  # "Bé gái Nguyễn Thị Lan": the words go, a full name follows them
        named, child = named[child:], 0
    tokens = tuple([t[TEXT] for t in named])
    if not tokens:
        return ("", (), "", (), "unknown", ())
    adoptive_at = _adoptive_first_at(named)
    if not child and adoptive_at is None and all(map(_is_core, tokens)):  # the common case
        core_named, other, core = named, [], list(tokens)
    else:
        # (a word of one letter shows no case of its own: "Y JU ADRONG", an Ê Đê man's prefix Y)
        all_caps = all(t[UPPER] for t in named if len(t[TEXT]) > 1)
        # a slip stays in the name: past the first token, one from a given name (Vyy); the first token
        # one from a common surname (Ngyuen, Trầnn), which an adoptive first name never is, or from a
        # given name before a surname that ends the name (Ttinh NGUYEN, Hunng Le: Western order)
        surname_last = _is_core(tokens[-1]) and is_known_surname(tokens[-1])
        # (a name of one word, as a parent's given name alone, is a given name: its slip is one, Qyunh)
        core_flags = [(_is_core(t[TEXT]) or ((i > 0 or surname_last or len(named) == 1)
                                             and _slipped_name_part(t[TEXT]) and not _acronym(t, all_caps))
                       or (i == 0 and _misspelt_surname_share(t[TEXT]) > 0))
                      and i != adoptive_at and i >= child for i, t in enumerate(named)]
        particles_at = _surname_particles_at(tokens, core_flags)
        if particles_at is not None:
            core_flags[particles_at:] = [False] * (len(tokens) - particles_at)
        core_named = [t for t, is_core in zip(named, core_flags, strict=True) if is_core]
        other = [t for t, is_core in zip(tokens, core_flags, strict=True) if not is_core]
        core = [t[TEXT] for t in core_named]
    if not core:
        return ("", (), "", tuple(other), "unknown", tokens)

    if other and tokens[0] in _KHMER_CLANS_FIRST:
        # "Danh Pol", "Thạch Thị Sophal": Khmer given names are often no Vietnamese syllable, yet they
        # belong to the name that the clan name opens, not to an adoptive Western name
        return _build(tokens[0], list(tokens[1:-1]), tokens[-1], [], "minority", tokens)
    minority = _minority()
    if not minority.highlands_first.isdisjoint(core) or "'" in "".join(core):
        highlands = _highlands(core, other, tokens)
        if highlands is not None:
            return highlands
    if len(core) == 1:
        only = core[0]
        if other and _surname_score(only) > _given_score(only, sex):
            return _build(only, [], "", other, "western", tokens)
        return _build("", [], only, other, "unknown", tokens)

    first, last = core[0], core[-1]
    # Hmong and Khmer: clan or family name first, never turned round.
    if first in minority.words:
        prefixed = _role(first, "prefix_male") or _role(first, "prefix_female")  # Chau, Néang
        if prefixed and not _kinh_surname_last(core) and not _kinh_middle_second(core):
            return _build("", core[:-1], core[-1], other, "minority", tokens)
        hmong = (minority.group[first] == "Hmong"
                 and (_role(core[1], "middle_male") or _role(core[1], "middle_female") or core[1] == "thị"))
        if hmong or first in _KHMER_CLANS_FIRST:
            # "DANH, Ra Thi Sa": the clan name, then the "First Middle" of forms abroad
            after_comma = _first_middle_after_comma(core, other, tokens, sex) \
                if core_named[0][COMMA_AFTER] and len(core) >= 3 else None
            return after_comma or _kinh_first(core, other, tokens, "minority")

    if _opens_with_compound(core):
        return _kinh_first(core, other, tokens, "vietnamese")
    if not registered and _closes_with_compound(core):
        middle, given = _forenames(core[:-2], sex)
        return _build(f"{core[-2]} {core[-1]}", middle, given, other, "western", tokens)
    # An adoptive surname where Western order keeps the surname: at the end ("Grace Huong Thi Thanh
    # Taylor"), or first with a comma before the first names ("SCHMIDT, Manon Huong Thi Ngoc", where no
    # common surname stands among the Vietnamese names either). Where neither end of the Vietnamese
    # names is a surname, the birth surname was replaced, not misplaced ("Lan Nguyen Smith" keeps it),
    # so all of them are forenames, in the order the form took them (Ngọc was the surname, Hương the
    # given name)
    adoptive_surname = not registered and (core_named[-1] is not named[-1] or (
        core_named[0] is not named[0] and named[0][COMMA_AFTER]
        and all(_surname_score(token) < FAMILY_FIELD_MIN_SHARE for token in core)))
    if adoptive_surname and not _surname_either_end(core, sex):
        middle, given = _forenames(core, sex)
        return _build("", middle, given, other, "western", tokens)
    if not registered and len(core) >= 2 and core[0] in SEX_MARKING_MIDDLES["F"] \
            and core[1] not in MIDDLE_MARKERS \
            and (core_named[0] is named[0]
                 or any(first_name_sex(t[TEXT]) for t in named[:named.index(core_named[0])])) \
            and all(_surname_score(token) < FAMILY_FIELD_MIN_SHARE for token in core[1:]) \
            and (len(core) <= 3 or not is_known_surname(core[-1])) \
            and not (len(core) == 3 and surname_frequency(core[-1]) > given_frequency(core[-1], "F")):
        # "Thị Lan", "Emily Thi Lan": a name that opens with Thị (after adoptive names, a first among them),
        # and holds no surname after it, lost its surname; Thị was read as one, which contradicted every
        # candidate's ("Thi Thị Kim Hiền" opens with the surname Thi; Văn is a surname too: Văn Thị Huyền).
        # Four names or more after Thị ending in a surname are Western order, the surname kept: five
        # syllables are rare, "Thi Cam My Lu" (Lữ Thị Cẩm My) is not; nor is a rare surname after one
        # given name that is more often a surname than a woman's name ("Thi Vui La": La Thị Vui)
        return _build("", core[:-1], core[-1], other, "vietnamese", tokens)
    if not registered and len(core) == 2 and core[0] in ("văn", "van") and sex != "F" \
            and core_named[0] is named[0] and core[1] not in MIDDLE_MARKERS \
            and _surname_score(core[1]) < FAMILY_FIELD_MIN_SHARE:
        # "Văn Hùng", "Van Hao": a man's name of two words that opens with Văn lost its surname, as a
        # woman's that opens with Thị does. Văn is a surname too, but of one person in two thousand, and
        # a man with no middle name is rarer still: read as the surname, it contradicted nearly every such
        # man's own identity ("Van Nguyen", "Van Le" keep a surname: Western order)
        return _build("", [core[0]], core[1], other, "vietnamese", tokens)
    # From here on the name opens with no compound surname, so Kinh order is the first token first.
    kinh = (first, tuple(core[1:-1]), last, tuple(other), "vietnamese", tokens)
    if registered:
        return kinh
    has_comma = "," in full_name or ";" in full_name
    comma_at = next((i for i, t in enumerate(core_named[:-1]) if t[COMMA_AFTER]), None) if has_comma else None
    if comma_at == 0:
        return _first_middle_after_comma(core, other, tokens, sex) or kinh
    upper = [t[UPPER] for t in core_named]
    if comma_at is None and (family_last := _family_field_last(core, upper, other, tokens, sex)):
        return family_last
    if comma_at is not None and comma_at == len(core) - 2:
        # "Thi Lan, NGUYEN"? rare; "Lan Thi, Nguyen": surname after the comma.
        return _western(core, other, tokens, sex)
    first_upper, last_upper = core_named[0][UPPER], core_named[-1][UPPER]
    if first_upper != last_upper:  # _caps_cue, inlined: one end in capitals
        return kinh if first_upper else _western(core, other, tokens, sex)

    s_first, s_last = _surname_score(first), _surname_score(last)
    g_first, g_last = _given_share(first, sex), _given_share(last, sex)
    if first in MIDDLE_MARKERS:
        g_first = max(g_first, 1.0)  # "Thi Lan Nguyen": a name cannot start with Thị in Kinh order
    if s_last * g_first > s_first * g_last:
        return _western(core, other, tokens, sex)
    return kinh
