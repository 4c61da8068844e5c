"""Which true matches any matcher could link at all: a generous oracle for the benchmark's ceiling.

A record is *identifiable* when no other population identity agrees with every piece of evidence the
record still carries. The oracle is generous: it knows the true value of each field the record keeps,
at the resolution the record gives it (a year, a month, a province, a name without its middle), and
ignores typos, sound mergers, wrong formats and adoptive surnames; only what is gone is gone (a missing
date or place, a name the centre gave, no name at all). Diacritics stripped are lost, so "Nguyen Van
Ha" agrees with Hà and Hạ. A personal number that survives identifies the person.

It still overstates what can be linked at precision 0.999: it ignores people the register lacks
(unregistered twins, siblings and namesakes, a fifth of the benchmark's records), which is exactly what
makes a record with only a name, a year and a province unsafe to link.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from linkage.synth.population import Population
from linkage.synth.records import Truth
from linkage.synth.reference import Reference, load_reference
from linkage.synth.script import fold

_REGIONAL = {"Huynh": "Hoang", "Vo": "Vu"}  # variants a record may write for each other
ESTIMATE_DAYS = 183


def _folded(text: str) -> str:
    return fold(text).lower()


def identifiable(pop: Population, truth: list[Truth], ref: Reference | None = None) -> dict[str, bool]:
    """record id -> whether the oracle can single out its true identity (true matches only)."""
    ref = ref or load_reference()
    surname = np.array([_REGIONAL.get(fold(s), fold(s)).lower() for s in pop.surname])
    given = np.array([_folded(s) for s in pop.given])
    given_exact = np.array(list(pop.given))
    middle = np.array([_folded(s) for s in pop.middle])
    male = pop.male.astype(bool)
    birth = pop.birth.astype("datetime64[D]")
    year, month, day = (birth.astype(f"datetime64[{u}]").astype(int) for u in ("Y", "M", "D"))
    province = np.array([ref.communes[c].province_code for c in pop.commune])
    mother = np.array([_folded(m.full) for m in pop.mother])
    father = np.array([_folded(f.full) for f in pop.father])
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in range(len(pop)):
        by_name[(surname[i], given[i])].append(i)
    row_of = {identity: i for i, identity in enumerate(pop.identity_id)}

    out: dict[str, bool] = {}
    for t in truth:
        if t.identity_id is None:
            continue
        i, damage = row_of[t.identity_id], set(t.corruptions)
        if "pid_present" in damage and "pid_typo" not in damage:
            out[t.record_id] = True
            continue
        if damage & {"centre_name", "placeholder_name"}:
            rows = np.arange(len(pop))
        else:
            rows = np.array(by_name[(surname[i], given[i])])
            if not damage & {"strip_diacritics", "mojibake"}:
                rows = rows[given_exact[rows] == given_exact[i]]
            if not damage & {"drop_middle", "drop_prefix", "adoptive_first_name"}:
                rows = rows[middle[rows] == middle[i]]
        if not damage & {"sex_missing", "sex_wrong"}:
            rows = rows[male[rows] == male[i]]
        if "date_missing" in damage:
            pass
        elif "date_year_only" in damage:
            rows = rows[year[rows] == year[i]]
        elif "date_month_only" in damage:
            rows = rows[month[rows] == month[i]]
        elif "estimated_age" in damage:
            rows = rows[np.abs(day[rows] - day[i]) <= ESTIMATE_DAYS]
        else:
            rows = rows[day[rows] == day[i]]
        if "place_province_only" in damage:
            rows = rows[province[rows] == province[i]]
        elif not damage & {"place_missing", "place_found_elsewhere"}:
            rows = rows[pop.commune[rows] == pop.commune[i]]
        if not damage & {"parents_missing", "mother_missing"}:
            rows = rows[mother[rows] == mother[i]]
        if not damage & {"parents_missing", "father_missing"}:
            rows = rows[father[rows] == father[i]]
        out[t.record_id] = len(rows) == 1
    return out
