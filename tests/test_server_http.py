"""The HTTP side of the server under abuse: malformed requests get a 4xx with a reason,
slow clients are cut off, the Host header is checked, CORS/OPTIONS answer for read-only
use, and cheap queries keep answering while heavy ones run (real concurrent clients)."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse

import pytest

from conftest import http, start_server

pytestmark = pytest.mark.server

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "SELECT ?x WHERE { BIND(42 AS ?x) }"
TIMEOUT_S = 4.0


@pytest.fixture(scope="module")
def tight(built):
    """A server with short socket deadlines: 1 s for a request head, a body, an idle
    keep-alive connection; two main workers and one lane worker."""
    server = start_server(
        built.store.path,
        timeout_s=TIMEOUT_S,
        lane_s=1.0,
        workers=2,
        lane_workers=1,
        header_timeout_s=1.0,
        body_timeout_s=1.0,
        keep_alive_s=1.0,
    )
    yield server
    server.shutdown()
    server.server_close()


def raw(server, data: bytes, *, wait_s: float = 5.0, close_write: bool = False) -> bytes:
    """Send raw bytes on a new connection; everything the server sends back until it
    closes the connection (or ``wait_s`` passes)."""
    host, port = server.sockets[0].getsockname()[:2]
    with socket.create_connection((host, port), timeout=wait_s) as sock:
        sock.sendall(data)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def head(host: str, path: str, extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n".encode()


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/id/%FF%FE", b"UTF-8"), ("/assets/%00", b"UTF-8"), ("/id/a%0Ab", b"UTF-8")],
)
def test_bad_paths_get_400_with_a_reason(tight, path, reason):
    answer = raw(tight, head("127.0.0.1", path))
    assert status_of(answer) == 400 and reason in answer


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", "12, 13"])
def test_bad_content_length_gets_400(tight, length):
    request = (
        "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/sparql-query\r\n"
        f"Content-Length: {length}\r\n\r\nASK {{}}"
    ).encode()
    started = time.monotonic()
    answer = raw(tight, request)
    assert status_of(answer) == 400 and b"Invalid HTTP request" in answer
    assert time.monotonic() - started < 2


def test_a_body_shorter_than_its_length_gets_408_not_a_hung_request(tight):
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK {}"
    )
    started = time.monotonic()
    answer = raw(tight, request, wait_s=6)
    waited = time.monotonic() - started
    assert status_of(answer) == 408 and b"did not arrive within 1 s" in answer
    assert waited < 3


def test_a_head_that_never_ends_is_cut_off(tight):
    started = time.monotonic()
    answer = raw(tight, b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n", wait_s=6)
    assert status_of(answer) == 408 and time.monotonic() - started < 3
    started = time.monotonic()
    answer = raw(tight, b"", wait_s=6)  # a connection that sends nothing at all
    assert status_of(answer) == 408 and time.monotonic() - started < 3


def test_idle_keep_alive_connection_is_closed(tight):
    host, port = tight.sockets[0].getsockname()[:2]
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"GET /queries.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        started, data = time.monotonic(), b""
        while chunk := sock.recv(65536):
            data += chunk
        assert status_of(data) == 200 and time.monotonic() - started < 3


def test_host_header_must_name_the_server(tight):
    port = tight.sockets[0].getsockname()[1]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.2"):
        answer = raw(tight, head(host, "/queries.json"))
        assert status_of(answer) == 400 and b"Invalid host header" in answer, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
        assert status_of(raw(tight, head(host, "/queries.json"))) == 200, host


def test_cors_and_options_for_read_only_use(tight):
    query = "/sparql?" + urllib.parse.urlencode({"query": CHEAP})
    status, headers, _ = http(tight.url, query, headers={"Origin": "http://other.example"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = http(
        tight.url,
        "/sparql",
        method="OPTIONS",
        headers={
            "Origin": "http://other.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert status == 200
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "PUT" not in headers["Access-Control-Allow-Methods"]
    status, headers, _ = http(tight.url, "/sparql", method="OPTIONS")
    assert status == 204 and headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    status, _, body = http(tight.url, "/sparql", method="PUT", data=b"x")
    assert status == 405 and b"read-only" in body


def post(server, query: str) -> tuple[int, float, bytes]:
    started = time.monotonic()
    status, _, body = http(
        server.url,
        "/sparql",
        data=query.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    return status, time.monotonic() - started, body


def test_cheap_queries_answer_while_two_heavy_ones_run(tight):
    heavy: list = []
    threads = [threading.Thread(target=lambda: heavy.append(post(tight, HEAVY))) for _ in (1, 2)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # both main workers are now busy with a heavy query
    cheap = [post(tight, CHEAP) for _ in range(5)]
    for thread in threads:
        thread.join(30)
    # the heavy ones ran to the full limit on the main workers …
    assert [h[0] for h in heavy] == [503, 503] and all(h[1] >= TIMEOUT_S - 0.5 for h in heavy)
    # … while every cheap one answered through the lane, well before that limit
    for status, took, body in cheap:
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "42"
        assert took < 1.0, took


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_regiongraph_serve_starts_answers_and_stops(built, stop):
    """`regiongraph serve` itself: it prints its address, answers, and on Ctrl-C or
    SIGTERM stops cleanly, leaving no partner copy of the store behind."""
    import os
    import re
    import signal
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    def copies() -> set[Path]:
        return set(Path(tempfile.gettempdir()).glob("regiongraph-partner-*"))

    before = copies()
    command = [sys.executable, "-m", "regiongraph.cli", "serve", "--port", "0"]
    command += ["--build-dir", str(built.store.path.parent)]
    env = {**os.environ, "COLUMNS": "200"}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    try:
        url = None
        for line in process.stderr:
            if match := re.search(r"(http://127\.0\.0\.1:\d+)/sparql", line):
                url = match.group(1)
                break
        assert url, "no address printed"
        assert len(copies() - before) == 1  # the partner copy the workers query
        status, _, body = http(
            url, "/sparql?query=ASK%7B%7D", headers={"Accept": "application/json"}
        )
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        process.send_signal(getattr(signal, stop))
        assert process.wait(30) == 0
    assert copies() - before == set()
