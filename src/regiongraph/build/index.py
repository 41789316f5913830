"""The build index: a sidecar JSON file next to the store (never in it) that remembers
what a build needs to know about the store without asking it.

It is trusted only for the store it was written for (RocksDB's ``IDENTITY``), and
``GraphStore`` deletes it on its first write, so a build that stops half-way, or any
other writer, leaves no stale index behind.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from regiongraph.graph.canonical import Tallies, tallies_from_json, tallies_to_json
from regiongraph.graph.store import GraphStore
from regiongraph.ingest.registry import SourceFile

INDEX_VERSION = 2
RACY_NS = 2_000_000_000  # a file changed this close to its stat may change again unseen

Releases = dict[str, tuple[str | None, str]]  # release id -> (file name, sha256)


@dataclass
class BuildIndex:
    """What a build needs to know about the store without asking it.

    ``releases``: release id -> (file name, sha256), as ``GraphStore.release_files``;
    ``files``: file name -> (path, size, mtime_ns, sha256) of files whose releases are in
    the store unchanged; ``totals``: entities, relations, triples, quads of the summary;
    ``tallies``: per actor, how many release graphs give it each (label, type);
    ``sources``: file name -> digest of the SOURCES.csv row its graphs were built with
    (:func:`source_digest`), so that a changed row alone makes the file be read again.
    """

    releases: Releases
    files: dict[str, tuple[str, int, int, str]]
    totals: dict[str, int]
    tallies: Tallies
    sources: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, store: GraphStore, base: str) -> BuildIndex | None:
        """The index written for exactly this store, or None."""
        path, identity = store.index_path, store.identity()
        if path is None or identity is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if (data["version"], data["base"], data["store"]) != (INDEX_VERSION, base, identity):
                return None
            return cls(
                releases={k: (v[0], v[1]) for k, v in data["releases"].items()},
                files={k: (v[0], int(v[1]), int(v[2]), v[3]) for k, v in data["files"].items()},
                totals={k: int(v) for k, v in data["totals"].items()},
                tallies=tallies_from_json(data["tallies"]),
                sources={k: str(v) for k, v in data["sources"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def save(self, store: GraphStore, base: str) -> None:
        path, identity = store.index_path, store.identity()
        if path is None or identity is None:
            return
        data = {
            "version": INDEX_VERSION,
            "base": base,
            "store": identity,
            "releases": {k: list(v) for k, v in sorted(self.releases.items())},
            "files": {k: list(v) for k, v in sorted(self.files.items())},
            "totals": self.totals,
            "tallies": tallies_to_json(self.tallies),
            "sources": dict(sorted(self.sources.items())),
        }
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
        os.replace(tmp, path)


def by_file(releases: Releases) -> dict[str, dict[str, str]]:
    """File name -> {release id: sha256} of the releases read from it."""
    out: dict[str, dict[str, str]] = {}
    for release_id, (file_name, sha) in releases.items():
        if file_name is not None:
            out.setdefault(file_name, {})[release_id] = sha
    return out


def source_digest(source: SourceFile) -> str:
    """A digest of what SOURCES.csv says about a file (``""`` when it says nothing)."""
    meta = source.meta
    if meta is None:
        return ""
    fields = (meta.file, meta.source, meta.date, meta.publisher, meta.language)
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader will name the problem


def file_stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns
