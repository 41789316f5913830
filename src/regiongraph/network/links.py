"""Actor–actor links by pattern scans of the store: ``queries/network-links.rq`` in Python.

The query is the documented definition of a link (and what a remote endpoint runs);
``actor_links`` computes the same rows from a handful of triple-pattern scans of the
default graph and dictionaries. The self-join of participations is what makes the
query slow: at 10,000 synthetic releases (220,000 pairs) the query took 12 s, this
takes well under a second, and at 100,000 releases (millions of pairs) the query could
not finish in the benchmark's memory. ``tests/test_network.py`` checks that both give the
same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pyoxigraph as ox

from regiongraph.vocab import ACTOR_CLASSES, RG, THING_CLASSES

_DEFAULT = ox.DefaultGraph()
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")

# Direct relations between actors, each one shared "thing" with a fixed label.
DIRECT = {
    "collaboratesWith": "collaborates with",
    "partOf": "part of",
    "affiliatedWith": "affiliated with",
}


def _rg(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(RG[name]))


def _typed(store: ox.Store, classes: tuple[str, ...]) -> set[str]:
    return {
        q.subject.value
        for c in classes
        for q in store.quads_for_pattern(None, _TYPE, _rg(c), _DEFAULT)
        if isinstance(q.subject, ox.NamedNode)
    }


def _objects(store: ox.Store, predicate: str) -> Iterator[tuple[str, str]]:
    for q in store.quads_for_pattern(None, _rg(predicate), None, _DEFAULT):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
            yield q.subject.value, q.object.value


def _thing_label(store: ox.Store, thing: str) -> str:
    """As the query: the smallest skos:prefLabel, else the smallest rdfs:label, else the IRI."""
    node = ox.NamedNode(thing)
    for predicate in (_PREF_LABEL, _LABEL):
        values = [q.object.value for q in store.quads_for_pattern(node, predicate, None, _DEFAULT)]
        if values:
            return min(values)
    return thing


def actor_links(store: ox.Store, *, persons: bool = False) -> Iterator[dict[str, object]]:
    """The rows of ``network-links`` (``a``, ``b``, ``weight``, ``via``) in (a, b) order."""
    actors = _typed(store, ACTOR_CLASSES)
    things = _typed(store, THING_CLASSES)
    people = _typed(store, ("Person",))
    members: defaultdict[str, set[str]] = defaultdict(set)  # thing -> who leads/takes part
    funders: defaultdict[str, set[str]] = defaultdict(set)  # thing -> who funds it
    for predicate in ("leads", "participatesIn"):
        for x, thing in _objects(store, predicate):
            if x in actors and thing in things:
                members[thing].add(x)
    for thing, y in _objects(store, "fundedBy"):
        if y in actors and thing in things:
            funders[thing].add(y)

    shared: defaultdict[tuple[str, str], set[str]] = defaultdict(set)  # pair -> things
    for thing, xs in members.items():
        ys = xs | funders.get(thing, set())
        for x in xs:
            for y in ys:
                if x != y:
                    shared[(x, y) if x < y else (y, x)].add(thing)
    labels = {thing: _thing_label(store, thing) for thing in members}
    for predicate, label in DIRECT.items():
        labels[predicate] = label
        for x, y in _objects(store, predicate):
            if x in actors and y in actors and x != y:
                shared[(x, y) if x < y else (y, x)].add(predicate)

    for a, b in sorted(shared):
        if not persons and (a in people or b in people):
            continue
        things_of = shared[(a, b)]
        yield {
            "a": a,
            "b": b,
            "weight": len(things_of),
            "via": "\n".join(sorted(labels[t] for t in things_of)),
        }
