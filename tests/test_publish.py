"""Exports for partners and publishing to a real Oxigraph server over the Graph Store
Protocol, queried back through SPARQLWrapper and compared with the embedded store."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from typer.testing import CliRunner

from regiongraph.cli import app
from regiongraph.publish.dumps import EMAIL, export, redact_text
from regiongraph.query.library import load_query, run_select
from regiongraph.query.remote import run_remote_select

SCHEMA = "https://schema.org/"
VOID = Namespace("http://rdfs.org/ns/void#")
CONTACT = (SCHEMA + "email", SCHEMA + "telephone")
DUMPS = (
    "regiongraph.trig",
    "regiongraph.nq",
    "regiongraph.ttl",
    "regiongraph.nt",
    "regiongraph.jsonld",
)
PHONE_LIKE = re.compile(r"(?<![\d-])0\d{1,3}-\d{2,3}(?: ?\d{2,3}){1,3}(?!\d)|\+\d{2,3} \d")


def contact_values(store) -> set[str]:
    values = set()
    for predicate in CONTACT:
        for quad in store.store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            values.add(quad.object.value)
    return values


@pytest.fixture(scope="module")
def partner_export(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    return export(store, out, endpoint="http://127.0.0.1:8000/sparql")


def test_export_writes_every_file(partner_export):
    out = partner_export.out
    for name in (
        *DUMPS,
        "context.jsonld",
        "void.ttl",
        "ontology/regiongraph.ttl",
        "ontology/shapes.ttl",
        "ontology/index.html",
    ):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert "fundedBy" in (out / "ontology" / "index.html").read_text(encoding="utf-8")
    assert json.loads((out / "context.jsonld").read_text())["@context"]["rg"].endswith("#")


def test_dumps_parse_and_keep_provenance(partner_export, store):
    out = partner_export.out
    dataset = ox.Dataset(ox.parse(path=str(out / "regiongraph.trig"), format=ox.RdfFormat.TRIG))
    graphs = {q.graph_name.value for q in dataset}
    assert set(store.release_graphs().values()) <= graphs
    nt = list(ox.parse(path=str(out / "regiongraph.nt"), format=ox.RdfFormat.N_TRIPLES))
    assert len(nt) == partner_export.triples
    jsonld = Graph().parse(out / "regiongraph.jsonld", format="json-ld")
    assert len(jsonld) == partner_export.triples
    battery = URIRef("https://w3id.org/regiongraph/id/project/battery-region")
    assert (
        battery,
        URIRef("https://w3id.org/regiongraph/ontology#fundedBy"),
        URIRef("https://w3id.org/regiongraph/id/programme/interreg-nord"),
    ) in jsonld


def test_no_contact_details_leak_into_partner_dumps(partner_export, store):
    secrets = contact_values(store)
    assert secrets, "the bundled releases name e-mail addresses and phone numbers"
    for path in sorted(partner_export.out.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for secret in secrets:
            assert secret not in text, f"{secret} in {path.name}"
        assert not EMAIL.search(text), f"an e-mail address in {path.name}"
        assert not PHONE_LIKE.search(text), f"a phone number in {path.name}"
    for name, fmt in (("regiongraph.ttl", "turtle"), ("regiongraph.trig", "trig")):
        g = Graph() if fmt == "turtle" else None
        if g is not None:
            g.parse(partner_export.out / name, format=fmt)
            assert not any(g.triples((None, URIRef(CONTACT[0]), None)))
            assert not any(g.triples((None, URIRef(CONTACT[1]), None)))


def test_contact_details_only_when_asked(store, tmp_path):
    result = export(store, tmp_path, include_contact_details=True)
    g = Graph().parse(tmp_path / "regiongraph.ttl", format="turtle")
    emails = {str(o) for o in g.objects(None, URIRef(CONTACT[0]))}
    phones = {str(o) for o in g.objects(None, URIRef(CONTACT[1]))}
    assert emails and phones and emails | phones == contact_values(store)
    assert result.triples == store.count()


def test_redaction_keeps_amounts_and_dates():
    text = "Stina, 070-365 45 70, stina@region.se, +358 40 685 4018 fick 2 491 478 kr 2020-2023"
    redacted = redact_text(text)
    assert "070-365" not in redacted and "@" not in redacted and "+358" not in redacted
    assert "2 491 478 kr 2020-2023" in redacted


def test_void_counts_equal_the_dumps(partner_export, store):
    """Counted from what is published (contact details left out), not from the store;
    tests/test_description.py counts every VoID figure from the files."""
    void = Graph().parse(partner_export.out / "void.ttl", format="turtle")
    dataset = URIRef("https://w3id.org/regiongraph/dataset")
    assert int(void.value(dataset, VOID.triples)) == partner_export.triples < store.count()
    nq = ox.parse(path=str(partner_export.out / "regiongraph.nq"), format=ox.RdfFormat.N_QUADS)
    per_graph: dict[str, int] = {}
    for quad in nq:
        per_graph[quad.graph_name.value] = per_graph.get(quad.graph_name.value, 0) + 1
    for graph_iri in store.release_graphs().values():
        assert int(void.value(URIRef(graph_iri), VOID.triples)) == per_graph[graph_iri]
    dumps = {str(d).rsplit("/", 1)[-1] for d in void.objects(dataset, VOID.dataDump)}
    assert set(DUMPS) <= dumps
    assert str(void.value(dataset, VOID.sparqlEndpoint)) == "http://127.0.0.1:8000/sparql"
    assert list(void.objects(dataset, VOID.exampleResource))
    assert void.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None


# -- a real Oxigraph server --------------------------------------------------------------


def remote_count(url: str, graph: str | None = None) -> int:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(url + "/query")
    pattern = "?s ?p ?o" if graph is None else f"GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }}"
    client.setQuery(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    client.setReturnFormat(JSON)
    return int(client.queryAndConvert()["results"]["bindings"][0]["n"]["value"])


def cli_publish(store, url: str, *extra: str):
    runner = CliRunner()
    build_dir = Path(store.path).parent
    return runner.invoke(
        app, ["publish", "--endpoint", url + "/store", "--build-dir", str(build_dir), *extra]
    )


@pytest.fixture(scope="module")
def published(store, oxigraph_server):
    result = cli_publish(store, oxigraph_server)
    assert result.exit_code == 0, result.output
    return oxigraph_server


COMPARED = [
    ("projects-with-funders", {}),
    ("funding-by-funder", {}),
    ("collaborators-of-actor", {"actor": "https://w3id.org/regiongraph/id/region/se-vasterbotten"}),
    ("cross-border-collaboration", {"countries": "SE,FI"}),
    ("projects-active-in-year", {"year": "2023"}),
    (
        "people-and-posts",
        {"organisation": "https://w3id.org/regiongraph/id/region/se-vasterbotten"},
    ),
]


@pytest.mark.parametrize(("name", "params"), COMPARED, ids=[c[0] for c in COMPARED])
def test_remote_rows_equal_embedded_rows(store, published, name, params):
    query = load_query(name)
    local = run_select(store.store, query, params)
    remote = run_remote_select(published + "/query", query, params)
    assert local, name
    key = lambda row: json.dumps(row, sort_keys=True, default=str)  # noqa: E731
    assert sorted(remote, key=key) == sorted(local, key=key)


def test_a_page_from_the_endpoint_is_the_page_from_the_store(store, published):
    query = load_query("projects-with-funders").paged(3, 2)
    local = run_select(store.store, query)
    assert len(local) == 3
    assert run_remote_select(published + "/query", query) == local


def test_cli_query_with_endpoint(store, published):
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "query",
            "projects-with-funders",
            "--endpoint",
            published + "/query",
            "--format",
            "json",
            "--param",
            "funder=https://w3id.org/regiongraph/id/programme/interreg-nord",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["projectLabel"] for r in rows} == {"Battery Region"}


def test_published_graphs_match_and_hold_no_contact_details(store, published):
    contact_triples = sum(
        1
        for predicate in CONTACT
        for _ in store.store.quads_for_pattern(
            None, ox.NamedNode(predicate), None, ox.DefaultGraph()
        )
    )
    assert contact_triples
    assert remote_count(published) == store.count() - contact_triples
    for graph_iri in store.release_graphs().values():
        local = sum(1 for q in store.graph_quads(graph_iri) if q.predicate.value not in CONTACT)
        assert remote_count(published, graph_iri) == local


def test_republishing_a_release_replaces_its_graph(store, published):
    graph = store.release_graphs()["003-7cf70bc74400741d"]
    before_graph = remote_count(published, graph)
    before_all = remote_count(published)
    result = cli_publish(store, published, "--release", "003-7cf70bc74400741d")
    assert result.exit_code == 0, result.output
    assert remote_count(published, graph) == before_graph
    assert remote_count(published) == before_all
    bad = cli_publish(store, published, "--release", "no-such-release")
    assert bad.exit_code == 1


def test_prune_deletes_stale_release_graphs_and_only_those(store, published):
    from regiongraph.publish.gsp import GraphStoreClient

    client = GraphStoreClient(published + "/store")
    stale = f"{store.minter.base}/graph/release/deleted-since-last-publish"
    theirs = "http://partner.example/graph/their-own"
    fact = ox.Triple(
        ox.NamedNode("http://partner.example/a"), ox.NamedNode("http://x/p"), ox.Literal("1")
    )
    client.put(stale, [fact])
    client.put(theirs, [fact])
    assert remote_count(published, stale) == 1
    kept = store.release_graphs()["003-7cf70bc74400741d"]
    before = remote_count(published, kept)

    without = CliRunner().invoke(
        app, ["publish", "--endpoint", published + "/store", "--prune",
              "--build-dir", str(Path(store.path).parent)],
    )  # fmt: skip
    assert without.exit_code == 2 and "--query-endpoint" in without.stderr

    result = cli_publish(store, published, "--prune", "--query-endpoint", published + "/query")
    assert result.exit_code == 0, result.output
    assert f"removed\t{stale}" in result.stdout
    assert "1 stale release graphs removed" in result.stderr
    assert remote_count(published, stale) == 0
    assert remote_count(published, theirs) == 1  # a graph of the partner's own stays
    assert remote_count(published, kept) == before
    again = cli_publish(store, published, "--prune", "--query-endpoint", published + "/query")
    assert again.exit_code == 0 and "removed\t" not in again.stdout
    client.delete(stale)  # already gone: the store's 404 is not an error
    client.delete(theirs)
