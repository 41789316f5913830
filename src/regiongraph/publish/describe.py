"""The dataset's description (VoID + DCAT) and the ontology's documentation as HTML.

``describe_dataset`` counts from the store itself (triples of the default graph,
distinct subjects and objects, classes, properties, entities under ``{base}/id/``, one
subset per named graph) and names the licence, the SPARQL endpoint, the dump files and
a few example resources. ``write_ontology_html`` renders ``ontology/regiongraph.ttl``
(classes and properties with labels, definitions, domains, ranges and superclasses) as
one self-contained HTML page, in the manner of pyLODE, without a network fetch.
"""

from __future__ import annotations

import html
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, SKOS, VOID

from regiongraph.graph.store import GraphStore

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

MEDIA_TYPES = {
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
}

_COUNTS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
       (COUNT(DISTINCT ?o) AS ?objects) (COUNT(DISTINCT ?p) AS ?properties)
WHERE { ?s ?p ?o }
"""
_CLASSES = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"
_EXAMPLES = """
PREFIX rg: <https://w3id.org/regiongraph/ontology#>
SELECT ?s WHERE {
  VALUES ?c { rg:Region rg:Project rg:FundingProgramme rg:Event rg:PressRelease }
  { SELECT ?c (MIN(STR(?x)) AS ?first) WHERE {
      ?x a ?c . ?r <https://schema.org/mentions> ?x } GROUP BY ?c }
  BIND(IRI(?first) AS ?s)
}
"""


def _one(store: GraphStore, query: str) -> dict[str, int]:
    results = store.store.query(query)
    row = next(iter(results))
    return {v.value: int(row[v].value) for v in results.variables if row[v] is not None}


def store_counts(store: GraphStore) -> dict[str, int]:
    """VoID counts of the default graph, straight from the store."""
    counts = _one(store, _COUNTS)
    counts["classes"] = _one(store, _CLASSES)["n"]
    space = f"{store.minter.base}/id/"
    counts["entities"] = len(
        {
            q.subject
            for q in store.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(space)
        }
    )
    return counts


def describe_dataset(
    store: GraphStore,
    *,
    triples: int | None = None,
    dumps: list[str] = (),
    endpoint: str | None = None,
    dump_base: str | None = None,
    include_contact_details: bool = False,
) -> Graph:
    """The VoID/DCAT description: an rdflib Graph, to be written as Turtle."""
    base = store.minter.base
    dataset = URIRef(f"{base}/dataset")
    counts = store_counts(store)
    g = Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("sd", SD)):
        g.bind(prefix, ns)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal("regiongraph: regional innovation actors", lang="en")))
    g.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Regional innovation actors (regions, municipalities, companies, "
                "universities, agencies, unions, funding programmes), their projects, "
                "events and people, read from Swedish press releases. Every fact keeps "
                "its evidence: the sentence, the release and the extraction rule.",
                lang="en",
            ),
        )
    )
    g.add((dataset, DCTERMS.license, URIRef(LICENCE)))
    g.add((dataset, DCTERMS.publisher, Literal("regiongraph developers")))
    g.add((dataset, FOAF.homepage, URIRef(base)))
    g.add((dataset, VOID.uriSpace, Literal(f"{base}/id/")))
    g.add((dataset, VOID.vocabulary, URIRef("https://w3id.org/regiongraph/ontology#")))
    for vocab in ("http://www.w3.org/ns/org#", "https://schema.org/", "http://www.w3.org/ns/prov#"):
        g.add((dataset, VOID.vocabulary, URIRef(vocab)))
    g.add((dataset, VOID.triples, Literal(counts["triples"], datatype=XSD.integer)))
    g.add((dataset, VOID.entities, Literal(counts["entities"], datatype=XSD.integer)))
    g.add((dataset, VOID.classes, Literal(counts["classes"], datatype=XSD.integer)))
    g.add((dataset, VOID.properties, Literal(counts["properties"], datatype=XSD.integer)))
    g.add((dataset, VOID.distinctSubjects, Literal(counts["subjects"], datatype=XSD.integer)))
    g.add((dataset, VOID.distinctObjects, Literal(counts["objects"], datatype=XSD.integer)))
    if triples is not None and triples != counts["triples"]:
        g.add(
            (
                dataset,
                RDFS.comment,
                Literal(
                    f"The dumps hold {triples} triples of the default graph: "
                    f"{counts['triples'] - triples} contact-detail triples are left out."
                ),
            )
        )
    if not include_contact_details:
        g.add(
            (
                dataset,
                DCTERMS.accessRights,
                Literal("E-mail addresses and phone numbers of people are left out."),
            )
        )
    if endpoint:
        g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
        service = BNode()
        g.add((dataset, DCAT.distribution, service))
        g.add((service, RDF.type, DCAT.Distribution))
        g.add((service, DCAT.accessURL, URIRef(endpoint)))
        g.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint (read-only)")))
    for row in store.store.query(_EXAMPLES):
        g.add((dataset, VOID.exampleResource, URIRef(row["s"].value)))
    prefix = (dump_base or f"{base}/dumps").rstrip("/")
    for name in dumps:
        url = URIRef(f"{prefix}/{name}")
        g.add((dataset, VOID.dataDump, url))
        dist = URIRef(f"{base}/dataset/distribution/{name.replace('/', '-')}")
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, Literal(MEDIA_TYPES.get(Path(name).suffix, "text/plain"))))
        g.add((dist, DCTERMS.license, URIRef(LICENCE)))
    for graph in sorted(n.value for n in store.store.named_graphs()):
        if graph.endswith("/staging"):
            continue
        subset = URIRef(graph)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, RDF.type, SD.NamedGraph))
        g.add((subset, SD.name, subset))
        g.add((subset, VOID.triples, Literal(store.count(graph), datatype=XSD.integer)))
    return g


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
