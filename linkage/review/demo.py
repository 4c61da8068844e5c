"""A demo queue for `make run`: damaged copies of demo identities, matched for real until some need review.

Nothing is forced into the queue: each record goes through `match_record` with the running matcher, and
only the ones it is unsure of become cases (as in production). The damage is the kind stewards meet:
a changed tone mark, a typo, Western name order, day and month swapped. Runs once, on an empty queue.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from itertools import islice

from linkage.domain import Decision, PersonRecord, Source
from linkage.ports import Matcher, ReviewUnitOfWork
from linkage.review.model import CaseFilter
from linkage.services.linking import match_record

DEMO_SOURCES = (Source.ABANDONED_INTAKE, Source.TRACE_REQUEST, Source.CHILD_REGISTRY, Source.ADOPTION_FILE)
_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền, sắc, ngã, hỏi, nặng


def _retone(word: str, rnd: random.Random) -> str:
    """The word with its tone changed or added (Lan -> Lán), the slip stewards must see."""
    letters = unicodedata.normalize("NFD", word)
    bare = "".join(c for c in letters if c not in _TONES)
    vowels = [i for i, c in enumerate(bare) if c.lower() in "aeiouy"]
    if not vowels:
        return word
    at = vowels[-1] + 1
    while at < len(bare) and unicodedata.combining(bare[at]):
        at += 1
    return unicodedata.normalize("NFC", bare[:at] + rnd.choice(_TONES) + bare[at:])


def _typo(word: str, rnd: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rnd.randrange(1, len(word))
    return word[:i] + word[i + 1:] if rnd.random() < 0.5 else word[:i] + word[i] + word[i:]


def _damage(person: PersonRecord, kind: int, rnd: random.Random) -> PersonRecord:
    words = person.full_name.split()
    if kind == 0 and words:
        words[-1] = _retone(words[-1], rnd)
    elif kind == 1 and words:
        words[-1] = _typo(words[-1], rnd)
    elif kind == 2 and len(words) > 1:
        words = [words[-1], *words[1:-1], words[0]]
    birth = person.birth_date
    if kind == 3 and len(birth) == 10 and int(birth[8:]) <= 12:
        birth = f"{birth[:5]}{birth[8:]}-{birth[5:7]}"
    return replace(person, full_name=" ".join(words), birth_date=birth, pid="",
                   father_name=person.father_name if rnd.random() < 0.5 else "")


def load_demo_queue(matcher: Matcher, uow_factory: Callable[[], ReviewUnitOfWork], count: int = 12,
                    seed: int = 11, max_tries: int = 2_000) -> int:
    """Match damaged demo records until `count` review cases are open; returns how many were opened.

    Does nothing when the queue already holds cases (a restarted demo keeps the stewards' work).
    """
    with uow_factory() as uow:
        if uow.reviews.count(CaseFilter(), datetime.now(UTC), include_escalated=True):
            return 0
        people = list(islice(uow.identities.iter_all(), max_tries))
    rnd = random.Random(seed)
    rnd.shuffle(people)
    opened = 0
    for n, person in enumerate(people):
        if opened >= count:
            break
        source = rnd.choice(DEMO_SOURCES)
        record = replace(_damage(person, n % 4, rnd), source=source.value, record_id=f"demo-{n:05d}")
        if match_record(record, matcher, uow_factory()).decision is Decision.REVIEW:
            opened += 1
    return opened
