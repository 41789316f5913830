"""The build: releases -> documents -> extractions -> validated release graphs -> store.

Stages are plain functions named for what they make; this module only wires them:
ingest (``regiongraph.ingest``), extract (``regiongraph.extract``), assemble
(``regiongraph.assemble``), validate (``regiongraph.validate_store``, batched SHACL),
store (``regiongraph.store``), canonical actors (``regiongraph.canonical``). A release
that cannot be read or does not validate is named in the summary with the reason, and the
store keeps what it had for it.

How a build runs:

1. **Discover and compare.** Release files are listed and hashed (bytes only, nothing
   parsed). A file whose releases are in the store with the same sha256 is not read again
   (unless ``force``).
2. **Read, extract, assemble, validate** the other files in worker processes
   (``workers``; each worker loads the extractor, reference labels and SHACL shapes once,
   in its initializer). Files go out in chunks, at most two chunks per worker in flight,
   and come back, in input order, as N-Quads text with the entity IRIs and any problem:
   small, picklable records, so memory does not grow with the corpus. A chunk's graphs
   are validated together (``validate_store.validate_graphs``).
3. **Load.** Into an empty store (no release graph yet): in bulk, release graphs and
   their triples in the default graph. Otherwise each changed release replaces its named
   graph in one transaction (``GraphStore.replace_graph``); ``prune`` removes the
   releases whose files are gone, with the facts only they supported.
4. **Canonical actors.** Rebuilt in one pass after a bulk load; after an incremental
   build only the actors that the changed or removed releases mention are re-described.
"""

from __future__ import annotations

import hashlib
import inspect
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal

from regiongraph import ingest
from regiongraph.assemble import build_release_graph, to_nquads
from regiongraph.canonical import rebuild_actors, update_actors
from regiongraph.extract import Extractor
from regiongraph.ingest.registry import SourceFile
from regiongraph.records import BuildProblem, BuildSummary, Document, Extraction
from regiongraph.reference_graph import build_reference_graph
from regiongraph.store import GraphStore
from regiongraph.validate import ValidationReport, load_ontology, load_shapes, ontology_dir
from regiongraph.validate_store import validate_graphs
from regiongraph.vocab import RG, IriMinter

Progress = Callable[[str], None]

# Up to this many changed files the build reads them in this process: starting worker
# processes (imports, extractor, shapes) costs more than reading a handful of releases.
INLINE_MAX_FILES = 8
CHUNK_SIZE = 16  # release files per task sent to a worker (and per SHACL batch)
BULK_RELEASES = 1_000  # releases per bulk-load call on a clean build


@dataclass
class BuildConfig:
    data_dir: Path
    store_path: Path | None
    build_dir: Path
    base: str
    validate: bool = True
    prune: bool = False  # drop releases whose files are gone (full builds of a folder)
    force: bool = False  # re-read releases even when their content is unchanged
    workers: int | None = field(default_factory=os.cpu_count)  # processes; 1 = in-process


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
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase


def reference_labels(reference_graph: Graph) -> dict[str, Literal]:
    """IRI -> the exact label literal of each reference actor (language tag included)."""
    from rdflib import RDFS

    return {str(s): o for s, o in reference_graph.subject_objects(RDFS.label)}


def read_all(paths: Iterable[Path], problems: list[BuildProblem]) -> list[Document]:
    docs: list[Document] = []
    for source in ingest.discover(paths, problems=problems):
        try:
            docs.extend(ingest.read_documents(source))
        except ingest.IngestError as exc:
            problems.append(BuildProblem(str(source.path), "ingest", str(exc)))
    return docs


def skolemized(graph: Graph, graph_iri: str) -> Graph:
    """Blank nodes replaced by stable IRIs (from the canonical labelling of the graph), so
    the same ontology always gives the same quads in the store."""
    from rdflib import BNode, URIRef
    from rdflib.compare import to_canonical_graph

    canonical = to_canonical_graph(graph)
    out = Graph()

    def fix(term):
        return URIRef(f"{graph_iri}/.well-known/genid/{term}") if isinstance(term, BNode) else term

    for s, p, o in canonical:
        out.add((fix(s), p, fix(o)))
    return out


def load_static_graphs(store: GraphStore, minter: IriMinter, reference: Graph) -> bool:
    """Ontology and reference graphs, replaced only when their content changed.

    Returns whether either graph was replaced.
    """
    changed = False
    for name, graph in (("ontology", load_ontology()), ("reference", reference)):
        iri = str(minter.graph(name))
        graph = skolemized(graph, iri)
        nquads = to_nquads(graph, iri)
        digest = hashlib.sha256(nquads.encode("utf-8")).hexdigest()
        marker = f"{iri}#sha256={digest}"
        if _has_marker(store, marker):  # the digest of exactly this content
            continue
        store.replace_graph(iri, nquads + f'<{marker}> <{RG.sha256}> "{digest}" <{iri}> .\n')
        changed = True
    return changed


