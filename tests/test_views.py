"""Every view page written from the real store, in headless Chromium.

The pages come from ``viz_build.write_pages`` on the session build of data/releases;
each must draw exactly the nodes and edges it says it wrote (``views.json``), find a
node by name, raise no JavaScript error and request nothing but local files. A
screenshot of each goes to build/test-screenshots/view-<name>.png.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regiongraph.network.views import MANIFEST_NAME, read_views, write_pages
from test_pages import LoadedPage, browser  # noqa: F401  (the fixture is used by name)

pytestmark = pytest.mark.browser

VIEW_NAMES = [spec.name for spec in read_views()]
COMMUNITY_KEYS = """() => {
  const ids = new Set(RG.communities.map(c => c.id));
  const keys = new Set(RG.nodes.filter(n => n.com !== undefined)
    .map(n => ids.has(n.com) ? String(n.com) : "other"));
  return [keys.size, document.querySelectorAll("#rg-communities li").length];
}"""
MEMBERS_DRAWN = """key => {
  const ids = new Set(RG.communities.map(c => c.id));
  return nodes.get().filter(v => {
    const n = RG.nodes.find(m => m.id === v.id);
    return (ids.has(n.com) ? String(n.com) : "other") === key;
  }).length;
}"""
HIDDEN_NODES = "nodes.get({filter: function (n) { return n.hidden; }}).length"


@pytest.fixture(scope="module")
def written(built, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("viz")
    write_pages(built.store, out)
    return out, json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))


def test_every_view_in_viz_is_written(written) -> None:
    _, manifest = written
    assert sorted(manifest) == sorted(f"{name}.html" for name in VIEW_NAMES)
    assert {"overview", "ego", "project-actor", "funding-flow", "region", "over-time"} <= set(
        VIEW_NAMES
    )


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_view_draws_what_was_written_and_finds_a_node(browser, written, tmp_path, name) -> None:  # noqa: F811
    out, manifest = written
    expected = manifest[f"{name}.html"]
    assert expected["nodes_shown"] > 0 and expected["edges_shown"] > 0
    loaded = LoadedPage(browser, out / f"{name}.html")
    try:
        loaded.screenshot(tmp_path, f"view-{name}.png")
        assert loaded.count("nodes") == expected["nodes_shown"]
        assert loaded.count("edges") == expected["edges_shown"]
        payload = loaded.page.evaluate("[RG.nodes.length, RG.edges.length]")
        assert payload == [expected["nodes_total"], expected["edges_total"]]
        found = loaded.search(expected["first_label"])
        assert len(found) == 1
        assert loaded.page.evaluate(f"network.body.data.nodes.get({json.dumps(found[0])}).label")
        assert loaded.page.locator("#rg-details").is_visible()  # details of the found node
        assert loaded.page.locator("#rg-legend").is_visible()
        # One community checkbox per community drawn (the small ones share "other"),
        # and unchecking one hides exactly its members.
        keys, items = loaded.page.evaluate(COMMUNITY_KEYS)
        assert keys == items
        if items:
            box = loaded.page.locator("#rg-communities input").first
            key = box.get_attribute("value")
            members = loaded.page.evaluate(MEMBERS_DRAWN, key)
            box.uncheck()
            assert loaded.page.evaluate(HIDDEN_NODES) == members
        loaded.assert_clean()
    finally:
        loaded.close()


def test_index_lists_every_view_and_has_charts(browser, written, tmp_path) -> None:  # noqa: F811
    out, manifest = written
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto((out / "index.html").as_uri())
        links = page.eval_on_selector_all(
            "#views h2 a", "els => els.map(e => e.getAttribute('href'))"
        )
        assert sorted(links) == sorted(manifest)
        assert page.locator("#charts svg").count() >= 2
        page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
        LoadedPage.keep_screenshot(tmp_path / "index.png", "view-index.png")
        assert errors == []
    finally:
        context.close()


def test_search_finds_an_actor_that_is_not_drawn_yet(browser, tmp_path) -> None:  # noqa: F811
    from regiongraph.network.measures import compute_layout
    from regiongraph.network.pages import PageStyle, write_graph_page
    from test_pages import generated_network

    g = generated_network(600)
    summary = write_graph_page(
        g,
        tmp_path / "cut.html",
        "600 aktörer",
        positions=compute_layout(g),
        style=PageStyle(initial=100, step=200),
    )
    assert (summary.nodes_shown, summary.nodes_total) == (100, 600)
    loaded = LoadedPage(browser, summary.path)
    try:
        assert loaded.count("nodes") == 100
        assert loaded.count("edges") == summary.edges_shown
        # The least connected actors are drawn last: find one and it is added.
        last = loaded.page.evaluate("RG.nodes[RG.nodes.length - 1]")
        assert loaded.search(last["label"]) == [last["id"]]
        assert loaded.count("nodes") == 101
        loaded.page.click("#rg-more")
        assert loaded.count("nodes") == 301
        loaded.page.click("#rg-all")
        assert loaded.count("nodes") == 600
        assert loaded.count("edges") == g.number_of_edges()
        assert loaded.page.locator("#rg-more-controls").is_hidden()
        loaded.assert_clean()
    finally:
        loaded.close()
