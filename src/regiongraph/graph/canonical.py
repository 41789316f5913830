"""The canonical actors graph: one preferred label and one type per actor across releases.

Releases may call one actor by several names and, rarely, give it different types. The
canonical description picks the label and type most releases use (ties broken by
name, so the choice is stable) and lists every surface form as ``skos:altLabel``.
Reference actors already have theirs in the reference graph and are left out here.

An actor's description depends only on the release graphs that mention it, so a build
that adds, changes or removes a few releases recomputes only the actors those releases
mention (old and new graph): :func:`describe_actors` with ``actors`` given, written with
:meth:`GraphStore.replace_subjects`. A clean build describes every actor in one pass.

The label and type choice needs, per actor, how many release graphs use each
(label, type) pair: :class:`Tallies`. The build keeps them in its sidecar index and
updates them per changed graph (:func:`graph_tally`), so re-describing an actor that
thousands of releases mention does not query all those releases again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from regiongraph.graph.store import GraphStore
from regiongraph.vocab import RG, SCHEMA, IriMinter

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
# The same two questions for a given set of actors (VALUES is filled with escaped IRIs).
_LABELS_OF = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?g ?e ?label ?type WHERE {
  VALUES ?e { %s }
  GRAPH ?g { ?e rdfs:label ?label ; a ?type . ?r schema:mentions ?e }
}
"""
_FORMS_OF = """
PREFIX rg: <https://w3id.org/regiongraph/ontology#>
SELECT DISTINCT ?e ?form WHERE { VALUES ?e { %s } ?e rg:surfaceForm ?form }
"""
_BATCH = 500  # actors per VALUES block
_GRAPH_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?e ?label ?type WHERE {
  GRAPH %s { ?r schema:mentions ?e . ?e rdfs:label ?label ; a ?type }
}
"""

# actor IRI -> (label, type) -> number of release graphs that give the actor both
Tallies = dict[str, Counter]


def graph_tally(store: GraphStore, graph_iri: str) -> set[tuple[str, str, str]]:
    """The (actor, label, type) rows one release graph contributes to the tallies."""
    rows = store.query(_GRAPH_LABELS % ox.NamedNode(graph_iri))
    return {(r["e"].value, r["label"].value, r["type"].value) for r in rows}


_MENTIONS = str(SCHEMA.mentions)
_RDFS_LABEL = str(RDFS.label)
_RDF_TYPE = str(RDF.type)
_SURFACE_FORM = str(RG.surfaceForm)


def release_rows(
    ntriples: str,
) -> tuple[frozenset[tuple[str, str, str]], frozenset[tuple[str, str]]]:
    """What one release graph (N-Triples) gives the canonical actors, read from its text.

    The (actor, label, type) rows of :func:`graph_tally` and the (node, surface form) pairs
    of the forms query: a worker computes them while it has the graph, so a clean build
    describes every actor from these instead of querying all release graphs at the end
    (4.4 s at 10,000 releases, 50 s at 100,000, with every core but one idle).
    """
    mentioned: set[str] = set()
    labels: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    forms: set[tuple[str, str]] = set()
    for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        p, value = q.predicate.value, q.object.value
        if p == _MENTIONS:
            mentioned.add(value)
        elif p == _RDF_TYPE:
            types[q.subject.value].add(value)
        elif p == _RDFS_LABEL:
            labels[q.subject.value].add(value)
        elif p == _SURFACE_FORM:
            forms.add((q.subject.value, value))
    rows = frozenset(
        (e, label, type_) for e in mentioned for label in labels[e] for type_ in types[e]
    )
    return rows, frozenset(forms)


def add_tally(tallies: Tallies, rows: Iterable[tuple[str, str, str]], sign: int = 1) -> None:
    """Add (``sign=1``) or take away (``-1``) one graph's rows."""
    for e, label, type_ in rows:
        counter = tallies.setdefault(e, Counter())
        counter[(label, type_)] += sign
        if counter[(label, type_)] <= 0:
            del counter[(label, type_)]
            if not counter:
                del tallies[e]


def tallies_to_json(tallies: Tallies) -> dict[str, list[list]]:
    return {e: [[lb, t, n] for (lb, t), n in sorted(c.items())] for e, c in tallies.items()}


def tallies_from_json(data: dict[str, list[list]]) -> Tallies:
    return {e: Counter({(lb, t): int(n) for lb, t, n in rows}) for e, rows in data.items()}


_PREF = ox.NamedNode(str(SKOS.prefLabel))
_ALT = ox.NamedNode(str(SKOS.altLabel))
_TYPE = ox.NamedNode(str(RDF.type))


def reference_subjects(store: GraphStore, minter: IriMinter) -> set[str]:
    reference = ox.NamedNode(str(minter.graph("reference")))
    return {q.subject.value for q in store.store.quads_for_pattern(None, None, None, reference)}


