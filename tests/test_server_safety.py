"""SERVICE and updates are refused from the parsed query: escapes, nesting and SILENT
cannot hide a SERVICE clause, and a real listener on 127.0.0.1 receives nothing."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import urllib.parse

import pytest

from conftest import http
from regiongraph.query.safety import QueryRefused, check_query

pytestmark = pytest.mark.server


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 recording every connection it receives."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            conn.settimeout(1)
            try:
                received.append(conn.recv(4096) or b"(connected)")
            except TimeoutError:
                received.append(b"(connected)")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], received
    stop.set()
    thread.join(2)
    sock.close()


def service_forms(port: int) -> dict[str, str]:
    s = f"<http://127.0.0.1:{port}/s>"
    e = "PREFIX e: <http://x/> "
    one = "BIND(1 AS ?x)"
    return {
        "escaped-hash": e + f"SELECT * WHERE {{ BIND(e:x\\# AS ?z) SERVICE {s} {{ ?s ?p ?o }} }}",
        "escaped-quote": e
        + f"SELECT * WHERE {{ BIND(e:a\\'b AS ?z) SERVICE {s} {{ ?s ?p ?o }} }} # '",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT {s} {{ ?s ?p ?o }} }}",
        "sub-query": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE {s} {{ ?s ?p ?o }} }} }} }}",
        "optional": f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE {s} {{ ?s ?p ?o }} }} }}",
        "union": f"SELECT * WHERE {{ {{ BIND(1 AS ?x) }} UNION {{ SERVICE {s} {{ ?s ?p ?o }} }} }}",
        "minus": f"SELECT * WHERE {{ BIND(1 AS ?x) MINUS {{ SERVICE {s} {{ ?x ?p ?o }} }} }}",
        "exists": f"SELECT * WHERE {{ {one} FILTER EXISTS {{ SERVICE {s} {{ ?s ?p ?o }} }} }}",
        "not-exists": (
            f"SELECT * WHERE {{ BIND(1 AS ?x) FILTER NOT EXISTS {{ SERVICE {s} {{ ?s ?p ?o }} }} }}"
        ),
        "graph": f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE {s} {{ ?s ?p ?o }} }} }}",
        "ask": f"ASK {{ SERVICE {s} {{ ?s ?p ?o }} }}",
        "construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE {s} {{ ?s ?p ?o }} }}",
        "lower-case": f"select * where {{ service silent {s} {{ ?s ?p ?o }} }}",
    }


def test_every_service_form_is_refused_and_nothing_reaches_the_listener(endpoint, listener):
    port, received = listener
    for name, query in service_forms(port).items():
        for method in ("GET", "POST"):
            if method == "GET":
                path = "/sparql?" + urllib.parse.urlencode({"query": query})
                status, _, body = http(endpoint.url, path)
            else:
                status, _, body = http(
                    endpoint.url,
                    "/sparql",
                    data=query.encode(),
                    headers={"Content-Type": "application/sparql-query"},
                )
            assert 400 <= status < 500, (name, method, status, body)
            assert b"SERVICE" in body or b"malformed" in body, (name, body)
    assert received == []


def test_the_escape_forms_are_read_as_service_by_the_parser():
    """The escapes that fooled the keyword scanner are parsed: the refusal is 403 SERVICE
    where rdflib reads the query, and a parse error (400) where it cannot."""
    forms = service_forms(9)
    with pytest.raises(QueryRefused) as refused:
        check_query(forms["escaped-quote"])
    assert refused.value.status == 403 and "SERVICE" in refused.value.message
    for name in ("silent", "sub-query", "optional", "union", "minus", "exists", "not-exists"):
        with pytest.raises(QueryRefused) as refused:
            check_query(forms[name])
        assert refused.value.status == 403, name
    # the words alone are harmless
    text = '# SERVICE\nSELECT ?service WHERE { BIND("SERVICE <http://e/>" AS ?service) }'
    assert check_query(text).form == "SELECT"


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "DROP GRAPH <http://e/g>",
        "LOAD <http://127.0.0.1:9/x>",
        "PREFIX e: <http://x/> INSERT { e:a\\#b e:p 1 } WHERE {}",
    ],
)
def test_updates_are_refused_from_the_parse(endpoint, update):
    status, _, body = http(
        endpoint.url,
        "/sparql",
        data=urllib.parse.urlencode({"query": update}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403 and b"read-only" in body


def test_a_query_100000_braces_deep_is_400_with_a_reason(endpoint):
    deep = "SELECT * WHERE " + "{" * 100_000 + "}" * 100_000
    status, _, body = http(
        endpoint.url,
        "/sparql",
        data=deep.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 400 and b"nested too deeply" in body
    status, _, body = http(endpoint.url, "/sparql?query=ASK%7B%7D")
    assert status == 200  # the worker survived


def test_cli_query_on_a_deep_file_exits_with_a_clear_error(built, tmp_path):
    path = tmp_path / "deep.rq"
    path.write_text("SELECT * WHERE " + "{" * 100_000 + "}" * 100_000 + "\n")
    update = tmp_path / "update.rq"
    update.write_text("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }\n")
    for file, words in ((path, "nested too deeply"), (update, "SPARQL Update")):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "regiongraph.cli",
                "query",
                str(file),
                "--build-dir",
                str(built.store.path.parent),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2, result.stderr
        said = " ".join(result.stderr.split())  # rich wraps long lines
        assert words in said and file.name in result.stderr.replace("\n", "")
