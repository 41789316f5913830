"""``regiongraph queries``, ``query`` and ``find``: the query library and names -> IRIs.

Parameters that take an actor, project, region or funder accept a name, an alias, a
code or an IRI (``regiongraph.query.names``). The table format shows IRIs as prefixed
names (``id:region/se-vasterbotten``, ``rg:fundedBy``); CSV, TSV, JSON and Markdown
keep the full IRIs. Every format uses the same column names.
"""

from __future__ import annotations

import csv
import io
import json
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
BuildDir = Annotated[Path, typer.Option("--build-dir", help="Where the store is.")]


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    markdown = "markdown"


def list_queries_cmd(
    long: Annotated[
        bool, typer.Option("--long", help="Also descriptions, parameters and examples.")
    ] = False,
) -> None:
    """List the query library: one line per query (``--long`` for the details)."""
    from regiongraph.query.library import list_queries

    library = list_queries()
    if not long:
        width = max(len(q.name) for q in library)
        for q in library:
            params = " ".join(f"{p.name}=" for p in q.params)
            line = f"{q.name:<{width}}  {q.title}" + (f"  [{params}]" if params else "")
            out.print(line, overflow="ellipsis", no_wrap=True, highlight=False, markup=False)
        err.print(f"{len(library)} queries; 'regiongraph queries --long' for descriptions")
        return
    for q in library:
        out.print(f"[bold]{q.name}[/bold] — {q.title}", highlight=False)
        out.print(f"  {q.description}", highlight=False, markup=False)
        for p in q.params:
            default = f" (default {p.default})" if p.default and p.default != "none" else ""
            out.print(f"  --param {p.name}=<{p.kind}>{default}  {p.description}", markup=False)
        for example in q.examples:
            out.print(f"  $ {example}", highlight=False, markup=False)
        out.print()


def query(
    name: Annotated[str, typer.Argument(help="A library query name or a .rq file.")],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            help="key=value; an actor, project, region or funder may be given by name, "
            "alias, code (kommunkod, NUTS) or IRI.",
        ),
    ] = None,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    endpoint: Annotated[str | None, typer.Option("--endpoint", help="Remote SPARQL URL.")] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=0, help="Return at most this many rows.")
    ] = None,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows first.")] = 0,
    build_dir: BuildDir = default_build_dir(),
) -> None:
    """Run a SPARQL SELECT from the library (or a file) against the store or an endpoint."""
    from regiongraph.query.library import QueryError, load_query, queries_dir, run_select
    from regiongraph.query.names import NameIndex, needs_index, resolve_params

    params = {}
    for item in param or []:
        if "=" not in item:
            err.print(f"[red]--param wants key=value, got {item!r}[/red]")
            raise typer.Exit(code=2)
        key, value = item.split("=", 1)
        params[key] = value
    try:
        q = load_query(name)
        if q.path is None or q.path.parent.resolve() != queries_dir().resolve():
            _check_query_file(name, q.text)  # a file of the user's: parse it safely first
        q = q.paged(limit, offset)
        if endpoint:
            from regiongraph.query.remote import run_remote_select

            index = None
            if needs_index(q, params):
                index = NameIndex.from_rows(run_remote_select(endpoint, load_query("names")))
            rows = run_remote_select(endpoint, q, resolve_params(q, params, index))
        else:
            store = open_built_store(build_dir)
            index = NameIndex.from_store(store.store) if needs_index(q, params) else None
            rows = run_select(store.store, q, resolve_params(q, params, index))
    except (QueryError, SyntaxError) as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(code=2) from exc
    print_rows(rows, format)


def _check_query_file(name: str, text: str) -> None:
    """Refuse a query pyoxigraph should not see (too deep to parse, an update, SERVICE)
    with one line naming the file, before its parser could overflow the stack."""
    from regiongraph.query.safety import QueryRefused, check_query

    try:
        check_query(text)
    except QueryRefused as exc:
        err.print(f"[red]{name}: {exc.message}[/red]")
        raise typer.Exit(code=2) from exc


