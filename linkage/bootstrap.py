"""The one place where adapters are wired to the core: keys, store, audit log, security gate, matcher.

Entry points (gRPC server, CLI, console) call `bootstrap` and hand the resulting `App` around;
tests call it with their own settings or matcher. Development key material is created on first use
(`Settings.create_missing_keys`), so `make run` works on a fresh clone; production turns that off and
brings its own keys (master key from `LINKAGE_MASTER_KEY` or a KMS provider).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from adapters.audit_log import JsonlAuditSink
from adapters.keys import KeysetFile, KmsKeyProvider, LocalMasterKey, default_key_provider
from adapters.store import Store, StoreCrypto
from linkage.config import Settings
from linkage.engine import build_matcher
from linkage.engine.conflicts import already_linked_checker
from linkage.engine.training import load_model_from_store
from linkage.ports import Matcher, UnitOfWork
from linkage.security.audit import AuditLog
from linkage.security.commands import KEYSET_FILE, ensure_keys
from linkage.security.pki import KeyFiles, load_public_key, load_signing_key
from linkage.security.principal import Institutions
from linkage.security.ratelimit import RateLimiter
from linkage.security.tokens import TokenVerifier

log = logging.getLogger(__name__)


@dataclass
class Security:
    """What the server's security gate needs, loaded once from keys/ and the settings."""

    keys: KeyFiles
    keyset_file: KeysetFile
    audit_log: AuditLog
    institutions: Institutions
    token_verifier: TokenVerifier
    rate_limiter: RateLimiter = field(repr=False)


@dataclass
class App:
    settings: Settings
    store: Store
    matcher: Matcher
    security: Security

    def uow(self) -> UnitOfWork:
        return self.store.unit_of_work()

    def close(self) -> None:
        self.store.dispose()


def default_matcher(store: Store) -> Matcher:
    """The Fellegi-Sunter engine, with the newest model trained on this store or else the shipped one.

    It asks the store whether a candidate is already linked to another record of the same source, so
    such a second link goes to review instead of being made.
    """
    matcher = build_matcher(conflict_checker=already_linked_checker(store.unit_of_work))
    trained = load_model_from_store(store.unit_of_work())
    if trained is not None:
        matcher.use_model(trained)
    return matcher


def load_security(settings: Settings,
                  key_provider: LocalMasterKey | KmsKeyProvider | None = None) -> Security:
    """Load (creating missing development material when allowed) keys, keyset, audit log and the gate."""
    root = settings.keys_dir
    if settings.create_missing_keys:
        written, _ = ensure_keys(root)
        if written:
            log.warning("created %d missing development key file(s) under %s", len(written), root)
    files = KeyFiles(root)
    keyset_file = KeysetFile(root / KEYSET_FILE, key_provider or default_key_provider(root))
    audit_log = AuditLog(JsonlAuditSink(settings.audit_dir), load_signing_key(files.audit_signing_key))
    return Security(
        keys=files,
        keyset_file=keyset_file,
        audit_log=audit_log,
        institutions=Institutions.load(settings.institutions_file),
        token_verifier=TokenVerifier(load_public_key(files.token_public_key)),
        rate_limiter=RateLimiter(settings.rate_per_s, settings.rate_burst),
    )


def open_store(settings: Settings, security: Security) -> Store:
    """The migrated store, sealing with the keyset (reloaded when another process rotates it)."""
    crypto = StoreCrypto(security.keyset_file.load(), reload=security.keyset_file.load)
    store = Store(settings.db_url, crypto)
    store.migrate()
    return store


def bootstrap(settings: Settings, matcher: Matcher | None = None,
              key_provider: LocalMasterKey | KmsKeyProvider | None = None) -> App:
    """Load the keys, open and migrate the store, then load every identity into the matcher's index.

    The matcher's in-memory features are derived from the opened records here, once: the engine never
    reads ciphertext, so matching runs as fast as without encryption at rest.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    security = load_security(settings, key_provider)
    store = open_store(settings, security)
    matcher = matcher if matcher is not None else default_matcher(store)
    with store.unit_of_work() as uow:
        matcher.add_identities(uow.identities.iter_all())
        count = uow.identities.count()
    log.info("loaded %d identities into matcher %s", count, matcher.model_version)
    return App(settings=settings, store=store, matcher=matcher, security=security)
