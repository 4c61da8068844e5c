"""Source records derived from the population, with their damage, near misses and the ground truth.

Each source record is written from a `Person`: a population identity (a true match), or someone the
population lacks (a twin or sibling never registered, a namesake, a stranger): a true non-match that
looks like population people. The same writing code damages both, so cleanliness gives nothing away.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from linkage.domain import PersonRecord, Sex
from linkage.synth.corrupt import (
    MONTHS_EN,
    NICKNAMES,
    PLACEHOLDER_NAMES,
    Damage,
    damage_date,
    damage_name,
    estimated_age,
    pid_typo,
)
from linkage.synth.names import KINH, Name, TwinNamer, sample_givens, sample_middles, sample_surnames
from linkage.synth.places import damage_place
from linkage.synth.population import TODAY, Population, call_name, generate_population, pid_numbers
from linkage.synth.profiles import (
    CHANNELS,
    NEAR_MISS_KINDS,
    RECORD_ID_PREFIX,
    SOURCES,
    TWIN_OVERSAMPLE,
    WRITTEN_AGAIN,
)
from linkage.synth.reference import Reference, load_reference
from linkage.synth.said import age_in_words, parents_on_one_line, part_of_the_country
from linkage.synth.script import fold

PARENT_EXCLUDED = frozenset({"adoptive_first_name", "adoptive_surname", "centre_name", "placeholder_name",
                             "nickname"})
SIBLING_GAP_DAYS = 400  # an unregistered brother or sister is born at least this far from each sibling
PARENT_SCALE = 0.7   # parents' names are copied with a little less care than the child's, not more


@dataclass(frozen=True, slots=True)
class Person:
    name: Name
    male: bool
    born: dt.date
    commune: int
    mother: Name
    father: Name
    pid: str


@dataclass(slots=True)
class Truth:
    source: str
    record_id: str
    identity_id: str | None
    kind: str
    channel: str
    corruptions: list[str] = field(default_factory=list)


def person_of(pop: Population, i: int) -> Person:
    return Person(pop.name(i), bool(pop.male[i]), pop.birth_date(i), int(pop.commune[i]), pop.mother[i],
                  pop.father[i], pop.pid[i])


class _Builder:
    """Holds the random streams and the population while records are made."""

    def __init__(self, pop: Population, seed: int, ref: Reference):
        self.pop, self.ref = pop, ref
        self.rng = np.random.default_rng([seed, 1])
        self.rnd = random.Random(seed * 7919 + 1)
        self.namer = TwinNamer(ref)
        self.years = pop.birth.astype("datetime64[Y]").astype(int) + 1970
        self.taken_pids = set(pop.pid)
        self._outsiders: Population | None = None
        self._outsider_next = 0
        self._seed = seed
        self.rng_siblings = np.random.default_rng([seed, 3])  # redraws only (`_unlike_siblings`)
        self.rnd_siblings = random.Random(seed * 104729 + 3)
        self.rng_namesakes = np.random.default_rng([seed, 7])  # redraws only (`_outside_family`)
        self.rnd_forms = random.Random(seed * 15485863 + 5)  # `_as_written_abroad`, `_as_a_hospital_writes`
        self.rnd_said = random.Random(seed * 15485863 + 9)  # `_as_said`
        self.rng_again = np.random.default_rng([seed, 11])  # who a source writes twice (`build_records`)

    # --- people the population lacks ----------------------------------------------------------

    def _new_pid(self, commune: int, male: bool, born: dt.date) -> str:
        code = np.array([int(self.ref.communes[commune].province_code)])
        while True:
            pid = pid_numbers(self.rng, code, np.array([male]), np.array([born.year]))[0]
            if pid not in self.taken_pids:
                self.taken_pids.add(pid)
                return pid

    def _given(self, male: bool, year: int, middle: str) -> tuple[str, str]:
        m = np.array([male])
        y = np.array([year])
        given, mid = sample_givens(self.ref, self.rng, m, y, np.array([middle], dtype=object))
        return given[0], mid[0]

    def _middle(self, male: bool, year: int) -> str:
        return sample_middles(self.ref, self.rng, np.array([male]), np.array([year]))[0]

    def near_miss(self, kind: str, anchor: int, years: tuple[int, int]) -> Person:
        a = person_of(self.pop, anchor)
        rnd = self.rnd
        if kind == "twin_absent":
            male = a.male if rnd.random() < 0.65 else not a.male
            given = self.namer.given_for_twin(a.name.given, male, rnd)
            name = Name(a.name.surname, a.name.middle if male == a.male else self._twin_middle(a, male),
                        given, a.name.style)
            pid = self._new_pid(a.commune, male, a.born)
            return Person(name, male, a.born, a.commune, a.mother, a.father, pid)
        if kind in ("sibling_absent", "same_name_other_year"):
            gap = rnd.choice((-1, 1)) * rnd.randint(SIBLING_GAP_DAYS if kind == "sibling_absent" else 730,
                                                    6 * 365)
            born = a.born + dt.timedelta(days=gap)
            if born > TODAY or born.year < years[0] - 3:
                born = a.born - dt.timedelta(days=abs(gap))
            if kind == "same_name_other_year":
                return self._cousin(a, born)
            born = self._spaced_from_siblings(born, anchor)
            male = rnd.random() < 0.5
            keep = male == a.male and rnd.random() < 0.6
            middle = a.name.middle if keep else self._middle(male, born.year)
            given, middle = self._given(male, born.year, middle)
            name = Name(a.name.surname, middle, given, a.name.style)
            if a.name.style != KINH:
                prefix = a.name.middle if male == a.male else self._twin_middle(a, male)
                name = Name(a.name.surname, prefix, self.namer.given_for_twin(a.name.given, male, rnd),
                            a.name.style)
            name = self._unlike_siblings(name, male, born.year, anchor)
            commune = a.commune if rnd.random() < 0.85 else self._commune_in_province(a.commune)
            return Person(name, male, born, commune, a.mother, a.father, self._new_pid(commune, male, born))
        if kind == "namesake":
            born = dt.date(a.born.year, 1, 1) + dt.timedelta(days=rnd.randrange(365))
            born = min(born, TODAY)
            other = person_of(self.pop, self._outside_family(int(self.rng.integers(len(self.pop))), anchor))
            commune = self._commune_in_province(a.commune)
            return Person(a.name, a.male, born, commune, other.mother, other.father,
                          self._new_pid(commune, a.male, born))
        return self._outsider(years)

    def _outside_family(self, drawn: int, anchor: int) -> int:
        """`drawn`, or another person where it is of the anchor's family: a namesake's parents are other
        people (a child of the anchor's own parents with the anchor's name would be the anchor). Redrawn
        from a stream of its own, so the other records stay as they were."""
        family = self.pop.family
        while family[drawn] == family[anchor]:
            drawn = int(self.rng_namesakes.integers(len(self.pop)))
        return drawn

    def _spaced_from_siblings(self, born: dt.date, anchor: int) -> dt.date:
        """`born`, or another date where it falls within SIBLING_GAP_DAYS of a registered child of the
        anchor's family (not only the anchor): births to one mother lie a pregnancy and more apart.
        Redrawn from a stream of its own, so the other records stay as they were."""
        pop = self.pop
        births = [pop.birth[i].astype(object) for i in np.flatnonzero(pop.family == pop.family[anchor])]
        rnd = self.rnd_siblings
        for _ in range(20):
            if all(abs((born - b).days) >= SIBLING_GAP_DAYS for b in births):
                break
            after = max(births) + dt.timedelta(days=rnd.randint(SIBLING_GAP_DAYS, 4 * 365))
            born = after if after <= TODAY else min(births) - dt.timedelta(days=rnd.randint(SIBLING_GAP_DAYS,
                                                                                             4 * 365))
        return born

    def _unlike_siblings(self, name: Name, male: bool, year: int, anchor: int) -> Name:
        """`name`, or another given name where it repeats the given name proper of a registered child of
        the anchor's family: parents do not give two children one (`population.call_name`). Redrawn
        from a stream of its own, so the other records stay as they were."""
        pop = self.pop
        taken = {call_name(pop.given[i]) for i in np.flatnonzero(pop.family == pop.family[anchor]).tolist()}
        for _ in range(50):
            if call_name(name.given) not in taken:
                break
            if name.style != KINH:
                name = Name(name.surname, name.middle,
                            self.namer.given_for_twin(name.given, male, self.rnd_siblings), name.style)
            else:
                given, middle = sample_givens(self.ref, self.rng_siblings, np.array([male]), np.array([year]),
                                              np.array([name.middle], dtype=object))
                name = Name(name.surname, middle[0], given[0], name.style)
        return name

    def _cousin(self, a: Person, born: dt.date) -> Person:
        """A child of the same full name born another year to the anchor's father's brother: the
        family name and often the middle name run in the family, and common given names repeat.

        Not a same-named sibling: Vietnamese parents do not give two of their children one full name,
        and a record of the same name and the same parents with no date could be told from the anchor
        by no one (it was 5 % of the records with no match)."""
        rnd = self.rnd
        uncle_given = self.namer.given_for_twin(a.father.given, True, rnd) if a.father.given else ""
        uncle = Name(a.father.surname, a.father.middle, uncle_given, a.father.style)
        aunt = person_of(self.pop, int(self.rng.integers(len(self.pop)))).mother
        commune = a.commune if rnd.random() < 0.85 else self._commune_in_province(a.commune)
        return Person(a.name, a.male, born, commune, aunt, uncle, self._new_pid(commune, a.male, born))

    def _twin_middle(self, a: Person, male: bool) -> str:
        if a.name.style != KINH:
            prefixes = {"ede": "Y " if male else "H'", "jarai": "" if male else "H'"}
            return prefixes.get(a.name.style, a.name.middle)
        return self._middle(male, a.born.year)

    def _commune_in_province(self, commune: int) -> int:
        pool = self.ref.communes_by_province[self.ref.communes[commune].province_code]
        return int(pool[self.rnd.randrange(len(pool))])

    def _outsider(self, years: tuple[int, int]) -> Person:
        """A stranger from an independent population drawn with another seed."""
        if self._outsiders is None:
            size = max(2000, len(self.pop) // 20)
            self._outsiders = generate_population(size, self._seed + 1_000_003, self.ref)
        out = self._outsiders
        for _ in range(len(out)):
            i = self._outsider_next % len(out)
            self._outsider_next += 1
            if years[0] <= out.birth_date(i).year <= years[1]:
                p = person_of(out, i)
                return Person(p.name, p.male, p.born, p.commune, p.mother, p.father,
                              self._new_pid(p.commune, p.male, p.born))
        return person_of(out, 0)

    # --- writing one record -------------------------------------------------------------------

    def centre_name(self, male: bool, year: int) -> Name:
        region = np.array([self.rnd.randrange(3)])
        surname = sample_surnames(self.ref, self.rng, region)[0]
        given, middle = self._given(male, year, self._middle(male, year))
        return Name(surname, middle, given, KINH)

    def write(self, person: Person, source: str, record_id: str,
              channel: str) -> tuple[PersonRecord, list[str]]:
        rnd = self.rnd
        d = Damage(rnd, CHANNELS[channel])
        name = person.name
        if d.hit("placeholder_name"):  # a child who came without a name, and got none yet
            full_name = rnd.choice(PLACEHOLDER_NAMES[person.male])
            d.note("placeholder_name")
        else:
            if d.hit("centre_name"):
                name = self.centre_name(person.male, person.born.year)
                d.note("centre_name")
            nickname = rnd.choice(NICKNAMES) if d.hit("nickname") else ""
            if nickname:
                d.note("nickname")
            full_name = damage_name(name, person.male, d, nickname=nickname)

        sex = Sex.MALE if person.male else Sex.FEMALE
        if d.hit("sex_missing"):
            sex = Sex.UNKNOWN
            d.note("sex_missing")
        elif d.hit("sex_wrong"):
            sex = Sex.FEMALE if person.male else Sex.MALE
            d.note("sex_wrong")

        recorded_on = ""
        if source == "abandoned_intake":
            found = person.born + dt.timedelta(days=_found_age(rnd))
            found = min(found, TODAY)
            recorded_on = found.isoformat()
            if d.hit("estimated_age"):
                d.note("estimated_age")
                birth_date = estimated_age(person.born, found, rnd)
            else:
                birth_date = damage_date(person.born, d)
        else:
            birth_date = damage_date(person.born, d)

        place = damage_place(self.ref, person.commune, person.born, d)
        stripped = channel == "abroad" and "strip_diacritics" in d.applied
        if stripped and rnd.random() < 0.8 and fold(place) != place:
            place = fold(place)
            d.note("place_no_diacritics")

        mother = father = ""
        parent_rates = {k: v for k, v in d.rates.items() if k not in PARENT_EXCLUDED}
        if d.hit("parents_missing"):
            d.note("parents_missing")
        else:
            if d.hit("mother_missing"):
                d.note("mother_missing")
            else:
                mother = damage_name(person.mother, False, Damage(rnd, parent_rates, "mother:", d.applied),
                                     PARENT_SCALE)
            if d.hit("father_missing"):
                d.note("father_missing")
            else:
                father = damage_name(person.father, True, Damage(rnd, parent_rates, "father:", d.applied),
                                     PARENT_SCALE)

        pid = ""
        if d.hit("pid_present"):
            pid = person.pid
            d.note("pid_present")
            if d.hit("pid_typo"):
                pid = pid_typo(pid, rnd)
                d.note("pid_typo")
        if "date_format_en" in d.applied and channel == "abroad":
            birth_date = self._as_written_abroad(birth_date, d)
        if source == "abandoned_intake" and mother and {"centre_name", "placeholder_name"} & set(d.applied) \
                and _NEWBORN.search(birth_date):
            full_name, mother = self._as_a_hospital_writes(full_name, mother, d)
        birth_date, place, mother, father = self._as_said(person, channel, birth_date, place, mother, father,
                                                          d)
        record = PersonRecord(source=source, record_id=record_id, full_name=full_name, sex=sex,
                              birth_date=birth_date, birth_place=place, mother_name=mother,
                              father_name=father, pid=pid, recorded_on=recorded_on)
        return record, d.applied

    def _as_said(self, person: Person, channel: str, birth_date: str, place: str, mother: str, father: str,
                 d: Damage) -> tuple[str, str, str, str]:
        """What was written, now and then as people say it (`synth.said`), from a stream of its own
        (`rnd_said`): an estimated age in words, a part of the country for a province alone abroad, both
        parents on the mother's line."""
        rnd = self.rnd_said
        if "estimated_age" in d.applied and rnd.random() < AGE_IN_WORDS_SHARE:
            said = age_in_words(birth_date, rnd)
            if said != birth_date:
                birth_date = said
                d.note("age_in_words")
        if channel == "abroad" and "place_province_only" in d.applied and place and rnd.random() < AREA_SHARE:
            place = part_of_the_country(self.ref.communes[person.commune].province_code, rnd)
            d.note("place_area")
        if channel != "abroad" and mother and father and rnd.random() < ONE_LINE_SHARE:
            mother, father = parents_on_one_line(father, mother, rnd), ""
            d.note("parents_one_line")
        return birth_date, place, mother, father

    # Forms drawn from a stream of their own (`rnd_forms`), so every other record stays as it was.
    def _as_written_abroad(self, written: str, d: Damage) -> str:
        """An English date ("May 3, 2001", "3 May 2001") as a file from a receiving country writes it,
        day first in its own language, two times in five: "3 mai 2001", "3. Mai 2001", "3 de mayo de 2001"."""
        m = _ENGLISH_DATE.match(written)
        if not m or self.rnd_forms.random() >= FOREIGN_DATE_SHARE:
            return written
        month_name, day, year = (m[1], m[2], m[3]) if m[1] else (m[5], m[4], m[6])
        month = MONTHS_EN.index(month_name)
        language, template = self.rnd_forms.choice(FOREIGN_DATE_FORMS)
        d.note("date_format_foreign")
        return template.format(day=int(day), month=FOREIGN_MONTHS[language][month], year=year)

    def _as_a_hospital_writes(self, full_name: str, mother: str, d: Damage) -> tuple[str, str]:
        """A newborn without a name of its own written as its mother's child, one time in three: "Con bà
        Nguyễn Thị Lan", "Con của sản phụ …", "CB …"; the mother's own line then half the time empty."""
        if self.rnd_forms.random() >= CHILD_OF_SHARE:
            return full_name, mother
        d.note("named_as_mothers_child")
        full_name = f"{self.rnd_forms.choice(CHILD_OF_WORDS)} {mother}"
        if self.rnd_forms.random() < 0.5:
            d.note("mother_in_name_only")
            mother = ""
        return full_name, mother