def print_rows(rows: list[dict], format: OutputFormat) -> None:
    """Rows on stdout in ``format``; the same column names in every format."""
    columns = list(rows[0].keys()) if rows else []
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif format in (OutputFormat.csv, OutputFormat.tsv):
        buf = io.StringIO()
        writer = csv.DictWriter(
            buf,
            fieldnames=columns,
            delimiter="," if format is OutputFormat.csv else "\t",
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    elif format is OutputFormat.markdown:
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += [
            "| " + " | ".join(str(r[c] if r[c] is not None else "") for c in columns) + " |"
            for r in rows
        ]
        sys.stdout.write("\n".join(lines) + "\n")
    elif len(columns) * MIN_COLUMN_WIDTH > out.width:
        for row in rows_as_records(rows, columns):  # too many columns: one block per row
            out.print(row)
        err.print(f"{len(rows)} rows")
    else:
        out.print(rows_table(rows, columns))
        err.print(f"{len(rows)} rows")


MIN_COLUMN_WIDTH = 14  # below this a column of names is unreadable


def _shown(value: object) -> str:
    from regiongraph.query.terms import is_iri, short_iri

    return "" if value is None else short_iri(value) if is_iri(value) else str(value)  # type: ignore[arg-type]


def rows_as_records(rows: list[dict], columns: list[str]) -> list[Table]:
    """Each row as a block of ``column  value`` lines (for a terminal too narrow for a
    table of all the columns); the same column names, IRIs as prefixed names."""
    blocks = []
    for row in rows:
        block = Table.grid(padding=(0, 2))
        block.add_column(style="bold", no_wrap=True)
        block.add_column(overflow="fold")
        for c in columns:
            if row[c] is not None:
                block.add_row(c, _shown(row[c]))
        block.add_row("", "")
        blocks.append(block)
    return blocks


def rows_table(rows: list[dict], columns: list[str]) -> Table:
    """A rich table of rows with IRIs as prefixed names, so it fits a terminal."""
    from regiongraph.query.terms import is_iri

    table = Table(show_lines=False)
    for c in columns:
        if any(is_iri(r[c]) for r in rows):  # a prefixed name, cut with … when narrow
            table.add_column(c, overflow="ellipsis", min_width=10, max_width=40)
        else:  # labels and text wrap, and take the room first
            table.add_column(c, overflow="fold", min_width=6, max_width=60, ratio=2)
    for r in rows:
        table.add_row(*(_shown(r[c]) for c in columns))
    return table


def find(
    name: Annotated[str, typer.Argument(help="A name, part of one, an alias, a code or an IRI.")],
    kind: Annotated[
        str,
        typer.Option("--kind", help="any, actor, funder, region or project."),
    ] = "any",
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 10,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    build_dir: BuildDir = default_build_dir(),
) -> None:
    """Find actors, projects and events by name: IRI, type, codes and how many facts."""
    from regiongraph.query.library import load_query, run_select
    from regiongraph.query.names import KIND_TYPES, NameIndex

    kind = "IRI" if kind == "any" else kind  # the parameter kind that takes any thing
    if kind not in KIND_TYPES:
        err.print("--kind must be one of any, actor, funder, region, project", markup=False)
        raise typer.Exit(code=2)
    store = open_built_store(build_dir)
    index = NameIndex.from_store(store.store)
    found = index.search(name, kind, limit)
    if not found:
        err.print(f"nothing named like {name!r}", markup=False)
        raise typer.Exit(code=1)
    counts = load_query("facts-about")
    rows = []
    for thing in found:
        tally = run_select(store.store, counts, {"thing": thing.iri})
        rows.append(
            {
                "label": thing.label,
                "type": thing.kind_name,
                "codes": " ".join(f"{f}={v}" for f, v in thing.codes),
                "facts": tally[0]["facts"] if tally else 0,
                "releases": tally[0]["releases"] if tally else 0,
                "iri": thing.iri,
            }
        )
    print_rows(rows, format)


def register(app: typer.Typer) -> None:
    app.command("queries")(list_queries_cmd)
    app.command("query")(query)
    app.command("find")(find)
