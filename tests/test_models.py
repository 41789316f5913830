"""Trained models: written with their data digest, generic features only, thresholds kept."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

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
from regiongraph.extract.models import ModelError, Models, load_models, load_thresholds
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
    assert loaded.relations is not None and loaded.types is not None


def test_no_feature_of_a_model_is_a_name_from_the_gold(trained):
    _corpus, out = trained
    names = set()
    for gold in load_gold(DATA / "gold").values():
        for e in gold["entities"]:
            # names, and aliases of two words or more ("Projektet" is an alias, no name)
            for form in [e["name"], *(a for a in e.get("aliases", []) if " " in a)]:
                if len(form) >= 5:
                    names.add(normalise_text(form))
    loaded = load_models(out)
    for model in (loaded.relations, loaded.types):
        features = model.named_steps["features"].feature_names_
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
