"""A fast first pass of SHACL over many release graphs, with rudof's native engine.

pyshacl walks the shapes in Python: about 35 ms per release graph even in batches, which
made validation 60 % of a build. rudof (Rust, ``pyrudof``) validates the same shapes over a
batch of renamed-apart graphs at a few milliseconds per graph. Its results are used only
to find the graphs that have any result at all (violation, warning or info); those are
validated again with pyshacl, whose report is the one people read (the shapes' own
messages, blank nodes named by what points to them). A graph the screen passes is taken
as conforming: the tests run every failing example of the shapes through the screen.

Renaming apart: in the batch's one data graph, every node a graph describes (a subject of
its triples) becomes ``<iri~n>`` for the n-th graph, blank node ``_:b`` becomes ``_:bxn``,
so no two releases share a node and a result's focus node says which graph it is about.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyrudof
from rdflib import Graph

# ``read_data`` costs about 100 ms per call whatever the size, then ~1 ms per release graph;
# adding triples to a staging frame costs ~10 µs per triple with no fixed cost. Batches
# under this many triples are staged, larger ones read.
STAGE_BELOW = 5_000
_EMPTY = "<urn:regiongraph:screen> <urn:regiongraph:screen> <urn:regiongraph:screen> .\n"


class ShaclScreen:
    """The shapes, ready to screen batches of N-Triples graphs (one engine, reused)."""

    def __init__(self, shapes_turtle: str) -> None:
        self.shapes_turtle = shapes_turtle
        self._engine: pyrudof.Rudof | None = None
        self._holds_batch = False  # the engine's data is a read batch, not the empty graph

    @classmethod
    def from_graph(cls, shapes: Graph) -> ShaclScreen:
        return cls(shapes.serialize(format="turtle"))

    def flagged(self, graphs: Sequence[str]) -> set[int] | None:
        """Indices of the graphs (N-Triples texts) with any SHACL result.

        ``None`` when the batch could not be screened or a result cannot be traced to one
        graph: then every graph of the batch needs the full validation.
        """
        if not graphs:
            return set()
        try:
            triples = [t for n, text in enumerate(graphs) for t in renamed_triples(text, n)]
            small = len(triples) < STAGE_BELOW
            results = self._staged(triples) if small else self._read(triples)
        except (pyrudof.RudofError, ValueError):  # not N-Triples, or not to rudof's liking
            self._engine = None  # start afresh after an error
            return None
        flagged: set[int] = set()
        for result in results:
            n = _graph_number(str(result.focus_node))
            if n is None or n >= len(graphs):
                return None
            flagged.add(n)
        return flagged

    def _ready(self, empty: bool) -> pyrudof.Rudof:
        engine = self._engine
        if engine is None:
            engine = pyrudof.Rudof(pyrudof.RudofConfig())
            engine.read_shacl(self.shapes_turtle, format=pyrudof.ShaclFormat.Turtle)
            self._engine, self._holds_batch = engine, True
        if empty and self._holds_batch:
            # Staging needs loaded data: one triple no shape targets.
            self._load(engine, _EMPTY)
            self._holds_batch = False
        return engine

    @staticmethod
    def _load(engine: pyrudof.Rudof, ntriples: str) -> None:
        # merge=False replaces what was loaded (the default merges, whatever the docs say).
        engine.read_data(
            ntriples,
            format=pyrudof.RDFFormat.NTriples,
            reader_mode=pyrudof.ReaderMode.Strict,
            merge=False,
        )

    def _read(self, triples: list[tuple[str, str, str]]) -> list:
        engine = self._ready(empty=False)
        self._holds_batch = True
        self._load(engine, "".join(f"{s} {p} {o} .\n" for s, p, o in triples))
        return engine.validate_shacl().violations

    def _staged(self, triples: list[tuple[str, str, str]]) -> list:
        engine = self._ready(empty=True)
        engine.begin_staging()
        try:
            engine.add_triples(triples, strict_iris=True)
            return engine.validate_shacl().violations
        finally:
            engine.rollback_staging()


def renamed_apart(ntriples: str, n: int) -> str:
    """``ntriples`` with the nodes it describes, and its blank nodes, suffixed by ``n``."""
    return "".join(f"{s} {p} {o} .\n" for s, p, o in renamed_triples(ntriples, n))


def renamed_triples(ntriples: str, n: int) -> list[tuple[str, str, str]]:
    """The triples of ``ntriples`` (terms as N-Triples text), renamed apart by ``n``."""
    lines = [line for line in ntriples.splitlines() if line.strip()]
    described = {line.split(" ", 1)[0] for line in lines if line.startswith("<")}
    iri_suffix, bnode_suffix = f"~{n}>", f"x{n}"
    out = []
    for line in lines:
        subject, predicate, rest = line.split(" ", 2)
        if subject.startswith("_:"):
            subject += bnode_suffix
        elif subject in described:
            subject = subject[:-1] + iri_suffix
        obj = rest.rstrip()[:-1].rstrip()  # the object term, without the final " ."
        if obj.startswith("_:"):
            obj += bnode_suffix
        elif obj.startswith("<") and obj in described:
            obj = obj[:-1] + iri_suffix
        out.append((subject, predicate, obj))
    return out


def _graph_number(node: str) -> int | None:
    """The n of a renamed node (``<iri~n>``, ``iri~n``, ``_:bxn``), or None."""
    node = node.strip().strip("<>")
    if node.startswith("_:"):
        digits = node[len(node.rstrip("0123456789")) :]
        head = node[: len(node) - len(digits)]
        return int(digits) if digits and head.endswith("x") else None
    _head, tilde, digits = node.rpartition("~")
    return int(digits) if tilde and digits.isdigit() else None
