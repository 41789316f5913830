"""The embedded store: one named graph per release, and a de-duplicated union beside them.

Layout (docs/data-model.md): each release's facts live in ``{base}/graph/release/{id}``;
ontology, reference data and canonical actors in their own graphs; the *default graph*
holds one de-duplicated copy of everything, so analyst queries stay fast (pyoxigraph's
union-of-named-graphs mode counts a triple once per graph and blows up joins).

Replacing a graph is one SPARQL Update, and oxigraph applies an update as a
transaction: the new triples are staged in a scratch graph first, then a single update
drops the old graph, removes from the default graph what no other graph still holds,
moves the staged graph in place and adds its triples to the default graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from regiongraph.vocab import RG, IriMinter

_STAGING_SUFFIX = "/staging"


class StoreError(RuntimeError):
    """The store could not be opened or written."""


def _iri(node: str) -> str:
    return str(ox.NamedNode(node))  # validated and escaped by pyoxigraph


class GraphStore:
    """A pyoxigraph store with the regiongraph graph layout."""

    def __init__(self, path: Path | None = None, minter: IriMinter | None = None) -> None:
        self.path = path
        self.minter = minter or IriMinter()
        try:
            if path is None:
                self.store = ox.Store()
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    # -- writing -------------------------------------------------------------------------

    def replace_graph(self, graph_iri: str, nquads: str | bytes) -> None:
        """Atomically make ``graph_iri`` hold exactly the given triples (N-Triples/N-Quads).

        Quads in the input are moved into ``graph_iri`` whatever graph they name.
        """
        ox.NamedNode(graph_iri)
        staging = ox.NamedNode(graph_iri + _STAGING_SUFFIX)
        if self.store.contains_named_graph(staging):
            self.store.remove_graph(staging)
        quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
        self.store.extend(ox.Quad(q.subject, q.predicate, q.object, staging) for q in quads)
        self.store.update(_replace_update(graph_iri, staging.value))

    def remove_graph(self, graph_iri: str) -> bool:
        """Drop a graph and the default-graph triples only it supported."""
        graph = ox.NamedNode(graph_iri)
        if not self.store.contains_named_graph(graph):
            return False
        self.store.update(_remove_update(graph_iri))
        return True

    def bulk_load_releases(self, nquads_chunks: Iterable[str]) -> None:
        """Fast path for an empty store: load release graphs and their union in bulk."""
        for chunk in nquads_chunks:
            self.store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
            triples = (
                ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                for q in ox.parse(chunk, format=ox.RdfFormat.N_QUADS)
            )
            self.store.bulk_extend(triples)

    def flush(self) -> None:
        self.store.flush()

    def close(self) -> None:
        """Release the on-disk store (its lock) so another process or handle can open it."""
        if hasattr(self, "store"):
            self.store.flush()
            del self.store
            import gc

            gc.collect()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------

    def release_graphs(self) -> dict[str, str]:
        """Release id -> graph IRI for every release graph in the store."""
        prefix = f"{self.minter.base}/graph/release/"
        out = {}
        for graph in self.store.named_graphs():
            iri = graph.value
            if iri.startswith(prefix) and not iri.endswith(_STAGING_SUFFIX):
                out[iri[len(prefix) :]] = iri
        return out

    def release_hashes(self) -> dict[str, str]:
        """Release id -> sha256 of the file its graph was built from."""
        hashes: dict[str, str] = {}
        for graph_iri in self.release_graphs().values():
            for quad in self.store.quads_for_pattern(
                None, ox.NamedNode(str(RG.sha256)), None, ox.NamedNode(graph_iri)
            ):
                release_id = graph_iri.rsplit("/", 1)[-1]
                hashes[release_id] = quad.object.value
        return hashes

    def graph_quads(self, graph_iri: str) -> Iterator[ox.Quad]:
        return self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))

    def count(self, graph_iri: str | None = None) -> int:
        """Triples in one named graph, or in the default (union) graph."""
        graph = ox.DefaultGraph() if graph_iri is None else ox.NamedNode(graph_iri)
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, graph))

    def quad_count(self) -> int:
        return len(self.store)

    def query(self, sparql: str, **kwargs: object) -> object:
        return self.store.query(sparql, **kwargs)


def _replace_update(graph: str, staging: str) -> str:
    g, s = _iri(graph), _iri(staging)
    return f"""
DELETE {{ ?s ?p ?o }} WHERE {{
  GRAPH {g} {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {g} && ?h != {s}) }}
}} ;
DROP SILENT GRAPH {g} ;
MOVE SILENT GRAPH {s} TO GRAPH {g} ;
INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}
"""


def _remove_update(graph: str) -> str:
    g = _iri(graph)
    return f"""
DELETE {{ ?s ?p ?o }} WHERE {{
  GRAPH {g} {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {g}) }}
}} ;
DROP SILENT GRAPH {g}
"""
