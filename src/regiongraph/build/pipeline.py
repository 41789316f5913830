"""The build: releases -> documents -> extractions -> validated release graphs -> store.

:func:`build` runs the phases, one module each in this package; a release that cannot be
read or does not validate is named in the summary with the reason, and the store keeps
what it had for it.

1. **Target** (:mod:`.target`): open the store and its build index; when the rules,
   reference data or code changed (or ``force``) every release is read again, and an
   on-disk store is then rebuilt in bulk beside the old one (:mod:`.swap`).
2. **Plan** (:mod:`.plan`): list the release files and find those the store holds
   unchanged (nothing parsed).
3. **Extract** (:mod:`.workers`): read, extract, assemble and validate the other files,
   in worker processes, while this process loads the static graphs (:mod:`.static`).
4. **Load** (:mod:`.load`): into an empty or rebuilt store in bulk, else release by
   release, each replacing its graph in one transaction; ``prune`` removes the releases
   whose files are gone. A rebuilt store then takes the old one's place.
5. **Actors** (:mod:`.actors`): the canonical actors graph, rebuilt or updated for the
   actors the changed releases mention.
6. **Finish** (:mod:`.finish`): the summary's counts and the build index for the next build.

The build index lives only beside the store, never in it, so an incremental build gives
exactly the quads of a clean build.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from regiongraph import ingest
from regiongraph.build import actors, finish, pause, workers
from regiongraph.build.config import BuildConfig, BuildResult, Progress
from regiongraph.build.index import BuildIndex
from regiongraph.build.load import BulkLoader, IncrementalLoader, Loaded, load_outcomes, prune
from regiongraph.build.plan import Plan, Step, plan_build
from regiongraph.build.static import ensure_static_graphs, mark_extractor
from regiongraph.build.swap import copy_graphs, swap_in
from regiongraph.build.target import Target, open_target
from regiongraph.graph import guard
from regiongraph.graph.canonical import Tallies
from regiongraph.records import BuildProblem, BuildSummary, Document, Extraction
from regiongraph.vocab import IriMinter

__all__ = ["BuildConfig", "BuildIndex", "BuildResult", "build", "extract_documents", "read_all"]


class _Clock:
    """Seconds per phase, for ``BuildResult.timings``."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.timings: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


def build(
    paths: list[Path],
    config: BuildConfig,
    progress: Progress | None = None,
    step: Step | None = None,
) -> BuildResult:
    """Read the releases under ``paths`` into the store; returns the summary.

    ``step`` wraps the iteration over the release files (``SourceFile`` records, one per
    file, unchanged ones included) and may advance a progress bar per item; ``progress``
    is told the name of each phase as it starts.
    """
    with guard.BuildLock(config.store_path):
        return _build(paths, config, progress or (lambda message: None), step)


def _build(paths: list[Path], config: BuildConfig, say: Progress, step: Step | None) -> BuildResult:
    clock = _Clock()
    target = open_target(config)
    guard.begin(config.store_path, target.mode)  # before the first write
    clock.lap("open")
    say("discover")
    force, max_bytes = target.config.force, target.config.max_file_size
    plan = plan_build(paths, target.known, target.index, force, max_bytes)
    clock.lap("discover")
    work = workers.outcomes(plan.to_read(step), plan.todo, target.config, target.digest)
    clock.lap("start_workers")
    say("static graphs")  # while the workers start
    static_changed = _static_graphs(target, work)
    clock.lap("static_graphs")
    say("extract and bulk load" if target.bulk else "extract")
    tallies = target.index.tallies if target.index is not None and not target.bulk else None
    loaded = load_outcomes(work, _loader(target, tallies), plan)
    if target.rebuilt:
        _swap(target, plan, loaded)
    clock.lap("extract_and_load")
    removed = _prune(target, plan, loaded, tallies, say)
    clock.lap("prune")
    pause.point("actors")
    say("canonical actors")
    full = target.bulk or target.config.force or static_changed or target.repair
    actors_updated, tallies = actors.describe(
        target.store,
        target.minter,
        full=full,
        touched=loaded.touched,
        tallies=tallies,
        gathered=loaded.gathered,
        keep_tallies=target.keep_index,
    )
    clock.lap("actors")
    _seal(target, say)
    clock.lap("optimize")
    say("summary")
    counts = finish.totals(target.store, target.index, target.rebuilt)
    summary = _summary(plan, loaded, counts, removed)
    clock.lap("summary")
    if target.keep_index:
        _write_index(target, plan, loaded, counts, tallies)
    guard.end(config.store_path)  # the store is whole
    clock.lap("index")
    timings = clock.timings | loaded.timings
    timings["total"] = time.perf_counter() - clock.started
    return BuildResult(
        summary,
        target.store,
        loaded.reports,
        skipped=plan.skipped,
        extracted=loaded.extracted,
        loaded=loaded.loaded,
        removed=removed,
        actors_updated=actors_updated,
        bulk=target.bulk,
        timings=timings,
        hashed=plan.hashed,
        indexed=target.index is not None,
        found=frozenset(plan.seen),
    )


