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

from regiongraph.records import Extraction, Release
from regiongraph.vocab import ORG, PROV, RG, SCHEMA, IriMinter

STATEMENT_CLASS = {
    "fundedBy": RG.Funding,
    "leads": RG.Leadership,
    "participatesIn": RG.Participation,
    "affiliatedWith": RG.Affiliation,
    "partOf": RG.PartOfStatement,
    "collaboratesWith": RG.Collaboration,
    "locatedIn": RG.LocationStatement,
}
ENTITY_CLASS = {
    "Region": RG.Region,
    "Municipality": RG.Municipality,
    "Company": RG.Company,
    "TradeUnion": RG.TradeUnion,
    "EmployerOrganisation": RG.EmployerOrganisation,
    "GovernmentAgency": RG.GovernmentAgency,
    "University": RG.University,
    "ResearchInstitute": RG.ResearchInstitute,
    "EducationProvider": RG.EducationProvider,
    "FundingProgramme": RG.FundingProgramme,
    "Organisation": RG.Organisation,
    "Project": RG.Project,
    "Event": RG.Event,
    "Person": RG.Person,
    "Place": RG.Place,
}
CLASS_TYPE = {str(v): k for k, v in ENTITY_CLASS.items()}


@lru_cache(maxsize=4096)
def _term(iri: str) -> ox.NamedNode:
    """A vocabulary term (or any repeated IRI) as a pyoxigraph node, made once."""
    return ox.NamedNode(iri)


def _typed(value: str, datatype: URIRef) -> ox.Literal:
    return ox.Literal(value, datatype=_term(str(datatype)))


def date_literal(value: str) -> ox.Literal:
    """An ISO date, year-month or year as the matching XSD literal."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return _typed(value, XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return _typed(value, XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return _typed(value, XSD.gYear)
    raise ValueError(f"not an ISO date, year-month or year: {value!r}")


class TripleSet:
    """An RDF graph under construction: pyoxigraph triples, serialised as N-Triples.

    Terms are made in Rust and serialised by pyoxigraph; an rdflib graph cost about four
    times as much per release.
    """

    def __init__(self) -> None:
        self._triples: dict[ox.Triple, None] = {}  # a set that keeps insertion order

    def add(self, subject: URIRef | ox.NamedNode, predicate: URIRef, obj: object) -> None:
        s = subject if isinstance(subject, ox.NamedNode) else ox.NamedNode(str(subject))
        if isinstance(obj, URIRef):
            o: ox.NamedNode | ox.Literal = _term(str(obj))
        elif isinstance(obj, ox.NamedNode | ox.Literal):
            o = obj
        else:
            o = ox.Literal(obj)  # str, int or bool, typed as XSD does
        self._triples[ox.Triple(s, _term(str(predicate)), o)] = None

    def ntriples(self) -> str:
        """N-Triples in the order the triples were added (``to_nquads`` sorts the lines)."""
        return ox.serialize(list(self._triples), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def describe_release(
    g: TripleSet, release: Release, title: str | None, minter: IriMinter
) -> ox.NamedNode:
    node = ox.NamedNode(str(minter.release(release.id)))
    g.add(node, RDF.type, RG.PressRelease)
    g.add(node, RDFS.label, title or release.file_name)
    if title:
        g.add(node, DCTERMS.title, title)
    if release.published:
        g.add(node, DCTERMS.issued, date_literal(release.published))
    else:
        g.add(node, RG.dateUnknown, True)
        if release.published_note:
            g.add(node, RDFS.comment, f"date: {release.published_note}")
    if release.publisher:
        g.add(node, RG.publisherName, release.publisher)
    if release.source:
        source = release.source
        g.add(
            node,
            DCTERMS.source,
            URIRef(source) if re.match(r"https?://\S+$", source) else source,
        )
    if release.language:
        g.add(node, DCTERMS.language, release.language)
    g.add(node, RG.fileName, release.file_name)
    g.add(node, RG.sha256, release.sha256)
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
    g.add(minter.release_graph(release.id), PROV.wasDerivedFrom, release_node)
    labels = reference_labels or {}
    for e in extraction.entities:
        node = ox.NamedNode(e.iri)
        g.add(release_node, SCHEMA.mentions, node)
        g.add(node, RDF.type, ENTITY_CLASS[e.type])
        g.add(node, RDFS.label, labels.get(e.iri) or e.label)
        for form in e.mentions:
            g.add(node, RG.surfaceForm, form)
        for email in e.email:
            g.add(node, SCHEMA.email, email)
        for phone in e.phone:
            g.add(node, SCHEMA.telephone, phone)
        if e.start:
            g.add(node, SCHEMA.startDate, date_literal(e.start))
        if e.end:
            g.add(node, SCHEMA.endDate, date_literal(e.end))
    for r in extraction.relations:
        s, o = ox.NamedNode(r.subject), ox.NamedNode(r.object)
        pred = RG[r.predicate]
        g.add(s, pred, o)
        st = ox.NamedNode(str(minter.statement(release.id, r.subject, r.predicate, r.object)))
        g.add(st, RDF.type, STATEMENT_CLASS[r.predicate])
        g.add(st, RDF.subject, s)
        g.add(st, RDF.predicate, _term(str(pred)))
        g.add(st, RDF.object, o)
        sentence = ox.NamedNode(str(minter.sentence(release.id, r.evidence.sentence)))
        g.add(st, RG.evidence, sentence)
        g.add(sentence, RDF.type, RG.Sentence)
        g.add(sentence, RDF.value, r.evidence.text)
        g.add(sentence, RG.position, r.evidence.sentence)
        g.add(sentence, DCTERMS.isPartOf, release_node)
        g.add(st, PROV.wasDerivedFrom, release_node)
        rule = ox.NamedNode(str(minter.rule(r.rule_id)))
        g.add(st, RG.extractedBy, rule)
        g.add(rule, RDF.type, RG.Rule)
        g.add(rule, RDFS.label, r.rule_id)
        g.add(st, RG.confidence, _typed(f"{r.confidence:.2f}", XSD.decimal))
        if r.role:
            g.add(st, RG.roleName, r.role)
        if r.predicate == "affiliatedWith":
            g.add(st, ORG.member, s)
            g.add(st, ORG.organization, o)
            if r.role:
                g.add(st, RG.postTitle, r.role)
        if r.amount is not None:
            amount = ox.NamedNode(
                str(minter.amount(release.id, r.subject, r.object, str(r.amount.value)))
            )
            g.add(st, RG.amount, amount)
            g.add(amount, RDF.type, SCHEMA.MonetaryAmount)
            g.add(amount, SCHEMA.value, _typed(f"{r.amount.value:.2f}", XSD.decimal))
            g.add(amount, SCHEMA.currency, r.amount.currency)
    return g.ntriples()


def to_nquads(g: Graph | str, graph_iri: str) -> str:
    """``g`` (or its N-Triples) as N-Quads in ``graph_iri``, lines sorted for stable output."""
    name = f"<{URIRef(graph_iri)}>"
    lines = (g if isinstance(g, str) else g.serialize(format="nt")).splitlines()
    return "".join(sorted(f"{line[:-2]} {name} .\n" for line in lines if line.strip()))
