"""Vectorised Fellegi-Sunter scoring of one record against its candidate rows.

Per comparison: integer equality first (exact agreement costs nothing), then the `linkage.vn` level of
each *distinct* unequal pair of values, looked up in a cache (pairs of names recur endlessly); levels
become weights through the model's tables; term-frequency adjustments replace u by the frequency of the
agreed value. The result is a level matrix, a TF matrix and a weight per candidate: the same numbers
the explanation shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from linkage.engine.ambiguity import FoldAmbiguity
from linkage.engine.datelevels import DateColumns
from linkage.engine.features import Encoded, FeatureTable, folded
from linkage.engine.namelevels import NameLevels
from linkage.model.comparisons import DATE_LEVELS, FIELDS
from linkage.model.spec import NULL_LEVEL, Model
from linkage.vn.compare import NameLevel
from linkage.vn.dates import DateLevel, PartialDate, Precision, compare_dates
from linkage.vn.frequencies import given_frequency, middle_frequency, surname_frequency
from linkage.vn.places import Place, PlaceLevel, compare_places

FIELD_INDEX = {name: j for j, name in enumerate(FIELDS)}
TF_PSEUDO_COUNT = 2000.0  # how many identities' worth of weight the published frequency tables carry
_PRIOR_FREQUENCY: dict[str, Callable[[str], float]] = {
    "surname": surname_frequency, "middle": middle_frequency, "given": given_frequency,
}


# model level codes of the name comparisons (NAME_LEVELS order)
N_EXACT, N_FOLDED, N_VARIANT, N_PHONETIC, N_MARKS, N_JW_HIGH, N_JW_LOW, N_DIFFERENT = range(8)
_NAME_CODE = {NameLevel.EXACT: N_EXACT, NameLevel.FOLDED: N_FOLDED, NameLevel.VARIANT: N_VARIANT,
              NameLevel.PHONETIC: N_PHONETIC, NameLevel.JW_HIGH: N_JW_HIGH, NameLevel.JW_LOW: N_JW_LOW,
              NameLevel.DIFFERENT: N_DIFFERENT, NameLevel.MISSING: NULL_LEVEL}


CONTRADICTING_NAMES = frozenset({N_MARKS, N_JW_LOW, N_DIFFERENT})


def _better(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise best (lowest) level code, where NULL_LEVEL counts as worst."""
    worst = np.int8(127)
    best = np.minimum(np.where(a == NULL_LEVEL, worst, a), np.where(b == NULL_LEVEL, worst, b))
    return np.where(best == worst, NULL_LEVEL, best).astype(np.int8)


