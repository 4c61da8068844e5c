"""Demo data for `make run`: a synthetic population loaded once, on the first start of an empty store."""

from __future__ import annotations

from linkage.bootstrap import App
from linkage.synth import generate_population
from linkage.vn.names import parse_name
from linkage.vn.text import fold


def load_demo_population(app: App, size: int = 20_000, seed: int = 7) -> int:
    """Load `size` synthetic identities when the store holds none; returns how many were added."""
    with app.uow() as uow:
        if uow.identities.count():
            return 0
    identities = generate_population(size, seed).records()
    with app.uow() as uow:
        added = uow.identities.add_many(identities)
        uow.commit()
    app.matcher.add_identities(identities)
    return added


def demo_query(app: App, identity_id: str = "P0000042") -> str:
    """`linkage match` arguments for one demo person, written as a passport abroad would write them:
    no diacritics, given name first, surname last in capitals, the date month first."""
    with app.uow() as uow:
        person = uow.identities.get(identity_id)
    if person is None or not person.birth_date:
        return ""
    parsed = parse_name(person.full_name)
    given = " ".join(fold(part).title() for part in (parsed.given, *parsed.middle))
    year, month, day = person.birth_date.split("-")
    return (f"--name '{given} {fold(parsed.surname).upper()}' --dob {month}/{day}/{year} "
            f"--sex {person.sex.value} --source adoption_file")
