"""``regiongraph network``: actor-network measures (``stats``) and single views (``viz``).

``stats`` prints the ranking table of a projection (``analysis.compute_measures``),
as a rich table or as CSV on stdout; ``viz`` writes one view of viz/ or the ego network
of any actor. ``regiongraph build`` and ``regiongraph viz`` write every view.
"""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from regiongraph.cli.common import open_built_store
from regiongraph.paths import default_build_dir

out = Console()
err = Console(stderr=True)
DEFAULT_BUILD_DIR = default_build_dir()

group = typer.Typer(
    help="Actor networks: measures (centrality, communities, brokers) and single views.",
    no_args_is_help=True,
)


class StatsFormat(StrEnum):
    table = "table"
    csv = "csv"


class Projection(StrEnum):
    actors = "actors"
    actor_project = "actor-project"
    funding = "funding"


class RankBy(StrEnum):
    pagerank = "pagerank"
    degree = "degree"
    weighted_degree = "weighted_degree"
    betweenness = "betweenness"
    broker_score = "broker_score"


BuildDir = Annotated[Path, typer.Option("--build-dir", help="Where the store and pages are.")]
Region = Annotated[
    list[str] | None,
    typer.Option("--region", help="Region or municipality (name, slug or IRI); repeatable."),
]
Kind = Annotated[
    list[str] | None, typer.Option("--kind", help="Actor kind, e.g. Company; repeatable.")
]
Country = Annotated[
    list[str] | None, typer.Option("--country", help="Country code, e.g. SE; repeatable.")
]
Funder = Annotated[
    list[str] | None,
    typer.Option("--funder", help="Only projects this funder funds (name or IRI); repeatable."),
]
DateFrom = Annotated[
    str | None, typer.Option("--from", help="Releases issued from (YYYY[-MM[-DD]]).")
]
DateTo = Annotated[str | None, typer.Option("--to", help="Releases issued up to (YYYY[-MM[-DD]]).")]


def _filters(region, kind, country, funder, date_from, date_to):
    from regiongraph.network.projections import Filters

    return Filters(
        regions=tuple(region or ()),
        kinds=tuple(kind or ()),
        countries=tuple(country or ()),
        funders=tuple(funder or ()),
        date_from=date_from,
        date_to=date_to,
    )


STAT_COLUMNS = (
    "rank",
    "label",
    "kind",
    "country",
    "degree",
    "weighted_degree",
    "pagerank",
    "betweenness",
    "community",
    "participation",
    "country_participation",
    "community_broker",
    "country_broker",
    "broker_score",
    "node",
)


# The table shows the CSV's columns, under the same names, less those a terminal has
# no room for.
TABLE_COLUMNS = tuple(
    c
    for c in STAT_COLUMNS
    if c not in {"country_participation", "community_broker", "country_broker", "node"}
)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


def _resolved(store, names: list[str] | None, kind: str) -> list[str] | None:
    """Names, aliases, codes or IRIs -> IRIs (regiongraph.query.names); exit 2 naming
    the closest names when one is unknown or ambiguous."""
    if not names:
        return names
    from regiongraph.query.names import NameError_, NameIndex

    index = NameIndex.from_store(store.store)
    try:
        return [index.resolve(name, kind) for name in names]
    except NameError_ as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(code=2) from exc


