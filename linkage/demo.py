"""Demo data for `make run`: a synthetic population loaded once, on the first start of an empty store."""

from __future__ import annotations

from linkage.bootstrap import App
from linkage.synth import generate_population


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
