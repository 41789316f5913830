"""Where the project's files are: ontology, data, queries, viz, build output."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The checkout root (``REGIONGRAPH_HOME`` overrides it for installed copies)."""
    env = os.environ.get("REGIONGRAPH_HOME")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return project_root() / "data"


def ontology_dir() -> Path:
    return project_root() / "ontology"


def default_build_dir() -> Path:
    return project_root() / "build"


def shared_dir() -> Path | None:
    """The workplace's read-only ``shared/`` beside the checkout (its parent's or, for a
    worktree, its grandparent's); ``REGIONGRAPH_SHARED`` overrides; None when absent."""
    env = os.environ.get("REGIONGRAPH_SHARED")
    if env:
        return Path(env) if Path(env).is_dir() else None
    root = project_root().resolve()
    for folder in (root.parent / "shared", root.parent.parent / "shared"):
        if (folder / "gold").is_dir() and (folder / "corpus").is_dir():
            return folder
    return None
