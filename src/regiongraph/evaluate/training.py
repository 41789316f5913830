"""Training data and models: candidates labelled by the gold files, fitted with scikit-learn.

The annotated corpus is every release that has a gold file: the bundled ones
(``data/releases`` with ``data/gold``) and, where the workplace's ``shared/`` folder is
beside the checkout, the releases whose text stays out of the repository. Labels come
from the scorer's own alignment (``score.align``): a candidate is positive when gold has
the same (s, p, o); candidates touching a neutral gold entity are left out. Features that
fewer than ``MIN_RELEASES`` releases show are dropped before fitting, so a model holds no
word that belongs to one text; features are generic by construction (``extract.candidates``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from regiongraph import ingest
from regiongraph.evaluate.score import align, is_neutral_gold, load_gold, normalise_text
from regiongraph.extract import Extractor
from regiongraph.extract.decide import Analysis
from regiongraph.extract.entity_types import NOT_AN_ENTITY
from regiongraph.extract.models import Models
from regiongraph.extract.scorer import write_scorer
from regiongraph.records import BuildProblem

MIN_RELEASES = 3
MIN_CLASS = 3


@dataclass
class Example:
    """One annotated release: its text read and resolved, its gold and its publisher."""

    name: str
    part: str  # seeds | dev | dev2 | ...
    publisher: str
    gold: dict
    analysis: Analysis


@dataclass
class Corpus:
    examples: list[Example] = field(default_factory=list)
    digest: str = ""


def publisher_group(publisher: str | None) -> str:
    """'Region Blekinge (Mynewsdesk)' and 'Region Blekinge' are one publisher."""
    text = re.split(r"[(;,]", publisher or "unknown")[0]
    return normalise_text(text) or "unknown"


def corpus_sources(data_dir: Path, shared: Path | None) -> list[tuple[str, Path, Path]]:
    """(part, gold folder, release folder) for every annotated part; the shared corpus
    (all releases) when present, else the bundled one."""
    if shared is not None:
        return [
            (p.name, p, shared / "corpus" / p.name)
            for p in sorted((shared / "gold").iterdir())
            if p.is_dir() and (shared / "corpus" / p.name).is_dir()
        ]
    return [
        (p.name, p, data_dir / "releases")
        for p in sorted((data_dir / "gold").iterdir())
        if p.is_dir()
    ]


def load_corpus(extractor: Extractor, sources: list[tuple[str, Path, Path]]) -> Corpus:
    """Read and resolve every annotated release once; the digest covers text and gold."""
    h = hashlib.sha256()
    corpus = Corpus()
    for part, gold_dir, release_dir in sources:
        gold = load_gold(gold_dir)
        files = [release_dir / name for name in sorted(gold) if (release_dir / name).exists()]
        problems: list[BuildProblem] = []
        for source in ingest.discover(files, problems=problems):
            for doc in ingest.read_documents(source):
                name = doc.release.file_name
                h.update(name.encode() + b"\0" + source.path.read_bytes() + b"\0")
                h.update(json.dumps(gold[name], sort_keys=True).encode())
                corpus.examples.append(
                    Example(
                        name,
                        part,
                        publisher_group(doc.release.publisher),
                        gold[name],
                        extractor.resolve(doc),
                    )
                )
    corpus.digest = h.hexdigest()
    return corpus


def _entity_dicts(entities) -> list[dict[str, Any]]:
    return [
        {"label": e.label, "type": e.type, "mentions": [m.text for m in e.mentions]}
        for e in entities
    ]


def type_examples(extractor: Extractor, ex: Example) -> list[tuple[dict, str]]:
    """(features, gold type or NONE) of every minted name of a release."""
    entities = ex.analysis.entities
    gold_entities = ex.gold.get("entities") or []
    aligned, duplicates = align(_entity_dicts(entities), gold_entities)
    out = []
    for i, e in enumerate(entities):
        if e.source != "minted":
            continue
        gi = aligned.get(i, duplicates.get(i))
        if gi is None:
            label = NOT_AN_ENTITY if e.type != "Place" else None
        elif is_neutral_gold(gold_entities[gi]):
            label = None
        else:
            label = str(gold_entities[gi].get("type"))
        if label is not None:
            out.append((extractor.type_features(ex.analysis, e), label))
    return out


def relation_examples(
    extractor: Extractor, ex: Example, models: Models
) -> list[tuple[dict, int, Any]]:
    """(features, 1 if gold states it, the candidate) for every scoreable candidate."""
    entities = extractor.typed(ex.analysis, models)
    rules, _contacts = extractor.rule_relations(ex.analysis.doc, entities)
    candidates = extractor.candidates(ex.analysis, entities, rules)
    gold_entities = ex.gold.get("entities") or []
    aligned, _dup = align(_entity_dicts(entities), gold_entities)
    index = {e.iri: i for i, e in enumerate(entities)}
    keys = [str(g.get("key")) for g in gold_entities]
    facts = set()
    for r in ex.gold.get("relations") or []:
        facts.add((r["s"], r["p"], r["o"]))
        if r["p"] == "collaboratesWith":
            facts.add((r["o"], r["p"], r["s"]))
    out = []
    for c in candidates:
        ends = [aligned.get(index[c.subject.iri]), aligned.get(index[c.object.iri])]
        if any(gi is not None and is_neutral_gold(gold_entities[gi]) for gi in ends):
            continue
        if c.object.type == "Place" or c.subject.type == "Place":
            continue
        label = int(None not in ends and (keys[ends[0]], c.predicate, keys[ends[1]]) in facts)
        out.append((c.features, label, c))
    return out


def _frequent(rows: list[tuple[str, dict]]) -> set[str]:
    """Features seen in at least MIN_RELEASES releases."""
    seen: dict[str, set[str]] = {}
    for release, features in rows:
        for name in features:
            seen.setdefault(name, set()).add(release)
    return {name for name, releases in seen.items() if len(releases) >= MIN_RELEASES}


def fit(rows: list[tuple[str, dict, Any]], sparse: bool = False):
    """A calibrated logistic regression over (release, features, label) rows; ``sparse``:
    an L1 penalty, which keeps few features (on out-of-fold candidates it kept the
    precision of the rules where an L2 model with every feature lost it)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    keep = _frequent([(r, f) for r, f, _ in rows])
    counts: dict[Any, int] = {}
    for _r, _f, y in rows:
        counts[y] = counts.get(y, 0) + 1
    rows = [row for row in rows if counts[row[2]] >= MIN_CLASS]
    X = [{k: v for k, v in f.items() if k in keep} for _r, f, _y in rows]
    y = [label for _r, _f, label in rows]
    model = Pipeline(
        [
            ("features", DictVectorizer()),
            (
                "classifier",
                CalibratedClassifierCV(
                    LogisticRegression(
                        C=0.25 if sparse else 0.5,
                        max_iter=3000,
                        **({"l1_ratio": 1.0, "solver": "liblinear"} if sparse else {}),
                    ),
                    method="sigmoid",
                    cv=3,
                ),
            ),
        ]
    )
    return model.fit(X, y)


