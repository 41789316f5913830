"""Phase 4 of a build, the canonical actors: rebuilt in one pass after a bulk load (from
what the load gathered, or by queries), else only the actors that the changed or removed
releases mention are described again, from per-actor label/type tallies kept in the
build index."""

from __future__ import annotations

from regiongraph.build.load import Gathered
from regiongraph.graph import canonical
from regiongraph.graph.canonical import Tallies
from regiongraph.graph.store import GraphStore
from regiongraph.vocab import IriMinter


def describe(
    store: GraphStore,
    minter: IriMinter,
    *,
    full: bool,
    touched: set[str],
    tallies: Tallies | None,
    gathered: Gathered | None,
    keep_tallies: bool,
) -> tuple[int, Tallies | None]:
    """Describe the actors; returns how many were re-described (-1: the graph was
    rebuilt) and the tallies now (None when not kept and not known)."""
    if full or not store.has_graph(str(minter.graph("actors"))):
        fresh: Tallies = {}
        canonical.rebuild_actors(store, minter, fresh if keep_tallies else None, gathered)
        return -1, fresh
    return canonical.update_actors(store, minter, touched, tallies), tallies


def all_tallies(store: GraphStore, minter: IriMinter) -> Tallies:
    """The label/type tallies of every actor (one pass over the store)."""
    out: Tallies = {}
    canonical.describe_actors(store, minter, tallies_out=out)
    return out
