"""Phase 3 of a build, the load: release graphs into the store as they come from the
workers, and the removal of releases whose files are gone (``prune``).

Into an empty store (no release graph yet), or a store rebuilt beside the old one, the
graphs go in bulk (:class:`BulkLoader`: release graphs, and their triples in the default
graph). Otherwise each changed release replaces its named graph in one transaction
(:class:`IncrementalLoader`), and the actors it mentioned before and after are noted
for the actors phase.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from regiongraph.build import pause
from regiongraph.build.config import BULK_RELEASES, BULK_RELEASES_MAX
from regiongraph.build.index import Releases
from regiongraph.build.plan import Plan
from regiongraph.build.workers import ReleaseOutcome, SourceOutcome
from regiongraph.graph.canonical import Tallies, add_tally, graph_tally
from regiongraph.graph.store import BulkSpool, GraphStore
from regiongraph.records import BuildProblem

if TYPE_CHECKING:
    from regiongraph.validate.shapes import ValidationReport

# Tallies and surface forms of the canonical actors, gathered by a bulk load as it goes.
Gathered = tuple[Tallies, dict[str, set[str]]]


@dataclass
class Loaded:
    """What the load phase read and wrote."""

    problems: list[BuildProblem] = field(default_factory=list)
    reports: dict[str, ValidationReport] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)  # actors to describe again
    clean_files: set[str] = field(default_factory=set)  # files read in full, all releases loaded
    loaded_ids: set[str] = field(default_factory=set)
    extracted: int = 0
    gathered: Gathered | None = None  # a bulk load's actors, or None: found by queries
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def loaded(self) -> int:
        return len(self.loaded_ids)


def bulk_size(loaded: int) -> int:
    """Releases per bulk load when ``loaded`` releases are in the store.

    Each load adds files that overlap what RocksDB holds, and the compactions that follow
    rewrite more the larger the store: once it is large, fewer and larger loads cost less
    (100,000 releases, loads of 4,000 in one loader call instead of 1,000 in two: main
    process 547 → 422 CPU-s, build 729 → 656 s). The first loads stay small because the
    last load runs after the workers have finished, and up to 10,000 releases loads of
    1,000 were the fastest.
    """
    return min(BULK_RELEASES_MAX, max(BULK_RELEASES, loaded // 10))


class BulkLoader:
    """Release graphs spooled to a file and bulk-loaded from it, in batches."""

    def __init__(self, store: GraphStore, loaded: Loaded) -> None:
        self.spool = BulkSpool(store)
        self.loaded = loaded
        self.shared_loaded: set[str] = set()  # lines many releases repeat, loaded once
        loaded.gathered = ({}, {})

    def add(self, r: ReleaseOutcome) -> None:
        fresh = [line for line in r.shared_lines if line not in self.shared_loaded]
        self.shared_loaded.update(fresh)
        self.spool.add(r.nquads or "", r.ntriples or "", *fresh)
        gathered = self.loaded.gathered
        if gathered is not None:
            add_tally(gathered[0], r.tally)
            for e, form in r.forms:
                gathered[1].setdefault(e, set()).add(form)
        if self.spool.releases >= bulk_size(self.loaded.loaded):
            self._load()

    def finish(self) -> None:
        self._load()

    def _load(self) -> None:
        pause.point("bulk-load")
        self.spool.load()

    def close(self) -> None:
        self.spool.__exit__()


class IncrementalLoader:
    """Each release replaces its graph in one transaction; the actors it mentioned before
    and after are noted in ``touched``, and ``tallies`` (when kept) follow the change."""

    def __init__(
        self,
        store: GraphStore,
        loaded: Loaded,
        known: Releases,
        tallies: Tallies | None,
        track_known: bool,
    ) -> None:
        self.store, self.loaded, self.known, self.tallies = store, loaded, known, tallies
        self.track_known = track_known  # keep ``known`` current (for the build index)

    def add(self, r: ReleaseOutcome) -> None:
        store, touched = self.store, self.loaded.touched
        if r.release_id in self.known:
            touched.update(store.mentioned_entities(r.graph_iri))
            if self.tallies is not None:
                add_tally(self.tallies, graph_tally(store, r.graph_iri), -1)
        store.replace_graph(r.graph_iri, r.nquads or "")
        touched.update(r.entities)
        if self.tallies is not None:
            add_tally(self.tallies, r.tally)
        if self.track_known:
            entry = store.release_file(r.graph_iri)
            if entry is not None:
                self.known[r.release_id] = entry

    def finish(self) -> None:
        pass

    def close(self) -> None:
        pass


def load_outcomes(
    outcomes: Iterable[SourceOutcome], loader: BulkLoader | IncrementalLoader, plan: Plan
) -> Loaded:
    """Write what the workers give; problems and reports are gathered, and every release
    found is added to ``plan.seen``."""
    loaded = loader.loaded
    load_seconds = work_seconds = validate_seconds = 0.0
    try:
        for outcome in outcomes:
            work_seconds += outcome.seconds
            validate_seconds += outcome.validate_seconds
            if outcome.problem is not None:
                loaded.problems.append(outcome.problem)
                # a file that cannot be read keeps what the store had for it
                plan.seen.update(plan.by_file.get(Path(outcome.path).name, {}))
                continue
            loaded.problems.extend(outcome.record_problems)
            if all(r.problem is None for r in outcome.releases) and not outcome.record_problems:
                loaded.clean_files.add(Path(outcome.path).name)
            for r in outcome.releases:
                if _accept(r, loaded, plan):
                    t = time.perf_counter()
                    loader.add(r)
                    load_seconds += time.perf_counter() - t
            pause.point("extract")
        t = time.perf_counter()
        loader.finish()
        load_seconds += time.perf_counter() - t
    finally:
        loader.close()
    loaded.timings.update(load=load_seconds, worker_cpu=work_seconds)
    loaded.timings["worker_validate"] = validate_seconds
    return loaded


def _accept(r: ReleaseOutcome, loaded: Loaded, plan: Plan) -> bool:
    """Count one release read; whether it is to be written (it has no problem)."""
    plan.seen.add(r.release_id)
    if r.report is not None:
        loaded.reports[r.release_id] = r.report
    if r.problem is not None:
        loaded.problems.append(r.problem)
        if r.problem.stage != "extract":
            loaded.extracted += 1
        return False
    loaded.extracted += 1
    loaded.loaded_ids.add(r.release_id)
    return True


def prune(
    store: GraphStore,
    graphs: dict[str, str],
    seen: set[str],
    known: Releases,
    touched: set[str],
    tallies: Tallies | None,
) -> int:
    """Remove the release graphs (``graphs``: release id -> graph IRI) not ``seen``, with
    the facts only they supported; their actors go into ``touched``. Returns how many."""
    removed = 0
    for release_id, graph_iri in graphs.items():
        if release_id not in seen:
            touched.update(store.mentioned_entities(graph_iri))
            if tallies is not None:
                add_tally(tallies, graph_tally(store, graph_iri), -1)
            if store.remove_graph(graph_iri):
                removed += 1
            known.pop(release_id, None)
    return removed
