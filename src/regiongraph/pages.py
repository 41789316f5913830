"""Actor network -> a self-contained HTML page (pyvis / vis-network), for offline use.

The page is drawn by pyvis with ``cdn_resources="in_line"`` and our own template
(``assets/network.html.j2``), which inlines vis-network from pyvis's copy and our
``assets/network.css`` / ``assets/network.js``: a legend with a filter by kind, a search
box that selects and focuses an actor, and ``window.regiongraphReady = true`` once the
network has been drawn. Physics is off; positions come from ``network.compute_layout``.
After writing, the page is checked to hold no ``<script src>`` or ``<link href>`` that
points at the web.

Colours (``KIND_COLOURS``), one per coarse type, grouped by family: public authorities
in blues, academia and education in purples and pink, business in orange and brown,
labour in red, funders in green, persons in olive, anything else grey.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader
from pyvis.network import Network

from regiongraph.network import compute_layout, top_nodes

ASSETS_DIR = Path(__file__).parent / "assets"
TEMPLATE_NAME = "network.html.j2"
_PYVIS_TEMPLATES = Path(pyvis.__file__).parent / "templates"

KIND_COLOURS: dict[str, str] = {
    "Region": "#1f77b4",
    "Municipality": "#6baed6",
    "GovernmentAgency": "#17becf",
    "University": "#9467bd",
    "ResearchInstitute": "#c5b0d5",
    "EducationProvider": "#e377c2",
    "Company": "#ff7f0e",
    "EmployerOrganisation": "#8c564b",
    "TradeUnion": "#d62728",
    "FundingProgramme": "#2ca02c",
    "Person": "#bcbd22",
    "Organisation": "#7f7f7f",
}
DEFAULT_COLOUR = KIND_COLOURS["Organisation"]

# Above this many edges the page hides edges while dragging or zooming, to stay fluid.
_LARGE_EDGE_COUNT = 3_000
# The best-connected actors whose labels stay legible on the fitted whole-network view
# (window about _FITTED_VIEW_PX pixels across, labels about _LEGIBLE_PX high).
_LANDMARKS = 15
_FITTED_VIEW_PX = 800
_LEGIBLE_PX = 13
# How many shared things a tooltip lists before "… and n more".
_TOOLTIP_VIA_MAX = 8

_REMOTE_RESOURCE = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//|<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)


class PageError(RuntimeError):
    """A page that could not be written as a self-contained, offline page."""


def write_network_page(
    g: nx.Graph,
    out: Path,
    title: str,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
) -> Path:
    """Write ``g`` as one self-contained HTML page and return its path.

    Nodes need ``label`` and ``kind`` (and may carry ``degree``; else it is counted);
    edges may carry ``weight`` and ``via``. ``positions`` defaults to
    ``compute_layout(g)``; a node missing from it is placed at the origin.
    """
    out = Path(out)
    if positions is None:
        positions = compute_layout(g)
    net = _build_network(g, title, positions)
    html = net.generate_html(name=out.name if out.suffix == ".html" else "page.html")
    check_offline(html)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out


def check_offline(html: str) -> None:
    """Refuse a page that would fetch a script or a stylesheet from the web."""
    match = _REMOTE_RESOURCE.search(html)
    if match:
        raise PageError(f"page would load a remote resource: {match.group(0)!r}")


def _build_network(
    g: nx.Graph, title: str, positions: Mapping[Hashable, tuple[float, float]]
) -> Network:
    net = Network(
        height="100%",
        width="100%",
        heading=title,
        cdn_resources="in_line",
    )
    # Our template, with pyvis's own templates behind it for the inlined vis-network.
    net.path = TEMPLATE_NAME
    net.templateEnv = Environment(
        loader=FileSystemLoader([str(ASSETS_DIR), str(_PYVIS_TEMPLATES)]),
        autoescape=False,  # the template escapes the heading; data goes through tojson
    )

    degrees = {n: int(d.get("degree", g.degree(n))) for n, d in g.nodes(data=True)}
    max_degree = max(degrees.values(), default=0) or 1
    landmark_font = _landmark_font_size(positions)
    landmarks = set(top_nodes(g, _LANDMARKS)) if landmark_font else set()
    node_dicts = []
    for node, data in g.nodes(data=True):
        kind = str(data.get("kind") or "Organisation")
        label = str(data.get("label") or node)
        share = math.sqrt(degrees[node] / max_degree)
        colour = KIND_COLOURS.get(kind, DEFAULT_COLOUR)
        x, y = positions.get(node, (0.0, 0.0))
        node_dicts.append(
            {
                "id": str(node),
                "label": label,
                "kind": kind,
                "degree": degrees[node],
                "title": _node_tooltip(g, node, label, kind, degrees[node]),
                "x": float(x),
                "y": float(y),
                "size": round(6 + 24 * share, 1),
                "font": {
                    "size": max(round(12 + 10 * share), landmark_font if node in landmarks else 0)
                },
                "color": {"background": colour, "border": _darker(colour)},
                "shape": "dot",
            }
        )
    edge_dicts = []
    for a, b, data in g.edges(data=True):
        weight = int(data.get("weight", 1))
        edge_dicts.append(
            {
                "from": str(a),
                "to": str(b),
                "width": round(1 + 1.5 * math.log2(weight), 2),
                "title": _edge_tooltip(g, a, b, weight, _via(data)),
            }
        )
    # Filled directly: pyvis's add_edge compares each new edge with every other one.
    net.nodes = node_dicts
    net.node_ids = [n["id"] for n in node_dicts]
    net.node_map = {n["id"]: n for n in node_dicts}
    net.edges = edge_dicts
    net.options = _options(len(edge_dicts))
    return net


def _landmark_font_size(positions: Mapping[Hashable, tuple[float, float]]) -> int:
    """A label size that stays legible when the whole drawing is fitted to the window.

    The best-connected actors get it, so a large network shows its hubs by name before
    any zooming; 0 when the drawing is small enough for every label to be legible.
    """
    if not positions:
        return 0
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    size = round(_LEGIBLE_PX * span / _FITTED_VIEW_PX)
    return min(size, 80) if size > 22 else 0


def _options(edge_count: int) -> dict:
    large = edge_count > _LARGE_EDGE_COUNT
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
        },
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            # Labels smaller than this many screen pixels are not drawn: zoom in to see them.
            "scaling": {"label": {"drawThreshold": 7}},
        },
        "edges": {
            "smooth": False,
            "color": {
                "color": "#a0aec0",
                "highlight": "#2d3748",
                "hover": "#2d3748",
                "opacity": 0.7,
            },
            "selectionWidth": 2,
        },
    }


def _via(data: Mapping) -> tuple[str, ...]:
    via = data.get("via", ())
    if isinstance(via, str):
        return tuple(v for v in via.split("\n") if v)
    return tuple(str(v) for v in via)


def _listing(items: list[str]) -> str:
    shown = items[:_TOOLTIP_VIA_MAX]
    more = len(items) - len(shown)
    return ", ".join(shown) + (f" … and {more} more" if more > 0 else "")


def _node_tooltip(g: nx.Graph, node: Hashable, label: str, kind: str, degree: int) -> str:
    via = sorted({v for nbr in g[node] for v in _via(g.edges[node, nbr])})
    lines = [label, f"Type: {kind}", f"Linked actors: {degree}"]
    if via:
        lines.append(f"Via: {_listing(via)}")
    return "\n".join(lines)


def _edge_tooltip(g: nx.Graph, a: Hashable, b: Hashable, weight: int, via: tuple[str, ...]) -> str:
    names = " — ".join(str(g.nodes[n].get("label") or n) for n in (a, b))
    lines = [names, f"Shared: {weight}"]
    if via:
        lines.append(f"Via: {_listing(sorted(via))}")
    return "\n".join(lines)


def _darker(hex_colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


# -- declarative views (viz/*.toml) ----------------------------------------------------


@dataclass(frozen=True)
class ViewSpec:
    """A page described in ``viz/<name>.toml``: which projection, how it is drawn."""

    name: str
    title: str
    projection: str = "actors"  # the only projection so far: network.actor_network
    colour: str = "kind"
    size: str = "degree"
    max_nodes: int | None = None

    def __post_init__(self) -> None:
        supported = {"projection": "actors", "colour": "kind", "size": "degree"}
        for field_name, value in supported.items():
            if getattr(self, field_name) != value:
                raise ValueError(
                    f"view {self.name!r}: {field_name} = {getattr(self, field_name)!r} is not "
                    f"supported (only {value!r})"
                )
        if self.max_nodes is not None and self.max_nodes < 1:
            raise ValueError(f"view {self.name!r}: max_nodes must be at least 1")


def read_view(path: Path) -> ViewSpec:
    """A view definition: the ``[view]`` table of a TOML file; the file stem is its name."""
    path = Path(path)
    with path.open("rb") as f:
        table = tomllib.load(f).get("view", {})
    known = {"title", "projection", "colour", "size", "max_nodes"}
    unknown = set(table) - known
    if unknown:
        raise ValueError(f"{path}: unknown view keys {sorted(unknown)} (known: {sorted(known)})")
    return ViewSpec(
        name=path.stem,
        title=table.get("title", path.stem),
        **{k: v for k, v in table.items() if k != "title"},
    )


def write_view_page(g: nx.Graph, view: ViewSpec, out: Path, seed: int = 42) -> Path:
    """Write the page a view describes: the ``max_nodes`` best-connected actors of ``g``.

    Node ``degree`` keeps its value in the whole network, so sizes and tooltips tell how
    connected an actor is overall, not only among the actors shown.
    """
    if view.max_nodes is not None and g.number_of_nodes() > view.max_nodes:
        g = g.subgraph(top_nodes(g, view.max_nodes)).copy()
    return write_network_page(g, out, view.title, compute_layout(g, seed=seed))
