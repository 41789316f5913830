"""The canonical actors graph: one preferred label and one type per actor across releases.

Releases may call one actor by several names and, rarely, give it different types. The
canonical description picks the label and type most releases use (ties broken by
name, so the choice is stable) and lists every surface form as ``skos:altLabel``.
Reference actors already have theirs in the reference graph and are left out here.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from regiongraph.store import GraphStore
from regiongraph.vocab import IriMinter

_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?g ?e ?label ?type WHERE {
  GRAPH ?g { ?r schema:mentions ?e . ?e rdfs:label ?label ; a ?type }
}
"""
_FORMS = """
PREFIX rg: <https://w3id.org/regiongraph/ontology#>
SELECT DISTINCT ?e ?form WHERE { ?e rg:surfaceForm ?form }
"""


def build_actors_graph(store: GraphStore, minter: IriMinter) -> Graph:
    import pyoxigraph as ox

    reference = ox.NamedNode(str(minter.graph("reference")))
    in_reference = {
        q.subject.value for q in store.store.quads_for_pattern(None, None, None, reference)
    }
    labels: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    for row in store.query(_LABELS):
        e = row["e"].value
        if e in in_reference or not minter.is_release_graph(row["g"].value):
            continue
        labels[e][row["label"].value] += 1
        types[e][row["type"].value] += 1
    g = Graph()
    for e, counter in labels.items():
        node = URIRef(e)
        label = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        g.add((node, SKOS.prefLabel, Literal(label)))
        best_type = sorted(types[e].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        g.add((node, RDF.type, URIRef(best_type)))
    for row in store.query(_FORMS):
        e = row["e"].value
        if e in labels:
            g.add((URIRef(e), SKOS.altLabel, Literal(row["form"].value)))
    return g
