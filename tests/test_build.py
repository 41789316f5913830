"""The build end to end on real releases: summary, SHACL, idempotence, bad input."""

from __future__ import annotations

import shutil

import pyoxigraph as ox

from conftest import BASE, RELEASES, ROOT, SEEDS, config_for
from regiongraph.build.pipeline import BuildIndex, build
from regiongraph.graph.canonical import actors_nquads, graph_tally, release_rows
from regiongraph.vocab import RG, IriMinter


def test_every_bundled_release_is_read_and_conforms(built):
    s = built.summary
    assert s.releases_read == 53
    assert s.releases_failed == 0 and not s.problems
    assert s.conforms
    assert s.entities > 150 and s.relations > 100
    assert s.quads > s.triples > 5000


def test_seed_releases_pass_shacl(tmp_path):
    result = build(SEEDS, config_for(tmp_path))
    assert result.summary.releases_read == 5
    assert all(r.conforms for r in result.reports.values()), {
        k: r.format_text() for k, r in result.reports.items() if not r.conforms
    }


def _dump(store) -> set[str]:
    return {str(q) for q in store.store.quads_for_pattern(None, None, None, None)}


def test_same_input_twice_gives_the_same_graph(tmp_path):
    a = build(SEEDS, config_for(tmp_path / "a"))
    b = build(SEEDS, config_for(tmp_path / "b"))
    first = _dump(a.store)
    assert first == _dump(b.store)
    a.store.close()
    again = build(SEEDS, config_for(tmp_path / "a"))  # rebuild in place: nothing changes
    assert _dump(again.store) == first


def test_empty_and_binary_files_are_named_and_the_rest_builds(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, folder / seed.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    result = build([folder], config_for(tmp_path))
    failed = {p.path.rsplit("/", 1)[-1]: p for p in result.summary.problems}
    assert set(failed) == {"empty.txt", "image.txt"}
    assert "empty" in failed["empty.txt"].message
    assert "binary" in failed["image.txt"].message
    assert result.summary.releases_read == 2


def test_a_failed_release_keeps_what_the_store_had(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    target = folder / SEEDS[0].name
    shutil.copy(SEEDS[0], target)
    first = build([folder], config_for(tmp_path))
    before = _dump(first.store)
    first.store.close()
    target.write_bytes(b"")  # the release becomes unreadable
    second = build([folder], config_for(tmp_path))
    assert second.summary.problems
    assert _dump(second.store) == before


def test_skelleftea_carries_its_municipality_code(store):
    code = "<https://w3id.org/regiongraph/ontology#municipalityCode>"
    q = f"SELECT ?code WHERE {{ <{BASE}/id/municipality/skelleftea> {code} ?code }}"
    assert [r["code"].value for r in store.query(q)] == ["2482"]


def test_region_spellings_resolve_to_one_node(store):
    q = """PREFIX rg: <https://w3id.org/regiongraph/ontology#>
    SELECT DISTINCT ?e WHERE { ?e rg:surfaceForm ?f FILTER(STRSTARTS(?f, "Region Västerbotten")
      || ?f = "Västerbotten" || ?f = "Västerbottens") }"""
    assert {r["e"].value for r in store.query(q)} == {f"{BASE}/id/region/se-vasterbotten"}


def test_every_statement_keeps_its_release_and_sentence(store):
    q = """PREFIX rg: <https://w3id.org/regiongraph/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    SELECT (COUNT(?st) AS ?n) (COUNT(?text) AS ?with) WHERE {
      ?st rdf:predicate ?p .
      OPTIONAL { ?st rg:evidence/rdf:value ?text ; prov:wasDerivedFrom ?r } }"""
    row = next(iter(store.query(q)))
    assert int(row["n"].value) > 100
    assert row["n"].value == row["with"].value


def test_a_bulk_build_default_graph_is_the_union_of_its_named_graphs(built):
    """Lines many releases repeat (actors, rules) are loaded once: none may go missing."""
    assert built.bulk
    store = built.store.store
    default = {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }
    named = {
        (q.subject, q.predicate, q.object)
        for g in built.store.data_graphs()
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))
    }
    assert default == named
    assert not list(built.store.path.parent.glob(".bulk-*"))  # the spool file is gone
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    repeated = [  # an actor whose label several release graphs state
        s
        for s in {q.subject for q in store.quads_for_pattern(None, label, None, ox.DefaultGraph())}
        if len({q.graph_name for q in store.quads_for_pattern(s, label, None, None)}) > 2
    ]
    assert repeated


def test_each_release_has_its_own_graph(store):
    graphs = store.release_graphs()
    assert len(graphs) == 53
    assert "dev-002" in graphs
    g = ox.NamedNode(graphs["dev-002"])
    titles = [
        q.object.value
        for q in store.store.quads_for_pattern(
            None, ox.NamedNode("http://purl.org/dc/terms/title"), None, g
        )
    ]
    assert titles == ["25,5 miljoner till regional utveckling i Västerbotten"]


