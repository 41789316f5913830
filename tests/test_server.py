"""The SPARQL server, run for real on 127.0.0.1: protocol, formats, errors, limits,
refusals, content negotiation on IRIs, and the query page in headless Chromium."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS
from regiongraph.publish.negotiation import negotiate
from regiongraph.publish.server import ServerConfig, SparqlServer

pytestmark = pytest.mark.server

ID = "https://w3id.org/regiongraph/id/"
PROJECTS = "SELECT ?p WHERE { ?p a <https://w3id.org/regiongraph/ontology#Project> } ORDER BY ?p"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MAX_ROWS = 20


@pytest.fixture(scope="module")
def server(built):
    config = ServerConfig(
        store_path=built.store.path, port=0, timeout_s=1.5, max_rows=MAX_ROWS, workers=1
    )
    srv = SparqlServer(config).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def request(server, path, *, data=None, accept=None, content_type=None, method=None):
    req = urllib.request.Request(server.url + path, data=data, method=method)
    if accept:
        req.add_header("Accept", accept)
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def vary(headers) -> list[str]:
    return [v.strip() for v in (headers.get("Vary") or "").split(",")]


def get_query(server, query, accept):
    return request(server, "/sparql?" + urllib.parse.urlencode({"query": query}), accept=accept)


def post_form(server, query, accept="application/sparql-results+json", field="query"):
    body = urllib.parse.urlencode({field: query}).encode()
    return request(
        server,
        "/sparql",
        data=body,
        accept=accept,
        content_type="application/x-www-form-urlencoded",
    )


def test_get_json_results(server, store):
    status, headers, body = get_query(server, PROJECTS, "application/sparql-results+json")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    data = json.loads(body)
    assert data["head"]["vars"] == ["p"]
    got = [b["p"]["value"] for b in data["results"]["bindings"]]
    local = [s["p"].value for s in store.store.query(PROJECTS)][:MAX_ROWS]
    assert got == local and ID + "project/battery-region" in got


def test_post_form_and_direct_body(server):
    status, _, body = post_form(
        server, "ASK { ?s a <https://w3id.org/regiongraph/ontology#Project> }"
    )
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = request(
        server,
        "/sparql",
        data=b"SELECT ?x WHERE { BIND(1 AS ?x) }",
        accept="application/sparql-results+json",
        content_type="application/sparql-query",
    )
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "1"


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json;q=0.5, text/csv;q=0.9", "text/csv"),
    ],
)
def test_result_formats_by_accept(server, accept, media):
    query = (
        "SELECT ?p ?label WHERE { BIND(<http://example.org/a> AS ?p) "
        'BIND("Skellefteå, \\"x\\""@sv AS ?label) }'
    )
    status, headers, body = get_query(server, query, accept)
    assert status == 200 and headers["Content-Type"].startswith(media)
    text = body.decode("utf-8")
    if media.endswith("xml"):
        root = ET.fromstring(body)
        ns = "{http://www.w3.org/2005/sparql-results#}"
        assert root.find(f".//{ns}uri").text == "http://example.org/a"
        assert root.find(f".//{ns}literal").text == 'Skellefteå, "x"'
    elif media == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows == [["p", "label"], ["http://example.org/a", 'Skellefteå, "x"']]
    else:
        lines = text.splitlines()
        assert lines[0] == "?p\t?label"
        assert lines[1] == '<http://example.org/a>\t"Skellefteå, \\"x\\""@sv'


def test_construct_returns_turtle(server):
    battery = f"<{ID}project/battery-region>"
    query = f"CONSTRUCT {{ {battery} ?p ?o }} WHERE {{ {battery} ?p ?o }}"
    status, headers, body = get_query(server, query, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value.endswith("#fundedBy") for t in triples)


def test_unacceptable_format_is_406(server):
    status, _, _ = get_query(server, PROJECTS, "image/png")
    assert status == 406


def test_malformed_query_is_400_with_message(server):
    status, _, body = post_form(server, "SELECT ?x WHERE { ?x ")
    assert status == 400 and b"malformed query" in body


def test_updates_are_refused(server, store):
    before = len(store.store)
    status, _, body = post_form(server, "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    assert status == 403 and b"read-only" in body
    status, _, body = post_form(server, "DROP ALL", field="update")
    assert status == 403 and b"read-only" in body
    status, _, _ = request(
        server, "/sparql", data=b"CLEAR ALL", content_type="application/sparql-update"
    )
    assert status == 403
    assert len(store.store) == before


def test_service_is_refused_but_not_the_word(server):
    status, _, body = post_form(
        server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    )
    assert status == 403 and b"SERVICE" in body
    status, _, body = post_form(
        server, '# SERVICE in a comment\nSELECT ?service WHERE { BIND("SERVICE" AS ?service) }'
    )
    assert (
        status == 200
        and json.loads(body)["results"]["bindings"][0]["service"]["value"] == "SERVICE"
    )


def test_row_limit_is_announced(server):
    status, headers, body = post_form(server, "SELECT * WHERE { ?s ?p ?o }")
    data = json.loads(body)
    assert status == 200 and len(data["results"]["bindings"]) == MAX_ROWS
    assert headers["X-Regiongraph-Truncated"] == "true"
    assert data["truncated"] is True and data["rowLimit"] == MAX_ROWS
    status, headers, body = post_form(server, "SELECT ?x WHERE { BIND(1 AS ?x) }")
    assert "X-Regiongraph-Truncated" not in headers and "truncated" not in json.loads(body)


def test_time_limit_stops_the_query_and_server_recovers(server):
    status, _, body = post_form(server, SLOW)
    assert status == 503 and b"limit of 1.5 s" in body
    status, _, body = post_form(server, "SELECT ?x WHERE { BIND(2 AS ?x) }")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "2"


def test_busy_server_answers_503_with_retry_after_instead_of_waiting(server):
    """Every worker busy (the main one and the lane): a query is refused after the
    wait, not after the slow queries."""
    answers: list = []
    threads = [
        threading.Thread(target=lambda: answers.append(post_form(server, SLOW))) for _ in range(2)
    ]
    server.config.queue_wait_s = 0.3
    try:
        for thread in threads:
            thread.start()
            time.sleep(0.3)  # the main worker, then the lane worker, take a slow query
        started = time.monotonic()
        status, headers, body = post_form(server, "SELECT ?x WHERE { BIND(3 AS ?x) }")
        waited = time.monotonic() - started
    finally:
        for thread in threads:
            thread.join(10)
        server.config.queue_wait_s = None
    assert status == 503 and b"server busy" in body and headers["Retry-After"] == "2"
    assert waited < 1.0  # refused after the wait, not after the slow queries
    assert sorted(a[0] for a in answers) == [503, 503]  # both slow ones were stopped
    status, _, body = post_form(server, "SELECT ?x WHERE { BIND(4 AS ?x) }")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "4"


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_actor_iri_content_negotiation_rdf(server, accept, media, fmt):
    status, headers, body = request(server, "/id/region/se-vasterbotten", accept=accept)
    assert status == 200 and headers["Content-Type"].startswith(media)
    assert "Accept" in vary(headers)
    triples = list(ox.parse(body, format=fmt))
    iri = ID + "region/se-vasterbotten"
    assert any(t.subject.value == iri and t.predicate.value.endswith("#label") for t in triples)
    assert any(t.object == ox.NamedNode(iri) for t in triples)  # what points at it
    contact = {"https://schema.org/email", "https://schema.org/telephone"}
    assert not any(t.predicate.value in contact for t in triples)


def test_actor_iri_html_page(server):
    status, headers, body = request(
        server, "/id/region/se-vasterbotten", accept="text/html,application/xhtml+xml,*/*;q=0.8"
    )
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<h1>Region Västerbotten</h1>" in page
    assert "Evidence" in page and "<blockquote>" in page
    assert 'href="/id/project/battery-region"' in page
    assert 'href="/id/release/003-7cf70bc74400741d"' in page


def test_entity_page_names_relations_in_words_with_the_iri_on_hover(server):
    status, _, body = request(server, "/id/project/battery-region", accept="text/html")
    page = body.decode("utf-8")
    assert status == 200
    assert '<span title="https://w3id.org/regiongraph/ontology#fundedBy">' in page
    assert "finansieras av / funded by" in page
    assert "<code>rg:fundedBy</code>" not in page


def test_viz_folder_serves_its_index(built, tmp_path):
    (tmp_path / "index.html").write_text("<h1>networks</h1>", encoding="utf-8")
    config = ServerConfig(store_path=built.store.path, port=0, workers=1, viz_dir=tmp_path)
    srv = SparqlServer(config).start()
    try:
        status, _, body = request(srv, "/viz/", accept="text/html")
    finally:
        srv.shutdown()
        srv.server_close()
    assert status == 200 and b"<h1>networks</h1>" in body


def test_project_event_and_release_iris(server):
    for path in (
        "/id/project/battery-region",
        "/id/event/industridagen",
        "/id/release/dev-002",
        "/graph/release/dev-002",
    ):
        status, _, _ = request(server, path, accept="text/turtle")
        assert status == 200, path


def test_unknown_iri_is_404(server):
    status, _, body = request(server, "/id/org/no-such-actor", accept="text/html")
    assert status == 404 and b"no-such-actor" in body


def test_dataset_description_and_context(server, store):
    status, _, body = request(server, "/dataset", accept="text/turtle")
    assert status == 200
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    counts = [
        t.object.value
        for t in triples
        if t.predicate.value == "http://rdfs.org/ns/void#triples"
        and t.subject.value.endswith("/dataset")
    ]
    assert counts == [str(store.count())]
    endpoints = [t.object.value for t in triples if t.predicate.value.endswith("#sparqlEndpoint")]
    assert endpoints == [server.url + "/sparql"]
    status, _, body = request(server, "/context.jsonld")
    assert status == 200 and "rg" in json.loads(body)["@context"]
    status, _, body = request(server, "/ontology", accept="text/html")
    assert status == 200 and b"fundedBy" in body


def test_negotiate_prefers_quality_then_order():
    assert negotiate("text/csv;q=0.4, application/json", ["json", "csv"]) == "json"
    assert negotiate(None, ["html", "turtle"]) == "html"
    assert negotiate("text/*", ["json", "csv"]) == "csv"
    assert negotiate("image/png", ["json"]) is None


def test_only_loopback(built):
    with pytest.raises(ValueError):
        SparqlServer(ServerConfig(store_path=built.store.path, host="0.0.0.0", port=0))


@pytest.mark.browser
def test_query_page_runs_an_example_in_chromium(server):
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            outside: list[str] = []
            page.on(
                "request",
                lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None,
            )
            page.goto(server.url + "/")
            page.wait_for_selector("body[data-ready=true]")
            page.select_option("#examples", "projects-with-funders")
            assert "rg:Funding" in page.input_value("#query")
            page.click("#run")
            page.wait_for_selector("#results table tbody tr")
            table = page.inner_text("#results table")
            assert "Battery Region" in table and "Interreg Nord" in table
            page.fill("#query", "SELECT WHERE {")
            page.click("#run")
            page.wait_for_selector("#error:not([hidden])")
            assert "400" in page.inner_text("#error")
        finally:
            browser.close()
    # the one expected console error is the browser noting the deliberate 400
    assert [e for e in errors if "status of 400" not in e] == []
    assert outside == []
