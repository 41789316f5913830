"""Networks -> self-contained HTML pages (vis-network from pyvis's bundled copy), offline.

A page is one HTML file: vis-network (the copy that ships with pyvis, inlined), our
``assets/network.css`` and ``assets/network.js``, and the network itself as one JSON
block (``<script type="application/json" id="rg-data">``). Nothing is fetched from the
web; ``check_offline`` refuses a page that would.

What the page shows (``assets/network.js``):

- nodes at precomputed positions (physics off), coloured by kind or by community,
  sized by a measure; the ``initial`` best-ranked nodes are drawn first and "Show more"
  adds ``step`` more from the data embedded in the page (edges follow their nodes);
- labels for the best-ranked nodes that fit without overlapping or leaving the drawing
  (``labels`` candidates at the first view, more after a zoom), the rest on hover;
- a legend for colours, shapes, line colours (relations named in English and Swedish
  from the ontology, ``relations``, the property IRI on hover) and sizes, whose
  checkboxes filter by kind and by community;
- a search box (all nodes, drawn or not) that selects and focuses a node;
- tooltips with type and key figures; a click opens a details panel with the evidence
  behind a link (the sentence and a link to the release);
- optionally a year control (network over time);
- ``#ego=IRI`` in the address: only that node and its neighbours (the index's search);
- ``window.regiongraphReady = true`` once the network has been drawn.

Colours (``KIND_COLOURS``), one per coarse type, grouped by family: public authorities
in blues, academia and education in purples and pink, business in orange and brown,
labour in red, funders in green, persons in olive, projects and events in slate, any
other organisation grey. Communities use ``COMMUNITY_COLOURS`` in order of size.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape

from regiongraph.network.measures import compute_layout, top_nodes
from regiongraph.query.terms import PREFIXES, relation_labels

ASSETS_DIR = Path(__file__).parent / "assets"
TEMPLATE_NAME = "network.html.j2"
INDEX_TEMPLATE_NAME = "index.html.j2"
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
THING_COLOURS: dict[str, str] = {"Project": "#4a5568", "Event": "#a0aec0"}
DEFAULT_COLOUR = KIND_COLOURS["Organisation"]
ROLE_SHAPES: dict[str, str] = {"actor": "dot", "project": "square", "event": "triangle"}

# Twelve well-separated colours for the largest communities; the rest share one grey.
COMMUNITY_COLOURS: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#ad494a",
)
OTHER_COMMUNITY_COLOUR = "#b8bfca"

# Line colour per link type; a link of several types takes the first in this order.
EDGE_COLOURS: dict[str, str] = {
    "collaboration": "#3182ce",
    "funding": "#38a169",
    "funds": "#38a169",
    "part of": "#805ad5",
    "affiliation": "#dd6b20",
    "leads": "#2d3748",
    "project": "#a0aec0",
    "participates": "#a0aec0",
    "event": "#cbd5e0",
}
DEFAULT_EDGE_COLOUR = "#a0aec0"

# The property behind each link type (its rdfs:label names the link on the page).
_RG = PREFIXES["rg"]
TYPE_PROPERTIES: dict[str, str] = {
    "collaboration": _RG + "collaboratesWith",
    "funding": _RG + "fundedBy",
    "funds": _RG + "fundedBy",
    "part of": _RG + "partOf",
    "affiliation": _RG + "affiliatedWith",
    "leads": _RG + "leads",
    "participates": _RG + "participatesIn",
    "project": _RG + "participatesIn",
    "event": _RG + "participatesIn",
}
# Two actors in one project or event: not one property, so words of our own.
SHARED_WORDS: dict[str, dict[str, str]] = {
    "project": {"sv": "i samma projekt", "en": "in the same project"},
    "event": {"sv": "vid samma evenemang", "en": "at the same event"},
}

SIZE_LABELS: dict[str, str] = {
    "degree": "degree (number of links)",
    "weighted_degree": "weighted degree (shared things, summed over links)",
    "pagerank": "PageRank",
    "betweenness": "betweenness",
    "broker_score": "broker score",
}

# Above this many edges the page hides edges while dragging or zooming, to stay fluid.
_LARGE_EDGE_COUNT = 3_000
# The best-ranked nodes whose labels stay legible on the fitted whole-network view
# (window about _FITTED_VIEW_PX pixels across, labels about _LEGIBLE_PX high).
_LANDMARKS = 15
# How many of the best-ranked nodes may carry a label at the first view; the page keeps
# only those whose label boxes do not overlap and lie inside the drawing (network.js).
_LABELLED_AT_FIRST = 40
_FITTED_VIEW_PX = 800
_LEGIBLE_PX = 13
# Per link, how many shared things and evidence sentences the page carries.
_VIA_MAX = 8
_EVIDENCE_MAX = 6
_EVIDENCE_TEXT_MAX = 400

_REMOTE_RESOURCE = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//|<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)


class PageError(RuntimeError):
    """A page that could not be written as a self-contained, offline page."""


@dataclass(frozen=True)
class PageStyle:
    """How a page draws its network.

    ``colour``: ``kind`` or ``community`` (node attribute ``community``); ``size``: a
    numeric node attribute (``degree``, ``weighted_degree``, ``pagerank``, …);
    ``initial``: how many of the best-ranked nodes are drawn at first (None: all);
    ``step``: how many more "Show more" adds; ``timeline``: a year control for the
    node and edge attribute ``years``; ``directed``: arrows on the edges;
    ``edge_width``: ``weight`` or ``amount`` (funding amounts, log scale).
    """

    colour: str = "kind"
    size: str = "degree"
    initial: int | None = None
    step: int = 300
    timeline: bool = False
    directed: bool = False
    edge_width: str = "weight"

    def __post_init__(self) -> None:
        if self.colour not in {"kind", "community"}:
            raise ValueError(f"colour must be 'kind' or 'community', not {self.colour!r}")
        if self.edge_width not in {"weight", "amount"}:
            raise ValueError(f"edge_width must be 'weight' or 'amount', not {self.edge_width!r}")
        if self.initial is not None and self.initial < 1:
            raise ValueError("initial must be at least 1")
        if self.step < 1:
            raise ValueError("step must be at least 1")


@dataclass(frozen=True)
class PageSummary:
    """What a written page holds and draws at first (for the index and the tests)."""

    path: Path
    title: str
    nodes_total: int
    edges_total: int
    nodes_shown: int
    edges_shown: int
    first_label: str  # the best-ranked node's label: a name the search must find

    def as_dict(self) -> dict[str, object]:
        return {
            "page": self.path.name,
            "title": self.title,
            "nodes_total": self.nodes_total,
            "edges_total": self.edges_total,
            "nodes_shown": self.nodes_shown,
            "edges_shown": self.edges_shown,
            "first_label": self.first_label,
        }


# -- writing ---------------------------------------------------------------------------


def write_network_page(
    g: nx.Graph,
    out: Path,
    title: str,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
) -> Path:
    """Write ``g`` as one self-contained page, coloured by kind and sized by degree.

    Nodes need ``label`` and ``kind`` (and may carry ``degree``; else it is counted);
    edges may carry ``weight`` and ``via``. ``positions`` defaults to
    ``compute_layout(g)``; a node missing from it is placed at the origin.
    """
    if positions is None:
        positions = compute_layout(g)
    degrees = {n: int(d.get("degree", g.degree(n))) for n, d in g.nodes(data=True)}
    figures = {n: {"degree": degrees[n]} for n in g.nodes}
    return write_graph_page(
        g, out, title, positions=positions, figures=figures, rank=top_nodes(g, len(g))
    ).path


def write_graph_page(
    g: nx.Graph,
    out: Path,
    title: str,
    *,
    positions: Mapping[Hashable, tuple[float, float]],
    style: PageStyle | None = None,
    figures: Mapping[Hashable, Mapping[str, float]] | None = None,
    communities: Mapping[int, tuple[str, int]] | None = None,
    releases: Mapping[str, object] | None = None,
    rank: Sequence[Hashable] | None = None,
    description: str = "",
    notes: Sequence[str] = (),
) -> PageSummary:
    """Write ``g`` as one self-contained page and say what it holds.

    ``figures``: per node, the key figures for tooltips and sizes (``style.size``
    must be one of them); ``communities``: per community number, the label of its
    central member and its size (from ``analysis.community_names``); nodes carry the
    number as attribute ``community``. ``releases``: release IRI -> ``Release`` (for
    evidence links). ``rank``: node order, best first (default: ``network.top_nodes``);
    the first ``style.initial`` are drawn at first.
    """
    style = style or PageStyle()
    out = Path(out)
    payload = page_payload(
        g,
        title,
        positions=positions,
        style=style,
        figures=figures,
        communities=communities,
        releases=releases,
        rank=rank,
        description=description,
        notes=notes,
    )
    html_text = render_page(payload)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html_text, encoding="utf-8")
    shown = payload["initial"]
    return PageSummary(
        path=out,
        title=title,
        nodes_total=len(payload["nodes"]),
        edges_total=len(payload["edges"]),
        nodes_shown=shown,
        edges_shown=sum(1 for e in payload["edges"] if e["r"] < shown),
        first_label=payload["nodes"][0]["label"] if payload["nodes"] else "",
    )


def render_page(payload: Mapping[str, object]) -> str:
    """The page HTML for a payload from ``page_payload``; checked to be offline."""
    env = _environment()
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # Inside <script>, "</" could end the element early; JSON allows the escaped form.
    data = data.replace("</", "<\\/").replace("<!--", "<\\!--")
    text = env.get_template(TEMPLATE_NAME).render(
        heading=payload["title"],
        description=payload.get("description", ""),
        data=data,
        timeline=bool(payload["style"]["timeline"]),  # type: ignore[index]
    )
    check_offline(text)
    return text


def check_offline(html_text: str) -> None:
    """Refuse a page that would fetch a script or a stylesheet from the web."""
    match = _REMOTE_RESOURCE.search(html_text)
    if match:
        raise PageError(f"page would load a remote resource: {match.group(0)!r}")


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader([str(ASSETS_DIR), str(_PYVIS_TEMPLATES)]),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        keep_trailing_newline=True,
    )


# -- the page data -----------------------------------------------------------------------


def page_payload(
    g: nx.Graph,
    title: str,
    *,
    positions: Mapping[Hashable, tuple[float, float]],
    style: PageStyle,
    figures: Mapping[Hashable, Mapping[str, float]] | None = None,
    communities: Mapping[int, tuple[str, int]] | None = None,
    releases: Mapping[str, object] | None = None,
    rank: Sequence[Hashable] | None = None,
    description: str = "",
    notes: Sequence[str] = (),
) -> dict[str, object]:
    """The JSON the page script reads: nodes best first, edges in drawing order."""
    figures = figures or {n: {"degree": g.degree(n)} for n in g.nodes}
    order = list(rank) if rank is not None else top_nodes(g, len(g))
    seen = set(order)
    order += sorted((n for n in g.nodes if n not in seen), key=str)
    index = {node: i for i, node in enumerate(order) if node in g}
    order = [n for n in order if n in index]
    initial = len(order) if style.initial is None else min(style.initial, len(order))
    values = [float(figures.get(n, {}).get(style.size, 0.0) or 0.0) for n in order]
    community_colour = _community_colours(communities or {})
    node_rows, kinds_seen = _node_rows(
        g, order, values, positions, style, figures, community_colour, initial
    )
    evidence = _EvidenceTable(releases or {})
    edge_rows, types_seen = _edge_rows(g, index, style, evidence)
    community_rows = [
        {"id": number, "label": label, "size": size, "c": community_colour[number]}
        for number, (label, size) in sorted((communities or {}).items())
        if number in community_colour
    ]
    years = sorted({int(y) for n in node_rows for y in n.get("years", ())})  # type: ignore[union-attr]
    return {
        "title": title,
        "description": description,
        "notes": list(notes),
        "style": {
            "colour": style.colour,
            "size": style.size,
            "sizeLabel": SIZE_LABELS.get(style.size, style.size.replace("_", " ")),
            "sizeMax": _round(max(values, default=0.0)),
            "timeline": style.timeline,
            "directed": style.directed,
            "edgeWidth": style.edge_width,
        },
        "initial": initial,
        "step": style.step,
        "labels": _LABELLED_AT_FIRST,
        "kinds": dict(sorted(kinds_seen.items())),
        "edgeTypes": dict(sorted(types_seen.items())),
        "relations": relation_words(types_seen),
        "communities": community_rows,
        "otherCommunityColour": OTHER_COMMUNITY_COLOUR,
        "years": years,
        "nodes": node_rows,
        "edges": edge_rows,
        "releases": evidence.release_rows,
        "evidence": evidence.rows,
        "options": _options(len(edge_rows), directed=style.directed),
    }


def relation_words(types: Iterable[str]) -> dict[str, dict[str, str]]:
    """Per link type on a page: the relation in Swedish and English and its property IRI
    (the ontology's ``rdfs:label``; a shared project or event in words of our own)."""
    labels = relation_labels()
    words: dict[str, dict[str, str]] = {}
    for kind in sorted(types):
        iri = TYPE_PROPERTIES.get(kind, "")
        if kind in SHARED_WORDS:
            words[kind] = {**SHARED_WORDS[kind], "iri": iri}
        elif iri:
            words[kind] = {**labels.both(iri), "iri": iri}
        else:
            words[kind] = {"sv": kind, "en": kind, "iri": ""}
    return words


class _EvidenceTable:
    """Releases and evidence sentences, each once per page, referred to by number."""

    def __init__(self, releases: Mapping[str, object]) -> None:
        self.releases = releases
        self.release_index: dict[str, int] = {}
        self.release_rows: list[list[str]] = []
        self.index: dict[tuple[int, str], int] = {}
        self.rows: list[list[object]] = []

    def id(self, release: str, text: str) -> int:
        if release not in self.release_index:
            record = self.releases.get(release)
            self.release_index[release] = len(self.release_rows)
            self.release_rows.append(
                [
                    str(getattr(record, "title", "") or ""),
                    str(getattr(record, "issued", "") or ""),
                    str(getattr(record, "url", "") or ""),
                    release.rsplit("/", 1)[-1],
                ]
            )
        key = (self.release_index[release], text)
        if key not in self.index:
            self.index[key] = len(self.rows)
            clipped = text if len(text) <= _EVIDENCE_TEXT_MAX else text[:_EVIDENCE_TEXT_MAX] + "…"
            self.rows.append([key[0], clipped])
        return self.index[key]


def _node_rows(
    g: nx.Graph,
    order: Sequence[Hashable],
    values: Sequence[float],
    positions: Mapping[Hashable, tuple[float, float]],
    style: PageStyle,
    figures: Mapping[Hashable, Mapping[str, float]],
    community_colour: Mapping[int, str],
    initial: int,
) -> tuple[list[dict[str, object]], dict[str, str]]:
    """One row per node, best first, and the colour of every kind seen."""
    top_value = max(values, default=0.0) or 1.0
    landmark_font = _landmark_font_size(
        {n: positions[n] for n in order[:initial] if n in positions}
    )
    kinds_seen: dict[str, str] = {}
    rows = []
    for i, node in enumerate(order):
        data = g.nodes[node]
        kind = str(data.get("kind") or "Organisation")
        role = str(data.get("role") or "actor")
        kind_colour = KIND_COLOURS.get(kind, THING_COLOURS.get(kind, DEFAULT_COLOUR))
        kinds_seen.setdefault(kind, kind_colour)
        community = data.get("community")
        colour = (
            community_colour.get(int(community), OTHER_COMMUNITY_COLOUR)
            if style.colour == "community" and community is not None
            else kind_colour
        )
        share = math.sqrt(max(values[i], 0.0) / top_value)
        x, y = positions.get(node, (0.0, 0.0))
        font = round(12 + 10 * share)
        if landmark_font and i < _LANDMARKS:
            font = max(font, landmark_font)
        row: dict[str, object] = {
            "id": str(node),
            "label": str(data.get("label") or node),
            "kind": kind,
            "role": role,
            "shape": ROLE_SHAPES.get(role, "dot"),
            "c": colour,
            "x": round(float(x), 1),
            "y": round(float(y), 1),
            "size": round(6 + 24 * share, 1),
            "font": font,
            "fig": {k: _round(v) for k, v in figures.get(node, {}).items()},
        }
        if community is not None:
            row["com"] = int(community)
        for key in ("country", "years", "context", "centre"):
            value = data.get(key)
            if value:
                row[key] = list(value) if isinstance(value, tuple) else value
        rows.append(row)
    return rows, kinds_seen


def _edge_rows(
    g: nx.Graph, index: Mapping[Hashable, int], style: PageStyle, evidence: _EvidenceTable
) -> tuple[list[dict[str, object]], dict[str, str]]:
    """One row per edge between drawn nodes, sorted by the rank of its later end."""
    rows = []
    types_seen: dict[str, str] = {}
    for a, b, data in g.edges(data=True):
        if a not in index or b not in index:
            continue
        weight = float(data.get("weight", 1) or 1)
        shared = int(data.get("shared", 0) or 0) or max(1, round(weight))
        types = [str(t) for t in data.get("types", ())]
        for t in types:
            types_seen.setdefault(t, EDGE_COLOURS.get(t, DEFAULT_EDGE_COLOUR))
        amount = [(str(c), float(v)) for c, v in data.get("amount", ())]
        if style.edge_width == "amount" and amount:
            width = 1 + 2.5 * math.log10(max(max(v for _, v in amount), 1e4) / 1e4)
        else:
            width = 1 + 1.5 * math.log2(max(shared, 1))
        via = _via(data)
        found = list(data.get("evidence", ()))
        edge: dict[str, object] = {
            "a": index[a],  # node positions in "nodes": shorter than two IRIs
            "b": index[b],
            "r": max(index[a], index[b]),
            "w": _round(weight),
            "n": shared,
            "width": round(min(width, 12.0), 2),
            "c": _edge_colour(types),
        }
        if types:
            edge["t"] = types
        if via:
            edge["via"] = list(via[:_VIA_MAX])
            if len(via) > _VIA_MAX:
                edge["more"] = len(via) - _VIA_MAX
        if found:
            edge["ev"] = [evidence.id(str(e.release), str(e.text)) for e in found[:_EVIDENCE_MAX]]
            if len(found) > _EVIDENCE_MAX:
                edge["evMore"] = len(found) - _EVIDENCE_MAX
        if amount:
            edge["amount"] = [[c, v] for c, v in amount]
        if data.get("years"):
            edge["years"] = list(data["years"])
        rows.append(edge)
    rows.sort(key=lambda e: (e["r"], e["a"], e["b"]))
    return rows, types_seen


def _round(value: object) -> float | int:
    number = float(value)  # type: ignore[arg-type]
    if number.is_integer():
        return int(number)
    return float(f"{number:.4g}")


def _community_colours(communities: Mapping[int, tuple[str, int]]) -> dict[int, str]:
    return {
        number: COMMUNITY_COLOURS[number]
        for number in communities
        if 0 <= number < len(COMMUNITY_COLOURS)
    }


def _edge_colour(types: Sequence[str]) -> str:
    for name, colour in EDGE_COLOURS.items():
        if name in types:
            return colour
    return DEFAULT_EDGE_COLOUR


def _landmark_font_size(positions: Mapping[Hashable, tuple[float, float]]) -> int:
    """A label size that stays legible when the whole drawing is fitted to the window.

    The best-ranked nodes get it, so a large network shows its hubs by name before
    any zooming; 0 when the drawing is small enough for every label to be legible.
    """
    if not positions:
        return 0
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    size = round(_LEGIBLE_PX * span / _FITTED_VIEW_PX)
    return min(size, 80) if size > 22 else 0


def _options(edge_count: int, *, directed: bool = False) -> dict:
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
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.5}},
            "color": {"highlight": "#2d3748", "hover": "#2d3748", "opacity": 0.75},
            "selectionWidth": 2,
        },
    }