def static_inputs_digest(config: BuildConfig) -> str:
    """sha256 over what the static graphs are made from: the ontology file, the reference
    data files, the base IRI and the code that turns them into graphs."""
    from regiongraph import reference_graph, validate, vocab
    from regiongraph.resolve import reference as reference_data

    h = hashlib.sha256(config.base.encode("utf-8"))
    files = [ontology_dir() / "regiongraph.ttl"]
    files += sorted(p for p in (config.data_dir / "reference").rglob("*") if p.is_file())
    files += [Path(inspect.getfile(m)) for m in (reference_graph, reference_data, vocab, validate)]
    files.append(Path(__file__))
    for path in files:
        h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def ensure_static_graphs(store: GraphStore, minter: IriMinter, config: BuildConfig) -> bool:
    """Load the ontology and reference graphs unless the store has them from the same
    inputs (checked by :func:`static_inputs_digest`, without building them). Returns
    whether either graph changed."""
    digest = static_inputs_digest(config)
    iri = str(minter.graph("reference"))
    marker = f"{iri}#inputs"
    if _has_marker(store, marker, digest):
        return False
    from regiongraph.resolve.reference import load_reference

    reference = build_reference_graph(load_reference(config.data_dir / "reference"), minter)
    changed = load_static_graphs(store, minter, reference)
    store.replace_subjects(iri, [marker], f'<{marker}> <{RG.sha256}> "{digest}" <{iri}> .\n')
    return changed


