"""A read-only SPARQL 1.1 Protocol endpoint, the query page and the IRI pages.

An ASGI application (Starlette) served by uvicorn on a loopback address. Queries run in
killable worker processes (``publish.workers``: pyoxigraph cannot cancel a query), with
a lane kept for cheap queries while long ones run. What the HTTP side guarantees:

- every malformed request answers 4xx with a reason (bad percent-encoding or NUL in the
  path, bad Content-Length, a body that is not UTF-8, an unknown media type), and a
  client that stops sending is cut off: a request's head must arrive within
  ``header_timeout_s``, its body within ``body_timeout_s``, idle keep-alive connections
  close after ``keep_alive_s``;
- the Host header must name an address the server serves (DNS rebinding);
- CORS for read-only use (any origin, GET/POST/HEAD/OPTIONS, no credentials);
- updates and SERVICE are refused from the parsed query (``query.safety``);
- unless started with ``include_contact_details``, queries run on a partner copy of the
  store without e-mail addresses and phone numbers (``publish.partner_store``).

The row limit is applied while results are read: the worker stops after ``max_rows``
rows (or triples) and the response says so in ``X-Regiongraph-Truncated: true``,
``X-Regiongraph-Row-Limit`` and, for SPARQL JSON, ``"truncated"``/``"rowLimit"``.
"""

from __future__ import annotations

import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import Response
from uvicorn.protocols.http.h11_impl import H11Protocol

from regiongraph.graph.store import open_read_only
from regiongraph.publish.partner_store import build_partner_copy, remove_partner_copy
from regiongraph.publish.protocol import text
from regiongraph.publish.workers import Limits, QueryPool
from regiongraph.query.library import list_queries
from regiongraph.query.remote import with_values
from regiongraph.vocab import DEFAULT_BASE

__all__ = ["ServerConfig", "SparqlServer", "serve"]

ASSETS = Path(__file__).parent / "assets"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
RDF_OFFERS = ["turtle", "ntriples", "jsonld", "rdfxml"]


@dataclass
class ServerConfig:
    store_path: Path
    base: str = DEFAULT_BASE
    host: str = "127.0.0.1"
    port: int = 8000
    timeout_s: float = 10.0
    queue_wait_s: float | None = None  # longest wait for a free worker (None: timeout_s)
    lane_s: float = 2.0  # limit for a query run while every main worker is busy
    max_rows: int = 10_000
    workers: int = 2
    lane_workers: int = 1
    keep_alive_s: float = 5.0
    header_timeout_s: float = 10.0
    body_timeout_s: float = 10.0
    viz_dir: Path | None = None
    include_contact_details: bool = False
    extra: dict = field(default_factory=dict)


REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\ncontent-length: 40\r\n\r\nthe request head did not arrive in time\n"
)


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's head: a client that
    opens a connection (or keeps one) and dribbles a head gets 408 and is cut off."""

    header_timeout_s = 10.0

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def _arm(self) -> None:
        self.loop.call_later(self.header_timeout_s, self._head_deadline, self.cycle)

    def _head_deadline(self, cycle) -> None:
        if self.cycle is cycle and not self.transport.is_closing():  # no new request began
            self.transport.write(REQUEST_TIMEOUT)
            self.transport.close()


class StrictRequests:
    """Pure ASGI guard: a path that is not UTF-8 after percent-decoding, or holds a
    control character, is refused with 400; a plain OPTIONS answers the methods."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path") or scope["path"].encode()
            try:
                path = urllib.parse.unquote_to_bytes(raw).decode("utf-8")
                if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
                    raise ValueError("control character")
            except ValueError:
                reply = text(400, "the path is not valid percent-encoded UTF-8 text")
                return await reply(scope, receive, send)
            if scope["method"] == "OPTIONS":
                allow = "GET, HEAD, POST, OPTIONS"
                return await Response(status_code=204, headers={"Allow": allow})(
                    scope, receive, send
                )
        await self.app(scope, receive, send)


class SparqlServer:
    """The application, its worker pool and its uvicorn server (not yet serving)."""

    def __init__(self, config: ServerConfig) -> None:
        from regiongraph.publish.deref import ResourcePages

        if config.host not in LOOPBACK:
            raise ValueError("the server binds to the loopback interface only (127.0.0.1)")
        self.config = config
        self.store = open_read_only(config.store_path)
        self.partner_path: Path | None = None
        query_store = config.store_path
        if not config.include_contact_details:
            self.partner_path = query_store = build_partner_copy(config.store_path)
        try:
            self.pool = QueryPool(query_store, config.workers, config.lane_workers)
        except BaseException:
            if self.partner_path is not None:
                remove_partner_copy(self.partner_path)
            raise
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
        self.app = self._application()
        self.server = self._uvicorn()
        self.thread: threading.Thread | None = None

    # -- wiring
    def _application(self) -> Starlette:
        from regiongraph.publish.routes import routes  # routes name this class in types

        hosts = sorted({*LOOPBACK, self.config.host, "[::1]"})
        middleware = [
            Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=["X-Regiongraph-Truncated", "X-Regiongraph-Row-Limit"],
                max_age=600,
            ),
            Middleware(StrictRequests),
        ]
        return Starlette(routes=routes(self), middleware=middleware)

    def _uvicorn(self) -> uvicorn.Server:
        protocol = type(
            "Protocol", (TimedH11Protocol,), {"header_timeout_s": self.config.header_timeout_s}
        )
        config = uvicorn.Config(
            self.app,
            host=self.config.host,
            port=self.config.port,
            http=protocol,
            lifespan="off",
            timeout_keep_alive=self.config.keep_alive_s,  # type: ignore[arg-type]
            access_log=False,
            log_level="warning",
        )
        server = uvicorn.Server(config)
        # bind now so that the port is known (port 0: any free port)
        config.load()
        self.sockets = [config.bind_socket()]
        self.sockets[0].listen(config.backlog)  # connections wait in the backlog until served
        return server

    @property
    def url(self) -> str:
        host, port = self.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    @property
    def limits(self) -> Limits:
        config = self.config
        wait = config.timeout_s if config.queue_wait_s is None else config.queue_wait_s
        return Limits(config.timeout_s, wait, min(config.lane_s, config.timeout_s))

    # -- running
    def serve_forever(self) -> None:
        self.server.run(sockets=self.sockets)

    def start(self) -> SparqlServer:
        """Serve in a background thread; returns when the server accepts connections."""
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()
        while not self.server.started and self.thread.is_alive():
            threading.Event().wait(0.02)
        return self

    def shutdown(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(10)

    def server_close(self) -> None:
        for sock in self.sockets:
            sock.close()
        self.pool.close()
        if self.partner_path is not None:
            remove_partner_copy(self.partner_path)


def serve(config: ServerConfig) -> SparqlServer:
    """A bound-but-not-serving server (``start()`` or ``serve_forever()``)."""
    return SparqlServer(config)
