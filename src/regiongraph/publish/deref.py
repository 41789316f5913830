"""Dereferenceable IRIs: what the server answers for ``{base}/id/…`` and ``{base}/graph/…``.

The description of a resource is read from the default graph with quad patterns (no
SPARQL text is built): its own triples, the triples that point at it, the statement
nodes about it with their evidence sentences, and the labels and types of everything
named, so that a page or a Turtle document reads on its own. It is returned as an
HTML page (facts, evidence sentences linking to their release, neighbours) or as
Turtle, JSON-LD (with the published context, embedded) or N-Triples.

IRIs under the base are linked to the server's own paths, so one can browse from an
actor to a project to the release that states it. Contact details follow the partner
policy of ``dumps``: left out unless the server is started with them.
"""

from __future__ import annotations

import html
from collections import defaultdict

import pyoxigraph as ox

from regiongraph.publish.dumps import PREFIXES, jsonld_context, partner_quads
from regiongraph.query.terms import relation_labels

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RG = "https://w3id.org/regiongraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"

TYPE = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")
PREF = ox.NamedNode(SKOS + "prefLabel")
CONTENT_TYPES = {
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "html": "text/html; charset=utf-8",
}
VOID = "http://rdfs.org/ns/void#"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

_CSS = """
body{font-family:system-ui,sans-serif;max-width:64rem;margin:1.5rem auto;padding:0 1rem;
color:#222;line-height:1.4}table{border-collapse:collapse;width:100%}td,th{text-align:left;
vertical-align:top;border-bottom:1px solid #e3e3e3;padding:.25rem .5rem}th{background:#f4f6f8}
code{font-size:.85em;color:#555}blockquote{margin:.2rem 0 .2rem 1rem;color:#333;
border-left:3px solid #9bc;padding-left:.6rem}nav a{margin-right:1rem}.meta{color:#666}
"""


def short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