def test_removed_release_file_drops_its_graph(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, folder / seed.name)
    build([folder], config_for(tmp_path, prune=True)).store.close()
    (folder / SEEDS[2].name).unlink()
    result = build([folder], config_for(tmp_path, prune=True))
    assert len(result.store.release_graphs()) == 2
    assert RELEASES.exists()


def _quads(store, graph_iri: str) -> set[str]:
    graph = ox.NamedNode(graph_iri)
    return {str(q) for q in store.store.quads_for_pattern(None, None, None, graph)}


def test_each_release_graph_gives_the_same_actor_rows_read_from_text_or_store(built):
    """What a worker reads from a release graph's text is what the store's queries read."""
    store = built.store
    graphs = sorted(store.release_graphs().values())
    assert len(graphs) > 20
    for graph_iri in graphs:
        quads = store.store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))
        text = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
        rows, forms = release_rows(text)
        assert rows == graph_tally(store, graph_iri)
        form_p = ox.NamedNode(str(RG.surfaceForm))
        in_store = store.store.quads_for_pattern(None, form_p, None, ox.NamedNode(graph_iri))
        assert forms == {(q.subject.value, q.object.value) for q in in_store}


def test_a_bulk_build_describes_actors_from_what_it_loaded_as_the_queries_would(
    tmp_path, monkeypatch
):
    """The clean build gathers tallies and surface forms while loading; the actors graph
    and the index's tallies equal what the store's queries give (the path of other builds)."""
    import regiongraph.graph.canonical as canonical

    def no_queries(*args, **kwargs):
        raise AssertionError("a clean build should not query the release graphs for actors")

    with monkeypatch.context() as m:
        m.setattr(canonical, "describe_actors", no_queries)
        result = build([RELEASES], config_for(tmp_path, prune=True, workers=1))
    assert result.bulk and not result.summary.problems
    store, minter = result.store, IriMinter(BASE)
    graph_iri = str(minter.graph("actors"))
    tallies: dict = {}
    by_queries = canonical.describe_actors(store, minter, tallies_out=tallies)
    assert len(by_queries) > 50
    expected = {
        str(q) for q in ox.parse(actors_nquads(by_queries, graph_iri), format=ox.RdfFormat.N_QUADS)
    }
    assert _quads(store, graph_iri) == expected
    index = BuildIndex.load(store, BASE)
    assert index is not None and index.tallies == tallies
    store.close()


def test_a_bulk_build_compacts_the_store_and_an_incremental_one_does_not(tmp_path, monkeypatch):
    from regiongraph.graph.store import GraphStore

    calls: list[str] = []
    real = GraphStore.optimize

    def counted(self):
        calls.append(str(self.path))
        real(self)

    monkeypatch.setattr(GraphStore, "optimize", counted)
    folder = tmp_path / "releases"
    folder.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, folder / seed.name)
    first = build([folder], config_for(tmp_path, prune=True, workers=1))
    assert first.bulk and calls == [str(tmp_path / "store")]
    first.store.close()
    (folder / SEEDS[0].name).unlink()
    second = build([folder], config_for(tmp_path, prune=True, workers=1))
    assert not second.bulk and second.removed == 1 and len(calls) == 1
    second.store.close()


def test_building_another_folder_adds_to_the_store_and_only_prune_removes(tmp_path):
    """A plain build (of the data folder's releases, here B) keeps the releases built
    from folder A; ``--prune`` removes them, and the summary says how many went."""
    import re

    from typer.testing import CliRunner

    from regiongraph.cli import app
    from regiongraph.graph.store import GraphStore

    data = tmp_path / "data"  # the project's rules and reference data, releases B
    data.mkdir()
    for name in ("rules", "reference", "curation.yaml"):
        (data / name).symlink_to(ROOT / "data" / name)
    a, b = tmp_path / "a", data / "releases"
    for folder, files in ((a, SEEDS), (b, sorted(RELEASES.glob("dev-00*.txt")))):
        folder.mkdir()
        for f in files:
            shutil.copy(f, folder / f.name)
    build_dir = tmp_path / "build"

    def run(*args: str) -> str:
        result = CliRunner().invoke(
            app,
            ["build", *args, "--build-dir", str(build_dir), "--data-dir", str(data), "--no-viz"],
        )
        assert result.exit_code == 0, result.output
        return result.output

    def graphs() -> int:
        with GraphStore(build_dir / "store", IriMinter(BASE), read_only=True) as store:
            return len(store.release_graphs())

    def count(output: str, row: str) -> int:
        found = re.search(rf"releases {row}\W+(\d+)", output)
        assert found, output
        return int(found.group(1))

    run(str(a))
    added = run()
    assert graphs() == 8
    assert (count(added, "changed"), count(added, "removed")) == (3, 0)
    pruned = run("--prune")
    assert graphs() == 3
    assert (count(pruned, "unchanged"), count(pruned, "removed")) == (3, 5)
