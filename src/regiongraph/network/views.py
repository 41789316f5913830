"""Store -> the network pages under build/viz: one page per view in viz/*.toml, and an index.

A view (``ViewSpec``, read from ``viz/<name>.toml`` by ``read_view``) says which
projection to draw (``projections.py``), which filters to apply, how to colour and size
the nodes and how many to draw at first. ``build_view`` turns a spec and the store's
``NetworkData`` into a ``View`` (graph, measures, layout, ranking); ``write_view``
writes its page with ``pages.write_graph_page``. ``write_pages`` does this for every
view and writes ``index.html`` (the views with headline figures, the top actors and the
activity per year as inline SVG) and ``views.json`` (what each page holds).

View files (all keys optional except ``title``; see viz/README.md)::

    [view]
    title = "…"            description = "…"        order = 1
    projection = "actors"  # actors | actor-project | funding
    colour = "community"   # community | kind
    size = "pagerank"      # degree | weighted_degree | pagerank | betweenness | broker_score
    max_nodes = 300        # drawn at first; "Show more" adds `step` more
    step = 300
    layout = "force"       # force | layered (funder -> project -> actor columns)
    edge_width = "weight"  # weight | amount
    timeline = false       # a year control (network over time)
    isolated = false       # also actors without any link
    persons = false        # also persons
    [filters]              # region, country, kind, funder: a string or a list; from, to: dates
    [ego]                  # centre = "" (empty: the actor with the highest PageRank); depth = 1
    [region]               # name = "" (empty: the region with the most linked actors); depth = 1
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import networkx as nx

from regiongraph.graph.store import GraphStore
from regiongraph.network.analysis import (
    ActorMeasures,
    community_names,
    compute_measures,
    rank_actors,
)
from regiongraph.network.measures import compute_layout, layered_layout
from regiongraph.network.pages import (
    IndexEntry,
    PageStyle,
    PageSummary,
    svg_bar_chart,
    write_graph_page,
    write_index_page,
)
from regiongraph.network.projections import (
    Filters,
    NetworkData,
    actor_graph,
    actor_project_graph,
    filter_data,
    find_node,
    funding_graph,
    load_network_data,
    neighbourhood,
    star_large_lists,
    without_isolates,
)
from regiongraph.paths import project_root

PROJECTIONS = ("actors", "actor-project", "funding")
SIZES = ("degree", "weighted_degree", "pagerank", "betweenness", "broker_score")
LAYOUT_SEED = 42
# A project or event with at least this many members is drawn as a node linked to its
# members in the actor views, not as a link between every pair of them.
LIST_STAR_MIN = 6
INDEX_NAME = "index.html"
MANIFEST_NAME = "views.json"


def views_dir() -> Path:
    return project_root() / "viz"


@dataclass(frozen=True)
class ViewSpec:
    """A page described in ``viz/<name>.toml``: which projection, what to keep, how drawn."""

    name: str
    title: str
    description: str = ""
    order: int = 100
    projection: str = "actors"
    colour: str = "community"
    size: str = "pagerank"
    max_nodes: int | None = 300
    step: int = 300
    layout: str = "force"
    edge_width: str = "weight"
    timeline: bool = False
    isolated: bool = False
    persons: bool = False
    filters: Filters = field(default_factory=Filters)
    ego_centre: str | None = None  # None: not an ego view; "": the most central actor
    ego_depth: int = 1
    region: str | None = None  # None: not a region view; "": the busiest region
    region_depth: int = 1

    def __post_init__(self) -> None:
        checks = {
            "projection": (self.projection, PROJECTIONS),
            "size": (self.size, SIZES),
            "layout": (self.layout, ("force", "layered")),
            "colour": (self.colour, ("community", "kind")),
            "edge_width": (self.edge_width, ("weight", "amount")),
        }
        for key, (value, allowed) in checks.items():
            if value not in allowed:
                raise ValueError(
                    f"view {self.name!r}: {key} = {value!r}; choose one of {', '.join(allowed)}"
                )
        if self.max_nodes is not None and self.max_nodes < 1:
            raise ValueError(f"view {self.name!r}: max_nodes must be at least 1")
        for key, depth in (("ego depth", self.ego_depth), ("region depth", self.region_depth)):
            if depth not in (0, 1, 2):
                raise ValueError(f"view {self.name!r}: {key} must be 0, 1 or 2")


_VIEW_KEYS = {f for f in ViewSpec.__dataclass_fields__} - {
    "name",
    "filters",
    "ego_centre",
    "ego_depth",
    "region",
    "region_depth",
}
_FILTER_KEYS = {"region", "country", "kind", "funder", "from", "to"}


def read_view(path: Path) -> ViewSpec:
    """A view definition from a TOML file; the file stem is its name."""
    path = Path(path)
    with path.open("rb") as f:
        doc = tomllib.load(f)
    unknown_tables = set(doc) - {"view", "filters", "ego", "region"}
    if unknown_tables:
        raise ValueError(f"{path}: unknown tables {sorted(unknown_tables)}")
    table = dict(doc.get("view", {}))
    unknown = set(table) - _VIEW_KEYS
    if unknown:
        raise ValueError(
            f"{path}: unknown view keys {sorted(unknown)} (known: {sorted(_VIEW_KEYS)})"
        )
    raw_filters = doc.get("filters", {})
    if set(raw_filters) - _FILTER_KEYS:
        raise ValueError(f"{path}: unknown filter keys {sorted(set(raw_filters) - _FILTER_KEYS)}")
    ego, region = doc.get("ego"), doc.get("region")
    try:
        return ViewSpec(
            name=path.stem,
            title=table.pop("title", path.stem),
            filters=filters_from(raw_filters),
            ego_centre=None if ego is None else str(ego.get("centre", "")),
            ego_depth=int((ego or {}).get("depth", 1)),
            region=None if region is None else str(region.get("name", "")),
            region_depth=int((region or {}).get("depth", 1)),
            **table,
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


def filters_from(raw: Mapping[str, object]) -> Filters:
    """``Filters`` from a mapping with keys region, country, kind, funder, from, to."""

    def many(key: str) -> tuple[str, ...]:
        value = raw.get(key) or ()
        return (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)  # type: ignore[union-attr]

    return Filters(
        regions=many("region"),
        countries=many("country"),
        kinds=many("kind"),
        funders=many("funder"),
        date_from=str(raw["from"]) if raw.get("from") else None,
        date_to=str(raw["to"]) if raw.get("to") else None,
    )


def read_views(directory: Path | None = None) -> list[ViewSpec]:
    """Every view in ``viz/*.toml``, by ``order`` then name."""
    root = directory or views_dir()
    return sorted((read_view(p) for p in root.glob("*.toml")), key=lambda v: (v.order, v.name))


# -- one view ------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """A view ready to draw: the graph, its measures, positions and node ranking."""

    spec: ViewSpec
    graph: nx.Graph
    measures: Mapping[Hashable, ActorMeasures]
    positions: Mapping[Hashable, tuple[float, float]]
    rank: tuple[Hashable, ...]
    communities: Mapping[int, tuple[str, int]]
    notes: tuple[str, ...] = ()


def build_view(data: NetworkData, spec: ViewSpec, seed: int = LAYOUT_SEED) -> View:
    """Project, measure, cut and lay out the network a view describes."""
    filtered = filter_data(data, spec.filters)
    if spec.projection == "actor-project":
        g: nx.Graph = actor_project_graph(filtered)
    elif spec.projection == "funding":
        g = funding_graph(filtered)
    else:
        g = star_large_lists(actor_graph(filtered), filtered, LIST_STAR_MIN)
        if not spec.isolated:
            g = without_isolates(g)
    measures = compute_measures(g, seed=seed)
    for node, m in measures.items():
        g.nodes[node]["community"] = m.community
    notes: list[str] = []
    if spec.ego_centre is not None and g.number_of_nodes():
        centre = _centre(g, measures, spec.ego_centre)
        g = neighbourhood(g, [centre], spec.ego_depth)
        for node in g:
            g.nodes[node]["context"] = False  # the star marks the centre; none is faded
        g.nodes[centre]["centre"] = True
        notes.append(
            f"Ego network of {g.nodes[centre]['label']}: its partners up to "
            f"{spec.ego_depth} step(s) away (figures are for the whole network)."
        )
    if spec.region is not None and g.number_of_nodes():
        region = _region(filtered, g, spec.region)
        inside = [
            n
            for n, d in g.nodes(data=True)
            if region in {n, d.get("region"), d.get("municipality")}
        ]
        g = neighbourhood(g, inside, spec.region_depth)
        label = filtered.actors[region].label if region in filtered.actors else region
        notes.append(
            f"{label}: {len(inside)} actors located there; faded dots are their partners elsewhere."
        )
    rank = tuple(
        sorted(
            g.nodes,
            key=lambda n: (
                -float(getattr(measures[n], spec.size)),
                -measures[n].degree,
                str(g.nodes[n].get("label", "")),
                str(n),
            ),
        )
    )
    if spec.layout == "layered":
        positions = layered_layout(g)
    else:
        core = rank[: spec.max_nodes] if spec.max_nodes else None
        positions = compute_layout(g, seed=seed, core=core)
    communities = {
        c: names for c, names in community_names(measures).items() if c in _used(g, "community")
    }
    if spec.filters != Filters():
        notes.append("Filtered: " + describe_filters(spec.filters))
    return View(spec, g, measures, positions, rank, communities, tuple(notes))


def _used(g: nx.Graph, key: str) -> set[object]:
    return {d.get(key) for _, d in g.nodes(data=True)}


def _centre(g: nx.Graph, measures: Mapping[Hashable, ActorMeasures], name: str) -> Hashable:
    if name:
        return find_node(dict(g.nodes(data=True)), name)
    actors = [m for n, m in measures.items() if g.nodes[n].get("role", "actor") == "actor"]
    return rank_actors(actors, "pagerank")[0].node


def _region(data: NetworkData, g: nx.Graph, name: str) -> str:
    places = {i: a for i, a in data.actors.items() if a.kind in {"Region", "Municipality"}}
    if name:
        return find_node(places, name)
    counts = Counter(d.get("region") for _, d in g.nodes(data=True) if d.get("region"))
    if not counts:
        raise LookupError("no actor of the network has a known region")
    return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0]


def describe_filters(filters: Filters) -> str:
    parts = []
    for label, values in (
        ("region", filters.regions),
        ("country", filters.countries),
        ("kind", filters.kinds),
        ("funder", filters.funders),
    ):
        if values:
            parts.append(f"{label} {', '.join(values)}")
    if filters.date_from or filters.date_to:
        parts.append(f"releases {filters.date_from or '…'} to {filters.date_to or '…'}")
    return "; ".join(parts) or "none"


def page_figures(view: View) -> dict[Hashable, dict[str, float]]:
    """Key figures per node for tooltips and sizes."""
    out: dict[Hashable, dict[str, float]] = {}
    for node in view.graph.nodes:
        m = view.measures[node]
        fig: dict[str, float] = {
            "degree": m.degree,
            "weighted_degree": m.weighted_degree,
            "pagerank": m.pagerank,
            "betweenness": m.betweenness,
        }
        if m.participation:
            fig["participation"] = m.participation
        if m.country_participation:
            fig["country_participation"] = m.country_participation
        if m.broker_score:
            fig["broker_score"] = m.broker_score
        distance = view.graph.nodes[node].get("distance")
        if distance is not None:
            fig["distance"] = distance
        out[node] = fig
    return out


def write_view(
    view: View, out: Path, releases: Mapping[str, object] | None = None, title: str | None = None
) -> PageSummary:
    """Write one view's page."""
    spec = view.spec
    style = PageStyle(
        colour=spec.colour,
        size=spec.size,
        initial=spec.max_nodes,
        step=spec.step,
        timeline=spec.timeline,
        directed=view.graph.is_directed(),
        edge_width=spec.edge_width,
    )
    return write_graph_page(
        view.graph,
        out,
        title or spec.title,
        positions=view.positions,
        style=style,
        figures=page_figures(view),
        communities=view.communities,
        releases=releases,
        rank=view.rank,
        description=spec.description,
        notes=view.notes,
    )


def ego_spec(spec: ViewSpec | None, actor: str, depth: int) -> ViewSpec:
    """An ego view of ``actor`` (name or IRI) at ``depth``, based on ``spec`` if given."""
    base = spec or ViewSpec(name="ego", title="Ego network", max_nodes=None)
    return replace(base, name=f"ego-{slug(actor)}", ego_centre=actor, ego_depth=depth)


def slug(text: str) -> str:
    text = text.rstrip("/").rsplit("/", 1)[-1].casefold()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e"), ("ü", "u")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "actor"


# -- every view and the index ----------------------------------------------------------------


def write_pages(
    store: GraphStore, out_dir: Path, views: Sequence[ViewSpec] | None = None
) -> list[Path]:
    """Write every view in viz/ and the index; return their paths, the index first."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = list(views) if views is not None else read_views()
    data = load_network_data(store.store)
    with_persons = None
    entries: list[IndexEntry] = []
    built: list[View] = []
    for spec in specs:
        source = data
        if spec.persons:
            with_persons = with_persons or load_network_data(store.store, persons=True)
            source = with_persons
        view = build_view(source, spec)
        summary = write_view(view, out_dir / f"{spec.name}.html", source.releases)
        built.append(view)
        entries.append(IndexEntry(summary, spec.description, _headline(view, summary)))
    overview = next((v for v in built if _is_whole_actor_network(v.spec)), None)
    actors = []
    if overview is not None:
        actors = sorted(
            (str(d.get("label") or n), str(n))
            for n, d in overview.graph.nodes(data=True)
            if d.get("role", "actor") == "actor"
        )
    index = write_index(
        out_dir / INDEX_NAME,
        data,
        entries,
        actors=actors,
        ego_page=f"{overview.spec.name}.html" if overview else "",
    )
    refresh_ego_pages(store, out_dir)
    manifest = {e.summary.path.name: e.summary.as_dict() for e in entries}
    (out_dir / MANIFEST_NAME).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return [index, *(e.summary.path for e in entries)]


def _is_whole_actor_network(spec: ViewSpec) -> bool:
    return (
        spec.projection == "actors"
        and spec.ego_centre is None
        and spec.region is None
        and spec.filters.is_empty()
        and not spec.timeline
    )


EGO_MANIFEST = "ego-pages.json"


def write_ego_page(store: GraphStore, out_dir: Path, actor_iri: str, depth: int) -> Path:
    """The ego page of one actor, under a name made from its IRI (the same every time),
    recorded in ``ego-pages.json`` so that every build writes it again."""
    from regiongraph.network.projections import load_network_data as load

    spec = ego_spec(next((s for s in read_views() if s.name == "ego"), None), actor_iri, depth)
    data = load(store.store, persons=spec.persons)
    built = build_view(data, spec)
    centre = next(n for n, d in built.graph.nodes(data=True) if d.get("centre"))
    title = f"Ego network — {built.graph.nodes[centre]['label']} (depth {depth})"
    path = write_view(built, out_dir / f"{spec.name}.html", data.releases, title=title).path
    manifest_path = out_dir / EGO_MANIFEST
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    manifest[path.name] = {"actor": actor_iri, "depth": depth}
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", "utf-8")
    return path


def refresh_ego_pages(store: GraphStore, out_dir: Path) -> list[Path]:
    """Write again every ego page ``ego-pages.json`` records; an actor no longer in the
    network loses its page."""
    manifest_path = out_dir / EGO_MANIFEST
    if not manifest_path.exists():
        return []
    manifest = json.loads(manifest_path.read_text("utf-8"))
    written = []
    for name, entry in sorted(manifest.items()):
        try:
            written.append(write_ego_page(store, out_dir, entry["actor"], int(entry["depth"])))
        except (LookupError, StopIteration):
            (out_dir / name).unlink(missing_ok=True)
            current = json.loads(manifest_path.read_text("utf-8"))
            current.pop(name, None)
            manifest_path.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", "utf-8")
    return written


def _headline(view: View, summary: PageSummary) -> tuple[tuple[str, str], ...]:
    g = view.graph
    figures = [
        ("nodes", f"{summary.nodes_total:,}"),
        ("links", f"{summary.edges_total:,}"),
        ("drawn at first", f"{summary.nodes_shown:,}"),
    ]
    communities = {d.get("community") for _, d in g.nodes(data=True)}
    if g.number_of_nodes():
        figures.append(("communities", str(len(communities))))
        figures.append(("top", summary.first_label))
    years = sorted({y for _, _, d in g.edges(data=True) for y in d.get("years", ())})
    if years:
        figures.append(("years", f"{years[0]}–{years[-1]}"))
    return tuple(figures)


def write_index(
    out: Path,
    data: NetworkData,
    entries: Sequence[IndexEntry],
    actors: Sequence[tuple[str, str]] = (),
    ego_page: str = "",
) -> Path:
    """The index page: views with headline figures, top actors and activity per year."""
    g = without_isolates(actor_graph(data))
    measures = compute_measures(g, seed=LAYOUT_SEED)
    top = rank_actors(measures, "pagerank")[:10]
    brokers = [m for m in rank_actors(measures, "broker_score") if m.broker_score > 0][:10]
    per_year: Counter[int] = Counter()
    for release in data.releases.values():
        if release.year is not None:
            per_year[release.year] += 1
    links_per_year: Counter[int] = Counter()
    for fact in data.facts:
        for year in data.fact_years(fact):
            links_per_year[year] += 1
    years = range(min(per_year), max(per_year) + 1) if per_year else range(0)
    undated = sum(1 for r in data.releases.values() if r.year is None)
    charts = [
        (
            "Top actors by PageRank",
            svg_bar_chart(
                [(m.label, m.pagerank) for m in top],
                title="Top actors by PageRank",
                value_format="{:.3f}",
            ),
        ),
        (
            "Brokers: links spanning communities or countries",
            svg_bar_chart(
                [(m.label, m.broker_score) for m in brokers],
                title="Top brokers by broker score",
                colour="#dd6b20",
                value_format="{:.2f}",
            ),
        ),
        (
            f"Press releases per year ({undated} undated)",
            svg_bar_chart(
                [(str(y), per_year[y]) for y in years],
                title="Press releases per year",
                horizontal=False,
                colour="#2f855a",
            ),
        ),
        (
            "Stated links per year of release",
            svg_bar_chart(
                [(str(y), links_per_year[y]) for y in years],
                title="Stated links per year",
                horizontal=False,
                colour="#6b46c1",
            ),
        ),
    ]
    intro = (
        f"{len(data.releases)} press releases; {g.number_of_nodes()} linked actors and "
        f"{g.number_of_edges()} links between them ({len(data.actors)} actors known in all)."
    )
    return write_index_page(
        out,
        "Regional innovation actors — network views",
        entries,
        charts,
        intro,
        actors=actors,
        ego_page=ego_page,
    )
