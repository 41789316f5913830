"""The build: releases -> documents -> extractions -> validated release graphs -> store.

Stages are plain functions named for what they make; this module only wires them:
ingest (``regiongraph.ingest``), extract (``regiongraph.extract``), assemble
(``regiongraph.assemble``), validate (``regiongraph.validate``), store
(``regiongraph.store``). A release that cannot be read or does not validate is named in
the summary with the reason, and the store keeps what it had for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal

from regiongraph import ingest
from regiongraph.assemble import build_release_graph, release_graph_record, to_nquads
from regiongraph.canonical import build_actors_graph
from regiongraph.extract import Extractor
from regiongraph.records import BuildProblem, BuildSummary, Document, Extraction
from regiongraph.reference_graph import build_reference_graph
from regiongraph.store import GraphStore
from regiongraph.validate import ValidationReport, load_ontology, load_shapes, validate_graph
from regiongraph.vocab import RG, IriMinter

Progress = Callable[[str], None]


@dataclass
class BuildConfig:
    data_dir: Path
    store_path: Path | None
    build_dir: Path
    base: str
    validate: bool = True
    prune: bool = False  # drop releases whose files are gone (full builds of a folder)
    force: bool = False  # re-read releases even when their content is unchanged


@dataclass
class BuildResult:
    summary: BuildSummary
    store: GraphStore
    reports: dict[str, ValidationReport] = field(default_factory=dict)


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


def load_static_graphs(store: GraphStore, minter: IriMinter, reference: Graph) -> None:
    """Ontology and reference graphs, replaced only when their content changed."""
    for name, graph in (("ontology", load_ontology()), ("reference", reference)):
        iri = str(minter.graph(name))
        graph = skolemized(graph, iri)
        nquads = to_nquads(graph, iri)
        digest = hashlib.sha256(nquads.encode("utf-8")).hexdigest()
        marker = f"{iri}#sha256={digest}"
        if store.count(iri) == len(graph) and _has_marker(store, marker):
            continue
        store.replace_graph(iri, nquads + f'<{marker}> <{RG.sha256}> "{digest}" <{iri}> .\n')


def _has_marker(store: GraphStore, marker: str) -> bool:
    import pyoxigraph as ox

    return any(True for _ in store.store.quads_for_pattern(ox.NamedNode(marker), None, None, None))


def build(
    paths: list[Path],
    config: BuildConfig,
    progress: Progress | None = None,
    step: Callable[[Iterable], Iterable] | None = None,
) -> BuildResult:
    """Read the releases under ``paths`` into the store; returns the summary."""
    minter = IriMinter(config.base)
    store = GraphStore(config.store_path, minter)
    extractor = Extractor.from_data_dir(config.data_dir, minter)
    reference = build_reference_graph(extractor.reference, minter)
    labels = reference_labels(reference)
    shapes = load_shapes() if config.validate else None
    load_static_graphs(store, minter, reference)
    problems: list[BuildProblem] = []
    docs = read_all(paths, problems)
    known = store.release_hashes()
    seen: set[str] = set()
    reports: dict[str, ValidationReport] = {}
    read = 0
    entities: set[str] = set()
    relations = 0
    for doc in (step or (lambda x: x))(docs):
        release = doc.release
        seen.add(release.id)
        if not config.force and known.get(release.id) == release.sha256:
            read += 1
            continue
        try:
            extraction = extractor.extract(doc)
        except Exception as exc:  # one bad release must not stop the build
            problems.append(BuildProblem(str(release.path), "extract", str(exc)))
            continue
        graph = build_release_graph(extraction, minter, labels)
        if shapes is not None:
            report = validate_graph(graph, shapes)
            reports[release.id] = report
            if not report.conforms:
                problems.append(
                    BuildProblem(str(release.path), "validate", report.format_text(max_per_shape=3))
                )
                continue
        record = release_graph_record(extraction, graph, minter)
        store.replace_graph(record.graph_iri, record.nquads)
        read += 1
        entities.update(e.iri for e in extraction.entities)
        relations += len(extraction.relations)
    if config.prune:
        for release_id, graph_iri in store.release_graphs().items():
            if release_id not in seen:
                store.remove_graph(graph_iri)
    store.replace_graph(
        str(minter.graph("actors")),
        to_nquads(build_actors_graph(store, minter), str(minter.graph("actors"))),
    )
    store.flush()
    summary = BuildSummary(
        releases_read=read,
        releases_failed=len({p.path for p in problems}),
        entities=count_entities(store),
        relations=count_statements(store),
        triples=store.count(),
        quads=store.quad_count(),
        conforms=not any(p.stage == "validate" for p in problems),
        problems=tuple(problems),
    )
    return BuildResult(summary, store, reports)


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
