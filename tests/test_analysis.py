"""Network measures on graphs with known answers, and on the graph from data/releases."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from regiongraph.network.analysis import (
    BETWEENNESS_EXACT_MAX_NODES,
    betweenness,
    betweenness_samples,
    community_names,
    compute_measures,
    louvain_communities,
    participation_coefficient,
    rank_actors,
)
from regiongraph.network.projections import (
    Filters,
    actor_graph,
    actor_project_graph,
    filter_data,
    funding_graph,
    load_network_data,
    neighbourhood,
    without_isolates,
)
from regiongraph.network.views import build_view, read_views


def two_cliques() -> nx.Graph:
    """Two 4-cliques {a0..a3} and {b0..b3} joined by the bridge a3 - b0."""
    g = nx.Graph()
    for side in "ab":
        members = [f"{side}{i}" for i in range(4)]
        for i, u in enumerate(members):
            g.add_node(u, label=u.upper(), kind="Company", country="SE" if side == "a" else "FI")
            for v in members[i + 1 :]:
                g.add_edge(u, v, weight=1)
    g.add_edge("a3", "b0", weight=1)
    return g


def test_path_graph_degree_and_betweenness() -> None:
    m = compute_measures(nx.path_graph(["p", "q", "r"]))
    assert [m[n].degree for n in "pqr"] == [1, 2, 1]
    assert m["q"].betweenness == pytest.approx(1.0)  # the only inner node of a 3-path
    assert m["p"].betweenness == m["r"].betweenness == 0.0


def test_weighted_degree_sums_link_weights() -> None:
    g = nx.Graph()
    g.add_edge("x", "y", weight=3)
    g.add_edge("x", "z", weight=2)
    m = compute_measures(g)
    assert (m["x"].degree, m["x"].weighted_degree) == (2, 5.0)


def test_bridge_ends_carry_the_most_betweenness() -> None:
    m = compute_measures(two_cliques())
    # a3 lies on every shortest path from a0..a2 to the four b nodes (12 of 21 pairs)
    # and on none else: normalised, 12 / C(7, 2) = 12 / 21.
    assert m["a3"].betweenness == pytest.approx(12 / 21)
    assert m["b0"].betweenness == pytest.approx(12 / 21)
    assert max(m.values(), key=lambda x: (x.betweenness, x.node)).node in {"a3", "b0"}
    assert m["a0"].betweenness == 0.0


def test_louvain_finds_the_two_cliques() -> None:
    communities = louvain_communities(two_cliques(), seed=1)
    a = {communities[f"a{i}"] for i in range(4)}
    b = {communities[f"b{i}"] for i in range(4)}
    assert len(a) == len(b) == 1 and a != b


def test_brokers_are_the_bridge_ends() -> None:
    m = compute_measures(two_cliques())
    assert {n for n, x in m.items() if x.community_broker} == {"a3", "b0"}
    # 3 links in its own clique, 1 across: 1 - (3/4)^2 - (1/4)^2
    assert m["a3"].participation == pytest.approx(0.375)
    assert m["a0"].participation == 0.0
    # Countries: a-side SE, b-side FI, so the same two span countries.
    assert {n for n, x in m.items() if x.country_broker} == {"a3", "b0"}
    ranked = [x.node for x in rank_actors(m, "broker_score")[:2]]
    assert sorted(ranked) == ["a3", "b0"]


def test_participation_ignores_unknown_groups() -> None:
    g = nx.star_graph(3)  # centre 0, leaves 1, 2, 3
    part, span = participation_coefficient(g, {1: "SE", 2: "FI", 3: ""})
    assert span[0] == 2 and part[0] == pytest.approx(0.5)


def test_pagerank_sums_to_one_and_ranks_the_hub_first() -> None:
    g = nx.star_graph(5)
    m = compute_measures(g)
    assert math.isclose(sum(x.pagerank for x in m.values()), 1.0, rel_tol=1e-9)
    assert rank_actors(m)[0].node == "0"


def test_measures_are_deterministic_and_order_free() -> None:
    g = nx.barabasi_albert_graph(200, 2, seed=3)
    reordered = nx.Graph()
    reordered.add_nodes_from(reversed(list(g.nodes)))
    reordered.add_edges_from(reversed(list(g.edges)))
    assert compute_measures(g, seed=5) == compute_measures(reordered, seed=5)


def test_betweenness_is_sampled_on_large_graphs() -> None:
    n = BETWEENNESS_EXACT_MAX_NODES + 100
    g = nx.barabasi_albert_graph(n, 2, seed=1)
    assert betweenness_samples(n, g.number_of_edges()) is not None
    assert betweenness_samples(BETWEENNESS_EXACT_MAX_NODES, 10**6) is None
    first = betweenness(g)
    hub = max(g.degree, key=lambda nd: nd[1])[0]
    assert first[hub] == max(first.values())
    assert betweenness(g) == first  # the sample is seeded


def test_rank_refuses_an_unknown_measure() -> None:
    with pytest.raises(ValueError, match="cannot rank"):
        rank_actors({}, "popularity")


def test_empty_graph_has_no_measures() -> None:
    assert compute_measures(nx.Graph()) == {}


# -- the graph from data/releases ---------------------------------------------------------


@pytest.fixture(scope="module")
def data(store):
    return load_network_data(store.store)


def test_projection_matches_the_query_built_network(store, data) -> None:
    from regiongraph.network.measures import actor_network

    expected = actor_network(store.store)
    g = actor_graph(data)
    assert set(g.nodes) == set(expected.nodes)
    # The query's weight counts the shared things, as the projection's ``shared`` does;
    # the projection's ``weight`` is Newman's 1/(N-1) per co-participation, never more.
    assert {frozenset(e): d["shared"] for *e, d in g.edges(data=True)} == {
        frozenset(e): d["weight"] for *e, d in expected.edges(data=True)
    }
    assert all(0 < d["weight"] <= d["shared"] for *_, d in g.edges(data=True))


def test_top_actors_include_region_vasterbotten(data) -> None:
    g = without_isolates(actor_graph(data))
    top = [m.label for m in rank_actors(compute_measures(g), "pagerank")[:5]]
    assert "Region Västerbotten" in top
    names = community_names(compute_measures(g))
    assert names and all(size >= 1 for _, size in names.values())


def test_links_carry_evidence_and_years(data) -> None:
    g = actor_graph(data)
    with_evidence = [d for *_, d in g.edges(data=True) if d["evidence"]]
    assert with_evidence, "some links must come with evidence sentences"
    assert any(d["years"] for d in with_evidence)
    assert all(set(d["types"]) for *_, d in g.edges(data=True))


def test_bipartite_and_funding_projections(data) -> None:
    b = actor_project_graph(data)
    assert nx.is_bipartite(b) and b.number_of_edges() > 0
    assert {d["bipartite"] for _, d in b.nodes(data=True)} == {0, 1}
    f = funding_graph(data)
    assert f.is_directed() and f.number_of_edges() > 0
    for u, v in f.edges:
        assert f.nodes[u]["layer"] <= f.nodes[v]["layer"] or f.nodes[v]["layer"] == 0
    assert any(d["amount"] for *_, d in f.edges(data=True)), "some grants state an amount"


def test_filters_narrow_the_network(data) -> None:
    full = without_isolates(actor_graph(data))
    west = filter_data(data, Filters(regions=("vasterbotten",)))
    assert west.actors and all(
        "se-vasterbotten" in (a.iri + a.region) for a in west.actors.values()
    )
    regions_only = filter_data(data, Filters(kinds=("Region",)))
    assert {a.kind for a in regions_only.actors.values()} == {"Region"}
    dated = filter_data(data, Filters(date_from="2020", date_to="2023-12-31"))
    assert 0 < len(dated.facts) < len(data.facts)
    years = {y for f in dated.facts for y in dated.fact_years(f)}
    assert years and min(years) >= 2020 and max(years) <= 2023
    assert without_isolates(actor_graph(dated)).number_of_edges() < full.number_of_edges()


def test_ego_network_of_depth_one_is_the_neighbours(data) -> None:
    g = without_isolates(actor_graph(data))
    centre = rank_actors(compute_measures(g))[0].node
    ego = neighbourhood(g, [centre], 1)
    assert set(ego) == {centre, *g.neighbors(centre)}
    assert ego.nodes[centre]["distance"] == 0
    assert len(neighbourhood(g, [centre], 2)) >= len(ego)


@pytest.mark.parametrize("spec", read_views(), ids=lambda s: s.name)
def test_every_view_is_non_empty(data, spec) -> None:
    view = build_view(data, spec)
    assert view.graph.number_of_nodes() > 0 and view.graph.number_of_edges() > 0
    assert set(view.positions) == set(view.graph.nodes)
    assert list(view.rank) and set(view.rank) == set(view.graph.nodes)
