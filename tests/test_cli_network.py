"""``regiongraph network stats|viz`` and ``query``, run as a user runs them, on the store
built from data/releases while the build still holds it open (as ``build --watch`` does)."""

from __future__ import annotations

import csv
import io
import re

import networkx as nx
import pytest
from typer.testing import CliRunner

from regiongraph.cli import app
from regiongraph.cli.networks import STAT_COLUMNS
from regiongraph.network.analysis import compute_measures
from regiongraph.network.projections import actor_graph, load_network_data, without_isolates

VASTERBOTTEN = "https://w3id.org/regiongraph/id/region/se-vasterbotten"


@pytest.fixture(scope="module")
def build_dir(built):
    return built.store.path.parent  # the build's handle stays open for writing


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    return result


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_stats_csv_ranks_the_actor_network_by_the_chosen_measure(build_dir, built):
    result = run("network", "stats", "--by", "degree", "--top", "0", "--format", "csv",
                 "--build-dir", str(build_dir))  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert list(rows[0]) == list(STAT_COLUMNS)
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    degrees = [int(r["degree"]) for r in rows]
    assert degrees == sorted(degrees, reverse=True) and degrees[0] > 3
    # every actor of the projection (isolates left out) is ranked, with its measures
    expected = compute_measures(without_isolates(actor_graph(load_network_data(built.store.store))))
    assert {r["node"] for r in rows} == set(expected)
    row = next(r for r in rows if r["node"] == VASTERBOTTEN)
    assert int(row["degree"]) == expected[VASTERBOTTEN].degree
    assert row["label"] == "Region Västerbotten" and row["kind"] == "Region"


def test_stats_funding_projection_and_top(build_dir):
    result = run("network", "stats", "--projection", "funding", "--by", "weighted_degree",
                 "--top", "5", "--format", "csv", "--build-dir", str(build_dir))  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert 0 < len(rows) <= 5
    weights = [float(r["weighted_degree"]) for r in rows]
    assert weights == sorted(weights, reverse=True)


def test_stats_region_filter_keeps_actors_of_that_region(build_dir):
    every = _csv(run("network", "stats", "--top", "0", "--format", "csv",
                     "--build-dir", str(build_dir)).stdout)  # fmt: skip
    result = run("network", "stats", "--top", "0", "--format", "csv", "--region", "Västerbotten",
                 "--build-dir", str(build_dir))  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert 0 < len(rows) < len(every)
    assert VASTERBOTTEN in {r["node"] for r in rows}


def test_stats_unknown_region_is_a_clear_error(build_dir):
    result = run("network", "stats", "--region", "Atlantis", "--build-dir", str(build_dir))
    assert result.exit_code == 2
    assert "Atlantis" in result.stderr and not result.stdout


def test_stats_without_a_store_names_the_missing_store(tmp_path):
    result = run("network", "stats", "--build-dir", str(tmp_path))
    assert result.exit_code == 2 and "no store at" in result.stderr


def test_viz_ego_network_writes_an_offline_page_centred_on_the_actor(build_dir):
    result = run("network", "viz", "--actor", "Region Västerbotten", "--depth", "1",
                 "--build-dir", str(build_dir))  # fmt: skip
    assert result.exit_code == 0, result.output
    page = build_dir / "viz" / "ego-se-vasterbotten.html"  # named by the IRI, not the text
    assert result.stdout.strip() == str(page) and page.is_file()
    html = page.read_text(encoding="utf-8")
    assert "Ego network — Region Västerbotten (depth 1)" in html
    assert not re.search(r"<script[^>]+src=[\"']https?://", html)  # nothing from a CDN
    assert VASTERBOTTEN in html


def test_viz_unknown_view_lists_the_views(build_dir):
    result = run("network", "viz", "--view", "nope", "--build-dir", str(build_dir))
    assert result.exit_code == 2 and "overview" in result.stderr


def test_query_runs_on_a_store_another_handle_holds(build_dir, built):
    result = run("query", "actors-in-region", "--format", "csv", "--build-dir", str(build_dir))
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert rows and all(set(r) == set(rows[0]) for r in rows)
    assert bool(built.store.store.query("ASK { ?s ?p ?o }"))  # the writer is unaffected


def test_query_pages_are_slices_of_the_full_listing(build_dir):
    def rows(*extra: str) -> list[dict[str, str]]:
        result = run("query", "people-and-posts", "--format", "csv", "--build-dir",
                     str(build_dir), *extra)  # fmt: skip
        assert result.exit_code == 0, result.output
        return _csv(result.stdout)

    full = rows()
    assert len(full) > 6
    assert rows("--limit", "3", "--offset", "2") == full[2:5]
    assert rows("--offset", str(len(full) - 1)) == full[-1:]
    assert rows("--limit", "0") == []
    bad = run("query", "people-and-posts", "--limit", "-1", "--build-dir", str(build_dir))
    assert bad.exit_code == 2 and "--limit" in bad.stderr


def test_the_projection_used_by_stats_is_a_simple_graph(built):
    g = actor_graph(load_network_data(built.store.store))
    assert isinstance(g, nx.Graph) and not g.is_directed() and nx.number_of_selfloops(g) == 0


def test_ego_page_keeps_its_name_and_every_build_writes_it_again(build_dir, built):
    from regiongraph.network.views import write_pages

    page = build_dir / "viz" / "ego-se-vasterbotten.html"
    for name in ("vasterbotten", "SE331", VASTERBOTTEN):  # one actor, one page
        result = run("network", "viz", "--actor", name, "--build-dir", str(build_dir))
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == str(page)
    page.write_text("stale", encoding="utf-8")
    write_pages(built.store, build_dir / "viz")  # what every build does
    assert "Ego network — Region Västerbotten" in page.read_text(encoding="utf-8")


def test_viz_misspelt_actor_gets_the_closest_names(build_dir):
    result = run("network", "viz", "--actor", "Region Vasterbotn", "--build-dir", str(build_dir))
    assert result.exit_code == 2 and "Region Västerbotten" in result.stderr
