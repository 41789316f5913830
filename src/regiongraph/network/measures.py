"""Store -> actor network: a networkx graph of actors and what links them, and its layout.

The projection lives in two documented queries, ``queries/network-actors.rq`` (the
nodes: organisations of every kind and funding programmes, one label and one coarse
type each) and ``queries/network-links.rq`` (the edges: shared projects and events,
funding, stated collaboration, part-of and affiliation, with a weight and the shared
things' labels; ``links.actor_links`` computes the same rows by pattern scans, ~20x
faster, unless a query folder of one's own is given). This module turns their rows
into a graph (``actor_network``), lays networks out (``compute_layout``: spring layout
per connected component, packed, for small networks; a grid force layout for large
ones; optionally a core laid out first and held still; ``layered_layout``: columns for
flows) and ranks nodes (``top_nodes``). The filtered, typed projections with evidence are in
``projections.py`` (its actor–actor projection equals ``actor_network``); ``pages.py``
draws them.

Node attributes: ``label`` (str), ``kind`` (coarse type name such as ``"Company"``),
``degree`` (int, number of neighbours). Edge attributes: ``weight`` (int, number of
shared things) and ``via`` (sorted tuple of the shared things' labels).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping
from pathlib import Path

import networkx as nx
import numpy as np
import pyoxigraph as ox
from scipy.spatial import cKDTree

from regiongraph.network.links import actor_links
from regiongraph.query.library import iter_select, load_query, run_select

ACTORS_QUERY = "network-actors"
LINKS_QUERY = "network-links"

# Up to this many nodes the layout is networkx's spring layout (Fruchterman-Reingold,
# all pairs repel); above it, the grid variant of the same method (repulsion only
# within a cut-off radius, found with a k-d tree). Measured on the 2-core build
# machine, for generated actor networks: spring_layout 7 s at 1,000 nodes and 20 s at
# 2,000 (nx.forceatlas2_layout 28 s; spectral_layout fails on disconnected graphs);
# the grid variant 0.7 s at 1,000, 1.6 s at 2,000 and 6.4 s at 5,000.
SPRING_LAYOUT_MAX_NODES = 1_000
_GRID_ITERATIONS = 100


def actor_network(
    store: ox.Store,
    *,
    persons: bool = False,
    queries_dir: Path | None = None,
) -> nx.Graph:
    """The actor network of the store's default graph.

    Persons are left out unless ``persons`` is true; then they appear with kind
    ``"Person"``, linked to the organisations they are affiliated with and to those they
    share projects with. Nodes and edges are inserted in IRI order, so equal stores give
    equal graphs.
    """
    params = {"persons": "include" if persons else "exclude"}
    actors = run_select(store, load_query(ACTORS_QUERY, queries_dir), params)
    if queries_dir is None:  # the library's definition: computed by pattern scans (fast)
        links = actor_links(store, persons=persons)
    else:  # a query folder of one's own may define links differently
        links = iter_select(store, load_query(LINKS_QUERY, queries_dir), params)

    g = nx.Graph()
    for row in actors:
        iri = str(row["actor"])
        label = str(row.get("label") or "") or _label_from_iri(iri)
        g.add_node(iri, label=label, kind=str(row["kind"]))
    for row in links:
        a, b = str(row["a"]), str(row["b"])
        if a not in g or b not in g:
            # Both queries select the same actors; a row outside that set can only come
            # from a store changed between the two queries, and is dropped.
            continue
        via = tuple(sorted({v for v in str(row.get("via") or "").split("\n") if v}))
        g.add_edge(a, b, weight=int(row["weight"]), via=via)
    nx.set_node_attributes(g, dict(g.degree()), "degree")
    return g


def _label_from_iri(iri: str) -> str:
    """A readable stand-in for an actor without any label: its slug, spaced."""
    return iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")


def top_nodes(g: nx.Graph, n: int) -> list[Hashable]:
    """The ``n`` most connected nodes: by degree, then by total edge weight, then label.

    The order is total (ties end on the node id), so the cut is the same on every run.
    """
    strength = dict(g.degree(weight="weight"))

    def key(node: Hashable) -> tuple[int, float, str, str]:
        data = g.nodes[node]
        degree = int(data.get("degree", g.degree(node)))
        return (-degree, -float(strength[node]), str(data.get("label", "")), str(node))

    return sorted(g.nodes, key=key)[: max(n, 0)]


def compute_layout(
    g: nx.Graph,
    seed: int = 42,
    *,
    spacing: float = 40.0,
    core: Collection[Hashable] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """Deterministic node positions in pixels, centred on (0, 0).

    Up to ``SPRING_LAYOUT_MAX_NODES`` nodes: ``nx.spring_layout``; larger graphs: the
    grid variant of Fruchterman-Reingold (``_grid_force_layout``). The layout runs
    on a copy with nodes and edges sorted, so the same graph and seed give the same
    positions whatever order the graph was built in. The result is scaled so that the
    drawing's half-width is about ``spacing * sqrt(n)`` pixels (at least 300).

    With ``core`` (a subset of the nodes, such as the few hundred a page draws first),
    the core is laid out on its own first and then held fixed while the other nodes
    are placed around it, so the first view is as readable as a small network's and
    does not move when more nodes are shown.
    """
    if g.number_of_nodes() == 0:
        return {}
    if core is not None and 0 < len(set(core) & set(g.nodes)) < g.number_of_nodes():
        return _core_first_layout(g, seed, spacing, set(core) & set(g.nodes))
    ordered = _ordered(g)
    n = ordered.number_of_nodes()
    if n == 1:
        return {next(iter(ordered.nodes)): (0.0, 0.0)}
    if n <= SPRING_LAYOUT_MAX_NODES:
        return _units_to_pixels(_packed_spring_layout(ordered, seed), spacing * _UNIT_SPACING)
    raw = _grid_force_layout(ordered, seed=seed, iterations=_GRID_ITERATIONS)
    return _scale_to_pixels(raw, max(300.0, spacing * math.sqrt(n)))


def _grid_force_layout(
    g: nx.Graph,
    *,
    seed: int,
    iterations: int,
    initial: Mapping[Hashable, np.ndarray] | None = None,
    fixed: Collection[Hashable] = (),
) -> dict[Hashable, np.ndarray]:
    """Fruchterman-Reingold, grid variant: nodes repel only within ``3k`` of each other.

    Edges attract with force ``weight * d^2 / k``, close pairs repel with ``k^2 / d``, and
    a weak pull to the centre keeps separate components near each other. The step size
    cools linearly. Each iteration costs O(n log n + pairs + edges) instead of O(n^2).
    ``initial`` gives start positions (in units of k; random otherwise) and nodes in
    ``fixed`` do not move.
    """
    nodes = list(g.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    rng = np.random.default_rng(seed)
    side = 2.0 * math.sqrt(n)  # with k = 1, room for every node
    pos = (rng.random((n, 2)) - 0.5) * side
    for node, xy in (initial or {}).items():
        pos[index[node]] = xy
    movable = np.ones(n, dtype=bool)
    for node in fixed:
        movable[index[node]] = False
    ends = np.array([(index[u], index[v]) for u, v in g.edges], dtype=np.int64).reshape(-1, 2)
    weights = np.array([float(d.get("weight", 1.0)) for _, _, d in g.edges(data=True)])
    k, radius, gravity = 1.0, 3.0, 0.02
    step = side / 10
    cooling = step / (iterations + 1)
    for _ in range(iterations):
        disp = -gravity * pos
        pairs = cKDTree(pos).query_pairs(radius, output_type="ndarray")
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            force = delta * (k * k / np.maximum((delta * delta).sum(axis=1), 1e-4))[:, None]
            disp += _scatter(pairs[:, 0], force, n) - _scatter(pairs[:, 1], force, n)
        if len(ends):
            delta = pos[ends[:, 0]] - pos[ends[:, 1]]
            dist = np.maximum(np.sqrt((delta * delta).sum(axis=1)), 1e-2)
            force = delta * (weights * dist / k)[:, None]
            disp += _scatter(ends[:, 1], force, n) - _scatter(ends[:, 0], force, n)
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, step) / length * movable)[:, None]
        step -= cooling
    return dict(zip(nodes, pos, strict=True))


# Pixels per layout unit for small networks (neighbours about one unit apart), and the
# gap between packed components, in units.
_UNIT_SPACING = 1.6
_COMPONENT_GAP = 1.5


def _packed_spring_layout(g: nx.Graph, seed: int) -> dict[Hashable, np.ndarray]:
    """Spring layout per connected component, components packed in rows, in layout units.

    ``nx.spring_layout`` on a disconnected graph pushes the components apart and
    squeezes each into a corner; laid out one by one, each gets room by its size (a
    component of m nodes is about 2 sqrt(m) units across). Components go largest
    first, in rows no wider than about the square root of the total area.
    """
    parts = sorted(
        (sorted(c, key=str) for c in nx.connected_components(g)),
        key=lambda c: (-len(c), str(c[0])),
    )
    boxes: list[tuple[dict[Hashable, np.ndarray], float, float]] = []
    for nodes in parts:
        m = len(nodes)
        if m == 1:
            local = {nodes[0]: np.zeros(2)}
        elif m == 2:
            local = {nodes[0]: np.array([-0.5, 0.0]), nodes[1]: np.array([0.5, 0.0])}
        else:
            raw = nx.spring_layout(g.subgraph(nodes), seed=seed, weight="weight")
            local = {n: np.asarray(raw[n], dtype=float) * math.sqrt(m) for n in nodes}
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        lo = np.array([min(xs), min(ys)])
        local = {n: p - lo for n, p in local.items()}
        boxes.append((local, max(xs) - min(xs), max(ys) - min(ys)))
    area = sum((w + _COMPONENT_GAP) * (h + _COMPONENT_GAP) for _, w, h in boxes)
    row_width = max(max(w for _, w, _ in boxes), 1.3 * math.sqrt(area))
    out: dict[Hashable, np.ndarray] = {}
    x = y = row_height = 0.0
    for local, w, h in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + _COMPONENT_GAP, 0.0
        for node, p in local.items():
            out[node] = p + np.array([x, y])
        x += w + _COMPONENT_GAP
        row_height = max(row_height, h)
    return out


def _units_to_pixels(
    raw: Mapping[Hashable, np.ndarray], pixels_per_unit: float
) -> dict[Hashable, tuple[float, float]]:
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        node: (
            round((float(p[0]) - cx) * pixels_per_unit, 1),
            round((float(p[1]) - cy) * pixels_per_unit, 1),
        )
        for node, p in raw.items()
    }


def _scale_to_pixels(
    raw: dict[Hashable, object], half_width: float
) -> dict[Hashable, tuple[float, float]]:
    xs = [float(p[0]) for p in raw.values()]  # type: ignore[index]
    ys = [float(p[1]) for p in raw.values()]  # type: ignore[index]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    factor = half_width / extent
    return {
        node: (round((float(p[0]) - cx) * factor, 1), round((float(p[1]) - cy) * factor, 1))  # type: ignore[index]
        for node, p in raw.items()
    }


def _scatter(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per-node sums of 2-d ``values`` by ``index`` (np.add.at, ten times faster)."""
    return np.column_stack(
        (
            np.bincount(index, weights=values[:, 0], minlength=n),
            np.bincount(index, weights=values[:, 1], minlength=n),
        )
    )


