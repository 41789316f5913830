"""Rebuilding a store in bulk beside the old one, then putting it in the old one's place.

When every release is read again (``force``, or the rules, reference data or extraction
code changed), an on-disk store is rebuilt in bulk beside the old one
(``<store>.rebuild``), the graphs of releases that now fail (or whose files a build
without ``prune`` did not name) are copied over from the old store, and the new store
takes the old one's place (:func:`swap_in`): replacing 10,000 graphs one by one took
459 s, a bulk rebuild takes about as long as a clean build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from regiongraph.build import pause
from regiongraph.build.config import BULK_RELEASES
from regiongraph.graph.store import GraphStore, remove_spools
from regiongraph.vocab import IriMinter


def rebuild_path(store_path: Path) -> Path:
    """A new, empty folder beside ``store_path`` for a store rebuilt in bulk."""
    path = store_path.with_name(store_path.name + ".rebuild")
    shutil.rmtree(path, ignore_errors=True)  # left by a rebuild that did not finish
    return path


def retired_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".old")


def copy_graphs(source: GraphStore, target: GraphStore, graph_iris: list[str]) -> None:
    """Copy named graphs (and their triples in the default graph) into ``target``, in bulk."""
    for start in range(0, len(graph_iris), BULK_RELEASES):
        nquads = source.graphs_nquads(graph_iris[start : start + BULK_RELEASES])
        if nquads:
            target.bulk_add_graphs(nquads)


def swap_in(old: GraphStore, new: GraphStore, store_path: Path, minter: IriMinter) -> GraphStore:
    """Put the rebuilt store ``new`` in the place of ``old``; the store there, opened.

    The old folder is renamed aside first and deleted last, so a build stopped half-way
    leaves one whole store (:func:`restore_interrupted_swap` puts it back).
    """
    assert new.path is not None
    old.close()
    new.close()
    retired = retired_path(store_path)
    shutil.rmtree(retired, ignore_errors=True)
    store_path.rename(retired)
    pause.point("swap")
    new.path.rename(store_path)
    index = old.index_path
    if index is not None:
        index.unlink(missing_ok=True)  # it describes the old store
    shutil.rmtree(retired)
    store = GraphStore(store_path, minter)
    store.untracked = True  # counted afresh, not moved from the old index's totals
    return store


def restore_interrupted_swap(store_path: Path) -> None:
    """Undo what a build stopped half-way left beside the store: if it stopped between
    moving the old store aside and the new one in, move the old one back (the rebuild is
    then done again); delete a store it was rebuilding, a retired one it had not yet
    deleted, and its bulk-load spool files."""
    retired = retired_path(store_path)
    if retired.is_dir() and not store_path.exists():
        retired.rename(store_path)
    shutil.rmtree(retired, ignore_errors=True)
    shutil.rmtree(store_path.with_name(store_path.name + ".rebuild"), ignore_errors=True)
    remove_spools(store_path)
