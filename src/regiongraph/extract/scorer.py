"""A fitted model as plain numbers: scoring without scikit-learn.

``regiongraph train`` fits a Pipeline of a DictVectorizer and a CalibratedClassifierCV
(logistic regressions with sigmoid calibration, one copy per fold). Asking it for the
probabilities of one release's few candidates spent most of the time in scikit-learn's
per-call checks, and loading it imported scikit-learn and SciPy (seconds per process).
``LinearScorer`` holds what those probabilities are made of: per feature name the weights
of every fold's linear model, their intercepts and the (a, b) of each sigmoid
calibrator. ``predict_proba`` repeats scikit-learn's arithmetic (decision values,
``1 / (1 + exp(a * z + b))``, one-vs-rest normalisation, the mean over the folds), so
its probabilities are those of the pipeline (tests/test_models.py checks them to 1e-9).
It is saved as JSON beside the ``.joblib`` with the joblib file's SHA-256, so a scorer
is never used for another model than the one it was made from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from numbers import Number
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "regiongraph.linear-scorer.v1"
_PLAIN = (int, float, bool)


@dataclass(frozen=True)
class Output:
    """One decision value: of fold ``fold``'s model, calibrated into class ``cls``."""

    fold: int
    cls: int
    a: float
    b: float


@dataclass
class LinearScorer:
    classes: list[Any]
    separator: str
    features: list[str]  # the features some fold weighs (row order of ``weights``)
    weights: np.ndarray  # (len(features), len(outputs))
    intercepts: np.ndarray  # (len(outputs),)
    outputs: list[Output]
    folds: int

    def __post_init__(self) -> None:
        self._index = {name: i for i, name in enumerate(self.features)}
        self._a = np.array([o.a for o in self.outputs])
        self._b = np.array([o.b for o in self.outputs])
        self._fold_columns = [
            (
                np.array([c for c, o in enumerate(self.outputs) if o.fold == fold], dtype=int),
                np.array([o.cls for o in self.outputs if o.fold == fold], dtype=int),
            )
            for fold in range(self.folds)
        ]

    @property
    def classes_(self) -> np.ndarray:
        return np.array(self.classes)

    def predict_proba(self, rows: list[dict[str, Any]]) -> np.ndarray:
        """Calibrated probabilities, (len(rows), len(classes)), as the pipeline gives them."""
        x = np.zeros((len(rows), len(self.features)))
        at: tuple[list[int], list[int]] = ([], [])
        values: list[float] = []
        index, sep = self._index, self.separator
        for i, row in enumerate(rows):
            for name, value in row.items():
                if value.__class__ is str:
                    name, value = f"{name}{sep}{value}", 1.0
                elif value.__class__ not in _PLAIN and not isinstance(value, Number):
                    raise TypeError(f"feature {name!r}: unsupported value {value!r}")
                j = index.get(name)
                if j is not None:
                    at[0].append(i)
                    at[1].append(j)
                    values.append(value)
        np.add.at(x, at, values)  # a name twice in a row adds up, as in DictVectorizer
        z = x @ self.weights + self.intercepts
        calibrated = 1.0 / (1.0 + np.exp(self._a * z + self._b))
        mean = np.zeros((len(rows), len(self.classes)))
        for fold in range(self.folds):
            mean += self._fold_proba(calibrated, fold)
        return mean / self.folds

    def _fold_proba(self, calibrated: np.ndarray, fold: int) -> np.ndarray:
        n, k = calibrated.shape[0], len(self.classes)
        proba = np.zeros((n, k))
        columns, classes = self._fold_columns[fold]
        proba[:, classes] = calibrated[:, columns]
        if k == 2:
            proba[:, 0] = 1.0 - proba[:, 1]
        else:
            total = proba.sum(axis=1)[:, np.newaxis]
            proba = np.divide(proba, total, out=np.full_like(proba, 1 / k), where=total != 0)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def to_json(self, source_sha256: str) -> str:
        data = {
            "format": FORMAT,
            "source_sha256": source_sha256,
            "classes": self.classes,
            "separator": self.separator,
            "folds": self.folds,
            "outputs": [[o.fold, o.cls, o.a, o.b] for o in self.outputs],
            "intercepts": self.intercepts.tolist(),
            "weights": dict(zip(self.features, self.weights.tolist(), strict=True)),
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearScorer:
        """The scorer ``json.loads(to_json(...))`` gives back."""
        weights = data["weights"]
        outputs = [Output(int(f), int(c), float(a), float(b)) for f, c, a, b in data["outputs"]]
        return cls(
            list(data["classes"]),
            data["separator"],
            list(weights),
            np.array(list(weights.values()), dtype=float).reshape(len(weights), len(outputs)),
            np.array(data["intercepts"], dtype=float),
            outputs,
            int(data["folds"]),
        )

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> LinearScorer:
        """The scorer of a fitted DictVectorizer + sigmoid CalibratedClassifierCV pipeline
        of linear models; ValueError for any other shape."""
        vectorizer, calibrated = pipeline.steps[0][1], pipeline.steps[-1][1]
        if len(pipeline.steps) != 2 or not hasattr(vectorizer, "vocabulary_"):
            raise ValueError("not a DictVectorizer + classifier pipeline")
        if getattr(calibrated, "method", None) != "sigmoid":
            raise ValueError("not a sigmoid-calibrated classifier")
        classes = calibrated.classes_.tolist()  # plain str or int, as JSON keeps them
        columns, intercepts, outputs = [], [], []
        for fold, copy in enumerate(calibrated.calibrated_classifiers_):
            coef = np.atleast_2d(copy.estimator.coef_)
            own = [classes.index(c) for c in copy.estimator.classes_.tolist()]
            targets = [1] if len(classes) == 2 else own
            if len(targets) != coef.shape[0] or len(copy.calibrators) != coef.shape[0]:
                raise ValueError("decision values and calibrators do not match")
            for row, cls_index, calibrator in zip(coef, targets, copy.calibrators, strict=True):
                if not hasattr(calibrator, "a_"):
                    raise ValueError("not a sigmoid calibrator")
                columns.append(row)
                outputs.append(Output(fold, cls_index, float(calibrator.a_), float(calibrator.b_)))
            intercepts.extend(np.atleast_1d(copy.estimator.intercept_).tolist())
        weights = np.array(columns).T  # (vocabulary, outputs)
        used = np.flatnonzero(np.any(weights != 0, axis=1))
        names = vectorizer.feature_names_
        return cls(
            classes,
            vectorizer.separator,
            [names[i] for i in used],
            weights[used],
            np.array(intercepts, dtype=float),
            outputs,
            len(calibrated.calibrated_classifiers_),
        )


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def scorer_path(model_path: Path) -> Path:
    """``relations.joblib`` -> ``relations.scorer.json``."""
    return model_path.with_suffix(".scorer.json")


def write_scorer(model: Any, model_path: Path) -> None:
    """The scorer of the model written at ``model_path``, saved beside it."""
    scorer = LinearScorer.from_pipeline(model)
    text = scorer.to_json(file_sha256(model_path))
    scorer_path(model_path).write_text(text, encoding="utf-8")


def read_scorer(model_path: Path) -> LinearScorer | None:
    """The saved scorer of ``model_path``; None when missing or made from another file."""
    path = scorer_path(model_path)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path}: not a scorer: {exc}") from exc
    if data.get("format") != FORMAT or data.get("source_sha256") != file_sha256(model_path):
        return None
    return LinearScorer.from_dict(data)
