"""The benchmark's synthetic releases: deterministic, and readable by the extractor."""

from __future__ import annotations

from benchmarks.generate import generate

from conftest import BASE, ROOT, config_for
from regiongraph.build.pipeline import build, read_all
from regiongraph.extract import Extractor
from regiongraph.query.library import load_query, run_select
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


def test_money_queries_answer_on_generated_releases(tmp_path):
    """Every generated release states its grant with funder and project ('Projektet P
    finansieras av F med N kronor') and the region's share ('Region R medfinansierar
    projektet med M kronor'); the built store answers the money queries with them."""
    planted = generate(50, tmp_path / "releases", seed=7)
    result = build([tmp_path / "releases"], config_for(tmp_path))
    assert result.summary.conforms
    store = result.store.store
    grants = run_select(store, load_query("largest-grants"), {"currency": "SEK"})
    stated = {(r["projectLabel"], r["amount"]): r["funderLabel"] for r in grants}
    for f in planted:  # a label may drop a word ("Stiftelsen X" is "X")
        assert stated[(f.project, f.amount)] in f.funder
        assert stated[(f.project, f.co_funding)] in f.publisher
    facts = {(f.project, f.funder, f.amount) for f in planted}
    assert len(grants) == len(facts | {(f.project, f.publisher, f.co_funding) for f in planted})
    by_year = run_select(store, load_query("funding-by-year"))
    total = sum(f.amount + f.co_funding for f in planted)
    assert sum(r["total"] for r in by_year if r["currency"] == "SEK") == total
    by_region = run_select(store, load_query("funding-by-region"))
    funders = {r["areaLabel"]: r["total"] for r in by_region if r["side"] == "funder"}
    region = planted[0].publisher
    assert funders[region] == sum(f.co_funding for f in planted if f.publisher == region)