@group.command("stats")
def stats(
    projection: Annotated[
        Projection, typer.Option("--projection", help="Which network to measure.")
    ] = Projection.actors,
    by: Annotated[RankBy, typer.Option("--by", help="Rank by this measure.")] = RankBy.pagerank,
    top: Annotated[int, typer.Option("--top", help="Rows to print (0: all).", min=0)] = 25,
    brokers: Annotated[bool, typer.Option("--brokers", help="Only brokers.")] = False,
    format: Annotated[StatsFormat, typer.Option("--format")] = StatsFormat.table,
    region: Region = None,
    kind: Kind = None,
    country: Country = None,
    funder: Funder = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    persons: Annotated[bool, typer.Option("--persons", help="Include persons.")] = False,
    build_dir: BuildDir = DEFAULT_BUILD_DIR,
) -> None:
    """Rank the actors of a network by centrality, with communities and brokers."""
    from regiongraph.network.analysis import compute_measures, rank_actors
    from regiongraph.network.projections import (
        actor_graph,
        actor_project_graph,
        filter_data,
        funding_graph,
        load_network_data,
        without_isolates,
    )

    store = open_built_store(build_dir)
    region = _resolved(store, region, "region")
    funder = _resolved(store, funder, "funder")
    data = load_network_data(store.store, persons=persons)
    try:
        data = filter_data(data, _filters(region, kind, country, funder, date_from, date_to))
    except (LookupError, ValueError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=2) from exc
    if projection is Projection.actor_project:
        g = actor_project_graph(data)
    elif projection is Projection.funding:
        g = funding_graph(data)
    else:
        g = without_isolates(actor_graph(data))
    rows = rank_actors(compute_measures(g), by.value)
    if brokers:
        rows = [m for m in rows if m.community_broker or m.country_broker]
    if top:
        rows = rows[:top]
    if format is StatsFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(STAT_COLUMNS)
        for i, m in enumerate(rows, 1):
            row = m.as_row()
            writer.writerow([i, *(row[c] for c in STAT_COLUMNS[1:])])
        return
    table = Table(
        title=f"{projection.value} network: {g.number_of_nodes()} nodes, "
        f"{g.number_of_edges()} links — ranked by {by.value}"
    )
    # The table's columns are named as in the CSV (a subset of STAT_COLUMNS).
    for name in TABLE_COLUMNS:
        numeric = name not in {"label", "kind", "country", "node"}
        table.add_column(name, justify="right" if numeric else "left")
    for i, m in enumerate(rows, 1):
        row = {**m.as_row(), "rank": i}
        table.add_row(*(_cell(row[c]) for c in TABLE_COLUMNS))
    # A pipe gets the whole table rather than an 80-column squeeze.
    (out if out.is_terminal else Console(width=200)).print(table)


@group.command("viz")
def viz(
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="Ego network of this actor (name, slug or IRI)."),
    ] = None,
    depth: Annotated[
        int, typer.Option("--depth", help="Ego network depth: 1 or 2.", min=1, max=2)
    ] = 1,
    view: Annotated[
        str | None, typer.Option("--view", help="Only this view of viz/ (file stem).")
    ] = None,
    build_dir: BuildDir = DEFAULT_BUILD_DIR,
) -> None:
    """Write one view, or the ego network of an actor, under build/viz (offline HTML)."""
    from regiongraph.network.projections import load_network_data
    from regiongraph.network.views import build_view, read_views, write_pages, write_view

    specs = {s.name: s for s in read_views()}
    if view is not None and view not in specs:
        err.print(f"[red]no view {view!r} in viz/ (have: {', '.join(sorted(specs))})[/red]")
        raise typer.Exit(code=2)
    store = open_built_store(build_dir)
    if actor is not None:
        actor = _resolved(store, [actor], "actor")[0]  # type: ignore[index]
    out_dir = build_dir / "viz"
    if actor is None and view is None:
        for page in write_pages(store, out_dir):
            out.print(str(page))
        return
    if actor is not None:
        from regiongraph.network.views import write_ego_page

        try:
            out.print(str(write_ego_page(store, out_dir, actor, depth)))
        except (LookupError, StopIteration) as exc:
            err.print(f"[red]{actor} is not in the actor network ({exc})[/red]")
            raise typer.Exit(code=2) from exc
        return
    spec = specs[view]
    data = load_network_data(store.store, persons=spec.persons)
    built = build_view(data, spec)
    out.print(str(write_view(built, out_dir / f"{spec.name}.html", data.releases).path))


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="network")
