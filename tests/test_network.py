"""The actor-network projection (queries/network-*.rq -> networkx) and its layout."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest

from regiongraph.network.measures import actor_network, compute_layout, top_nodes

ID = "https://w3id.org/regiongraph/id/"

# Two projects, five organisations of three kinds, one funding programme, one stated
# collaboration and one person, in the default graph as docs/data-model.md lays it out
# (the union of release graphs: Northvolt carries two types and two labels).
SMALL_GRAPH = """
@base <https://w3id.org/regiongraph/> .
@prefix rg: <https://w3id.org/regiongraph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<id/region/se-vasterbotten> a rg:Region ;
    rdfs:label "Region Västerbotten"@sv ; skos:prefLabel "Region Västerbotten"@sv ;
    skos:altLabel "Västerbotten"@sv .
<id/org/northvolt> a rg:Company, rg:Organisation ;
    rdfs:label "Northvolt AB", "Northvolt" ; rg:surfaceForm "Northvolts" .
<id/org/boliden> a rg:Company ; rdfs:label "Boliden" .
<id/org/umea-universitet> a rg:University ; rdfs:label "Umeå universitet" .
<id/org/lulea-tekniska-universitet> a rg:University ; rdfs:label "Luleå tekniska universitet" .
<id/programme/interreg-nord> a rg:FundingProgramme ; rdfs:label "Interreg Nord" .
<id/person/stina-johansson> a rg:Person ; rdfs:label "Stina Johansson" ;
    schema:email "stina.johansson@example.se" .
<id/place/skelleftea> a rg:Place ; rdfs:label "Skellefteå" .

<id/project/battery-region> a rg:Project ; rdfs:label "Battery Region" ;
    rg:fundedBy <id/programme/interreg-nord> ; rg:locatedIn <id/place/skelleftea> .
<id/project/green-mining> a rg:Project ; rdfs:label "Green Mining" ;
    rg:fundedBy <id/programme/interreg-nord>, <id/region/se-vasterbotten> .

<id/region/se-vasterbotten> rg:leads <id/project/battery-region> .
<id/org/northvolt> rg:participatesIn <id/project/battery-region> .
<id/org/umea-universitet> rg:participatesIn <id/project/battery-region>,
    <id/project/green-mining> .
<id/org/boliden> rg:leads <id/project/green-mining> .
<id/org/lulea-tekniska-universitet> rg:participatesIn <id/project/green-mining> .
<id/org/umea-universitet> rg:collaboratesWith <id/org/northvolt> .
<id/person/stina-johansson> rg:affiliatedWith <id/region/se-vasterbotten> ;
    rg:participatesIn <id/project/battery-region> .

# Provenance of one fact: must not add nodes or edges.
<id/release/dev-001/statement/1> a rg:Funding ;
    rdf:subject <id/project/battery-region> ; rdf:predicate rg:fundedBy ;
    rdf:object <id/programme/interreg-nord> ;
    rg:evidence <id/release/dev-001/sentence/3> ;
    prov:wasDerivedFrom <id/release/dev-001> .
<id/release/dev-001/sentence/3> a rg:Sentence ;
    rdf:value "Battery Region finansieras av Interreg Nord." ; rg:position 3 ;
    dcterms:isPartOf <id/release/dev-001> .
<id/release/dev-001> a rg:PressRelease ; dcterms:title "Batterier i norr" ;
    schema:mentions <id/org/northvolt> .
