"""Server threads encode records at once: a name seen first by two threads still gets one id."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

from linkage.engine.features import Encoder, folded


def test_concurrent_encoding_gives_each_new_name_one_id_and_its_folded_form() -> None:
    encoder = Encoder()
    letters = "abcdeghiklmnopqrstuvxy"
    names = ["lân" + "".join(tail) for tail in itertools.product(letters, repeat=3)][:2_000]
    with ThreadPoolExecutor(max_workers=8) as pool:
        rounds = [list(pool.map(encoder.name_id, names)) for _ in range(4)]
    assert all(ids == rounds[0] for ids in rounds)
    assert len(set(rounds[0])) == len(names) and len(encoder.names) == len(names) + 1
    fold_of = encoder.fold_of.view
    assert len(fold_of) == len(encoder.names)
    for name, name_id in zip(names, rounds[0], strict=True):
        assert encoder.folded_names.values[fold_of[name_id]] == folded(name)
