"""The build: releases -> documents -> extractions -> validated release graphs -> store.

Stages are plain functions named for what they make; this module only wires them:
ingest (``regiongraph.ingest``), extract (``regiongraph.extract``), assemble
(``regiongraph.graph.assemble``), validate (``regiongraph.validate.store``, batched SHACL),
store (``regiongraph.graph.store``), canonical actors (``regiongraph.graph.canonical``). A release
that cannot be read or does not validate is named in the summary with the reason, and the
store keeps what it had for it.

How a build runs:

1. **Discover and compare.** Release files are listed and compared with what the store
   holds (nothing parsed). A file whose releases are in the store with the same sha256 is
   not read again (unless ``force``). The sidecar build index (:class:`BuildIndex`, a
   JSON file next to the store) remembers each file's size, mtime and sha256: a file
   whose size and mtime match is not even hashed. A file whose SOURCES.csv row (which
   gives its date, address and publisher) changed since its graphs were built is read
   again too.
2. **Read, extract, assemble, validate** the other files in worker processes
   (``workers``; each worker loads the extractor, reference labels and SHACL shapes once,
   in its initializer). Files go out in chunks, at most two chunks per worker in flight,
   and come back, in input order, as N-Quads text with the entity IRIs and any problem:
   small, picklable records, so memory does not grow with the corpus. A chunk's graphs
   are validated together (``validate_store.validate_graphs``).
3. **Load.** Into an empty store (no release graph yet): in bulk, release graphs and
   their triples in the default graph. Otherwise each changed release replaces its named
   graph in one transaction (``GraphStore.replace_graph``); ``prune`` removes the
   releases whose files are gone, with the facts only they supported. When every release
   is read again (``force``, or the rules, reference data or extraction code changed),
   an on-disk store is rebuilt in bulk beside the old one (``<store>.rebuild``), the
   graphs of releases that now fail (or whose files a build without ``prune`` did not
   name) are copied over from the old store, and the new store takes the old one's place
   (:func:`swap_in`): replacing 10,000 graphs one by one took 459 s, a bulk rebuild takes
   about as long as a clean build.
4. **Canonical actors.** Rebuilt in one pass after a bulk load; after an incremental
   build only the actors that the changed or removed releases mention are re-described,
   from per-actor label/type tallies kept in the build index.
5. **Summary.** Entity, relation, triple and quad counts are kept in the build index and
   moved by the changes the store measured while writing (``GraphStore.deltas``); they
   are counted afresh only when there is no valid index (a clean build, a store written
   by something else) or after a bulk load.

The build index lives only beside the store, never in it, so an incremental build gives
exactly the quads of a clean build. It is trusted only for the store it was written for
(RocksDB's ``IDENTITY``), and ``GraphStore`` deletes it on its first write, so a build
that stops half-way, or any other writer, leaves no stale index behind.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import multiprocessing
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import XSD, Graph, Literal

from regiongraph import ingest
from regiongraph.graph.assemble import release_ntriples, to_nquads
from regiongraph.graph.canonical import (
    Tallies,
    add_tally,
    graph_tally,
    rebuild_actors,
    release_rows,
    tallies_from_json,
    tallies_to_json,
    update_actors,
)
from regiongraph.ingest.registry import SourceFile
from regiongraph.paths import ontology_dir
from regiongraph.records import BuildProblem, BuildSummary, Document, Extraction
from regiongraph.graph.reference import build_reference_graph
from regiongraph.validate.screen import ShaclScreen
from regiongraph.graph.store import BulkSpool, GraphStore
from regiongraph.vocab import RG, IriMinter

if TYPE_CHECKING:  # extract (spaCy) and validate (pyshacl) are imported when a file is read
    from regiongraph.validate.shapes import ValidationReport

Progress = Callable[[str], None]

# Up to this many changed files the build reads them in this process: starting worker
# processes (imports, extractor, shapes) costs more than reading a handful of releases.
INLINE_MAX_FILES = 8
CHUNK_SIZE = 64  # release files per task sent to a worker (validated together)
BULK_RELEASES = 1_000  # releases per bulk-load call on a clean build, at first …
BULK_RELEASES_MAX = 4_000  # … and at most, once the store is large (see _bulk_size)


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
    max_file_size: int | None = ingest.DEFAULT_MAX_FILE_BYTES  # bytes; a larger file fails


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


def reference_labels(reference_graph: Graph) -> dict[str, ox.Literal]:
    """IRI -> the exact label literal of each reference actor (language tag included)."""
    from rdflib import RDFS

    return {
        str(s): ox.Literal(str(o), language=o.language)
        if o.language
        else ox.Literal(str(o), datatype=ox.NamedNode(str(o.datatype or XSD.string)))
        for s, o in reference_graph.subject_objects(RDFS.label)
        if isinstance(o, Literal)
    }


def read_all(
    paths: Iterable[Path],
    problems: list[BuildProblem],
    max_bytes: int | None = ingest.DEFAULT_MAX_FILE_BYTES,
) -> list[Document]:
    docs: list[Document] = []
    for source in ingest.discover(paths, problems=problems, max_bytes=max_bytes):
        docs.extend(read_source(source, problems))
    return docs


def read_source(source: SourceFile, problems: list[BuildProblem]) -> tuple[Document, ...]:
    """The Documents of one file; what could not be read (the file, or single releases of
    it such as a bad JSON Lines line) goes to ``problems``."""
    try:
        read = ingest.read_file(source)
    except ingest.IngestError as exc:
        problems.append(BuildProblem(str(source.path), "ingest", str(exc)))
        return ()
    problems.extend(ingest.problem_of(source, error) for error in read.problems)
    return read.documents


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
    from regiongraph.validate.shapes import load_ontology

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
    h = hashlib.sha256(config.base.encode("utf-8"))
    files = [ontology_dir() / "regiongraph.ttl"]
    files += sorted(p for p in (config.data_dir / "reference").rglob("*") if p.is_file())
    files += [
        _module_file(m)
        for m in (
            "regiongraph.graph.reference",
            "regiongraph.resolve.reference",
            "regiongraph.vocab",
            "regiongraph.validate.shapes",
        )
    ]
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
    root = Path(__file__).resolve().parents[1]
    files = sorted(p for p in (config.data_dir / "rules").rglob("*") if p.is_file())
    files += sorted(p for p in (config.data_dir / "reference").rglob("*") if p.is_file())
    files += [config.data_dir / "curation.yaml", ontology_dir() / "shapes.ttl"]
    for package in ("ingest", "extract", "resolve"):
        files += sorted((root / package).rglob("*.py"))
    files += [
        root / name
        for name in ("graph/assemble.py", "records.py", "vocab.py", "validate/shapes.py")
    ]
    h = hashlib.sha256(config.base.encode("utf-8"))
    for path in files:
        if path.exists():
            h.update(str(path.relative_to(path.parents[1])).encode("utf-8") + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _module_file(name: str) -> Path:
    """The source file of a module, found without importing it."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None, name
    return Path(spec.origin)


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
    # The same triples as N-Triples (None when the release failed), for the default graph
    # of a bulk load: the worker has them already, and deriving them from the N-Quads cost
    # the main process 2.5 s at 10k. Split in two: the lines about this release, and the
    # lines about the actors, projects and rules it mentions, which many releases repeat
    # word for word (a quarter of all lines at 100,000 releases): a bulk load writes each
    # of those once.
    ntriples: str | None = None
    # What the graph gives the canonical actors (``canonical.release_rows``).
    tally: frozenset[tuple[str, str, str]] = frozenset()
    forms: frozenset[tuple[str, str]] = frozenset()
    shared_lines: tuple[str, ...] = ()  # see ntriples


