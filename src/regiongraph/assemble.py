"""Extraction -> the release's named graph: facts, qualified statements and provenance.

See docs/data-model.md. Every relation is written as a direct triple and as a
statement node that carries its evidence sentence, the rule that made it and a
confidence. No blank nodes and no timestamps: the same input gives the same graph.
"""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
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


def date_literal(value: str) -> Literal:
    """An ISO date, year-month or year as the matching XSD literal."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    raise ValueError(f"not an ISO date, year-month or year: {value!r}")


def describe_release(g: Graph, release: Release, title: str | None, minter: IriMinter) -> URIRef:
    node = minter.release(release.id)
    g.add((node, RDF.type, RG.PressRelease))
    g.add((node, RDFS.label, Literal(title or release.file_name)))
    if title:
        g.add((node, DCTERMS.title, Literal(title)))
    if release.published:
        g.add((node, DCTERMS.issued, date_literal(release.published)))
    else:
        g.add((node, RG.dateUnknown, Literal(True)))
        if release.published_note:
            g.add((node, RDFS.comment, Literal(f"date: {release.published_note}")))
    if release.publisher:
        g.add((node, RG.publisherName, Literal(release.publisher)))
    if release.source:
        source = release.source
        g.add(
            (
                node,
                DCTERMS.source,
                URIRef(source) if re.match(r"https?://\S+$", source) else Literal(source),
            )
        )
    if release.language:
        g.add((node, DCTERMS.language, Literal(release.language)))
    g.add((node, RG.fileName, Literal(release.file_name)))
    g.add((node, RG.sha256, Literal(release.sha256)))
    return node


def build_release_graph(
    extraction: Extraction, minter: IriMinter, reference_labels: dict[str, Literal] | None = None
) -> Graph:
    """The rdflib graph of one release (used for SHACL and serialised into the store)."""
    doc = extraction.document
    release = doc.release
    g = Graph()
    release_node = describe_release(g, release, doc.title, minter)
    graph_node = minter.release_graph(release.id)
    g.add((graph_node, PROV.wasDerivedFrom, release_node))
    labels = reference_labels or {}
    for e in extraction.entities:
        node = URIRef(e.iri)
        g.add((release_node, SCHEMA.mentions, node))
        g.add((node, RDF.type, ENTITY_CLASS[e.type]))
        g.add((node, RDFS.label, labels.get(e.iri, Literal(e.label))))
        for form in e.mentions:
            g.add((node, RG.surfaceForm, Literal(form)))
        for email in e.email:
            g.add((node, SCHEMA.email, Literal(email)))
        for phone in e.phone:
            g.add((node, SCHEMA.telephone, Literal(phone)))
        if e.start:
            g.add((node, SCHEMA.startDate, date_literal(e.start)))
        if e.end:
            g.add((node, SCHEMA.endDate, date_literal(e.end)))
    for r in extraction.relations:
        s, o = URIRef(r.subject), URIRef(r.object)
        pred = RG[r.predicate]
        g.add((s, pred, o))
        st = minter.statement(release.id, r.subject, r.predicate, r.object)
        g.add((st, RDF.type, STATEMENT_CLASS[r.predicate]))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, pred))
        g.add((st, RDF.object, o))
        sentence = minter.sentence(release.id, r.evidence.sentence)
        g.add((st, RG.evidence, sentence))
        g.add((sentence, RDF.type, RG.Sentence))
        g.add((sentence, RDF.value, Literal(r.evidence.text)))
        g.add((sentence, RG.position, Literal(r.evidence.sentence)))
        g.add((sentence, DCTERMS.isPartOf, release_node))
        g.add((st, PROV.wasDerivedFrom, release_node))
        rule = minter.rule(r.rule_id)
        g.add((st, RG.extractedBy, rule))
        g.add((rule, RDF.type, RG.Rule))
        g.add((rule, RDFS.label, Literal(r.rule_id)))
        g.add((st, RG.confidence, Literal(f"{r.confidence:.2f}", datatype=XSD.decimal)))
        if r.role:
            g.add((st, RG.roleName, Literal(r.role)))
        if r.predicate == "affiliatedWith":
            g.add((st, ORG.member, s))
            g.add((st, ORG.organization, o))
            if r.role:
                g.add((st, RG.postTitle, Literal(r.role)))
        if r.amount is not None:
            amount = minter.amount(release.id, r.subject, r.object, str(r.amount.value))
            g.add((st, RG.amount, amount))
            g.add((amount, RDF.type, SCHEMA.MonetaryAmount))
            g.add((amount, SCHEMA.value, Literal(f"{r.amount.value:.2f}", datatype=XSD.decimal)))
            g.add((amount, SCHEMA.currency, Literal(r.amount.currency)))
    return g


def to_nquads(g: Graph | str, graph_iri: str) -> str:
    """``g`` (or its N-Triples) as N-Quads in ``graph_iri``, lines sorted for stable output."""
    name = f"<{URIRef(graph_iri)}>"
    lines = (g if isinstance(g, str) else g.serialize(format="nt")).splitlines()
    return "".join(sorted(f"{line[:-2]} {name} .\n" for line in lines if line.strip()))
