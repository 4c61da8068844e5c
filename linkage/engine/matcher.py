"""The Fellegi-Sunter matcher: candidates from the index, vectorised scores, decision, explanation.

Implements `linkage.ports.Matcher`. The service passes a `conflict_checker` when it knows more than the
engine does (which identities are already linked); everything else is decided here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

import numpy as np

from linkage.domain import Candidate, Decision, MatchResult, PersonRecord
from linkage.engine.decide import (
    ALREADY_LINKED,
    PERSON_DIFFERS,
    PID_DISAGREES,
    THIN_EVIDENCE,
    TWIN_MARGIN,
    decide,
    decided_again,
)
from linkage.engine.features import SEX_LETTERS, Encoded, Encoder, FeatureTable, date_text, place_text
from linkage.engine.index import CandidateIndex
from linkage.engine.keys import identity_keys, record_keys
from linkage.engine.scorer import (
    CONTRADICTING_DATES,
    CONTRADICTING_NAMES,
    FIELD_INDEX,
    N_DIFFERENT,
    N_EXACT,
    N_FOLDED,
    N_JW_HIGH,
    N_JW_LOW,
    N_MARKS,
    N_PHONETIC,
    N_SLIP,
    N_VARIANT,
    PARENT_EXACT,
    SAME_DAY_DATES,
    Scorer,
    Scores,
    marked_field,
    top_positions,
)
from linkage.engine.vocabulary import GrowableColumn
from linkage.model.comparisons import DATE_LEVELS, PARENT_LEVELS, PLACE_LEVELS
from linkage.model.explain import contributions
from linkage.model.spec import NULL_LEVEL, Model, probability_from_weight
from linkage.vn.dates import same_day_and_month
from linkage.vn.names import SEX_MARKING_MIDDLES, ParsedName, first_name_sex
from linkage.vn.pid import pid_disagreements
from linkage.vn.slips import is_established_as_written, is_typing_slip
from linkage.vn.text import fold, tone_of

PARENT_DIFFERENT = PARENT_LEVELS.index("different")
PARENT_AGREES = frozenset(PARENT_LEVELS.index(label) for label in ("exact", "given_only", "given_agrees"))
NAME_AGREES = frozenset({N_EXACT, N_FOLDED, N_VARIANT, N_PHONETIC, N_SLIP})
NEAR_NAMES = frozenset({N_MARKS, N_JW_HIGH, N_JW_LOW})  # another name, or the same one miswritten
# a birth date that names the candidate's very day (read day-first or month-first), and the same commune
BIRTH_DAY = frozenset({DATE_LEVELS.index("exact"), DATE_LEVELS.index("swapped")})
SAME_COMMUNE = PLACE_LEVELS.index("same_commune")
_VOWEL = re.compile("[aeiouy]", re.IGNORECASE)  # in a folded syllable: where its tone sat

# (record, best candidate) -> extra conflict labels, e.g. ("already_linked",) from the store
ConflictChecker = Callable[[PersonRecord, Candidate], Iterable[str]]


class FellegiSunterMatcher:
    """Matches records against the identities it has been given. Not thread-safe for concurrent adds."""

    def __init__(self, model: Model, limit: int = 5, block_cap: int = 500,
                 conflict_checker: ConflictChecker | None = None, shortlist: int = 400) -> None:
        self.model = model
        self._model_version = model.version  # a content hash: computed once, not per match
        self.limit = limit
        self.conflict_checker = conflict_checker
        self.encoder = Encoder()
        self.table = FeatureTable(self.encoder)
        self.index = CandidateIndex(cap=block_cap)
        self.scorer = Scorer(model, self.table, shortlist)  # `shortlist`: candidates scored in full
        self._alive = GrowableColumn(np.bool_)

    @property
    def model_version(self) -> str:
        return self._model_version

    def __len__(self) -> int:
        return self.table.live_count()

    # identities ------------------------------------------------------------------------------------
    def add_identities(self, identities: Iterable[PersonRecord], batch_size: int = 20_000) -> None:
        """Encode and index identities; a known identity id replaces its earlier version."""
        batch: list[PersonRecord] = []
        for person in identities:
            batch.append(person)
            if len(batch) >= batch_size:
                self._add_batch(batch)
                batch = []
        if batch:
            self._add_batch(batch)
        self.scorer.prepare()

    def _add_batch(self, people: list[PersonRecord]) -> None:
        encoded = [self.encoder.encode(p) for p in people]
        rows, replaced = self.table.append([p.record_id for p in people], encoded)
        self._alive.extend(np.ones(len(rows), dtype=bool))
        if len(replaced):
            self._alive.writable()[replaced] = False
        self.index.add(rows.tolist(), (identity_keys(e) for e in encoded))

    def remove_identities(self, identity_ids: Iterable[str]) -> int:
        """Stop matching these identities (absorbed by a merge since a snapshot); returns how many were
        known. Their rows stay, dead, like a replaced identity's."""
        rows = self.table.ids.forget(list(identity_ids))
        if len(rows):
            self._alive.writable()[rows] = False
        return len(rows)

    def live_rows(self) -> np.ndarray:
        """Per table row, whether it is its identity's current version (replaced and removed rows are
        not): what an engine that blocks outside the index (Spark) filters candidates with."""
        return self._alive.view

    # matching ---------------------------------------------------------------------------------------
    def candidate_rows(self, encoded: Encoded) -> np.ndarray:
        rows = self.index.candidates(record_keys(encoded))
        return rows[self._alive.view[rows]] if len(rows) else rows

    def score(self, record: PersonRecord) -> tuple[Encoded, Scores]:
        encoded = self.encoder.encode(record)
        return encoded, self.scorer.score(encoded, self.candidate_rows(encoded))

    def match(self, record: PersonRecord) -> MatchResult:
        encoded, scores = self.score(record)
        return self.result(record, encoded, scores)

    def match_many(self, records: Iterable[PersonRecord]) -> list[MatchResult]:
        return [self.match(record) for record in records]

    def use_model(self, model: Model) -> None:
        """Score with another model from now on (the index does not depend on the model)."""
        self.model = model
        self._model_version = model.version
        self.scorer = self.scorer.with_model(model)

    def result(self, record: PersonRecord, encoded: Encoded, scores: Scores) -> MatchResult:
        """Rank, explain and decide already-scored candidates."""
        order = _ranked(scores.weights, self.limit)
        competition = scores.competition()
        left = _describe_encoded(encoded)
        shown = order.tolist()
        # per candidate shown: the record's other forename read as its given name (`_levels`), found
        # for them all at once
        across = scores.levels[order, FIELD_INDEX["name_order"]] == 1
        given_read_as = self.scorer.forenames_read_as_given(encoded, scores.rows[order],
                                                            scores.levels[order, FIELD_INDEX["given"]])
        model, tables = self.scorer.view(encoded.source)
        fields = [c.name for c in self.model.comparisons]
        population = self.scorer.population()
        other_way = {**left, **_describe_name(encoded.name_the_other_way)} if across.any() else left
        # and, read the other way, the word read as its given name where it was not that reading's own
        turned_given = self.scorer.turned_given_read_as(encoded, scores.rows[order],
                                                        scores.levels[order, FIELD_INDEX["given"]]) \
            if across.any() else [""] * len(shown)
        candidates = tuple(self._candidate(scores, i, competition,
                                           ({**other_way, "given": turned} if turned else other_way)
                                           if names_across else left,
                                           "" if names_across else forename, model, tables, fields,
                                           population)
                           for i, names_across, forename, turned
                           in zip(shown, across.tolist(), given_read_as, turned_given, strict=True))
        thresholds = self.model.thresholds_for(record.source)
        conflicts: list[str] = []
        if candidates:
            best = int(order[0])
            conflicts += self._pid_conflicts(encoded, scores, best)
            conflicts += person_conflicts(scores.levels[best], self._given_is_slip(encoded, scores, best),
                                          marked_field(encoded, "given", encoded.name.given),
                                          *self._date_slips(encoded, scores, best),
                                          named=bool(encoded.name.given),
                                          sex_in_name=self._sex_in_name(encoded, scores, best))
            if given_read_as[0] and encoded.name.order == "vietnamese" and PERSON_DIFFERS not in conflicts \
                    and int(scores.levels[best, FIELD_INDEX["middle"]]) in CONTRADICTING_NAMES:
                # a name written surname first agrees on the given name only with its forenames turned
                # round, and the forename left over then contradicts the candidate's middle name: in its
                # own order it names another child of that middle name (twins: Nguyễn Thu Hà beside
                # Nguyễn Thu Thu). Western order leaves the given name a guess (`_forenames_ambiguous`)
                conflicts.append(PERSON_DIFFERS)
            runner_up = float(scores.weights[int(order[1])]) if len(order) > 1 else float("-inf")
            if self._twins(float(scores.weights[best]), runner_up, record.source):
                conflicts.append(TWIN_MARGIN)
            # the store is asked only when its answer can matter: too weak to review is no link,
            # whatever the conflicts (`decide`)
            if self.conflict_checker is not None and \
                    sum(c.probability for c in candidates) >= thresholds.review:
                conflicts += list(self.conflict_checker(record, candidates[0]))
        decision, flags = decide(candidates, thresholds, conflicts)
        return MatchResult(record.source, record.record_id, decision, candidates, self.model_version, flags)

    def _twins(self, best: float, runner_up: float, source: str) -> bool:
        """Two candidates each plausible on their own and too close to tell apart (twins, duplicates)."""
        plausible = float(probability_from_weight(runner_up)) >= self.model.thresholds_for(source).review
        return plausible and best - runner_up < self.model.twin_margin

    def _candidate(self, scores: Scores, i: int, competition: np.ndarray, described: dict[str, str],
                   given_read_as: str, model: Model, tables: list[np.ndarray],
                   fields: list[str], population: int) -> Candidate:
        """Candidate `i` with its explanation; `described`: the record as compared with it (its name in
        the other order where that was read), `given_read_as`: the record's other forename read as its
        given name ("" where none was)."""
        row = int(scores.rows[i])
        right = self.table.describe_row(row)
        left = dict(described)
        if given_read_as:  # what `_forenames_swapped` compared: that forename, and the given name as middle
            left["middle"], left["given"] = left["given"], given_read_as
        if scores.parents_crossed[i]:  # what `Scorer._parents_crossed` compared: each with the other field
            left["mother_name"], left["father_name"] = (f"{left['father_name']} (in the father's field)",
                                                        f"{left['mother_name']} (in the mother's field)")
        items = contributions(model, population, scores.levels[i], scores.tf[i],
                              [left.get(f, "") for f in fields], [right.get(f, "") for f in fields],
                              tables, competition=float(competition[i]),
                              competitors=len(scores) - 1, twin_risk=float(scores.twin_risk[i]),
                              together=float(scores.together[i]), carriers=int(scores.carriers[i]))
        weight = float(scores.weights[i] + competition[i])
        return Candidate(identity_id=self.table.identity_ids[row], pid=right["pid"],
                         probability=float(probability_from_weight(weight)), weight=weight,
                         contributions=items)

    def _given_is_slip(self, encoded: Encoded, scores: Scores, i: int) -> bool:
        """The record's given name is the candidate's under other marks and no name anyone has, or one
        keyboard slip from the candidate's and either no name anyone has (not among the identities, not
        in the published tables) or written beside the candidate's own personal number: a typo of the
        same name, not another name. (A sibling has another number; a slip that lands on a real name,
        Lan for Lam, is still a slip on the person's own record.)"""
        swapped = scores.levels[i, FIELD_INDEX["name_order"]] == 1
        written_id = encoded.ids["other_given" if swapped else "given"]
        written = encoded.name_the_other_way.given if swapped else encoded.name.given
        if not written:
            return False
        carried = self.encoder.names.counts_of(np.array([written_id]))[0] > 0
        if scores.levels[i, FIELD_INDEX["given"]] == N_MARKS:
            # the same letters under other marks, written as no name anyone has ("Ành" beside Anh): a
            # mark keyed wrong. A twin's name is a name (Vy and Vỹ), and the register holds a co-twin's
            return not carried and not is_established_as_written(written)
        own_number = scores.levels[i, FIELD_INDEX["pid"]] == 0
        # read as written: with its marks, "Âm" is no name, though "Am" is (without marks the two are one)
        if not own_number and (carried or is_established_as_written(written)):
            return False
        name = self.encoder.names.values[int(self.table.col("given")[int(scores.rows[i])])]
        if marked_field(encoded, "given", written) and _VOWEL.search(fold(written)) \
                and tone_of(written) != tone_of(name):
            # a slip of the keys keeps the tone: Qyền is no slip of Quyên, but her twin Quyền's. A slip
            # that took the vowel took its tone with it ("LỤC VĂN BNH", "Đqt"): the tone tells nothing
            return False
        return bool(name) and is_typing_slip(written, name)

    def _sex_in_name(self, encoded: Encoded, scores: Scores, i: int) -> bool:
        """The record's own name tells the candidate's sex: its middle name (Thị a woman's, Văn a man's)
        or the adoptive first name it opens with (Claire, Marco)."""
        swapped = scores.levels[i, FIELD_INDEX["name_order"]] == 1
        name = encoded.name_the_other_way if swapped else encoded.name
        sex = int(self.table.col("sex")[int(scores.rows[i])])
        if SEX_MARKING_MIDDLES.get(SEX_LETTERS.get(sex), frozenset()).intersection(name.middle):
            return True
        # the first or second word ("NGUYEN, Liam Minh"), not an adoptive surname after the name (Leroy)
        adoptive = [token for token in encoded.name.tokens[:2] if token in encoded.name.other]
        return bool(adoptive) and first_name_sex(adoptive[0]) == SEX_LETTERS.get(sex)

    def _date_slips(self, encoded: Encoded, scores: Scores, i: int) -> tuple[bool, bool]:
        """Whether the record's birth date has the candidate's day and month (either way round) in another
        year, a slipped year (1994 for 2004), and whether its year is the candidate's or one off (2022
        for 2023, or months off in the same year)."""
        theirs = self.encoder.dates.values[int(self.table.col("date")[int(scores.rows[i])])]
        ours = encoded.date
        if ours is None or theirs is None or not ours.year or not theirs.year:
            return False, False
        return same_day_and_month(ours, theirs), abs(ours.year - theirs.year) <= 1

    def _pid_conflicts(self, encoded: Encoded, scores: Scores, i: int) -> list[str]:
        if not encoded.pid:
            return []
        row = int(scores.rows[i])
        pid = int(self.table.col("pid")[row])
        if pid:  # both numbers: the scorer's level, where a slip of the pen is no evidence (`pid_slips`)
            return [PID_DISAGREES] if scores.levels[i, FIELD_INDEX["pid"]] == 1 else []
        sex = {1: "M", 2: "F"}.get(int(self.table.col("sex")[row]))
        year = int(self.table.col("birth_year")[row]) or None
        place = self.encoder.places.values[int(self.table.col("place")[row])]
        return [PID_DISAGREES] if pid_disagreements(encoded.pid, sex, year,
                                                    place.old_province_code if place else None) else []


