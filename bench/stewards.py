"""What stewards' decisions do for the records that come after them: the review loop, measured.

    .venv/bin/python -m bench.stewards --population 200000 --records 5000 --seed 1
    .venv/bin/python -m bench.stewards --data DIR

The records are split in two, alternately (every source in both halves): the earlier half is matched,
stewards decide its review queue (the truth stands in for their decisions), and the model is learnt
again with those decisions (`engine.training.train(labels=...)`, as `linkage train` does from the
store). The later half is then matched with the model learnt without them and with them, and the
figures printed side by side, overall and per source. The records the stewards decided are not scored
again: they are settled, and a model measured on its own labels would flatter itself.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.quality import generate, load  # noqa: E402
from linkage.domain import Decision, PersonRecord  # noqa: E402
from linkage.engine.evaluation import Outcomes, summarise  # noqa: E402

SHOWN = ("recall_at_p999", "op_precision", "op_recall", "false_link_rate_no_match")


def match_half(matcher, records: list[PersonRecord], truth: list, chosen: np.ndarray
               ) -> tuple[Outcomes, dict[tuple[str, str], str | None], list[str]]:
    """Outcomes of the chosen records, the review queue as stewards would decide it, the sources."""
    from linkage.engine.matcher import link_score

    predicted, score, linked, queue = [], [], [], {}
    for i in chosen.tolist():
        record = records[i]
        encoded, scores = matcher.score(record)
        result = matcher.result(record, encoded, scores)
        predicted.append(result.best.identity_id if result.best else None)
        score.append(link_score(result))
        linked.append(result.decision is Decision.LINK)
        if result.decision is Decision.REVIEW:
            queue[(record.source, record.record_id)] = truth[i].identity_id
    outcomes = Outcomes([truth[i].identity_id for i in chosen.tolist()], predicted, np.array(score),
                        np.array(linked), np.ones(len(chosen), dtype=bool), 0)
    return outcomes, queue, [records[i].source for i in chosen.tolist()]


def main(argv: list[str] | None = None) -> int:
    from linkage.engine.matcher import FellegiSunterMatcher
    from linkage.engine.training import train
    from linkage.model import load_default_model
    from linkage.validation import validate_record

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--population", type=int, default=200_000)
    parser.add_argument("--records", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, help="a folder in `linkage synth`'s layout, as bench.quality")
    args = parser.parse_args(argv)

    t = time.perf_counter()
    if args.data:
        population, records, truth = load(args.data)
    else:
        _, population, records, truth = generate(args.population, args.records, args.seed)
    accepted = [not validate_record(record) for record in records]  # what the service would match
    records = [r for r, ok in zip(records, accepted, strict=True) if ok]
    truth = [r for r, ok in zip(truth, accepted, strict=True) if ok]
    matcher = FellegiSunterMatcher(load_default_model())
    matcher.add_identities(population)
    earlier = np.arange(len(records)) % 2 == 0
    matcher.use_model(train(population, records, matcher=matcher))
    _, queue, _ = match_half(matcher, records, truth, np.flatnonzero(earlier))
    later = np.flatnonzero(~earlier)
    before, _, sources = match_half(matcher, records, truth, later)
    matcher.use_model(train(population, records, labels=queue, matcher=matcher))
    after, _, _ = match_half(matcher, records, truth, later)
    matched = sum(identity is not None for identity in queue.values())
    print(f"{len(records)} records, {len(later)} in the later half; stewards decided the earlier half's "
          f"{len(queue)} reviews ({matched} matches); {time.perf_counter() - t:.0f} s\n")
    print(f"{'later half':44s}{'without decisions':>18s}{'with decisions':>16s}")
    for scope in ["all", *sorted(set(sources))]:
        mask = np.array([scope in ("all", s) for s in sources])
        a, b = summarise(before.subset(mask), len(population)), summarise(after.subset(mask), len(population))
        for row in SHOWN:
            print(f"{scope + ' ' + row:44s}{a[row]:>18.4f}{b[row]:>16.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
