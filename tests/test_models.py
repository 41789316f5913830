"""Trained models: written with their data digest, generic features only, thresholds kept."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import joblib
import numpy as np
import pytest

from conftest import RELEASES, ROOT
from regiongraph.evaluate.score import load_gold, normalise_text
from regiongraph.evaluate.training import (
    corpus_sources,
    load_corpus,
    publisher_group,
    train_models,
    write_models,
)
from regiongraph.extract import Extractor
from regiongraph.extract.decide import SCORED_RULE
from regiongraph.extract.models import (
    ModelError,
    Models,
    load_model,
    load_models,
    load_thresholds,
)
from regiongraph.extract.scorer import LinearScorer, read_scorer, scorer_path
from regiongraph.ingest import discover, read_documents

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Models fitted on the bundled gold alone and written to a fresh folder."""
    extractor = Extractor.from_data_dir(DATA, models=Models())
    corpus = load_corpus(extractor, corpus_sources(DATA, None))
    models = train_models(extractor, corpus.examples, Models())
    out = tmp_path_factory.mktemp("models")
    write_models(models, corpus, corpus.examples, out)
    return corpus, out


def _doc(name: str):
    return read_documents(discover([RELEASES / name])[0])[0]


def test_train_writes_both_models_and_the_digest_of_their_data(trained):
    corpus, out = trained
    meta = json.loads((out / "models.json").read_text())
    assert meta["training_data_sha256"] == corpus.digest and len(corpus.digest) == 64
    assert meta["releases"] == len(corpus.examples) == 53
    loaded = load_models(out)
    assert isinstance(loaded.relations, LinearScorer) and isinstance(loaded.types, LinearScorer)
    assert read_scorer(out / "relations.joblib") is not None  # the scorer training wrote


def test_no_feature_of_a_model_is_a_name_from_the_gold(trained):
    _corpus, out = trained
    names = set()
    for gold in load_gold(DATA / "gold").values():
        for e in gold["entities"]:
            # names, and aliases of two words or more ("Projektet" is an alias, no name)
            for form in [e["name"], *(a for a in e.get("aliases", []) if " " in a)]:
                if len(form) >= 5:
                    names.add(normalise_text(form))
    for name in ("relations", "types"):
        features = joblib.load(out / f"{name}.joblib").named_steps["features"].feature_names_
        values = {normalise_text(f.rsplit("=", 1)[-1]) for f in features if "=" in f}
        assert not values & names, sorted(values & names)[:5]


def test_shipped_models_make_facts_whose_confidence_is_their_probability():
    extractor = Extractor.from_data_dir(DATA)
    models = extractor.models
    assert models.relations is not None
    extraction = extractor.extract(_doc("dev-071.txt"))
    assert extraction.relations
    for r in extraction.relations:
        floor = models.relation_threshold if r.rule_id == SCORED_RULE else models.veto_threshold
        assert floor <= r.confidence <= 1
    strict = replace(models, relation_threshold=1.0, veto_threshold=1.0)
    assert not Extractor.from_data_dir(DATA, models=strict).extract(_doc("dev-071.txt")).relations


def test_a_threshold_below_lets_in_facts_no_rule_stated():
    extractor = Extractor.from_data_dir(DATA)
    loose = replace(extractor.models, relation_threshold=0.05)
    loose_extractor = Extractor.from_data_dir(DATA, models=loose)
    relations = [
        r
        for name in ("dev2-092.txt", "dev2-066.txt", "dev-071.txt")
        for r in loose_extractor.extract(_doc(name)).relations
    ]
    assert any(r.rule_id == SCORED_RULE for r in relations)


def test_without_models_the_rules_decide(tmp_path):
    models = load_models(tmp_path)
    assert models.relations is None and models.types is None
    extractor = Extractor.from_data_dir(DATA, models=models)
    relations = extractor.extract(_doc("dev-071.txt")).relations
    assert relations and all(r.rule_id != SCORED_RULE for r in relations)


