"""Phase 5 of a build, the finish: the summary's counts and the build index for the next
build.

Entity, relation, triple and quad counts are kept in the build index and moved by the
changes the store measured while writing (``GraphStore.deltas``); they are counted
afresh only when there is no valid index (a clean build, a store written by something
else) or after a bulk load.
"""

from __future__ import annotations

from regiongraph.build.index import RACY_NS, BuildIndex, Releases, by_file
from regiongraph.build.plan import Plan
from regiongraph.graph.canonical import Tallies
from regiongraph.graph.store import GraphStore
from regiongraph.vocab import RG


def totals(store: GraphStore, index: BuildIndex | None, rebuilt: bool) -> dict[str, int]:
    """Entities, relations, triples and quads in the store: the index's moved by the
    store's measured changes where that is exact, else counted."""
    if index is not None and not store.untracked and not rebuilt:
        return {k: index.totals[k] + store.deltas[k] for k in index.totals}
    return {
        "entities": count_entities(store),
        "relations": count_statements(store),
        "triples": store.count(),
        "quads": store.quad_count(),
    }


def write_index(
    store: GraphStore,
    base: str,
    plan: Plan,
    known: Releases,
    clean_files: set[str],
    counts: dict[str, int],
    tallies: Tallies,
    old_sources: dict[str, str],
) -> None:
    """Save the build index for ``store``: the releases it holds (``known``), the files
    whose releases are in it unchanged (not hashed next time unless they move) and the
    SOURCES.csv row each file's graphs were built with (``old_sources`` for files this
    build did not read)."""
    files: dict[str, tuple[str, int, int, str]] = {}
    releases_by_file = by_file(known)
    for name, (path, size, mtime_ns) in plan.stats.items():
        shas = set(releases_by_file.get(name, {}).values())
        if len(shas) != 1 or mtime_ns > plan.stat_time - RACY_NS:
            continue  # hashed again next time
        if name in plan.file_sha or name in clean_files:
            sha = shas.pop()
            if plan.file_sha.get(name, sha) == sha:
                files[name] = (path, size, mtime_ns, sha)
    built = {f for f in releases_by_file if f in plan.file_sha or f in clean_files}
    sources = {f: plan.digests[f] for f in built if f in plan.digests}
    sources |= {f: d for f, d in old_sources.items() if f in releases_by_file and f not in built}
    BuildIndex(known, files, counts, tallies, sources).save(store, base)
    store.index_written()


def count_entities(store: GraphStore) -> int:
    q = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?r <https://schema.org/mentions> ?e }"
    return int(next(iter(store.query(q)))["n"].value)


def count_statements(store: GraphStore) -> int:
    q = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RG.evidence}> ?e }}"
    return int(next(iter(store.query(q)))["n"].value)
