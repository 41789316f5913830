"""SHACL over what is already in the store: each release graph and the reference graph.

Per graph, without inference: validation time grows linearly with the releases, and a
report names the graph it is about.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from regiongraph.store import GraphStore
from regiongraph.validate import ValidationReport, load_shapes, validate_graph
from regiongraph.vocab import IriMinter


def graph_from_store(store: GraphStore, graph_iri: str) -> Graph:
    """One named graph of the store as an rdflib Graph (for pyshacl)."""
    data = store.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri))
    g = Graph()
    g.parse(data=data.decode("utf-8") if isinstance(data, bytes) else data, format="nt")
    return g


def validate_store(
    store_path: Path,
    base: str,
    on_total: Callable[[int], None] = lambda n: None,
    on_step: Callable[[], None] = lambda: None,
) -> dict[str, ValidationReport]:
    minter = IriMinter(base)
    store = GraphStore(store_path, minter)
    shapes = load_shapes()
    graphs = [str(minter.graph("reference")), *sorted(store.release_graphs().values())]
    on_total(len(graphs))
    reports = {}
    for iri in graphs:
        reports[iri] = validate_graph(graph_from_store(store, iri), shapes)
        on_step()
    return reports
