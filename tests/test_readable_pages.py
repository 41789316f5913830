"""Network pages a reader can read: labels that do not overlap and stay inside the
drawing at 1400×900, relations in words, ego networks of any actor from the index, and
Newman's collaboration weighting. Checked in headless Chromium on the bundled releases."""

from __future__ import annotations

from itertools import combinations

import pytest

from regiongraph.network.projections import actor_graph, load_network_data, star_large_lists
from regiongraph.network.views import read_views, write_pages
from test_pages import LoadedPage, browser  # noqa: F401  (the fixture is used by name)

# The label boxes vis-network itself computed for the labels it draws, in page pixels.
DRAWN_LABELS = """() => {
  const frame = document.getElementById("mynetwork").getBoundingClientRect();
  const scale = network.getScale();
  return nodes.get().filter(v => v.label && !v.hidden).map(v => {
    const n = network.body.nodes[v.id];
    const s = n.labelModule.size;
    if (!s.width || v.font.size * scale < 6) return null;
    const a = network.canvasToDOM({x: s.left, y: s.top});
    const b = network.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    return {id: v.id, left: a.x, top: a.y, right: b.x, bottom: b.y,
            width: frame.width, height: frame.height};
  }).filter(Boolean);
}"""


@pytest.fixture(scope="module")
def pages(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("readable")
    write_pages(built.store, out)
    return out


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


@pytest.mark.browser
@pytest.mark.parametrize("name", [s.name for s in read_views()])
def test_first_view_labels_do_not_overlap_and_stay_inside(browser, pages, tmp_path, name):  # noqa: F811
    loaded = LoadedPage(browser, pages / f"{name}.html")
    boxes = loaded.page.evaluate(DRAWN_LABELS)
    loaded.screenshot(tmp_path, f"labels-{name}.png")
    loaded.assert_clean()
    assert boxes, "no label drawn at all"
    clashes = [(a["id"], b["id"]) for a, b in combinations(boxes, 2) if overlaps(a, b)]
    assert clashes == []
    outside = [
        b["id"]
        for b in boxes
        if b["left"] < 0 or b["top"] < 0 or b["right"] > b["width"] or b["bottom"] > b["height"]
    ]
    assert outside == []


@pytest.mark.browser
def test_relations_are_named_in_words_with_the_iri_on_hover(browser, pages):  # noqa: F811
    loaded = LoadedPage(browser, pages / "overview.html")
    legend = loaded.page.evaluate(
        """() => Array.from(document.querySelectorAll('#rg-edge-types .rg-relation'))
             .map(e => [e.textContent.trim(), e.title])"""
    )
    assert ["funded by / finansieras av", "https://w3id.org/regiongraph/ontology#fundedBy"] in (
        [list(x) for x in legend]
    )
    assert all("rg:" not in text for text, _ in legend)


@pytest.mark.browser
def test_index_search_opens_the_ego_network_of_any_actor(browser, pages):  # noqa: F811
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto((pages / "index.html").as_uri())
    page.fill("#ego-name", "Skellefteå kommun")
    page.click("#ego-search button")
    page.wait_for_function("window.regiongraphReady === true", timeout=60_000)
    assert "#ego=" in page.url
    drawn = page.evaluate("nodes.getIds()")
    assert "https://w3id.org/regiongraph/id/municipality/skelleftea" in drawn
    centre = page.evaluate("nodes.get().filter(n => n.shape === 'star').map(n => n.id)")
    assert centre == ["https://w3id.org/regiongraph/id/municipality/skelleftea"]
    assert 1 < len(drawn) < 60
    assert "Skellefteå" in page.inner_text("h1")
    context.close()


def test_co_participation_weighs_one_over_n_minus_one(built):
    data = load_network_data(built.store.store)
    g = actor_graph(data)
    members: dict[str, set[str]] = {}
    for f in data.facts:
        if f.predicate.endswith(("#leads", "#participatesIn")):
            members.setdefault(f.object, set()).add(f.subject)
    thing, crew = max(members.items(), key=lambda kv: len(kv[1]))
    n = len(crew)
    assert n >= 6
    a, b = sorted(crew)[:2]
    d = g.edges[a, b]
    # the largest list alone gives 1/(N-1); anything else they share adds to it
    assert d["weight"] >= 1 / (n - 1) - 1e-6
    only_list = [
        (x, y) for x, y in combinations(sorted(crew), 2) if g.edges[x, y]["things"] == (thing,)
    ]
    assert only_list and all(
        abs(g.edges[x, y]["weight"] - 1 / (n - 1)) < 1e-6 for x, y in only_list
    )
    starred = star_large_lists(g, data, 6)
    assert thing in starred and all(starred.has_edge(m, thing) for m in crew)
    assert not any(starred.has_edge(x, y) for x, y in only_list)