@dataclass(frozen=True)
class SourceOutcome:
    """What became of one release file (a file may hold several releases)."""

    path: str
    releases: tuple[ReleaseOutcome, ...]
    problem: BuildProblem | None  # the file could not be read
    seconds: float  # processing time, for the build's timings
    validate_seconds: float
    record_problems: tuple[BuildProblem, ...] = ()  # single releases of the file that failed


class ReleaseProcessor:
    """Reads, extracts, assembles and validates release files: the per-worker state."""

    def __init__(self, data_dir: Path, base: str, validate: bool) -> None:
        from regiongraph.extract import Extractor
        from regiongraph.validate.shapes import load_shapes

        self.minter = IriMinter(base)
        self._rule_prefix = f"<{self.minter.rule('')}"  # N-Triples subject of every rule
        self.extractor = Extractor.from_data_dir(data_dir, self.minter)
        self.labels = reference_labels(build_reference_graph(self.extractor.reference, self.minter))
        self.shapes = load_shapes() if validate else None
        self.screen = ShaclScreen.from_graph(self.shapes) if self.shapes is not None else None

    def process(self, sources: list[SourceFile]) -> list[SourceOutcome]:
        """Outcomes in input order; a chunk's graphs are validated in one batch."""
        started = time.perf_counter()
        staged: list[tuple[SourceFile, list, BuildProblem | None]] = []
        texts: list[str] = []  # the release graphs as N-Triples
        record_problems: dict[Path, tuple[BuildProblem, ...]] = {}  # single releases failed
        for source in sources:
            items: list = []
            try:
                read = ingest.read_file(source)
            except ingest.IngestError as exc:
                staged.append((source, items, BuildProblem(str(source.path), "ingest", str(exc))))
                continue
            docs = read.documents
            failed = tuple(ingest.problem_of(source, e) for e in read.problems)
            record_problems[source.path] = failed
            for doc in docs:
                release = doc.release
                try:
                    extraction = self.extractor.extract(doc)
                except Exception as exc:  # one bad release must not stop the build
                    items.append(
                        (release, None, BuildProblem(str(release.path), "extract", str(exc)))
                    )
                    continue
                items.append((release, (extraction, len(texts)), None))
                texts.append(release_ntriples(extraction, self.minter, self.labels))
            staged.append((source, items, None))
        t_validate = time.perf_counter()
        if self.shapes is not None and self.screen is not None:
            from regiongraph.validate.store import validate_ntriples

            reports = validate_ntriples(texts, self.shapes, self.screen)
        else:
            reports = []
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
                extraction, index = made
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
                nquads = to_nquads(texts[index], graph_iri)
                tally, forms = release_rows(texts[index])
                own, shared = self._split_shared(texts[index], entities)
                releases.append(
                    ReleaseOutcome(
                        release.id,
                        str(release.path),
                        graph_iri,
                        nquads,
                        entities,
                        report,
                        None,
                        own,
                        tally,
                        forms,
                        shared,
                    )
                )
            out.append(
                SourceOutcome(
                    str(source.path),
                    tuple(releases),
                    problem,
                    per_file,
                    validate_seconds / max(len(sources), 1),
                    record_problems.get(source.path, ()),
                )
            )
        return out

    def _split_shared(
        self, ntriples: str, entities: tuple[str, ...]
    ) -> tuple[str, tuple[str, ...]]:
        """The lines of a release graph about the release itself, and those whose subject
        is an entity or a rule it mentions (see ``ReleaseOutcome.shared_lines``)."""
        subjects = {f"<{iri}>" for iri in entities}
        own: list[str] = []
        shared: list[str] = []
        for line in ntriples.splitlines(keepends=True):
            subject = line[: line.find(" ")]
            if subject in subjects or subject.startswith(self._rule_prefix):
                shared.append(line)
            else:
                own.append(line)
        return "".join(own), tuple(shared)


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