FOREIGN_DATE_SHARE = 0.4
AGE_IN_WORDS_SHARE = 0.25  # of estimated ages, said in words ("ba tháng tuổi", "vài ngày tuổi")
AREA_SHARE = 0.2  # of provinces written alone abroad, a part of the country instead ("North Vietnam")
ONE_LINE_SHARE = 0.03  # of records naming both parents at home, both on the mother's line
FOREIGN_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december"),
}
FOREIGN_DATE_FORMS = (("fr", "{day} {month} {year}"), ("fr", "le {day} {month} {year}"),
                      ("de", "{day}. {month} {year}"), ("it", "{day} {month} {year}"),
                      ("es", "{day} de {month} de {year}"), ("nl", "{day} {month} {year}"),
                      ("da", "{day}. {month} {year}"))
_ENGLISH_DATE = re.compile(r"^(?:([A-Z][a-z]+) (\d{1,2}), (\d{4})|(\d{1,2}) ([A-Z][a-z]+) (\d{4}))$")
_NEWBORN = re.compile(r"ngày tuổi|days? old|sơ sinh|newborn")  # an estimated age of days
CHILD_OF_SHARE = 1 / 3
CHILD_OF_WORDS = ("Con bà", "Con bà", "Con của sản phụ", "CB", "Con của")