def person_conflicts(levels: np.ndarray, given_is_slip: bool = False, name_marked: bool = False,
                     year_slipped: bool = False, year_near: bool = False, named: bool = True,
                     sex_in_name: bool = False) -> list[str]:
    """Why the best candidate may not be linked automatically, whatever its weight.

    Its own identifiers contradict the record (a given name that is another name beside the same
    surname, a contradicting date of birth, the other sex, two other parents), or nothing singles the
    person out from a namesake, or, under a wholly other name, from a twin (`thin_evidence`).

    Two contradictions are a clerk's slip rather than another person, and their weight alone decides:
    a given name that is no real name and one keyboard slip, or a wrong mark, from the candidate's
    (`given_is_slip`), and
    the other sex where the given name is written the same in a name written with diacritics
    (`name_marked`) and the date agrees (a twin of the other sex has another given name; a name written
    without marks, Vy for Vỹ, could be theirs), or where the given name agrees and the record's own name
    tells the candidate's sex (`sex_in_name`: Thị, Văn, an adoptive first name one sex carries; "Vũ Thị
    Mai" written down as a boy is a girl, and so is every namesake she has, so the sex field told
    nothing).

    Where the given name agrees and the parents the record names are named alike (one at least in full;
    the other's given name at least, a surname being often misspelt), the family confirms the person:
    parents do not give two children one name, a cousin of the same name has another mother and
    father, and a twin has another name (which only marks may show: Vy and Vỹ). A slipped year (the day
    and month, either way round, in another year: 1994 for 2004, `year_slipped`) is then a clerk's error,
    and so is the other sex beside a given name written the same with its marks; a date up to a year off
    otherwise (`year_near`) only where both parents are named alike: a mother's name alone is also a
    namesake's where records drop middle names (Đặng Thị Diệu Như, Đặng Thị Như). The
    person's own personal number beside a given name that is theirs or near it (marks, a letter) excuses
    a date, a sex, that given name and both parents' names: numbers are issued one per person, and a
    sibling's would come with the sibling's name.
    """
    given = int(levels[FIELD_INDEX["given"]])
    date = int(levels[FIELD_INDEX["birth_date"]])
    sex = int(levels[FIELD_INDEX["sex"]])
    found = []
    # a given name contradicts only beside the same surname: siblings, twins and cousins share it, and
    # a wholly other name is one given by others (a centre's, an adoptive family's), which says nothing
    # of who the child was born. Nor can it tell the child from an unregistered twin, who shares the
    # date, the place and the parents: only the personal number can
    slip = given_is_slip
    # (a record's given name compared as none is such a name: `scorer._drop_names_given_by_others`)
    other_name = (int(levels[FIELD_INDEX["surname"]]) == N_DIFFERENT and given in CONTRADICTING_NAMES
                  and not slip) or (named and given == NULL_LEVEL)
    name_differs = given in CONTRADICTING_NAMES and not slip and not other_name
    parents = [int(levels[FIELD_INDEX[f]]) for f in ("mother_name", "father_name")]
    named_parents = [p for p in parents if p != NULL_LEVEL]
    family = given in NAME_AGREES and all(p in PARENT_AGREES for p in named_parents) \
        and PARENT_EXACT in named_parents
    # the person's own number beside their given name, or one near it: what disagrees is miscopied
    own_number = (given in NAME_AGREES or given in NEAR_NAMES) and int(levels[FIELD_INDEX["pid"]]) == 0
    name_differs = name_differs and not (own_number and given in NEAR_NAMES)
    sex_differs = sex == 1 and not (name_marked and given in (N_EXACT, N_VARIANT)
                                    and (date in SAME_DAY_DATES or family)) \
        and not (sex_in_name and given in NAME_AGREES) and not own_number
    slipped = year_slipped or (year_near and len(named_parents) == 2)
    date_differs = date in CONTRADICTING_DATES and not own_number and not (family and slipped)
    # both parents named on both sides and neither the same: other parents, another child (a namesake);
    # beside the person's own number, parents' fields filled wrong (swapped and misspelt, adoptive ones)
    parents_differ = all(int(levels[FIELD_INDEX[f]]) == PARENT_DIFFERENT
                         for f in ("mother_name", "father_name")) and not own_number
    if name_differs or date_differs or sex_differs or parents_differ:
        found.append(PERSON_DIFFERS)
    if not singles_out(levels) or (other_name and int(levels[FIELD_INDEX["pid"]]) != 0):
        found.append(THIN_EVIDENCE)
    return found