"""

REGION = ID + "region/se-vasterbotten"
NORTHVOLT = ID + "org/northvolt"
BOLIDEN = ID + "org/boliden"
UMU = ID + "org/umea-universitet"
LTU = ID + "org/lulea-tekniska-universitet"
INTERREG = ID + "programme/interreg-nord"
STINA = ID + "person/stina-johansson"
BATTERY, GREEN = "Battery Region", "Green Mining"


def edge_set(g: nx.Graph) -> dict[frozenset[str], tuple[int, tuple[str, ...]]]:
    return {frozenset((a, b)): (d["weight"], d["via"]) for a, b, d in g.edges(data=True)}


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    s.load(SMALL_GRAPH.encode("utf-8"), ox.RdfFormat.TURTLE)  # into the default graph
    return s


def test_nodes_are_organisations_and_funders_with_concrete_kind(store: ox.Store) -> None:
    g = actor_network(store)
    assert {n: (d["label"], d["kind"]) for n, d in g.nodes(data=True)} == {
        REGION: ("Region Västerbotten", "Region"),
        NORTHVOLT: ("Northvolt", "Company"),  # most specific class, first label
        BOLIDEN: ("Boliden", "Company"),
        UMU: ("Umeå universitet", "University"),
        LTU: ("Luleå tekniska universitet", "University"),
        INTERREG: ("Interreg Nord", "FundingProgramme"),
    }


def test_edges_and_weights_follow_shared_projects_funding_and_collaboration(
    store: ox.Store,
) -> None:
    g = actor_network(store)
    assert edge_set(g) == {
        # Battery Region: the region leads, Northvolt and Umeå universitet take part,
        # Interreg Nord funds it.
        frozenset((REGION, NORTHVOLT)): (1, (BATTERY,)),
        frozenset((INTERREG, NORTHVOLT)): (1, (BATTERY,)),
        frozenset((INTERREG, REGION)): (1, (BATTERY,)),  # not again via Green Mining
        frozenset((NORTHVOLT, UMU)): (2, (BATTERY, "collaborates with")),
        # Both projects.
        frozenset((REGION, UMU)): (2, (BATTERY, GREEN)),
        frozenset((INTERREG, UMU)): (2, (BATTERY, GREEN)),
        # Green Mining: Boliden leads, LTU and UmU take part, region and Interreg fund.
        frozenset((BOLIDEN, LTU)): (1, (GREEN,)),
        frozenset((BOLIDEN, UMU)): (1, (GREEN,)),
        frozenset((LTU, UMU)): (1, (GREEN,)),
        frozenset((REGION, BOLIDEN)): (1, (GREEN,)),
        frozenset((REGION, LTU)): (1, (GREEN,)),
        frozenset((INTERREG, BOLIDEN)): (1, (GREEN,)),
        frozenset((INTERREG, LTU)): (1, (GREEN,)),
    }


def test_degree_attribute_counts_neighbours(store: ox.Store) -> None:
    g = actor_network(store)
    assert {n: d["degree"] for n, d in g.nodes(data=True)} == {
        REGION: 5,
        NORTHVOLT: 3,
        BOLIDEN: 4,
        UMU: 5,
        LTU: 4,
        INTERREG: 5,
    }


def test_persons_join_only_when_asked(store: ox.Store) -> None:
    assert STINA not in actor_network(store)
    g = actor_network(store, persons=True)
    assert g.nodes[STINA]["kind"] == "Person"
    edges = edge_set(g)
    assert edges[frozenset((STINA, REGION))] == (2, (BATTERY, "affiliated with"))
    assert edges[frozenset((STINA, NORTHVOLT))] == (1, (BATTERY,))
    assert edges[frozenset((STINA, INTERREG))] == (1, (BATTERY,))
    assert g.degree(STINA) == 4


def test_part_of_links_organisations(store: ox.Store) -> None:
    part_of = ox.NamedNode("https://w3id.org/regiongraph/ontology#partOf")
    store.add(ox.Quad(ox.NamedNode(LTU), part_of, ox.NamedNode(UMU)))
    edges = edge_set(actor_network(store))
    assert edges[frozenset((LTU, UMU))] == (2, (GREEN, "part of"))


def test_empty_store_gives_empty_network() -> None:
    g = actor_network(ox.Store())
    assert g.number_of_nodes() == 0 and g.number_of_edges() == 0
    assert compute_layout(g) == {}


def test_top_nodes_rank_by_degree_then_weight_then_label(store: ox.Store) -> None:
    g = actor_network(store)
    # Degree 5: Umeå universitet (total weight 8), Interreg Nord (6), the region (6):
    # equal weight falls back to the label.
    assert top_nodes(g, 3) == [UMU, INTERREG, REGION]
    assert top_nodes(g, 100)[3:] == [BOLIDEN, LTU, NORTHVOLT]
    assert top_nodes(g, 0) == []


def test_layout_is_deterministic_for_a_seed(store: ox.Store) -> None:
    g = actor_network(store)
    first = compute_layout(g, seed=7)
    assert set(first) == set(g.nodes)
    assert compute_layout(g, seed=7) == first
    # Insertion order does not matter, only the graph and the seed.
    reordered = nx.Graph()
    reordered.add_nodes_from(reversed(list(g.nodes(data=True))))
    reordered.add_edges_from(reversed(list(g.edges(data=True))))
    assert compute_layout(reordered, seed=7) == first
    assert compute_layout(g, seed=8) != first
    assert all(isinstance(c, float) for xy in first.values() for c in xy)


def test_large_layout_is_deterministic_and_spread() -> None:
    g = nx.random_regular_graph(3, 1_200, seed=1)  # above the spring-layout limit
    first = compute_layout(g, seed=3)
    assert compute_layout(g, seed=3) == first
    xs = sorted(x for x, _ in first.values())
    assert xs[-1] - xs[0] > 1_000  # pixels, not unit square
    assert len(set(first.values())) == len(first)  # no two nodes on one spot


def _link_rows(rows) -> dict[tuple[str, str], tuple[int, frozenset[str]]]:
    out = {}
    for row in rows:
        key = (str(row["a"]), str(row["b"]))
        assert key not in out, key
        out[key] = (int(row["weight"]), frozenset(str(row["via"] or "").split("\n")))
    return out


def _query_links(store: ox.Store, persons: bool) -> dict:
    from regiongraph.query.library import load_query, run_select

    params = {"persons": "include" if persons else "exclude"}
    return _link_rows(run_select(store, load_query("network-links"), params))


@pytest.mark.parametrize("persons", [False, True])
def test_pattern_scan_links_equal_the_query_on_the_small_graph(store: ox.Store, persons) -> None:
    from regiongraph.network.links import actor_links

    expected = _query_links(store, persons)
    assert expected
    assert _link_rows(actor_links(store, persons=persons)) == expected


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory):
    """The releases in data/ and 150 generated ones (many shared projects, funders and
    persons), built into one store."""
    from benchmarks.generate import generate

    from conftest import RELEASES, config_for
    from regiongraph.build.pipeline import build

    tmp = tmp_path_factory.mktemp("links")
    generate(150, tmp / "generated", seed=5)
    result = build([RELEASES, tmp / "generated"], config_for(tmp, workers=1))
    yield result.store.store
    result.store.close()


@pytest.mark.parametrize("persons", [False, True])
def test_pattern_scan_links_equal_the_query_on_real_and_generated_releases(
    mixed_store, persons
) -> None:
    from regiongraph.network.links import actor_links

    expected = _query_links(mixed_store, persons)
    assert len(expected) > 500
    assert _link_rows(actor_links(mixed_store, persons=persons)) == expected
