"""Settings from flags, the environment and defaults, in that order of precedence.

The data directory defaults to the user's data directory, never the repository, so a checkout never
holds personal data by accident.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

DEFAULT_ADDRESS = "127.0.0.1:50051"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    db_url: str
    address: str = DEFAULT_ADDRESS
    max_message_bytes: int = 4 * 1024 * 1024
    workers: int = 8


def load_settings(
    data_dir: str | Path | None = None,
    db_url: str | None = None,
    address: str | None = None,
) -> Settings:
    """Resolve settings: explicit arguments, then LINKAGE_* environment variables, then defaults."""
    directory = Path(data_dir or os.environ.get("LINKAGE_DATA_DIR") or user_data_dir("linkage")).expanduser()
    url = db_url or os.environ.get("LINKAGE_DB_URL") or f"sqlite:///{directory / 'linkage.sqlite'}"
    return Settings(
        data_dir=directory,
        db_url=url,
        address=address or os.environ.get("LINKAGE_ADDRESS") or DEFAULT_ADDRESS,
    )
