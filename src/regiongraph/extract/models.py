"""The trained models the extractor uses: loaded from ``data/models/``, never trained here.

``regiongraph train`` writes ``relations.joblib`` (is this candidate a fact?) and
``types.joblib`` (the coarse type of a name reference data does not know, or NONE), each
a scikit-learn Pipeline (DictVectorizer, then a calibrated logistic regression), and
``models.json`` with the digest of the training data and the scikit-learn version.
``thresholds.yaml`` (hand-kept) says which calibrated scores become facts:

* ``relation``: a candidate no rule stated is a fact when its probability is at least
  this; facts below it are not written (neither in the release graph nor the union graph);
* ``veto``: a fact a hand-written rule stated is dropped when its probability is below this;
* ``type``: a name is retyped when the classifier's best type has at least this;
* ``drop``: a name is not an entity when NONE has at least this probability.

Each model is used as a ``LinearScorer`` (``scorer.py``): read from the
``<name>.scorer.json`` that training writes beside the joblib file when that was made
from it, else made from the unpickled pipeline (which imports scikit-learn). The scorer
gives the pipeline's probabilities without scikit-learn's per-call cost.

A missing folder means rules only (``Models.absent``), as before models existed.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from regiongraph.extract.scorer import LinearScorer, read_scorer

MODEL_FILES = (
    "relations.joblib",
    "relations.scorer.json",
    "types.joblib",
    "types.scorer.json",
    "models.json",
    "thresholds.yaml",
)
DEFAULT_THRESHOLDS = {"relation": 0.67, "veto": 0.1, "type": 0.6, "drop": 0.7}


class ModelError(RuntimeError):
    """A model file that cannot be used; the message names the file."""


@dataclass
class Models:
    relations: Any | None = None  # a LinearScorer, or an sklearn Pipeline while training
    types: Any | None = None
    relation_threshold: float = DEFAULT_THRESHOLDS["relation"]
    veto_threshold: float = DEFAULT_THRESHOLDS["veto"]
    type_threshold: float = DEFAULT_THRESHOLDS["type"]
    drop_threshold: float = DEFAULT_THRESHOLDS["drop"]

    @classmethod
    def absent(cls) -> Models:
        return cls()

    def relation_scores(self, features: list[dict[str, float]]) -> list[float]:
        if self.relations is None or not features:
            return []
        return [float(p) for p in _predict(self.relations, features)[:, 1]]

    def type_scores(self, features: list[dict[str, float]]) -> list[dict[str, float]]:
        if self.types is None or not features:
            return []
        classes = list(self.types.classes_)
        return [dict(zip(classes, row, strict=True)) for row in _predict(self.types, features)]


def _predict(model: Any, features: list[dict[str, float]]):
    """The scorer's probabilities; for a pipeline (while training), predict_proba
    without scikit-learn's input checks (the features come from our own code)."""
    if isinstance(model, LinearScorer):
        return model.predict_proba(features)
    from sklearn import config_context

    with config_context(assume_finite=True, skip_parameter_validation=True):
        return model.predict_proba(features)


def load_thresholds(path: Path) -> dict[str, float]:
    values = dict(DEFAULT_THRESHOLDS)
    if path.exists():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if key not in values or not 0 <= float(value) <= 1:
                raise ModelError(f"{path}: {key!r} must be one of {sorted(values)} in [0, 1]")
            values[key] = float(value)
    return values


def load_model(path: Path) -> Any | None:
    """The model of a joblib file as a scorer (a pipeline of another shape stays one);
    None when the file is missing."""
    if not path.exists():
        return None
    try:
        scorer = read_scorer(path)
        if scorer is not None:
            return scorer
        import joblib

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a patch-level scikit-learn difference
            pipeline = joblib.load(path)
    except Exception as exc:
        raise ModelError(f"{path}: cannot load the model: {exc}") from exc
    try:
        return LinearScorer.from_pipeline(pipeline)
    except (ValueError, AttributeError):
        return pipeline


def load_models(models_dir: Path) -> Models:
    """The shipped models; rules only where the folder has none."""
    thresholds = load_thresholds(models_dir / "thresholds.yaml")
    loaded = {name: load_model(models_dir / f"{name}.joblib") for name in ("relations", "types")}
    return Models(
        loaded["relations"],
        loaded["types"],
        thresholds["relation"],
        thresholds["veto"],
        thresholds["type"],
        thresholds["drop"],
    )


def thresholds_only(models_dir: Path) -> Models:
    """No models, the thresholds of ``models_dir``: what training starts from."""
    th = load_thresholds(models_dir / "thresholds.yaml")
    return Models(None, None, th["relation"], th["veto"], th["type"], th["drop"])


def model_metadata(models_dir: Path) -> dict:
    path = models_dir / "models.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
