"""Real clients against `regiongraph serve` and the Oxigraph server, compared with the
embedded store: SPARQLWrapper in every return format, rdflib's SPARQLStore, and
`regiongraph query --endpoint`, for every query of the library (defaults from each
file's header)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from typer.testing import CliRunner

from conftest import oxigraph_running, start_server
from regiongraph.cli import app
from regiongraph.query.library import list_queries, run_select, term_value
from regiongraph.query.remote import run_remote_select, with_values

pytestmark = pytest.mark.server

LIBRARY = [q.name for q in list_queries()]
ACTOR = "https://w3id.org/regiongraph/id/region/se-vasterbotten"
CONSTRUCT = f"CONSTRUCT {{ <{ACTOR}> ?p ?o }} WHERE {{ <{ACTOR}> ?p ?o }}"
DESCRIBE = f"DESCRIBE <{ACTOR}>"
SELECT = (
    "SELECT ?p ?label WHERE { ?p a <https://w3id.org/regiongraph/ontology#Project> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?p ?label"
)


@pytest.fixture(scope="module")
def ours(built):
    """`regiongraph serve` with contact details, so that rows equal the embedded store's."""
    server = start_server(built.store.path, include_contact_details=True, timeout_s=60.0)
    yield server.url + "/sparql"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def oxigraph(store, tmp_path_factory):
    """The Oxigraph server, read-only over a copy of the store (loaded by its own CLI)."""
    folder = tmp_path_factory.mktemp("oxigraph-ro")
    dump = folder / "all.nq"
    store.store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    location = folder / "db"
    subprocess.run(
        ["oxigraph", "load", "--location", str(location), "--file", str(dump)],
        check=True,
        capture_output=True,
    )
    with oxigraph_running("serve-read-only", "--location", str(location)) as url:
        yield url + "/query"


@pytest.fixture(params=["regiongraph", "oxigraph"])
def url(request, ours, oxigraph):
    return ours if request.param == "regiongraph" else oxigraph


# Columns a query documents as a list "in no particular order" (GROUP_CONCAT over an
# unsorted group): compared as sets of lines, since each store may order them its own way.
UNORDERED = {"network-links": ("via",)}


def key(row: dict) -> str:
    return json.dumps(row, sort_keys=True, default=str)


def rows_of(name: str, rows: list[dict]) -> list[dict]:
    rows = [dict(r) for r in rows]
    for row in rows:
        for column in UNORDERED.get(name, ()):
            if isinstance(row.get(column), str):
                row[column] = "\n".join(sorted(row[column].split("\n")))
    return sorted(rows, key=key)


def as_ox(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


@pytest.mark.parametrize("name", LIBRARY)
def test_every_library_query_gives_the_embedded_rows(store, url, name):
    query = next(q for q in list_queries() if q.name == name)
    local = rows_of(name, run_select(store.store, query, {}))
    # SPARQLWrapper (through the remote runner)
    assert rows_of(name, run_remote_select(url, query, {})) == local, "SPARQLWrapper"
    # rdflib's SPARQLStore
    result = SPARQLStore(query_endpoint=url, returnFormat="json").query(with_values(query, {}))
    names = [str(v) for v in result.vars]
    rows = [{n: term_value(as_ox(row[n])) for n in names} for row in result]
    assert rows_of(name, rows) == local, "SPARQLStore"
    # the command line
    cli = CliRunner().invoke(app, ["query", name, "--endpoint", url, "--format", "json"])
    assert cli.exit_code == 0, cli.output
    assert rows_of(name, json.loads(cli.stdout)) == json.loads(json.dumps(local)), "CLI"


def wrapper(url: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_select_in_every_format(store, url):
    local = [[s["p"].value, s["label"].value] for s in store.store.query(SELECT)]
    data = wrapper(url, SELECT, JSON).queryAndConvert()
    assert [[b["p"]["value"], b["label"]["value"]] for b in data["results"]["bindings"]] == local
    doc = wrapper(url, SELECT, XML).queryAndConvert()
    root = ET.fromstring(doc.toxml())
    ns = "{http://www.w3.org/2005/sparql-results#}"
    got = [
        [b.find(f".//{ns}uri").text, b.find(f".//{ns}literal").text]
        for b in root.iter(f"{ns}result")
    ]
    assert [[r[0], r[1]] for r in got] == local
    text = wrapper(url, SELECT, CSV).queryAndConvert().decode()
    assert list(csv.reader(io.StringIO(text)))[1:] == local
    lines = wrapper(url, SELECT, TSV).queryAndConvert().decode().splitlines()[1:]
    assert [line.split("\t")[0] for line in lines] == [f"<{p}>" for p, _ in local]


def local_graph(store, query: str) -> Graph:
    triples = list(store.store.query(query))
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=data, format="nt")


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_sparqlwrapper_graphs_in_every_format(store, url, query):
    expected = local_graph(store, query)
    assert len(expected) > 5
    for fmt in (XML, RDFXML, JSONLD):
        result = wrapper(url, query, fmt).queryAndConvert()
        assert isinstance(result, Graph) and isomorphic(result, expected), fmt
    for fmt in (TURTLE, N3):
        data = wrapper(url, query, fmt).queryAndConvert()
        assert isomorphic(Graph().parse(data=data, format="turtle"), expected), fmt
    client = wrapper(url, query, TURTLE)
    client.setOnlyConneg(True)
    client.addCustomHttpHeader("Accept", "application/n-triples")
    data = client.query().response.read()
    assert isomorphic(Graph().parse(data=data, format="nt"), expected), "N-Triples"
