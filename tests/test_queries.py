"""The query library: every queries/*.rq is documented, runs on the graph built from
data/, and returns the rows the bundled releases imply; parameters bind as terms."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from regiongraph.query.library import (
    QueryError,
    bindings_for,
    list_queries,
    load_query,
    run_select,
    sparql_tokens,
    where_brace,
)
from regiongraph.query.remote import with_values

ID = "https://w3id.org/regiongraph/id/"
RG = "https://w3id.org/regiongraph/ontology#"
VASTERBOTTEN = ID + "region/se-vasterbotten"
POHJOIS_POHJANMAA = ID + "region/fi-pohjois-pohjanmaa"
SKELLEFTEA = ID + "municipality/skelleftea"
BATTERY_REGION = ID + "project/battery-region"
ERUF = ID + "programme/europeiska-regionala-utvecklingsfonden"
INTERREG_NORD = ID + "programme/interreg-nord"
RIV = ID + "project/regional-innovationsledning-vasterbotten"
KOMPETENSATTRAKTION = ID + "project/kompetensattraktion-vasterbotten"

LIBRARY = list_queries()
NAMES = [q.name for q in LIBRARY]


def project_named(store, prefix: str) -> str:
    """The IRI of the project whose label starts with ``prefix`` (slugs may change)."""
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    kind = ox.NamedNode(RG + "Project")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for quad in store.store.quads_for_pattern(None, label, None, ox.DefaultGraph()):
        if quad.object.value.startswith(prefix) and any(
            store.store.quads_for_pattern(quad.subject, rdf_type, kind, ox.DefaultGraph())
        ):
            return quad.subject.value
    raise AssertionError(f"no project labelled {prefix!r}")


@pytest.fixture(scope="module")
def dovi(store) -> str:
    return project_named(store, "Digital omställning i Västerbottens industrier")


def rows_of(store, name: str, **params: str) -> list[dict]:
    return run_select(store.store, load_query(name), params)


def find(rows: list[dict], **expected: object) -> list[dict]:
    return [r for r in rows if all(r.get(k) == v for k, v in expected.items())]


def test_library_has_at_least_fifteen_queries():
    assert len(LIBRARY) >= 15


@pytest.mark.parametrize("query", LIBRARY, ids=NAMES)
def test_query_is_documented(query):
    assert query.title and query.title != query.name
    assert len(query.description) > 20
    assert query.examples, "no '# example:' line"
    assert all(e.startswith(f"regiongraph query {query.name}") for e in query.examples)
    assert query.returns, "no '# returns:' line"
    for param in query.params:
        assert param.kind in {"IRI", "string", "integer", "decimal", "date", "year"}
        assert param.description


@pytest.mark.parametrize("query", LIBRARY, ids=NAMES)
def test_query_runs_and_returns_documented_columns(store, query):
    rows = run_select(store.store, query)
    results = store.store.query(query.text, substitutions=bindings_for(query, {}))
    columns = [v.value for v in results.variables]
    line = re.search(r"^# returns:(.*)$", query.text, re.M).group(1)
    documented = [c.split()[0] for c in re.sub(r"\([^)]*\)", "", line).split(",")]
    assert columns == documented
    assert isinstance(rows, list)


@pytest.mark.parametrize("query", LIBRARY, ids=NAMES)
def test_parameters_are_projected_and_used_at_top_level(query):
    """Parameters must be projected (pyoxigraph substitution) and VALUES-bindable."""
    projection = query.text[: where_brace(query.text)]
    for param in query.params:
        assert f"?{param.name}" in projection, f"?{param.name} is not projected"


# -- concrete answers from the bundled releases --------------------------------------


def test_projects_with_funders_battery_region(store, dovi):
    rows = rows_of(store, "projects-with-funders")
    assert find(rows, project=BATTERY_REGION, funder=ERUF)
    assert find(rows, project=BATTERY_REGION, funder=INTERREG_NORD)
    grant = find(rows, project=dovi, funder=VASTERBOTTEN)
    assert grant and grant[0]["amount"] == 2491478 and grant[0]["currency"] == "SEK"
    only_eruf = rows_of(store, "projects-with-funders", funder=ERUF)
    assert only_eruf and {r["funder"] for r in only_eruf} == {ERUF}
    assert find(only_eruf, project=RIV)


def test_funders_by_project_count(store):
    rows = rows_of(store, "funders-by-project-count")
    eruf = find(rows, funder=ERUF)[0]
    assert eruf["projects"] >= 2 and eruf["funderLabel"] == "Europeiska regionala utvecklingsfonden"


def test_funding_by_funder_sums_stated_amounts(store):
    rows = rows_of(store, "funding-by-funder")
    vasterbotten = find(rows, funder=VASTERBOTTEN, currency="SEK")[0]
    assert vasterbotten["total"] >= 2491478 + 893984
    assert vasterbotten["withAmount"] >= 2
    assert vasterbotten["fundings"] >= vasterbotten["withAmount"]
    # funders with no stated amount are listed with an empty total: how much is known
    assert find(rows, funder=INTERREG_NORD, total=None)


def test_funding_by_region_beneficiary_and_funder_sides(store):
    rows = rows_of(store, "funding-by-region")
    funder = find(rows, area=VASTERBOTTEN, side="funder", currency="SEK")[0]
    assert funder["total"] >= 2491478 + 893984 and funder["level"] == "region"
    beneficiary = find(rows, area=VASTERBOTTEN, side="beneficiary", currency="SEK")[0]
    assert beneficiary["total"] >= 2491478  # the region takes part in projects it funds


def test_funding_by_year_uses_release_year(store):
    rows = rows_of(store, "funding-by-year")
    issued = [
        q.object.value[:4]
        for q in store.store.quads_for_pattern(
            ox.NamedNode(ID + "release/dev-002"),
            ox.NamedNode("http://purl.org/dc/terms/issued"),
            None,
            ox.DefaultGraph(),
        )
    ]
    year = issued[0] if issued else "unknown"
    assert find(rows, year=year, currency="SEK")[0]["total"] >= 2491478 + 893984
    by_funder = rows_of(store, "funding-by-funder")
    assert sum(r["total"] for r in rows if r["currency"] == "SEK") == sum(
        r["total"] for r in by_funder if r["currency"] == "SEK"
    )


def test_largest_grants_ranked_and_filtered(store, dovi):
    rows = rows_of(store, "largest-grants", currency="SEK")
    amounts = [r["amount"] for r in rows]
    assert amounts == sorted(amounts, reverse=True)
    assert find(rows, project=dovi, funder=VASTERBOTTEN, amount=2491478)
    assert "2 491 478" in find(rows, project=dovi)[0]["evidence"]
    big = rows_of(store, "largest-grants", currency="SEK", min="1000000")
    assert find(big, project=dovi) and not find(big, project=KOMPETENSATTRAKTION)
    assert not rows_of(store, "largest-grants", currency="NOK")


def test_projects_active_in_year(store, dovi):
    in_2022 = {r["project"] for r in rows_of(store, "projects-active-in-year", year="2022")}
    assert RIV in in_2022 and dovi not in in_2022
    in_2023 = {r["project"] for r in rows_of(store, "projects-active-in-year", year="2023")}
    assert {RIV, dovi} <= in_2023
    assert RIV not in {r["project"] for r in rows_of(store, "projects-active-in-year", year="2024")}


def test_events_relative_to_date(store):
    industridagen = ID + "event/industridagen"
    avslutande = ID + "event/003-7cf70bc74400741d-avslutande-konferens"
    upcoming = rows_of(store, "events-relative-to-date", date="2022-01-01")
    assert find(upcoming, event=avslutande, status="upcoming", startDate="2022-09-22")
    assert not find(upcoming, event=industridagen)
    past = rows_of(store, "events-relative-to-date", date="2022-01-01", when="past")
    assert find(past, event=industridagen, status="past")
    everything = rows_of(store, "events-relative-to-date", date="2022-01-01", when="all")
    assert find(everything, event=industridagen) and find(everything, event=avslutande)
    assert not rows_of(store, "events-relative-to-date", date="1990-01-01", when="past")


def test_actors_in_region(store):
    rows = rows_of(store, "actors-in-region")
    assert find(rows, actor=SKELLEFTEA, link="municipality of the region")
    assert find(rows, actor=POHJOIS_POHJANMAA, link="shares a project or event with the region")


def test_collaborators_of_actor(store):
    rows = rows_of(store, "collaborators-of-actor", actor=VASTERBOTTEN)
    skelleftea = find(rows, partner=SKELLEFTEA)[0]
    assert "both in Battery Region" in skelleftea["relations"]
    assert "collaborates" in skelleftea["relations"]
    assert find(rows, partner=POHJOIS_POHJANMAA)
    assert find(rows, partner=INTERREG_NORD, relations="funds Battery Region")


def test_actors_with_funder(store):
    rows = rows_of(store, "actors-with-funder", funder=INTERREG_NORD)
    actors = {r["actor"] for r in find(rows, project=BATTERY_REGION)}
    assert {VASTERBOTTEN, SKELLEFTEA, POHJOIS_POHJANMAA} <= actors


def test_cross_border_collaboration_sweden_finland(store):
    rows = rows_of(store, "cross-border-collaboration")
    pair = find(rows, a=POHJOIS_POHJANMAA, b=VASTERBOTTEN)[0]
    assert (pair["aCountry"], pair["bCountry"]) == ("FI", "SE")
    assert "Battery Region" in pair["via"]
    assert all(r["aCountry"] != r["bCountry"] for r in rows)
    assert not rows_of(store, "cross-border-collaboration", countries="SE,NO")


def test_projects_sharing_partners(store, dovi):
    rows = rows_of(store, "projects-sharing-partners")
    assert all(r["shared"] >= 1 and r["partners"] for r in rows)
    pair = find(rows, p=BATTERY_REGION, q=dovi) or find(rows, p=dovi, q=BATTERY_REGION)
    assert pair and "Region Västerbotten" in pair[0]["partners"]
    two = rows_of(store, "projects-sharing-partners", min="2")
    assert all(r["shared"] >= 2 for r in two)
    assert find(two, p=ID + "project/framtidens-teknikutbildningar", q=ID + "project/industriforum")


def test_people_and_posts(store):
    rows = rows_of(store, "people-and-posts", organisation=VASTERBOTTEN)
    people = {r["personLabel"] for r in rows}
    assert {"Stina Johansson", "Magnus Rudehäll", "Rickard Carstedt"} <= people
    assert {r["organisation"] for r in rows} == {VASTERBOTTEN}


def test_co_participation_pairs_min(store):
    rows = rows_of(store, "co-participation-pairs", min="2")
    pair = find(rows, a=ID + "org/if-metall", b=ID + "org/teknikforetagen")[0]
    assert pair["shared"] == 2 and "Industriforum" in pair["via"]
    assert all(r["shared"] >= 2 for r in rows)


def test_municipalities_in_programmes(store):
    rows = rows_of(store, "municipalities-in-programmes", programme=INTERREG_NORD)
    skelleftea = find(rows, municipality=SKELLEFTEA)[0]
    assert "takes part in a funded project" in skelleftea["how"]
    assert skelleftea["region"] == "Region Västerbotten"


def test_bridging_actors(store):
    rows = rows_of(store, "bridging-actors")
    # IF Metall is in Industriforum (with Region Kronoberg) and in Framtidens
    # teknikutbildningar (with Region Skåne): it links the two regions' groups
    if_metall = find(rows, actor=ID + "org/if-metall")[0]
    assert if_metall["partners"] >= 3 and if_metall["bridgedPairs"] >= 1
    assert find(rows, actor=VASTERBOTTEN)[0]["bridgedPairs"] >= 10
    assert [r["bridgedPairs"] for r in rows] == sorted(
        (r["bridgedPairs"] for r in rows), reverse=True
    )


def test_activity_by_year_counts_releases(store):
    rows = rows_of(store, "activity-by-year")
    issued = {}
    for quad in store.store.quads_for_pattern(
        None, ox.NamedNode("http://purl.org/dc/terms/issued"), None, ox.DefaultGraph()
    ):
        issued[quad.subject.value] = quad.object.value[:4]
    expected: dict[str, int] = {}
    for year in issued.values():
        expected[year] = expected.get(year, 0) + 1
    for year, count in expected.items():
        assert find(rows, year=year)[0]["releases"] == count
    assert sum(r["releases"] for r in rows) == 53


def test_evidence_for_statement(store):
    rows = rows_of(
        store,
        "evidence-for-statement",
        subject=BATTERY_REGION,
        predicate=RG + "fundedBy",
        object=INTERREG_NORD,
    )
    assert rows and all("Interreg Nord" in r["evidence"] for r in rows)
    assert rows[0]["release"] == ID + "release/003-7cf70bc74400741d"
    assert rows[0]["rule"]


def test_evidence_for_fact(store):
    rows = rows_of(store, "evidence-for-fact", actor=POHJOIS_POHJANMAA)
    assert find(rows, predicate=RG + "participatesIn", object=BATTERY_REGION)


def test_qa_actors_without_type(store):
    rows = rows_of(store, "qa-actors-without-type")
    assert rows and not find(rows, actor=VASTERBOTTEN)
    generic = {RG + "Actor", RG + "Organisation", RG + "PublicAuthority"}
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for row in rows:
        types = {
            q.object.value
            for q in store.store.quads_for_pattern(
                ox.NamedNode(row["actor"]), rdf_type, None, ox.DefaultGraph()
            )
        }
        assert types <= generic
        assert row["problem"] == ("no rdf:type" if not types else "only a generic class")


def test_qa_projects_without_funders(store):
    rows = rows_of(store, "qa-projects-without-funders")
    projects = {r["project"] for r in rows}
    assert ID + "project/industriforum" in projects
    assert BATTERY_REGION not in projects


def test_qa_releases_without_date(store):
    rows = rows_of(store, "qa-releases-without-date")
    dated = {
        q.subject.value
        for q in store.store.quads_for_pattern(
            None, ox.NamedNode("http://purl.org/dc/terms/issued"), None, ox.DefaultGraph()
        )
    }
    assert rows and not {r["release"] for r in rows} & dated
    assert all(r["file"] for r in rows)


# -- parameters are bound as terms, never pasted ---------------------------------------


def test_string_parameter_with_quotes_does_not_inject(store):
    hostile = 'SE" ) ) } UNION { ?a ?p ?b } #>'
    assert rows_of(store, "cross-border-collaboration", countries=hostile) == []
    when = 'upcoming" || "a" = "a'
    assert rows_of(store, "events-relative-to-date", date="2000-01-01", when=when) == []


def test_iri_parameter_with_angle_bracket_is_refused(store):
    with pytest.raises(QueryError):
        rows_of(store, "collaborators-of-actor", actor=VASTERBOTTEN + "> ?p ?o } #")
    with pytest.raises(QueryError):
        rows_of(store, "collaborators-of-actor", actor="not an iri")


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("projects-active-in-year", {"year": "twenty"}),
        ("events-relative-to-date", {"date": "2022-13-45"}),
        ("largest-grants", {"min": "lots"}),
        ("co-participation-pairs", {"nope": "1"}),
    ],
)
def test_bad_parameter_values_are_refused(store, name, params):
    with pytest.raises(QueryError):
        rows_of(store, name, **params)


def test_values_binding_goes_into_the_main_where_group():
    query = load_query("collaborators-of-actor")
    text = with_values(query, {"actor": VASTERBOTTEN})
    head = text[: where_brace(text) + 80]
    assert f"VALUES (?actor) {{ (<{VASTERBOTTEN}>) }}" in head
    hostile = with_values(load_query("cross-border-collaboration"), {"countries": 'a"b'})
    assert '"a\\"b"' in hostile


def test_lexer_ignores_braces_and_where_in_comments_strings_and_iris():
    text = (
        "# SERVICE <x> WHERE { INSERT\n"
        "PREFIX ex: <http://example.org/SERVICE/where>\n"
        "SELECT ?service ('SERVICE { }' AS ?s) WHERE { ?service ex:service \"INSERT\" }"
    )
    assert text[where_brace(text) :].startswith("{ ?service")
    assert [t.kind for t in sparql_tokens('?a <b> "c"@sv 1.5')] == [
        "var",
        "iri",
        "string",
        "lang",
        "number",
    ]


def test_a_page_narrows_the_query_own_limit_and_skips_comments_and_strings():
    from regiongraph.query.library import page_text

    text = 'SELECT ?s WHERE { ?s ?p "LIMIT 3" } ORDER BY ?s LIMIT 1000 # OFFSET 7\n'
    assert page_text(text, 10, 995).endswith("ORDER BY ?s  # OFFSET 7\nLIMIT 5 OFFSET 995\n")
    assert page_text(text, None, 10).endswith("LIMIT 990 OFFSET 10\n")
    assert page_text(text, 10, 2000).endswith("LIMIT 0 OFFSET 2000\n")
    nested = "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 2 } } OFFSET 1 VALUES ?s { 1 }"
    assert page_text(nested, 4, 1) == (
        "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 2 } }\nLIMIT 4 OFFSET 2\n"
        "VALUES ?s { 1 }"
    )
    assert page_text(text, None, 0) == text
    with pytest.raises(QueryError):
        page_text(text, -1, 0)


def test_a_limited_library_query_pages_through_its_own_rows(store):
    query = load_query("co-participation-pairs")  # keeps the top 1,000 pairs itself
    full = run_select(store, query)
    assert len(full) > 3
    assert run_select(store, query.paged(2, 1)) == full[1:3]
    assert run_select(store, query.paged(5, len(full) - 1)) == full[-1:]
