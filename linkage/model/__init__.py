"""The Fellegi-Sunter match model as data: comparisons, levels, m/u, prior, thresholds, version."""

from linkage.model.comparisons import FIELDS, untrained_model
from linkage.model.spec import Comparison, Level, Model, Thresholds, probability_from_weight

__all__ = ["FIELDS", "Comparison", "Level", "Model", "Thresholds", "probability_from_weight",
           "untrained_model", "default_model_path", "load_default_model"]


def default_model_path():
    """The trained model shipped with the package (trained on the synthetic benchmark)."""
    from importlib.resources import files

    return files("linkage.model").joinpath("default_model.json")


def load_default_model() -> Model:
    """The shipped trained model, or the untrained starting model when none has been shipped yet."""
    path = default_model_path()
    if path.is_file():
        return Model.from_json(path.read_text(encoding="utf-8"))
    return untrained_model()
