"""Extraction -> the release's named graph: facts, qualified statements and provenance.

See docs/data-model.md. Every relation is written as a direct triple and as a
statement node that carries its evidence sentence, the rule that made it and a
confidence. No blank nodes and no timestamps: the same input gives the same graph.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, URIRef
from rdflib.namespace import DCTERMS

from regiongraph.records import ENTITY_TYPES, Extraction, Release
from regiongraph.vocab import ORG, PROV, RG, SCHEMA, IriMinter


def _n(term: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(term))


# The vocabulary as pyoxigraph nodes, made once: looking terms up in rdflib namespaces and
# converting them for every triple cost about a third of assembling a release.
STATEMENT_CLASS = {
    "fundedBy": _n(RG.Funding),
    "leads": _n(RG.Leadership),
    "participatesIn": _n(RG.Participation),
    "affiliatedWith": _n(RG.Affiliation),
    "partOf": _n(RG.PartOfStatement),
    "collaboratesWith": _n(RG.Collaboration),
    "locatedIn": _n(RG.LocationStatement),
}
PREDICATE = {name: _n(RG[name]) for name in STATEMENT_CLASS}
ENTITY_CLASS = {name: _n(RG[name]) for name in ENTITY_TYPES}

A, LABEL, COMMENT = _n(RDF.type), _n(RDFS.label), _n(RDFS.comment)
SUBJECT, PREDICATE_OF, OBJECT, VALUE = (
    _n(RDF.subject),
    _n(RDF.predicate),
    _n(RDF.object),
    _n(RDF.value),
)
TITLE, ISSUED, SOURCE, LANGUAGE, IS_PART_OF = (
    _n(DCTERMS.title),
    _n(DCTERMS.issued),
    _n(DCTERMS.source),
    _n(DCTERMS.language),
    _n(DCTERMS.isPartOf),
)
PRESS_RELEASE, SENTENCE, RULE = _n(RG.PressRelease), _n(RG.Sentence), _n(RG.Rule)
DATE_UNKNOWN, PUBLISHER_NAME, FILE_NAME, SHA256 = (
    _n(RG.dateUnknown),
    _n(RG.publisherName),
    _n(RG.fileName),
    _n(RG.sha256),
)
SURFACE_FORM, EVIDENCE, POSITION, EXTRACTED_BY, CONFIDENCE = (
    _n(RG.surfaceForm),
    _n(RG.evidence),
    _n(RG.position),
    _n(RG.extractedBy),
    _n(RG.confidence),
)
ROLE_NAME, POST_TITLE, AMOUNT = _n(RG.roleName), _n(RG.postTitle), _n(RG.amount)
MENTIONS, EMAIL, TELEPHONE, START_DATE, END_DATE = (
    _n(SCHEMA.mentions),
    _n(SCHEMA.email),
    _n(SCHEMA.telephone),
    _n(SCHEMA.startDate),
    _n(SCHEMA.endDate),
)
MONETARY_AMOUNT, MONEY_VALUE, CURRENCY = (
    _n(SCHEMA.MonetaryAmount),
    _n(SCHEMA.value),
    _n(SCHEMA.currency),
)
MEMBER, ORGANIZATION, WAS_DERIVED_FROM = (
    _n(ORG.member),
    _n(ORG.organization),
    _n(PROV.wasDerivedFrom),
)
XSD_DATE, XSD_YEAR_MONTH, XSD_YEAR, XSD_DECIMAL = (
    _n(XSD.date),
    _n(XSD.gYearMonth),
    _n(XSD.gYear),
    _n(XSD.decimal),
)
_DATE_TYPES = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), XSD_DATE),
    (re.compile(r"\d{4}-\d{2}"), XSD_YEAR_MONTH),
    (re.compile(r"\d{4}"), XSD_YEAR),
)
_WEB_ADDRESS = re.compile(r"https?://\S+$")


def date_literal(value: str) -> ox.Literal:
    """An ISO date, year-month or year as the matching XSD literal."""
    for pattern, datatype in _DATE_TYPES:
        if pattern.fullmatch(value):
            return ox.Literal(value, datatype=datatype)
    raise ValueError(f"not an ISO date, year-month or year: {value!r}")


def _decimal(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.2f}", datatype=XSD_DECIMAL)


class TripleSet:
    """An RDF graph under construction: pyoxigraph triples, serialised as N-Triples.

    Terms are made in Rust and serialised by pyoxigraph; an rdflib graph cost about four
    times as much per release.
    """

    def __init__(self) -> None:
        self._triples: dict[ox.Triple, None] = {}  # a set that keeps insertion order

    def add(
        self,
        subject: ox.NamedNode,
        predicate: ox.NamedNode,
        obj: ox.NamedNode | ox.Literal | str | int | bool,
    ) -> None:
        if not isinstance(obj, ox.NamedNode | ox.Literal):
            obj = ox.Literal(obj)  # str, int or bool, typed as XSD does
        self._triples[ox.Triple(subject, predicate, obj)] = None

    def ntriples(self) -> str:
        """N-Triples in the order the triples were added (``to_nquads`` sorts the lines)."""
        return ox.serialize(list(self._triples), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def describe_release(
    g: TripleSet, release: Release, title: str | None, minter: IriMinter
) -> ox.NamedNode:
    node = _n(minter.release(release.id))
    g.add(node, A, PRESS_RELEASE)
    g.add(node, LABEL, title or release.file_name)
    if title:
        g.add(node, TITLE, title)
    if release.published:
        g.add(node, ISSUED, date_literal(release.published))
    else:
        g.add(node, DATE_UNKNOWN, True)
        if release.published_note:
            g.add(node, COMMENT, f"date: {release.published_note}")
    if release.publisher:
        g.add(node, PUBLISHER_NAME, release.publisher)
    if release.source:
        source = release.source
        g.add(node, SOURCE, ox.NamedNode(source) if _WEB_ADDRESS.match(source) else source)
    if release.language:
        g.add(node, LANGUAGE, release.language)
    g.add(node, FILE_NAME, release.file_name)
    g.add(node, SHA256, release.sha256)
    return node


def release_ntriples(
    extraction: Extraction,
    minter: IriMinter,
    reference_labels: dict[str, ox.Literal] | None = None,
) -> str:
    """The graph of one release as N-Triples (for SHACL, and via ``to_nquads`` the store)."""
    doc = extraction.document
    release = doc.release
    g = TripleSet()
    release_node = describe_release(g, release, doc.title, minter)
    g.add(_n(minter.release_graph(release.id)), WAS_DERIVED_FROM, release_node)
    labels = reference_labels or {}
    for e in extraction.entities:
        node = ox.NamedNode(e.iri)
        g.add(release_node, MENTIONS, node)
        g.add(node, A, ENTITY_CLASS[e.type])
        g.add(node, LABEL, labels.get(e.iri) or e.label)
        for form in e.mentions:
            g.add(node, SURFACE_FORM, form)
        for email in e.email:
            g.add(node, EMAIL, email)
        for phone in e.phone:
            g.add(node, TELEPHONE, phone)
        if e.start:
            g.add(node, START_DATE, date_literal(e.start))
        if e.end:
            g.add(node, END_DATE, date_literal(e.end))
    for r in extraction.relations:
        s, o = ox.NamedNode(r.subject), ox.NamedNode(r.object)
        pred = PREDICATE[r.predicate]
        g.add(s, pred, o)
        st = _n(minter.statement(release.id, r.subject, r.predicate, r.object))
        g.add(st, A, STATEMENT_CLASS[r.predicate])
        g.add(st, SUBJECT, s)
        g.add(st, PREDICATE_OF, pred)
        g.add(st, OBJECT, o)
        sentence = _n(minter.sentence(release.id, r.evidence.sentence))
        g.add(st, EVIDENCE, sentence)
        g.add(sentence, A, SENTENCE)
        g.add(sentence, VALUE, r.evidence.text)
        g.add(sentence, POSITION, r.evidence.sentence)
        g.add(sentence, IS_PART_OF, release_node)
        g.add(st, WAS_DERIVED_FROM, release_node)
        rule = _rule_node(str(minter.rule(r.rule_id)))
        g.add(st, EXTRACTED_BY, rule)
        g.add(rule, A, RULE)
        g.add(rule, LABEL, r.rule_id)
        g.add(st, CONFIDENCE, _decimal(r.confidence))
        if r.role:
            g.add(st, ROLE_NAME, r.role)
        if r.predicate == "affiliatedWith":
            g.add(st, MEMBER, s)
            g.add(st, ORGANIZATION, o)
            if r.role:
                g.add(st, POST_TITLE, r.role)
        if r.amount is not None:
            amount = _n(minter.amount(release.id, r.subject, r.object, str(r.amount.value)))
            g.add(st, AMOUNT, amount)
            g.add(amount, A, MONETARY_AMOUNT)
            g.add(amount, MONEY_VALUE, _decimal(r.amount.value))
            g.add(amount, CURRENCY, r.amount.currency)
    return g.ntriples()


@lru_cache(maxsize=4096)
def _rule_node(iri: str) -> ox.NamedNode:
    """A rule's node (the rules are few and repeat in every release), made once."""
    return ox.NamedNode(iri)


def to_nquads(g: Graph | str, graph_iri: str) -> str:
    """``g`` (or its N-Triples) as N-Quads in ``graph_iri``, lines sorted for stable output."""
    name = f"<{URIRef(graph_iri)}>"
    lines = (g if isinstance(g, str) else g.serialize(format="nt")).splitlines()
    return "".join(sorted(f"{line[:-2]} {name} .\n" for line in lines if line.strip()))
