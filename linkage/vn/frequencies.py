"""How common a surname, middle name or given name is: the term-frequency side of matching.

Agreeing on Nguyễn (about 38% of people) says little; agreeing on a rare name says a lot. Shares are
in 0..1 and never 0: a name the tables have not seen gets a small floor, because it is rare, not
impossible.

Sources (linkage/vn/data/SOURCES.md):
- surnames: the published population shares of the 14 commonest (Wikipedia "Vietnamese name");
  Hoàng+Huỳnh and Vũ+Võ are published together and split here in the proportion of list b. The rest
  share what is left (100% minus the 14), in proportion to their list-b counts.
- given and middle names: counts by sex from list b (63,774 distinct names).
Lookups take toned or folded text: a folded key ("nguyen") gets the sum of all toned names that fold
to it (Nguyễn + Nguyên + ...), which is what an unaccented record can mean.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache, lru_cache

from linkage.vn._data import read_csv
from linkage.vn.text import fold, is_folded, normalize

__all__ = ["surname_frequency", "given_frequency", "middle_frequency", "is_known_surname",
           "carried_without_marks", "role_tables", "FLOOR"]

FLOOR = 1e-6  # share given to a name no table has seen (below the rarest observed, ~1.5e-5)


def _fold_table(table: dict[str, float]) -> dict[str, float]:
    folded: dict[str, float] = defaultdict(float)
    for name, share in table.items():
        folded[fold(name)] += share
    return dict(folded)


@cache
def _surname_tables() -> tuple[dict[str, float], dict[str, float]]:
    rows = read_csv("names/surname_counts.csv")
    reference: dict[str, float] = {}
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        name = normalize(row["surname"])
        if not name or " " in name:
            continue
        counts[name] += int(row["count_list_b"] or 0)
        if row["reference_share_pct"]:
            reference[name] = float(row["reference_share_pct"]) / 100.0
    # Pairs published as one share: split in proportion to list b.
    shared = {}
    for a, b in (("hoàng", "huỳnh"), ("vũ", "võ")):
        total = counts[a] + counts[b]
        shared[a] = reference[a] * counts[a] / total
        shared[b] = reference[b] * counts[b] / total
    reference.update(shared)
    rest_mass = max(0.0, 1.0 - sum(reference.values()))
    rest_total = sum(c for n, c in counts.items() if n not in reference)
    table = dict(reference)
    for name, count in counts.items():
        if name not in reference and count > 0:
            table[name] = rest_mass * count / rest_total
    return table, _fold_table(table)


def _sexed_tables(path: str, key: str) -> dict[str | None, tuple[dict[str, float], dict[str, float]]]:
    rows = read_csv(path)
    counts: dict[str | None, dict[str, float]] = {"M": defaultdict(float), "F": defaultdict(float),
                                                   None: defaultdict(float)}
    for row in rows:
        name = normalize(row[key])
        if not name:
            continue
        male, female = int(row["male_count"]), int(row["female_count"])
        counts["M"][name] += male
        counts["F"][name] += female
        counts[None][name] += male + female
    out = {}
    for sex, table in counts.items():
        total = sum(table.values())
        shares = {n: c / total for n, c in table.items() if c > 0}
        out[sex] = (shares, _fold_table(shares))
    return out


@cache
def _given_tables():
    return _sexed_tables("names/given_name_counts_by_sex.csv", "given_name")


@cache
def _middle_tables():
    return _sexed_tables("names/middle_name_counts_by_sex.csv", "middle_name_segment")


def role_tables(sex: str | None = None) -> dict[str, dict[str, float]]:
    """{"surname", "middle", "given"} -> {name: its share of that role's names}, middle and given names
    among those of `sex` ("M", "F"; None: both)."""
    key = _sex_key(sex)
    return {"surname": _surname_tables()[0], "middle": _middle_tables()[key][0],
            "given": _given_tables()[key][0]}


def _lookup(tables: tuple[dict[str, float], dict[str, float]], name: str) -> float:
    toned, folded = tables
    key = normalize(name)
    # An unaccented name may stand for any toned name that folds to it.
    share = folded.get(key) if is_folded(key) else toned.get(key)
    return share if share else FLOOR


def _sex_key(sex: str | None) -> str | None:
    value = getattr(sex, "value", sex)
    return value if value in ("M", "F") else None


@lru_cache(maxsize=1 << 16)
def surname_frequency(surname: str) -> float:
    """Population share of a surname (Nguyễn ~0.384); FLOOR when unseen."""
    return _lookup(_surname_tables(), surname)


@cache
def common_surnames(min_share: float = 0.01) -> tuple[tuple[str, float], ...]:
    """Surnames (folded) that at least `min_share` of people carry, with their shares, commonest first."""
    folded = _surname_tables()[1]
    common = ((name, share) for name, share in folded.items() if share >= min_share)
    return tuple(sorted(common, key=lambda item: -item[1]))


def is_known_surname(surname: str, min_share: float = 2e-5) -> bool:
    """True when the surname tables hold it with at least `min_share` (filters one-off noise)."""
    return surname_frequency(surname) >= min_share


def given_names(min_share: float = 0.0) -> tuple[str, ...]:
    """Given names (folded) that at least `min_share` of people carry."""
    return tuple(sorted(n for n, share in _given_tables()[None][1].items() if share >= min_share))


@lru_cache(maxsize=1 << 16)
def given_frequency(given: str, sex: str | None = None) -> float:
    """Share of people of that sex (or all) whose given name (last syllable) is `given`."""
    return _lookup(_given_tables()[_sex_key(sex)], given)


@lru_cache(maxsize=1 << 16)
def middle_frequency(middle: str, sex: str | None = None) -> float:
    """Share of people whose middle name is `middle` (a whole middle such as "thị ngọc", or one part)."""
    return _lookup(_middle_tables()[_sex_key(sex)], middle)


# A name written without diacritics that fewer than this share of the people whose names fold to it carry
# exactly so has lost its marks (Duc, Tuan, Ngoc: nobody; Ha: 0.5 % of Ha, Hà, Hạ...); Lan (88 %), Minh,
# Mai, and Tam (2 % of Tam, Tâm, Tám) and Hai (3.5 %) are names as written: about as often as a record
# loses the marks of one part of a name, so a twin named Tam beside one named Tâm stays told apart
CARRIED_UNMARKED_SHARE = 0.01


@lru_cache(maxsize=1 << 16)
def carried_without_marks(name: str, role: str) -> bool:
    """Whether a name written without diacritics is one people carry so as a `role` ("surname", "given",
    "middle": Lan, Minh, Mai) rather than a name whose marks were lost (Duc for Đức, Tran for Trần, Thi
    as a middle name for Thị). A name the tables do not hold tells nothing: True."""
    tables = {"surname": _surname_tables, "given": lambda: _given_tables()[None],
              "middle": lambda: _middle_tables()[None]}[role]()
    toned, folded = tables
    key = normalize(name)
    everyone = folded.get(fold(key), 0.0)
    return not everyone or toned.get(key, 0.0) >= CARRIED_UNMARKED_SHARE * everyone