def _found_age(rnd: random.Random) -> int:
    """Days between birth and being found: mostly the first weeks, sometimes months or years."""
    roll = rnd.random()
    if roll < 0.6:
        return rnd.randint(0, 30)
    if roll < 0.9:
        return rnd.randint(31, 183)
    return rnd.randint(184, 1100)


def _split(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Integer counts that sum to `total`, by largest remainder."""
    raw = {k: total * v / sum(shares.values()) for k, v in shares.items()}
    counts = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def build_records(pop: Population, records: int, seed: int,
                  ref: Reference | None = None) -> tuple[list[PersonRecord], list[Truth]]:
    """`records` damaged source records and their truth, reproducible from `seed`."""
    ref = ref or load_reference()
    b = _Builder(pop, seed, ref)
    out_records: list[PersonRecord] = []
    out_truth: list[Truth] = []
    per_source = _split(records, {s: cfg["share"] for s, cfg in SOURCES.items()})
    twins_all = np.flatnonzero(pop.twin >= 0)
    for source, cfg in SOURCES.items():
        k = per_source[source]
        lo, hi = cfg["years"]
        pool = np.flatnonzero((b.years >= lo) & (b.years <= hi))
        if len(pool) == 0:
            pool = np.arange(len(pop))
        n_non = int(round(k * cfg["no_match"]))
        n_match = k - n_non
        twin_pool = np.intersect1d(twins_all, pool)
        n_twin = min(int(round(n_match * TWIN_OVERSAMPLE)), len(twin_pool))
        chosen = b.rng.choice(twin_pool, size=n_twin, replace=False) if n_twin \
            else np.array([], dtype=np.int64)
        rest = np.setdiff1d(pool, chosen)
        n_rest = n_match - n_twin
        chosen = np.r_[chosen, b.rng.choice(rest, size=n_rest, replace=n_rest > len(rest))].astype(np.int64)

        items: list[tuple[Person, str | None, str]] = []
        for i in chosen.tolist():
            kind = "match_twin" if pop.twin[i] >= 0 else "match"
            items.append((person_of(pop, i), pop.identity_id[i], kind))
        # some people the source holds twice: their second record takes the place of another person's
        for position, again in enumerate(_written_again(b.rng_again, len(items), WRITTEN_AGAIN[source])):
            person, identity, _kind = items[again]
            items[len(items) - 1 - position] = (person, identity, "match_again")
        kinds = _split(n_non, NEAR_MISS_KINDS)
        for kind, count in kinds.items():
            # anchors are drawn uniformly, so a name is anchored in proportion to how many people carry
            # it: an unregistered Nguyễn Thị Lan meets her registered namesakes as often as real records
            # would (weighting by the count again would make common names over-represented, and easy)
            anchors = b.rng.choice(pool, size=count) if count else []
            for anchor in list(anchors):
                items.append((b.near_miss(kind, int(anchor), (lo, hi)), None, kind))
        b.rnd.shuffle(items)
        channels = list(cfg["channels"])
        weights = [cfg["channels"][c] for c in channels]
        for number, (person, identity, kind) in enumerate(items, start=1):
            record_id = f"{RECORD_ID_PREFIX[source]}-{number:06d}"
            channel = b.rnd.choices(channels, weights)[0]
            record, applied = b.write(person, source, record_id, channel)
            out_records.append(record)
            out_truth.append(Truth(source, record_id, identity, kind, channel, applied))
    return out_records, out_truth


def _written_again(rng: np.random.Generator, n: int, share: float) -> list[int]:
    """Which of a source's `n` true matches it writes a second time, `share` of them: drawn from those not
    replaced by a second record (the last ones, whose places the second records take)."""
    count = int(round(n * share))
    return rng.choice(n - count, size=count, replace=False).tolist() if count else []


def corruption_counts(truth: list[Truth]) -> dict[str, dict[str, int]]:
    """source -> corruption -> number of records it was applied to."""
    counts: dict[str, Counter] = {}
    for t in truth:
        counts.setdefault(t.source, Counter()).update(set(t.corruptions))
    return {s: dict(sorted(c.items())) for s, c in counts.items()}
