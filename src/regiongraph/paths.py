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
