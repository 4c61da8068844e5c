"""Vectorised Fellegi-Sunter scoring of one record against its candidate rows.

Per comparison: integer equality first (exact agreement costs nothing), then the `linkage.vn` level of
each *distinct* unequal pair of values, looked up in a cache (pairs of names recur endlessly); levels
become weights through the model's tables; term-frequency adjustments replace u by the frequency of the
agreed value. The result is a level matrix, a TF matrix and a weight per candidate: the same numbers
the explanation shows.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from linkage.domain import Source
from linkage.engine.ambiguity import FoldAmbiguity, RegisteredTwins
from linkage.engine.datelevels import DateColumns
from linkage.engine.features import COLUMNS, RENAMING_SOURCES, Encoded, FeatureTable, folded, middle_core
from linkage.engine.name_parts import PARTS, SUBSETS, PartCounts
from linkage.engine.namelevels import NameLevels
from linkage.engine.parent_names import PARENTS, ParentNameCounts
from linkage.model.comparisons import DATE_LEVELS, FIELDS, PARENT_LEVELS
from linkage.model.spec import NULL_LEVEL, Model
from linkage.vn.compare import NameLevel
from linkage.vn.dates import (
    DateLevel,
    PartialDate,
    Precision,
    compare_dates,
    day_gap,
    same_day_and_month,
    years_a_slip_apart,
)
from linkage.vn.frequencies import carried_without_marks, given_frequency, middle_frequency, surname_frequency
from linkage.vn.places import Place, PlaceLevel, area_provinces, compare_places
from linkage.vn.text import is_folded

FIELD_INDEX = {name: j for j, name in enumerate(FIELDS)}
TF_PSEUDO_COUNT = 2000.0  # how many identities' worth of weight the published frequency tables carry
_PRIOR_FREQUENCY: dict[str, Callable[[str], float]] = {
    "surname": surname_frequency, "middle": middle_frequency, "given": given_frequency,
}


# model level codes of the name comparisons (NAME_LEVELS order)
N_EXACT, N_FOLDED, N_VARIANT, N_PHONETIC, N_SLIP, N_MARKS, N_JW_HIGH, N_JW_LOW, N_DIFFERENT = range(9)
# twins named to sound alike (Khang / Khánh), as a share of those named to fold alike (Lan / Lân), which
# `Model.twin_risk` counts: parents who pair names choose rhymes and shared syllables more than sounds
SOUND_ALIKE_SHARE = 0.25
_NAME_CODE = {NameLevel.EXACT: N_EXACT, NameLevel.FOLDED: N_FOLDED, NameLevel.VARIANT: N_VARIANT,
              NameLevel.PHONETIC: N_PHONETIC, NameLevel.SLIP: N_SLIP, NameLevel.JW_HIGH: N_JW_HIGH,
              NameLevel.JW_LOW: N_JW_LOW, NameLevel.DIFFERENT: N_DIFFERENT, NameLevel.MISSING: NULL_LEVEL}


CONTRADICTING_NAMES = frozenset({N_MARKS, N_JW_LOW, N_DIFFERENT})
_DATE_CODE = {name: i for i, name in enumerate(DATE_LEVELS)}
# the name comparisons of a record with each candidate, field against the same field
_NAME_FIELDS = ("surname", "given", "middle", "mother_given", "mother_surname", "father_given",
                "father_surname")
# what `Scorer.rough_weights` compares
_ROUGH_COLUMNS = ("surname", "middle", "given", "mother_given", "father_given", "sex", "date", "place", "pid")
# what `Scorer.score` compares (the birth year is the date's, for blocking only)
_SCORED_COLUMNS = tuple(c for c in COLUMNS if c != "birth_year")
# the date levels `rough_weights` computed, kept beside the columns it was given (the same for `_levels`)
_DATE_LEVELS = "date levels"


def _marked(record: Encoded, field: str) -> bool:
    """Whether the person a name field belongs to (the record's own, its mother, its father) has their
    name written with diacritics."""
    person = field.split("_")[0]
    if person == "mother":
        return record.mother_marked
    return record.father_marked if person == "father" else record.name_marked


def marked_field(record: Encoded, field: str, text: str) -> bool:
    """Whether the record's name field (its value `text`) counts as written with its diacritics: its
    person's name carries some (`_marked`), and this part is not one written without them that hardly
    anyone carries so (`carried_without_marks`: "Trần Văn Duc" is Đức with its marks lost, compared by
    its folded form, not a name that differs from Đức; "Nguyễn Thị Lan" keeps Lan, a name as written)."""
    if not _marked(record, field):
        return False
    role = _ROLES.get(field.split("_", 1)[1] if field.startswith(("mother_", "father_", "other_")) else field)
    return not (role and text and is_folded(text) and not carried_without_marks(text, role))


# the role in the name tables of each name field (`Encoded.ids`), without its person's prefix
_ROLES = {"surname": "surname", "given": "given", "given_second": "given", "forename": "given",
          "first_forename": "given", "second_forename": "given", "middle": "middle", "middle_core": "middle",
          "middle_last": "middle"}


def _unmarked_levels(levels: np.ndarray) -> np.ndarray:
    """A name written without diacritics agrees at best on its folded form: exact agreement with a
    candidate whose name carries no marks is the same observation as folded agreement with one whose
    name does, and weighs the same (the folded level, the folded form's frequency). Otherwise an
    unmarked "Tam" prefers the twin named Tam to the twin named Tâm by the exact level and the rarity
    of Tam as written, and links the wrong twin."""
    levels[levels == N_EXACT] = N_FOLDED
    return levels


def _middle_levels(middle: np.ndarray, core: np.ndarray, weak: np.ndarray) -> np.ndarray:
    """Whole middle names first; then, at `weak` rows, without Thị/Văn, which records drop or add (as
    vn.compare does), or the candidate's last middle name alone, the first syllable of a two-syllable
    given name that a record dropping the middle name keeps ("Lê Thảo My" for Lê Thu Thảo My), or (the
    caller's `core`) all the forenames in any order, as Western order moves that given name first
    ("Thuong Kiet Hong Bui" for Bùi Hồng Thường Kiệt): such agreement counts as a variant at best."""
    if len(weak):
        core = np.where(core == NULL_LEVEL, NULL_LEVEL, np.maximum(core, N_VARIANT)).astype(np.int8)
        middle[weak] = _better(middle[weak], core)
    return middle


# sources written abroad, where a name may come from a form's fields put end to end, and a date may put
# the month first
WRITTEN_ABROAD = frozenset({Source.ADOPTION_FILE, Source.TRACE_REQUEST})


def _forenames_ambiguous(record: Encoded) -> bool:
    """A name with two forenames either of which may be the given name (`Scorer._levels`): in Western
    order, or surname first without marks from a source written abroad, where a form's "Last, First
    Middle" fields put end to end write Trần Minh Tuấn "TRAN Tuan Minh"."""
    if not (record.ids["middle_core"] and record.ids["given"]):
        return False
    return record.name.order == "western" or (
        record.name.order == "vietnamese" and record.source in WRITTEN_ABROAD
        and all(is_folded(token) for token in record.name.tokens))


def _forenames_swapped(given: np.ndarray, middle: np.ndarray, rows: np.ndarray, given_alt: np.ndarray,
                       middle_alt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """At `rows`, the record's middle name read as the given name (and its given name as the middle)
    where that agrees better on the given name: the other reading of a Western-order name."""
    better = (given_alt != NULL_LEVEL) & (given_alt < given[rows])
    at = rows[better]
    given, middle = given.copy(), middle.copy()
    given[at] = given_alt[better]
    middle[at] = np.where(middle_alt[better] == NULL_LEVEL, middle[at],
                          np.maximum(middle_alt[better], N_VARIANT)).astype(np.int8)
    return given, middle


def _parent_levels(given: np.ndarray, surname: np.ndarray, given_swap: np.ndarray, surname_swap: np.ndarray,
                   weak: np.ndarray) -> np.ndarray:
    """exact / given_only / given_agrees / similar / different, from the parent's given name and surname
    levels; a parent's name written in Western order ("Hạnh Thị Phạm") puts the given name in the surname
    slot, so at `weak` rows the other order counts where it agrees better. The other order is read only
    where it aligns both names: with one side's surname missing (a name the parser could not order,
    "Danh Pol") it would let the record's family name alone (Danh, shared by a Khmer clan) agree as the
    parent's given name.

    Exact needs both surnames: a given name alone ("Mrs. Linh", "Mother: Thao", as adoptees remember
    and files abroad write) agreeing is `given_only`, as common as that given name and so far commoner
    than a whole name; `given_agrees` is the given name beside another surname."""
    g, s = given, surname
    if len(weak):
        aligned = np.where(surname_swap == NULL_LEVEL, NULL_LEVEL, given_swap).astype(np.int8)
        g[weak] = _better(g[weak], aligned)
        s[weak] = _better(s[weak], surname_swap)
    g_ok = g != NULL_LEVEL
    agrees = g_ok & (g <= N_SLIP)
    out = np.full(len(g), _PARENT["different"], dtype=np.int8)
    out[g_ok & (g <= N_JW_HIGH)] = _PARENT["similar"]
    out[g_ok & (g <= N_JW_LOW) & (s != NULL_LEVEL) & (s <= N_SLIP)] = _PARENT["similar"]
    out[agrees] = _PARENT["given_agrees"]
    out[agrees & (s == NULL_LEVEL)] = _PARENT["given_only"]
    out[agrees & (s != NULL_LEVEL) & (s <= N_SLIP)] = _PARENT["exact"]
    out[~g_ok] = NULL_LEVEL
    return out


_PARENT = {label: code for code, label in enumerate(PARENT_LEVELS)}
_OWN_NAME = [FIELD_INDEX[f] for f in ("surname", "middle", "given")]
PARENT_EXACT = PARENT_LEVELS.index("exact")


def _drop_names_given_by_others(levels: np.ndarray, other_rows: np.ndarray, other: np.ndarray,
                                foundling: bool = False) -> None:
    """Where the record's name is wholly another (surname and given name, in either reading) and a
    parent is named in full alike, the name is one a centre or an adoptive family gave: it says nothing
    of who the child was born, so it counts as no name (weights 0, the hidden twin of a nameless record)
    instead of three independent disagreements (-12 bits), which buried foundlings whose parents are
    known under every namesake. Siblings share the surname, so their names are never wholly other.
    A foundling's record (`foundling`) needs no parent for it: a centre names the children it takes in,
    so a wholly other name on its intake is the centre's, and the child found on its day of birth in its
    commune of birth reaches review (as thin evidence: no name, no parent) instead of no link."""
    def wholly_other(surname: np.ndarray, given: np.ndarray) -> np.ndarray:
        return (surname == N_DIFFERENT) & np.isin(given, list(CONTRADICTING_NAMES))

    renamed = wholly_other(levels[:, FIELD_INDEX["surname"]], levels[:, FIELD_INDEX["given"]]) & (
        foundling | (levels[:, FIELD_INDEX["mother_name"]] == PARENT_EXACT)
        | (levels[:, FIELD_INDEX["father_name"]] == PARENT_EXACT))
    if len(other_rows):
        renamed[other_rows] &= wholly_other(other[:, 0], other[:, 1])
        other[renamed[other_rows]] = NULL_LEVEL
    levels[np.ix_(np.flatnonzero(renamed), _OWN_NAME)] = NULL_LEVEL


def _better(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise best (lowest) level code, where NULL_LEVEL counts as worst."""
    worst = np.int8(127)
    best = np.minimum(np.where(a == NULL_LEVEL, worst, a), np.where(b == NULL_LEVEL, worst, b))
    return np.where(best == worst, NULL_LEVEL, best).astype(np.int8)


class _Sounds:
    """Which candidates' names sound like a record's name (`NameLevels.sounds_alike`), with each candidate
    column's phonetic keys gathered once for every record name compared with it."""

    def __init__(self, names: NameLevels, col: dict[str, np.ndarray]) -> None:
        self.names, self.col = names, col
        self._keys: dict[str, np.ndarray] = {}

    def alike(self, a: int, column: str) -> np.ndarray:
        sound = self.names.folded_sound(a)
        if sound is None:
            return np.zeros(len(self.col[column]), dtype=bool)
        keys = self._keys.get(column)
        if keys is None:
            keys = self._keys[column] = self.names.folded_sounds(self.col[column])
        return keys == sound


@dataclass(frozen=True, slots=True)
class Readings:
    """A record's levels against candidate rows, its name read in the parse's order; and, at the `rows`
    where that reading disagrees, the surname, given and middle levels of the name read the other way
    (`Encoded.name_the_other_way`). Which reading counts is the one the model's weights favour
    (`chosen`): everything else is the same whatever the model, so training computes readings once and
    chooses again with each round's weights."""

    levels: np.ndarray  # (n, k) level codes, the parse's reading (name_order 0 where it applies)
    rows: np.ndarray    # positions with another reading
    other: np.ndarray   # (len(rows), 3) surname, given and middle levels of the other reading
    parents_crossed: np.ndarray  # (n,) bool: the parents' levels read crosswise (`_parents_crossed`)

    def chosen(self, tables: list[np.ndarray]) -> np.ndarray:
        """The level matrix with the other reading at the rows where it weighs more (name_order 1)."""
        if not len(self.rows):
            return self.levels
        fields = [FIELD_INDEX[f] for f in ("surname", "given", "middle")]
        weights = [tables[j] for j in fields]
        order = tables[FIELD_INDEX["name_order"]]
        direct = self.levels[self.rows][:, fields]
        weighs = sum(w[direct[:, i]] for i, w in enumerate(weights)) + order[0]
        weighs_other = sum(w[self.other[:, i]] for i, w in enumerate(weights)) + order[1]
        wins = weighs_other > weighs
        if not wins.any():
            return self.levels
        levels = self.levels.copy()
        at = self.rows[wins]
        levels[np.ix_(at, fields)] = self.other[wins]
        levels[at, FIELD_INDEX["name_order"]] = 1
        return levels


class _PartsAgreeing:
    """Per candidate, which name parts agreed at a term-frequency level, the log2 of the product of
    their frequencies as priced, and whether any agreed folded only."""

    def __init__(self, n: int) -> None:
        self.subset = np.zeros(n, dtype=np.int8)
        self.log2_frequency = np.zeros(n, dtype=np.float64)
        self.folded = np.zeros(n, dtype=bool)

    def add(self, part: int, hit: np.ndarray, log2_frequency: np.ndarray, folded: np.ndarray) -> None:
        self.subset[hit] |= np.int8(1 << part)
        self.log2_frequency[hit] += log2_frequency
        self.folded[hit] |= folded

    def groups(self) -> list[tuple[tuple[int, bool], np.ndarray]]:
        """(subset, folded) -> candidate positions, for subsets of two parts or more."""
        several = np.flatnonzero(np.isin(self.subset, SUBSETS))
        if not len(several):
            return []
        key = self.subset[several].astype(np.int16) * 2 + self.folded[several]
        return [((int(k) >> 1, bool(k & 1)), several[key == k]) for k in np.unique(key).tolist()]


@dataclass(frozen=True, slots=True)
class Scores:
    rows: np.ndarray        # identity rows, int32
    levels: np.ndarray      # (n, k) int8 level codes, NULL_LEVEL = missing
    tf: np.ndarray          # (n, k) float64 term-frequency adjustments (bits)
    weights: np.ndarray     # (n,) match weight (bits): prior, comparisons, TF, together; not competition
    twin_risk: np.ndarray   # (n,) odds ratio of "the candidate's unregistered twin" (0 when ruled out)
    together: np.ndarray    # (n,) bits taken back by pricing agreeing name parts together (<= 0)
    carriers: np.ndarray    # (n,) identities carrying those parts together (0: fewer than two agree)
    parents_crossed: np.ndarray  # (n,) bool: the record's parents compared crosswise

    def competition(self) -> np.ndarray:
        """Per candidate, -log2(1 + the other candidates' odds + its possible hidden twin's odds).

        One record is at most one person: candidates compete for it, and so does a twin the index cannot
        hold (not registered) when the record's given name cannot tell the two apart.
        """
        if len(self.weights) == 0:
            return self.weights
        odds = np.exp2(np.clip(self.weights, -1000, 1000))
        return -np.log2(1.0 + (odds.sum() - odds) + odds * self.twin_risk)

    def __len__(self) -> int:
        return len(self.rows)


class Scorer:
    """Scores encoded records against the identity table with one model."""

    def __init__(self, model: Model, table: FeatureTable, shortlist_size: int = 400) -> None:
        self.model = model
        self.table = table
        self.shortlist_size = shortlist_size  # candidates scored in full per record (`shortlist`)
        self.tables = model.weight_tables()
        self._views: dict[str, tuple[Model, list[np.ndarray]]] = {}
        enc = table.encoder
        self._name_features = NameLevels(enc.names.values, _NAME_CODE)
        self._name_features.sync()  # a scorer over a loaded table (a new model, a snapshot) derives them now
        self._names = self._name_features  # name levels: from the same features, unless given another way
        self._dates = DateColumns()
        self._places = PlaceColumns(enc.places.values)
        self._province_of = np.zeros(0, dtype=np.int32)
        self._prior_freq: dict[tuple[str, int, bool], float] = {}
        self._prior_tables: dict[str, np.ndarray] = {}  # per column: [2 * id + folded?]
        self._tf_plans: dict[str, list[tuple[int, str, list[int], int, float, float, float]]] = {}
        self._ambiguity = FoldAmbiguity(table)
        self._registered_twins = RegisteredTwins(table)
        self._part_counts = PartCounts(table)
        self._parent_counts = ParentNameCounts(table)
        self.prepare()

    def with_model(self, model: Model) -> Scorer:
        """A scorer of the same table with another model. What is derived from the table alone (name
        features, date and place columns, frequency priors, twin tallies) is shared, not derived again:
        that costs a second per 30,000 names, and a model is swapped after every training round."""
        other = copy.copy(self)
        other.model, other.tables = model, model.weight_tables()
        other._views, other._tf_plans = {}, {}
        return other

    def prepare(self) -> None:
        """Bring the per-identity tallies up to the table now (after a load or an import), so that no
        record pays for them: at 10 M identities the first count takes seconds."""
        self._ambiguity.refresh()
        self._registered_twins.refresh()
        self._part_counts.refresh()
        self._parent_counts.refresh()

    def view(self, source: str) -> tuple[Model, list[np.ndarray]]:
        """The model and weight tables a record of `source` is scored with (per-source m/u when learnt)."""
        found = self._views.get(source)
        if found is None:
            model = self.model.for_source(source)
            found = self._views[source] = (model, model.weight_tables())
        return found

    def gather(self, rows: np.ndarray, names: tuple[str, ...] = COLUMNS) -> dict[str, np.ndarray]:
        """The candidates' feature columns, gathered once per record and shared by every comparison.
        (`take` with native-width indices: indexing with int32 rows converts them once per column.)"""
        at = np.asarray(rows).astype(np.intp, copy=False)
        return {name: self.table.col(name).take(at) for name in names}

    def shortlist(self, record: Encoded, rows: np.ndarray, size: int) -> np.ndarray:
        """The `size` candidates of highest `rough_weights` (sorted rows; ties to the lower row), so that
        full scoring costs the same however full the blocks are. Blocks fill with the population, but a
        record's true identity agrees on enough integer codes to rank among its best few hundred."""
        return self._shortlisted(record, rows, size)[0]

    def _shortlisted(self, record: Encoded, rows: np.ndarray,
                     size: int) -> tuple[np.ndarray, dict[str, np.ndarray] | None]:
        """`shortlist`, and the kept rows' rough columns when they come out of the gather in row order
        (rows already sorted, as the index returns them): scoring then reuses them."""
        if len(rows) <= size:
            return rows, None
        columns = self.gather(rows, _ROUGH_COLUMNS)
        keep = top_positions(self.rough_weights(record, columns), size)
        if len(rows) > 1 and bool(np.all(rows[1:] > rows[:-1])):
            return rows[keep], {name: column[keep] for name, column in columns.items()}
        return np.sort(rows[keep]), None

    def rough_weights(self, record: Encoded, col: dict[str, np.ndarray]) -> np.ndarray:
        """The model's weight from what integer comparisons tell at once: the same name or one that sounds
        alike (either name order; parents by their given names), the date level (vectorised, cheap), the
        same province, sex and personal number. What only a name or place level computation can tell (a
        variant, a slip, a commune) adds 0."""
        ids = record.ids
        _, tables = self.view(record.source)
        sounds = _Sounds(self._name_features, col)
        name = self._rough_names(record, sounds, tables)
        middle = self._rough_name(tables[FIELD_INDEX["middle"]], ids["middle"], "middle", sounds)
        mother = sounds.alike(ids["mother_given"], "mother_given") * tables[FIELD_INDEX["mother_name"]][0]
        father = sounds.alike(ids["father_given"], "father_given") * tables[FIELD_INDEX["father_name"]][0]
        weights = name + middle + mother + father
        for field, code in (("sex", "sex"), ("pid", "pid")):
            if ids[code]:
                agree = tables[FIELD_INDEX[field]]
                weights += np.where(col[code] == 0, 0.0, np.where(col[code] == ids[code], agree[0], agree[1]))
        province = self._provinces(np.array([ids["place"]]))[0]
        if province:
            weights += (self._provinces(col["place"]) == province) * tables[FIELD_INDEX["birth_place"]][1]
        dates = col[_DATE_LEVELS] = self._date_levels(record, col)  # kept for `_levels`
        return weights + tables[FIELD_INDEX["birth_date"]][dates]

    def _date_levels(self, record: Encoded, col: dict[str, np.ndarray]) -> np.ndarray:
        """The record's date against the candidates' (a date written at home puts the day first:
        `date_level`)."""
        self._dates.sync(self.table.encoder.dates.values)
        return self._dates.levels(record.ids["date"], col["date"], record.ids["written"],
                                  record.source in WRITTEN_ABROAD)

    def _provinces(self, places: np.ndarray) -> np.ndarray:
        """Per place id, a number for its province (the pre-2025 one where known, else today's; 0 for
        none), from a table grown with the places vocabulary."""
        values = self.table.encoder.places.values
        known = self._province_of
        if len(known) < len(values):
            stop = len(values)  # the vocabulary may grow meanwhile: what was read is what is added
            new = np.array([_province_number(p) for p in values[len(known):stop]], dtype=np.int32)
            known = self._province_of = np.concatenate([known, new])
        return known[places]

    def _rough_names(self, record: Encoded, sounds: _Sounds, tables: list[np.ndarray]) -> np.ndarray:
        """Surname and given name, in whichever reading agrees more (Western order, misparsed names)."""
        surname, given = record.ids["surname"], record.ids["given"]
        ws, wg = tables[FIELD_INDEX["surname"]], tables[FIELD_INDEX["given"]]
        given_weight = self._rough_name(wg, given, "given", sounds)
        if _forenames_ambiguous(record):  # the other forename, as `_levels` reads it
            other = self._rough_name(wg, record.ids["middle_core"], "given", sounds)
            given_weight = np.maximum(given_weight, other)
        direct = self._rough_name(ws, surname, "surname", sounds) + given_weight
        if not (surname and given):
            return direct
        other = self._rough_name(ws, record.ids["other_surname"], "surname", sounds) \
            + self._rough_name(wg, record.ids["other_given"], "given", sounds)
        return np.maximum(direct, other)

    @staticmethod
    def _rough_name(weights: np.ndarray, a: int, column: str, sounds: _Sounds) -> np.ndarray:
        alike = sounds.alike(a, column)
        return np.where(alike, np.where(sounds.col[column] == a, weights[N_EXACT], weights[N_PHONETIC]), 0.0)

    def levels(self, record: Encoded, rows: np.ndarray) -> np.ndarray:
        """The (n, k) level matrix: what training uses and what scoring weighs."""
        return self._levels(record, self.gather(rows))

    def readings(self, record: Encoded, rows: np.ndarray) -> Readings:
        """`levels` before the weights choose the name's reading: what training keeps across rounds."""
        return self._readings(record, self.gather(rows))

    def _levels(self, record: Encoded, col: dict[str, np.ndarray]) -> np.ndarray:
        return self._readings(record, col).chosen(self.view(record.source)[1])

    def _readings(self, record: Encoded, col: dict[str, np.ndarray]) -> Readings:
        ids, n = record.ids, len(col["given"])
        levels = np.full((n, len(FIELDS)), NULL_LEVEL, dtype=np.int8)
        every = slice(None)
        surname, given, middle, mother_given, mother_surname, father_given, father_surname = \
            self._compare_names(record, col, [(field, field, every) for field in _NAME_FIELDS])
        # the second pass, only where the first did not already agree: the name in the other order
        # (`Encoded.name_the_other_way`; parents' names swapped) and the middle name's core
        none = np.zeros(0, dtype=np.int64)
        name_weak = np.flatnonzero((surname > N_SLIP) | (given > N_SLIP)) \
            if ids["surname"] and ids["given"] else none
        middle_weak = np.flatnonzero(middle > N_VARIANT) if ids["middle_core"] else none
        mother_weak = np.flatnonzero(mother_given > N_SLIP) if ids["mother_surname"] else none
        father_weak = np.flatnonzero(father_given > N_SLIP) if ids["father_surname"] else none
        # Western order leaves the given name ambiguous: "Huong Xuan PHAN" is Phan Thị Hương Xuân kept in
        # Vietnamese order as often as Xuân Hương moved first; the parse took the first forename
        forename_weak = np.flatnonzero(given > N_SLIP) if _forenames_ambiguous(record) else none
        # with three forenames or more, the joined middle name is no given name: each of the first two
        one_by_one = forename_weak if ids["first_forename"] else none
        # and so for a parent's name (`Encoded.ids`: mother_forename, father_forename)
        mother_forename_weak = np.flatnonzero(mother_given > N_SLIP) if ids["mother_forename"] else none
        father_forename_weak = np.flatnonzero(father_given > N_SLIP) if ids["father_forename"] else none
        # the other reading's middle name, where it has another one ("Quang Hoan" of Dinh Quang Hoan Vu)
        other_middle_rows = name_weak if ids["other_middle"] != ids["middle"] else none
        second_pass = [
            ("other_surname", "surname", name_weak), ("other_given", "given", name_weak),
            ("other_middle", "middle", other_middle_rows),
            ("middle_core", "middle_core", middle_weak), ("middle_core", "middle_last", middle_weak),
            ("forenames", "forenames", middle_weak if ids["forenames"] else none),
            ("other_forenames", "forenames", name_weak if ids["other_forenames"] else none),
            ("other_given_second", "given", name_weak if ids["other_given_second"] else none),
            ("other_given_last", "given", name_weak if ids["other_given_last"] else none),
            ("mother_surname", "mother_given", mother_weak), ("mother_given", "mother_surname", mother_weak),
            ("father_surname", "father_given", father_weak), ("father_given", "father_surname", father_weak),
            ("middle_core", "given", forename_weak), ("given", "middle_core", forename_weak),
            ("given", "middle_last", forename_weak),
            ("mother_forename", "mother_given", mother_forename_weak),
            ("father_forename", "father_given", father_forename_weak),
            ("first_forename", "given", one_by_one), ("second_forename", "given", one_by_one)]
        (other_surname, other_given, other_middle_levels, core, last, forenames, other_forenames,
         other_given_second, other_given_last, mother_given_swap, mother_surname_swap, father_given_swap,
         father_surname_swap,
         given_from_middle, middle_from_given, middle_last_from_given, mother_forename, father_forename,
         first_forename, second_forename) = self._compare_names(record, col, second_pass)
        if len(one_by_one):
            given_from_middle = _better(given_from_middle, _better(first_forename, second_forename))
        mother_given[mother_forename_weak] = _better(mother_given[mother_forename_weak], mother_forename)
        father_given[father_forename_weak] = _better(father_given[father_forename_weak], father_forename)
        middle = _middle_levels(middle, _better(core, last), middle_weak)
        other_middle = middle.copy()
        other_middle[other_middle_rows] = other_middle_levels
        if len(forename_weak):  # the parse's order, with its best given name, before the other order
            given, middle = _forenames_swapped(given, middle, forename_weak, given_from_middle,
                                               _better(middle_from_given, middle_last_from_given))
        if len(forenames):  # all the forenames agree in some order: so do the middle names, either reading
            middle = _middle_levels(middle, forenames, middle_weak)
        levels[:, FIELD_INDEX["surname"]] = surname
        levels[:, FIELD_INDEX["given"]] = given
        levels[:, FIELD_INDEX["name_order"]] = 0 if ids["surname"] and ids["given"] else NULL_LEVEL
        levels[:, FIELD_INDEX["middle"]] = middle
        sex = col["sex"]
        if ids["sex"]:
            levels[:, FIELD_INDEX["sex"]] = np.where(sex == 0, NULL_LEVEL, np.where(sex == ids["sex"], 0, 1))
        dates = col.get(_DATE_LEVELS)  # the shortlist's, for the rows it kept
        levels[:, FIELD_INDEX["birth_date"]] = self._date_levels(record, col) if dates is None else dates
        levels[:, FIELD_INDEX["birth_place"]] = self._places.levels(ids["place"], col["place"])
        levels[:, FIELD_INDEX["mother_name"]] = _parent_levels(
            mother_given, mother_surname, mother_given_swap, mother_surname_swap, mother_weak)
        levels[:, FIELD_INDEX["father_name"]] = _parent_levels(
            father_given, father_surname, father_given_swap, father_surname_swap, father_weak)
        pid = col["pid"]
        if ids["pid"]:
            level = np.where(pid == 0, NULL_LEVEL, np.where(pid == ids["pid"], 0, 1)).astype(np.int8)
            differ = np.flatnonzero(level == 1)
            level[differ[pid_slips(ids["pid"], pid[differ])]] = NULL_LEVEL  # tells nothing either way
            levels[:, FIELD_INDEX["pid"]] = level
        if len(other_given_second):  # the turned-round name's second word as its given name (`Encoder`)
            other_given = _better(other_given, other_given_second)
        if len(other_given_last):  # or the word before its last (`Encoder`)
            other_given = _better(other_given, other_given_last)
        turned_middle = other_middle[name_weak]
        if len(other_forenames):
            turned_middle = _middle_levels(turned_middle, other_forenames, np.arange(len(name_weak)))
        other = np.stack([other_surname, other_given, turned_middle], axis=1) if len(name_weak) \
            else np.zeros((0, 3), dtype=np.int8)
        near = given <= N_JW_LOW  # the given name near the candidate's, in either reading
        near[name_weak] |= other_given <= N_JW_LOW
        crossed = self._parents_crossed(record, col, levels, near)
        if record.source in RENAMING_SOURCES and ids["given"]:
            _drop_names_given_by_others(levels, name_weak, other, record.source == Source.ABANDONED_INTAKE)
        return Readings(levels, name_weak, other, crossed)

    def _parents_crossed(self, record: Encoded, col: dict[str, np.ndarray], levels: np.ndarray,
                         near: np.ndarray) -> np.ndarray:
        """Where the record names both parents and neither agrees with the candidate's, but each agrees
        with the candidate's other parent (at least by the given name), the form's two fields were
        filled the wrong way round: the parents' levels are read crosswise there (in `levels`). Returns
        which rows were. Asked only where the given name is `near` the candidate's: a stranger's parents
        crossed change nothing."""
        crossed = np.zeros(len(levels), dtype=bool)
        if not (record.ids["mother_given"] and record.ids["father_given"]):
            return crossed
        j_mother, j_father = FIELD_INDEX["mother_name"], FIELD_INDEX["father_name"]
        different = _PARENT["different"]
        # both given names the same once folded, crosswise: two integer comparisons before any name's (a
        # swap and a misspelling together are left to the steward)
        fold_of = self.table.encoder.fold_of.view
        crosswise = (fold_of[col["father_given"]] == fold_of[record.ids["mother_given"]]) & \
            (fold_of[col["mother_given"]] == fold_of[record.ids["father_given"]])
        rows = np.flatnonzero((levels[:, j_mother] == different) & (levels[:, j_father] == different) & near
                              & crosswise)
        if not len(rows):
            return crossed
        mother_given, mother_surname, father_given, father_surname = self._compare_names(record, col, [
            ("mother_given", "father_given", rows), ("mother_surname", "father_surname", rows),
            ("father_given", "mother_given", rows), ("father_surname", "mother_surname", rows)])
        none = np.zeros(0, dtype=np.int64)
        as_father = _parent_levels(mother_given, mother_surname, none, none, none)
        as_mother = _parent_levels(father_given, father_surname, none, none, none)
        both = (as_mother <= _PARENT["given_agrees"]) & (as_father <= _PARENT["given_agrees"])
        at = rows[both]
        levels[at, j_mother], levels[at, j_father] = as_mother[both], as_father[both]
        crossed[at] = True
        return crossed

    def _compare_names(self, record: Encoded, col: dict[str, np.ndarray],
                       wanted: list[tuple[str, str, np.ndarray | slice]]) -> list[np.ndarray]:
        """Levels of the record's name `a` against the candidates' column `b` at rows `at`, for each
        (a, b, at), in one `NameLevels.levels_many` pass. Where the record wrote that person's name with
        diacritics, a difference in them is a real one (marks_differ, not folded). Where it wrote it
        without any, it shows only the folded form: "Khai" agrees with Khai and with Khải alike (twins
        are named so), so agreement is folded whichever the candidate carries (`_unmarked_levels`)."""
        found = self._names.levels_many([(record.ids[a], col[b][at]) for a, b, at in wanted])
        names = self.table.encoder.names.values
        for (a, _, _), levels in zip(wanted, found, strict=True):
            if marked_field(record, a, names[record.ids[a]]):
                levels[levels == N_FOLDED] = N_MARKS
            else:
                _unmarked_levels(levels)
        return found

    def forenames_read_as_given(self, record: Encoded, rows: np.ndarray,
                                given_levels: np.ndarray) -> list[str]:
        """Per row, the record's other forename that `_levels` read as its given name against that
        candidate (`_forenames_swapped`), "" where it read the given name itself: the forename whose
        level is the given level (`given_levels`) where that is better than the given name's own. One
        comparison of each forename for all the rows."""
        if not _forenames_ambiguous(record) or not len(rows):
            return [""] * len(rows)
        core = middle_core(record.name)  # what `_readings` compares as the given name
        fields = [("middle_core", " ".join(core))]
        if record.ids["first_forename"]:
            fields += [("first_forename", core[0]), ("second_forename", core[1])]
        return self._read_as_given(record, rows, given_levels, "given", fields, fields[0][1])

    def turned_given_read_as(self, record: Encoded, rows: np.ndarray, given_levels: np.ndarray) -> list[str]:
        """Per row read the other way, the record's word `_readings` compared as its given name there where
        it was not the other reading's own (`Encoder`: other_given_second, other_given_last), else ""."""
        middle, ids = record.name.middle, record.ids
        # (each id is set only where the name has two middle names or more)
        fields = [(f, middle[i]) for f, i in (("other_given_second", 0), ("other_given_last", -1))
                  if ids.get(f)]
        if not fields or not len(rows):
            return [""] * len(rows)
        return self._read_as_given(record, rows, given_levels, "other_given", fields, "")

    def _read_as_given(self, record: Encoded, rows: np.ndarray, given_levels: np.ndarray, own: str,
                       fields: list[tuple[str, str]], fallback: str) -> list[str]:
        """Per row, "" where the record's `own` given name reached `given_levels`, else the text of the
        first of `fields` (id field, text) that did (`fallback` where none did): one comparison of each
        for all the rows."""
        column = self.gather(rows, ("given",))
        direct, *alternatives = self._compare_names(
            record, column, [(f, "given", slice(None)) for f in (own, *(f for f, _ in fields))])
        return ["" if given_levels[j] >= direct[j] else
                next((text for (_, text), levels in zip(fields, alternatives, strict=True)
                      if levels[j] == given_levels[j]), fallback)
                for j in range(len(rows))]

    def tf_adjustments(self, levels: np.ndarray, columns: dict[str, np.ndarray],
                       record: Encoded) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Bits added because the agreed value is rarer (or commoner) than the average agreement, per
        field; and what pricing agreeing name parts together takes back (`_parts_together`)."""
        tf = np.zeros(levels.shape, dtype=np.float64)
        parts = _PartsAgreeing(len(levels))
        for j, column, tf_codes, exact, base, base_folded, cap in self._tf_plan(record.source):
            at = levels[:, j]
            hit = at == tf_codes[0]
            for code in tf_codes[1:]:
                hit |= at == code
            if not hit.any():
                continue
            if column in PARENTS:  # a parent's whole name, always by its folded form (`parent_names`)
                surname, given = (columns[c][hit] for c in PARENTS[column])
                frequency = self._parent_frequency(column, surname, given)
                tf[hit, j] = np.clip(np.log2(base / frequency), -cap, cap)
                continue
            # the identity's value: with a swapped alignment it is still the identity's surname that
            # the surname comparison agreed on. A folded agreement ("nhu") is as common as every toned
            # name that folds to it (như, nhu, nhữ...), so it takes the folded form's frequency.
            values = columns[column][hit]
            is_folded_hit = at[hit] != exact
            frequency = self._frequencies(column, values, is_folded_hit)
            # a folded agreement (the one kind a name written without marks can show) is measured against
            # folded agreements: against exact ones, it lost 2-3 bits per part of such a name
            base_used = np.where(is_folded_hit, base_folded, base)
            tf[hit, j] = np.clip(np.log2(base_used / frequency), -cap, cap)
            if column in PARTS:
                parts.add(PARTS.index(column), hit, np.log2(base_used) - tf[hit, j], is_folded_hit)
        return tf, self._parts_together(parts, columns)

    def _parts_together(self, parts: _PartsAgreeing,
                        columns: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Per candidate, the bits taken back where two or three name parts agree and pricing them apart
        claimed them rarer together than the identities show (`linkage.engine.name_parts`), and how
        many identities carry them together (0 where fewer than two parts agree). The count, as
        Good-Turing adjusts it, is shrunk towards the parts' product as the frequencies are towards the
        published tables: a register of a few thousand says little of how rare a name is."""
        bits = np.zeros(len(parts.subset), dtype=np.float64)
        carriers = np.zeros(len(parts.subset), dtype=np.int64)
        population = float(self.population())
        values = tuple(columns[part] for part in PARTS)
        for (subset, by_fold), at in parts.groups():
            counts, expected = self._part_counts.counts(tuple(v[at] for v in values), subset, by_fold)
            claimed = parts.log2_frequency[at]  # log2 of the product of the parts' frequencies
            together = (expected + TF_PSEUDO_COUNT * np.exp2(claimed)) / (population + TF_PSEUDO_COUNT)
            bits[at] = np.minimum(claimed - np.log2(together), 0.0)
            carriers[at] = counts
        return bits, carriers

    def average_frequency(self, column: str, folded: bool = False) -> float:
        """The chance that two identities agree on the column, as written or folded: the average frequency
        of its values over the identities (Σ p²), from the counts and tables `tf_adjustments` reads. For
        a parent (`PARENTS`), over the identities naming one, folded either way."""
        if column in PARENTS:
            surname, given = (self.table.col(c) for c in PARENTS[column])
            named = given != 0
            if not named.any():
                return 0.01
            return float(np.mean(self._parent_frequency(column, surname[named], given[named])))
        ids = self.table.col(column)
        ids = ids[ids != 0]
        if not len(ids):
            return 0.01
        return float(np.mean(self._frequencies(column, ids, np.full(len(ids), folded))))

    def _tf_plan(self, source: str) -> list[tuple[int, str, list[int], int, float, float, float]]:
        """Per comparison with a term-frequency table, for records of `source`: its position, column,
        level codes adjusted, exact level code, bases and cap (read once, not per record)."""
        plan = self._tf_plans.get(source)
        if plan is None:
            model, _ = self.view(source)
            plan = self._tf_plans[source] = [
                (j, c.tf, codes, c.level_index("exact"), c.tf_base_u, c.tf_base_u_folded, c.tf_cap)
                for j, c in enumerate(model.comparisons)
                if c.tf and (codes := [c.level_index(label) for label in c.tf_levels])]
        return plan

    def _parent_frequency(self, parent: str, surname: np.ndarray, given: np.ndarray) -> np.ndarray:
        """How common each (surname, given name) is as a `parent`'s name, folded: the identities naming
        a parent so among those naming one, shrunk towards the parts' published frequencies."""
        counts, carriers = self._parent_counts.counts(parent, surname, given)
        folded_form = np.ones(len(surname), dtype=bool)
        prior = self._priors("surname", surname, folded_form) * self._priors("given", given, folded_form)
        return np.maximum((counts + TF_PSEUDO_COUNT * prior) / (carriers + TF_PSEUDO_COUNT), 1e-7)

    def _frequencies(self, column: str, ids: np.ndarray, by_fold: np.ndarray) -> np.ndarray:
        encoder = self.table.encoder
        fold_ids = encoder.fold_of.view[ids]
        counts = np.where(by_fold, encoder.folded_names.counts_of(fold_ids), encoder.names.counts_of(ids))
        counts = counts.astype(np.float64)
        prior = self._priors(column, ids, by_fold)
        population = max(len(self.table), 1)
        return np.maximum((counts + TF_PSEUDO_COUNT * prior) / (population + TF_PSEUDO_COUNT), 1e-7)

    def _priors(self, column: str, ids: np.ndarray, by_fold: np.ndarray) -> np.ndarray:
        """`_prior` of each id, from a dense table per column with two entries per name (as written,
        folded): one gather per record, the published tables consulted once per value."""
        at = ids.astype(np.int64) * 2 + by_fold
        table = self._prior_tables.get(column)
        top = int(at.max()) if len(at) else -1
        if table is None or len(table) <= top:
            grown = np.full(max(top + 1, 2 * len(self.table.encoder.names)) * 2, np.nan)
            if table is not None:
                grown[: len(table)] = table
            table = self._prior_tables[column] = grown
        values = table[at]
        unknown = np.isnan(values)
        if unknown.any():
            for i in np.unique(at[unknown]).tolist():
                table[i] = self._prior(column, i >> 1, bool(i & 1))
            values = table[at]
        return values

    def _prior(self, column: str, value_id: int, by_fold: bool) -> float:
        key = (column, value_id, by_fold)
        found = self._prior_freq.get(key)
        if found is None:
            text = self.table.encoder.names.values[value_id]
            text = folded(text) if by_fold else text
            found = self._prior_freq[key] = float(_PRIOR_FREQUENCY[column](text)) if text else 1.0
        return found

    def population(self) -> int:
        return self.table.live_count()

    def score(self, record: Encoded, rows: np.ndarray) -> Scores:
        """The record against its candidate rows, or against the `shortlist_size` of them of highest rough
        weight: every caller (the online matcher, the Spark batch) scores the same candidates."""
        rows, rough = self._shortlisted(record, np.asarray(rows, dtype=np.int32), self.shortlist_size)
        if rough is None:
            columns = self.gather(rows, _SCORED_COLUMNS)
        else:  # the shortlist's columns, and the rest gathered
            columns = {**rough, **self.gather(rows, tuple(c for c in _SCORED_COLUMNS if c not in rough))}
        model, tables = self.view(record.source)
        readings = self._readings(record, columns)
        levels = readings.chosen(tables)
        tf, (together, carriers) = self.tf_adjustments(levels, columns, record)
        weights = np.full(len(rows), model.prior_weight(self.population()), dtype=np.float64)
        for j, table in enumerate(tables):
            weights += table[levels[:, j]]
        weights += tf.sum(axis=1) + together
        return Scores(rows=rows, levels=levels, tf=tf, weights=weights,
                      twin_risk=self.twin_risk(record, rows, levels, model), together=together,
                      carriers=carriers, parents_crossed=readings.parents_crossed)

    def twin_risk(self, record: Encoded, rows: np.ndarray, levels: np.ndarray, model: Model) -> np.ndarray:
        """Odds, per candidate, that the record is the candidate's unregistered twin instead.

        Without a given name any twin qualifies, and so where the name counts as none against the
        candidate (one given by others: `_drop_names_given_by_others`, or the candidate's own missing).
        A name written without any diacritics that agrees on the folded given name qualifies a twin
        only where the folded form is shared by other names of that sex (`FoldAmbiguity`): "uy" leaves
        no room for a twin named alike, "lan" does. A name written with diacritics ("Trần Thị Lan")
        would show a twin's marks (Lân: marks_differ), so its unmarked given name carries no such
        doubt.

        A name that agrees only by its sound, as a variant spelling (Hão for Hảo: hỏi and ngã merge in
        speech) or by the phonetic key ("Khang" for Khánh: a regional merger), is the candidate's name
        misspelt or a twin's own, where people carry the name as written. The candidate needs the
        writer's slip (the level's m) while the twin needs none (written as is: the exact and folded
        levels' m), so the twin's odds grow by their ratio; twins are named to sound alike less often
        than to fold alike (`SOUND_ALIKE_SHARE`).

        Two facts rule the hidden twin out. A personal number that agrees: a twin has their own. A
        co-twin in the register (`RegisteredTwins`): parents declare twins together, at the same commune
        on the same day, so the candidate's twin is then a candidate of its own, scored in
        the open (a twin margin when the record cannot tell them apart), and a third child of that birth
        (triplets, about 1 in 8,000 births) is too rare to weigh. The parents' names, the birthplace and
        the birth date are no evidence either way: a twin shares them with the candidate, so they raise
        the twin's odds exactly as much as the candidate's. Without a registered co-twin the prior
        stands: twins are ~1.6 % of children and nearly all are registered together, which is what
        `model.twin_risk` already counts (`linkage.model.spec`).
        """
        risk = np.zeros(len(levels), dtype=np.float64)
        given = record.name.given
        if not given:
            risk[:] = model.twin_risk_unnamed
        else:
            given_levels = levels[:, FIELD_INDEX["given"]]
            risk[given_levels == NULL_LEVEL] = model.twin_risk_unnamed  # a name given by others
            agree = np.zeros(0, dtype=np.intp)
            given_marked = marked_field(record, "given", given)
            if not given_marked:  # a name written with diacritics would show the twin's marks
                agree = np.flatnonzero((given_levels == N_EXACT) | (given_levels == N_FOLDED))
            if len(agree):
                candidates = rows[agree]
                sexes = np.full(len(agree), record.ids["sex"]) if record.ids["sex"] \
                    else self.table.col("sex")[candidates]
                ambiguity = self._ambiguity.of(self.table.col("given")[candidates], sexes)
                risk[agree] = model.twin_risk * ambiguity
            sound_alike = np.flatnonzero((given_levels == N_VARIANT) | (given_levels == N_PHONETIC))
            if len(sound_alike):
                carried = self._ambiguity.carried(record.ids["given"], record.ids["sex"], given_marked)
                risk[sound_alike] = model.twin_risk * SOUND_ALIKE_SHARE * carried * \
                    _as_written_odds(model)[given_levels[sound_alike]]
        doubted = np.flatnonzero(risk > 0)
        if len(doubted):
            pid_agrees = levels[doubted, FIELD_INDEX["pid"]] == 0
            risk[doubted[pid_agrees | self._registered_twins.of(rows[doubted])]] = 0.0
        return risk




def _as_written_odds(model: Model) -> np.ndarray:
    """Per given-name level, how much likelier a name comes through as written (exact or folded) than
    at that level, in the source's model: the odds a sound-alike name lends a twin named so."""
    m = np.array([level.m for level in model.comparison("given").levels])
    return (m[N_EXACT] + m[N_FOLDED]) / np.maximum(m, 1e-6)


def top_positions(values: np.ndarray, size: int) -> np.ndarray:
    """Positions of the `size` highest values, in position order; of equal values the lower positions
    (what `np.sort(np.argsort(-values, kind="stable")[:size])` gives, from a partition instead of a sort
    of every value)."""
    negated = -values
    if size <= 0:
        return np.zeros(0, dtype=np.intp)
    kth = np.partition(negated, size - 1)[size - 1]
    if np.isnan(kth):
        return np.sort(np.argsort(negated, kind="stable")[:size])
    above = np.flatnonzero(negated < kth)
    ties = np.flatnonzero(negated == kth)[: size - len(above)]
    return np.sort(np.concatenate([above, ties]))


_PID_POWERS = 10 ** np.arange(12, dtype=np.int64)


def pid_slips(a: int, b: np.ndarray) -> np.ndarray:
    """Per personal number in `b`, whether it is `a` with one slip in copying its 12 digits: one digit
    mistyped, or two neighbouring digits swapped.

    Such a number is the person's own, miscopied, far more often than another person's: numbers of one
    province, sex and year differ in six random serial digits, so another person's lies one slip away
    about once in 10^5, a sibling's or a twin's practically never (their year or serial differs in
    several digits). The comparison then neither agrees nor disagrees (null level), and the slip is no
    `pid_disagrees` conflict (`matcher.FellegiSunterMatcher._pid_conflicts`).
    """
    b = np.asarray(b, dtype=np.int64)
    if not len(b) or not a:
        return np.zeros(len(b), dtype=bool)
    da = (np.int64(a) // _PID_POWERS) % 10
    db = (b[:, None] // _PID_POWERS) % 10
    differ = da != db
    count = differ.sum(axis=1)
    swapped = (differ[:, :-1] & differ[:, 1:] & (da[:-1] == db[:, 1:]) & (da[1:] == db[:, :-1])).any(axis=1)
    return (count == 1) | ((count == 2) & swapped)


CONTRADICTING_DATES = frozenset({_DATE_CODE["same_year"], _DATE_CODE["different"]})
# two full dates that name the same day, give or take a slip of the pen
SAME_DAY_DATES = frozenset({_DATE_CODE["exact"], _DATE_CODE["swapped"], _DATE_CODE["within_days"]})


def _province_number(place: Place | None) -> int:
    """The old province's code, or today's code + 100 (the two numberings overlap), or 0."""
    if place is None:
        return 0
    if place.old_province_code:
        return int(place.old_province_code)
    return 100 + int(place.province_code) if place.province_code else 0


class PlaceColumns:
    """`place_code` of one place against many (the same place exact), from integer columns per place id:
    a record's candidates
    cost one numpy pass, not a `compare_places` call per distinct pair (a cold cache after a restart
    costs hundreds per record). A pair with an old, split-up province name (`Place.candidates`, a handful
    of names) or a name that then covered more (`Place.old_candidates`) is left to `place_code` itself.
    Place ids stand for parsed places, not texts: "Gia Lai" and a commune of Gia Lai the tables do not
    know share one id, and agree on the province only, as `compare_places` says, never on the commune."""

    _OLD, _NOW, _COMMUNE, _REGION, _SPLIT, _OLD_COMMUNE, _NAMED, _MAYBE_CURRENT, _DISTRICT, _PROVINCE_NO, \
        _AREA = range(11)
    _WIDTH = _AREA + 1

    def __init__(self, values: list[Place | None]) -> None:
        self._values = values
        self._columns = np.zeros((1, self._WIDTH), dtype=np.int32)  # id 0: missing
        self._codes: dict[str, int] = {"": 0}
        self._grow = threading.Lock()

    def __getstate__(self) -> dict:  # locks don't pickle
        return {key: value for key, value in self.__dict__.items() if key != "_grow"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _grow=threading.Lock())

    def levels(self, a: int, b: np.ndarray) -> np.ndarray:
        """Level codes of place id `a` against place ids `b` (NULL_LEVEL where either is missing)."""
        out = np.full(len(b), NULL_LEVEL, dtype=np.int8)
        if a == 0 or not len(b):
            return out
        columns = self._sync()
        pa, pb = columns[a], columns[b]
        old_a, old_b = pa[self._OLD], pb[:, self._OLD]
        same_now = (pa[self._NOW] != 0) & (pb[:, self._NOW] == pa[self._NOW])
        same_province = np.where((old_a != 0) & (old_b != 0), old_b == old_a, same_now)
        now_named = (pa[self._COMMUNE] != 0) & (pb[:, self._COMMUNE] != 0)
        old_named = (pa[self._OLD_COMMUNE] != 0) & (pb[:, self._OLD_COMMUNE] != 0)
        same_old = old_named & (pb[:, self._OLD_COMMUNE] == pa[self._OLD_COMMUNE])
        # two old communes of birth, however 2025 merged them, unless a name may be the current commune's
        other_old = old_named & ~same_old & (pa[self._MAYBE_CURRENT] == 0) & (pb[:, self._MAYBE_CURRENT] == 0)
        same_commune = same_old | (now_named & (pb[:, self._COMMUNE] == pa[self._COMMUNE]) & ~other_old)
        other_district = (pa[self._DISTRICT] != 0) & (pb[:, self._DISTRICT] != 0) & \
            (pb[:, self._DISTRICT] != pa[self._DISTRICT])
        level = np.full(len(b), int(PlaceLevel.DIFFERENT), dtype=np.int8)
        level[(pa[self._REGION] != 0) & (pb[:, self._REGION] == pa[self._REGION])] = PlaceLevel.SAME_REGION
        # two old provinces 2025 merged, neither by the merged one's name: two provinces of birth
        old_only = (old_a != 0) & (old_a != pa[self._NOW]) & (old_b != 0) & (old_b != pb[:, self._NOW])
        level[same_now & ~old_only] = PlaceLevel.SAME_NOW
        # a province named alone, which the other's text also named for a part that has since left it
        province_only_a = (old_a != 0) & (pa[self._COMMUNE] == 0) & (pa[self._OLD_COMMUNE] == 0)
        province_only_b = (old_b != 0) & (pb[:, self._COMMUNE] == 0) & (pb[:, self._OLD_COMMUNE] == 0)
        named_alike = (province_only_a & (pb[:, self._NAMED] == old_a)) | \
            (province_only_b & (old_b == pa[self._NAMED]))
        level[named_alike] = PlaceLevel.SAME
        level[same_province] = PlaceLevel.SAME
        level[same_province & (now_named | other_old | other_district)] = PlaceLevel.OTHER_COMMUNE
        level[same_province & same_commune] = PlaceLevel.SAME_COMMUNE
        split = (pa[self._SPLIT] | pb[:, self._SPLIT]).astype(bool) & ~same_province & ~same_now
        for i in np.flatnonzero(split).tolist():
            level[i] = place_code(self._values[a], self._values[int(b[i])])
        present = b != 0
        if pa[self._AREA] or pb[:, self._AREA].any():  # a part of the country named (`_in_area`)
            area_a, area_b = pa[self._AREA], pb[:, self._AREA]
            named = (area_a != 0) | (area_b != 0)
            members = _area_members()  # (area number, province number) -> within
            inside = np.where(area_a != 0, members[area_a, pb[:, self._PROVINCE_NO]],
                              members[area_b, pa[self._PROVINCE_NO]])
            both = (area_a != 0) & (area_b != 0)
            inside[both] = (members[area_a] & members[area_b[both]]).any(axis=1)
            level[named] = np.where(inside[named], int(PlaceLevel.IN_AREA), int(PlaceLevel.OUTSIDE_AREA))
            unknown = np.where(area_a != 0, pb[:, self._PROVINCE_NO] == 0, pa[self._PROVINCE_NO] == 0) & ~both
            present &= ~(named & unknown)
        out[present] = level[present]
        return out

    def _sync(self) -> np.ndarray:
        """The columns, with rows for places the vocabulary gained since the last call (swapped in whole:
        a reader holds the old array or the new, never a torn one)."""
        columns = self._columns
        if len(columns) < len(self._values):
            with self._grow:
                columns, stop = self._columns, len(self._values)
                if len(columns) < stop:
                    new = [self._row(place) for place in self._values[len(columns):stop]]
                    columns = self._columns = np.concatenate([columns, np.array(new, dtype=np.int32)])
        return columns

    def _row(self, place: Place | None) -> list[int]:
        if place is None:
            return [0] * self._WIDTH
        code = self._code
        return [code(place.old_province_code), code(place.province_code), code(place.commune_code),
                code(place.region), int(bool(place.candidates or place.old_candidates)),
                code(place.old_commune_code),
                code(place.named_code) if place.named_code else -1, int(place.maybe_current),
                code(place.district_code), int(place.old_province_code or 0),
                _area_number(place.area)]

    def _code(self, text: str) -> int:
        return self._codes.setdefault(text, len(self._codes))


@cache
def _area_members() -> np.ndarray:
    """(`_area_number`, old province number) -> whether the part of the country holds the province (row
    0, no part, and column 0, no province, hold none)."""
    provinces = area_provinces()
    members = np.zeros((len(provinces) + 1, 100), dtype=bool)
    for area, codes in provinces.items():
        members[_area_number(area), [int(code) for code in codes]] = True
    return members


def _area_number(area: str) -> int:
    """A part of the country's row in `_area_members`, 0 for none."""
    return list(area_provinces()).index(area) + 1 if area else 0


def place_code(a: Place | None, b: Place | None) -> int:
    level = compare_places(a, b)
    return NULL_LEVEL if level is PlaceLevel.MISSING else int(level)


def _as_registered(date: PartialDate) -> PartialDate:
    """A full date on the 1st as a register may have meant it: registers write the 1st where the day of
    birth is not known and 1 January where the month is not either (a foundling registered late, on an
    estimate), so the date stands for its month, or for its year."""
    if date.precision is not Precision.DAY or date.day != 1:
        return date
    month_end = dt.date(date.year, 12, 31) if date.month == 12 else \
        dt.date(date.year, date.month + 1, 1) - dt.timedelta(days=1)
    return replace(date, latest=dt.date(date.year, 12, 31) if date.month == 1 else month_end)


def date_level(a: PartialDate | None, b: PartialDate | None, either_way: bool = True) -> int:
    """The model's date level: `compare_dates`, refined where its level mixes compatible and contradicting.
    `either_way`: a day that could be the month is also read as the month (`vn.dates.day_gap`), as a
    record written abroad may mean it (`WRITTEN_ABROAD`).

    Two full dates in the same month but more than WITHIN_DAYS apart, the same day and month a year off
    or in a year otherwise one slip away (a digit keyed wrong or two swapped: `years_a_slip_apart`), or
    the same year months apart, are told apart from a partial date that merely contains the other; a
    partial date one year off is near, not different, two years off far, and so is a full date on 1
    January, which files write where only the year is known. An estimate (a foundling's age) agrees with
    a full date on the 1st wherever it overlaps what that date may stand for (`_as_registered`).
    """
    level = compare_dates(a, b, either_way)
    if level is DateLevel.MISSING:
        return NULL_LEVEL
    one_estimate = (a.precision is Precision.ESTIMATE) != (b.precision is Precision.ESTIMATE)
    if level is DateLevel.DIFFERENT and one_estimate \
            and compare_dates(_as_registered(a), _as_registered(b)) is DateLevel.WITHIN_ESTIMATE:
        return _DATE_CODE["within_estimate"]
    full = a.precision is Precision.DAY and b.precision is Precision.DAY
    if level in (DateLevel.EXACT, DateLevel.SWAPPED, DateLevel.WITHIN_DAYS, DateLevel.WITHIN_ESTIMATE):
        return _DATE_CODE[level.name.lower()]
    if not full:
        if level is DateLevel.DIFFERENT and Precision.ESTIMATE not in (a.precision, b.precision):
            return _years_off(a, b)
        return _DATE_CODE[{DateLevel.SAME_MONTH: "month_only", DateLevel.SAME_YEAR: "year_only"}.get(
            level, "different")]
    if day_gap(a, b, either_way) <= 31:
        return _DATE_CODE["within_month"]
    if same_day_and_month(a, b) and years_a_slip_apart(a.year, b.year):  # the day and month, read either way
        return _DATE_CODE["year_off" if abs(a.year - b.year) == 1 else "year_slip"]
    if (a.month, a.day) == (1, 1) or (b.month, b.day) == (1, 1):
        # 1 January is what registers and files write where only the year is known: a year, not a day
        return _DATE_CODE["year_only"] if a.year == b.year else _years_off(a, b)
    return _DATE_CODE["same_year" if a.year == b.year else "different"]


def _years_off(a: PartialDate, b: PartialDate) -> int:
    """The level of a year written off the other date's where no day contradicts: one off is near (a
    year counted by the lunar calendar, or in tuổi mụ), two far (an age remembered a year or two wrong),
    more different."""
    return _DATE_CODE[{1: "year_near", 2: "year_far"}.get(abs(a.year - b.year), "different")]
