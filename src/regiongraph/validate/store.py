"""SHACL that scales: release graphs validated in batches and in parallel, plus whole-graph checks.

Per release, without inference: validation time grows linearly with the releases, and a
report names the graph it is about. A batch of graphs is first screened by rudof's native
engine (:mod:`regiongraph.validate.screen`, a few ms per graph); the graphs it flags are
validated again on their own by pyshacl, so every report returned is exactly
:func:`regiongraph.validate.validate_graph`'s.

:func:`validate_store` runs this over what is in the store, in worker processes: each
release graph together with the canonical descriptions (graph ``actors``) of the actors
it mentions, and the reference graph on its own. :func:`check_whole_graph` asks the
native engine what no single release can show: one municipality code on two nodes, an
actor typed both as a person and as an organisation, an actor with two canonical labels
or types.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from regiongraph.graph.store import GraphStore
from regiongraph.validate.screen import ShaclScreen
from regiongraph.validate.shapes import (
    ValidationIssue,
    ValidationReport,
    load_shapes,
    validate_graph,
)
from regiongraph.vocab import IriMinter

WHOLE_GRAPH = "whole-graph"  # the key of the whole-graph report in validate_store's result
BATCH_SIZE = 64  # release graphs per worker task
# Graphs per rudof screen: its cost per graph grows with the data it holds (measured on
# generated releases: 1.83 ms a graph in screens of 8, 1.89 of 16, 2.07 of 64, 2.87 of
# 256), and each screen has a fixed cost too.
SCREEN_SIZE = 16

_CONFORMS = ValidationReport(conforms=True, issues=())


def validate_ntriples(
    texts: Sequence[str], shapes: Graph, screen: ShaclScreen
) -> list[ValidationReport]:
    """One report per graph (N-Triples text), exactly as ``validate_graph`` gives it.

    rudof screens the batch, ``SCREEN_SIZE`` graphs at a time; pyshacl validates only the
    graphs the screen flags (all of a group when the screen cannot tell).
    """
    todo: list[int] = []
    for first in range(0, len(texts), SCREEN_SIZE):
        part = texts[first : first + SCREEN_SIZE]
        flagged = screen.flagged(part)
        todo += (
            range(first, first + len(part))
            if flagged is None
            else [first + n for n in sorted(flagged)]
        )
    reports = [_CONFORMS] * len(texts)
    for n in todo:
        reports[n] = validate_graph(Graph().parse(data=texts[n], format="nt"), shapes)
    return reports


# -- the store, in worker processes ---------------------------------------------------------

_worker_shapes: tuple[Graph, ShaclScreen] | None = None


def _init_worker() -> None:
    global _worker_shapes
    shapes = load_shapes()
    _worker_shapes = (shapes, ShaclScreen.from_graph(shapes))


def _validate_batch(batch: list[tuple[str, bytes]]) -> list[tuple[str, ValidationReport]]:
    if _worker_shapes is None:
        _init_worker()
    assert _worker_shapes is not None
    shapes, screen = _worker_shapes
    texts = [data.decode("utf-8") for _, data in batch]
    reports = validate_ntriples(texts, shapes, screen)
    return list(zip([iri for iri, _ in batch], reports, strict=True))


def graph_from_store(store: GraphStore, graph_iri: str) -> Graph:
    """One named graph of the store as an rdflib Graph (for pyshacl)."""
    g = Graph()
    g.parse(data=_dump(store, graph_iri).decode("utf-8"), format="nt")
    return g


def _dump(store: GraphStore, graph_iri: str) -> bytes:
    data = store.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri))
    return data if isinstance(data, bytes) else data.encode("utf-8")


def release_with_actors(store: GraphStore, graph_iri: str, actors_graph: str) -> bytes:
    """A release graph plus the canonical description of each actor it mentions."""
    actors = ox.NamedNode(actors_graph)
    lines = [_dump(store, graph_iri)]
    for e in sorted(store.mentioned_entities(graph_iri)):
        for q in store.store.quads_for_pattern(ox.NamedNode(e), None, None, actors):
            lines.append(f"{q.subject} {q.predicate} {q.object} .\n".encode())
    return b"".join(lines)


def _batches(
    store: GraphStore, graphs: list[str], actors_graph: str, size: int
) -> Iterator[list[tuple[str, bytes]]]:
    batch: list[tuple[str, bytes]] = []
    for iri in graphs:
        if iri.startswith(actors_graph) or not store.minter.is_release_graph(iri):
            data = _dump(store, iri)
        else:
            data = release_with_actors(store, iri, actors_graph)
        batch.append((iri, data))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def validate_store(
    store_path: Path,
    base: str,
    on_total: Callable[[int], None] = lambda n: None,
    on_step: Callable[[], None] = lambda: None,
    workers: int | None = None,
    whole_graph: bool = True,
    store: GraphStore | None = None,
) -> dict[str, ValidationReport]:
    """Graph IRI -> report, for the reference graph and every release graph (each with the
    canonical nodes it touches), plus ``WHOLE_GRAPH`` -> the cross-release checks.

    ``workers`` processes validate batches in parallel (default: all cores; 1 = in this
    process). Batches are dumped from the store as the workers ask for them, a few ahead,
    so memory does not grow with the store. Pass an open ``store`` to use it instead of
    opening ``store_path``.
    """
    minter = IriMinter(base)
    own = store is None
    store = store if store is not None else GraphStore(store_path, minter)
    try:
        actors_graph = str(minter.graph("actors"))
        graphs = [str(minter.graph("reference")), *sorted(store.release_graphs().values())]
        on_total(len(graphs))
        reports: dict[str, ValidationReport] = {}
        workers = workers or os.cpu_count() or 1
        batches = _batches(store, graphs, actors_graph, BATCH_SIZE)
        if workers == 1:
            _init_worker()
            for batch in batches:
                for iri, report in _validate_batch(batch):
                    reports[iri] = report
                    on_step()
        else:
            with ProcessPoolExecutor(workers, initializer=_init_worker) as pool:
                pending: deque[Future] = deque()
                for batch in batches:
                    pending.append(pool.submit(_validate_batch, batch))
                    while len(pending) >= 2 * workers:
                        for iri, report in pending.popleft().result():
                            reports[iri] = report
                            on_step()
                while pending:
                    for iri, report in pending.popleft().result():
                        reports[iri] = report
                        on_step()
        if whole_graph:
            reports[WHOLE_GRAPH] = check_whole_graph(store, minter)
        return reports
    finally:
        if own:
            store.close()


# -- whole-graph checks (native SPARQL on the default graph) -------------------------------

_PREFIXES = """
PREFIX rg: <https://w3id.org/regiongraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_SHARED_CODE = (
    _PREFIXES
    + """
SELECT ?code (COUNT(DISTINCT ?n) AS ?nodes) (GROUP_CONCAT(DISTINCT STR(?n); separator=" ") AS ?all)
WHERE { ?n rg:municipalityCode ?code }
GROUP BY ?code HAVING (COUNT(DISTINCT ?n) > 1)
ORDER BY ?code
"""
)
_PERSON_AND_ORGANISATION = (
    _PREFIXES
    + """
SELECT DISTINCT ?x ?class WHERE {
  ?x a rg:Person ; a ?class . ?class rdfs:subClassOf* rg:Organisation .
}
ORDER BY ?x ?class
"""
)
_CANONICAL_TWICE = (
    _PREFIXES
    + """
SELECT ?x ?p (COUNT(DISTINCT ?v) AS ?n) WHERE {
  GRAPH ?actors { ?x ?p ?v } FILTER(?p IN (skos:prefLabel, rdf:type))
}
GROUP BY ?x ?p HAVING (COUNT(DISTINCT ?v) > 1)
ORDER BY ?x ?p
"""
).replace("rdf:type", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>")


def check_whole_graph(store: GraphStore, minter: IriMinter) -> ValidationReport:
    """Constraints that need every release at once, asked of the default graph."""
    issues: list[ValidationIssue] = []
    for row in store.query(_SHARED_CODE):
        nodes = row["all"].value.split()
        issues.append(
            ValidationIssue(
                focus=nodes[0],
                path="rg:municipalityCode",
                value=row["code"].value,
                message=f"municipality code used by {len(nodes)} nodes: {', '.join(nodes)}",
                severity="Violation",
                shape="Municipality code names one municipality",
            )
        )
    for row in store.query(_PERSON_AND_ORGANISATION):
        issues.append(
            ValidationIssue(
                focus=row["x"].value,
                path="rdf:type",
                value=row["class"].value,
                message="typed both as a person and as an organisation",
                severity="Violation",
                shape="An actor is a person or an organisation",
            )
        )
    actors = str(ox.NamedNode(str(minter.graph("actors"))))  # escaped by pyoxigraph
    for row in store.query(_CANONICAL_TWICE.replace("?actors", actors)):
        issues.append(
            ValidationIssue(
                focus=row["x"].value,
                path=row["p"].value,
                value=None,
                message=f"{row['n'].value} canonical values; one expected",
                severity="Violation",
                shape="One canonical label and type per actor",
            )
        )
    issues.sort(key=lambda i: (i.shape, i.focus, i.path or "", i.value or ""))
    return ValidationReport(conforms=not issues, issues=tuple(issues))
