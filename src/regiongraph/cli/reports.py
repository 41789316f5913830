"""``regiongraph report``: a table per region or per funder, CSV or XLSX (query/report.py)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from regiongraph.cli.common import open_built_store
from regiongraph.paths import default_build_dir

err = Console(stderr=True)


class ReportBy(StrEnum):
    region = "region"
    funder = "funder"


def report(
    by: Annotated[ReportBy, typer.Option("--by", help="One row group per region or funder.")],
    out: Annotated[Path, typer.Option("--out", help="FILE.xlsx or FILE.csv")],
    name: Annotated[
        str | None,
        typer.Option("--name", help="Only this region or funder (name, alias, code or IRI)."),
    ] = None,
    build_dir: Annotated[Path, typer.Option("--build-dir", help="Where the store is.")] = (
        default_build_dir()
    ),
) -> None:
    """Actors, projects, roles and funding (amounts, periods, release) as a spreadsheet."""
    from regiongraph.query.library import QueryError
    from regiongraph.query.report import columns_of, report_rows, write_report

    store = open_built_store(build_dir)
    try:
        rows = report_rows(store.store, by.value, name)
        write_report(rows, columns_of(by.value), out)
    except QueryError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(code=2) from exc
    err.print(f"{len(rows)} rows written to {out}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
