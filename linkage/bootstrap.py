"""The one place where adapters are wired to the core: store, matcher, settings.

Entry points (gRPC server, CLI, console) call `bootstrap` and hand the resulting `App` around;
tests call it with their own settings or matcher.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from adapters.store import Store
from linkage.config import Settings
from linkage.engine.simple import SimpleMatcher
from linkage.ports import Matcher, UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    store: Store
    matcher: Matcher

    def uow(self) -> UnitOfWork:
        return self.store.unit_of_work()

    def close(self) -> None:
        self.store.dispose()


def default_matcher() -> Matcher:
    return SimpleMatcher()


def bootstrap(settings: Settings, matcher: Matcher | None = None) -> App:
    """Open and migrate the store, then load every identity into the matcher's index."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(settings.db_url)
    store.migrate()
    matcher = matcher or default_matcher()
    with store.unit_of_work() as uow:
        matcher.add_identities(uow.identities.iter_all())
        count = uow.identities.count()
    log.info("loaded %d identities into matcher %s", count, matcher.model_version)
    return App(settings=settings, store=store, matcher=matcher)
