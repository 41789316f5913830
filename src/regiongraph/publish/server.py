"""A read-only SPARQL 1.1 Protocol endpoint, the query page and the IRI pages.

Framework: the standard library's ``http.server.ThreadingHTTPServer``. The endpoint
needs routing for a handful of paths, content negotiation and streaming of small
bodies; the standard library does that with no new dependency, and no framework would
help with the hard part (stopping a runaway query).

Queries run in worker *processes* (``multiprocessing``, spawn), each holding the store
opened with ``pyoxigraph.Store.read_only``. pyoxigraph evaluates ORDER BY / GROUP BY
inside ``query()`` and offers no cancellation, so a thread could not be stopped; a
process can. The request thread waits for the worker's answer for at most the time
limit; when time is up the worker is killed, a fresh one takes its place, and the client
gets ``503`` with a message saying the limit. The row limit is applied while results are
read: the worker stops after ``max_rows`` rows (or triples) and the response says so in
the ``X-Regiongraph-Truncated: true`` header, ``X-Regiongraph-Row-Limit``, and for
SPARQL JSON results in two extra top-level members, ``"truncated": true`` and
``"rowLimit": N`` (extra members are allowed and ignored by standard clients).

Refused (``403``, with a message): SPARQL Update (``update=`` forms,
``application/sparql-update`` bodies, or a query text that is an update: pyoxigraph's
query parser rejects it and the lexer of ``regiongraph.query.library`` names the keyword), and
SERVICE (federated query), detected with that lexer so that the word inside a comment,
a string or an IRI does not count. Malformed queries get ``400`` with the parser's
message.
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing as mp
import queue
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from regiongraph.query.library import list_queries, update_keywords, uses_service
from regiongraph.query.remote import with_values
from regiongraph.vocab import DEFAULT_BASE

ASSETS = Path(__file__).parent / "assets"

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
_ALIASES = {
    "application/json": "json",
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}


@dataclass
class ServerConfig:
    store_path: Path
    base: str = DEFAULT_BASE
    host: str = "127.0.0.1"
    port: int = 8000
    timeout_s: float = 10.0
    queue_wait_s: float | None = None  # longest wait for a free worker (None: timeout_s)
    max_rows: int = 10_000
    workers: int = 2
    viz_dir: Path | None = None
    include_contact_details: bool = False
    extra: dict = field(default_factory=dict)


# -- negotiation ---------------------------------------------------------------------------


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal q)."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(f[2:])
        ranges.append((fields[0].lower(), q, i))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges if q > 0]


def negotiate(header: str | None, offers: list[str]) -> str | None:
    """The first offered short name (json, turtle, html…) the Accept header allows."""
    types = {**_ALIASES, "text/html": "html", "application/xhtml+xml": "html"}
    for media, _ in parse_accept(header):
        if media == "*/*":
            return offers[0]
        if media.endswith("/*"):
            major = media[:-1]
            for offer in offers:
                if any(t.startswith(major) and s == offer for t, s in types.items()):
                    return offer
            continue
        short = types.get(media)
        if short in offers:
            return short
    return None


# -- the worker process ----------------------------------------------------------------------


def _sparql_json(variables, rows, truncated, limit) -> bytes:
    def term(t):
        if isinstance(t, ox.NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, ox.BlankNode):
            return {"type": "bnode", "value": t.value}
        if isinstance(t, ox.Literal):
            out = {"type": "literal", "value": t.value}
            if t.language:
                out["xml:lang"] = t.language
            elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                out["datatype"] = t.datatype.value
            return out
        return {"type": "triple", "value": str(t)}

    doc: dict = {
        "head": {"vars": variables},
        "results": {
            "bindings": [
                {v: term(r[i]) for i, v in enumerate(variables) if r[i] is not None} for r in rows
            ]
        },
    }
    if truncated:
        doc["truncated"] = True
        doc["rowLimit"] = limit
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _sparql_xml(variables, rows) -> bytes:
    from xml.sax.saxutils import escape, quoteattr

    out = io.StringIO()
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    out.write("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables))
    out.write("</head><results>")
    for r in rows:
        out.write("<result>")
        for i, v in enumerate(variables):
            t = r[i]
            if t is None:
                continue
            out.write(f"<binding name={quoteattr(v)}>")
            if isinstance(t, ox.NamedNode):
                out.write(f"<uri>{escape(t.value)}</uri>")
            elif isinstance(t, ox.BlankNode):
                out.write(f"<bnode>{escape(t.value)}</bnode>")
            else:
                attr = ""
                if t.language:
                    attr = f" xml:lang={quoteattr(t.language)}"
                elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    attr = f" datatype={quoteattr(t.datatype.value)}"
                out.write(f"<literal{attr}>{escape(t.value)}</literal>")
            out.write("</binding>")
        out.write("</result>")
    out.write("</results></sparql>\n")
    return out.getvalue().encode("utf-8")


def _sparql_csv(variables, rows, tsv: bool) -> bytes:
    import csv

    out = io.StringIO()
    if tsv:
        out.write("\t".join(f"?{v}" for v in variables) + "\n")
        for r in rows:
            out.write("\t".join("" if t is None else str(t) for t in r) + "\n")
    else:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        for r in rows:
            writer.writerow(["" if t is None else t.value for t in r])
    return out.getvalue().encode("utf-8")


def _boolean(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        text = "true" if value else "false"
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        ).encode()
    if fmt in {"csv", "tsv"}:
        return b"true\n" if value else b"false\n"
    return json.dumps({"head": {}, "boolean": value}).encode()


def evaluate(store: ox.Store, job: dict) -> dict:
    """Run one query job and serialise its answer (in the worker process)."""
    kwargs = {}
    if job.get("default_graph"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graph"]]
    if job.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    try:
        results = store.query(job["query"], **kwargs)
        limit = job["max_rows"]
        accept = job["accept"]
        if isinstance(results, ox.QuerySolutions):
            fmt = negotiate(accept, ["json", "xml", "csv", "tsv"])
            if fmt is None:
                return {"status": 406, "message": "SELECT results come as JSON, XML, CSV or TSV"}
            variables = [v.value for v in results.variables]
            rows, truncated = [], False
            for solution in results:
                if len(rows) == limit:
                    truncated = True
                    break
                rows.append([solution[v] for v in variables])
            if fmt == "json":
                body = _sparql_json(variables, rows, truncated, limit)
            elif fmt == "xml":
                body = _sparql_xml(variables, rows)
            else:
                body = _sparql_csv(variables, rows, fmt == "tsv")
            return {
                "status": 200,
                "type": RESULT_TYPES[fmt],
                "body": body,
                "truncated": truncated,
                "count": len(rows),
            }
        if isinstance(results, ox.QueryBoolean):
            fmt = negotiate(accept, ["json", "xml", "csv", "tsv"]) or "json"
            return {
                "status": 200,
                "type": RESULT_TYPES[fmt],
                "body": _boolean(bool(results), fmt),
                "truncated": False,
                "count": 1,
            }
        fmt = negotiate(accept, ["turtle", "ntriples", "jsonld", "rdfxml"])
        if fmt is None:
            return {
                "status": 406,
                "message": "graphs come as Turtle, N-Triples, JSON-LD or RDF/XML",
            }
        triples, truncated = [], False
        for triple in results:
            if len(triples) == limit:
                truncated = True
                break
            triples.append(triple)
        rdf_format = {
            "turtle": ox.RdfFormat.TURTLE,
            "ntriples": ox.RdfFormat.N_TRIPLES,
            "jsonld": ox.RdfFormat.JSON_LD,
            "rdfxml": ox.RdfFormat.RDF_XML,
        }[fmt]
        body = ox.serialize(triples, format=rdf_format) or b""
        return {
            "status": 200,
            "type": GRAPH_TYPES[fmt],
            "body": body,
            "truncated": truncated,
            "count": len(triples),
        }
    except SyntaxError as exc:
        return {"status": 400, "message": f"malformed query: {exc}"}
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return {"status": 500, "message": f"query failed: {exc}"}


def _worker_main(conn, store_path: str) -> None:
    store = ox.Store.read_only(store_path)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(evaluate(store, job))


class QueryTimeout(RuntimeError):
    pass


class PoolBusy(QueryTimeout):
    """Every query worker stayed busy for as long as the caller would wait."""


class QueryPool:
    """Worker processes, each with the store open read-only; a slow one is killed."""

    def __init__(self, store_path: Path, size: int = 2) -> None:
        self.store_path = str(store_path)
        self.context = mp.get_context("spawn")
        self.idle: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.all: list = []
        for _ in range(max(1, size)):
            self.idle.put(self._start())

    def _start(self):
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_worker_main, args=(child, self.store_path), daemon=True
        )
        process.start()
        child.close()
        with self.lock:
            self.all.append((process, parent))
        return process, parent

    def _discard(self, worker) -> None:
        process, conn = worker
        process.kill()
        process.join(5)
        conn.close()
        with self.lock:
            self.all.remove(worker)

    def run(self, job: dict, timeout_s: float, wait_s: float | None = None) -> dict:
        """The answer to ``job``; waits at most ``wait_s`` (default ``timeout_s``) for a
        free worker, so a saturated server answers 503 instead of holding every request."""
        wait = timeout_s if wait_s is None else wait_s
        try:
            worker = self.idle.get(timeout=wait)
        except queue.Empty:
            raise PoolBusy(
                f"every query worker is busy; none became free within {wait:g} s"
            ) from None
        _, conn = worker
        try:
            conn.send(job)
            if not conn.poll(timeout_s):
                self._discard(worker)
                worker = self._start()
                raise QueryTimeout(f"the query ran longer than the limit of {timeout_s:g} s")
            return conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._discard(worker)
            worker = self._start()
            return {"status": 500, "message": f"query worker failed: {exc}"}
        finally:
            self.idle.put(worker)

    def close(self) -> None:
        with self.lock:
            workers = list(self.all)
        for process, conn in workers:
            with contextlib.suppress(OSError):
                conn.send(None)
            process.join(2)
            if process.is_alive():
                process.kill()
                process.join(2)
            conn.close()


# -- the HTTP side ---------------------------------------------------------------------------


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, config: ServerConfig) -> None:
        from regiongraph.publish.deref import ResourcePages

        if config.host not in {"127.0.0.1", "localhost", "::1"}:
            raise ValueError("the server binds to the loopback interface only (127.0.0.1)")
        self.config = config
        self.store = ox.Store.read_only(str(config.store_path))
        self.pool = QueryPool(config.store_path, config.workers)
        super().__init__((config.host, config.port), Handler)
        self.pages = ResourcePages(
            self.store, config.base, include_contact_details=config.include_contact_details
        )
        self.library = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "params": [
                    {"name": p.name, "kind": p.kind, "default": p.default} for p in q.params
                ],
                "text": with_values(q, {}),  # defaults bound, ready to run
            }
            for q in list_queries()
        ]

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


class Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "regiongraph"

    def log_message(self, format: str, *args) -> None:  # quiet: errors go to stderr below
        pass

    # -- helpers
    def send_body(self, status: int, content_type: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error_text(self, status: int, message: str, **headers: str) -> None:
        body = (message + "\n").encode("utf-8")
        self.send_body(status, "text/plain; charset=utf-8", body, **headers)

    # -- routing
    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        path = url.path
        if path == "/sparql":
            if "update" in params:
                return self.refuse_update()
            if "query" not in params:
                return self.serve_asset("query.html")
            return self.sparql(params["query"][0], params)
        if path in {"/", "/index.html"}:
            return self.serve_asset("query.html")
        if path.startswith("/assets/"):
            return self.serve_asset(path[len("/assets/") :])
        if path == "/queries.json":
            body = json.dumps(self.server.library, ensure_ascii=False).encode("utf-8")
            return self.send_body(200, "application/json", body)
        if path == "/context.jsonld":
            from regiongraph.publish.dumps import jsonld_context

            body = json.dumps(jsonld_context(), indent=2).encode("utf-8")
            return self.send_body(200, "application/ld+json", body)
        if path.startswith("/viz/") and self.server.config.viz_dir:
            return self.serve_file(self.server.config.viz_dir, path[len("/viz/") :])
        if path in {"/dataset", "/.well-known/void"}:
            return self.dataset()
        if path in {"/ontology", "/ontology/"}:
            return self.ontology()
        if path.startswith(("/id/", "/graph/")):
            return self.resource(path)
        self.send_error_text(404, f"nothing at {path}")

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            return self.send_error_text(405, "POST is accepted at /sparql only")
        length = int(self.headers.get("Content-Length") or 0)
        if length > 1_000_000:
            return self.send_error_text(413, "the request body is larger than 1 MB")
        body = self.rfile.read(length).decode("utf-8", "replace")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if content_type == "application/sparql-update":
            return self.refuse_update()
        if content_type == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self.refuse_update()
            if "query" not in form:
                return self.send_error_text(400, "the form has no 'query' field")
            params.update({k: v for k, v in form.items() if k != "query"})
            return self.sparql(form["query"][0], params)
        if content_type == "application/sparql-query":
            return self.sparql(body, params)
        self.send_error_text(
            415,
            "POST a query as application/x-www-form-urlencoded (query=…) or "
            "application/sparql-query",
        )

    def do_PUT(self) -> None:
        self.refuse_update()

    do_DELETE = do_PUT
    do_PATCH = do_PUT

    # -- endpoints
    def refuse_update(self) -> None:
        self.send_error_text(403, "SPARQL Update is not allowed: this endpoint is read-only")

    def sparql(self, query: str, params: dict) -> None:
        if uses_service(query):
            return self.send_error_text(
                403, "SERVICE (federated query) is not allowed on this endpoint"
            )
        accept = self.headers.get("Accept")
        if "format" in params:
            fmt = params["format"][0]
            accept = RESULT_TYPES.get(fmt) or GRAPH_TYPES.get(fmt) or fmt
        job = {
            "query": query,
            "accept": accept,
            "max_rows": self.server.config.max_rows,
            "default_graph": params.get("default-graph-uri"),
            "named_graphs": params.get("named-graph-uri"),
        }
        try:
            config = self.server.config
            answer = self.server.pool.run(job, config.timeout_s, config.queue_wait_s)
        except PoolBusy as exc:
            retry = str(max(1, round(self.server.config.timeout_s)))
            return self.send_error_text(503, f"server busy: {exc}", Retry_After=retry)
        except QueryTimeout as exc:
            return self.send_error_text(503, f"query stopped: {exc}")
        if answer["status"] == 400 and update_keywords(query):
            words = ", ".join(sorted(update_keywords(query)))
            return self.send_error_text(
                403, f"SPARQL Update ({words}) is not allowed: this endpoint is read-only"
            )
        if answer["status"] != 200:
            return self.send_error_text(answer["status"], answer["message"])
        headers = {"X_Regiongraph_Row_Limit": str(self.server.config.max_rows), "Vary": "Accept"}
        if answer["truncated"]:
            headers["X_Regiongraph_Truncated"] = "true"
        content_type = answer["type"]
        if content_type.startswith("text/") or content_type.endswith("+json"):
            content_type += "; charset=utf-8"
        self.send_body(200, content_type, answer["body"], **headers)

    def serve_asset(self, name: str) -> None:
        self.serve_file(ASSETS, name)

    def serve_file(self, root: Path, name: str) -> None:
        root = root.resolve()
        target = (root / urllib.parse.unquote(name)).resolve()
        if root not in target.parents or not target.is_file():
            return self.send_error_text(404, f"no file {name}")
        types = {
            ".html": "text/html; charset=utf-8",
            ".js": "text/javascript; charset=utf-8",
            ".css": "text/css; charset=utf-8",
            ".json": "application/json",
            ".svg": "image/svg+xml",
            ".png": "image/png",
        }
        self.send_body(
            200, types.get(target.suffix, "application/octet-stream"), target.read_bytes()
        )

    def dataset(self) -> None:
        fmt = negotiate(self.headers.get("Accept"), ["turtle", "ntriples", "jsonld"])
        if fmt is None:
            return self.send_error_text(
                406, "the description comes as Turtle, N-Triples or JSON-LD"
            )
        body, content_type = self.server.pages.dataset(fmt, self.server.url + "/sparql")
        self.send_body(200, content_type, body, Vary="Accept")

    def ontology(self) -> None:
        from regiongraph.paths import ontology_dir
        from regiongraph.publish.describe import ontology_html

        source = ontology_dir() / "regiongraph.ttl"
        fmt = negotiate(self.headers.get("Accept"), ["html", "turtle"])
        if fmt == "turtle":
            return self.send_body(200, "text/turtle; charset=utf-8", source.read_bytes())
        if fmt is None:
            return self.send_error_text(406, "the ontology comes as HTML or Turtle")
        body = ontology_html(source).encode("utf-8")
        self.send_body(200, "text/html; charset=utf-8", body, Vary="Accept")

    def resource(self, path: str) -> None:
        fmt = negotiate(self.headers.get("Accept"), ["html", "turtle", "jsonld", "ntriples"])
        if fmt is None:
            return self.send_error_text(406, "resources come as HTML, Turtle, JSON-LD or N-Triples")
        iri = self.server.config.base + urllib.parse.unquote(path)
        answer = self.server.pages.render(iri, fmt)
        if answer is None:
            return self.send_error_text(404, f"no resource <{iri}> in the graph")
        body, content_type = answer
        self.send_body(200, content_type, body, Vary="Accept")


def serve(config: ServerConfig) -> SparqlServer:
    """A started-but-not-serving server (call ``serve_forever``; ``shutdown`` stops it)."""
    return SparqlServer(config)
