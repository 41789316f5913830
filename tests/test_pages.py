"""Network pages in a real browser: drawn offline, searchable, filterable, no errors.

Loads each written page from file:// in headless Chromium (Debian's /usr/bin/chromium
through playwright) with the browser context offline, and fails on any JavaScript
error, any console error and any request that is not to a local file.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import networkx as nx
import pyoxigraph as ox
import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS
from regiongraph.network.measures import actor_network, compute_layout
from regiongraph.network.pages import KIND_COLOURS, PageError, check_offline, write_network_page

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(__file__).resolve().parents[1] / "build" / "test-screenshots"
LOCAL_SCHEMES = {"file", "data", "blob", "about"}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: browser tests need Debian's chromium package")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class LoadedPage:
    """A page opened from disk, with what went wrong while it ran."""

    def __init__(self, browser, path: Path) -> None:
        self.context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        self.page.on("request", lambda req: self.requests.append(req.url))
        started = time.perf_counter()
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.regiongraphReady === true", timeout=120_000)
        self.seconds_to_ready = time.perf_counter() - started

    def count(self, what: str) -> int:
        return self.page.evaluate(f"network.body.data.{what}.length")

    def search(self, text: str) -> list[str]:
        self.page.fill("#rg-search", text)
        self.page.press("#rg-search", "Enter")
        return self.page.evaluate("network.getSelectedNodes()")

    def assert_clean(self) -> None:
        assert self.errors == []
        remote = [u for u in self.requests if urlparse(u).scheme not in LOCAL_SCHEMES]
        assert remote == []

    def screenshot(self, tmp_path: Path, name: str) -> Path:
        shot = tmp_path / name
        self.page.screenshot(path=str(shot))
        self.keep_screenshot(shot, name)
        return shot

    @staticmethod
    def keep_screenshot(shot: Path, name: str) -> None:
        """Copy a screenshot to build/test-screenshots/ for people to look at."""
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, SCREENSHOT_DIR / name)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def small_network() -> nx.Graph:
    from test_network import SMALL_GRAPH  # the hand-built store of test_network.py

    store = ox.Store()
    store.load(SMALL_GRAPH.encode("utf-8"), ox.RdfFormat.TURTLE)
    return actor_network(store)


def generated_network(n: int, seed: int = 1) -> nx.Graph:
    """A scale-free actor network of n actors with labels, kinds and shared projects."""
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    kinds = sorted(KIND_COLOURS)
    g = nx.Graph()
    for i in base.nodes:
        g.add_node(
            f"https://w3id.org/regiongraph/id/org/actor-{i:05d}",
            label=f"Aktör {i:05d} AB",
            kind=kinds[i % len(kinds)],
        )
    iris = list(g.nodes)
    for a, b in base.edges:
        g.add_edge(iris[a], iris[b], weight=1 + (a + b) % 3, via=(f"Projekt {min(a, b)}",))
    nx.set_node_attributes(g, dict(g.degree()), "degree")
    return g


def test_small_network_page_draws_searches_and_filters(browser, small_network, tmp_path):
    page_path = write_network_page(small_network, tmp_path / "small.html", "Aktörer i norr")
    loaded = LoadedPage(browser, page_path)
    try:
        loaded.screenshot(tmp_path, "network-small.png")  # the first view, as drawn
        assert loaded.count("nodes") == 6
        assert loaded.count("edges") == 13
        legend = loaded.page.locator("#rg-kinds li")
        assert legend.count() == 4  # Region, Company, University, FundingProgramme
        assert loaded.page.locator("#rg-legend").is_visible()

        umu = "https://w3id.org/regiongraph/id/org/umea-universitet"
        assert loaded.search("Umeå universitet") == [umu]
        assert loaded.search("boli") == ["https://w3id.org/regiongraph/id/org/boliden"]
        assert loaded.page.locator("#rg-search-status").text_content() == ""
        loaded.search("no such actor")
        assert loaded.page.locator("#rg-search-status").text_content() == "not found"

        loaded.page.locator('#rg-kinds input[value="Company"]').uncheck()
        hidden = loaded.page.evaluate(
            "nodes.get({filter: function (n) { return n.hidden; }}).length"
        )
        assert hidden == 2
        # Finding a hidden actor shows its kind again.
        assert loaded.search("Northvolt") == ["https://w3id.org/regiongraph/id/org/northvolt"]
        assert loaded.page.locator('#rg-kinds input[value="Company"]').is_checked()

        loaded.assert_clean()
    finally:
        loaded.close()


def test_thousand_node_page_draws_and_searches(browser, tmp_path):
    g = generated_network(1_000)
    positions = compute_layout(g)
    assert len(positions) == 1_000
    page_path = write_network_page(g, tmp_path / "large.html", "1 000 aktörer", positions)
    loaded = LoadedPage(browser, page_path)
    try:
        loaded.screenshot(tmp_path, "network-1000.png")
        assert loaded.count("nodes") == 1_000
        assert loaded.count("edges") == g.number_of_edges()
        assert loaded.search("Aktör 00042 AB") == [
            "https://w3id.org/regiongraph/id/org/actor-00042"
        ]
        loaded.screenshot(tmp_path, "network-1000-found.png")
        loaded.assert_clean()
    finally:
        loaded.close()


def test_page_refuses_remote_resources():
    check_offline('<script>var u = "https://example.org/x.js";</script>')  # text is fine
    with pytest.raises(PageError):
        check_offline('<script src="https://cdn.example.org/vis.js"></script>')
    with pytest.raises(PageError):
        check_offline('<link rel="stylesheet" href="//cdn.example.org/vis.css">')
