"""The match model as data: comparisons made of ordered levels with m and u, a prior, thresholds.

Splink-style. Everything that scores (the weight tables) and everything that explains (the waterfall)
is derived from these objects, so the two cannot drift apart. A model round-trips through JSON and its
version is a hash of its content plus the time it was trained.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

PROB_FLOOR = 1e-6
PROB_CEIL = 1.0 - 1e-6
NULL_LEVEL = -1  # level code of a comparison where either side is missing: adds nothing


@dataclass(frozen=True, slots=True)
class Level:
    """One outcome of a comparison. m = P(outcome | match), u = P(outcome | non-match)."""

    label: str
    m: float
    u: float

    @property
    def weight(self) -> float:
        """log2 Bayes factor: how many bits of evidence this outcome adds."""
        return math.log2(_clamp(self.m) / _clamp(self.u))


@dataclass(frozen=True, slots=True)
class Comparison:
    """A field compared between two records: levels ordered from best agreement to worst.

    `tf` names the term-frequency table applied to the levels in `tf_levels` (agreement on a rare value
    weighs more than agreement on "nguyễn"); `tf_cap` bounds that adjustment in bits. The adjustment is
    log2(base / frequency of the agreed value), where the base is the chance that two identities agree
    on the field (the average frequency of its values, Σ p²): `tf_base_u` as written, `tf_base_u_folded`
    once folded, against which a folded agreement is measured (`engine.training.with_tf_bases`).
    """

    name: str
    levels: tuple[Level, ...]
    tf: str = ""
    tf_levels: tuple[str, ...] = ()
    tf_cap: float = 8.0
    tf_base_u: float = 0.01
    tf_base_u_folded: float = 0.01
    description: str = ""

    def weights(self) -> np.ndarray:
        return np.array([level.weight for level in self.levels], dtype=np.float64)

    def level_index(self, label: str) -> int:
        for index, level in enumerate(self.levels):
            if level.label == label:
                return index
        raise KeyError(f"comparison {self.name!r} has no level {label!r}")

    def with_probabilities(self, m: np.ndarray, u: np.ndarray) -> Comparison:
        levels = tuple(
            Level(level.label, float(_clamp(mi)), float(_clamp(ui)))
            for level, mi, ui in zip(self.levels, m, u, strict=True)
        )
        return replace(self, levels=levels)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Match probabilities at or above which a record is linked, or sent to review."""

    link: float = 0.995
    review: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 < self.review <= self.link < 1.0:
            raise ValueError(f"thresholds must satisfy 0 < review <= link < 1, got {self}")


@dataclass(frozen=True, slots=True)
class SourceParameters:
    """m/u and π learnt for one source: sources differ in how damaged their records are (an adoption
    file written abroad loses diacritics and parents' names far more often than a commune registry)."""

    comparisons: tuple[Comparison, ...]
    prior: float


