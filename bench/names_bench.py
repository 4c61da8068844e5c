"""How many names per second `linkage.vn` normalises and parses on one core.

Input: full names drawn from the sourced frequency tables (surname by population share, middle and
given name by sex), so common names recur the way they do in real registers, and written the ways
records write them (as is, without diacritics, in capitals, Western order, surname last in capitals,
NFD). Nothing here is a real person. Three figures are printed: the realistic stream from cold
caches (repeats hit the whole-name cache), distinct names only (every call a miss), and the stream
again with warm caches. Times are CPU time of this process, so other load on the machine counts less.
Run it pinned to one core: `taskset -c 1 .venv/bin/python bench/names_bench.py`.

Usage: .venv/bin/python bench/names_bench.py [--names 200000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import time
import unicodedata

from linkage.vn import frequencies as freq
from linkage.vn.names import _parsed_fields, parse_name
from linkage.vn.text import fold, name_tokens, normalize


def _weighted(table: dict[str, float], k: int, rng: random.Random) -> list[str]:
    names, weights = zip(*table.items(), strict=True)
    return rng.choices(names, weights=weights, k=k)


def _strip(text: str) -> str:
    return fold(text)


def make_names(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    surnames = _weighted(freq._surname_tables()[0], count, rng)
    sexes = rng.choices(["M", "F"], k=count)
    out = []
    middles = {s: _weighted(freq._middle_tables()[s][0], count, rng) for s in ("M", "F")}
    givens = {s: _weighted(freq._given_tables()[s][0], count, rng) for s in ("M", "F")}
    for i in range(count):
        sex = sexes[i]
        surname, middle, given = surnames[i].title(), middles[sex][i].title(), givens[sex][i].title()
        style = rng.random()
        if style < 0.55:
            text = f"{surname} {middle} {given}"
        elif style < 0.70:
            text = _strip(f"{surname} {middle} {given}").upper()
        elif style < 0.80:
            text = f"{_strip(given).title()} {_strip(middle).title()} {_strip(surname).upper()}"
        elif style < 0.90:
            text = unicodedata.normalize("NFD", f"{surname} {middle} {given}")
        else:
            text = f"{_strip(given).title()} {_strip(surname).title()}"
        out.append(text)
    return out


def _clear_caches() -> None:
    for fn in (name_tokens, _parsed_fields):
        fn.cache_clear()


def run(names: list[str]) -> float:
    start = time.process_time()  # CPU time of this process: other load on the machine does not count
    for text in names:
        normalize(text)
        parse_name(text)
    return len(names) / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    names = make_names(args.names, args.seed)
    distinct = list(dict.fromkeys(names))
    parse_name("Nguyễn Thị Lan")  # load the tables once, as a server does at start
    _clear_caches()
    stream = run(names)
    warm = run(names)
    _clear_caches()
    unique = run(distinct)
    print(f"names: {len(names):,} ({len(distinct):,} distinct), one core, CPU time")
    print(f"realistic stream with repeats, cold caches: {stream:,.0f} names/s normalised and parsed")
    print(f"distinct names only (every call a miss):    {unique:,.0f} names/s")
    print(f"the same stream again (warm caches):        {warm:,.0f} names/s")


if __name__ == "__main__":
    main()
