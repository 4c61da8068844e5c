"""Settings from flags, the environment and defaults, in that order of precedence.

The data directory defaults to the user's data directory, never the repository, so a checkout never
holds personal data by accident. Key material lives in `keys_dir`: `LINKAGE_KEYS_DIR` when set, else
`./keys` when the working directory has one (a checkout: git-ignored, see keys/README.md), else
`<data dir>/keys`. The audit log lives in `<data dir>/audit`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

DEFAULT_ADDRESS = "127.0.0.1:50051"
DEFAULT_RATE_PER_S = 50.0
DEFAULT_RATE_BURST = 200
DEFAULT_SNAPSHOT_MIN_IDENTITIES = 200_000


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    db_url: str
    address: str = DEFAULT_ADDRESS
    max_message_bytes: int = 4 * 1024 * 1024
    workers: int = 8
    keys_dir: Path = field(default=None)  # type: ignore[assignment]  # None -> <data_dir>/keys
    # Plaintext gRPC (no TLS). Tokens are still required; only an explicit --insecure sets it.
    insecure: bool = False
    # Create missing development key material at start-up (`make run` on a fresh clone). Production
    # sets LINKAGE_CREATE_KEYS=0 so a missing key is an error, never a silently new keyset.
    create_missing_keys: bool = True
    rate_per_s: float = DEFAULT_RATE_PER_S
    rate_burst: int = DEFAULT_RATE_BURST
    institutions_file: Path | None = None
    # Index snapshot (linkage.engine.snapshot): loaded at start when present, then caught up with the
    # store's changes since its watermark. A full rebuild of at least `snapshot_min_identities` writes
    # one (below that a rebuild takes seconds anyway), and so does a start that caught up with 2 % of
    # the population or more (`bootstrap.REWRITE_AFTER_CATCH_UP`). `snapshot_lag_s` is subtracted from
    # the watermark:
    # a transaction stamped before it but committed after the rebuild read, or a writer's clock running
    # behind, is still caught up (re-adding an identity already in the snapshot is harmless).
    snapshot_dir: Path = field(default=None)  # type: ignore[assignment]  # None -> <data_dir>/snapshot
    use_snapshot: bool = True
    snapshot_min_identities: int = DEFAULT_SNAPSHOT_MIN_IDENTITIES
    snapshot_lag_s: float = 600.0
    # Server processes (`linkage serve --processes N`, linkage.api.workers): one per core beyond the
    # first pays off for concurrent callers. Each keeps its index current by polling the store's change
    # marker every `catchup_interval_s`, re-reading a trailing `catchup_lag_s` window (linkage.api.catchup).
    processes: int = 1
    catchup_interval_s: float = 1.0
    catchup_lag_s: float = 30.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        keys = Path(self.keys_dir) if self.keys_dir is not None else self.data_dir / "keys"
        object.__setattr__(self, "keys_dir", keys)
        snapshots = Path(self.snapshot_dir) if self.snapshot_dir is not None else self.data_dir / "snapshot"
        object.__setattr__(self, "snapshot_dir", snapshots)

    @property
    def audit_dir(self) -> Path:
        return self.data_dir / "audit"


def default_keys_dir(data_dir: Path) -> Path:
    """`LINKAGE_KEYS_DIR`, else `./keys` when it exists (a checkout), else `<data dir>/keys`."""
    if os.environ.get("LINKAGE_KEYS_DIR"):
        return Path(os.environ["LINKAGE_KEYS_DIR"]).expanduser()
    local = Path.cwd() / "keys"
    return local if local.is_dir() else data_dir / "keys"


def load_settings(
    data_dir: str | Path | None = None,
    db_url: str | None = None,
    address: str | None = None,
    keys_dir: str | Path | None = None,
    insecure: bool = False,
) -> Settings:
    """Resolve settings: explicit arguments, then LINKAGE_* environment variables, then defaults."""
    directory = Path(data_dir or os.environ.get("LINKAGE_DATA_DIR") or user_data_dir("linkage")).expanduser()
    url = db_url or os.environ.get("LINKAGE_DB_URL") or f"sqlite:///{directory / 'linkage.sqlite'}"
    institutions = os.environ.get("LINKAGE_INSTITUTIONS_FILE")
    return Settings(
        data_dir=directory,
        db_url=url,
        address=address or os.environ.get("LINKAGE_ADDRESS") or DEFAULT_ADDRESS,
        keys_dir=Path(keys_dir).expanduser() if keys_dir else default_keys_dir(directory),
        insecure=insecure,
        create_missing_keys=os.environ.get("LINKAGE_CREATE_KEYS", "1") != "0",
        rate_per_s=float(os.environ.get("LINKAGE_RATE_PER_S") or DEFAULT_RATE_PER_S),
        rate_burst=int(os.environ.get("LINKAGE_RATE_BURST") or DEFAULT_RATE_BURST),
        institutions_file=Path(institutions) if institutions else None,
        use_snapshot=os.environ.get("LINKAGE_SNAPSHOT", "1") != "0",
        snapshot_min_identities=int(os.environ.get("LINKAGE_SNAPSHOT_MIN_IDENTITIES")
                                    or DEFAULT_SNAPSHOT_MIN_IDENTITIES),
        snapshot_lag_s=float(os.environ.get("LINKAGE_SNAPSHOT_LAG_S") or 600.0),
        processes=int(os.environ.get("LINKAGE_PROCESSES") or 1),
        catchup_interval_s=float(os.environ.get("LINKAGE_CATCHUP_INTERVAL_S") or 1.0),
    )
