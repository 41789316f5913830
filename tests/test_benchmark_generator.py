"""The benchmark's synthetic releases: deterministic, and readable by the extractor."""

from __future__ import annotations

from benchmarks.generate import generate

from conftest import BASE, ROOT
from regiongraph.build.pipeline import read_all
from regiongraph.extract import Extractor
from regiongraph.vocab import IriMinter


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_releases(tmp_path):
    generate(20, tmp_path / "a", seed=3)
    generate(20, tmp_path / "b", seed=3)
    generate(20, tmp_path / "c", seed=4)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
    assert len(_files(tmp_path / "a")) == 21  # 20 releases and SOURCES.csv


def test_extractor_finds_the_planted_actors_and_relations(tmp_path):
    planted = generate(5, tmp_path, seed=11)
    extractor = Extractor.from_data_dir(ROOT / "data", IriMinter(BASE))
    docs = {d.release.file_name: d for d in read_all([tmp_path], [])}
    found_funding = 0
    for facts in planted:
        extraction = extractor.extract(docs[facts.file_name])
        labels = {e.label: e for e in extraction.entities}
        assert facts.project in labels and labels[facts.project].type == "Project"
        assert facts.person in labels and labels[facts.person].type == "Person"
        assert facts.funder in labels
        relations = {(r.subject, r.predicate, r.object) for r in extraction.relations}
        funding = (labels[facts.project].iri, "fundedBy", labels[facts.funder].iri)
        found_funding += funding in relations
        assert any(r.predicate == "participatesIn" for r in extraction.relations)
    assert found_funding == len(planted)
