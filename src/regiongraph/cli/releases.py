"""``regiongraph add``: copy one's own release files in, with their SOURCES.csv rows, and build.

The work is in ``regiongraph.ingest.adding``; the build is the default incremental one
(``regiongraph build``), so only the added or changed releases are read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from regiongraph.paths import data_dir as default_data_dir
from regiongraph.paths import default_build_dir
from regiongraph.vocab import DEFAULT_BASE

out = Console()
err = Console(stderr=True)


def add(
    files: Annotated[
        list[Path], typer.Argument(help="Release files (.txt, .html, .json, .jsonl).")
    ],
    source: Annotated[
        str | None, typer.Option("--source", help="Where the release was published (URL).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Publication date: YYYY-MM-DD (or YYYY-MM, YYYY).")
    ] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="Who published it.")] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="Language code: sv, en, fi …")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a release of the same name.")
    ] = False,
    no_build: Annotated[bool, typer.Option("--no-build", help="Only copy; do not build.")] = False,
    data_dir: Annotated[
        Path, typer.Option("--data-dir", help="Data folder; releases go to its releases/.")
    ] = default_data_dir(),
    build_dir: Annotated[Path, typer.Option("--build-dir", help="Where the store goes.")] = (
        default_build_dir()
    ),
) -> None:
    """Add release files to data/releases with their SOURCES.csv rows, then build."""
    from regiongraph.ingest.adding import AddError, add_releases

    folder = data_dir / "releases"
    try:
        results = add_releases(
            files,
            folder,
            source=source,
            date=date,
            publisher=publisher,
            language=language,
            replace=replace,
        )
    except AddError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(code=2) from exc
    for item in results:
        if item.outcome == "failed":
            err.print(f"[red]not added[/red] {item.message}", highlight=False)
        else:
            err.print(f"{item.outcome}: {item.target}", highlight=False)
    failed = any(item.outcome == "failed" for item in results)
    if not no_build and not all(item.outcome == "failed" for item in results):
        from regiongraph.build.pipeline import BuildConfig
        from regiongraph.cli.main import build_and_print

        config = BuildConfig(
            data_dir=data_dir,
            store_path=build_dir / "store",
            build_dir=build_dir,
            base=DEFAULT_BASE,
        )
        result = build_and_print([folder], config)
        failed = failed or bool(result.summary.releases_failed)
        result.store.close()
    if failed:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    app.command("add")(add)