@dataclass(frozen=True, slots=True)
class Model:
    """A complete, versioned Fellegi-Sunter model: shared parameters, plus per-source ones where learnt."""

    comparisons: tuple[Comparison, ...]
    # π: the share of incoming records whose person is in the population at all. The prior of one pair is
    # π / N for a population of N, so the same model stays right as the population grows.
    prior: float
    thresholds: dict[str, Thresholds] = field(default_factory=dict)  # per source; "*" is the default
    twin_margin: float = 4.0  # bits: two candidates closer than this are indistinguishable
    # Odds, relative to a candidate, that the record is instead that candidate's unregistered twin whose
    # given name the record cannot tell apart: written without diacritics (Lan/Lân fold alike), or absent.
    # A real risk that no candidate in the index represents, so it is added to the competition
    # explicitly: twins are ~1.6 % of births, ~20 % of pairs get names that fold alike, and perhaps 5 %
    # of twins are missing from the population register: 0.016 * 0.2 * 0.05 ~ 2e-4; without a given
    # name any twin qualifies: 0.016 * 0.05 ~ 1e-3. The scorer scales twin_risk by how far the folded
    # given name is shared by other names of that sex (linkage.engine.ambiguity): "uy" has no twin
    # named alike, "lan" (Lan/Lân) keeps the full risk; and drops it where a personal number agrees or
    # the candidate's co-twin is registered (then a candidate of its own): `Scorer.twin_risk`.
    twin_risk: float = 2e-4
    twin_risk_unnamed: float = 1e-3
    trained_at: str = ""
    notes: dict[str, object] = field(default_factory=dict)
    sources: dict[str, SourceParameters] = field(default_factory=dict)

    def for_source(self, source: str) -> Model:
        """The model a record of `source` is scored with: its own m/u and π when learnt, else the shared."""
        own = self.sources.get(source)
        if own is None:
            return self
        return replace(self, comparisons=own.comparisons, prior=own.prior, sources={})

    def prior_weight(self, population: int) -> float:
        """log2 prior odds that a record matches one given identity among `population`."""
        p = _clamp(self.prior)
        return math.log2(p / ((1.0 - p) * max(population, 1)))

    @property
    def version(self) -> str:
        digest = hashlib.sha256(self._content_json().encode()).hexdigest()[:12]
        stamp = self.trained_at.replace("-", "").replace(":", "")[:15] or "untrained"
        return f"fs-{stamp}-{digest}"

    def comparison(self, name: str) -> Comparison:
        for comparison in self.comparisons:
            if comparison.name == name:
                return comparison
        raise KeyError(name)

    def thresholds_for(self, source: str) -> Thresholds:
        return self.thresholds.get(source) or self.thresholds.get("*") or Thresholds()

    def weight_tables(self) -> list[np.ndarray]:
        """Per comparison, weights indexed by level code, with one extra 0.0 slot for NULL_LEVEL (-1)."""
        return [np.append(comparison.weights(), 0.0) for comparison in self.comparisons]

    def with_comparisons(self, comparisons: tuple[Comparison, ...], prior: float | None = None) -> Model:
        return replace(self, comparisons=comparisons, prior=self.prior if prior is None else prior)

    def stamped(self, when: datetime | None = None) -> Model:
        moment = (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S")
        return replace(self, trained_at=moment)

    # JSON ------------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"version": self.version, **self._content()}

    def _content(self) -> dict:
        return {
            "trained_at": self.trained_at,
            "prior": self.prior,
            "twin_margin": self.twin_margin,
            "twin_risk": self.twin_risk,
            "twin_risk_unnamed": self.twin_risk_unnamed,
            "thresholds": {s: {"link": t.link, "review": t.review}
                           for s, t in sorted(self.thresholds.items())},
            "comparisons": _comparisons_json(self.comparisons),
            "sources": {name: {"prior": params.prior, "comparisons": _comparisons_json(params.comparisons)}
                        for name, params in sorted(self.sources.items())},
            "notes": self.notes,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    @classmethod
    def from_dict(cls, data: dict) -> Model:
        comparisons = _comparisons_from_json(data["comparisons"])
        model = cls(
            comparisons=comparisons,
            prior=float(data["prior"]),
            thresholds={s: Thresholds(**t) for s, t in data.get("thresholds", {}).items()},
            twin_margin=float(data.get("twin_margin", 4.0)),
            twin_risk=float(data.get("twin_risk", 2e-4)),
            twin_risk_unnamed=float(data.get("twin_risk_unnamed", 1e-3)),
            trained_at=data.get("trained_at", ""),
            notes=dict(data.get("notes", {})),
            sources={name: SourceParameters(_comparisons_from_json(p["comparisons"]), float(p["prior"]))
                     for name, p in data.get("sources", {}).items()},
        )
        stated = data.get("version")
        if stated and stated != model.version:
            raise ValueError(f"model content does not match its version {stated} (computed {model.version})")
        return model

    @classmethod
    def from_json(cls, text: str) -> Model:
        return cls.from_dict(json.loads(text))

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_text(self.to_json() + "\n", encoding="utf-8")
        return target

    @classmethod
    def load(cls, path: str | Path) -> Model:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def _content_json(self) -> str:
        content = self._content()
        content.pop("notes")
        return json.dumps(content, sort_keys=True, ensure_ascii=False)


def _comparisons_json(comparisons: tuple[Comparison, ...]) -> list[dict]:
    return [
        {
            "name": c.name,
            "description": c.description,
            "tf": c.tf,
            "tf_levels": list(c.tf_levels),
            "tf_cap": c.tf_cap,
            "tf_base_u": c.tf_base_u,
            "tf_base_u_folded": c.tf_base_u_folded,
            "levels": [{"label": lv.label, "m": lv.m, "u": lv.u} for lv in c.levels],
        }
        for c in comparisons
    ]


def _comparisons_from_json(items: list[dict]) -> tuple[Comparison, ...]:
    return tuple(
        Comparison(
            name=c["name"],
            description=c.get("description", ""),
            tf=c.get("tf", ""),
            tf_levels=tuple(c.get("tf_levels", ())),
            tf_cap=float(c.get("tf_cap", 8.0)),
            tf_base_u=float(c.get("tf_base_u", 0.01)),
            tf_base_u_folded=float(c.get("tf_base_u_folded", 0.01)),
            levels=tuple(Level(lv["label"], float(lv["m"]), float(lv["u"])) for lv in c["levels"]),
        )
        for c in items
    )


def probability_from_weight(weight: np.ndarray | float) -> np.ndarray | float:
    """2^w / (1 + 2^w), computed without overflow."""
    return 1.0 / (1.0 + np.exp2(-np.asarray(weight, dtype=np.float64)))


def weight_from_probability(probability: float) -> float:
    p = _clamp(probability)
    return math.log2(p / (1.0 - p))


def _clamp(value: float) -> float:
    return min(max(float(value), PROB_FLOOR), PROB_CEIL)