def _ordered(g: nx.Graph) -> nx.Graph:
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g.nodes, key=str))
    ordered.add_edges_from(
        sorted(
            (
                (*sorted((u, v), key=str), {"weight": float(d.get("weight", 1))})
                for u, v, d in g.edges(data=True)
            ),
            key=lambda e: (str(e[0]), str(e[1])),
        )
    )
    return ordered


def _core_first_layout(
    g: nx.Graph, seed: int, spacing: float, core: set[Hashable]
) -> dict[Hashable, tuple[float, float]]:
    """Lay out ``core`` alone, then the rest around it with the core held fixed.

    Core positions are scaled to the grid layout's unit (neighbours about one unit
    apart) and spread by sqrt(n / core size); every other node starts at the mean of
    its already placed neighbours (in breadth-first order from the core), or at random
    if it has none, and the grid force layout then settles them.
    """
    ordered = _ordered(g)
    core_graph = ordered.subgraph(sorted(core, key=str))
    if core_graph.number_of_nodes() <= SPRING_LAYOUT_MAX_NODES:
        start = _packed_spring_layout(core_graph, seed)
    else:
        start = _grid_force_layout(core_graph, seed=seed, iterations=_GRID_ITERATIONS)
    # Spread the core over the area the whole network needs, leaving room between core
    # nodes for the others (the first view is the same picture, scaled).
    spread = math.sqrt(ordered.number_of_nodes() / core_graph.number_of_nodes())
    start = {node: np.asarray(xy, dtype=float) * spread for node, xy in start.items()}
    rng = np.random.default_rng(seed + 1)
    placed = dict(start)
    frontier = sorted(core, key=str)
    while frontier:
        nxt = []
        for node in frontier:
            for nbr in sorted(ordered.neighbors(node), key=str):
                if nbr in placed:
                    continue
                around = [placed[m] for m in ordered.neighbors(nbr) if m in placed]
                placed[nbr] = np.mean(around, axis=0) + rng.normal(0.0, 1.0, 2)
                nxt.append(nbr)
        frontier = nxt
    raw_all = _grid_force_layout(
        ordered, seed=seed, iterations=_GRID_ITERATIONS, initial=placed, fixed=core
    )
    return _scale_to_pixels(raw_all, max(300.0, spacing * math.sqrt(ordered.number_of_nodes())))


