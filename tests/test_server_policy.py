"""The publication policy on /sparql: no e-mail addresses or phone numbers (as
schema:email / schema:telephone values or inside evidence sentences) unless the server
is started with include_contact_details."""

from __future__ import annotations

import json
import urllib.parse

import pyoxigraph as ox
import pytest

from conftest import http, start_server
from regiongraph.publish.dumps import CONTACT_PREDICATES, redact_text

pytestmark = pytest.mark.server

EMAILS = "SELECT ?who ?mail WHERE { ?who <https://schema.org/email> ?mail }"
ALL_TEXT = (
    "SELECT DISTINCT ?text WHERE { { ?s ?p ?text } UNION { GRAPH ?g { ?s ?p ?text } } "
    "FILTER(isLiteral(?text)) }"
)
EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def with_contacts(built):
    server = start_server(built.store.path, include_contact_details=True, workers=1)
    yield server
    server.shutdown()
    server.server_close()


def select(server, query: str) -> list[dict]:
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    status, headers, body = http(
        server.url, path, headers={"Accept": "application/sparql-results+json"}
    )
    assert status == 200 and "X-Regiongraph-Truncated" not in headers, body[:300]
    return json.loads(body)["results"]["bindings"]


def graph(server, query: str) -> list[ox.Triple]:
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    status, _, body = http(server.url, path, headers={"Accept": "application/n-triples"})
    assert status == 200, body[:300]
    return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]


def leaks(terms) -> list[str]:
    return [t.value for t in terms if isinstance(t, ox.Literal) and redact_text(t.value) != t.value]


def test_the_store_itself_holds_contact_details(store):
    """The premise: without the policy there would be something to leak."""
    assert len(list(store.store.query(EMAILS))) > 0
    texts = [s["text"] for s in store.store.query(ALL_TEXT)]
    assert leaks(texts)


def test_select_has_no_contact_details(endpoint):
    assert select(endpoint, EMAILS) == []
    phones = "SELECT ?t WHERE { ?who <https://schema.org/telephone> ?t }"
    assert select(endpoint, phones) == []
    texts = [b["text"] for b in select(endpoint, ALL_TEXT)]
    assert texts and not [t["value"] for t in texts if redact_text(t["value"]) != t["value"]]


def test_construct_and_describe_have_no_contact_details(endpoint, store):
    triples = graph(endpoint, EVERYTHING)
    assert len(triples) > 1000
    assert not [t for t in triples if t.predicate.value in CONTACT_PREDICATES]
    assert leaks(t.object for t in triples) == []
    person = next(iter(store.store.query(EMAILS)))["who"]
    described = graph(endpoint, f"DESCRIBE <{person.value}>")
    assert described and not [t for t in described if t.predicate.value in CONTACT_PREDICATES]
    assert leaks(t.object for t in described) == []


def test_computed_values_cannot_recover_them(endpoint):
    """Filtering answers would miss values a query computes; the partner copy does not."""
    query = (
        "SELECT DISTINCT ?v WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isLiteral(?o)) "
        "BIND(CONCAT('<', STR(?o), '>') AS ?v) }"
    )
    values = [b["v"]["value"] for b in select(endpoint, query)]
    assert values and [v for v in values if redact_text(v) != v] == []


def test_contact_details_only_when_asked(with_contacts, store):
    local = {(r["who"].value, r["mail"].value) for r in store.store.query(EMAILS)}
    served = {(b["who"]["value"], b["mail"]["value"]) for b in select(with_contacts, EMAILS)}
    assert served == local and local
