"""The dataset's description (VoID + DCAT-AP 3.0.0) and the ontology's documentation.

``describe_dataset`` writes what a partner's catalogue asks for: DCAT-AP's mandatory and
recommended properties (distributions with access URL, IANA media type and EU file type,
publisher, contact point, licence, access rights, themes, keywords, spatial and temporal
coverage), the SPARQL endpoint as a data service, and VoID counts. The counts are those
of the published files (``dataset_stats`` over the partner triples and quads the dumps
hold), or of the store when no files are written (the server's ``/dataset``). IRIs of EU
and ADMS vocabularies are typed with the classes the DCAT-AP range shapes ask for, so the
description validates on its own (tests/test_description.py).

``write_ontology_html`` renders ``ontology/regiongraph.ttl`` (classes and properties with
labels, definitions, domains, ranges and superclasses) as one self-contained HTML page, in
the manner of pyLODE, without a network fetch.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, SKOS, VOID

from regiongraph.graph.store import GraphStore

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
PUBLISHER = "regiongraph developers"

# Controlled vocabularies the description uses (DCAT-AP 3.0.0): each IRI is typed here
# with the class the profile's range shapes ask for, so that the description validates
# without fetching the vocabularies.
EU_LICENCE = URIRef(EU + "licence/CC_BY_4_0")
PUBLIC = URIRef(EU + "access-right/PUBLIC")
STABLE = URIRef(EU + "planned-availability/STABLE")
ATTRIBUTION = URIRef("http://purl.org/adms/licencetype/Attribution")
NON_PROFIT = URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation")
THEMES = {
    "REGI": "Regions and cities",
    "ECON": "Economy and finance",
    "TECH": "Science and technology",
}
KEYWORDS = {
    "en": ("regional innovation", "regional development", "press releases", "knowledge graph"),
    "sv": ("regional innovation", "regional utveckling", "pressmeddelanden", "kunskapsgraf"),
}
# ISO 3166-1 alpha-2 (rg:countryCode) -> EU country IRI, bounding box and centroid (WKT)
COUNTRIES = {
    "SE": (
        "SWE",
        "POLYGON((10.96 55.34,24.17 55.34,24.17 69.06,10.96 69.06,10.96 55.34))",
        "POINT(15.2 62.4)",
    ),
    "FI": (
        "FIN",
        "POLYGON((20.55 59.81,31.59 59.81,31.59 70.09,20.55 70.09,20.55 59.81))",
        "POINT(26.0 64.5)",
    ),
    "NO": (
        "NOR",
        "POLYGON((4.65 57.98,31.08 57.98,31.08 71.19,4.65 71.19,4.65 57.98))",
        "POINT(9.0 61.5)",
    ),
}
# file suffix -> (IANA media type, EU file type, name of the format)
FORMATS = {
    ".trig": ("application/trig", "RDF_TRIG", "TriG"),
    ".nq": ("application/n-quads", "RDF_N_QUADS", "N-Quads"),
    ".ttl": ("text/turtle", "RDF_TURTLE", "Turtle"),
    ".nt": ("application/n-triples", "RDF_N_TRIPLES", "N-Triples"),
    ".jsonld": ("application/ld+json", "JSON_LD", "JSON-LD"),
}
SPARQL_FORMAT = ("application/sparql-results+json", "SPARQLQ", "SPARQL")
MEDIA_TYPES = {suffix: media for suffix, (media, _, _) in FORMATS.items()}

_EXAMPLES = """
PREFIX rg: <https://w3id.org/regiongraph/ontology#>
SELECT ?s WHERE {
  VALUES ?c { rg:Region rg:Project rg:FundingProgramme rg:Event rg:PressRelease }
  { SELECT ?c (MIN(STR(?x)) AS ?first) WHERE {
      ?x a ?c . ?r <https://schema.org/mentions> ?x } GROUP BY ?c }
  BIND(IRI(?first) AS ?s)
}
"""
_PERIOD = """
PREFIX rg: <https://w3id.org/regiongraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT (MIN(?d) AS ?start) (MAX(?d) AS ?end) WHERE {
  ?r a rg:PressRelease ; dcterms:issued ?d FILTER(DATATYPE(?d) = xsd:date) }
"""
_COUNTRIES = """
PREFIX rg: <https://w3id.org/regiongraph/ontology#>
SELECT DISTINCT ?code WHERE { ?r <https://schema.org/mentions> ?x . ?x rg:countryCode ?code }
"""
RDF_TYPE = ox.NamedNode(str(RDF.type))


@dataclass
class DatasetStats:
    """VoID counts of what is published: the default graph and each named graph."""

    triples: int = 0
    subjects: int = 0
    objects: int = 0
    properties: int = 0
    classes: int = 0
    entities: int = 0
    graphs: dict[str, int] = field(default_factory=dict)  # named graph -> triples


def dataset_stats(
    triples: Iterable[ox.Triple], quads: Iterable[ox.Quad], entity_space: str
) -> DatasetStats:
    """Count the default graph (``triples``) and the named graphs (``quads``) as published."""
    subjects, objects, properties, classes = set(), set(), set(), set()
    stats = DatasetStats()
    for t in triples:
        stats.triples += 1
        subjects.add(t.subject)
        objects.add(t.object)
        properties.add(t.predicate)
        if t.predicate == RDF_TYPE:
            classes.add(t.object)
    stats.subjects, stats.objects = len(subjects), len(objects)
    stats.properties, stats.classes = len(properties), len(classes)
    stats.entities = sum(
        1 for s in subjects if isinstance(s, ox.NamedNode) and s.value.startswith(entity_space)
    )
    for q in quads:
        name = q.graph_name.value
        stats.graphs[name] = stats.graphs.get(name, 0) + 1
    return stats


def store_stats(store: GraphStore) -> DatasetStats:
    """``dataset_stats`` of the store as it is (the default graph and its data graphs)."""
    triples = (q.triple for q in store.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    quads = (q for g in store.data_graphs() for q in store.graph_quads(g))
    return dataset_stats(triples, quads, f"{store.minter.base}/id/")


def describe_dataset(
    store: GraphStore,
    *,
    stats: DatasetStats | None = None,
    dumps: Sequence[str] = (),
    endpoint: str | None = None,
    dump_base: str | None = None,
    include_contact_details: bool = False,
) -> Graph:
    """The VoID/DCAT-AP 3.0.0 description: an rdflib Graph, to be written as Turtle.

    ``stats``: counts of the published files (``dataset_stats``); without them the store
    is counted as it is.
    """
    base = store.minter.base
    dataset = URIRef(f"{base}/dataset")
    g = Graph()
    for prefix, ns in (
        ("void", VOID),
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("sd", SD),
        ("dcatap", DCATAP),
        ("vcard", VCARD),
        ("foaf", FOAF),
        ("skos", SKOS),
    ):
        g.bind(prefix, ns)
    _about(g, dataset, base, include_contact_details)
    _coverage(g, dataset, store)
    _void(g, dataset, stats or store_stats(store), store)
    service = _service(g, dataset, endpoint) if endpoint else None
    prefix = (dump_base or f"{base}/dumps").rstrip("/")
    for name in dumps:
        url = URIRef(f"{prefix}/{name}")
        g.add((dataset, VOID.dataDump, url))
        dist = URIRef(f"{base}/dataset/distribution/{name.replace('/', '-')}")
        media, file_type, label = FORMATS.get(Path(name).suffix, ("text/plain", "TXT", "text"))
        _distribution(g, dataset, dist, url, (media, file_type, label))
        g.add((dist, DCAT.downloadURL, url))
    if endpoint and service is not None:
        dist = URIRef(f"{base}/dataset/distribution/sparql")
        _distribution(g, dataset, dist, URIRef(endpoint), SPARQL_FORMAT)
        g.add((dist, DCAT.accessService, service))
    return g


def _concept(g: Graph, iri: URIRef, label: str, *classes: URIRef) -> URIRef:
    g.add((iri, RDF.type, SKOS.Concept))
    g.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
    for cls in classes:
        g.add((iri, RDF.type, cls))
    return iri


def _about(g: Graph, dataset: URIRef, base: str, include_contact_details: bool) -> None:
    """Title, description, keywords, themes, publisher, contact point, licence, rights."""
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    g.add((dataset, DCTERMS.title, Literal("regiongraph: regional innovation actors", lang="en")))
    g.add((dataset, DCTERMS.title, Literal("regiongraph: regionala innovationsaktörer", lang="sv")))
    for text, lang in (
        (
            "Regional innovation actors (regions, municipalities, companies, universities, "
            "agencies, unions, funding programmes), their projects, events and people, read "
            "from Swedish press releases. Every fact keeps its evidence: the sentence, the "
            "release and the extraction rule.",
            "en",
        ),
        (
            "Regionala innovationsaktörer (regioner, kommuner, företag, lärosäten, "
            "myndigheter, fackförbund, finansieringsprogram), deras projekt, evenemang och "
            "personer, utlästa ur svenska pressmeddelanden. Varje uppgift behåller sina "
            "belägg: meningen, pressmeddelandet och extraktionsregeln.",
            "sv",
        ),
    ):
        g.add((dataset, DCTERMS.description, Literal(text, lang=lang)))
    for lang, words in KEYWORDS.items():
        for word in words:
            g.add((dataset, DCAT.keyword, Literal(word, lang=lang)))
    for code, label in THEMES.items():
        theme = _concept(g, URIRef(f"{EU}data-theme/{code}"), label)
        g.add((dataset, DCAT.theme, theme))
    publisher = URIRef(f"{base}/dataset#publisher")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(PUBLISHER)))
    g.add((publisher, DCTERMS.type, _concept(g, NON_PROFIT, "Non-profit organisation")))
    g.add((publisher, FOAF.homepage, URIRef(base)))
    g.add((dataset, DCTERMS.publisher, publisher))
    contact = URIRef(f"{base}/dataset#contact")
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(PUBLISHER)))
    g.add((contact, VCARD.hasURL, URIRef(base)))
    g.add((dataset, DCAT.contactPoint, contact))
    g.add((dataset, FOAF.homepage, URIRef(base)))
    _licence(g, dataset)
    g.add((PUBLIC, RDF.type, DCTERMS.RightsStatement))
    g.add((PUBLIC, RDFS.label, Literal("public", lang="en")))
    g.add((dataset, DCTERMS.accessRights, PUBLIC))
    if not include_contact_details:
        note = "E-mail addresses and phone numbers of people are left out of every distribution."
        g.add((dataset, RDFS.comment, Literal(note, lang="en")))


def _licence(g: Graph, subject: URIRef) -> None:
    g.add((subject, DCTERMS.license, EU_LICENCE))
    g.add((EU_LICENCE, RDF.type, DCTERMS.LicenseDocument))
    g.add((EU_LICENCE, DCTERMS.type, _concept(g, ATTRIBUTION, "Attribution")))
    g.add((EU_LICENCE, RDFS.seeAlso, URIRef(LICENCE)))


def _coverage(g: Graph, dataset: URIRef, store: GraphStore) -> None:
    """Spatial coverage (countries of the actors the releases mention) and temporal
    coverage (the first and last publication date of a release)."""
    for row in store.store.query(_COUNTRIES):
        country = COUNTRIES.get(row["code"].value)
        if country is None:
            continue
        code, bbox, centroid = country
        location = URIRef(f"{EU}country/{code}")
        g.add((location, RDF.type, DCTERMS.Location))
        g.add((location, DCAT.bbox, Literal(bbox, datatype=GEO.wktLiteral)))
        g.add((location, DCAT.centroid, Literal(centroid, datatype=GEO.wktLiteral)))
        g.add((dataset, DCTERMS.spatial, location))
    row = next(iter(store.store.query(_PERIOD)), None)
    if row is None or row["start"] is None:
        return
    period = URIRef(f"{dataset}#period")
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, Literal(row["start"].value, datatype=XSD.date)))
    g.add((period, DCAT.endDate, Literal(row["end"].value, datatype=XSD.date)))
    g.add((dataset, DCTERMS.temporal, period))


def _void(g: Graph, dataset: URIRef, stats: DatasetStats, store: GraphStore) -> None:
    """VoID: vocabularies, counts, example resources and one subset per named graph."""
    base = store.minter.base
    g.add((dataset, VOID.uriSpace, Literal(f"{base}/id/")))
    for vocab in (
        "https://w3id.org/regiongraph/ontology#",
        "http://www.w3.org/ns/org#",
        "https://schema.org/",
        "http://www.w3.org/ns/prov#",
    ):
        g.add((dataset, VOID.vocabulary, URIRef(vocab)))
    for predicate, value in (
        (VOID.triples, stats.triples),
        (VOID.entities, stats.entities),
        (VOID.classes, stats.classes),
        (VOID.properties, stats.properties),
        (VOID.distinctSubjects, stats.subjects),
        (VOID.distinctObjects, stats.objects),
    ):
        g.add((dataset, predicate, Literal(value, datatype=XSD.integer)))
    for row in store.store.query(_EXAMPLES):
        g.add((dataset, VOID.exampleResource, URIRef(row["s"].value)))
    for graph, count in sorted(stats.graphs.items()):
        subset = URIRef(graph)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, RDF.type, SD.NamedGraph))
        g.add((subset, SD.name, subset))
        g.add((subset, VOID.triples, Literal(count, datatype=XSD.integer)))


def _service(g: Graph, dataset: URIRef, endpoint: str) -> URIRef:
    """The SPARQL endpoint as a DCAT data service (its service description at the URL)."""
    g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    service = URIRef(f"{dataset}#sparql-service")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint (read-only)", lang="en")))
    g.add((service, DCAT.endpointURL, URIRef(endpoint)))
    g.add((service, DCAT.endpointDescription, URIRef(endpoint)))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((service, DCTERMS.accessRights, PUBLIC))
    _licence(g, service)
    return service


def _distribution(
    g: Graph, dataset: URIRef, dist: URIRef, url: URIRef, fmt: tuple[str, str, str]
) -> None:
    """A distribution reached at ``url``, in ``fmt`` (IANA media type, EU file type, name)."""
    media_type, file_type, label = fmt
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.accessURL, url))
    g.add((dist, DCTERMS.title, Literal(f"regiongraph ({label})", lang="en")))
    g.add((dist, DCTERMS.description, Literal(_DIST_TEXT.get(label, label), lang="en")))
    media = URIRef(IANA + media_type)
    g.add((media, RDF.type, DCTERMS.MediaType))
    g.add((dist, DCAT.mediaType, media))
    fmt_iri = URIRef(f"{EU}file-type/{file_type}")
    g.add((fmt_iri, RDF.type, DCTERMS.MediaTypeOrExtent))
    g.add((dist, DCTERMS.format, fmt_iri))
    g.add((dist, DCATAP.availability, _concept(g, STABLE, "stable")))
    _licence(g, dist)


_DIST_TEXT = {
    "TriG": "Every named graph: one per press release with its provenance, the ontology, "
    "the reference data and the canonical actors.",
    "N-Quads": "Every named graph, one quad per line (as the TriG file).",
    "Turtle": "The default graph: the de-duplicated union of the named graphs.",
    "N-Triples": "The default graph, one triple per line (as the Turtle file).",
    "JSON-LD": "The default graph as JSON-LD, compacted with the published context.",
    "SPARQL": "SPARQL 1.1 queries over the default graph and the named graphs.",
}


# -- ontology documentation ---------------------------------------------------------------

_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#222}h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}
section{border-left:3px solid #8ab;padding:.2rem .8rem;margin:1rem 0}code{background:#f3f3f3;
padding:0 .2rem}dt{font-weight:600}dd{margin:0 0 .4rem 1rem}nav a{margin-right:.6rem}
"""


def _label(g: Graph, term: URIRef, lang: str = "en") -> str:
    for label in g.objects(term, RDFS.label):
        if getattr(label, "language", None) == lang:
            return str(label)
    return str(next(iter(g.objects(term, RDFS.label)), _short(term)))


def _short(term: object) -> str:
    text = str(term)
    for prefix, ns in (
        ("rg:", "https://w3id.org/regiongraph/ontology#"),
        ("org:", "http://www.w3.org/ns/org#"),
        ("schema:", "https://schema.org/"),
        ("prov:", "http://www.w3.org/ns/prov#"),
        ("foaf:", "http://xmlns.com/foaf/0.1/"),
        ("skos:", "http://www.w3.org/2004/02/skos/core#"),
        ("dcterms:", "http://purl.org/dc/terms/"),
        ("xsd:", "http://www.w3.org/2001/XMLSchema#"),
        ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"),
        ("owl:", "http://www.w3.org/2002/07/owl#"),
    ):
        if text.startswith(ns):
            return prefix + text[len(ns) :]
    return text


def _link(term: object) -> str:
    short = _short(term)
    if short.startswith("rg:"):
        return f'<a href="#{html.escape(short[3:])}"><code>{html.escape(short)}</code></a>'
    if isinstance(term, URIRef):
        return f'<a href="{html.escape(str(term))}"><code>{html.escape(short)}</code></a>'
    return "<code>(anonymous class)</code>"


def _entry(g: Graph, term: URIRef) -> str:
    local = str(term).rsplit("#", 1)[-1]
    rows = []
    for name, predicate in (
        ("definition", SKOS.definition),
        ("comment", RDFS.comment),
    ):
        for value in g.objects(term, predicate):
            if getattr(value, "language", "en") in (None, "en"):
                rows.append(f"<dt>{name}</dt><dd>{html.escape(str(value))}</dd>")
    for name, predicate in (
        ("subclass of", RDFS.subClassOf),
        ("subproperty of", RDFS.subPropertyOf),
        ("domain", RDFS.domain),
        ("range", RDFS.range),
        ("see also", RDFS.seeAlso),
    ):
        values = sorted(g.objects(term, predicate), key=str)
        if values:
            rows.append(f"<dt>{name}</dt><dd>{', '.join(_link(v) for v in values)}</dd>")
    labels = ", ".join(
        f"{html.escape(str(v))} ({v.language})"
        for v in sorted(g.objects(term, RDFS.label), key=str)
    )
    return (
        f'<section id="{html.escape(local)}"><h3>{html.escape(_label(g, term))}</h3>'
        f"<p><code>{html.escape(str(term))}</code></p><p>{labels}</p>"
        f"<dl>{''.join(rows)}</dl></section>"
    )


def write_ontology_html(ontology: Path, out: Path) -> Path:
    """One HTML page documenting every class and property of the ontology."""
    out.write_text(ontology_html(ontology), encoding="utf-8")
    return out


def ontology_html(ontology: Path) -> str:
    """The ontology documentation page as text."""
    g = Graph()
    g.parse(ontology, format="turtle")
    onto = next(g.subjects(RDF.type, OWL.Ontology))
    title = next(
        (str(t) for t in g.objects(onto, DCTERMS.title) if getattr(t, "language", "") == "en"),
        str(onto),
    )
    description = next(
        (
            str(t)
            for t in g.objects(onto, DCTERMS.description)
            if getattr(t, "language", "") == "en"
        ),
        "",
    )
    ns = str(onto) + "#"
    classes = sorted(
        (c for c in set(g.subjects(RDF.type, OWL.Class)) if str(c).startswith(ns)), key=str
    )
    properties = sorted(
        (
            p
            for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
            for p in g.subjects(RDF.type, kind)
            if str(p).startswith(ns)
        ),
        key=str,
    )
    properties = sorted(set(properties), key=str)
    version = next((str(v) for v in g.objects(onto, OWL.versionInfo)), "")
    licence = next((str(v) for v in g.objects(onto, DCTERMS.license)), "")
    nav = " ".join(_link(t) for t in [*classes, *properties])
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{_CSS}</style></head><body>
<h1>{html.escape(title)}</h1>
<p><code>{html.escape(str(onto))}</code> · version {html.escape(version)} ·
licence <a href="{html.escape(licence)}">{html.escape(licence)}</a> ·
<a href="regiongraph.ttl">Turtle</a> · <a href="shapes.ttl">SHACL shapes</a></p>
<p>{html.escape(description)}</p>
<nav>{nav}</nav>
<h2 id="classes">Classes</h2>
{"".join(_entry(g, c) for c in classes)}
<h2 id="properties">Properties</h2>
{"".join(_entry(g, p) for p in properties)}
</body></html>
"""
    return page