def singles_out(levels: np.ndarray) -> bool:
    """Whether anything beyond the name tells the candidate from a namesake: a parent's name that agrees
    at least in part or the personal number compared, or the birth day itself, or (with a date) the
    commune of birth. A parent's name that differs tells nothing for the candidate: an adoption file may
    name the adoptive mother, and a namesake's mother is another woman.

    Vietnamese full names repeat heavily (Nguyễn is 38 % of people, and each cohort shares a few dozen
    given names), so children of one name born the same year in one province are common. A record that
    agrees only on the name, an approximate date (a month, a year, an estimated age, a few days off) and
    the province or region fits each of them as well as the candidate: the weights, which treat the
    date and the place as independent of the name, overrate it, and a steward should look.

    A record with no given name (a foundling recorded as "Bé gái") has no namesakes but the candidate's
    brothers and sisters: they share the parents and the commune, so only the birth day or the personal
    number tells the candidate from them.
    """
    if int(levels[FIELD_INDEX["pid"]]) != NULL_LEVEL:
        return True
    date = int(levels[FIELD_INDEX["birth_date"]])
    if date in BIRTH_DAY:
        return True
    if int(levels[FIELD_INDEX["given"]]) == NULL_LEVEL:
        return False
    if any(int(levels[FIELD_INDEX[f]]) not in (NULL_LEVEL, PARENT_DIFFERENT) for f in ("mother_name",
                                                                                     "father_name")):
        return True
    return date != NULL_LEVEL and int(levels[FIELD_INDEX["birth_place"]]) == SAME_COMMUNE


