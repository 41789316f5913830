"""Network measures for actor networks: centrality, communities and brokers.

Input is any undirected networkx graph (usually a projection from ``projections.py``)
whose edges may carry a ``weight`` (number of shared things) and whose nodes may carry
``label``, ``kind`` and ``country``. Output is one frozen ``ActorMeasures`` per node.
Everything is deterministic: graphs are copied with nodes and edges in sorted order
before any measure is taken, and every randomised step takes the ``seed``.

Measures
--------
- ``degree``: number of linked actors; ``weighted_degree``: sum of link weights.
- ``betweenness``: normalised shortest-path betweenness over hop counts (a link is a
  link, whatever its weight). Exact up to ``BETWEENNESS_EXACT_MAX_NODES`` nodes; above
  it, estimated from 50 to ``BETWEENNESS_SAMPLES`` source nodes drawn with the seed
  (Brandes' pivot sampling, ``nx.betweenness_centrality(k=…, seed=…)``), fewer on
  denser graphs (``betweenness_samples``).
- ``pagerank``: PageRank on link weights (damping 0.85); sums to 1 over the graph.
- ``community``: Louvain communities on link weights
  (``nx.community.louvain_communities(seed=…)``), numbered 0, 1, … from the largest
  (ties: the community holding the smallest node id first).

Brokers
-------
A broker links groups that are otherwise apart. We use the *participation
coefficient* of Guimerà and Amaral (2005): for node i with weighted degree k_i, of
which k_is goes to nodes of group s, ``P_i = 1 - sum_s (k_is / k_i)^2``. P is 0 when
all of a node's links stay in one group and grows towards 1 - 1/G as its links spread
evenly over G groups. Two partitions are used:

- **community brokers**: groups = Louvain communities; a broker has neighbours in at
  least two communities and ``participation >= BROKER_MIN_PARTICIPATION``;
- **country brokers**: groups = the neighbours' country codes (neighbours with an
  unknown country are left out); a broker has neighbours in at least two countries and
  ``country_participation >= BROKER_MIN_PARTICIPATION``.

``broker_score`` ranks brokers: participation times (1 + normalised betweenness), so of
two nodes spanning groups equally the one on more shortest paths ranks first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass

import networkx as nx

BETWEENNESS_EXACT_MAX_NODES = 2_000
BETWEENNESS_SAMPLES = 200
BETWEENNESS_MIN_SAMPLES = 50
BETWEENNESS_WORK = 5_000_000
BROKER_MIN_PARTICIPATION = 0.2
DEFAULT_SEED = 42

RANKING_KEYS = ("pagerank", "degree", "weighted_degree", "betweenness", "broker_score")


@dataclass(frozen=True)
class ActorMeasures:
    """The measures of one node, as ``compute_measures`` gives them."""

    node: str
    label: str
    kind: str
    country: str
    degree: int
    weighted_degree: float
    betweenness: float
    pagerank: float
    community: int
    participation: float
    country_participation: float
    community_broker: bool
    country_broker: bool
    broker_score: float

    def as_row(self) -> dict[str, object]:
        """A flat dict, in field order (for tables and CSV)."""
        return asdict(self)


def ordered_copy(g: nx.Graph) -> nx.Graph:
    """An undirected copy of ``g`` with nodes and edges inserted in sorted (string) order."""
    out = nx.Graph()
    out.add_nodes_from(sorted(g.nodes(data=True), key=lambda nd: str(nd[0])))
    edges = []
    for u, v, d in g.edges(data=True):
        a, b = sorted((u, v), key=str)
        edges.append((a, b, {"weight": float(d.get("weight", 1) or 1)}))
    edges.sort(key=lambda e: (str(e[0]), str(e[1])))
    for a, b, d in edges:
        if out.has_edge(a, b):  # a directed input may hold both directions
            out.edges[a, b]["weight"] += d["weight"]
        else:
            out.add_edge(a, b, **d)
    return out


def louvain_communities(g: nx.Graph, seed: int = DEFAULT_SEED) -> dict[Hashable, int]:
    """Community number per node: Louvain on weights, numbered from the largest."""
    if g.number_of_nodes() == 0:
        return {}
    h = ordered_copy(g)
    found = nx.community.louvain_communities(h, weight="weight", seed=seed)
    ranked = sorted(found, key=lambda c: (-len(c), min(str(n) for n in c)))
    return {node: i for i, members in enumerate(ranked) for node in members}


def participation_coefficient(
    g: nx.Graph, group: Mapping[Hashable, object]
) -> tuple[dict[Hashable, float], dict[Hashable, int]]:
    """Guimerà-Amaral participation per node, and how many groups its neighbours span.

    Neighbours missing from ``group`` (or mapped to None or "") are left out.
    """
    participation: dict[Hashable, float] = {}
    spans: dict[Hashable, int] = {}
    for node in g.nodes:
        per_group: dict[object, float] = defaultdict(float)
        for nbr, data in g[node].items():
            key = group.get(nbr)
            if key is None or key == "" or nbr == node:
                continue
            per_group[key] += float(data.get("weight", 1) or 1)
        total = sum(per_group.values())
        spans[node] = len(per_group)
        participation[node] = (
            0.0 if total == 0 else 1.0 - sum((w / total) ** 2 for w in per_group.values())
        )
    return participation, spans


def betweenness(g: nx.Graph, seed: int = DEFAULT_SEED) -> dict[Hashable, float]:
    """Normalised betweenness; sampled from ``BETWEENNESS_SAMPLES`` sources on big graphs."""
    h = ordered_copy(g)
    n = h.number_of_nodes()
    k = betweenness_samples(n, h.number_of_edges())
    return nx.betweenness_centrality(h, k=k, seed=seed if k else None, normalized=True)


def betweenness_samples(nodes: int, edges: int) -> int | None:
    """Source nodes to sample for betweenness; None (exact) up to the exact limit.

    Each sample is one breadth-first search, O(nodes + edges); the number of samples
    shrinks on dense graphs so the work stays near ``BETWEENNESS_WORK`` node+edge
    visits, between ``BETWEENNESS_MIN_SAMPLES`` and ``BETWEENNESS_SAMPLES``.
    """
    if nodes <= BETWEENNESS_EXACT_MAX_NODES:
        return None
    budget = int(BETWEENNESS_WORK / max(nodes + edges, 1))
    return min(nodes, max(BETWEENNESS_MIN_SAMPLES, min(BETWEENNESS_SAMPLES, budget)))


def pagerank(g: nx.Graph) -> dict[Hashable, float]:
    """PageRank on link weights; sums to 1."""
    h = ordered_copy(g)
    if h.number_of_nodes() == 0:
        return {}
    return nx.pagerank(h, alpha=0.85, weight="weight", tol=1e-10, max_iter=500)


def compute_measures(g: nx.Graph, seed: int = DEFAULT_SEED) -> dict[Hashable, ActorMeasures]:
    """Every measure for every node of ``g`` (see the module docstring)."""
    h = ordered_copy(g)
    if h.number_of_nodes() == 0:
        return {}
    community = louvain_communities(h, seed)
    between = betweenness(h, seed)
    rank = pagerank(h)
    strength = dict(h.degree(weight="weight"))
    participation, community_span = participation_coefficient(h, community)
    countries = {n: str(d.get("country") or "") for n, d in h.nodes(data=True)}
    country_part, country_span = participation_coefficient(h, countries)
    out: dict[Hashable, ActorMeasures] = {}
    for node, data in h.nodes(data=True):
        community_broker = (
            community_span[node] >= 2 and participation[node] >= BROKER_MIN_PARTICIPATION
        )
        country_broker = country_span[node] >= 2 and country_part[node] >= BROKER_MIN_PARTICIPATION
        score = max(participation[node], country_part[node]) * (1.0 + between[node])
        out[node] = ActorMeasures(
            node=str(node),
            label=str(data.get("label") or node),
            kind=str(data.get("kind") or ""),
            country=countries[node],
            degree=int(h.degree(node)),
            weighted_degree=float(strength[node]),
            betweenness=float(between[node]),
            pagerank=float(rank[node]),
            community=int(community[node]),
            participation=round(participation[node], 6),
            country_participation=round(country_part[node], 6),
            community_broker=community_broker,
            country_broker=country_broker,
            broker_score=round(score if (community_broker or country_broker) else 0.0, 6),
        )
    return out


def rank_actors(
    measures: Mapping[Hashable, ActorMeasures] | Iterable[ActorMeasures],
    by: str = "pagerank",
) -> list[ActorMeasures]:
    """Measures sorted best first by ``by`` (one of ``RANKING_KEYS``), ties by label, IRI."""
    if by not in RANKING_KEYS:
        raise ValueError(f"cannot rank by {by!r}; choose one of {', '.join(RANKING_KEYS)}")
    rows = list(measures.values()) if isinstance(measures, Mapping) else list(measures)
    return sorted(rows, key=lambda m: (-float(getattr(m, by)), -m.degree, m.label, m.node))


def community_names(
    measures: Mapping[Hashable, ActorMeasures],
) -> dict[int, tuple[str, int]]:
    """Per community: the label of its highest-PageRank member and its size."""
    best: dict[int, ActorMeasures] = {}
    size: dict[int, int] = defaultdict(int)
    for m in rank_actors(measures, "pagerank"):
        size[m.community] += 1
        best.setdefault(m.community, m)
    return {c: (best[c].label, size[c]) for c in sorted(best)}