def _bulk_size(loaded: int) -> int:
    """Releases per bulk load when ``loaded`` releases are in the store.

    Each load adds files that overlap what RocksDB holds, and the compactions that follow
    rewrite more the larger the store: once it is large, fewer and larger loads cost less
    (100,000 releases, loads of 4,000 in one loader call instead of 1,000 in two: main
    process 547 → 422 CPU-s, build 729 → 656 s). The first loads stay small because the
    last load runs after the workers have finished, and up to 10,000 releases loads of
    1,000 were the fastest.
    """
    return min(BULK_RELEASES_MAX, max(BULK_RELEASES, loaded // 10))


class _PoolOutcomes:
    """Outcomes in input order, computed by ``workers`` processes.

    The workers start, and get their first chunks, when this is made: the build loads the
    static graphs while they load spaCy, the gazetteer and the shapes (about 2 s).
    Enough chunks are in flight to cover one bulk load of the main process (up to
    ``BULK_RELEASES_MAX`` releases) and two more per worker: with two in flight per worker,
    the workers ran out of work and waited while the main process loaded each batch.
    """

    def __init__(
        self, chunks: Iterable[list[SourceFile]], config: BuildConfig, workers: int
    ) -> None:
        self.in_flight = -(-BULK_RELEASES_MAX // CHUNK_SIZE) + 2 * workers
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(
            ["regiongraph.build.pipeline", "regiongraph.extract", "regiongraph.validate.store"]
        )
        self.pool = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(config.data_dir, config.base, config.validate),
        )
        self.chunks = iter(chunks)
        self.pending: deque[Future] = deque(
            self.pool.submit(_process_chunk, chunk)
            for chunk in itertools.islice(self.chunks, self.in_flight)
        )

    def __iter__(self) -> Iterator[SourceOutcome]:
        with self.pool:
            for chunk in self.chunks:
                self.pending.append(self.pool.submit(_process_chunk, chunk))
                while len(self.pending) >= self.in_flight:
                    yield from self.pending.popleft().result()
            while self.pending:
                yield from self.pending.popleft().result()

    def close(self) -> None:
        """Stop the workers (when the build fails before reading the outcomes)."""
        self.pool.shutdown(wait=True, cancel_futures=True)


# The processor of the last in-process build, kept for the next one while the rules,
# reference data and code are unchanged: a long-lived process (``build --watch``, or a
# program calling ``build`` again) then reads one new release in milliseconds instead of
# loading spaCy, the gazetteer and the shapes again (about 2 s).
_inline: tuple[tuple, ReleaseProcessor] | None = None


def _outcomes_inline(
    chunks: Iterable[list[SourceFile]], config: BuildConfig, digest: str
) -> Iterator[SourceOutcome]:
    global _inline
    key = (str(config.data_dir), config.base, config.validate, digest)
    for chunk in chunks:
        if _inline is None or _inline[0] != key:
            _inline = (key, ReleaseProcessor(config.data_dir, config.base, config.validate))
        yield from _inline[1].process(chunk)


# -- the build ------------------------------------------------------------------------------


def _file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader will name the problem


# -- the build index (a sidecar file next to the store, never in it) ------------------------

INDEX_VERSION = 2
RACY_NS = 2_000_000_000  # a file changed this close to its stat may change again unseen


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

    releases: dict[str, tuple[str | None, str]]
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


def _release_file(store: GraphStore, graph_iri: str) -> tuple[str | None, str] | None:
    """(file name, sha256) recorded in a release graph, as ``GraphStore.release_files``."""
    graph = ox.NamedNode(graph_iri)
    sha_p, file_p = ox.NamedNode(str(RG.sha256)), ox.NamedNode(str(RG.fileName))
    for q in store.store.quads_for_pattern(None, sha_p, None, graph):
        name = next(store.store.quads_for_pattern(q.subject, file_p, None, graph), None)
        return (name.object.value if name is not None else None, q.object.value)
    return None


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


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
    if config.store_path is not None:
        restore_interrupted_swap(config.store_path)
    store = GraphStore(config.store_path, minter)
    index = BuildIndex.load(store, config.base)  # before any write (which deletes it)
    lap("open")

    marker_graph, marker = _extractor_marker(minter)
    digest = extractor_digest(config)
    known = dict(index.releases) if index is not None else store.release_files()
    if not _has_marker(store, marker, digest) and known:
        # rules, reference data or code changed: every release must be read again
        config = replace(config, force=True)
    old_store: GraphStore | None = None
    if config.force and known and config.store_path is not None:
        # every release is read again: load them in bulk into a new store beside this one
        old_store, store = store, GraphStore(rebuild_path(config.store_path), minter)

    say("discover")
    problems: list[BuildProblem] = []
    sources = ingest.discover(paths, problems=problems, max_bytes=config.max_file_size)
    by_file: dict[str, dict[str, str]] = {}
    for release_id, (file_name, sha) in known.items():
        if file_name is not None:
            by_file.setdefault(file_name, {})[release_id] = sha
    stat_time = time.time_ns()
    stats: dict[str, tuple[str, int, int]] = {}  # file name -> (path, size, mtime_ns)
    file_sha: dict[str, str] = {}  # file name -> sha256 of unchanged files
    seen: set[str] = set()
    unchanged: set[Path] = set()
    skipped = hashed = 0
    digests: dict[str, str] = {}  # file name -> digest of its SOURCES.csv row now
    for source in sources:
        stat = _stat(source.path)
        if stat is not None:
            stats[source.path.name] = (str(source.path), *stat)
        digests[source.path.name] = source_digest(source)
        mine = owned(source, by_file.get(source.path.name, {}))
        if config.force or not mine:
            continue
        built_with = index.sources.get(source.path.name) if index is not None else None
        if built_with is not None and built_with != digests[source.path.name]:
            continue  # its SOURCES.csv row changed: read it again
        cached = index.files.get(source.path.name) if index is not None else None
        if (
            cached is not None
            and stat is not None
            and cached == (str(source.path), *stat, cached[3])
        ):
            sha: str | None = cached[3]
        else:
            sha = _file_sha256(source.path)
            hashed += 1
        if sha is not None and all(v == sha for v in mine.values()):
            unchanged.add(source.path)
            file_sha[source.path.name] = sha
            seen.update(mine)
            skipped += len(mine)
    todo = [s for s in sources if s.path not in unchanged]
    lap("discover")

    bulk = not known or old_store is not None
    tallies: Tallies | None = index.tallies if index is not None and not bulk else None
    workers = max(1, config.workers or os.cpu_count() or 1)

    def to_read() -> Iterator[SourceFile]:
        for source in (step or (lambda x: x))(sources):
            if source.path not in unchanged:
                yield source

    chunks = _chunks(to_read(), CHUNK_SIZE)
    outcomes: Iterable[SourceOutcome]
    if workers == 1 or len(todo) <= INLINE_MAX_FILES:
        outcomes = _outcomes_inline(chunks, config, digest)  # extractor loaded on demand
    else:
        outcomes = _PoolOutcomes(chunks, config, min(workers, -(-len(todo) // CHUNK_SIZE)))
    lap("start_workers")
    say("static graphs")  # while the workers start
    try:
        if old_store is not None:  # rebuilt in bulk: the old store's, then the new one's
            static_changed = ensure_static_graphs(old_store, minter, config)
            ensure_static_graphs(store, minter, config)
        else:
            static_changed = ensure_static_graphs(store, minter, config)
    except BaseException:
        if isinstance(outcomes, _PoolOutcomes):
            outcomes.close()
        raise
    lap("static_graphs")
    say("extract" if not bulk else "extract and bulk load")

    reports: dict[str, ValidationReport] = {}
    touched: set[str] = set()
    clean_files: set[str] = set()  # files read in full, every release loaded
    extracted = loaded = 0
    loaded_ids: set[str] = set()
    shared_loaded: set[str] = set()  # lines many releases repeat, loaded once (bulk)
    # a bulk load gathers the canonical actors' tallies and surface forms as it goes
    gathered: tuple[Tallies, dict[str, set[str]]] | None = ({}, {}) if bulk else None
    load_seconds = work_seconds = validate_seconds = 0.0
    with BulkSpool(store) as spool:
        for outcome in outcomes:
            work_seconds += outcome.seconds
            validate_seconds += outcome.validate_seconds
            if outcome.problem is not None:
                problems.append(outcome.problem)
                # a file that cannot be read keeps what the store had for it
                seen.update(by_file.get(Path(outcome.path).name, {}))
                continue
            problems.extend(outcome.record_problems)
            if all(r.problem is None for r in outcome.releases) and not outcome.record_problems:
                clean_files.add(Path(outcome.path).name)
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
                loaded_ids.add(r.release_id)
                t = time.perf_counter()
                if bulk:
                    fresh = [line for line in r.shared_lines if line not in shared_loaded]
                    shared_loaded.update(fresh)
                    spool.add(r.nquads or "", r.ntriples or "", *fresh)
                    if gathered is not None:
                        add_tally(gathered[0], r.tally)
                        for e, form in r.forms:
                            gathered[1].setdefault(e, set()).add(form)
                    if spool.releases >= _bulk_size(loaded):
                        spool.load()
                else:
                    if r.release_id in known:
                        touched.update(store.mentioned_entities(r.graph_iri))
                        if tallies is not None:
                            add_tally(tallies, graph_tally(store, r.graph_iri), -1)
                    store.replace_graph(r.graph_iri, r.nquads or "")
                    touched.update(r.entities)
                    if tallies is not None:
                        add_tally(tallies, r.tally)
                load_seconds += time.perf_counter() - t
                if index is not None and not bulk:  # keep the index's release list current
                    entry = _release_file(store, r.graph_iri)
                    if entry is not None:
                        known[r.release_id] = entry
        t = time.perf_counter()
        spool.load()
    if old_store is not None:
        kept = [rid for rid in known if rid not in loaded_ids and (rid in seen or not config.prune)]
        copy_graphs(old_store, store, [str(minter.release_graph(rid)) for rid in kept])
        if kept:
            gathered = None  # graphs not read by this build: the actors are found by queries
        store = swap_in(old_store, store, config.store_path, minter)
    load_seconds += time.perf_counter() - t
    lap("extract_and_load")
    timings["load"] = load_seconds
    timings["worker_cpu"] = work_seconds
    timings["worker_validate"] = validate_seconds

    removed = 0
    if config.prune and old_store is not None:  # rebuilt: what was not seen is not there
        removed = sum(1 for rid in known if rid not in seen)
    elif config.prune:
        say("prune")
        if index is not None:
            graphs = {rid: str(minter.release_graph(rid)) for rid in known}
        else:
            graphs = store.release_graphs()
        for release_id, graph_iri in graphs.items():
            if release_id not in seen:
                touched.update(store.mentioned_entities(graph_iri))
                if tallies is not None:
                    add_tally(tallies, graph_tally(store, graph_iri), -1)
                if store.remove_graph(graph_iri):
                    removed += 1
                known.pop(release_id, None)
    lap("prune")

    say("canonical actors")
    actors_iri = str(minter.graph("actors"))
    full_actors = (
        bulk
        or config.force
        or static_changed
        or not store.store.contains_named_graph(ox.NamedNode(actors_iri))
    )
    keep_index = config.store_path is not None and store.identity() is not None
    if full_actors:
        fresh: Tallies = {}
        rebuild_actors(store, minter, fresh if keep_index else None, gathered)
        tallies = fresh
        actors_updated = -1
    else:
        actors_updated = update_actors(store, minter, touched, tallies)
    lap("actors")
    store.replace_subjects(
        marker_graph, [marker], f'<{marker}> <{RG.sha256}> "{digest}" <{marker_graph}> .\n'
    )
    store.flush()
    if bulk and store.path is not None:
        say("compacting the store")
        store.optimize()
    lap("optimize")

    say("summary")
    if index is not None and not store.untracked and old_store is None:
        totals = {k: index.totals[k] + store.deltas[k] for k in index.totals}
    else:
        totals = {
            "entities": count_entities(store),
            "relations": count_statements(store),
            "triples": store.count(),
            "quads": store.quad_count(),
        }
    summary = BuildSummary(
        releases_read=loaded + skipped,
        releases_failed=len({p.path for p in problems}),
        entities=totals["entities"],
        relations=totals["relations"],
        triples=totals["triples"],
        quads=totals["quads"],
        conforms=not any(p.stage == "validate" for p in problems),
        problems=tuple(problems),
    )
    lap("summary")
    if keep_index:
        if bulk or index is None:
            known = store.release_files()  # once, to start the index
        if tallies is None:
            tallies = {}
            describe_all_tallies(store, minter, tallies)
        files: dict[str, tuple[str, int, int, str]] = {}
        by_file = {}
        for release_id, (file_name, sha) in known.items():
            if file_name is not None:
                by_file.setdefault(file_name, {})[release_id] = sha
        for name, (path, size, mtime_ns) in stats.items():
            shas = set(by_file.get(name, {}).values())
            if len(shas) != 1 or mtime_ns > stat_time - RACY_NS:
                continue  # hashed again next time
            if name in file_sha or name in clean_files:
                sha = shas.pop()
                if file_sha.get(name, sha) == sha:
                    files[name] = (path, size, mtime_ns, sha)
        # the row each file's graphs were built with: the new one where they were (re)built
        old_sources = index.sources if index is not None and old_store is None else {}
        built = {f for f in by_file if f in file_sha or f in clean_files}
        sources_now = {f: digests[f] for f in built if f in digests}
        sources_now |= {f: d for f, d in old_sources.items() if f in by_file and f not in built}
        BuildIndex(known, files, totals, tallies, sources_now).save(store, config.base)
        store.index_written()
    lap("index")
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
        hashed=hashed,
        indexed=index is not None,
    )


def owned(source: SourceFile, releases: dict[str, str]) -> dict[str, str]:
    """The releases (id -> sha256) recorded for a file's name that are this file's: files
    of one name in two folders have ids of their own (``ingest.identity``), and a file
    whose id changed must be read again."""
    return {rid: sha for rid, sha in releases.items() if source.owns(rid)}


def source_digest(source: SourceFile) -> str:
    """A digest of what SOURCES.csv says about a file (``""`` when it says nothing)."""
    meta = source.meta
    if meta is None:
        return ""
    fields = (meta.file, meta.source, meta.date, meta.publisher, meta.language)
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()


def rebuild_path(store_path: Path) -> Path:
    """A new, empty folder beside ``store_path`` for a store rebuilt in bulk."""
    path = store_path.with_name(store_path.name + ".rebuild")
    shutil.rmtree(path, ignore_errors=True)  # left by a rebuild that did not finish
    return path


def _retired_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".old")


def copy_graphs(source: GraphStore, target: GraphStore, graph_iris: list[str]) -> None:
    """Copy named graphs (and their triples in the default graph) into ``target``, in bulk."""
    for start in range(0, len(graph_iris), BULK_RELEASES):
        quads = [
            q
            for g in graph_iris[start : start + BULK_RELEASES]
            for q in source.store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        ]
        if quads:
            target.bulk_add_graphs(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode())


def swap_in(old: GraphStore, new: GraphStore, store_path: Path, minter: IriMinter) -> GraphStore:
    """Put the rebuilt store ``new`` in the place of ``old``; the store there, opened.

    The old folder is renamed aside first and deleted last, so a build stopped half-way
    leaves one whole store (:func:`restore_interrupted_swap` puts it back).
    """
    assert new.path is not None
    old.close()
    new.close()
    retired = _retired_path(store_path)
    shutil.rmtree(retired, ignore_errors=True)
    store_path.rename(retired)
    new.path.rename(store_path)
    index = old.index_path
    if index is not None:
        index.unlink(missing_ok=True)  # it describes the old store
    shutil.rmtree(retired)
    store = GraphStore(store_path, minter)
    store.untracked = True  # counted afresh, not moved from the old index's totals
    return store


def restore_interrupted_swap(store_path: Path) -> None:
    """If a build stopped between moving the old store aside and the new one in, move the
    old one back (the rebuild is then done again)."""
    retired = _retired_path(store_path)
    if retired.is_dir() and not store_path.exists():
        retired.rename(store_path)


def describe_all_tallies(store: GraphStore, minter: IriMinter, out: Tallies) -> None:
    """Fill ``out`` with the label/type tallies of every actor (one pass over the store)."""
    from regiongraph.graph.canonical import describe_actors

    describe_actors(store, minter, tallies_out=out)


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


def count_entities(store: GraphStore) -> int:
    q = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?r <https://schema.org/mentions> ?e }"
    return int(next(iter(store.query(q)))["n"].value)


def count_statements(store: GraphStore) -> int:
    q = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RG.evidence}> ?e }}"
    return int(next(iter(store.query(q)))["n"].value)