def layered_layout(
    g: nx.Graph,
    layer: str = "layer",
    *,
    column_gap: float = 520.0,
    row_gap: float = 44.0,
) -> dict[Hashable, tuple[float, float]]:
    """Columns by the node attribute ``layer`` (0, 1, 2 …), left to right, for flows.

    Within a column nodes are ordered to shorten edges: two barycentre sweeps (each
    node at the mean row of its neighbours in the column before, then after), ties by
    label and node id, so the result is deterministic. Columns are centred on y = 0 and
    each spreads over the height of the tallest.
    """
    columns: dict[int, list[Hashable]] = {}
    for node, data in g.nodes(data=True):
        columns.setdefault(int(data.get(layer, 0)), []).append(node)
    order = sorted(columns)
    for col in order:
        columns[col].sort(key=lambda n: (str(g.nodes[n].get("label", "")), str(n)))
    undirected = g.to_undirected(as_view=True) if g.is_directed() else g
    row: dict[Hashable, float] = {}
    for col in order:
        row.update({n: float(i) for i, n in enumerate(columns[col])})
    for sweep in (order[1:], order[-2::-1]) * 2:
        for col in sweep:

            def bary(node: Hashable, col: int = col) -> tuple[float, str, str]:
                nbrs = [row[m] for m in undirected.neighbors(node) if g.nodes[m].get(layer) != col]
                mean = sum(nbrs) / len(nbrs) if nbrs else row[node]
                return (mean, str(g.nodes[node].get("label", "")), str(node))

            columns[col].sort(key=bary)
            row.update({n: float(i) for i, n in enumerate(columns[col])})
    # Every column spreads over the height of the tallest one, so short columns (a few
    # funders) get room for their big nodes and labels.
    height = max((len(columns[c]) - 1) * row_gap for c in order) if order else 0.0
    positions: dict[Hashable, tuple[float, float]] = {}
    for i, col in enumerate(order):
        count = len(columns[col])
        gap = height / (count - 1) if count > 1 else 0.0
        for j, node in enumerate(columns[col]):
            y = j * gap - height / 2 if count > 1 else 0.0
            positions[node] = (round(i * column_gap, 1), round(y, 1))
    return positions
