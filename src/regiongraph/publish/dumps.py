"""Dumps for partners: the graph in the usual RDF formats, with its description.

``export(store, out)`` writes into ``out``:

- ``regiongraph.trig``, ``regiongraph.nq``: every named graph (releases with their
  provenance, ontology, reference, actors);
- ``regiongraph.ttl``, ``regiongraph.nt``: the default graph, the de-duplicated union
  that queries see;
- ``regiongraph.jsonld`` + ``context.jsonld``: the default graph as JSON-LD, compacted
  with the published context;
- ``ontology/regiongraph.ttl``, ``ontology/shapes.ttl``, ``ontology/index.html``: the
  ontology, the SHACL shapes, the ontology documentation;
- ``void.ttl``: the VoID + DCAT description (``regiongraph.publish.describe``).

Personal data: unless ``include_contact_details`` is set, triples with schema:email or
schema:telephone are dropped, and e-mail addresses and phone numbers inside literals
(evidence sentences quote contact lines) are replaced by ``[contact details removed]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from regiongraph.graph.store import GraphStore
from regiongraph.paths import ontology_dir
from regiongraph.publish.redact import EMAIL, REDACTED, redact_text  # noqa: F401 (re-exported)

SCHEMA = "https://schema.org/"
CONTACT_PREDICATES = frozenset({SCHEMA + "email", SCHEMA + "telephone"})
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

PREFIXES = {
    "rg": "https://w3id.org/regiongraph/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "schema": SCHEMA,
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
}

Progress = Callable[[str], None]


def jsonld_context() -> dict:
    """The published JSON-LD context: the prefixes, and short names for common terms."""
    context: dict[str, object] = dict(PREFIXES)
    context.update(
        {
            "label": {"@id": "rdfs:label"},
            "prefLabel": {"@id": "skos:prefLabel"},
            "fundedBy": {"@id": "rg:fundedBy", "@type": "@id"},
            "leads": {"@id": "rg:leads", "@type": "@id"},
            "participatesIn": {"@id": "rg:participatesIn", "@type": "@id"},
            "affiliatedWith": {"@id": "rg:affiliatedWith", "@type": "@id"},
            "collaboratesWith": {"@id": "rg:collaboratesWith", "@type": "@id"},
            "partOf": {"@id": "rg:partOf", "@type": "@id"},
            "locatedIn": {"@id": "rg:locatedIn", "@type": "@id"},
            "inRegion": {"@id": "rg:inRegion", "@type": "@id"},
            "mentions": {"@id": "schema:mentions", "@type": "@id"},
            "evidence": {"@id": "rg:evidence", "@type": "@id"},
            "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
        }
    )
    return {"@context": context}


def _redacted(quad: ox.Quad) -> ox.Quad:
    obj = quad.object
    # Only text is redacted: typed values (dates, numbers) are never contact details.
    if isinstance(obj, ox.Literal) and (obj.language or obj.datatype.value == XSD_STRING):
        text = redact_text(obj.value)
        if text != obj.value:
            if obj.language:
                obj = ox.Literal(text, language=obj.language)
            else:
                obj = ox.Literal(text, datatype=obj.datatype)
            return ox.Quad(quad.subject, quad.predicate, obj, quad.graph_name)
    return quad


def partner_quads(quads: Iterable[ox.Quad], include_contact_details: bool) -> Iterator[ox.Quad]:
    """The quads fit for partners: contact details dropped or redacted unless asked for."""
    for quad in quads:
        if include_contact_details:
            yield quad
        elif quad.predicate.value not in CONTACT_PREDICATES:
            yield _redacted(quad)


def named_graph_quads(store: GraphStore) -> list[ox.Quad]:
    """Every quad of every data graph (no staging or bookkeeping graph), in a stable order."""
    out: list[ox.Quad] = []
    for graph in store.data_graphs():
        out.extend(sorted(store.graph_quads(graph), key=str))
    return out


def default_graph_triples(store: GraphStore) -> list[ox.Triple]:
    quads = store.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    return sorted((q.triple for q in quads), key=str)


@dataclass
class ExportResult:
    out: Path
    files: list[Path] = field(default_factory=list)
    triples: int = 0
    quads: int = 0
    include_contact_details: bool = False


def export(
    store: GraphStore,
    out: Path,
    *,
    include_contact_details: bool = False,
    endpoint: str | None = None,
    dump_base: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the dumps, the ontology and the description into ``out``."""
    from regiongraph.publish.describe import dataset_stats, describe_dataset, write_ontology_html

    say = progress or (lambda _message: None)
    out.mkdir(parents=True, exist_ok=True)
    result = ExportResult(out=out, include_contact_details=include_contact_details)

    say("named graphs (TriG, N-Quads)")
    quads = list(partner_quads(named_graph_quads(store), include_contact_details))
    result.quads = len(quads)
    for name, fmt in (
        ("regiongraph.trig", ox.RdfFormat.TRIG),
        ("regiongraph.nq", ox.RdfFormat.N_QUADS),
    ):
        path = out / name
        ox.serialize(
            quads, str(path), format=fmt, prefixes=PREFIXES if fmt is ox.RdfFormat.TRIG else None
        )
        result.files.append(path)

    say("default graph (Turtle, N-Triples, JSON-LD)")
    triples_as_quads = partner_quads(
        (
            ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
            for t in default_graph_triples(store)
        ),
        include_contact_details,
    )
    triples = [q.triple for q in triples_as_quads]
    result.triples = len(triples)
    ox.serialize(
        triples, str(out / "regiongraph.ttl"), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES
    )
    ox.serialize(triples, str(out / "regiongraph.nt"), format=ox.RdfFormat.N_TRIPLES)
    result.files += [out / "regiongraph.ttl", out / "regiongraph.nt"]

    context = jsonld_context()
    (out / "context.jsonld").write_text(json.dumps(context, indent=2) + "\n", encoding="utf-8")
    write_jsonld(triples, out / "regiongraph.jsonld", context)
    result.files += [out / "context.jsonld", out / "regiongraph.jsonld"]

    say("ontology and documentation")
    onto_out = out / "ontology"
    onto_out.mkdir(exist_ok=True)
    for name in ("regiongraph.ttl", "shapes.ttl"):
        # the shapes quote example contact details in their messages: same policy
        text = (ontology_dir() / name).read_text(encoding="utf-8")
        if not include_contact_details:
            text = redact_text(text)
        (onto_out / name).write_text(text, encoding="utf-8")
        result.files.append(onto_out / name)
    result.files.append(
        write_ontology_html(ontology_dir() / "regiongraph.ttl", onto_out / "index.html")
    )

    say("VoID and DCAT description")
    # the dumps of the data, which the VoID counts describe (not the ontology files)
    dumps = [p.name for p in result.files if p.parent == out and p.stem == "regiongraph"]
    description = describe_dataset(
        store,
        stats=dataset_stats(triples, quads, f"{store.minter.base}/id/"),
        dumps=dumps,
        endpoint=endpoint,
        dump_base=dump_base,
        include_contact_details=include_contact_details,
    )
    void_path = out / "void.ttl"
    void_path.write_text(description.serialize(format="turtle"), encoding="utf-8")
    result.files.append(void_path)
    return result


def write_jsonld(triples: list[ox.Triple], path: Path, context: dict) -> None:
    """JSON-LD compacted with ``context`` (embedded, so no network fetch is needed)."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    text = graph.serialize(format="json-ld", context=context["@context"], auto_compact=True)
    path.write_text(text, encoding="utf-8")
