"""`linkage train` through the real CLI: the model is re-estimated from the store and used next start."""

from __future__ import annotations

from pathlib import Path

from linkage.bootstrap import bootstrap
from linkage.cli import main
from linkage.config import load_settings
from linkage.model import load_default_model
from linkage.synth import generate


def test_train_re_estimates_from_the_store_and_the_next_start_uses_it(tmp_path: Path) -> None:
    generate(tmp_path / "synth", population=3_000, records=300, seed=11)
    store = ["--data-dir", str(tmp_path / "data"), "--keys-dir", str(tmp_path / "keys")]
    assert main(["import", "population", str(tmp_path / "synth" / "population.csv"), *store]) == 0
    records = tmp_path / "synth" / "records.csv"  # every source; a few damaged rows are rejected
    main(["import", "records", "--source", "child_registry", str(records), *store])

    assert main(["train", *store]) == 0

    app = bootstrap(load_settings(data_dir=tmp_path / "data", keys_dir=tmp_path / "keys"))
    try:
        with app.uow() as uow:
            stored = uow.models.latest()
        assert stored is not None
        assert app.matcher.model_version == stored.version != load_default_model().version
    finally:
        app.close()
