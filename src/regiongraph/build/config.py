"""What a build is asked to do (`BuildConfig`) and what it gives back (`BuildResult`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from regiongraph.graph.store import GraphStore
from regiongraph.ingest.limits import DEFAULT_MAX_FILE_BYTES
from regiongraph.records import BuildSummary

if TYPE_CHECKING:
    from regiongraph.validate.shapes import ValidationReport

Progress = Callable[[str], None]

BULK_RELEASES = 1_000  # releases per bulk-load call on a clean build, at first …
BULK_RELEASES_MAX = 4_000  # … and at most, once the store is large (see load.bulk_size)


@dataclass
class BuildConfig:
    data_dir: Path
    store_path: Path | None
    build_dir: Path
    base: str
    validate: bool = True
    prune: bool = False  # drop the releases not found in ``paths`` (``--prune``)
    # With ``prune``: drop only these releases, when not found (``build --watch``: the
    # releases its folders held the time before); None: any release not found.
    force: bool = False  # re-read releases even when their content is unchanged
    workers: int | None = field(default_factory=os.cpu_count)  # processes; 1 = in-process
    max_file_size: int | None = DEFAULT_MAX_FILE_BYTES  # bytes; a larger file fails alone
    prune_only: frozenset[str] | None = None

    def may_remove(self, release_id: str) -> bool:
        """Whether a release this build did not find is to leave the store."""
        return self.prune and (self.prune_only is None or release_id in self.prune_only)


@dataclass
class BuildResult:
    summary: BuildSummary
    store: GraphStore
    reports: dict[str, ValidationReport] = field(default_factory=dict)
    skipped: int = 0  # releases whose file was unchanged: not read again
    extracted: int = 0  # releases read, extracted and validated in this build
    loaded: int = 0  # releases written to the store in this build
    removed: int = 0  # releases pruned because their file is gone
    actors_updated: int = -1  # actors re-described incrementally; -1 = actors graph rebuilt
    bulk: bool = False  # the store was empty and was loaded in bulk
    hashed: int = 0  # files hashed to see whether they changed (size or mtime moved)
    indexed: bool = False  # the build index was valid: no file listing or count from the store
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    found: frozenset[str] = frozenset()  # ids of the releases found in the files
