"""Which real given names a written token may be one keyboard slip from.

A given name typed "Tie", "Hyu" or "Phuogn" is no name anyone has; the names it may stand for are those
one letter dropped, doubled, swapped with its neighbour or mistyped away (`is_typing_slip`).
Found with a deletion index over the published given-name table (SymSpell's idea: a name and a token
one edit apart share a form with at most one letter deleted), so a lookup costs a few dict probes.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache, lru_cache

from jellyfish import damerau_levenshtein_distance

from linkage.vn.frequencies import given_frequency, given_names, role_tables
from linkage.vn.text import fold, normalize

__all__ = ["given_names_a_slip_away", "is_typing_slip", "is_established_name", "is_no_name"]

# names held by one in a hundred thousand people or more: rarer entries are mostly the tables' own noise
_MIN_SHARE = 1e-5
# a written token the given-name table holds once is no evidence of a name of its own: "Hos" (once in
# 64,000) beside Hoa is a slip of Hoa; twice or more, it is a name
ESTABLISHED_SHARE = 2.5e-5


def is_established_name(token: str) -> bool:
    """Whether the published table holds the token as a given name more than once."""
    return given_frequency(fold(normalize(token))) >= ESTABLISHED_SHARE


def is_established_as_written(token: str) -> bool:
    """Whether the published table holds the token, with its marks, as a given name more than once:
    "Ành" folds to Anh, a name, but with its grave accent is none."""
    return given_frequency(normalize(token)) >= ESTABLISHED_SHARE


@cache
def _folded_name_words() -> frozenset[str]:
    """Every word of every surname, middle name and given name the tables hold, folded."""
    return frozenset(fold(word) for table in role_tables().values()
                     for name in table for word in name.split())


def is_no_name(token: str) -> bool:
    """Whether `token`, one word, is no part of any name the tables hold, marks aside ("Gka", "Udc",
    "Tih"): a slip, not another name."""
    folded = fold(normalize(token))
    return bool(folded) and " " not in folded and folded not in _folded_name_words()


def is_typing_slip(written: str, name: str) -> bool:
    """Whether `written` is one keyboard slip from `name` once marks are folded: a letter dropped, doubled,
    swapped with its neighbour or mistyped (Tiếnn, Qyuết, Vnâ for Tiến, Quyết, Vân). Says nothing of
    whether `written` is itself a real name: the caller knows which names exist."""
    a, b = fold(normalize(written)), fold(normalize(name))
    return bool(a) and bool(b) and a != b and damerau_levenshtein_distance(a, b) == 1


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@cache
def _index() -> dict[str, frozenset[str]]:
    """Folded name, and each form of it with one letter deleted -> the folded names."""
    index: dict[str, set[str]] = defaultdict(set)
    for name in given_names(_MIN_SHARE):
        for form in {name, *_deletions(name)}:
            index[form].add(name)
    return {form: frozenset(names) for form, names in index.items()}


@lru_cache(maxsize=1 << 16)
def given_names_a_slip_away(token: str) -> tuple[str, ...]:
    """Folded given names one keyboard slip from `token`, commonest first; () when the token is itself
    a given name (a real name is no slip) or a single letter (an initial). Two letters are read only as
    a three-letter name with a letter dropped (Sn, Ah for Sơn, Anh): every two-letter form lies one
    mistyped letter from a dozen names."""
    written = fold(normalize(token))
    if len(written) < 2 or is_established_name(written):
        return ()
    index = _index()
    if len(written) == 2:
        found = [n for n in index.get(written, ()) if len(n) == 3]
    else:
        near: set[str] = set()
        for form in {written, *_deletions(written)}:
            near |= index.get(form, frozenset())
        found = [n for n in near if is_typing_slip(written, n)]
    return tuple(sorted(found, key=lambda n: (-given_frequency(n), n)))