def train_models(extractor: Extractor, examples: list[Example], thresholds: Models) -> Models:
    """The type model, then the relation model on candidates the new types give."""
    type_rows = [
        (ex.name, f, label) for ex in examples for f, label in type_examples(extractor, ex)
    ]
    models = replace(thresholds, relations=None, types=fit(type_rows) if type_rows else None)
    relation_rows = [
        (ex.name, f, label)
        for ex in examples
        for f, label, _c in relation_examples(extractor, ex, models)
    ]
    if relation_rows and any(label for _r, _f, label in relation_rows):
        models.relations = fit(relation_rows, sparse=True)
    return models


def write_models(models: Models, corpus: Corpus, examples: list[Example], out: Path) -> None:
    """The model files and ``models.json`` (training data digest, library versions)."""
    import joblib
    import sklearn

    out.mkdir(parents=True, exist_ok=True)
    for name, model in (("relations", models.relations), ("types", models.types)):
        joblib.dump(model, out / f"{name}.joblib", compress=3)
        if model is not None:
            write_scorer(model, out / f"{name}.joblib")
    meta = {
        "training_data_sha256": corpus.digest,
        "releases": len(examples),
        "publishers": len({ex.publisher for ex in examples}),
        "scikit_learn": sklearn.__version__,
        "min_releases_per_feature": MIN_RELEASES,
    }
    (out / "models.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
