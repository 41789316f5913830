"""The W3C SPARQL 1.1 Protocol tests that apply to a read-only endpoint, written out as
pytest cases against the real server on 127.0.0.1.

Source: ``sparql/sparql11/protocol/manifest.ttl`` of the public repository
``w3c/rdf-tests`` (W3C test suite licence). Each case keeps the manifest's name,
method, path, headers and body. Two adaptations, since the store is the one built from
the bundled releases, not the test suite's data:

- the suite's data graphs ``http://kasei.us/2009/09/sparql/data/dataN.rdf`` (each
  holding ``<dataN.rdf> a ?type``) are three release graphs of the store, and their
  subjects the releases they describe (each ``a rg:PressRelease`` in its own graph);
- the ``Host`` header is the server's own address (the server refuses other hosts).

``query_multiple_dataset`` is sent as its name and comment describe it (two
``named-graph-uri`` parameters); the manifest's path percent-encodes the ``&`` between
them, which would make one graph IRI that no dataset holds.

The update tests expecting 2xx do not apply (see README.md): the endpoint is read-only
and answers every update with 403.
"""

from __future__ import annotations

import http.client
import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pyoxigraph as ox
import pytest

pytestmark = pytest.mark.server

DATA = "http://kasei.us/2009/09/sparql/data/"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
RESULTS = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR = (*RESULTS, "text/csv", "text/tab-separated-values")
RDF = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")


def q(text: str) -> str:
    return quote(text, safe="")


def g(n: int) -> str:
    return q(f"{DATA}data{n}.rdf")


ASK_D1_D2 = f"ASK {{ <{DATA}data1.rdf> a ?type . <{DATA}data2.rdf> a ?type . }}"
ASK_NAMED = (
    f"ASK {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}"
)
ASK_FULL = (
    f"ASK {{\n  <{DATA}data3.rdf> a ?type\n  GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }}\n"
    f"  GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }}\n}}"
)
ASK_FROM = (
    f"ASK FROM <{DATA}data3.rdf> {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} "
    f"GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}"
)

