"""What the command modules share: opening the built store for a command that reads it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from regiongraph.vocab import DEFAULT_BASE

Base = Annotated[str, typer.Option("--base", help="Base IRI of minted identifiers.")]


def built_store_path(build_dir: Path) -> Path:
    """``build_dir``'s store folder; exits 2 naming it when there is none, or when a
    build of it stopped before it finished (``graph.guard``)."""
    from regiongraph.graph.guard import StorePartial, check_whole

    path = build_dir / "store"
    err = Console(stderr=True)
    if not path.exists():
        err.print(f"[red]no store at {path}: run 'regiongraph build' first[/red]")
        raise typer.Exit(code=2)
    try:
        check_whole(path)
    except StorePartial as exc:
        err.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(code=2) from exc
    return path


def open_built_store(build_dir: Path, base: str = DEFAULT_BASE):
    """The store of ``build_dir`` opened read-only for a command that only reads it (it
    then works while ``build --watch`` holds the store); exits 2 naming the problem."""
    from regiongraph.graph.store import GraphStore, StoreError
    from regiongraph.vocab import IriMinter

    path = built_store_path(build_dir)
    err = Console(stderr=True)
    try:
        return GraphStore(path, IriMinter(base), read_only=True)
    except StoreError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=2) from exc
