"""SHACL validation of regiongraph data, reported in words a data curator can act on.

The pipeline validates each release graph on its own: no inference and no ontology mixed
in (``ontology/shapes.ttl`` targets concrete classes, so neither is needed). Load the
shapes once with :func:`load_shapes` and pass them to :func:`validate_graph` per graph.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import suppress
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import RDF, SH, BNode, ConjunctiveGraph, Graph, Literal, Node, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from regiongraph.paths import ontology_dir
from regiongraph.vocab import ONTOLOGY_IRI

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}

_PREFIXES = {
    "rg": ONTOLOGY_IRI + "#",
    "rgsh": "https://w3id.org/regiongraph/shapes#",
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}


def load_shapes(path: Path | None = None) -> Graph:
    """Parse the SHACL shapes (default ``ontology/shapes.ttl``)."""
    return Graph().parse(path or ontology_dir() / "shapes.ttl", format="turtle")


def load_ontology(path: Path | None = None) -> Graph:
    """Parse the OWL ontology (default ``ontology/regiongraph.ttl``)."""
    return Graph().parse(path or ontology_dir() / "regiongraph.ttl", format="turtle")


@dataclass(frozen=True)
class ValidationIssue:
    """One SHACL result: which node, which property and value, what is wrong."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str  # Violation | Warning | Info
    shape: str  # the shape's sh:name, else its local name


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool  # no violations; warnings and infos are allowed
    issues: tuple[ValidationIssue, ...]

    @property
    def violations(self) -> tuple[ValidationIssue, ...]:
        return tuple(i for i in self.issues if i.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationIssue, ...]:
        return tuple(i for i in self.issues if i.severity == "Warning")

    def format_text(self, max_per_shape: int = 10) -> str:
        """Issues grouped by shape: a heading with the count, then one line per issue."""
        if not self.issues:
            return "No problems found."
        groups: dict[tuple[str, str], list[ValidationIssue]] = defaultdict(list)
        for issue in self.issues:
            groups[(issue.severity, issue.shape)].append(issue)
        head = "Conforms" if self.conforms else "Does not conform"
        lines = [f"{head}: {len(self.violations)} violation(s), {len(self.warnings)} warning(s)."]
        for severity, shape in sorted(groups, key=lambda k: (_SEVERITY_ORDER.get(k[0], 3), k[1])):
            issues = groups[(severity, shape)]
            lines.append("")
            lines.append(f"{shape} ({severity}): {len(issues)} issue(s)")
            for issue in issues[:max_per_shape]:
                parts = [issue.focus, issue.path or "(the node itself)"]
                if issue.value is not None and issue.value != issue.focus:
                    parts.append(_quoted(issue.value))
                lines.append("  " + " — ".join([*parts, issue.message]))
            if len(issues) > max_per_shape:
                lines.append(f"  … and {len(issues) - max_per_shape} more")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "issues": [asdict(i) for i in self.issues],
        }


def validate_graph(data: Graph, shapes: Graph) -> ValidationReport:
    """Validate ``data`` against ``shapes`` with pyshacl (no inference, no ontology).

    ``data`` is read, never changed; parse ``shapes`` once and reuse it for every graph.
    """
    if not isinstance(data, ConjunctiveGraph):
        data = _PreparedQueryGraph(
            store=data.store, identifier=data.identifier, bind_namespaces="none"
        )
    _, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=False,  # SHACL-SPARQL constraints are core pyshacl; advanced forces a clone
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
    )
    names = _Namer(data)
    issues = []
    # Only the report's own results: nested sh:detail results explain those, not add to them.
    for result in results.objects(None, SH.result):
        severity = results.value(result, SH.resultSeverity)
        source = results.value(result, SH.sourceShape)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        issues.append(
            ValidationIssue(
                focus=names.node(results.value(result, SH.focusNode)),
                path=names.path(path, results) if path is not None else None,
                value=names.node(value) if value is not None else None,
                message=messages[0] if messages else "Does not conform to the shape.",
                severity=_local(severity) if severity is not None else "Violation",
                shape=_shape_name(source, shapes),
            )
        )
    issues.sort(
        key=lambda i: (
            _SEVERITY_ORDER.get(i.severity, 3),
            i.shape,
            i.focus,
            i.path or "",
            i.value or "",
            i.message,
        )
    )
    unique = tuple(dict.fromkeys(issues))
    return ValidationReport(
        conforms=not any(i.severity == "Violation" for i in unique), issues=unique
    )


def _quoted(value: str) -> str:
    """Quote literal values so that empty or blank ones show; IRIs and blank nodes stay bare."""
    return value if value.startswith(("http://", "https://", "[")) else f'"{value}"'


@lru_cache(maxsize=256)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class _PreparedQueryGraph(Graph):
    """A view of a graph (same store, no copy) that parses each SPARQL text only once.

    pyshacl sends a SHACL-SPARQL constraint's text anew for every focus node, and rdflib
    parses a text query in tens of milliseconds; prepared, it runs in well under one.
    """

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(query_object, str):
            # A text that needs the graph's own prefixes fails here; rdflib then parses it.
            with suppress(Exception):
                query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def _local(node: Node) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _shape_name(shape: Node | None, shapes: Graph) -> str:
    if shape is None:
        return "unnamed shape"
    name = shapes.value(shape, SH.name)
    if name is not None:
        return str(name)
    return _local(shape) if isinstance(shape, URIRef) else "unnamed shape"


class _Namer:
    """Renders nodes for people: prefixed paths, literals as text, blank nodes by referrer."""

    def __init__(self, data: Graph) -> None:
        self.data = data
        self.ns = NamespaceManager(Graph(), bind_namespaces="none")
        for prefix, iri in _PREFIXES.items():
            self.ns.bind(prefix, iri)

    def curie(self, node: URIRef) -> str:
        try:
            return self.ns.curie(node, generate=False)
        except (KeyError, ValueError):
            return str(node)

    def node(self, node: Node | None) -> str:
        if node is None:
            return ""
        if isinstance(node, Literal):
            return str(node)
        if isinstance(node, BNode):
            # Blank node ids change on every parse; name the node by what points to it.
            for subject, predicate in sorted(self.data.subject_predicates(node)):
                if not isinstance(subject, BNode):
                    return f"[{self.curie(predicate)} of {subject}]"
            return "[blank node]"
        return str(node)

    def path(self, path: Node, results: Graph) -> str:
        if isinstance(path, URIRef):
            return self.curie(path)
        inverse = results.value(path, SH.inversePath)
        if isinstance(inverse, URIRef):
            return f"^{self.curie(inverse)}"
        return "(complex path)"
