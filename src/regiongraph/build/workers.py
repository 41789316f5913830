"""Reading, extracting, assembling and validating release files, in worker processes or
in this one: :func:`outcomes` gives a :class:`SourceOutcome` per file, in input order.

Each worker loads the extractor, reference labels and SHACL shapes once, in its
initializer. Files go out in chunks and come back as N-Quads text with the entity IRIs
and any problem: small, picklable records, so memory does not grow with the corpus. A
chunk's graphs are validated together (``validate.store.validate_ntriples``).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import select
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import XSD, Graph, Literal

from regiongraph import ingest
from regiongraph.build.config import BULK_RELEASES_MAX, BuildConfig
from regiongraph.graph.assemble import release_ntriples, to_nquads
from regiongraph.graph.canonical import release_rows
from regiongraph.graph.reference import build_reference_graph
from regiongraph.ingest.registry import SourceFile
from regiongraph.records import BuildProblem, Extraction, Release
from regiongraph.validate.screen import ShaclScreen
from regiongraph.vocab import IriMinter

if TYPE_CHECKING:  # extract (spaCy) and validate (pyshacl) are imported when a file is read
    from regiongraph.validate.shapes import ValidationReport

# Up to this many changed files the build reads them in this process: starting worker
# processes (imports, extractor, shapes) costs more than reading a handful of releases.
INLINE_MAX_FILES = 8
CHUNK_SIZE = 64  # release files per task sent to a worker (validated together)


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


# A release as read: its extraction and the index of its graph text, or its problem.
_Read = tuple[Release, tuple[Extraction, int] | None, BuildProblem | None]


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
        texts: list[str] = []  # the release graphs as N-Triples
        staged = [self._read(source, texts) for source in sources]
        t_validate = time.perf_counter()
        reports: list[ValidationReport] = []
        if self.shapes is not None and self.screen is not None:
            from regiongraph.validate.store import validate_ntriples

            reports = validate_ntriples(texts, self.shapes, self.screen)
        validate_seconds = time.perf_counter() - t_validate
        per_file = (time.perf_counter() - started) / max(len(sources), 1)
        return [
            SourceOutcome(
                str(source.path),
                tuple(self._outcome(item, texts, reports) for item in items),
                problem,
                per_file,
                validate_seconds / max(len(sources), 1),
                failed,
            )
            for source, items, problem, failed in staged
        ]

    def _read(
        self, source: SourceFile, texts: list[str]
    ) -> tuple[SourceFile, list[_Read], BuildProblem | None, tuple[BuildProblem, ...]]:
        """One file's releases extracted and assembled (graph texts appended to ``texts``);
        the problem of the file, or else those of single releases in it (a bad JSONL line)."""
        items: list[_Read] = []
        try:
            read = ingest.read_file(source)
        except ingest.IngestError as exc:
            return source, items, BuildProblem(str(source.path), "ingest", str(exc)), ()
        failed = tuple(ingest.problem_of(source, error) for error in read.problems)
        for doc in read.documents:
            release = doc.release
            try:
                extraction = self.extractor.extract(doc)
            except Exception as exc:  # one bad release must not stop the build
                items.append((release, None, BuildProblem(str(release.path), "extract", str(exc))))
                continue
            items.append((release, (extraction, len(texts)), None))
            texts.append(release_ntriples(extraction, self.minter, self.labels))
        return source, items, None, failed

    def _outcome(
        self, item: _Read, texts: list[str], reports: list[ValidationReport]
    ) -> ReleaseOutcome:
        release, made, problem = item
        graph_iri = str(self.minter.release_graph(release.id))
        path = str(release.path)
        if made is None:
            return ReleaseOutcome(release.id, path, graph_iri, None, (), None, problem)
        extraction, index = made
        report = reports[index] if reports else None
        entities = tuple(e.iri for e in extraction.entities)
        if report is not None and not report.conforms:
            bad = BuildProblem(path, "validate", report.format_text(max_per_shape=3))
            return ReleaseOutcome(release.id, path, graph_iri, None, entities, report, bad)
        text = texts[index]
        tally, forms = release_rows(text)
        own, shared = self._split_shared(text, entities)
        nquads = to_nquads(text, graph_iri)
        return ReleaseOutcome(
            release.id, path, graph_iri, nquads, entities, report, None, own, tally, forms, shared
        )

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


def _init_worker(data_dir: Path, base: str, validate: bool, build_pid: int) -> None:
    global _processor
    die_with(build_pid)
    _processor = ReleaseProcessor(data_dir, base, validate)


def die_with(pid: int) -> None:
    """End this process as soon as process ``pid`` (the build) ends, however it ends.

    A killed build would otherwise leave its workers (about 300 MB each) waiting on their
    task queue forever: each holds both ends of that queue, so it never reads an end of
    file, and the forkserver and resource tracker live as long as a worker does. A thread
    waits on a pidfd of the build (Linux); where there is none, it asks every second.
    """
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)  # the build ended before the worker started
    except (AttributeError, OSError):
        fd = None

    def wait() -> None:
        if fd is not None:
            select.select([fd], [], [])
        else:
            while _alive(pid):
                time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=wait, name="die-with-build", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _process_chunk(sources: list[SourceFile]) -> list[SourceOutcome]:
    assert _processor is not None, "worker not initialised"
    return _processor.process(sources)


def chunks(items: Iterable[SourceFile], size: int = CHUNK_SIZE) -> Iterator[list[SourceFile]]:
    chunk: list[SourceFile] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class PoolOutcomes:
    """Outcomes in input order, computed by ``workers`` processes.

    The workers start, and get their first chunks, when this is made: the build loads the
    static graphs while they load spaCy, the gazetteer and the shapes (about 2 s).
    Enough chunks are in flight to cover one bulk load of the main process (up to
    ``BULK_RELEASES_MAX`` releases) and two more per worker: with two in flight per
    worker, the workers ran out of work and waited while the main process loaded each batch.
    """

    def __init__(self, work: Iterable[list[SourceFile]], config: BuildConfig, workers: int) -> None:
        self.in_flight = -(-BULK_RELEASES_MAX // CHUNK_SIZE) + 2 * workers
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(
            ["regiongraph.build.workers", "regiongraph.extract", "regiongraph.validate.store"]
        )
        self.pool = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(config.data_dir, config.base, config.validate, os.getpid()),
        )
        self.chunks = iter(work)
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
    work: Iterable[list[SourceFile]], config: BuildConfig, digest: str
) -> Iterator[SourceOutcome]:
    global _inline
    key = (str(config.data_dir), config.base, config.validate, digest)
    for chunk in work:
        if _inline is None or _inline[0] != key:
            _inline = (key, ReleaseProcessor(config.data_dir, config.base, config.validate))
        yield from _inline[1].process(chunk)


def outcomes(
    sources: Iterable[SourceFile], files: int, config: BuildConfig, digest: str
) -> Iterable[SourceOutcome]:
    """The outcomes of reading ``sources`` (``files`` of them): in this process for a
    handful of files or ``workers=1``, else in a pool that starts working now.
    ``digest`` (:func:`static.extractor_digest`) keys the in-process extractor."""
    workers = max(1, config.workers or os.cpu_count() or 1)
    if workers == 1 or files <= INLINE_MAX_FILES:
        return _outcomes_inline(chunks(sources), config, digest)  # extractor loaded on demand
    return PoolOutcomes(chunks(sources), config, min(workers, -(-files // CHUNK_SIZE)))


def close(work: Iterable[SourceOutcome]) -> None:
    """Stop the workers of ``work`` if it is a pool (when the build stops before reading it)."""
    if isinstance(work, PoolOutcomes):
        work.close()
