"""Benchmark the network pages: build time per view and time to interactive in Chromium.

For each size (default 500, 5,000 and 20,000 actors) the script generates a synthetic
actor network the way the real one is made - actors joining projects, funders funding
them - with a skewed degree (projects are chosen by popularity, a Pólya urn), seeded so
every run is the same. It then times, for the overview view of viz/overview.toml
(communities as colours, PageRank as size, the 300 most central drawn first):

- projection: ``projections.actor_graph`` (+ dropping actors without links);
- measures: ``analysis.compute_measures`` (betweenness sampled above 2,000 nodes);
- layout: ``network.compute_layout`` with the first-drawn nodes as the core;
- write: ``viz_build.write_view`` (the HTML file);

and loads the page in headless Chromium (Debian's /usr/bin/chromium, offline) to time
navigation -> ``window.regiongraphReady`` (time to interactive), then "Show all" ->
drawn (every node). Prints a table and writes JSON (default build/bench/pages.json).

    python benchmarks/bench_pages.py                    # 500, 5000, 20000
    python benchmarks/bench_pages.py --sizes 500 5000 --out build/bench/small.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from regiongraph.network.analysis import community_names, compute_measures
from regiongraph.network.measures import compute_layout
from regiongraph.network.projections import (
    RG,
    Actor,
    Evidence,
    Fact,
    NetworkData,
    Release,
    Thing,
    actor_graph,
    without_isolates,
)
from regiongraph.network.views import View, read_view, write_view
from regiongraph.paths import project_root

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KINDS = (
    ("Company", 40),
    ("Organisation", 15),
    ("Municipality", 10),
    ("University", 6),
    ("ResearchInstitute", 6),
    ("GovernmentAgency", 5),
    ("Region", 3),
    ("TradeUnion", 3),
    ("EmployerOrganisation", 3),
    ("EducationProvider", 4),
    ("FundingProgramme", 5),
)
COUNTRIES = (("SE", 80), ("FI", 10), ("NO", 6), ("EU", 4))
MAX_PROJECT_SIZE = 25


def synthetic_data(n: int, seed: int = 1) -> NetworkData:
    """``n`` actors in about n/2 projects with a skewed number of partners per actor."""
    rng = random.Random(seed)
    kinds = [k for k, w in KINDS for _ in range(w)]
    countries = [c for c, w in COUNTRIES for _ in range(w)]
    base = "https://w3id.org/regiongraph/id/"
    actors = {}
    for i in range(n):
        kind = rng.choice(kinds)
        iri = f"{base}{'programme' if kind == 'FundingProgramme' else 'org'}/actor-{i:05d}"
        actors[iri] = Actor(iri, f"Aktör {i:05d}", kind, country=rng.choice(countries))
    actor_iris = sorted(actors)
    funders = [a for a in actor_iris if actors[a].kind == "FundingProgramme"]
    members_only = [a for a in actor_iris if actors[a].kind != "FundingProgramme"]
    projects = n // 2
    things = {
        f"{base}project/p-{j:05d}": Thing(f"{base}project/p-{j:05d}", f"Projekt {j:05d}", "Project")
        for j in range(projects)
    }
    thing_iris = sorted(things)
    releases = {
        f"{base}release/r-{y}": Release(
            f"{base}release/r-{y}", f"Pressmeddelande {y}", f"{y}-06-01"
        )
        for y in range(2014, 2026)
    }
    release_iris = sorted(releases)
    urn: list[str] = []  # one entry per membership: popular projects get picked more
    size: dict[str, int] = {}
    facts = []
    for actor in members_only:
        joins = 1 + min(int(rng.expovariate(0.9)), 12)
        for _ in range(joins):
            thing = rng.choice(urn) if urn and rng.random() < 0.6 else rng.choice(thing_iris)
            if size.get(thing, 0) >= MAX_PROJECT_SIZE:
                thing = rng.choice(thing_iris)
            size[thing] = size.get(thing, 0) + 1
            urn.append(thing)
            release = rng.choice(release_iris)
            predicate = RG + ("leads" if rng.random() < 0.2 else "participatesIn")
            evidence = (Evidence(release, f"{actors[actor].label} deltar i projektet."),)
            facts.append(Fact(actor, predicate, thing, evidence))
    for thing in thing_iris:
        if funders and rng.random() < 0.5:
            funder = funders[min(int(rng.expovariate(0.3)), len(funders) - 1)]
            evidence = (Evidence(rng.choice(release_iris), "Projektet finansieras."),)
            facts.append(Fact(thing, RG + "fundedBy", funder, evidence, (("SEK", 1e6),)))
    unique = {(f.subject, f.predicate, f.object): f for f in facts}
    return NetworkData(actors, things, tuple(unique[k] for k in sorted(unique)), releases)


def build_page(data: NetworkData, out: Path) -> dict[str, object]:
    spec = read_view(project_root() / "viz" / "overview.toml")
    timings: dict[str, object] = {}
    started = time.perf_counter()
    g = without_isolates(actor_graph(data))
    timings["projection_s"] = time.perf_counter() - started
    t = time.perf_counter()
    measures = compute_measures(g)
    for node, m in measures.items():
        g.nodes[node]["community"] = m.community
    rank = tuple(
        sorted(g.nodes, key=lambda n: (-measures[n].pagerank, -measures[n].degree, str(n)))
    )
    timings["measures_s"] = time.perf_counter() - t
    t = time.perf_counter()
    positions = compute_layout(g, core=rank[: spec.max_nodes] if spec.max_nodes else None)
    timings["layout_s"] = time.perf_counter() - t
    t = time.perf_counter()
    view = View(spec, g, measures, positions, rank, community_names(measures))
    summary = write_view(view, out, data.releases)
    timings["write_s"] = time.perf_counter() - t
    timings["build_s"] = time.perf_counter() - started
    timings.update(
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        drawn_first=summary.nodes_shown,
        page_mb=out.stat().st_size / 1e6,
    )
    return timings


def time_in_browser(browser, page_path: Path, show_all: bool) -> dict[str, object]:
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        started = time.perf_counter()
        page.goto(page_path.as_uri())
        page.wait_for_function("window.regiongraphReady === true", timeout=300_000)
        result: dict[str, object] = {"interactive_s": time.perf_counter() - started}
        t = time.perf_counter()
        found = page.evaluate(
            "() => { const n = RG.nodes[Math.floor(RG.nodes.length / 2)];"
            " document.getElementById('rg-search').value = n.label;"
            " document.getElementById('rg-search-form').requestSubmit();"
            " return network.getSelectedNodes()[0] === n.id; }"
        )
        result["search_s"] = time.perf_counter() - t
        result["search_ok"] = bool(found)
        if show_all:
            t = time.perf_counter()
            page.evaluate(
                "() => new Promise(resolve => {"
                " network.once('afterDrawing', resolve);"
                " document.getElementById('rg-all').click(); network.redraw(); })"
            )
            result["show_all_s"] = time.perf_counter() - t
            result["drawn_after_show_all"] = page.evaluate("nodes.length")
        result["js_errors"] = errors
        return result
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5_000, 20_000])
    parser.add_argument("--out", type=Path, default=project_root() / "build/bench/pages.json")
    parser.add_argument("--no-browser", action="store_true", help="Only time the build.")
    parser.add_argument(
        "--show-all-max",
        type=int,
        default=20_000,
        help="Also time 'Show all' for networks up to this many nodes.",
    )
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    pages_dir = args.out.parent / "pages"
    rows = []
    browser = pw = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        for n in args.sizes:
            t = time.perf_counter()
            data = synthetic_data(n)
            generate_s = time.perf_counter() - t
            row: dict[str, object] = {"actors": n, "generate_s": generate_s}
            page_path = pages_dir / f"overview-{n}.html"
            row.update(build_page(data, page_path))
            if browser is not None:
                show_all = int(row["nodes"]) <= args.show_all_max  # type: ignore[arg-type]
                row.update(time_in_browser(browser, page_path, show_all))
            rows.append(row)
            print(f"{n:>6} actors done in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    finally:
        if browser is not None:
            browser.close()
        if pw is not None:
            pw.stop()
    args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print_table(rows)
    print(f"\nJSON: {args.out}")
    return 0


def print_table(rows: list[dict[str, object]]) -> None:
    columns = [
        ("actors", "actors", "{:,}"),
        ("nodes", "nodes", "{:,}"),
        ("edges", "edges", "{:,}"),
        ("projection_s", "project s", "{:.2f}"),
        ("measures_s", "measures s", "{:.2f}"),
        ("layout_s", "layout s", "{:.2f}"),
        ("write_s", "write s", "{:.2f}"),
        ("build_s", "build s", "{:.2f}"),
        ("page_mb", "page MB", "{:.1f}"),
        ("drawn_first", "drawn", "{:,}"),
        ("interactive_s", "interactive s", "{:.2f}"),
        ("search_s", "search s", "{:.2f}"),
        ("show_all_s", "show all s", "{:.2f}"),
    ]
    header = [title for _, title, _ in columns]
    body = [[fmt.format(r[key]) if key in r else "-" for key, _, fmt in columns] for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(header)]
    print(" | ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for b in body:
        print(" | ".join(c.rjust(w) for c, w in zip(b, widths, strict=True)))


if __name__ == "__main__":
    sys.exit(main())