def test_a_bad_threshold_file_names_itself(tmp_path: Path):
    (tmp_path / "thresholds.yaml").write_text("relation: 1.5\n")
    with pytest.raises(ModelError, match=r"thresholds\.yaml"):
        load_thresholds(tmp_path / "thresholds.yaml")


def test_a_publisher_and_its_newsroom_are_one_group():
    assert publisher_group("Region Blekinge (Mynewsdesk)") == publisher_group("Region Blekinge")
    assert publisher_group(None) == "unknown"


def test_the_build_reads_releases_again_when_a_model_or_threshold_changes(tmp_path):
    import shutil

    from regiongraph.build.config import BuildConfig
    from regiongraph.build.static import extractor_digest

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    config = BuildConfig(data, None, tmp_path, "https://w3id.org/regiongraph")
    before = extractor_digest(config)
    (data / "models" / "thresholds.yaml").write_text("relation: 0.9\n")
    assert extractor_digest(config) != before


def _shipped_inputs() -> tuple[list[dict], list[dict]]:
    """The type features of every minted name and the features of every candidate the
    shipped models see on the bundled releases."""
    extractor = Extractor.from_data_dir(DATA)
    names, candidates = [], []
    for source in discover([RELEASES]):
        for doc in read_documents(source):
            analysis = extractor.resolve(doc)
            minted = [e for e in analysis.entities if e.source == "minted"]
            names += [extractor.type_features(analysis, e) for e in minted]
            resolved = extractor.typed(analysis)
            rules, _contacts = extractor.rule_relations(doc, resolved)
            candidates += [c.features for c in extractor.candidates(analysis, resolved, rules)]
    return names, candidates


def test_the_shipped_scorers_give_the_pipelines_probabilities_on_every_candidate():
    shipped = load_models(DATA / "models")
    names, candidates = _shipped_inputs()
    assert len(names) > 300 and len(candidates) > 3000
    for name, rows in (("types", names), ("relations", candidates)):
        path = DATA / "models" / f"{name}.joblib"
        scorer = read_scorer(path)  # the saved scorer is that of the shipped joblib file
        assert isinstance(scorer, LinearScorer) and scorer is not None
        assert isinstance(getattr(shipped, name), LinearScorer)
        pipeline = joblib.load(path)
        assert scorer.classes == pipeline.classes_.tolist()
        expected = pipeline.predict_proba(rows)
        assert np.abs(scorer.predict_proba(rows) - expected).max() < 1e-9
        made = LinearScorer.from_pipeline(pipeline)  # what loading does without the JSON
        assert np.abs(made.predict_proba(rows) - expected).max() < 1e-9
        assert np.abs(made.predict_proba(rows[:1]) - expected[:1]).max() < 1e-9


def test_a_scorer_made_from_another_model_file_is_not_used(tmp_path: Path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "relations.joblib").write_bytes((DATA / "models" / "relations.joblib").read_bytes())
    scorer_path(models / "relations.joblib").write_text(
        scorer_path(DATA / "models" / "types.joblib").read_text(encoding="utf-8")
    )
    assert read_scorer(models / "relations.joblib") is None
    model = load_model(models / "relations.joblib")  # made from the pipeline instead
    assert isinstance(model, LinearScorer) and model.classes == [0, 1]
    scorer_path(models / "relations.joblib").write_text("{not json")
    with pytest.raises(ModelError, match=r"relations\.scorer\.json"):
        load_model(models / "relations.joblib")


def test_loading_the_shipped_models_does_not_import_scikit_learn():
    code = (
        "import sys; from pathlib import Path; "
        "from regiongraph.extract.models import load_models; "
        f"m = load_models(Path({str(DATA / 'models')!r})); "
        "assert m.relations is not None and m.types is not None; "
        "print(sorted(k for k in ('sklearn', 'scipy', 'joblib') if k in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
