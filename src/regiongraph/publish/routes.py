"""The endpoints of the server: /sparql (SPARQL 1.1 Protocol), the query page and its
assets, the IRI pages (/id/…, /graph/…), /ontology, /dataset and /viz/."""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from regiongraph.publish.negotiation import negotiate
from regiongraph.publish.protocol import HttpError, protocol_request, text
from regiongraph.publish.server import ASSETS, RDF_OFFERS
from regiongraph.publish.workers import PoolBusy, QueryTimeout

if TYPE_CHECKING:
    from regiongraph.publish.server import SparqlServer

Handler = Callable[[Request], Awaitable[Response]]
PAGE_OFFERS = ["html", *RDF_OFFERS]
READ_ONLY = "GET, HEAD, POST, OPTIONS"


def chosen(request: Request, offers: list[str], what: str) -> str:
    """The negotiated format, or 406 naming what ``what`` comes as (with Vary)."""
    fmt = negotiate(request.headers.get("accept"), offers)
    if fmt is None:
        names = {"html": "HTML", "turtle": "Turtle", "ntriples": "N-Triples"}
        names |= {"jsonld": "JSON-LD", "rdfxml": "RDF/XML"}
        listed = ", ".join(names[o] for o in offers[:-1]) + f" or {names[offers[-1]]}"
        raise HttpError(406, f"{what} comes as {listed}", Vary="Accept")
    return fmt


def guarded(handler: Handler) -> Handler:
    """HttpError raised while answering becomes a plain-text answer with its reason."""

    @functools.wraps(handler)
    async def answer(request: Request) -> Response:
        try:
            return await handler(request)
        except HttpError as exc:
            return text(exc.status, exc.message, **exc.headers)

    return answer


class Endpoints:
    def __init__(self, server: SparqlServer) -> None:
        self.server = server
        self.config = server.config

    @property
    def endpoint(self) -> str:
        return self.server.url + "/sparql"

    async def sparql(self, request: Request) -> Response:
        if request.method not in {"GET", "HEAD", "POST"}:
            return text(405, "this endpoint is read-only: GET or POST a query", Allow=READ_ONLY)
        params = await protocol_request(request, self.config.body_timeout_s)
        if "query" not in params:
            if request.method == "POST":
                raise HttpError(400, "the request has no 'query'")
            return self.service_description(request)
        formats = [f for key in ("format", "output", "results") for f in params.get(key, [])]
        job = {
            "query": params["query"][0],
            "accept": request.headers.get("accept"),
            "formats": formats,
            "max_rows": self.config.max_rows,
            "default_graph": params.get("default-graph-uri"),
            "named_graphs": params.get("named-graph-uri"),
            "base_iri": self.endpoint,
        }
        try:
            answer = await run_in_threadpool(self.server.pool.run, job, self.server.limits)
        except PoolBusy as exc:
            retry = str(max(1, round(self.config.timeout_s)))
            return text(503, f"server busy: {exc}", **{"Retry-After": retry})
        except QueryTimeout as exc:
            return text(503, f"query stopped: {exc}")
        if answer["status"] != 200:
            return text(answer["status"], answer["message"], Vary="Accept")
        headers = {"X-Regiongraph-Row-Limit": str(self.config.max_rows), "Vary": "Accept"}
        if answer["truncated"]:
            headers["X-Regiongraph-Truncated"] = "true"
        media = answer["type"]
        if media.startswith("text/") or media.endswith("+json"):
            media += "; charset=utf-8"
        return Response(answer["body"], 200, headers, media_type=media)

    def service_description(self, request: Request) -> Response:
        """HTML (the query page) for a browser, the SPARQL Service Description for RDF."""
        from regiongraph.publish.deref import CONTENT_TYPES, serialize_graph
        from regiongraph.publish.service import service_description

        fmt = chosen(request, [*RDF_OFFERS, "html"], "the service")
        if fmt == "html":
            return FileResponse(ASSETS / "query.html", headers={"Vary": "Accept"})
        graph = service_description(self.endpoint, self.config.base + "/dataset")
        body = serialize_graph(graph, fmt)
        return Response(body, headers={"Vary": "Accept"}, media_type=CONTENT_TYPES[fmt])

    async def home(self, request: Request) -> Response:
        return FileResponse(ASSETS / "query.html")

    async def library(self, request: Request) -> Response:
        body = json.dumps(self.server.library, ensure_ascii=False)
        return Response(body, media_type="application/json")

    async def context(self, request: Request) -> Response:
        from regiongraph.publish.dumps import jsonld_context

        return Response(json.dumps(jsonld_context(), indent=2), media_type="application/ld+json")

    async def dataset(self, request: Request) -> Response:
        fmt = chosen(request, RDF_OFFERS, "the description")
        body, media = await run_in_threadpool(self.server.pages.dataset, fmt, self.endpoint)
        return Response(body, headers={"Vary": "Accept"}, media_type=media)

    async def ontology(self, request: Request) -> Response:
        from regiongraph.paths import ontology_dir
        from regiongraph.publish.deref import CONTENT_TYPES, serialize
        from regiongraph.publish.describe import ontology_html

        source = ontology_dir() / "regiongraph.ttl"
        fmt = chosen(request, PAGE_OFFERS, "the ontology")
        if fmt == "html":
            body = ontology_html(source).encode("utf-8")
        else:
            import pyoxigraph as ox

            triples = [q.triple for q in ox.parse(path=source, format=ox.RdfFormat.TURTLE)]
            body = serialize(triples, fmt)
        return Response(body, headers={"Vary": "Accept"}, media_type=CONTENT_TYPES[fmt])

    async def resource(self, request: Request) -> Response:
        fmt = chosen(request, PAGE_OFFERS, "a resource")
        iri = self.config.base + request.scope["path"]
        answer = await run_in_threadpool(self.server.pages.render, iri, fmt)
        if answer is None:
            raise HttpError(404, f"no resource <{iri}> in the graph", Vary="Accept")
        body, media = answer
        return Response(body, headers={"Vary": "Accept"}, media_type=media)


def routes(server: SparqlServer) -> list[BaseRoute]:
    e = Endpoints(server)
    get = ["GET"]
    table: list[BaseRoute] = [
        Route("/sparql", guarded(e.sparql), methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/sparql/", guarded(e.sparql), methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/", e.home, methods=get),
        Route("/index.html", e.home, methods=get),
        Route("/queries.json", e.library, methods=get),
        Route("/context.jsonld", e.context, methods=get),
        Route("/dataset", guarded(e.dataset), methods=get),
        Route("/.well-known/void", guarded(e.dataset), methods=get),
        Route("/ontology", guarded(e.ontology), methods=get),
        Route("/ontology/", guarded(e.ontology), methods=get),
        Route("/id/{rest:path}", guarded(e.resource), methods=get),
        Route("/graph/{rest:path}", guarded(e.resource), methods=get),
        Mount("/assets", StaticFiles(directory=ASSETS)),
    ]
    if server.config.viz_dir is not None:
        table.append(
            Mount("/viz", StaticFiles(directory=server.config.viz_dir, check_dir=False, html=True))
        )
    return table