class ResourcePages:
    def __init__(self, store: ox.Store, base: str, include_contact_details: bool = False):
        self.store = store
        self.base = base.rstrip("/")
        self.include_contact_details = include_contact_details

    # -- data
    def _quads(self, s=None, p=None, o=None) -> list[ox.Quad]:
        quads = self.store.quads_for_pattern(s, p, o, ox.DefaultGraph())
        return list(partner_quads(quads, self.include_contact_details))

    def exists(self, node: ox.NamedNode) -> bool:
        return bool(self._quads(s=node)) or bool(self._quads(o=node))

    def graph_description(self, node: ox.NamedNode) -> list[ox.Quad]:
        """For the name of a graph in the store (a release graph): its type, its size
        and its triples (the policy applied), so the graph's IRI answers with what it holds."""
        if not self.store.contains_named_graph(node):
            return []
        held = self.store.quads_for_pattern(None, None, None, node)
        quads = [
            ox.Quad(q.subject, q.predicate, q.object)
            for q in partner_quads(held, self.include_contact_details)
        ]
        size = ox.Literal(str(len(quads)), datatype=XSD_INTEGER)
        return [
            ox.Quad(node, TYPE, ox.NamedNode(VOID + "Dataset")),
            ox.Quad(node, ox.NamedNode(VOID + "triples"), size),
            *quads,
        ]

    def description(self, iri: str) -> list[ox.Triple] | None:
        node = ox.NamedNode(iri)
        own = self._quads(s=node) + self.graph_description(node)
        incoming = self._quads(o=node)
        if not own and not incoming:
            return None
        quads = own + incoming
        statements = {
            q.subject for q in incoming if q.predicate.value in {RDF + "subject", RDF + "object"}
        }
        for st in sorted(statements, key=str):
            st_quads = self._quads(s=st)
            quads += st_quads
            for q in st_quads:
                if q.predicate.value == RG + "evidence":
                    quads += self._quads(s=q.object, p=ox.NamedNode(RDF + "value"))
        named = {q.subject for q in quads} | {
            q.object for q in quads if isinstance(q.object, ox.NamedNode)
        }
        for other in named - {node}:
            for p in (LABEL, PREF):
                quads += self._quads(s=other, p=p)
        return sorted({q.triple for q in quads}, key=str)

    def label(self, node: ox.NamedNode) -> str:
        for p in (PREF, LABEL):
            values = sorted(q.object.value for q in self._quads(s=node, p=p))
            if values:
                return values[0]
        return short(node.value)

    # -- output
    def render(self, iri: str, fmt: str) -> tuple[bytes, str] | None:
        triples = self.description(iri)
        if triples is None:
            return None
        if fmt == "html":
            return self.html_page(iri, triples).encode("utf-8"), CONTENT_TYPES["html"]
        return serialize(triples, fmt), CONTENT_TYPES[fmt]

    def dataset(self, fmt: str, endpoint: str) -> tuple[bytes, str]:
        from regiongraph.graph.store import GraphStore
        from regiongraph.publish.describe import describe_dataset
        from regiongraph.vocab import IriMinter

        view = GraphStore.__new__(GraphStore)
        view.store, view.path, view.minter = self.store, None, IriMinter(self.base)
        graph = describe_dataset(
            view, endpoint=endpoint, include_contact_details=self.include_contact_details
        )
        return serialize_graph(graph, fmt), CONTENT_TYPES[fmt]

    def local(self, iri: str) -> str:
        return iri[len(self.base) :] if iri.startswith(self.base + "/") else iri

    def link(self, term: object) -> str:
        if isinstance(term, ox.NamedNode):
            text = html.escape(self.label(term))
            return f'<a href="{html.escape(self.local(term.value))}">{text}</a>'
        if isinstance(term, ox.Literal):
            lang = f' <span class="meta">@{term.language}</span>' if term.language else ""
            return html.escape(term.value) + lang
        return html.escape(str(term))

    def words(self, iri: str) -> str:
        """A property in plain words, Swedish and English, with its IRI on hover."""
        both = relation_labels().both(iri)
        text = both["sv"] if both["sv"] == both["en"] else f"{both['sv']} / {both['en']}"
        return f'<span title="{html.escape(iri)}">{html.escape(text)}</span>'

    def html_page(self, iri: str, triples: list[ox.Triple]) -> str:
        node = ox.NamedNode(iri)
        title = self.label(node)
        by_subject: dict[ox.NamedNode, list[ox.Triple]] = defaultdict(list)
        for t in triples:
            by_subject[t.subject].append(t)
        own = [t for t in triples if t.subject == node]
        types = ", ".join(self.link(t.object) for t in own if t.predicate == TYPE)
        facts = "".join(
            f"<tr><td>{self.words(t.predicate.value)}</td><td>{self.link(t.object)}</td></tr>"
            for t in own
            if t.predicate != TYPE
        )
        incoming = [
            t
            for t in triples
            if t.object == node and t.predicate.value not in {RDF + "subject", RDF + "object"}
        ]
        backlinks = "".join(
            f"<tr><td>{self.link(t.subject)}</td><td>{self.words(t.predicate.value)}</td></tr>"
            for t in incoming
        )
        evidence = []
        neighbours: set[ox.NamedNode] = set()
        for t in incoming:
            neighbours.add(t.subject)
        for t in own:
            if isinstance(t.object, ox.NamedNode) and t.predicate != TYPE:
                neighbours.add(t.object)
        for _st, st_triples in sorted(by_subject.items(), key=lambda kv: str(kv[0])):
            props = {t.predicate.value: t.object for t in st_triples}
            if RDF + "predicate" not in props or (
                props.get(RDF + "subject") != node and props.get(RDF + "object") != node
            ):
                continue
            sentence = props.get(RG + "evidence")
            text = ""
            if sentence is not None:
                text = next(
                    (
                        t.object.value
                        for t in by_subject.get(sentence, [])
                        if t.predicate.value == RDF + "value"
                    ),
                    "",
                )
            release = props.get(PROV + "wasDerivedFrom")
            score = props.get(RG + "confidence")
            confidence = f" · confidence {html.escape(score.value)}" if score else ""
            other = (
                props.get(RDF + "object")
                if props.get(RDF + "subject") == node
                else props.get(RDF + "subject")
            )
            evidence.append(
                "<li>"
                f"{self.link(props[RDF + 'subject'])} "
                f"{self.words(props[RDF + 'predicate'].value)} "
                f"{self.link(props[RDF + 'object'])}"
                f"<blockquote>{html.escape(text)}</blockquote>"
                f'<span class="meta">release {self.link(release) if release else "?"}'
                f"{confidence}"
                "</span></li>"
            )
            if isinstance(other, ox.NamedNode):
                neighbours.add(other)
        neighbour_list = "".join(
            f"<li>{self.link(n)}</li>"
            for n in sorted(neighbours - {node}, key=lambda n: self.label(n).lower())
        )
        local = html.escape(self.local(iri))
        return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)} · regiongraph</title>
<link rel="alternate" type="text/turtle" href="{local}">
<link rel="alternate" type="application/ld+json" href="{local}">
<link rel="alternate" type="application/rdf+xml" href="{local}">
<style>{_CSS}</style></head><body>
<nav><a href="/">SPARQL query page</a><a href="/dataset">dataset description</a></nav>
<h1>{html.escape(title)}</h1>
<p><code>{html.escape(iri)}</code></p>
<p class="meta">{types}</p>
<h2>Facts</h2>
<table><tr><th>property</th><th>value</th></tr>{facts}</table>
<h2>Evidence</h2>
<ul>{"".join(evidence) or "<li>no statement names this resource</li>"}</ul>
<h2>Pointing here</h2>
<table><tr><th>from</th><th>property</th></tr>{backlinks}</table>
<h2>Neighbours</h2>
<ul>{neighbour_list}</ul>
<p class="meta">Also as Turtle, JSON-LD, N-Triples and RDF/XML (Accept header).</p>
</body></html>
"""


def serialize_graph(graph: object, fmt: str) -> bytes:
    """An rdflib graph in one of the formats of ``serialize``."""
    data = graph.serialize(format="nt", encoding="utf-8")  # type: ignore[attr-defined]
    return serialize([q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)], fmt)


def serialize(triples: list[ox.Triple], fmt: str) -> bytes:
    if fmt == "rdfxml":
        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES) or b""
    if fmt == "turtle":
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    if fmt == "ntriples":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    if fmt == "jsonld":
        from rdflib import Graph

        graph = Graph()
        graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
        context = jsonld_context()["@context"]
        return graph.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")
    raise ValueError(f"unknown format {fmt}")
