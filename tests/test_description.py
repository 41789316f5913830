"""The published description and the data behind it, checked with standard tools.

- the dataset description (``void.ttl``) against the DCAT-AP 3.0.0 SHACL shapes, kept in
  ``tests/fixtures/dcat-ap`` (source and licence in its README);
- the VoID counts against the dumps they describe, counted from the files;
- the union graph with the ontology: SHACL with RDFS inference gives what it gives without,
  the build's bookkeeping stays out of the data, every property used is declared.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDFS

from regiongraph.publish.dumps import export
from regiongraph.validate.shapes import load_ontology, load_shapes

DCAT_AP = Path(__file__).parent / "fixtures" / "dcat-ap"
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
BASE = "https://w3id.org/regiongraph"
DATASET = URIRef(f"{BASE}/dataset")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"


@pytest.fixture(scope="module")
def exported(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("published")
    export(store, out, endpoint="http://127.0.0.1:8000/sparql")
    return out


@pytest.fixture(scope="module")
def description(exported) -> Graph:
    return Graph().parse(exported / "void.ttl", format="turtle")


def dcat_ap_shapes(name: str) -> Graph:
    """One DCAT-AP shapes file. A few property shapes in the published files are empty
    (``sh:property [ ]``: no path, no constraint); pyshacl refuses them as ill-formed
    (SHACL §2.3.1 wants exactly one sh:path), so they are left out: they check nothing."""
    g = Graph().parse(DCAT_AP / name, format="turtle")
    for shape, prop in list(g.subject_objects(SH.property)):
        if not list(g.predicate_objects(prop)):
            g.remove((shape, SH.property, prop))
    return g


def shacl_results(data: Graph, shapes: Graph, **kwargs) -> list[tuple[str, ...]]:
    """Every SHACL result as (severity, focus node, path, source shape, message), sorted."""
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, **kwargs)
    rows = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        rows.append(
            (
                str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                str(report.value(r, SH.focusNode)),
                str(report.value(r, SH.resultPath)),
                # blank-node shapes get new labels per run: name them by their path
                str(shape) if isinstance(shape, URIRef) else "property shape",
                str(report.value(r, SH.resultMessage)),
            )
        )
    return sorted(rows)


# -- DCAT-AP 3.0.0 ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["shapes.ttl", "range.ttl"])
def test_description_passes_the_dcat_ap_shapes(description, name):
    assert shacl_results(description, dcat_ap_shapes(name)) == []


def test_recommended_dcat_ap_shapes_give_no_warning(description):
    assert shacl_results(description, dcat_ap_shapes("shapes_recommended.ttl")) == []


def test_dcat_ap_shapes_catch_what_the_issue_reported(description):
    """The checks above can fail: the old description's faults are violations again."""
    broken = Graph()
    for t in description:
        broken.add(t)
    dist = next(description.subjects(DCAT.downloadURL, None))
    broken.remove((dist, DCAT.accessURL, None))
    broken.remove((dist, DCAT.mediaType, None))
    broken.add((dist, DCAT.mediaType, Literal("text/turtle")))
    broken.remove((DATASET, DCTERMS.publisher, None))
    broken.add((DATASET, DCTERMS.publisher, Literal("regiongraph developers")))
    mandatory = {r[2] for r in shacl_results(broken, dcat_ap_shapes("shapes.ttl"))}
    ranges = {r[2] for r in shacl_results(broken, dcat_ap_shapes("range.ttl"))}
    assert str(DCAT.accessURL) in mandatory
    assert {str(DCAT.mediaType), str(DCTERMS.publisher)} <= ranges


