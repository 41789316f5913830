"""Phase 1 of a build, the plan: which release files must be read, compared with what
the store holds, without parsing any of them.

A file whose releases are in the store with the same sha256 is not read again (unless
``force``). The build index (:mod:`regiongraph.build.index`) remembers each file's size,
mtime and sha256: a file whose size and mtime match is not even hashed. A file whose
SOURCES.csv row (which gives its date, address and publisher) changed since its graphs
were built is read again too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from regiongraph import ingest
from regiongraph.build.index import (
    BuildIndex,
    Releases,
    by_file,
    file_sha256,
    file_stat,
    source_digest,
)
from regiongraph.ingest.registry import SourceFile
from regiongraph.records import BuildProblem

Step = Callable[[Iterable], Iterable]


@dataclass
class Plan:
    """What the build found on disk and which of it is unchanged."""

    sources: list[SourceFile]
    problems: list[BuildProblem]  # files that could not even be listed
    by_file: dict[str, dict[str, str]]  # file name -> {release id: sha256} in the store
    stat_time: int = field(default_factory=time.time_ns)
    stats: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # path, size, mtime
    file_sha: dict[str, str] = field(default_factory=dict)  # name -> sha256 of unchanged files
    digests: dict[str, str] = field(default_factory=dict)  # name -> its SOURCES.csv row's digest
    seen: set[str] = field(default_factory=set)  # release ids found (unchanged ones so far)
    unchanged: set[Path] = field(default_factory=set)
    skipped: int = 0  # releases not read again
    hashed: int = 0  # files hashed to compare them

    @property
    def todo(self) -> int:
        """How many files must be read."""
        return len(self.sources) - len(self.unchanged)

    def to_read(self, step: Step | None = None) -> Iterator[SourceFile]:
        """The files to read, in order; ``step`` wraps the iteration over all of them."""
        for source in (step or (lambda x: x))(self.sources):
            if source.path not in self.unchanged:
                yield source


def plan_build(
    paths: list[Path],
    known: Releases,
    index: BuildIndex | None,
    force: bool,
    max_bytes: int | None = ingest.DEFAULT_MAX_FILE_BYTES,
) -> Plan:
    """List the release files under ``paths`` and find those whose releases the store
    (``known``: release id -> file name, sha256) holds unchanged."""
    problems: list[BuildProblem] = []
    sources = ingest.discover(paths, problems=problems, max_bytes=max_bytes)
    plan = Plan(sources, problems, by_file(known))
    for source in sources:
        name = source.path.name
        stat = file_stat(source.path)
        if stat is not None:
            plan.stats[name] = (str(source.path), *stat)
        plan.digests[name] = source_digest(source)
        mine = owned(source, plan.by_file.get(name, {}))
        if force or not mine:
            continue
        built_with = index.sources.get(name) if index is not None else None
        if built_with is not None and built_with != plan.digests[name]:
            continue  # its SOURCES.csv row changed: read it again
        sha = _known_sha(source, stat, index)
        if sha is None:
            sha = file_sha256(source.path)
            plan.hashed += 1
        if sha is not None and all(v == sha for v in mine.values()):
            plan.unchanged.add(source.path)
            plan.file_sha[name] = sha
            plan.seen.update(mine)
            plan.skipped += len(mine)
    return plan


def owned(source: SourceFile, releases: dict[str, str]) -> dict[str, str]:
    """The releases (id -> sha256) recorded for a file's name that are this file's: files
    of one name in two folders have ids of their own (``ingest.identity``), and a file
    whose id changed must be read again."""
    return {rid: sha for rid, sha in releases.items() if source.owns(rid)}


def _known_sha(
    source: SourceFile, stat: tuple[int, int] | None, index: BuildIndex | None
) -> str | None:
    """The sha256 the index remembers for the file, if its path, size and mtime match."""
    cached = index.files.get(source.path.name) if index is not None else None
    if cached is not None and stat is not None and cached == (str(source.path), *stat, cached[3]):
        return cached[3]
    return None