def link_score(result: MatchResult) -> float:
    """A ranking score for precision/recall curves that respects the engine's conflicts.

    The best candidate's probability, less 1 when a conflict forbids linking it automatically, so every
    threshold in [0, 1] links only what the engine itself could link.
    """
    if result.best is None:
        return float("-inf")
    return result.best.probability - (1.0 if result.conflicts else 0.0)


def redecide_with_links(result: MatchResult, model: Model, already_linked: set[str]) -> MatchResult:
    """Re-run the decision once the store says which candidates are already linked elsewhere."""
    best = result.best
    if best is None or best.identity_id not in already_linked:
        return result
    return decided_again(result, model.thresholds_for(result.source), (ALREADY_LINKED,))


def _ranked(weights: np.ndarray, limit: int) -> np.ndarray:
    """The positions of the `limit` highest weights, highest first, ties in position order: the head of a
    stable sort of every weight, from a partition and a sort of the few kept."""
    if len(weights) <= limit:
        return np.argsort(-weights, kind="stable")
    top = top_positions(weights, limit)
    return top[np.argsort(-weights[top], kind="stable")]


def _describe_name(name: ParsedName) -> dict[str, str]:
    return {"surname": name.surname, "middle": " ".join(name.middle), "given": name.given,
            "name_order": name.order}


SOMEONE_ELSES_PID = "not read: its birth year is a parent's, not this child's"


def _written_text(e: Encoded) -> str:
    """What a record without a date of birth still says of it: the day it was written, before which nobody
    it names was born (a candidate born after differs: `DateColumns.levels`)."""
    written = e.ids.get("written")
    return f"not given; written {dt.date.fromordinal(written).isoformat()}" if written else ""


def _describe_encoded(e: Encoded) -> dict[str, str]:
    def full(name) -> str:
        return " ".join(x for x in (name.surname, name.given) if x) if name else ""

    return {
        **_describe_name(e.name), "sex": e.sex or "", "birth_date": date_text(e.date) or _written_text(e),
        "birth_place": place_text(e.place), "mother_name": full(e.mother), "father_name": full(e.father),
        # a number the encoder set aside as a parent's (`features._someone_elses`): the steward is told why
        "pid": e.pid or (SOMEONE_ELSES_PID if "pid" in e.problems else ""),
    }


def is_link(result: MatchResult) -> bool:
    return result.decision is Decision.LINK


__all__ = ["FellegiSunterMatcher", "ConflictChecker", "redecide_with_links", "link_score", "person_conflicts"]