def _via(data: Mapping) -> tuple[str, ...]:
    via = data.get("via", ())
    if isinstance(via, str):
        return tuple(v for v in via.split("\n") if v)
    return tuple(str(v) for v in via)


# -- the index page ----------------------------------------------------------------------


@dataclass(frozen=True)
class IndexEntry:
    """One view on the index page: its summary, description and headline figures."""

    summary: PageSummary
    description: str
    figures: tuple[tuple[str, str], ...]


def write_index_page(
    out: Path,
    title: str,
    entries: Sequence[IndexEntry],
    charts: Sequence[tuple[str, str]],
    intro: str = "",
    actors: Sequence[tuple[str, str]] = (),
    ego_page: str = "overview.html",
) -> Path:
    """Write the index: the views with headline figures, charts (title, inline SVG) and
    a search box over ``actors`` (label, IRI) that opens ``ego_page#ego=IRI``."""
    env = _environment()
    text = env.get_template(INDEX_TEMPLATE_NAME).render(
        title=title,
        intro=intro,
        entries=entries,
        charts=charts,
        actors=actors,
        ego_page=ego_page,
    )
    check_offline(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out


def svg_bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    horizontal: bool = True,
    colour: str = "#2b6cb0",
    value_format: str = "{:g}",
    width: int = 460,
) -> str:
    """A small inline SVG bar chart (no script, no external font), escaped for HTML."""
    if not bars:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="40">'
            f"<title>{html.escape(title)}</title>"
            '<text x="0" y="24" font-size="13" fill="#718096">no data</text></svg>'
        )
    top = max(v for _, v in bars) or 1.0
    parts: list[str] = []
    if horizontal:
        label_w, row_h, value_w = 190, 22, 70
        height = row_h * len(bars) + 8
        bar_w = width - label_w - value_w
        for i, (label, value) in enumerate(bars):
            y = 4 + i * row_h
            w = max(1.0, bar_w * value / top)
            short = label if len(label) <= 28 else label[:27] + "…"
            parts.append(
                f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
                f"<title>{html.escape(label)}</title>{html.escape(short)}</text>"
                f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 7}" '
                f'fill="{colour}" rx="2"/>'
                f'<text x="{label_w + w + 5:.1f}" y="{y + 15}" font-size="11" fill="#4a5568">'
                f"{html.escape(value_format.format(value))}</text>"
            )
    else:
        height, base, label_h = 190, 160, 24
        col_w = max(12.0, (width - 20) / len(bars))
        for i, (label, value) in enumerate(bars):
            x = 10 + i * col_w
            h = max(1.0, (base - 20) * value / top)
            parts.append(
                f'<rect x="{x + 2:.1f}" y="{base - h:.1f}" width="{col_w - 4:.1f}" '
                f'height="{h:.1f}" fill="{colour}" rx="2"><title>{html.escape(label)}: '
                f"{html.escape(value_format.format(value))}</title></rect>"
                f'<text x="{x + col_w / 2:.1f}" y="{base - h - 4:.1f}" font-size="10" '
                f'text-anchor="middle" fill="#4a5568">'
                f"{html.escape(value_format.format(value))}</text>"
                f'<text x="{x + col_w / 2:.1f}" y="{base + 14}" font-size="10" '
                f'text-anchor="middle">{html.escape(label)}</text>'
            )
        height = base + label_h
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="system-ui, sans-serif"><title>{html.escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )
