"""The one place where adapters are wired to the core: keys, store, audit log, security gate, matcher.

Entry points (gRPC server, CLI, console) call `bootstrap` and hand the resulting `App` around;
tests call it with their own settings or matcher. Development key material is created on first use
(`Settings.create_missing_keys`), so `make run` works on a fresh clone; production turns that off and
brings its own keys (master key from `LINKAGE_MASTER_KEY` or a KMS provider).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from adapters.audit_log import JsonlAuditSink
from adapters.keys import KeysetFile, KmsKeyProvider, LocalMasterKey, default_key_provider
from adapters.store import Store, StoreCrypto
from adapters.store.tables import utc_now
from linkage.config import Settings
from linkage.engine import snapshot
from linkage.engine.conflicts import already_linked_checker
from linkage.engine.matcher import FellegiSunterMatcher
from linkage.engine.training import load_model_from_store
from linkage.model import Model, load_default_model
from linkage.ports import Matcher, UnitOfWork
from linkage.security.audit import AuditLog
from linkage.security.commands import KEYSET_FILE, ensure_keys
from linkage.security.pki import KeyFiles, load_public_key, load_signing_key
from linkage.security.principal import Institutions
from linkage.security.ratelimit import RateLimiter
from linkage.security.tokens import TokenVerifier
from linkage.vn.places import resolve_place

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


def default_matcher(store: Store) -> FellegiSunterMatcher:
    """The Fellegi-Sunter engine, with the newest model trained on this store or else the shipped one.

    It asks the store whether a candidate is already linked to another record of the same source, so
    such a second link goes to review instead of being made.
    """
    return FellegiSunterMatcher(current_model(store),
                                conflict_checker=already_linked_checker(store.unit_of_work))


def current_model(store: Store) -> Model:
    """The newest model trained on this store, else the shipped one: what every start-up path scores with."""
    return load_model_from_store(store.unit_of_work()) or load_default_model()


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
    reads ciphertext, so matching runs as fast as without encryption at rest. Without a matcher given,
    the engine starts from its index snapshot when one fits this store (`load_matcher`).
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    security = load_security(settings, key_provider)
    store = open_store(settings, security)
    if matcher is None:
        matcher = load_matcher(settings, store)
    else:
        with store.unit_of_work() as uow:
            matcher.add_identities(uow.identities.iter_all())
            log.info("loaded %d identities into matcher %s", uow.identities.count(), matcher.model_version)
    return App(settings=settings, store=store, matcher=matcher, security=security)


# a start that caught up with this share of the population or more writes a new snapshot: re-encoding an
# identity costs about forty times what writing it to a snapshot does (300 µs against 7 µs), so one such
# catch-up costs about what the write does, and without the write every later start pays it again
REWRITE_AFTER_CATCH_UP = 0.02


def load_matcher(settings: Settings, store: Store, *, rebuild: bool = False,
                 may_write: bool = True) -> FellegiSunterMatcher:
    """The engine over every identity of the store: from the snapshot plus what changed since its
    watermark, or else (none, refused, `rebuild`) re-encoded from the store, and then snapshotted when the
    population is at least `settings.snapshot_min_identities` (from a snapshot: `_from_snapshot`). A
    caller that writes its own snapshot (`linkage snapshot`) passes `may_write=False`."""
    if settings.use_snapshot and not rebuild:
        try:
            return _from_snapshot(settings, store, may_write)
        except snapshot.SnapshotMissing:
            log.info("no index snapshot under %s: building the index from the store", settings.snapshot_dir)
        except snapshot.SnapshotError as error:
            log.warning("index snapshot refused (%s): rebuilding the index from the store", error)
    watermark = utc_now() - timedelta(seconds=settings.snapshot_lag_s)  # before the read: nothing slips
    began = time.perf_counter()
    matcher = default_matcher(store)
    with store.unit_of_work() as uow:
        matcher.add_identities(uow.identities.iter_all())
    log.info("index built from the store: %d identities in %.1f s", len(matcher), time.perf_counter() - began)
    if may_write and settings.use_snapshot and len(matcher) >= settings.snapshot_min_identities:
        write_snapshot(settings, matcher, watermark)
    return matcher


def write_snapshot(settings: Settings, matcher: FellegiSunterMatcher, watermark: datetime) -> Path:
    began = time.perf_counter()
    path = snapshot.save(matcher, settings.snapshot_dir, watermark=watermark,
                         store=snapshot.store_key(settings.db_url))
    log.info("index snapshot written: %s (%d identities, %.1f s)", path, len(matcher),
             time.perf_counter() - began)
    return path


def _from_snapshot(settings: Settings, store: Store, may_write: bool = True) -> FellegiSunterMatcher:
    """Map the snapshot, then apply the store's changes since its watermark: identities written since
    (re-added: a known id replaces its row) and identities merged away since (forgotten). Refused when the
    result does not hold exactly the store's identities (a store restored from a backup, say).

    Where the changes are `REWRITE_AFTER_CATCH_UP` of the population or more (an import since), a new
    snapshot is written: without it every later start re-encodes them all again, the snapshot's
    watermark never moving (a 200,000-identity import: 75 s a start, for a 1.4 s write)."""
    began = time.perf_counter()
    watermark = utc_now() - timedelta(seconds=settings.snapshot_lag_s)  # before the read, as a rebuild's
    matcher, info = snapshot.load(settings.snapshot_dir, current_model(store),
                                  store=snapshot.store_key(settings.db_url),
                                  conflict_checker=already_linked_checker(store.unit_of_work))
    mapped = time.perf_counter() - began
    if info.watermark is None:
        raise snapshot.SnapshotError(f"snapshot {info.path.name} has no store watermark")
    with store.unit_of_work() as uow:
        before = len(matcher.table)
        matcher.add_identities(uow.identities.iter_updated_since(info.watermark))
        removed = matcher.remove_identities(uow.imports.absorbed_since(info.watermark))
        count = uow.identities.count()
    if len(matcher) != count:
        raise snapshot.SnapshotError(f"snapshot {info.path.name} plus the changes since its watermark holds "
                                     f"{len(matcher)} identities, the store {count}")
    warm_knowledge()
    written = len(matcher.table) - before
    log.info("index snapshot %s mapped in %.1f s; caught up with the store since %s: %d written, %d merged "
             "away (%.1f s in all)", info.path.name, mapped, info.watermark.isoformat(), written, removed,
             time.perf_counter() - began)
    caught_up_much = written + removed >= REWRITE_AFTER_CATCH_UP * len(matcher)
    if may_write and caught_up_much and watermark > info.watermark:
        write_snapshot(settings, matcher, watermark)
    return matcher


def warm_knowledge() -> None:
    """Load the administrative-unit tables (about 1.5 s) now, before serving. Encoding the population
    loads them on the way; a snapshot skips encoding, so without this the first record that names a
    commune would wait for them."""
    resolve_place("Xã Tân Sỏi, Huyện Yên Thế, Tỉnh Bắc Giang")
