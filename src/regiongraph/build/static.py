"""The ontology and reference graphs, and the digests that say when the store's graphs
are out of date: :func:`ensure_static_graphs` and :func:`extractor_digest`."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from rdflib import Graph

from regiongraph.build.config import BuildConfig
from regiongraph.graph.assemble import to_nquads
from regiongraph.graph.reference import build_reference_graph
from regiongraph.graph.store import GraphStore
from regiongraph.paths import ontology_dir
from regiongraph.vocab import IriMinter


def skolemized(graph: Graph, genid: str) -> Graph:
    """Blank nodes replaced by stable IRIs under ``genid`` (the authority's
    ``/.well-known/genid/`` prefix, RDF 1.1 §3.5), named from the canonical labelling of
    the graph, so the same ontology always gives the same quads in the store."""
    from rdflib import BNode, URIRef
    from rdflib.compare import to_canonical_graph

    canonical = to_canonical_graph(graph)
    out = Graph()

    def fix(term):
        return URIRef(f"{genid}{term}") if isinstance(term, BNode) else term

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
        graph = skolemized(graph, f"{minter.base}/.well-known/genid/{name}-")
        nquads = to_nquads(graph, iri)
        digest = hashlib.sha256(nquads.encode("utf-8")).hexdigest()
        if store.marker(f"{name}-content") == digest:  # exactly this content
            continue
        store.replace_graph(iri, nquads)
        store.set_marker(f"{name}-content", digest)
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
    if store.marker("static-inputs") == digest:
        return False
    from regiongraph.resolve.reference import load_reference

    reference = build_reference_graph(load_reference(config.data_dir / "reference"), minter)
    changed = load_static_graphs(store, minter, reference)
    store.set_marker("static-inputs", digest)
    return changed


def extractor_digest(config: BuildConfig) -> str:
    """sha256 over everything that decides what a release graph holds: rule files, the
    trained models and their thresholds, reference data, curation, shapes and the code of
    ingest, extract, resolve and assemble.
    When it changes, unchanged release files must be read again."""
    root = Path(__file__).resolve().parents[1]
    files = sorted(p for p in (config.data_dir / "rules").rglob("*") if p.is_file())
    files += sorted(p for p in (config.data_dir / "reference").rglob("*") if p.is_file())
    files += sorted(p for p in (config.data_dir / "models").rglob("*") if p.is_file())
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


def has_current_extractor(store: GraphStore, minter: IriMinter, digest: str) -> bool:
    """Whether the store's release graphs were built with ``digest`` (the bookkeeping
    graph, outside the data, holds it: ``GraphStore.marker``)."""
    return store.marker("extractor") == digest


def mark_extractor(store: GraphStore, minter: IriMinter, digest: str) -> None:
    """Record that the release graphs were built with ``digest``."""
    store.set_marker("extractor", digest)


def _module_file(name: str) -> Path:
    """The source file of a module, found without importing it."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None, name
    return Path(spec.origin)