def test_description_uses_the_controlled_vocabularies(description):
    dists = set(description.objects(DATASET, DCAT.distribution))
    assert len(dists) == 6  # five dumps and the SPARQL endpoint
    for dist in dists:
        assert description.value(dist, DCAT.accessURL) is not None
        assert str(description.value(dist, DCAT.mediaType)).startswith(IANA)
        assert str(description.value(dist, DCTERMS.format)).startswith(EU + "file-type/")
    publisher = description.value(DATASET, DCTERMS.publisher)
    assert isinstance(publisher, URIRef)
    assert (publisher, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Agent")) in description
    assert str(description.value(DATASET, DCTERMS.accessRights)).startswith(EU + "access-right/")
    contact = description.value(DATASET, DCAT.contactPoint)
    vcard = Namespace("http://www.w3.org/2006/vcard/ns#")
    assert (contact, RDF.type, vcard.Organization) in description
    assert description.value(contact, vcard.hasEmail) is None
    assert description.value(contact, vcard.hasTelephone) is None


def test_temporal_coverage_spans_the_release_dates(description, store):
    rows = store.store.query(
        "PREFIX rg: <https://w3id.org/regiongraph/ontology#> "
        "SELECT ?d WHERE { ?r a rg:PressRelease ; <http://purl.org/dc/terms/issued> ?d }"
    )
    dates = sorted(r["d"].value for r in rows if len(r["d"].value) == 10)
    period = description.value(DATASET, DCTERMS.temporal)
    assert str(description.value(period, DCAT.startDate)) == dates[0]
    assert str(description.value(period, DCAT.endDate)) == dates[-1]


# -- VoID counts are those of the dumps --------------------------------------------------


def count_triples(triples) -> dict[str, int]:
    subjects, objects, properties, classes = set(), set(), set(), set()
    n = 0
    for s, p, o in triples:
        n += 1
        subjects.add(s)
        objects.add(o)
        properties.add(p)
        if p == RDF.type:
            classes.add(o)
    entities = {s for s in subjects if str(s).startswith(f"{BASE}/id/")}
    return {
        "triples": n,
        "distinctSubjects": len(subjects),
        "distinctObjects": len(objects),
        "properties": len(properties),
        "classes": len(classes),
        "entities": len(entities),
    }


def test_void_counts_equal_the_dumps(exported, description):
    nt = Graph().parse(exported / "regiongraph.nt", format="nt")
    counted = count_triples(nt)
    stated = {name: int(description.value(DATASET, VOID[name])) for name in counted}
    assert stated == counted
    for name, fmt in (("regiongraph.ttl", "turtle"), ("regiongraph.jsonld", "json-ld")):
        assert len(Graph().parse(exported / name, format=fmt)) == counted["triples"], name


def test_void_subsets_equal_the_named_graphs_of_the_dumps(exported, description):
    nq = ox.parse(path=str(exported / "regiongraph.nq"), format=ox.RdfFormat.N_QUADS)
    per_graph = Counter(q.graph_name.value for q in nq)
    stated = {
        str(subset): int(description.value(subset, VOID.triples))
        for subset in description.objects(DATASET, VOID.subset)
    }
    assert stated == dict(per_graph)
    trig = ox.parse(path=str(exported / "regiongraph.trig"), format=ox.RdfFormat.TRIG)
    assert Counter(q.graph_name.value for q in trig) == per_graph


# -- the union graph, the ontology and the build's bookkeeping --------------------------


def union_graph(store) -> Graph:
    data = ox.serialize(
        [q.triple for q in store.store.quads_for_pattern(None, None, None, ox.DefaultGraph())],
        format=ox.RdfFormat.N_TRIPLES,
    )
    return Graph().parse(data=data, format="nt")


@pytest.fixture(scope="module")
def union(store) -> Graph:
    return union_graph(store)


def test_rdfs_inference_changes_no_shacl_result(union):
    data = union + load_ontology()
    shapes = load_shapes()
    plain = shacl_results(data, shapes, inference="none")
    inferred = shacl_results(data, shapes, inference="rdfs")
    assert inferred == plain
    assert all(severity != "Violation" for severity, *_ in plain)


def test_bookkeeping_is_kept_out_of_the_data_and_the_dumps(store, union, exported):
    graph = store.bookkeeping_graph
    assert store.marker("extractor") and store.marker("static-inputs")
    assert graph not in store.data_graphs()
    sha = URIRef("https://w3id.org/regiongraph/ontology#sha256")
    release = URIRef("https://w3id.org/regiongraph/ontology#PressRelease")
    holders = set(union.subjects(sha, None))
    assert holders and all((s, RDF.type, release) in union for s in holders)
    for name in ("regiongraph.nq", "regiongraph.trig", "regiongraph.nt"):
        text = (exported / name).read_text(encoding="utf-8")
        for mark in (graph, "#sha256=", "/graph/reference#inputs", "#extractor"):
            assert mark not in text, (mark, name)


def test_skolem_iris_sit_under_the_authority_root(union):
    genid = "/.well-known/genid/"
    skolem = {str(n) for n in union.all_nodes() if genid in str(n)}
    assert skolem  # the ontology's union classes
    assert all(iri.startswith(f"{BASE}{genid}") for iri in skolem)


def test_every_property_used_in_the_data_is_declared(union):
    ontology = load_ontology()
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    declared = {p for kind in kinds for p in ontology.subjects(RDF.type, kind)}
    builtin = (str(RDF), str(RDFS), str(OWL))
    used = set(union.predicates())
    missing = sorted(str(p) for p in used if p not in declared and not str(p).startswith(builtin))
    assert missing == []