class PairLevelCache:
    """level(a, b) for vocabulary ids, computed once per distinct pair by a `linkage.vn` function.

    `compare` returns the model's level code (NULL_LEVEL for missing). Levels are kept as one int8 row
    per value `a` (UNKNOWN until computed), so a record's candidates cost one array gather, not a dict
    lookup each; the rows are dropped together when they pass `limit` cells.
    """

    UNKNOWN = np.int8(-128)

    def __init__(self, values: list, compare: Callable[[object, object], int],
                 limit: int = 64_000_000) -> None:
        self._values = values
        self._compare = compare
        self._rows: dict[int, np.ndarray] = {}
        self._cells = 0
        self._limit = limit

    def levels(self, a: int, b: np.ndarray) -> np.ndarray:
        """Level codes (model order, NULL_LEVEL where either side is missing) of value a against each b."""
        out = np.full(len(b), NULL_LEVEL, dtype=np.int8)
        if a == 0 or len(b) == 0:
            return out
        present = np.flatnonzero(b != 0)
        ids = b[present]
        row = self._row(a, int(ids.max()) + 1 if len(ids) else 0)
        found = row[ids]
        unknown = found == self.UNKNOWN
        if unknown.any():
            for x in np.unique(ids[unknown]).tolist():
                row[x] = self._compare(self._values[a], self._values[x])
            found = row[ids]
        out[present] = found
        return out

    def _row(self, a: int, needed: int) -> np.ndarray:
        row = self._rows.get(a)
        if row is None or len(row) < needed:
            size = max(needed, len(self._values), 64)
            grown = np.full(size + size // 4, self.UNKNOWN, dtype=np.int8)
            if row is not None:
                grown[: len(row)] = row
                self._cells -= len(row)
            grown[a] = 0  # a value agrees with itself exactly, whatever `compare` says of the pair
            if self._cells + len(grown) > self._limit:
                self._rows, self._cells = {}, 0
            self._rows[a], row = grown, grown
            self._cells += len(grown)
        return row


@dataclass(frozen=True, slots=True)
class Scores:
    rows: np.ndarray        # identity rows, int32
    levels: np.ndarray      # (n, k) int8 level codes, NULL_LEVEL = missing
    tf: np.ndarray          # (n, k) float64 term-frequency adjustments (bits)
    weights: np.ndarray     # (n,) match weight (bits): prior + comparisons + TF, before competition
    twin_risk: np.ndarray   # (n,) odds ratio of "the candidate's unregistered twin" (0 when ruled out)

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

    def __init__(self, model: Model, table: FeatureTable) -> None:
        self.model = model
        self.table = table
        self.tables = model.weight_tables()
        self._views: dict[str, tuple[Model, list[np.ndarray]]] = {}
        enc = table.encoder
        self._names = NameLevels(enc.names.values, _NAME_CODE)
        self._names.sync()  # a scorer over a loaded table (a new model, a snapshot) derives its names now
        self._dates = DateColumns()
        self._places = PairLevelCache(enc.places.values, place_code)
        self._prior_freq: dict[tuple[str, int, bool], float] = {}
        self._prior_tables: dict[tuple[str, bool], np.ndarray] = {}
        self._ambiguity = FoldAmbiguity(table)

    def view(self, source: str) -> tuple[Model, list[np.ndarray]]:
        """The model and weight tables a record of `source` is scored with (per-source m/u when learnt)."""
        found = self._views.get(source)
        if found is None:
            model = self.model.for_source(source)
            found = self._views[source] = (model, model.weight_tables())
        return found

    def levels(self, record: Encoded, rows: np.ndarray) -> np.ndarray:
        """The (n, k) level matrix: what training uses and what scoring weighs."""
        t, ids, n = self.table, record.ids, len(rows)
        _, tables = self.view(record.source)
        levels = np.full((n, len(FIELDS)), NULL_LEVEL, dtype=np.int8)
        col = {name: t.col(name)[rows] for name in ("surname", "middle", "given", "mother_surname",
                                                     "mother_given", "father_surname", "father_given")}
        marked = record.name_marked
        surname_direct = self._name_levels(ids["surname"], col["surname"], marked)
        given_direct = self._name_levels(ids["given"], col["given"], marked)
        surname, given = surname_direct, given_direct
        order = np.full(n, NULL_LEVEL, dtype=np.int8)
        if ids["surname"] and ids["given"]:
            order[:] = 0
            # the other order is only worth trying where the direct one did not already agree
            weak = np.flatnonzero((surname_direct > N_PHONETIC) | (given_direct > N_PHONETIC))
            surname_swap, given_swap = surname_direct.copy(), given_direct.copy()
            surname_swap[weak] = self._name_levels(ids["given"], col["surname"][weak], marked)
            given_swap[weak] = self._name_levels(ids["surname"], col["given"][weak], marked)
            ws, wg, wo = tables[FIELD_INDEX["surname"]], tables[FIELD_INDEX["given"]], \
                tables[FIELD_INDEX["name_order"]]
            direct = ws[surname_direct] + wg[given_direct] + wo[0]
            swapped = ws[surname_swap] + wg[given_swap] + wo[1]
            tried = np.zeros(n, dtype=bool)
            tried[weak] = True
            use_swap = tried & (swapped > direct)
            surname = np.where(use_swap, surname_swap, surname_direct)
            given = np.where(use_swap, given_swap, given_direct)
            order[use_swap] = 1
        levels[:, FIELD_INDEX["surname"]] = surname
        levels[:, FIELD_INDEX["given"]] = given
        levels[:, FIELD_INDEX["name_order"]] = order
        levels[:, FIELD_INDEX["middle"]] = self._middle_levels(ids, rows, col["middle"], marked)
        sex = t.col("sex")[rows]
        if ids["sex"]:
            levels[:, FIELD_INDEX["sex"]] = np.where(sex == 0, NULL_LEVEL, np.where(sex == ids["sex"], 0, 1))
        self._dates.sync(t.encoder.dates.values)
        levels[:, FIELD_INDEX["birth_date"]] = self._dates.levels(ids["date"], t.col("date")[rows])
        levels[:, FIELD_INDEX["birth_place"]] = self._places.levels(ids["place"], t.col("place")[rows])
        for parent in ("mother", "father"):
            levels[:, FIELD_INDEX[f"{parent}_name"]] = self._parent_levels(
                ids[f"{parent}_surname"], ids[f"{parent}_given"],
                col[f"{parent}_surname"], col[f"{parent}_given"], getattr(record, f"{parent}_marked"))
        pid = t.col("pid")[rows]
        if ids["pid"]:
            levels[:, FIELD_INDEX["pid"]] = np.where(pid == 0, NULL_LEVEL, np.where(pid == ids["pid"], 0, 1))
        return levels

    def _middle_levels(self, ids: dict[str, int], rows: np.ndarray, middles: np.ndarray,
                       marked: bool) -> np.ndarray:
        """Whole middle names first; then without Thị/Văn, which records drop or add (as vn.compare does):
        agreement of the rest counts as a variant at best."""
        levels = self._name_levels(ids["middle"], middles, marked)
        weak = np.flatnonzero(levels > N_VARIANT)
        if len(weak) and ids["middle_core"]:
            core = self._name_levels(ids["middle_core"], self.table.col("middle_core")[rows][weak], marked)
            core = np.where(core == NULL_LEVEL, NULL_LEVEL, np.maximum(core, N_VARIANT)).astype(np.int8)
            levels[weak] = _better(levels[weak], core)
        return levels

    def _name_levels(self, a: int, b: np.ndarray, marked: bool) -> np.ndarray:
        levels = self._names.levels(a, b)
        if marked:
            levels[levels == N_FOLDED] = N_MARKS
        return levels

    def _parent_levels(self, surname: int, given: int, surnames: np.ndarray, givens: np.ndarray,
                       marked: bool) -> np.ndarray:
        """exact / given_agrees / similar / different, from the parent's given name and surname levels."""
        # a parent's name written in Western order ("Hạnh Thị Phạm") puts the given name in the surname
        # slot; the other order is only tried where the direct one did not agree
        g = self._name_levels(given, givens, marked)
        s = self._name_levels(surname, surnames, marked)
        weak = np.flatnonzero(g > N_PHONETIC)
        if len(weak) and surname:
            g[weak] = _better(g[weak], self._name_levels(surname, givens[weak], marked))
            s[weak] = _better(s[weak], self._name_levels(given, surnames[weak], marked))
        g_ok = g != NULL_LEVEL
        surname_fine = (s == NULL_LEVEL) | (s <= N_PHONETIC)
        out = np.full(len(givens), 3, dtype=np.int8)  # different
        out[g_ok & (g <= N_JW_HIGH)] = 2
        out[g_ok & (g <= N_JW_LOW) & (s != NULL_LEVEL) & (s <= N_PHONETIC)] = 2
        out[g_ok & (g <= N_PHONETIC)] = 1
        out[g_ok & (g <= N_PHONETIC) & surname_fine] = 0
        out[~g_ok] = NULL_LEVEL
        return out

    def tf_adjustments(self, levels: np.ndarray, rows: np.ndarray, record: Encoded) -> np.ndarray:
        """Bits added because the agreed value is rarer (or commoner) than the average agreement."""
        tf = np.zeros(levels.shape, dtype=np.float64)
        model, _ = self.view(record.source)
        for j, comparison in enumerate(model.comparisons):
            if not comparison.tf:
                continue
            column = comparison.tf
            tf_codes = [comparison.level_index(label) for label in comparison.tf_levels]
            hit = np.isin(levels[:, j], tf_codes)
            if not hit.any():
                continue
            # the identity's value: with a swapped alignment it is still the identity's surname that
            # the surname comparison agreed on. A folded agreement ("nhu") is as common as every toned
            # name that folds to it (như, nhu, nhữ...), so it takes the folded form's frequency.
            values = self.table.col(column)[rows][hit]
            is_folded_hit = levels[hit, j] != comparison.level_index("exact")
            frequency = self._frequencies(column, values, is_folded_hit)
            cap = comparison.tf_cap
            tf[hit, j] = np.clip(np.log2(comparison.tf_base_u / frequency), -cap, cap)
        return tf

    def _frequencies(self, column: str, ids: np.ndarray, by_fold: np.ndarray) -> np.ndarray:
        encoder = self.table.encoder
        fold_ids = encoder.fold_of.view[ids]
        counts = np.where(by_fold, encoder.folded_names.counts_of(fold_ids), encoder.names.counts_of(ids))
        counts = counts.astype(np.float64)
        prior = self._priors(column, ids, by_fold)
        population = max(len(self.table), 1)
        return np.maximum((counts + TF_PSEUDO_COUNT * prior) / (population + TF_PSEUDO_COUNT), 1e-7)

    def _priors(self, column: str, ids: np.ndarray, by_fold: np.ndarray) -> np.ndarray:
        """`_prior` of each id, from a dense table per (column, folded?): one gather per record, the
        published tables consulted once per value."""
        out = np.empty(len(ids), dtype=np.float64)
        for flag in (False, True):
            pick = np.flatnonzero(by_fold == flag)
            if not len(pick):
                continue
            wanted = ids[pick]
            key = (column, flag)
            table = self._prior_tables.get(key)
            if table is None or len(table) <= int(wanted.max()):
                grown = np.full(max(int(wanted.max()) + 1, len(self.table.encoder.names)) * 2, np.nan)
                if table is not None:
                    grown[: len(table)] = table
                table = self._prior_tables[key] = grown
            values = table[wanted]
            unknown = np.isnan(values)
            if unknown.any():
                for i in np.unique(wanted[unknown]).tolist():
                    table[i] = self._prior(column, i, flag)
                values = table[wanted]
            out[pick] = values
        return out

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
        rows = np.asarray(rows, dtype=np.int32)
        levels = self.levels(record, rows)
        tf = self.tf_adjustments(levels, rows, record)
        model, tables = self.view(record.source)
        weights = np.full(len(rows), model.prior_weight(self.population()), dtype=np.float64)
        for j, table in enumerate(tables):
            weights += table[levels[:, j]]
        weights += tf.sum(axis=1)
        return Scores(rows=rows, levels=levels, tf=tf, weights=weights,
                      twin_risk=self.twin_risk(record, rows, levels, model))

    def twin_risk(self, record: Encoded, rows: np.ndarray, levels: np.ndarray, model: Model) -> np.ndarray:
        """Odds, per candidate, that the record is the candidate's unregistered twin instead.

        Without a given name any twin qualifies. A name written without any diacritics that agrees on
        the folded given name qualifies a twin only where the folded form is shared by other names of
        that sex (`FoldAmbiguity`): "uy" leaves no room for a twin named alike, "lan" does. A name
        written with diacritics ("Trần Thị Lan") would show a twin's marks (Lân: marks_differ), so its
        unmarked given name carries no such doubt.
        """
        risk = np.zeros(len(levels), dtype=np.float64)
        given = record.name.given
        if not given:
            risk[:] = model.twin_risk_unnamed
        elif not record.name_marked:  # a name written with diacritics would show the twin's marks
            agree = np.flatnonzero(np.isin(levels[:, FIELD_INDEX["given"]], (N_EXACT, N_FOLDED)))
            if len(agree):
                candidates = rows[agree]
                sexes = np.full(len(agree), record.ids["sex"]) if record.ids["sex"] \
                    else self.table.col("sex")[candidates]
                ambiguity = self._ambiguity.of(self.table.col("given")[candidates], sexes)
                risk[agree] = model.twin_risk * ambiguity
        return risk


_DATE_CODE = {name: i for i, name in enumerate(DATE_LEVELS)}


CONTRADICTING_DATES = frozenset({_DATE_CODE["same_year"], _DATE_CODE["different"]})
# two full dates that name the same day, give or take a slip of the pen
SAME_DAY_DATES = frozenset({_DATE_CODE["exact"], _DATE_CODE["swapped"], _DATE_CODE["within_days"]})


def place_code(a: Place | None, b: Place | None) -> int:
    level = compare_places(a, b)
    return NULL_LEVEL if level is PlaceLevel.MISSING else int(level)


def date_level(a: PartialDate | None, b: PartialDate | None) -> int:
    """The model's date level: `compare_dates`, refined where its level mixes compatible and contradicting.

    Two full dates in the same month but more than WITHIN_DAYS apart, the same day and month one year
    off (a slip of the year), or the same year months apart, are told apart from a partial date that
    merely contains the other.
    """
    level = compare_dates(a, b)
    if level is DateLevel.MISSING:
        return NULL_LEVEL
    full = a.precision is Precision.DAY and b.precision is Precision.DAY
    if level in (DateLevel.EXACT, DateLevel.SWAPPED, DateLevel.WITHIN_DAYS, DateLevel.WITHIN_ESTIMATE):
        return _DATE_CODE[level.name.lower()]
    if not full:
        return _DATE_CODE[{DateLevel.SAME_MONTH: "month_only", DateLevel.SAME_YEAR: "year_only"}.get(
            level, "different")]
    if abs((a.earliest - b.earliest).days) <= 31:
        return _DATE_CODE["within_month"]
    if (a.month, a.day) == (b.month, b.day) and abs(a.year - b.year) == 1:
        return _DATE_CODE["year_off"]
    return _DATE_CODE["same_year" if a.year == b.year else "different"]