def describe_actors(
    store: GraphStore,
    minter: IriMinter,
    actors: Iterable[str] | None = None,
    in_reference: set[str] | None = None,
    tallies: Tallies | None = None,
    tallies_out: Tallies | None = None,
) -> dict[str, list[tuple[str, str, str]]]:
    """Actor IRI -> its canonical triples ``(predicate, object kind, value)``.

    ``actors=None`` describes every actor in the store; otherwise only those given (an
    actor no release mentions any more gets no entry, so its description is dropped).
    Object kind is ``"iri"`` or ``"literal"``. With ``tallies`` (kept up to date by the
    caller) the label and type counts come from there instead of the release graphs.
    ``tallies_out``, if given, is filled with the tallies of every release graph read.
    """
    if in_reference is None:
        in_reference = reference_subjects(store, minter)
    labels: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    forms: dict[str, set[str]] = defaultdict(set)
    if actors is None:
        batches: list[tuple[str, str]] = [(_LABELS, _FORMS)]
    else:
        wanted = sorted(a for a in set(actors) if a not in in_reference)
        batches = []
        for i in range(0, len(wanted), _BATCH):
            values = " ".join(str(ox.NamedNode(a)) for a in wanted[i : i + _BATCH])
            batches.append((_LABELS_OF % values, _FORMS_OF % values))
        if tallies is not None:
            for e in wanted:
                for (label, type_), n in tallies.get(e, Counter()).items():
                    labels[e][label] += n
                    types[e][type_] += n
    for labels_query, forms_query in batches:
        if tallies is None or actors is None:
            for row in store.query(labels_query):
                e = row["e"].value
                if not minter.is_release_graph(row["g"].value):
                    continue
                if tallies_out is not None:
                    key = (row["label"].value, row["type"].value)
                    tallies_out.setdefault(e, Counter())[key] += 1
                if e in in_reference:
                    continue
                labels[e][row["label"].value] += 1
                types[e][row["type"].value] += 1
        for row in store.query(forms_query):
            forms[row["e"].value].add(row["form"].value)
    return _chosen(labels, types, forms)


def describe_from_tallies(
    tallies: Tallies, forms: dict[str, set[str]], in_reference: set[str]
) -> dict[str, list[tuple[str, str, str]]]:
    """:func:`describe_actors` for every actor, from complete tallies and surface forms
    (as :func:`release_rows` gives them per release graph) instead of the store."""
    labels: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    for e, counter in tallies.items():
        if e in in_reference:
            continue
        for (label, type_), n in counter.items():
            labels[e][label] += n
            types[e][type_] += n
    return _chosen(labels, types, forms)


def _chosen(
    labels: dict[str, Counter], types: dict[str, Counter], forms: dict[str, set[str]]
) -> dict[str, list[tuple[str, str, str]]]:
    """Per actor: the label and type most graphs give (ties by name), every surface form."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for e, counter in labels.items():
        label = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        best_type = sorted(types[e].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        triples = [(str(SKOS.prefLabel), "literal", label), (str(RDF.type), "iri", best_type)]
        triples += [(str(SKOS.altLabel), "literal", f) for f in sorted(forms.get(e, ()))]
        out[e] = triples
    return out


def actors_nquads(descriptions: dict[str, list[tuple[str, str, str]]], graph_iri: str) -> str:
    """The descriptions as N-Quads in ``graph_iri``, subjects in IRI order."""
    graph = ox.NamedNode(graph_iri)
    lines = []
    for e in sorted(descriptions):
        subject = ox.NamedNode(e)
        for predicate, kind, value in descriptions[e]:
            obj = ox.NamedNode(value) if kind == "iri" else ox.Literal(value)
            lines.append(f"{ox.Quad(subject, ox.NamedNode(predicate), obj, graph)} .\n")
    return "".join(lines)


def rebuild_actors(
    store: GraphStore,
    minter: IriMinter,
    tallies_out: Tallies | None = None,
    gathered: tuple[Tallies, dict[str, set[str]]] | None = None,
) -> int:
    """Describe every actor afresh and replace the whole actors graph; the actor count.

    ``tallies_out``, if given, is filled with the label and type tallies of every actor.
    ``gathered``: the tallies and surface forms of every release graph in the store,
    collected while they were loaded; then the release graphs are not queried."""
    graph_iri = str(minter.graph("actors"))
    if gathered is not None:
        tallies, forms = gathered
        descriptions = describe_from_tallies(tallies, forms, reference_subjects(store, minter))
        if tallies_out is not None:
            tallies_out.update(tallies)
    else:
        descriptions = describe_actors(store, minter, tallies_out=tallies_out)
    nquads = actors_nquads(descriptions, graph_iri)
    if gathered is not None and not store.store.contains_named_graph(ox.NamedNode(graph_iri)):
        store.bulk_add_graphs(nquads)  # a store being loaded in bulk: 0.2 s instead of 2.6 s
    else:
        store.replace_graph(graph_iri, nquads)
    return len(descriptions)


def update_actors(
    store: GraphStore,
    minter: IriMinter,
    actors: Iterable[str],
    tallies: Tallies | None = None,
    in_reference: set[str] | None = None,
) -> int:
    """Re-describe only ``actors`` (those a changed release mentions, before or after).

    ``tallies``: the label and type tallies of every actor, up to date with the store."""
    graph_iri = str(minter.graph("actors"))
    if in_reference is None:
        in_reference = reference_subjects(store, minter)
    touched = sorted(a for a in set(actors) if a not in in_reference)
    if not touched:
        return 0
    descriptions = describe_actors(store, minter, touched, in_reference, tallies)
    store.replace_subjects(graph_iri, touched, actors_nquads(descriptions, graph_iri))
    return len(touched)


def build_actors_graph(store: GraphStore, minter: IriMinter) -> Graph:
    """The whole actors graph as an rdflib Graph (for inspection and tests)."""
    g = Graph()
    for e, triples in describe_actors(store, minter).items():
        for predicate, kind, value in triples:
            obj = URIRef(value) if kind == "iri" else Literal(value)
            g.add((URIRef(e), URIRef(predicate), obj))
    return g
