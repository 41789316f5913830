"""Publish the graph to any store that speaks the SPARQL 1.1 Graph Store Protocol.

Each named graph is sent with one ``PUT {endpoint}?graph={iri}`` (N-Triples body):
the protocol defines PUT as "replace the graph with this content", which Oxigraph,
Fuseki, GraphDB and Virtuoso apply in one transaction, so a release's graph is
replaced atomically and re-publishing never duplicates triples. The default graph (the
de-duplicated union the queries see) is sent last with ``PUT {endpoint}?default``, so
a reader never sees the union ahead of the graphs it is made from.

With ``prune``, release graphs the partner's store holds but the local store no longer
has (a release deleted since the last publish) are removed with ``DELETE ?graph=`` before
the default graph is sent. The protocol cannot list graphs, so they are found through the
store's SPARQL query endpoint; only graphs under this dataset's release-graph prefix are
ever deleted, never a graph of the partner's own.

Only the standard library's HTTP client is used; an optional user and password are sent
as HTTP Basic authentication.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from regiongraph.graph.store import GraphStore
from regiongraph.publish.dumps import named_graph_quads, partner_quads

N_TRIPLES = "application/n-triples"


class PublishError(RuntimeError):
    """The store refused a graph (``status``: its HTTP status) or could not be reached."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class PublishResult:
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI ("" = default) -> triples
    removed: list[str] = field(default_factory=list)  # stale release graphs deleted (prune)


@dataclass(frozen=True)
class GraphStoreClient:
    """A minimal SPARQL 1.1 Graph Store HTTP Protocol client (PUT and GET)."""

    endpoint: str
    user: str | None = None
    password: str | None = None
    timeout: float = 120.0

    def _url(self, graph: str | None) -> str:
        query = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
        separator = "&" if "?" in self.endpoint else "?"
        return f"{self.endpoint}{separator}{query}"

    def _request(self, method: str, graph: str | None, body: bytes | None = None, **headers: str):
        request = urllib.request.Request(self._url(graph), data=body, method=method)
        for name, value in headers.items():
            request.add_header(name.replace("_", "-"), value)
        if self.user is not None:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        target = "the default graph" if graph is None else f"graph <{graph}>"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            raise PublishError(
                f"{method} {target} at {self.endpoint}: HTTP {exc.code} {exc.reason}: {detail}",
                exc.code,
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise PublishError(f"{method} {target} at {self.endpoint}: {exc}") from exc

    def put(self, graph: str | None, triples: Iterable[ox.Triple]) -> int:
        """Replace one graph (``None``: the default graph) with the triples; their count."""
        triples = list(triples)
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        self._request("PUT", graph, body, Content_Type=N_TRIPLES)
        return len(triples)

    def delete(self, graph: str) -> None:
        """Remove one named graph (one the store does not have is not an error)."""
        try:
            self._request("DELETE", graph)
        except PublishError as exc:
            if exc.status != 404:
                raise

    def get(self, graph: str | None) -> list[ox.Triple]:
        """The triples of one graph as the store holds them."""
        _, body = self._request("GET", graph, Accept=N_TRIPLES)
        return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


def remote_graphs(query_endpoint: str, prefix: str, client: GraphStoreClient) -> set[str]:
    """The named graphs under ``prefix`` that the store behind ``query_endpoint`` holds."""
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    literal = ox.Literal(prefix)
    sparql = SPARQLWrapper(query_endpoint)
    sparql.setQuery(
        # GRAPH ?g {} lists the named graphs without reading their triples
        f"SELECT ?g WHERE {{ GRAPH ?g {{}} FILTER(STRSTARTS(STR(?g), {literal})) }}"
    )
    sparql.setReturnFormat(JSON)
    sparql.setTimeout(int(client.timeout))
    if client.user is not None:
        sparql.setCredentials(client.user, client.password or "")
    try:
        rows = sparql.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    except (SPARQLWrapperException, urllib.error.URLError, OSError, KeyError, TypeError) as exc:
        raise PublishError(f"cannot list the graphs at {query_endpoint}: {exc}") from exc
    return {row["g"]["value"] for row in rows}


def publish(
    store: GraphStore,
    client: GraphStoreClient,
    *,
    releases: Iterable[str] | None = None,
    include_contact_details: bool = False,
    progress: Callable[[str], None] | None = None,
    prune_via: str | None = None,
) -> PublishResult:
    """PUT every named graph (or only the given releases' graphs), then the default graph.

    ``prune_via``: the SPARQL query endpoint of the same store; release graphs it lists
    that the local store does not have are deleted (before the default graph is sent).
    """
    say = progress or (lambda _message: None)
    wanted: set[str] | None = None
    if releases is not None:
        known = store.release_graphs()
        missing = sorted(set(releases) - set(known))
        if missing:
            raise PublishError(f"no release graph for: {', '.join(missing)}")
        wanted = {known[r] for r in releases}
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in partner_quads(named_graph_quads(store), include_contact_details):
        graph = quad.graph_name.value
        if wanted is None or graph in wanted:
            by_graph.setdefault(graph, []).append(quad.triple)
    if wanted:
        for graph in wanted:
            by_graph.setdefault(graph, [])
    result = PublishResult()
    for graph in sorted(by_graph):
        say(graph)
        result.graphs[graph] = client.put(graph, by_graph[graph])
    if prune_via is not None:
        say("stale release graphs")
        prefix = f"{store.minter.base}/graph/release/"
        local = set(store.release_graphs().values())
        for graph in sorted(remote_graphs(prune_via, prefix, client) - local):
            say(f"removing {graph}")
            client.delete(graph)
            result.removed.append(graph)
    say("default graph")
    default = (
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
        for q in store.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    )
    result.graphs[""] = client.put(
        None, (q.triple for q in partner_quads(default, include_contact_details))
    )
    return result