# name: (method, path, content type or None, body, expected)
# expected: True (boolean true), "tabular", "RDF", or 4 (any 4xx)
CASES: dict[str, tuple[str, str, str | None, bytes, object]] = {
    "query_post_form": (
        "POST",
        f"/sparql/?default-graph-uri={g(0)}",
        FORM,
        b"query=ASK%20%7B%7D",
        True,
    ),
    "query_dataset_default_graphs_get": (
        "GET",
        f"/sparql/?query={q(ASK_D1_D2)}&default-graph-uri={g(1)}&default-graph-uri={g(2)}",
        None,
        b"",
        True,
    ),
    "query_dataset_default_graphs_post": (
        "POST",
        f"/sparql/?default-graph-uri={g(1)}&default-graph-uri={g(2)}",
        DIRECT,
        ASK_D1_D2.encode(),
        True,
    ),
    "query_dataset_named_graphs_post": (
        "POST",
        f"/sparql/?named-graph-uri={g(1)}&named-graph-uri={g(2)}",
        DIRECT,
        ASK_NAMED.encode(),
        True,
    ),
    "query_dataset_named_graphs_get": (
        "GET",
        f"/sparql/?query={q(ASK_NAMED)}&named-graph-uri={g(1)}&named-graph-uri={g(2)}",
        None,
        b"",
        True,
    ),
    "query_dataset_full": (
        "POST",
        f"/sparql/?default-graph-uri={g(3)}&named-graph-uri={g(1)}&named-graph-uri={g(2)}",
        DIRECT,
        ASK_FULL.encode(),
        True,
    ),
    "query_multiple_dataset": (
        "POST",
        f"/sparql/?named-graph-uri={g(1)}&named-graph-uri={g(2)}",
        DIRECT,
        ASK_FROM.encode(),
        True,
    ),
    "query_get": ("GET", f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={g(0)}", None, b"", True),
    "query_content_type_select": (
        "POST",
        f"/sparql/?default-graph-uri={g(0)}",
        DIRECT,
        b"SELECT (1 AS ?value) {}",
        "tabular",
    ),
    "query_content_type_ask": (
        "POST",
        f"/sparql/?default-graph-uri={g(0)}",
        DIRECT,
        b"ASK {}",
        "boolean",
    ),
    "query_content_type_describe": (
        "POST",
        f"/sparql/?default-graph-uri={g(0)}",
        DIRECT,
        b"DESCRIBE <http://example.org/>",
        "RDF",
    ),
    "query_content_type_construct": (
        "POST",
        f"/sparql/?default-graph-uri={g(0)}",
        DIRECT,
        b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        "RDF",
    ),
    "query_post_direct": ("POST", "/sparql/", DIRECT, b"ASK {}", True),
    "bad_query_method": (
        "PUT",
        f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={g(0)}",
        FORM,
        b"",
        4,
    ),
    "bad_multiple_queries": (
        "GET",
        "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D",
        None,
        b"",
        4,
    ),
    "bad_query_wrong_media_type": ("POST", "/sparql/", "text/plain", b"ASK {}", 4),
    "bad_query_missing_form_type": ("POST", "/sparql/", None, b"query=ASK%20%7B%7D", 4),
    "bad_query_missing_direct_type": ("POST", "/sparql/", None, b"ASK {}", 4),
    "bad_query_non_utf8": (
        "POST",
        "/sparql/",
        DIRECT + "; charset=UTF-16",
        "ASK {}".encode("utf-16"),
        4,
    ),
    "bad_query_syntax": ("GET", "/sparql/?query=ASK%20%7B", None, b"", 4),
    "bad_update_get": ("GET", "/sparql/?update=CLEAR%20ALL", None, b"", 4),
    "bad_multiple_updates": (
        "POST",
        "/sparql/",
        FORM,
        b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        4,
    ),
    "bad_update_wrong_media_type": ("POST", "/sparql/", "text/plain", b"CLEAR NAMED", 4),
    "bad_update_missing_form_type": ("POST", "/sparql/", None, b"update=CLEAR%20NAMED", 4),
    "bad_update_non_utf8": (
        "POST",
        "/sparql/",
        UPDATE + "; charset=UTF-16",
        "CLEAR NAMED".encode("utf-16"),
        4,
    ),
    "bad_update_syntax": ("POST", "/sparql/", FORM, b"update=CLEAR%20XYZ", 4),
    "bad_update_dataset_conflict": (
        "POST",
        "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
        UPDATE,
        b"PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
        b"DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
        b"WHERE {\n    ?person foaf:givenName 'Bill'\n}",
        4,
    ),
}


@pytest.fixture(scope="module")
def data_graphs(store) -> dict[str, str]:
    """dataN.rdf → a release graph; the dataN.rdf subject → the release it describes."""
    graphs = sorted(g.value for g in store.store.named_graphs() if "/graph/release/" in g.value)[:4]
    mapping = {}
    for n, graph in enumerate(graphs):
        mapping[f"{DATA}data{n}.rdf"] = graph
    return mapping


def localise(text: str, graphs: dict[str, str], in_query: bool) -> str:
    """The suite's IRIs replaced: graph names by release graphs, subjects (in query
    texts) by the release IRIs, which are typed in their graphs."""
    for suite, graph in graphs.items():
        release = graph.replace("/graph/release/", "/id/release/")
        if in_query:
            text = text.replace(f"GRAPH ?g1 {{ <{suite}>", f"GRAPH ?g1 {{ <{release}>")
            text = text.replace(f"GRAPH ?g2 {{ <{suite}>", f"GRAPH ?g2 {{ <{release}>")
            text = text.replace(f"FROM <{suite}>", f"FROM <{graph}>")
            text = text.replace(f"<{suite}>", f"<{release}>")
        text = text.replace(q(suite), q(graph))
    return text


def localise_path(path: str, graphs: dict[str, str]) -> str:
    base, _, query = path.partition("?")
    if not query:
        return path
    parts = []
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key == "query":
            value = q(localise(_unquote(value), graphs, in_query=True))
        else:
            value = localise(value, graphs, in_query=False)
        parts.append(f"{key}={value}")
    return base + "?" + "&".join(parts)


def _unquote(value: str) -> str:
    from urllib.parse import unquote

    return unquote(value)


def boolean_of(content_type: str, body: bytes) -> bool:
    if content_type.startswith("application/sparql-results+json"):
        return json.loads(body)["boolean"]
    ns = "{http://www.w3.org/2005/sparql-results#}"
    return ET.fromstring(body).find(f"{ns}boolean").text == "true"


@pytest.mark.parametrize("name", list(CASES))
def test_w3c_protocol(endpoint, data_graphs, name):
    method, path, content_type, body, expected = CASES[name]
    path = localise_path(path, data_graphs)
    if content_type == DIRECT:
        body = localise(body.decode(), data_graphs, in_query=True).encode()
    host, port = endpoint.sockets[0].getsockname()[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Content-Length": str(len(body))}
    if content_type:
        headers["Content-Type"] = content_type
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    reply, media = response.read(), response.getheader("Content-Type") or ""
    conn.close()
    if expected == 4:
        assert 400 <= response.status < 500, (response.status, reply)
        return
    assert 200 <= response.status < 400, (response.status, reply)
    if expected is True:
        assert media.startswith(RESULTS) and boolean_of(media, reply) is True
    elif expected == "boolean":
        assert media.startswith(RESULTS) and boolean_of(media, reply) in (True, False)
    elif expected == "tabular":
        assert media.startswith(TABULAR)
    else:
        assert media.startswith(RDF)
        fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}
        list(ox.parse(reply, format=fmt.get(media.split(";")[0], ox.RdfFormat.TURTLE)))