def _static_graphs(target: Target, work: Iterable) -> bool:
    """The ontology and reference graphs (in the old store and the rebuilt one); whether
    they changed. The workers are stopped if this fails."""
    try:
        if target.old_store is not None:
            changed = ensure_static_graphs(target.old_store, target.minter, target.config)
            ensure_static_graphs(target.store, target.minter, target.config)
            return changed
        return ensure_static_graphs(target.store, target.minter, target.config)
    except BaseException:
        workers.close(work)
        raise


def _loader(target: Target, tallies: Tallies | None) -> BulkLoader | IncrementalLoader:
    loaded = Loaded()
    if target.bulk:
        return BulkLoader(target.store, loaded)
    track = target.index is not None  # keep the index's release list current
    return IncrementalLoader(target.store, loaded, target.known, tallies, track)


def _swap(target: Target, plan: Plan, loaded: Loaded) -> None:
    """Copy the releases this build did not load (failed now, or not named and not
    pruned) from the old store, and put the rebuilt store in its place."""
    assert target.old_store is not None and target.config.store_path is not None
    config = target.config
    kept = [
        rid
        for rid in target.known
        if rid not in loaded.loaded_ids and (rid in plan.seen or not config.may_remove(rid))
    ]
    graphs = [str(target.minter.release_graph(rid)) for rid in kept]
    copy_graphs(target.old_store, target.store, graphs)
    if kept:
        loaded.gathered = None  # graphs not read by this build: actors are found by queries
    target.store = swap_in(target.old_store, target.store, target.config.store_path, target.minter)


def _prune(
    target: Target, plan: Plan, loaded: Loaded, tallies: Tallies | None, say: Progress
) -> int:
    """With ``prune``: remove the releases whose files were not found; how many."""
    config = target.config
    if not config.prune:
        return 0
    if target.rebuilt:  # what was not seen was not copied over
        return sum(1 for rid in target.known if rid not in plan.seen and config.may_remove(rid))
    say("prune")
    store, minter = target.store, target.minter
    if target.index is not None:
        graphs = {rid: str(minter.release_graph(rid)) for rid in target.known}
    else:
        graphs = store.release_graphs()
    graphs = {rid: g for rid, g in graphs.items() if config.may_remove(rid)}
    return prune(store, graphs, plan.seen, target.known, loaded.touched, tallies)


def _seal(target: Target, say: Progress) -> None:
    """Record the extractor the releases were built with, flush, and compact the store
    after a bulk load."""
    mark_extractor(target.store, target.minter, target.digest)
    target.store.flush()
    if target.bulk and target.store.path is not None:
        say("compacting the store")
        target.store.optimize()


def _summary(plan: Plan, loaded: Loaded, counts: dict[str, int], removed: int) -> BuildSummary:
    problems = plan.problems + loaded.problems
    return BuildSummary(
        releases_unchanged=plan.skipped,
        releases_changed=loaded.loaded,
        releases_removed=removed,
        releases_read=loaded.loaded + plan.skipped,
        releases_failed=len({p.path for p in problems}),
        entities=counts["entities"],
        relations=counts["relations"],
        triples=counts["triples"],
        quads=counts["quads"],
        conforms=not any(p.stage == "validate" for p in problems),
        problems=tuple(problems),
    )


def _write_index(
    target: Target, plan: Plan, loaded: Loaded, counts: dict[str, int], tallies: Tallies | None
) -> None:
    store = target.store
    known = target.known
    if target.bulk or target.index is None:
        known = store.release_files()  # once, to start the index
    if tallies is None:
        tallies = actors.all_tallies(store, target.minter)
    # the row each file's graphs were built with, for the files this build did not read
    index = target.index
    old_sources = index.sources if index is not None and not target.rebuilt else {}
    finish.write_index(
        store, target.config.base, plan, known, loaded.clean_files, counts, tallies, old_sources
    )


def read_all(
    paths: Iterable[Path],
    problems: list[BuildProblem],
    max_bytes: int | None = ingest.DEFAULT_MAX_FILE_BYTES,
) -> list[Document]:
    """The Documents under ``paths``; what could not be read (a file, or single releases
    of it such as a bad JSON Lines line) goes to ``problems``."""
    docs: list[Document] = []
    for source in ingest.discover(paths, problems=problems, max_bytes=max_bytes):
        try:
            read = ingest.read_file(source)
        except ingest.IngestError as exc:
            problems.append(BuildProblem(str(source.path), "ingest", str(exc)))
            continue
        problems.extend(ingest.problem_of(source, error) for error in read.problems)
        docs.extend(read.documents)
    return docs


def extract_documents(
    paths: list[Path],
    data_dir: Path,
    base: str,
    problems: list[BuildProblem],
    max_bytes: int | None = ingest.DEFAULT_MAX_FILE_BYTES,
) -> Iterable[Extraction]:
    """Extractions for the releases under ``paths``, in input order (for ``extract``)."""
    from regiongraph.extract import Extractor

    extractor = Extractor.from_data_dir(data_dir, IriMinter(base))
    for doc in read_all(paths, problems, max_bytes):
        try:
            yield extractor.extract(doc)
        except Exception as exc:
            problems.append(BuildProblem(str(doc.release.path), "extract", str(exc)))
