"""Store -> projections of the knowledge graph for network analysis (networkx graphs).

``load_network_data`` reads, through four documented queries, everything the
projections need into frozen records (``NetworkData``):

- ``queries/network-actors.rq``: actors (organisations, funding programmes, persons on
  request) with one label and one coarse kind;
- ``queries/network-things.rq``: projects and events;
- ``queries/network-facts.rq``: the stated links (leads, participatesIn, fundedBy,
  collaboratesWith, partOf, affiliatedWith), each with its evidence (release, sentence)
  and, for funding, the amount;
- ``queries/network-places.rq``: region, municipality and country of actors;
- ``queries/network-releases.rq``: titles, dates and web addresses of the releases.

``filter_data`` narrows the data (``Filters``: region or municipality, country, actor
kind, funder, date range of the releases) and the builders project it:

- ``actor_graph``: actor–actor, undirected, weighted and typed. Two actors are linked
  by every project or event both lead or take part in, or that one funds and the other
  leads or takes part in (two co-funders are not linked by the project alone), and by
  a stated collaboration, part-of or affiliation. ``weight`` counts the shared things
  (one per kind of direct relation), as ``queries/network-links.rq`` does.
- ``actor_project_graph``: bipartite actors–projects/events (``bipartite`` 0 / 1).
- ``funding_graph``: directed funder -> project -> actor, funding edges carrying the
  amounts stated (``amount``: per currency; no conversion between currencies).
- ``neighbourhood``: a set of centre nodes and their neighbours up to a depth (ego and
  region views), the added nodes marked ``context``.

Node attributes: ``label``, ``kind``, ``role`` (actor, project, event), ``region``,
``municipality``, ``country`` (IRIs / code, "" when unknown), ``years`` (sorted tuple
of the years of the releases that state the node's links). Edge attributes:
``weight``, ``via`` (sorted labels of the shared things), ``types`` (sorted tuple of
project, event, funding, collaboration, part of, affiliation, leads, participates,
funds), ``evidence`` (sorted tuple of ``Evidence``), ``years``, ``amount`` (tuple of
(currency, value), funding only).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from regiongraph.query.library import load_query, run_select

RG = "https://w3id.org/regiongraph/ontology#"
MEMBER_PREDICATES = {RG + "leads": "leads", RG + "participatesIn": "participates"}
FUNDING_PREDICATE = RG + "fundedBy"
DIRECT_PREDICATES = {
    RG + "collaboratesWith": ("collaboration", "collaborates with"),
    RG + "partOf": ("part of", "part of"),
    RG + "affiliatedWith": ("affiliation", "affiliated with"),
}


@dataclass(frozen=True)
class Release:
    iri: str
    title: str = ""
    issued: str = ""  # 2023-03-01, 2023-03 or 2023; "" when unknown
    url: str = ""

    @property
    def year(self) -> int | None:
        return int(self.issued[:4]) if re.match(r"^\d{4}", self.issued) else None


@dataclass(frozen=True, order=True)
class Evidence:
    """One statement of a fact: the release it comes from and the sentence, if known."""

    release: str
    text: str = ""


@dataclass(frozen=True)
class Actor:
    iri: str
    label: str
    kind: str
    region: str = ""
    municipality: str = ""
    country: str = ""


@dataclass(frozen=True)
class Thing:
    """A project or an event: what actors share."""

    iri: str
    label: str
    kind: str  # Project | Event


@dataclass(frozen=True)
class Fact:
    """A stated link ``subject predicate object`` with its evidence and amounts."""

    subject: str
    predicate: str
    object: str
    evidence: tuple[Evidence, ...] = ()
    amounts: tuple[tuple[str, float], ...] = ()  # (currency, value), largest per currency


@dataclass(frozen=True)
class NetworkData:
    """Everything the projections are made of, keyed by IRI."""

    actors: Mapping[str, Actor]
    things: Mapping[str, Thing]
    facts: tuple[Fact, ...]
    releases: Mapping[str, Release] = field(default_factory=dict)

    def fact_years(self, fact: Fact) -> tuple[int, ...]:
        years = {self.releases[e.release].year for e in fact.evidence if e.release in self.releases}
        return tuple(sorted(y for y in years if y is not None))


@dataclass(frozen=True)
class Filters:
    """What to keep. Empty tuples and None mean no restriction.

    ``regions``: regions or municipalities (IRI, slug such as ``se-vasterbotten`` or
    ``vasterbotten``, or label) - actors located there; ``countries``: country codes;
    ``kinds``: coarse kinds (``Company``, ``Region`` …); ``funders``: funders (IRI, slug
    or label) - only the projects they fund, with their actors; ``date_from`` /
    ``date_to``: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, inclusive - only facts stated
    in releases issued in that range (facts of undated releases are dropped).
    """

    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None

    def is_empty(self) -> bool:
        return self == Filters()


# -- reading -------------------------------------------------------------------------------


def load_network_data(
    store: ox.Store, *, persons: bool = False, queries_dir: Path | None = None
) -> NetworkData:
    """Read actors, projects/events, facts, places and releases from the default graph."""
    params = {"persons": "include" if persons else "exclude"}
    actor_rows = run_select(store, load_query("network-actors", queries_dir), params)
    thing_rows = run_select(store, load_query("network-things", queries_dir))
    fact_rows = run_select(store, load_query("network-facts", queries_dir))
    place_rows = run_select(store, load_query("network-places", queries_dir))
    release_rows = run_select(store, load_query("network-releases", queries_dir))

    places: dict[str, dict[str, str]] = {}
    for row in place_rows:
        entry = places.setdefault(str(row["thing"]), {})
        for key in ("region", "municipality", "country"):
            if row.get(key) and key not in entry:
                entry[key] = str(row[key])
    actors: dict[str, Actor] = {}
    for row in actor_rows:
        iri = str(row["actor"])
        where = places.get(iri, {})
        country = where.get("country") or places.get(where.get("region", ""), {}).get("country")
        actors[iri] = Actor(
            iri=iri,
            label=str(row.get("label") or "") or label_from_iri(iri),
            kind=str(row["kind"]),
            region=where.get("region", ""),
            municipality=where.get("municipality", ""),
            country=country or "",
        )
    things = {
        str(r["thing"]): Thing(
            str(r["thing"]), str(r.get("label") or "") or label_from_iri(str(r["thing"])), r["kind"]
        )
        for r in thing_rows
    }
    releases = {
        str(r["release"]): Release(
            iri=str(r["release"]),
            title=str(r.get("title") or ""),
            issued=str(r.get("issued") or ""),
            url=str(r.get("source") or ""),
        )
        for r in release_rows
    }
    return NetworkData(
        actors=actors, things=things, facts=_facts(fact_rows, actors, things), releases=releases
    )


def _facts(
    rows: Iterable[Mapping[str, object]], actors: Mapping[str, Actor], things: Mapping[str, Thing]
) -> tuple[Fact, ...]:
    evidence: dict[tuple[str, str, str], set[Evidence]] = defaultdict(set)
    amounts: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    for row in rows:
        s, p, o = str(row["subject"]), str(row["predicate"]), str(row["object"])
        if p in MEMBER_PREDICATES:
            wanted = s in actors and o in things
        elif p == FUNDING_PREDICATE:
            wanted = s in things and o in actors
        else:
            wanted = s in actors and o in actors and s != o
        if not wanted:
            continue
        key = (s, p, o)
        found = evidence[key]  # creates the entry: a fact without a statement still counts
        if row.get("release") or row.get("text"):
            found.add(Evidence(str(row.get("release") or ""), str(row.get("text") or "")))
        if row.get("amount") is not None:
            currency = str(row.get("currency") or "")
            value = float(row["amount"])  # type: ignore[arg-type]
            amounts[key][currency] = max(value, amounts[key].get(currency, 0.0))
    return tuple(
        Fact(s, p, o, tuple(sorted(evidence[(s, p, o)])), tuple(sorted(amounts[(s, p, o)].items())))
        for s, p, o in sorted(evidence)
    )


def label_from_iri(iri: str) -> str:
    """A readable stand-in for a thing without any label: its slug, spaced."""
    return iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")


# -- finding and filtering ---------------------------------------------------------------


def find_node(candidates: Mapping[str, object], name_or_iri: str) -> str:
    """The IRI in ``candidates`` (IRI -> record with ``label``) that a user means.

    Tried in order: the IRI itself; an IRI whose last segment is the text, or ``se-`` +
    the text (``vasterbotten`` -> ``…/region/se-vasterbotten``); a label equal to the
    text (case-insensitive); the shortest label containing it. Ties end on the IRI.
    """
    text = name_or_iri.strip()
    if text in candidates:
        return text
    low = text.casefold()
    slug_hits = sorted(
        iri
        for iri in candidates
        if iri.rstrip("/").rsplit("/", 1)[-1] in {low, f"se-{low}", f"fi-{low}"}
    )
    if slug_hits:
        return slug_hits[0]

    def label(iri: str) -> str:
        record = candidates[iri]
        value = record.get("label") if isinstance(record, Mapping) else record.label  # type: ignore[attr-defined]
        return str(value or "")

    exact = sorted(iri for iri in candidates if label(iri).casefold() == low)
    if exact:
        return exact[0]
    partial = sorted((len(label(iri)), iri) for iri in candidates if low in label(iri).casefold())
    if partial:
        return partial[0][1]
    raise LookupError(f"no node named {name_or_iri!r}")


def filter_data(data: NetworkData, filters: Filters) -> NetworkData:
    """The part of ``data`` that ``filters`` keeps (see ``Filters``)."""
    if filters.is_empty():
        return data
    facts = list(data.facts)
    if filters.date_from or filters.date_to:
        facts = [f for f in (_in_dates(data, f, filters) for f in facts) if f is not None]
    if filters.funders:
        funders = {find_node(data.actors, name) for name in filters.funders}
        funded = {
            f.subject for f in facts if f.predicate == FUNDING_PREDICATE and f.object in funders
        }
        facts = [
            f
            for f in facts
            if (f.predicate in MEMBER_PREDICATES and f.object in funded)
            or (f.predicate == FUNDING_PREDICATE and f.subject in funded and f.object in funders)
        ]
    actors = dict(data.actors)
    if filters.regions:
        places = {
            find_node({i: a for i, a in data.actors.items() if a.kind in _PLACE_KINDS}, name)
            for name in filters.regions
        }
        actors = {i: a for i, a in actors.items() if {i, a.region, a.municipality} & places}
    if filters.countries:
        codes = {c.upper() for c in filters.countries}
        actors = {i: a for i, a in actors.items() if a.country.upper() in codes}
    if filters.kinds:
        kinds = {k.casefold() for k in filters.kinds}
        actors = {i: a for i, a in actors.items() if a.kind.casefold() in kinds}
    facts = [f for f in facts if _ends_kept(f, actors, data.things)]
    return replace(data, actors=actors, facts=tuple(facts))


_PLACE_KINDS = {"Region", "Municipality"}


def _ends_kept(fact: Fact, actors: Mapping[str, Actor], things: Mapping[str, Thing]) -> bool:
    if fact.predicate in MEMBER_PREDICATES:
        return fact.subject in actors and fact.object in things
    if fact.predicate == FUNDING_PREDICATE:
        return fact.subject in things and fact.object in actors
    return fact.subject in actors and fact.object in actors


def _span(value: str) -> tuple[str, str]:
    """First and last day a YYYY, YYYY-MM or YYYY-MM-DD value covers, as ISO strings."""
    value = value.strip()
    if re.fullmatch(r"\d{4}", value):
        return f"{value}-01-01", f"{value}-12-31"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return f"{value}-01", f"{value}-31"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]):
        return value[:10], value[:10]
    raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")


def _in_dates(data: NetworkData, fact: Fact, filters: Filters) -> Fact | None:
    low = _span(filters.date_from)[0] if filters.date_from else "0000-00-00"
    high = _span(filters.date_to)[1] if filters.date_to else "9999-99-99"
    kept = []
    for ev in fact.evidence:
        release = data.releases.get(ev.release)
        if release is None or not release.issued:
            continue
        start, end = _span(release.issued)
        if start <= high and end >= low:
            kept.append(ev)
    return replace(fact, evidence=tuple(kept)) if kept else None


# -- projections ---------------------------------------------------------------------------


def _actor_attrs(actor: Actor) -> dict[str, object]:
    return {
        "label": actor.label,
        "kind": actor.kind,
        "role": "actor",
        "region": actor.region,
        "municipality": actor.municipality,
        "country": actor.country,
    }


def _thing_attrs(thing: Thing) -> dict[str, object]:
    return {
        "label": thing.label,
        "kind": thing.kind,
        "role": thing.kind.lower(),
        "region": "",
        "municipality": "",
        "country": "",
    }


class _LinkAccumulator:
    """Collects, per node pair, the shared things with their types, evidence and years."""

    def __init__(self, data: NetworkData, directed: bool = False) -> None:
        self.data = data
        self.directed = directed
        self.things: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        self.types: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.evidence: dict[tuple[str, str], set[Evidence]] = defaultdict(set)
        self.amounts: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
        self.weights: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)

    def add(
        self,
        a: str,
        b: str,
        thing: str,
        label: str,
        kind: str,
        facts: Iterable[Fact],
        weight: float = 1.0,
    ) -> None:
        key = (a, b) if self.directed or a < b else (b, a)
        self.things[key][thing] = label
        self.weights[key][thing] = max(weight, self.weights[key].get(thing, 0.0))
        self.types[key].add(kind)
        for fact in facts:
            self.evidence[key].update(fact.evidence)
            for currency, value in fact.amounts:
                self.amounts[key][currency] = self.amounts[key].get(currency, 0.0) + value

    def edges(self) -> Iterable[tuple[str, str, dict[str, object]]]:
        for key in sorted(self.things):
            evidence = tuple(sorted(self.evidence[key]))
            years = {
                self.data.releases[e.release].year
                for e in evidence
                if e.release in self.data.releases
            }
            yield (
                key[0],
                key[1],
                {
                    "weight": round(sum(self.weights[key].values()), 6),
                    "shared": len(self.things[key]),
                    "things": tuple(sorted(self.things[key])),
                    "via": tuple(sorted(set(self.things[key].values()))),
                    "types": tuple(sorted(self.types[key])),
                    "evidence": evidence,
                    "years": tuple(sorted(y for y in years if y is not None)),
                    "amount": tuple(sorted(self.amounts[key].items())),
                },
            )


def _members_and_funders(
    data: NetworkData,
) -> tuple[dict[str, dict[str, list[Fact]]], dict[str, dict[str, list[Fact]]]]:
    members: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    funders: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for fact in data.facts:
        if fact.predicate in MEMBER_PREDICATES:
            members[fact.object][fact.subject].append(fact)
        elif fact.predicate == FUNDING_PREDICATE:
            funders[fact.subject][fact.object].append(fact)
    return members, funders


def _node_years(g: nx.Graph) -> None:
    years: dict[Hashable, set[int]] = defaultdict(set)
    for a, b, d in g.edges(data=True):
        years[a].update(d.get("years", ()))
        years[b].update(d.get("years", ()))
    for node in g.nodes:
        g.nodes[node]["years"] = tuple(sorted(years[node]))


def actor_graph(data: NetworkData) -> nx.Graph:
    """Actor–actor projection (see the module docstring); every actor is a node."""
    g = nx.Graph()
    for iri in sorted(data.actors):
        g.add_node(iri, **_actor_attrs(data.actors[iri]))
    links = _LinkAccumulator(data)
    members, funders = _members_and_funders(data)
    for thing_iri in sorted(set(members) | set(funders)):
        thing = data.things[thing_iri]
        kind = thing.kind.lower()
        crew = sorted(members.get(thing_iri, {}))
        share = 1.0 / max(len(crew) - 1, 1)  # Newman (2001): 1/(N-1) per pair of N members
        for i, a in enumerate(crew):
            for b in crew[i + 1 :]:
                facts = members[thing_iri][a] + members[thing_iri][b]
                links.add(a, b, thing_iri, thing.label, kind, facts, share)
        for funder in sorted(funders.get(thing_iri, {})):
            for member in crew:
                if member == funder:
                    continue
                facts = funders[thing_iri][funder] + members[thing_iri][member]
                links.add(funder, member, thing_iri, thing.label, "funding", facts)
    for fact in data.facts:
        if fact.predicate in DIRECT_PREDICATES:
            kind, label = DIRECT_PREDICATES[fact.predicate]
            links.add(fact.subject, fact.object, fact.predicate, label, kind, [fact])
    for a, b, attrs in links.edges():
        g.add_edge(a, b, **attrs)
    _node_years(g)
    return g


def star_large_lists(g: nx.Graph, data: NetworkData, min_members: int) -> nx.Graph:
    """``g`` (from ``actor_graph``) with each project or event of at least ``min_members``
    members drawn as a node linked to its members, instead of a link between every pair.

    Pair links keep what else they share (their weight less the list's 1/(N-1)); a link
    left with nothing is removed. The project node has role project or event.
    """
    members, _ = _members_and_funders(data)
    large = {t: sorted(m) for t, m in members.items() if len(m) >= min_members}
    if not large:
        return g
    out = g.copy()
    for a, b, d in list(out.edges(data=True)):
        gone = [t for t in d.get("things", ()) if t in large and a in large[t] and b in large[t]]
        if not gone:
            continue
        kept = tuple(t for t in d["things"] if t not in gone)
        if not kept:
            out.remove_edge(a, b)
            continue
        labels = {data.things[t].label for t in gone if t in data.things}
        d["things"] = kept
        d["shared"] = len(kept)
        d["via"] = tuple(v for v in d["via"] if v not in labels) or d["via"]
        d["weight"] = round(max(d["weight"] - sum(1.0 / (len(large[t]) - 1) for t in gone), 0.0), 6)
    for thing_iri, crew in sorted(large.items()):
        thing = data.things[thing_iri]
        out.add_node(thing_iri, **_thing_attrs(thing))
        for member in crew:
            if member not in out:
                continue
            facts = members[thing_iri][member]
            kinds = sorted({MEMBER_PREDICATES[f.predicate] for f in facts})
            years = {y for f in facts for y in data.fact_years(f)}
            out.add_edge(
                member,
                thing_iri,
                weight=1.0,
                shared=1,
                things=(thing_iri,),
                via=(thing.label,),
                types=tuple(kinds),
                evidence=tuple(sorted({e for f in facts for e in f.evidence})),
                years=tuple(sorted(years)),
                amount=(),
            )
    _node_years(out)
    return _sorted_graph(out)


def actor_project_graph(data: NetworkData) -> nx.Graph:
    """Bipartite actors (``bipartite=0``) – projects and events (``bipartite=1``).

    Only actors and things with at least one link are nodes.
    """
    g = nx.Graph()
    links = _LinkAccumulator(data, directed=True)
    for fact in data.facts:
        if fact.predicate in MEMBER_PREDICATES:
            actor, thing, kind = fact.subject, fact.object, MEMBER_PREDICATES[fact.predicate]
        elif fact.predicate == FUNDING_PREDICATE:
            actor, thing, kind = fact.object, fact.subject, "funds"
        else:
            continue
        links.add(actor, thing, kind, kind, kind, [fact])
    for actor, thing, attrs in links.edges():
        g.add_node(actor, bipartite=0, **_actor_attrs(data.actors[actor]))
        g.add_node(thing, bipartite=1, **_thing_attrs(data.things[thing]))
        attrs["via"] = (data.things[thing].label,)
        g.add_edge(actor, thing, **attrs)
    _node_years(g)
    return _sorted_graph(g)


def funding_graph(data: NetworkData) -> nx.DiGraph:
    """Directed funder -> project/event -> actor, for the funded projects only.

    Node ``layer``: 0 funders, 1 projects and events, 2 the actors that lead or take
    part (an actor that both funds and takes part elsewhere stays a funder, layer 0).
    Funding edges carry ``amount`` (currency, value) pairs as stated.
    """
    g = nx.DiGraph()
    links = _LinkAccumulator(data, directed=True)
    members, funders = _members_and_funders(data)
    funder_iris = {f for by in funders.values() for f in by}
    for thing_iri in sorted(funders):
        thing = data.things[thing_iri]
        for funder in sorted(funders[thing_iri]):
            links.add(funder, thing_iri, "funds", thing.label, "funds", funders[thing_iri][funder])
        for member, facts in sorted(members.get(thing_iri, {}).items()):
            kinds = {MEMBER_PREDICATES[f.predicate] for f in facts}
            for kind in sorted(kinds):
                links.add(thing_iri, member, kind, thing.label, kind, facts)
    for a, b, attrs in links.edges():
        for node in (a, b):
            if node in g:
                continue
            if node in data.things:
                g.add_node(node, layer=1, **_thing_attrs(data.things[node]))
            else:
                layer = 0 if node in funder_iris else 2
                g.add_node(node, layer=layer, **_actor_attrs(data.actors[node]))
        attrs["weight"] = 1
        g.add_edge(a, b, **attrs)
    _node_years(g)
    return _sorted_graph(g)


def neighbourhood(g: nx.Graph, centres: Iterable[Hashable], depth: int = 1) -> nx.Graph:
    """The centres and every node within ``depth`` links of one; others marked ``context``.

    Node attribute ``distance``: hops from the nearest centre (0 for a centre).
    """
    if depth < 0:
        raise ValueError("depth must be 0 or more")
    distance: dict[Hashable, int] = {}
    frontier = [c for c in centres if c in g]
    for c in frontier:
        distance[c] = 0
    for hop in range(1, depth + 1):
        nxt = []
        for node in frontier:
            for nbr in g.neighbors(node):
                if nbr not in distance:
                    distance[nbr] = hop
                    nxt.append(nbr)
        frontier = nxt
    sub = g.subgraph(distance).copy()
    for node, d in distance.items():
        sub.nodes[node]["distance"] = d
        sub.nodes[node]["context"] = d > 0
    return _sorted_graph(sub)


def without_isolates(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` without nodes that have no link."""
    return _sorted_graph(g.subgraph([n for n in g if g.degree(n) > 0]).copy())


def _sorted_graph(g: nx.Graph) -> nx.Graph:
    out = g.__class__()
    out.graph.update(g.graph)
    out.add_nodes_from(sorted(g.nodes(data=True), key=lambda nd: str(nd[0])))
    out.add_edges_from(sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))))
    return out
