"""The ``regiongraph`` command line: typer wiring only; the work is in the stage modules.

Results go to stdout, progress and errors to stderr.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from regiongraph.cli.common import Base, built_store_path, open_built_store
from regiongraph.paths import data_dir as default_data_dir
from regiongraph.paths import default_build_dir
from regiongraph.vocab import DEFAULT_BASE

app = typer.Typer(
    help="Build, query and draw a linked-data knowledge graph of regional innovation actors "
    "from press releases.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

BuildDir = Annotated[Path, typer.Option("--build-dir", help="Where the store and pages go.")]
DataDir = Annotated[Path, typer.Option("--data-dir", help="Reference data and rule files.")]
MaxFileSize = Annotated[
    str,
    typer.Option(
        "--max-file-size",
        metavar="SIZE",
        help="Refuse release files larger than this (e.g. 10MB, 500k; 0: no limit).",
    ),
]


def _max_bytes(text: str) -> int | None:
    """The --max-file-size in bytes (None: no limit); exits 2 on a value that is no size."""
    from regiongraph.ingest.limits import parse_size

    try:
        size = parse_size(text)
    except ValueError as exc:
        err.print(f"[red]--max-file-size: {exc}[/red]")
        raise typer.Exit(code=2) from exc
    return size or None


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


def _store_path(build_dir: Path) -> Path:
    return build_dir / "store"


@app.command()
def build(
    paths: Annotated[list[Path] | None, typer.Argument(help="Release files or folders.")] = None,
    build_dir: BuildDir = default_build_dir(),
    data_dir: DataDir = default_data_dir(),
    base: Base = DEFAULT_BASE,
    no_validate: Annotated[bool, typer.Option("--no-validate", help="Skip SHACL.")] = False,
    no_viz: Annotated[bool, typer.Option("--no-viz", help="Do not write network pages.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Re-read unchanged releases.")] = False,
    max_file_size: MaxFileSize = "10MB",
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Remove from the store every release not found in PATHS (by default a "
            "build adds to the store and removes nothing).",
        ),
    ] = False,
    watch: Annotated[
        float | None,
        typer.Option(
            "--watch",
            metavar="SECONDS",
            help="Keep running: look for added, changed and deleted release files every "
            "SECONDS and apply them (the extractor stays loaded; Ctrl-C stops).",
        ),
    ] = None,
) -> None:
    """Read releases (default: data/releases) into the store, validate them, draw the network."""
    from regiongraph.build.pipeline import BuildConfig

    targets = paths or [data_dir / "releases"]
    config = BuildConfig(
        data_dir=data_dir,
        store_path=_store_path(build_dir),
        build_dir=build_dir,
        base=base,
        validate=not no_validate,
        prune=prune,
        force=force,
        max_file_size=_max_bytes(max_file_size),
    )
    result = build_and_print(targets, config, no_viz=no_viz)
    if watch is not None:
        _watch(targets, replace(config, force=False), result, watch, no_viz)
    if result.summary.releases_failed:
        raise typer.Exit(code=1)


def build_and_print(targets: list[Path], config, *, no_viz: bool = False):
    """Build with a progress bar, write the pages, print what the build did; the result."""
    from regiongraph.build.pipeline import build as run_build
    from regiongraph.graph.store import StoreError

    progress = _progress()  # shown once the files are listed (the store is then held)
    task = progress.add_task("releases", total=None)

    def step(docs):
        docs = list(docs)
        progress.start()
        progress.update(task, total=len(docs))
        for doc in docs:
            yield doc
            progress.advance(task)

    try:
        result = run_build(targets, config, step=step)
    except StoreError as exc:  # locked by another build, or cannot be opened
        err.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(code=2) from exc
    finally:
        progress.stop()
    summary = result.summary
    _print_problems(summary.problems)
    pages: list[Path] = []
    if not no_viz:
        from regiongraph.network.views import write_pages

        pages = write_pages(result.store, config.build_dir / "viz")
    table = Table(title="regiongraph build", show_header=False)
    table.add_row("releases read", str(summary.releases_read))
    table.add_row("releases unchanged", str(summary.releases_unchanged))
    table.add_row("releases changed", str(summary.releases_changed))
    table.add_row("releases removed", str(summary.releases_removed))
    table.add_row("releases failed", str(summary.releases_failed))
    table.add_row("entities", str(summary.entities))
    table.add_row("relations", str(summary.relations))
    table.add_row("triples (union)", str(summary.triples))
    table.add_row("quads (all graphs)", str(summary.quads))
    table.add_row("SHACL", "conforms" if summary.conforms else "violations (see above)")
    table.add_row("store", str(config.store_path))
    if pages:
        table.add_row("network pages", f"{pages[0]} ({len(pages) - 1} views)")
    out.print(table)
    return result


def _print_problems(problems) -> None:
    for problem in problems:
        err.print(f"[red]{problem.stage} failed[/red] {problem.path}:\n{problem.message}")


def _watch(targets: list[Path], config, result, seconds: float, no_viz: bool) -> None:
    """Build again every ``seconds`` in this process; one line per build that changed something."""
    from regiongraph.build.pipeline import build as run_build

    err.print(f"watching {', '.join(map(str, targets))} every {seconds:g} s (Ctrl-C stops)")
    from regiongraph.graph.store import StoreError

    reported = set(result.summary.problems)  # a file that keeps failing is named once
    try:
        while True:
            result.store.close()
            time.sleep(seconds)
            started = time.perf_counter()
            # A release whose file was deleted since the last look goes too (or, with
            # --prune, any release not found).
            only = None if config.prune else result.found
            try:
                result = run_build(targets, replace(config, prune=True, prune_only=only))
            except StoreError as exc:  # another build holds the store: try again later
                err.print(f"[yellow]{exc}[/yellow]", soft_wrap=True)
                continue
            summary = result.summary
            problems = set(summary.problems)
            if not (result.loaded or result.removed or problems - reported):
                continue
            _print_problems(sorted(problems - reported, key=lambda p: (p.path, p.stage)))
            reported = problems
            if not no_viz:
                from regiongraph.network.views import write_pages

                write_pages(result.store, config.build_dir / "viz")
            out.print(
                f"{time.strftime('%H:%M:%S')} {result.loaded} read, {result.removed} removed, "
                f"{summary.releases_failed} failed; {summary.triples} triples "
                f"({time.perf_counter() - started:.2f} s)"
            )
            sys.stdout.flush()
    except KeyboardInterrupt:
        err.print("stopped watching")
    finally:
        result.store.close()


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Release files or folders.")],
    format: Annotated[
        str, typer.Option("--format", help="jsonl (the extraction report).")
    ] = "jsonl",
    data_dir: DataDir = default_data_dir(),
    base: Base = DEFAULT_BASE,
    max_file_size: MaxFileSize = "10MB",
) -> None:
    """Print the extraction report, one JSON line per release (shared spec format)."""
    from regiongraph.build.pipeline import extract_documents
    from regiongraph.evaluate.report import report_line

    if format != "jsonl":
        err.print(f"[red]unknown format {format!r}; use jsonl[/red]")
        raise typer.Exit(code=2)
    problems = []
    max_bytes = _max_bytes(max_file_size)
    for extraction in extract_documents(list(paths), data_dir, base, problems, max_bytes):
        sys.stdout.write(report_line(extraction) + "\n")
    for problem in problems:
        err.print(f"[red]{problem.stage} failed[/red] {problem.path}: {problem.message}")
    if problems:
        raise typer.Exit(code=1)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of *.gold.json files.")] = (
        default_data_dir() / "gold"
    ),
    report: Annotated[
        Path | None,
        typer.Option("--report", help="A JSONL report; default: extract the releases gold names."),
    ] = None,
    releases: Annotated[Path, typer.Option("--releases", help="Where the releases are.")] = (
        default_data_dir() / "releases"
    ),
    detail: Annotated[bool, typer.Option("--detail", help="List every FP and FN.")] = False,
    format: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    write_baseline: Annotated[
        Path | None, typer.Option("--write-baseline", help="Record the figures as the baseline.")
    ] = None,
    cross_validate: Annotated[
        bool,
        typer.Option(
            "--cross-validate",
            help="Train on all publisher folds but one, score the one held out (all gold).",
        ),
    ] = False,
    folds: Annotated[int, typer.Option("--folds", help="Folds for --cross-validate.")] = 5,
    data_dir: DataDir = default_data_dir(),
    base: Base = DEFAULT_BASE,
) -> None:
    """Score an extraction report against gold annotations (P/R/F1 per the spec)."""
    from regiongraph.evaluate import quality
    from regiongraph.evaluate import score as ev

    if cross_validate:
        from regiongraph.cli.models import cross_validate as run

        result = run(data_dir, folds, base)
        if write_baseline is not None:
            quality.write_baseline(result.pooled(), write_baseline)
            err.print(f"cross-validated baseline written to {write_baseline}")
        if format == "json":
            data = {"pooled": result.pooled().to_dict(), "folds": result.fold_figures()}
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        else:
            sys.stdout.write(result.format_text())
        return
    if report is not None:
        reports = ev.load_reports(report.read_text(encoding="utf-8").splitlines())
        result = ev.evaluate(reports, ev.load_gold(gold))
    else:
        result = quality.evaluate_releases(gold, releases, data_dir, base)
    for name in result.missing:
        err.print(f"[yellow]no report for gold release {name}[/yellow]")
    if write_baseline is not None:
        quality.write_baseline(result, write_baseline)
        err.print(f"baseline written to {write_baseline}")
    if format == "json":
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(result.format_text(detail=detail) + "\n")


@app.command()
def validate(
    build_dir: BuildDir = default_build_dir(),
    base: Base = DEFAULT_BASE,
) -> None:
    """Run the SHACL shapes on every release graph in the store; exit 1 on violations."""
    from regiongraph.validate.store import validate_store

    path = built_store_path(build_dir)
    with _progress() as progress:
        task = progress.add_task("validating", total=None)
        report_by_graph = validate_store(
            path,
            base,
            on_total=lambda n: progress.update(task, total=n),
            on_step=lambda: progress.advance(task),
        )
    failed = {g: r for g, r in report_by_graph.items() if not r.conforms}
    warned = {g: r for g, r in report_by_graph.items() if r.conforms and r.issues}
    for graph, report in {**failed, **warned}.items():
        out.print(f"[bold]{graph}[/bold]")
        out.print(report.format_text())
    out.print(
        f"{len(report_by_graph)} graphs validated: {len(failed)} with violations, "
        f"{len(warned)} with warnings only"
    )
    if failed:
        raise typer.Exit(code=1)


@app.command()
def viz(
    build_dir: BuildDir = default_build_dir(),
) -> None:
    """Write the interactive actor-network pages from the store (offline HTML)."""
    from regiongraph.network.views import write_pages

    store = open_built_store(build_dir)
    for page in write_pages(store, build_dir / "viz"):
        out.print(str(page))


def _register_command_groups() -> None:
    """Add the larger command groups, each a module of this package with ``register``."""
    from regiongraph.cli import linked_data, lookup, models, networks, releases, reports

    for module in (lookup, releases, reports, linked_data, models, networks):
        module.register(app)


_register_command_groups()


if __name__ == "__main__":
    app()
