"""SPARQL 1.1 Protocol details that standard clients rely on (issue 18, items 1–7 and
the HTTP parts of 11), against the real server on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse

import pyoxigraph as ox
import pytest
from rdflib import Graph

from conftest import http
from regiongraph.publish import results

pytestmark = pytest.mark.server

BASE = "https://w3id.org/regiongraph"
VASTERBOTTEN = "/id/region/se-vasterbotten"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def get(server, params: list[tuple[str, str]] | dict, accept: str | None = None):
    headers = {"Accept": accept} if accept else {}
    return http(server.url, "/sparql?" + urllib.parse.urlencode(params), headers=headers)


def count(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def release_graph(store) -> str:
    return next(g.value for g in store.store.named_graphs() if "/graph/release/" in g.value)


def vary(headers) -> list[str]:
    return [v.strip() for v in (headers.get("Vary") or "").split(",")]


def test_format_parameter_does_not_override_a_good_accept(endpoint):
    query = f"CONSTRUCT {{ <{BASE}{VASTERBOTTEN}> ?p ?o }} WHERE {{ <{BASE}{VASTERBOTTEN}> ?p ?o }}"
    for fmt, accept, media in [
        ("xml", "application/rdf+xml", "application/rdf+xml"),
        ("rdf+xml", "application/rdf+xml", "application/rdf+xml"),
        ("json-ld", "application/ld+json", "application/ld+json"),
        ("n3", "text/turtle", "text/turtle"),
        ("xml", None, "application/rdf+xml"),  # format alone: xml means RDF/XML for graphs
    ]:
        status, headers, body = get(endpoint, {"query": query, "format": fmt}, accept)
        assert status == 200 and headers["Content-Type"].startswith(media), (fmt, status, body)
    status, headers, _ = get(endpoint, {"query": "ASK {}", "format": "xml"})
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")


def test_two_query_parameters_are_400(endpoint):
    status, _, body = get(endpoint, [("query", "ASK {}"), ("query", "SELECT * {}")])
    assert status == 400 and b"more than one" in body
    form = urllib.parse.urlencode([("query", "ASK {}"), ("query", "ASK {}")]).encode()
    status, _, _ = http(
        endpoint.url,
        "/sparql",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 400


def test_protocol_dataset(endpoint, store):
    graph = release_graph(store)
    in_graph = len(list(store.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
    status, _, body = get(endpoint, {"query": COUNT, "named-graph-uri": graph})
    assert status == 200 and count(body) == 0  # §13.2: the default graph is empty
    status, _, body = get(endpoint, {"query": COUNT, "default-graph-uri": graph})
    assert count(body) == in_graph > 0
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    status, _, body = get(endpoint, {"query": graphs, "named-graph-uri": graph})
    assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [graph]
    status, _, body = get(endpoint, {"query": graphs, "default-graph-uri": graph})
    assert json.loads(body)["results"]["bindings"] == []


def test_relative_iri_in_a_direct_post_resolves_against_the_endpoint(endpoint):
    status, _headers, body = http(
        endpoint.url,
        "/sparql",
        data=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert status == 200
    (triple,) = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    assert triple.subject.value == endpoint.url + "/s"


def test_text_wildcard_on_select_gives_csv(endpoint):
    status, headers, _ = get(endpoint, {"query": "SELECT ?x { BIND(1 AS ?x) }"}, "text/*")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")


def test_csv_writes_blank_nodes_with_their_prefix(endpoint):
    status, _, body = get(
        endpoint, {"query": "SELECT ?b WHERE { BIND(BNODE() AS ?b) }"}, "text/csv"
    )
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert status == 200 and rows[0] == ["b"] and rows[1][0].startswith("_:")


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values", "text/turtle"])
def test_ask_in_a_format_without_booleans_is_406(endpoint, accept):
    status, headers, body = get(endpoint, {"query": "ASK {}"}, accept)
    assert status == 406 and b"JSON or XML" in body and "Accept" in vary(headers)


def test_select_as_turtle_is_406_too(endpoint):
    status, _, _ = get(endpoint, {"query": "SELECT * {}"}, "text/turtle")
    assert status == 406


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("text/turtle", ox.RdfFormat.TURTLE), ("application/ld+json", ox.RdfFormat.JSON_LD)],
)
def test_service_description_for_rdf_clients(endpoint, accept, fmt):
    status, headers, body = http(endpoint.url, "/sparql", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    triples = [q.triple for q in ox.parse(body, format=fmt)]
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = ox.NamedNode(endpoint.url + "/sparql")
    assert ox.Triple(service, ox.NamedNode(sd + "endpoint"), service) in triples
    assert any(t.object == ox.NamedNode(sd + "SPARQL11Query") for t in triples)
    status, headers, body = http(endpoint.url, "/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16"),
        ("ASK {}".encode("utf-16"), "application/sparql-query"),
        ("ASK {}".encode("utf-16-le"), "application/sparql-query"),
        (b"query=ASK%20%7B%7D", "application/x-www-form-urlencoded; charset=latin-1"),
        (b"ASK { \xff }", "application/sparql-query"),
    ],
)
def test_a_body_that_is_not_utf8_is_415(endpoint, body, content_type):
    status, _, reply = http(
        endpoint.url, "/sparql", data=body, headers={"Content-Type": content_type}
    )
    assert status == 415 and b"UTF-8" in reply


def test_triple_terms_are_written_as_sparql_1_2_objects():
    a, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
    term = ox.Triple(a, p, ox.Literal("x", language="sv"))
    assert results.json_term(term) == {
        "type": "triple",
        "value": {
            "subject": {"type": "uri", "value": "http://e/a"},
            "predicate": {"type": "uri", "value": "http://e/p"},
            "object": {"type": "literal", "value": "x", "xml:lang": "sv"},
        },
    }
    xml = results.select_xml(["t"], [[term]]).decode()
    assert "<triple><subject><uri>http://e/a</uri></subject>" in xml


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_ontology_and_iris_in_every_rdf_format(endpoint, accept, fmt):
    for path in ("/ontology", VASTERBOTTEN):
        status, headers, body = http(endpoint.url, path, headers={"Accept": accept})
        assert status == 200 and headers["Content-Type"].startswith(accept), path
        assert "Accept" in vary(headers)
        parsed = Graph().parse(data=body, format=fmt)
        assert len(parsed) > 10, path


def test_406_answers_vary_on_accept(endpoint):
    for path in ("/ontology", VASTERBOTTEN, "/dataset"):
        status, headers, _ = http(endpoint.url, path, headers={"Accept": "image/png"})
        assert status == 406 and "Accept" in vary(headers), path


def test_a_release_graph_iri_describes_the_graph(endpoint, store):
    graph = release_graph(store)
    status, _, body = http(
        endpoint.url, graph[len(BASE) :], headers={"Accept": "application/n-triples"}
    )
    assert status == 200
    triples = {q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}
    node = ox.NamedNode(graph)
    void = "http://rdfs.org/ns/void#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert ox.Triple(node, rdf_type, ox.NamedNode(void + "Dataset")) in triples
    held = [q.triple for q in store.store.quads_for_pattern(None, None, None, node)]
    size = next(t.object.value for t in triples if t.predicate.value == void + "triples")
    assert int(size) > 0 and int(size) <= len(held)
    public = [t for t in held if "schema.org/email" not in t.predicate.value]
    assert sum(t in triples for t in public) >= int(size) - 10  # its triples (policy applied)
