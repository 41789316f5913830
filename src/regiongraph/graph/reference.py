"""Reference data as RDF: the content of the ``{base}/graph/reference`` named graph.

One node per ``ReferenceEntry`` at ``{base}/id/{kind}/{key}`` (docs/data-model.md, "A
reference actor"): its rg: class (the coarse type's name: ``Municipality`` ->
``rg:Municipality``), ``rdfs:label`` and ``skos:prefLabel`` in the entry's language,
``skos:altLabel`` for each alias in its language, codes as plain strings
(``rg:municipalityCode``, ``rg:countyCode``, ``rg:nutsCode``, ``rg:finnishRegionCode``),
``rg:countryCode``, ``rg:inRegion`` from a municipality to its region, a note as an
English ``rdfs:comment`` and ``dcterms:source`` for where the facts come from.

No ``owl:sameAs``/``schema:sameAs`` is written: the reference files hold no verified
external identifier yet (see data/reference/SOURCES.md), and none is typed from memory.
The graph depends only on its input, so two builds give the same triples.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from regiongraph.resolve.reference import (
    SOURCE_CURATED,
    SOURCE_FI,
    SOURCE_SE,
    ReferenceData,
    ReferenceEntry,
)
from regiongraph.vocab import RG, IriMinter

SWEDISH_GEODATA = URIRef("https://github.com/sjbrg/swedish-geodata")
EUROSTAT_NUTS = URIRef("https://ec.europa.eu/eurostat/web/nuts")
FINNISH_REGION_CODES = URIRef("https://github.com/CSC-IT-Center-for-Science/oiva-frontend")

_CODE_PROPERTIES = {
    "municipality_code": RG.municipalityCode,
    "county_code": RG.countyCode,
    "nuts_code": RG.nutsCode,
    "fi_region_code": RG.finnishRegionCode,
}


def curated_dataset(minter: IriMinter) -> URIRef:
    """The IRI of the project's curated reference list (organisations.csv and the
    county boards generated from se_counties.csv)."""
    return minter.thing("dataset", "curated-reference")


def class_of(entity_type: str) -> URIRef:
    """The rg: class of a coarse type, by name ("TradeUnion" -> rg:TradeUnion)."""
    return getattr(RG, entity_type)


def sources_of(entry: ReferenceEntry, minter: IriMinter) -> tuple[URIRef, ...]:
    if entry.source == SOURCE_SE:
        return (SWEDISH_GEODATA, EUROSTAT_NUTS) if entry.codes.nuts_code else (SWEDISH_GEODATA,)
    if entry.source == SOURCE_FI:
        return (FINNISH_REGION_CODES,)
    if entry.source == SOURCE_CURATED:
        return (curated_dataset(minter),)
    raise ValueError(f"unknown source {entry.source!r} of reference entry {entry.key!r}")


def entry_iri(entry: ReferenceEntry, minter: IriMinter) -> URIRef:
    return minter.thing(entry.kind, entry.key)


def build_reference_graph(ref: ReferenceData, minter: IriMinter) -> Graph:
    """All reference entries as triples (a plain Graph; the caller puts it in the
    reference named graph)."""
    g = Graph()
    for prefix, ns in (("rg", RG._NS), ("skos", SKOS), ("dcterms", DCTERMS)):
        g.bind(prefix, ns)
    for entry in ref.entries:
        node = entry_iri(entry, minter)
        label = Literal(entry.label, lang=entry.lang)
        g.add((node, RDF.type, class_of(entry.type)))
        g.add((node, RDFS.label, label))
        g.add((node, SKOS.prefLabel, label))
        for alias in entry.aliases:
            g.add((node, SKOS.altLabel, Literal(alias, lang=entry.language_of(alias))))
        for name, value in entry.codes.items():
            g.add((node, _CODE_PROPERTIES[name], Literal(value)))
        g.add((node, RG.countryCode, Literal(entry.country)))
        if entry.in_region:
            g.add((node, RG.inRegion, entry_iri(ref.by_key(entry.in_region), minter)))
        if entry.note:
            g.add((node, RDFS.comment, Literal(entry.note, lang="en")))
        for source in sources_of(entry, minter):
            g.add((node, DCTERMS.source, source))
    return g