def extractor_digest(config: BuildConfig) -> str:
    """sha256 over everything that decides what a release graph holds: rule files,
    reference data, curation, shapes and the code of ingest, extract, resolve and assemble.
    When it changes, unchanged release files must be read again."""
    import regiongraph

    root = Path(inspect.getfile(regiongraph)).parent
    files = sorted(p for p in (config.data_dir / "rules").rglob("*") if p.is_file())
    files += sorted(p for p in (config.data_dir / "reference").rglob("*") if p.is_file())
    files += [config.data_dir / "curation.yaml", ontology_dir() / "shapes.ttl"]
    for package in ("ingest", "extract", "resolve"):
        files += sorted((root / package).rglob("*.py"))
    files += [root / name for name in ("assemble.py", "records.py", "vocab.py", "validate.py")]
    h = hashlib.sha256(config.base.encode("utf-8"))
    for path in files:
        if path.exists():
            h.update(str(path.relative_to(path.parents[1])).encode("utf-8") + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _extractor_marker(minter: IriMinter) -> tuple[str, str]:
    iri = str(minter.graph("reference"))
    return iri, f"{iri}#extractor"


def _has_marker(store: GraphStore, marker: str, value: str | None = None) -> bool:
    obj = ox.Literal(value) if value is not None else None
    return any(True for _ in store.store.quads_for_pattern(ox.NamedNode(marker), None, obj, None))


# -- the work done per release file (in a worker process, or inline) -----------------------


@dataclass(frozen=True)
class ReleaseOutcome:
    """One release read from a file: its graph as N-Quads, or the problem that stopped it."""

    release_id: str
    path: str
    graph_iri: str
    nquads: str | None  # None when the release failed
    entities: tuple[str, ...]  # IRIs the release mentions
    report: ValidationReport | None
    problem: BuildProblem | None


@dataclass(frozen=True)
class SourceOutcome:
    """What became of one release file (a file may hold several releases)."""

    path: str
    releases: tuple[ReleaseOutcome, ...]
    problem: BuildProblem | None  # the file could not be read
    seconds: float  # processing time, for the build's timings
    validate_seconds: float


class ReleaseProcessor:
    """Reads, extracts, assembles and validates release files: the per-worker state."""

    def __init__(self, data_dir: Path, base: str, validate: bool) -> None:
        self.minter = IriMinter(base)
        self.extractor = Extractor.from_data_dir(data_dir, self.minter)
        self.labels = reference_labels(build_reference_graph(self.extractor.reference, self.minter))
        self.shapes = load_shapes() if validate else None

    def process(self, sources: list[SourceFile]) -> list[SourceOutcome]:
        """Outcomes in input order; a chunk's graphs are validated in one batch."""
        started = time.perf_counter()
        staged: list[tuple[SourceFile, list, BuildProblem | None]] = []
        graphs: list[Graph] = []
        for source in sources:
            items: list = []
            try:
                docs = ingest.read_documents(source)
            except ingest.IngestError as exc:
                staged.append((source, items, BuildProblem(str(source.path), "ingest", str(exc))))
                continue
            for doc in docs:
                release = doc.release
                try:
                    extraction = self.extractor.extract(doc)
                except Exception as exc:  # one bad release must not stop the build
                    items.append(
                        (release, None, BuildProblem(str(release.path), "extract", str(exc)))
                    )
                    continue
                graph = build_release_graph(extraction, self.minter, self.labels)
                items.append((release, (extraction, graph, len(graphs)), None))
                graphs.append(graph)
            staged.append((source, items, None))
        t_validate = time.perf_counter()
        reports = validate_graphs(graphs, self.shapes) if self.shapes is not None else []
        validate_seconds = time.perf_counter() - t_validate
        per_file = (time.perf_counter() - started) / max(len(sources), 1)
        out = []
        for source, items, problem in staged:
            releases = []
            for release, made, release_problem in items:
                graph_iri = str(self.minter.release_graph(release.id))
                if made is None:
                    releases.append(
                        ReleaseOutcome(
                            release.id,
                            str(release.path),
                            graph_iri,
                            None,
                            (),
                            None,
                            release_problem,
                        )
                    )
                    continue
                extraction, graph, index = made
                report = reports[index] if reports else None
                entities = tuple(e.iri for e in extraction.entities)
                if report is not None and not report.conforms:
                    text = report.format_text(max_per_shape=3)
                    bad = BuildProblem(str(release.path), "validate", text)
                    releases.append(
                        ReleaseOutcome(
                            release.id, str(release.path), graph_iri, None, entities, report, bad
                        )
                    )
                    continue
                nquads = to_nquads(graph, graph_iri)
                releases.append(
                    ReleaseOutcome(
                        release.id, str(release.path), graph_iri, nquads, entities, report, None
                    )
                )
            out.append(
                SourceOutcome(
                    str(source.path),
                    tuple(releases),
                    problem,
                    per_file,
                    validate_seconds / max(len(sources), 1),
                )
            )
        return out


_processor: ReleaseProcessor | None = None  # one per worker process, made by the initializer


def _init_worker(data_dir: Path, base: str, validate: bool) -> None:
    global _processor
    _processor = ReleaseProcessor(data_dir, base, validate)


def _process_chunk(sources: list[SourceFile]) -> list[SourceOutcome]:
    assert _processor is not None, "worker not initialised"
    return _processor.process(sources)


def _chunks(items: Iterable[SourceFile], size: int) -> Iterator[list[SourceFile]]:
    chunk: list[SourceFile] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _outcomes_in_pool(
    chunks: Iterable[list[SourceFile]], config: BuildConfig, workers: int
) -> Iterator[SourceOutcome]:
    """Outcomes in input order, computed by ``workers`` processes, 2 chunks each in flight."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["regiongraph.pipeline"])
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(config.data_dir, config.base, config.validate),
    ) as pool:
        pending: deque[Future] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_process_chunk, chunk))
            while len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _outcomes_inline(
    chunks: Iterable[list[SourceFile]], config: BuildConfig
) -> Iterator[SourceOutcome]:
    processor: ReleaseProcessor | None = None
    for chunk in chunks:
        processor = processor or ReleaseProcessor(config.data_dir, config.base, config.validate)
        yield from processor.process(chunk)


# -- the build ------------------------------------------------------------------------------


def _file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader will name the problem


def build(
    paths: list[Path],
    config: BuildConfig,
    progress: Progress | None = None,
    step: Callable[[Iterable], Iterable] | None = None,
) -> BuildResult:
    """Read the releases under ``paths`` into the store; returns the summary.

    ``step`` wraps the iteration over the release files (``SourceFile`` records, one per
    file, unchanged ones included) and may advance a progress bar per item; ``progress``
    is told the name of each phase as it starts.
    """
    say = progress or (lambda message: None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    started = clock

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now

    minter = IriMinter(config.base)
    store = GraphStore(config.store_path, minter)
    say("static graphs")
    static_changed = ensure_static_graphs(store, minter, config)
    lap("static_graphs")

    marker_graph, marker = _extractor_marker(minter)
    digest = extractor_digest(config)
    if not _has_marker(store, marker, digest) and store.release_files():
        # rules, reference data or code changed: every release must be read again
        config = replace(config, force=True)

    say("discover")
    problems: list[BuildProblem] = []
    sources = ingest.discover(paths, problems=problems)
    known = store.release_files()
    by_file: dict[str, dict[str, str]] = {}
    for release_id, (file_name, sha) in known.items():
        if file_name is not None:
            by_file.setdefault(file_name, {})[release_id] = sha
    seen: set[str] = set()
    unchanged: set[Path] = set()
    skipped = 0
    for source in sources:
        mine = by_file.get(source.path.name, {})
        if config.force or not mine:
            continue
        sha = _file_sha256(source.path)
        if sha is not None and all(v == sha for v in mine.values()):
            unchanged.add(source.path)
            seen.update(mine)
            skipped += len(mine)
    todo = [s for s in sources if s.path not in unchanged]
    lap("discover")

    bulk = not known
    workers = max(1, config.workers or os.cpu_count() or 1)
    say("extract" if not bulk else "extract and bulk load")

    def to_read() -> Iterator[SourceFile]:
        for source in (step or (lambda x: x))(sources):
            if source.path not in unchanged:
                yield source

    chunks = _chunks(to_read(), CHUNK_SIZE)
    if workers == 1 or len(todo) <= INLINE_MAX_FILES:
        outcomes = _outcomes_inline(chunks, config)
    else:
        outcomes = _outcomes_in_pool(chunks, config, min(workers, -(-len(todo) // CHUNK_SIZE)))

    reports: dict[str, ValidationReport] = {}
    touched: set[str] = set()
    extracted = loaded = 0
    buffer: list[str] = []
    load_seconds = work_seconds = validate_seconds = 0.0
    for outcome in outcomes:
        work_seconds += outcome.seconds
        validate_seconds += outcome.validate_seconds
        if outcome.problem is not None:
            problems.append(outcome.problem)
            # a file that cannot be read keeps what the store had for it
            seen.update(by_file.get(Path(outcome.path).name, {}))
            continue
        for r in outcome.releases:
            seen.add(r.release_id)
            if r.report is not None:
                reports[r.release_id] = r.report
            if r.problem is not None:
                problems.append(r.problem)
                if r.problem.stage != "extract":
                    extracted += 1
                continue
            extracted += 1
            loaded += 1
            t = time.perf_counter()
            if bulk:
                buffer.append(r.nquads or "")
                if len(buffer) >= BULK_RELEASES:
                    store.bulk_add_graphs("".join(buffer))
                    buffer.clear()
            else:
                if r.release_id in known:
                    touched.update(store.mentioned_entities(r.graph_iri))
                store.replace_graph(r.graph_iri, r.nquads or "")
                touched.update(r.entities)
            load_seconds += time.perf_counter() - t
    t = time.perf_counter()
    store.bulk_add_graphs("".join(buffer))
    buffer.clear()
    load_seconds += time.perf_counter() - t
    lap("extract_and_load")
    timings["load"] = load_seconds
    timings["worker_cpu"] = work_seconds
    timings["worker_validate"] = validate_seconds

    removed = 0
    if config.prune:
        say("prune")
        for release_id, graph_iri in store.release_graphs().items():
            if release_id not in seen:
                touched.update(store.mentioned_entities(graph_iri))
                if store.remove_graph(graph_iri):
                    removed += 1
    lap("prune")

    say("canonical actors")
    actors_iri = str(minter.graph("actors"))
    full_actors = (
        bulk
        or config.force
        or static_changed
        or not store.store.contains_named_graph(ox.NamedNode(actors_iri))
    )
    if full_actors:
        rebuild_actors(store, minter)
        actors_updated = -1
    else:
        actors_updated = update_actors(store, minter, touched)
    lap("actors")
    store.replace_subjects(
        marker_graph, [marker], f'<{marker}> <{RG.sha256}> "{digest}" <{marker_graph}> .\n'
    )
    store.flush()

    say("summary")
    summary = BuildSummary(
        releases_read=loaded + skipped,
        releases_failed=len({p.path for p in problems}),
        entities=count_entities(store),
        relations=count_statements(store),
        triples=store.count(),
        quads=store.quad_count(),
        conforms=not any(p.stage == "validate" for p in problems),
        problems=tuple(problems),
    )
    lap("summary")
    timings["total"] = time.perf_counter() - started
    return BuildResult(
        summary,
        store,
        reports,
        skipped=skipped,
        extracted=extracted,
        loaded=loaded,
        removed=removed,
        actors_updated=actors_updated,
        bulk=bulk,
        timings=timings,
    )


def extract_documents(
    paths: list[Path], data_dir: Path, base: str, problems: list[BuildProblem]
) -> Iterable[Extraction]:
    """Extractions for the releases under ``paths``, in input order (for ``extract``)."""
    extractor = Extractor.from_data_dir(data_dir, IriMinter(base))
    for doc in read_all(paths, problems):
        try:
            yield extractor.extract(doc)
        except Exception as exc:
            problems.append(BuildProblem(str(doc.release.path), "extract", str(exc)))


def count_entities(store: GraphStore) -> int:
    q = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?r <https://schema.org/mentions> ?e }"
    return int(next(iter(store.query(q)))["n"].value)


def count_statements(store: GraphStore) -> int:
    q = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RG.evidence}> ?e }}"
    return int(next(iter(store.query(q)))["n"].value)
