"""Turn a PersonRecord into integer-encoded features once, and keep identities as numpy columns.

Every string goes through `linkage.vn` exactly once per distinct value (lru caches and vocabularies),
so scoring only compares integers and looks up cached pair levels. The identity table is columnar
(int32/int64 arrays), which is what lets 10 million identities fit on one machine.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from linkage.domain import PersonRecord, Sex, Source
from linkage.engine.identity_ids import IdentityIds, IdsByRow, RowOf
from linkage.engine.vocabulary import MISSING_ID, GrowableColumn, Vocabulary
from linkage.vn.dates import PartialDate, parse_date
from linkage.vn.frequencies import carried_without_marks
from linkage.vn.names import (
    MIDDLE_MARKERS,
    ParsedName,
    both_parents,
    names_an_adoptive_parent,
    other_reading,
    parent_named_instead,
    parse_name,
    the_parent_of,
    without_parent_title,
)
from linkage.vn.pid import parse_pid, pid_digits
from linkage.vn.places import REFORM_DAY, Place, as_named_on, as_written_since_reform, resolve_place
from linkage.vn.text import fold, is_folded

SEX_CODES = {Sex.MALE: 1, Sex.FEMALE: 2, Sex.UNKNOWN: 0, "M": 1, "F": 2}
SEX_LETTERS = {1: "M", 2: "F", 0: None}

# Columns of the identity table, all int32 except pid (int64: a 12-digit number).
NAME_COLUMNS = ("surname", "middle", "middle_core", "middle_last", "forenames", "given", "mother_surname",
                "mother_given", "father_surname", "father_given")
COLUMNS = (*NAME_COLUMNS, "sex", "date", "place", "pid", "birth_year")
# sources whose records may carry a name others gave the child: a centre's, an adoptive family's
RENAMING_SOURCES = frozenset({Source.ABANDONED_INTAKE, Source.ADOPTION_FILE})


@dataclass(frozen=True, slots=True)
class Encoded:
    """One person's features: ids into the encoder's vocabularies plus the parsed values they stand for."""

    ids: dict[str, int]
    name: ParsedName
    mother: ParsedName | None
    father: ParsedName | None
    date: PartialDate | None
    place: Place | None
    pid: str
    sex: str | None
    source: str = ""
    problems: tuple[str, ...] = ()  # fields that could not be parsed and were treated as missing
    other_reading: ParsedName | None = None  # the name in the other order (`vn.names.other_reading`)

    @property
    def name_the_other_way(self) -> ParsedName:
        """The name as the scorer reads it where the parse's order disagrees with a candidate: a Western
        parse read surname first (`other_reading`), or else surname and given name swapped. `ids` holds
        it as other_surname, other_middle and other_given."""
        name = self.name
        return self.other_reading or ParsedName(name.given, name.middle, name.surname, name.other, name.order,
                                                name.tokens)

    # whether each name was written with diacritics: then a diacritic difference is a real difference
    @property
    def name_marked(self) -> bool:
        return _marked(self.name)

    @property
    def mother_marked(self) -> bool:
        return _marked(self.mother)

    @property
    def father_marked(self) -> bool:
        return _marked(self.father)


def _marked(name: ParsedName | None) -> bool:
    """Whether a person's name counts as written with its diacritics: it carries some, and no word of it
    is one whose marks were visibly lost, a word nobody carries without them in its part ("Nguyen",
    "Xuan" of "Phạm Xuan Hoi"): who lost them on one word may have on another (Hoi for Hội), so a
    difference in marks tells nothing there."""
    if name is None or all(is_folded(token) for token in name.tokens):
        return False
    parts = [(name.surname, "surname"), *((word, "middle") for word in name.middle), (name.given, "given")]
    return not any(word and is_folded(word) and not carried_without_marks(word, role) for word, role in parts)


@lru_cache(maxsize=200_000)
def _parse_name(text: str, sex: str | None, registered: bool, parent: bool = False) -> ParsedName | None:
    return parse_name(text, sex, registered, home_names=not (registered or parent)) \
        if text and text.strip() else None


@lru_cache(maxsize=1 << 17)  # a mother's name comes back with each of her children
def _parse_parent(text: str, sex: str, registered: bool) -> ParsedName | None:
    """A parent's field as that parent's name: the one of two names the field holds (`the_parent_of`),
    without a title before a given name alone (`without_parent_title`); none where the field names an
    adoptive parent (`names_an_adoptive_parent`), who is not the parent the register holds."""
    if names_an_adoptive_parent(text):
        return None
    return _parse_name(without_parent_title(the_parent_of(text, sex), sex), sex, registered, parent=True)


def _parents_fields(record: PersonRecord) -> tuple[str, str]:
    """The mother's and the father's fields; one left empty takes that parent's name from the other
    where it holds both (`both_parents`: one "Họ tên cha mẹ" line copied into the mother's field)."""
    mother, father = record.mother_name, record.father_name
    if not father.strip() and (both := both_parents(mother)):
        father = both["M"]
    elif not mother.strip() and (both := both_parents(father)):
        mother = both["F"]
    return mother, father


@lru_cache(maxsize=100_000)
def _parse_date(text: str, recorded_on: str) -> PartialDate | None:
    return parse_date(text, recorded_on or None)


@lru_cache(maxsize=50_000)
def _resolve_place(text: str) -> Place | None:
    return resolve_place(text) if text and text.strip() else None


@lru_cache(maxsize=400_000)
def folded(text: str) -> str:
    return fold(text)


def _written_on(recorded_on: str) -> PartialDate | None:
    """When the record was written, where its `recorded_on` says."""
    try:
        return _parse_date(recorded_on, "") if recorded_on and recorded_on.strip() else None
    except ValueError:
        return None


_GENERATION = 13  # years: a parent is at least this much older than the child


def _someone_elses(pid: str, date: PartialDate | None) -> bool:
    """Whether a record's number encodes a birth year a generation from the record's own: a parent's
    number written in the child's field, as a form the mother filled in may carry. Such a number says
    nothing of the child; compared, it would count as another person's and hold back a true link."""
    year = parse_pid(pid).birth_year
    return year is not None and date is not None and abs(year - _year(date)) >= _GENERATION


class Encoder:
    """The vocabularies shared by the identity table and the records scored against it."""

    def __init__(self) -> None:
        self.names: Vocabulary[str] = Vocabulary("")
        self.folded_names: Vocabulary[str] = Vocabulary("")   # ascii forms, for folded-level frequencies
        self.fold_of = GrowableColumn(np.int32)                # names id -> folded_names id
        self.fold_of.extend(np.zeros(1, dtype=np.int32))
        self.dates: Vocabulary[PartialDate | None] = Vocabulary(None)
        self.places: Vocabulary[Place | None] = Vocabulary(None)
        self._new_name = threading.Lock()  # a new name and its folded form are added together

    def __getstate__(self) -> dict:  # locks don't pickle: a restored encoder gets a fresh one
        return {key: value for key, value in self.__dict__.items() if key != "_new_name"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _new_name=threading.Lock())

    def name_id(self, text: str) -> int:
        found = self.names.lookup(text)
        if found >= 0:
            return found
        with self._new_name:
            found = self.names.lookup(text)
            if found < 0:  # a new name: its folded form is recorded before its id is published
                self.fold_of.extend(np.array([self.folded_names.encode(folded(text))], dtype=np.int32))
                found = self.names.encode(text)
        return found

    def encode(self, record: PersonRecord) -> Encoded:
        problems: list[str] = []
        sex = SEX_LETTERS[SEX_CODES.get(record.sex, 0)]
        registered = record.source == Source.POPULATION  # the register writes names surname first
        name = _parse_name(record.full_name, sex, registered) or parse_name("", sex)
        mother_field, father_field = _parents_fields(record)
        mother = _parse_parent(mother_field, "F", registered)
        father = _parse_parent(father_field, "M", registered)
        # a newborn written as its parent's child ("Con bà Nguyễn Thị Lan") names that parent
        child_of = parent_named_instead(record.full_name)
        if child_of and child_of[0] == "mother" and mother is None:
            mother = _parse_name(child_of[1], "F", registered, parent=True)
        elif child_of and child_of[0] == "father" and father is None:
            father = _parse_name(child_of[1], "M", registered, parent=True)
        try:
            date = _parse_date(record.birth_date, record.recorded_on) if record.birth_date.strip() else None
        except ValueError:
            date, problems = None, [*problems, "birth_date"]
        place = _resolve_place(record.birth_place)
        if record.birth_place.strip() and place is None:
            problems.append("birth_place")
        written = None if registered else _written_on(record.recorded_on)
        if place is not None and written is not None and written.earliest >= REFORM_DAY:
            place = as_written_since_reform(place)  # written on the 2025 map
        elif place is not None and not registered and (date or written):
            place = as_named_on(place, (date or written).earliest)  # as the papers of the birth name it
        pid = pid_digits(record.pid)
        if pid and not registered and _someone_elses(pid, date):
            pid, problems = "", [*problems, "pid"]
        other = None if registered else other_reading(name, sex)
        core = middle_core(name)
        ids = {
            "surname": self.name_id(name.surname),
            "middle": self.name_id(" ".join(name.middle)),
            "middle_core": self.name_id(" ".join(core)),
            # of two middle names or more, the last, which opens a two-syllable given name (Thảo of Lê Thu
            # Thảo My): records that drop the middle name keep it ("Lê Thảo My")
            "middle_last": self.name_id(core[-1]) if len(core) >= 2 else 0,
            # and all the forenames in one order, however written: Western order moves a two-syllable
            # given name first ("Thuong Kiet Hong Bui" for Bùi Hồng Thường Kiệt)
            "forenames": self.name_id(" ".join(sorted([*core, name.given], key=fold)))
            if len(core) >= 2 and name.given else 0,
            "given": self.name_id(name.given),
            "mother_surname": self.name_id(mother.surname if mother else ""),
            "mother_given": self.name_id(mother.given if mother else ""),
            "father_surname": self.name_id(father.surname if father else ""),
            "father_given": self.name_id(father.given if father else ""),
            "sex": SEX_CODES.get(record.sex, 0),
            "date": self.dates.encode(date),
            "place": self.places.encode(place),
            "pid": int(pid) if pid else 0,
            "birth_year": _year(date),
            # the last day the record may have been written: nobody born after it is the record's person
            "written": written.latest.toordinal() if written is not None else 0,
        }
        # three forenames or more: each of the first two is also tried as the given name (`scorer`)
        forenames = other_forenames(name)
        ids["first_forename"], ids["second_forename"] = (
            (self.name_id(forenames[0]), self.name_id(forenames[1])) if len(forenames) >= 2 else (0, 0))
        # a parent's name in Western order leaves the given name a guess among its forenames (Hoang Du
        # Nguyen: Dư or Hoàng?): the other forename, compared as the given name where that disagrees
        ids["mother_forename"], ids["father_forename"] = (self.name_id(" ".join(other_forenames(parent)))
                                                          for parent in (mother, father))
        ids["other_surname"], ids["other_middle"], ids["other_given"] = (
            (self.name_id(other.surname), self.name_id(" ".join(other.middle)), self.name_id(other.given))
            if other else (ids["given"], ids["middle"], ids["surname"]))
        # a record's name read surname first and turned round is Western order, which may have moved a
        # two-syllable given name first ("Kim Toan Thanh Dam" for Đàm Thanh Kim Toàn, "Che Phuong Van
        # Nguyen" for Nguyễn Văn Chế Phương): with two middle names or more, Thị and Văn counted, its
        # second word is also tried as the given name, and its forenames in any order
        turned = (not registered and other is None and len(name.middle) >= 2
                  and bool(name.surname and name.given))
        ids["other_forenames"] = self.name_id(" ".join(sorted([name.surname, *core], key=fold))) \
            if turned else 0
        ids["other_given_second"] = self.name_id(name.middle[0]) \
            if turned and name.middle[0] not in MIDDLE_MARKERS else 0
        # or its forenames kept in their order before the surname moved last ("Hoang Phuong Nguyen Le"
        # for Lê Hoàng Phương Nguyên): the word before the last is the given name
        ids["other_given_last"] = self.name_id(name.middle[-1]) \
            if turned and name.middle[-1] not in MIDDLE_MARKERS else 0
        return Encoded(ids, name, mother, father, date, place, pid, sex, record.source, tuple(problems),
                       other)


def middle_core(name: ParsedName) -> list[str]:
    """The middle names besides Thị and Văn, which are never a given name."""
    return [m for m in name.middle if m not in MIDDLE_MARKERS]


def other_forenames(name: ParsedName | None) -> list[str]:
    """The forenames a Western-order name did not take as its given name, any of which may be it
    ("Thuan Thanh Quang Phan": thanh, quang): its `middle_core`. Empty for other orders."""
    if name is None or name.order != "western":
        return []
    return middle_core(name)


def _year(date: PartialDate | None) -> int:
    if date is None:
        return 0
    if date.year is not None:
        return int(date.year)
    middle = date.earliest + (date.latest - date.earliest) / 2
    return middle.year


def year_range(date: PartialDate | None, spread: int = 1, widest: int = 7) -> range:
    """Birth years a record may carry, for blocking: the stated year ±spread, or an estimate's range."""
    if date is None:
        return range(0)
    if date.year is not None and date.precision.name != "ESTIMATE":
        return range(date.year - spread, date.year + spread + 1)
    first, last = date.earliest.year, date.latest.year
    if last - first > widest:
        return range(0)
    return range(first - spread, last + spread + 1)


class FeatureTable:
    """Identities as columns. Row i is the i-th identity added; `identity_ids[i]` its population id.

    Ids live in `IdentityIds` (a bytes array and a sorted permutation, no str per identity);
    `identity_ids` and `row_of` are read-only sequence and mapping views over it.
    """

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.columns = {c: GrowableColumn(np.int64 if c == "pid" else np.int32) for c in COLUMNS}
        self.ids = IdentityIds()

    @property
    def identity_ids(self) -> IdsByRow:
        return self.ids.ids

    @property
    def row_of(self) -> RowOf:
        return self.ids.row_of

    def __len__(self) -> int:
        return len(self.ids)

    def live_count(self) -> int:
        """Identities currently in the population (a replaced identity counts once)."""
        return self.ids.live_count()

    def col(self, name: str) -> np.ndarray:
        return self.columns[name].view

    def append(self, identity_ids: list[str], encoded: list[Encoded]) -> tuple[np.ndarray, np.ndarray]:
        """Add identities; returns their rows and the rows they replace (dead from now on; an id re-added
        gets a fresh row)."""
        start = len(self.ids)
        for name in COLUMNS:
            self.columns[name].extend(np.fromiter((e.ids[name] for e in encoded), dtype=np.int64,
                                                  count=len(encoded)))
        fold_of = self.encoder.fold_of.view
        for name in ("surname", "middle", "given"):
            ids = np.fromiter((e.ids[name] for e in encoded), dtype=np.int64, count=len(encoded))
            self.encoder.names.count(ids)
            self.encoder.folded_names.count(fold_of[ids])
        replaced = self.ids.append(identity_ids)
        return np.arange(start, start + len(encoded), dtype=np.int64), replaced[replaced >= 0]

    def nbytes(self) -> int:
        """The feature columns (identity ids apart: `ids.nbytes()`)."""
        return sum(c.nbytes() for c in self.columns.values())

    def describe_row(self, row: int) -> dict[str, str]:
        """The normalised values of one identity, for explanations."""
        names = self.encoder.names.values
        c = {name: int(self.col(name)[row]) for name in COLUMNS}
        date = self.encoder.dates.values[c["date"]]
        place = self.encoder.places.values[c["place"]]
        return {
            "surname": names[c["surname"]], "middle": names[c["middle"]], "given": names[c["given"]],
            "sex": SEX_LETTERS[c["sex"]] or "",
            "birth_date": date_text(date), "birth_place": place_text(place),
            "mother_name": " ".join(x for x in (names[c["mother_surname"]], names[c["mother_given"]]) if x),
            "father_name": " ".join(x for x in (names[c["father_surname"]], names[c["father_given"]]) if x),
            "pid": f"{c['pid']:012d}" if c["pid"] else "",
        }


def date_text(date: PartialDate | None) -> str:
    if date is None:
        return ""
    if date.precision.name == "ESTIMATE":
        return f"{date.earliest.isoformat()}..{date.latest.isoformat()}"
    parts = [f"{date.year:04d}" if date.year else ""]
    if date.month:
        parts.append(f"{date.month:02d}")
    if date.day:
        parts.append(f"{date.day:02d}")
    return "-".join(parts)


def place_text(place: Place | None) -> str:
    if place is None:
        return ""
    return place.area or f"{place.old_province_code or '-'}/{place.province_code}"


__all__ = ["MISSING_ID", "Encoded", "Encoder", "FeatureTable", "year_range", "folded"]
