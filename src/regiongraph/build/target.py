"""Where a build writes: the store opened, its build index, the releases it holds, and
whether it is written in place or rebuilt in bulk beside the old one."""

from __future__ import annotations

from dataclasses import dataclass, replace

from regiongraph.build.config import BuildConfig
from regiongraph.build.index import BuildIndex, Releases
from regiongraph.build.static import extractor_digest, has_current_extractor
from regiongraph.build.swap import rebuild_path, restore_interrupted_swap
from regiongraph.graph import guard
from regiongraph.graph.store import GraphStore
from regiongraph.vocab import IriMinter


@dataclass
class Target:
    """The store a build writes, and what it knows about it before writing."""

    config: BuildConfig  # ``force`` set when the releases' graphs are out of date
    minter: IriMinter
    store: GraphStore  # where this build writes
    old_store: GraphStore | None  # the store rebuilt beside (None: written in place)
    index: BuildIndex | None  # valid for ``store`` (read before any write drops it)
    known: Releases  # release id -> (file name, sha256) of the releases in the store
    digest: str  # the extractor digest (``static.extractor_digest``)
    repair: bool = False  # an update of the store stopped half-way: describe every actor

    @property
    def mode(self) -> str:
        """How this build writes, for the journal (``graph.guard``): in place in bulk,
        rebuilt beside the store, or updated release by release."""
        return "rebuild" if self.rebuilt else "bulk" if self.bulk else "update"

    @property
    def bulk(self) -> bool:
        """The release graphs go in by the bulk loader (an empty or rebuilt store)."""
        return not self.known or self.old_store is not None

    @property
    def rebuilt(self) -> bool:
        return self.old_store is not None

    @property
    def keep_index(self) -> bool:
        return self.config.store_path is not None and self.store.identity() is not None


def open_target(config: BuildConfig) -> Target:
    """Open the store of ``config``; when every release must be read again (``force``,
    or the rules, reference data or code changed) and the store is on disk, a new store
    is opened beside it to be loaded in bulk.

    A build that stopped half-way (its journal, ``graph.guard``) is repaired: after a bulk
    load in place every release is read again (the loader is not transactional); after
    an update, where each release graph was replaced in one transaction and those done
    match their files, every actor is described again (some were not updated).
    """
    minter = IriMinter(config.base)
    stopped = guard.unfinished(config.store_path)
    if config.store_path is not None:
        restore_interrupted_swap(config.store_path)
    if stopped == "bulk":
        config = replace(config, force=True)
    store = GraphStore(config.store_path, minter)
    index = BuildIndex.load(store, config.base)  # before any write (which deletes it)
    digest = extractor_digest(config)
    known = dict(index.releases) if index is not None else store.release_files()
    if known and not has_current_extractor(store, minter, digest):
        config = replace(config, force=True)  # every release must be read again
    old_store = None
    if config.force and known and config.store_path is not None:
        old_store, store = store, GraphStore(rebuild_path(config.store_path), minter)
    return Target(config, minter, store, old_store, index, known, digest, stopped == "update")
