"""SHACL shapes and the validation report: every shape has passing and failing examples."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef

from regiongraph.validate.screen import ShaclScreen, renamed_apart
from regiongraph.validate.shapes import (
    ValidationIssue,
    ValidationReport,
    load_ontology,
    load_shapes,
    validate_graph,
)
from regiongraph.validate.store import validate_ntriples
from regiongraph.vocab import RG

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
ID = "https://w3id.org/regiongraph/id/"
REL = ID + "release/dev-002"
RELEASE = URIRef(REL)

PREFIXES = f"""
PREFIX rg: <https://w3id.org/regiongraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX o: <{ID}org/>
PREFIX p: <{ID}person/>
PREFIX pr: <{ID}project/>
PREFIX ev: <{ID}event/>
PREFIX fp: <{ID}programme/>
PREFIX pl: <{ID}place/>
PREFIX m: <{ID}municipality/>
PREFIX r: <{ID}region/>
PREFIX rel: <{ID}release/>
PREFIX se: <{REL}/sentence/>
PREFIX st: <{REL}/statement/>
PREFIX am: <{REL}/amount/>
"""


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture()
def release() -> Graph:
    return Graph().parse(FIXTURES / "release.ttl", format="turtle")


def changed(graph: Graph, update: str) -> Graph:
    graph.update(PREFIXES + update)
    return graph


def iri(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    bases = {
        "o": ID + "org/",
        "p": ID + "person/",
        "pr": ID + "project/",
        "m": ID + "municipality/",
        "r": ID + "region/",
        "rel": ID + "release/",
        "se": REL + "/sentence/",
        "st": REL + "/statement/",
        "am": REL + "/amount/",
        "fp": ID + "programme/",
        "pl": ID + "place/",
        "ev": ID + "event/",
    }
    return bases[prefix] + local


def shape_names(shapes: Graph) -> dict[str, URIRef]:
    return {str(shapes.value(s, SH.name)): s for s in shapes.subjects(SH.name, None)}


def reporting_shapes(shapes: Graph) -> set[str]:
    """Shapes that report results themselves: those with a severity."""
    return {str(shapes.value(s, SH.name)) for s in shapes.subjects(SH.severity, None)}


# ----------------------------------------------------------------------------------------
# The shapes file itself
# ----------------------------------------------------------------------------------------


def test_every_shape_has_a_name_and_every_reporting_shape_a_message(shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    named = [s for s in node_shapes if isinstance(s, URIRef)]
    assert len(named) > 40
    for shape in named:
        assert shapes.value(shape, SH.name), shape
        assert shapes.value(shape, SH.message), shape
    for shape in shapes.subjects(SH.severity, None):
        assert isinstance(shape, URIRef), "reporting shapes must be named IRIs"
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning)
    names = [str(shapes.value(s, SH.name)) for s in named]
    assert len(names) == len(set(names)), "shape names must be unique"


def test_shapes_use_only_rg_terms_of_the_ontology(shapes: Graph) -> None:
    ns = str(RG._NS)
    used = {str(n) for t in shapes for n in t if isinstance(n, URIRef) and str(n).startswith(ns)}
    defined = {ns + name for name in RG.__annotations__}
    assert used - defined == set()


def test_shapes_target_concrete_classes_not_only_superclasses(shapes: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    concrete = {
        RG.Region,
        RG.Municipality,
        RG.Company,
        RG.TradeUnion,
        RG.EmployerOrganisation,
        RG.GovernmentAgency,
        RG.University,
        RG.ResearchInstitute,
        RG.EducationProvider,
        RG.Organisation,
        RG.Person,
        RG.FundingProgramme,
        RG.Project,
        RG.Event,
        RG.Place,
        RG.PressRelease,
        RG.Sentence,
        RG.Funding,
        RG.Leadership,
        RG.Participation,
        RG.Affiliation,
        RG.PartOfStatement,
        RG.Collaboration,
        RG.LocationStatement,
        URIRef("https://schema.org/MonetaryAmount"),
    }
    assert concrete <= targeted


def test_default_paths_load() -> None:
    assert len(load_shapes()) > 100
    assert len(load_ontology()) > 100


# ----------------------------------------------------------------------------------------
# Passing examples
# ----------------------------------------------------------------------------------------


def test_full_release_graph_conforms_without_any_issue(release: Graph, shapes: Graph) -> None:
    report = validate_graph(release, shapes)
    assert report.conforms, report.format_text()
    assert report.issues == ()
    assert report.format_text() == "No problems found."


PASSING = {
    "phone mobile": "DELETE WHERE { p:stina-johansson schema:telephone ?t } ;"
    ' INSERT DATA { p:stina-johansson schema:telephone "070-365 45 70" }',
    "phone finnish": 'INSERT DATA { p:stina-johansson schema:telephone "+358 50 4351894" }',
    "phone stockholm": 'INSERT DATA { p:stina-johansson schema:telephone "08-681 94 51" }',
    "phone intl (0)": 'INSERT DATA { p:stina-johansson schema:telephone "+46 (0)70-365 45 70" }',
    "phone switchboard": 'INSERT DATA { p:stina-johansson schema:telephone "0910-73 50 00" }',
    "email short": 'INSERT DATA { p:stina-johansson schema:email "info@ri.se" }',
    "labels in swedish": 'INSERT DATA { o:northvolt rdfs:label "Northvolt AB"@sv }',
    "year start, date end": "DELETE WHERE { pr:battery-region schema:startDate ?s } ;"
    ' INSERT DATA { pr:battery-region schema:startDate "2023"^^xsd:gYear }',
    "same day": "DELETE WHERE { pr:battery-region schema:endDate ?e } ;"
    ' INSERT DATA { pr:battery-region schema:endDate "2020-01-01"^^xsd:date }',
    "issued year-month": "DELETE WHERE { rel:dev-002 dcterms:issued ?d } ;"
    ' INSERT DATA { rel:dev-002 dcterms:issued "2023-03"^^xsd:gYearMonth }',
    "issued year": "DELETE WHERE { rel:dev-002 dcterms:issued ?d } ;"
    ' INSERT DATA { rel:dev-002 dcterms:issued "2023"^^xsd:gYear }',
    "date unknown": "DELETE WHERE { rel:dev-002 dcterms:issued ?d } ;"
    " INSERT DATA { rel:dev-002 rg:dateUnknown true ;"
    ' rdfs:comment "unknown (likely early 2023)" }',
    "date known, flag false": "INSERT DATA { rel:dev-002 rg:dateUnknown false }",
    "finnish region": "INSERT DATA { r:fi-pohjois-pohjanmaa a rg:Region ;"
    ' rdfs:label "Pohjois-Pohjanmaa"@fi ; rg:finnishRegionCode "17" ; rg:countryCode "FI" ;'
    ' rg:nutsCode "FI1D9" }',
    "municipality code with leading zero": "INSERT DATA { m:stockholm a rg:Municipality ;"
    ' rdfs:label "Stockholms kommun"@sv ; rg:municipalityCode "0180" ; rg:countryCode "SE" }',
    "amount as blank node": "DELETE WHERE { st:a1 rg:amount ?a . ?a ?p ?o } ;"
    " INSERT DATA { st:a1 rg:amount [ a schema:MonetaryAmount ;"
    ' schema:value "890000"^^xsd:decimal ; schema:currency "SEK" ] }',
    "collaboration written the other way round": "DELETE DATA { r:se-vasterbotten"
    " rg:collaboratesWith m:skelleftea } ;"
    " INSERT DATA { m:skelleftea rg:collaboratesWith r:se-vasterbotten }",
    "no optional statement fields": "DELETE WHERE { st:a2 rg:roleName ?r } ;"
    " DELETE WHERE { st:a2 rg:confidence ?c } ; DELETE WHERE { st:a1 rg:amount ?a . ?a ?p ?o }",
    "evidence from two sentences": "INSERT DATA { st:a1 rg:evidence se:0 }",
    "other funders": "INSERT DATA { pr:battery-region rg:fundedBy r:se-vasterbotten ,"
    " p:stina-johansson }",
    "person leads an event": "INSERT DATA { p:stina-johansson rg:leads ev:battery-days }",
    "project organises and joins events": "INSERT DATA { pr:battery-region rg:leads"
    " ev:battery-days ; rg:participatesIn ev:battery-days }",
    "located in municipality and region": "INSERT DATA { o:northvolt rg:locatedIn"
    " m:skelleftea , r:se-vasterbotten }",
    "all organisation kinds": 'INSERT DATA { o:if-metall a rg:TradeUnion ; rdfs:label "IF Metall" .'
    ' o:svenskt-naringsliv a rg:EmployerOrganisation ; rdfs:label "Svenskt Näringsliv" .'
    ' o:vinnova a rg:GovernmentAgency ; rdfs:label "Vinnova" .'
    ' o:umu a rg:University ; rdfs:label "Umeå universitet" .'
    ' o:rise a rg:ResearchInstitute ; rdfs:label "RISE" .'
    ' o:yh a rg:EducationProvider ; rdfs:label "Yrkeshögskolan" .'
    ' o:forening a rg:Organisation ; rdfs:label "Föreningen" .'
    " o:if-metall rg:participatesIn pr:battery-region ."
    " o:svenskt-naringsliv rg:leads ev:battery-days ."
    " o:rise rg:collaboratesWith o:umu . o:yh rg:partOf o:umu ."
    " pr:battery-region rg:fundedBy o:vinnova ."
    " p:stina-johansson rg:affiliatedWith o:forening }",
}


@pytest.mark.parametrize("update", PASSING.values(), ids=PASSING.keys())
def test_passing_variants(release: Graph, shapes: Graph, update: str) -> None:
    report = validate_graph(changed(release, update), shapes)
    assert report.conforms, report.format_text()
    assert report.issues == (), report.format_text()


def _focus_nodes(shapes: Graph, shape: URIRef, graph: Graph) -> set:
    foci = set()
    for cls in shapes.objects(shape, SH.targetClass):
        foci |= set(graph.subjects(RDF.type, cls))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        foci |= set(graph.subjects(prop, None))
    for parent in shapes.subjects(SH.property, shape):
        foci |= _focus_nodes(shapes, parent, graph)
    return foci


def test_every_reporting_shape_is_exercised_by_a_passing_example(shapes: Graph) -> None:
    """The passing examples above give every shape something to check, with values."""
    graphs = [Graph().parse(FIXTURES / "release.ttl", format="turtle")]
    for update in PASSING.values():
        graphs.append(changed(Graph().parse(FIXTURES / "release.ttl", format="turtle"), update))
    unexercised = []
    for shape in shapes.subjects(SH.severity, None):
        path = shapes.value(shape, SH.path)
        if not any(
            foci and (path is None or any(g.value(f, path) is not None for f in foci))
            for g in graphs
            for foci in [_focus_nodes(shapes, shape, g)]
        ):
            unexercised.append(str(shapes.value(shape, SH.name)))
    assert unexercised == []


def test_reference_graph_alone_conforms(shapes: Graph) -> None:
    reference = Graph().parse(
        data=PREFIXES.replace("PREFIX ", "@prefix ").replace(">\n", "> .\n")
        + """
        m:skelleftea a rg:Municipality ; rdfs:label "Skellefteå kommun"@sv ;
            rg:municipalityCode "2482" ; rg:inRegion r:se-vasterbotten ; rg:countryCode "SE" ;
            dcterms:source <https://github.com/sjbrg/swedish-geodata> .
        r:se-vasterbotten a rg:Region ; rdfs:label "Region Västerbotten"@sv ;
            rg:countyCode "24" ; rg:nutsCode "SE331" ; rg:countryCode "SE" .
        """,
        format="turtle",
    )
    report = validate_graph(reference, shapes)
    assert report.conforms and report.issues == (), report.format_text()


# ----------------------------------------------------------------------------------------
# Failing examples: (shape name, SPARQL update on the valid release, focus, severity)
# ----------------------------------------------------------------------------------------

FAILING: list[tuple[str, str, str, str]] = [
    # entities
    ("Entity", 'INSERT DATA { [] a rg:Company ; rdfs:label "Anonymous AB" }', "[blank node]", "V"),
    ("Entity name", "DELETE WHERE { o:northvolt rdfs:label ?l }", "o:northvolt", "V"),
    (
        "Entity name",
        'DELETE WHERE { o:northvolt rdfs:label ?l } ; INSERT DATA { o:northvolt rdfs:label "  " }',
        "o:northvolt",
        "V",
    ),
    ("Entity name", "INSERT DATA { o:northvolt rdfs:label o:northvolt }", "o:northvolt", "V"),
    ("Entity name", "DELETE WHERE { r:se-vasterbotten rdfs:label ?l }", "r:se-vasterbotten", "V"),
    ("Entity name", "DELETE WHERE { fp:interreg-nord rdfs:label ?l }", "fp:interreg-nord", "V"),
    ("Entity name", "DELETE WHERE { pr:battery-region rdfs:label ?l }", "pr:battery-region", "V"),
    ("Surface form", 'INSERT DATA { o:northvolt rg:surfaceForm "" }', "o:northvolt", "V"),
    (
        "Surface form",
        'INSERT DATA { o:northvolt rg:surfaceForm "Northvolt"@sv }',
        "o:northvolt",
        "V",
    ),
    (
        "E-mail address",
        "INSERT DATA { p:stina-johansson schema:email"
        ' "mailto:stina.johansson@regionvasterbotten.se" }',
        "p:stina-johansson",
        "V",
    ),
    (
        "E-mail address",
        'INSERT DATA { p:stina-johansson schema:email "stina.johansson(at)region" }',
        "p:stina-johansson",
        "V",
    ),
    (
        "Telephone number",
        'INSERT DATA { p:stina-johansson schema:telephone "070-365 45 70, 070-111 22 33" }',
        "p:stina-johansson",
        "V",
    ),
    (
        "Telephone number",
        'INSERT DATA { p:stina-johansson schema:telephone "ring växeln" }',
        "p:stina-johansson",
        "V",
    ),
    (
        "Telephone number",
        'INSERT DATA { p:stina-johansson schema:telephone "070" }',
        "p:stina-johansson",
        "V",
    ),
    (
        "Person without affiliation",
        'INSERT DATA { p:anna-berg a rg:Person ; rdfs:label "Anna Berg" }',
        "p:anna-berg",
        "W",
    ),
    (
        "Start date",
        "DELETE WHERE { pr:battery-region schema:startDate ?d } ; INSERT DATA {"
        ' pr:battery-region schema:startDate "januari 2020" }',
        "pr:battery-region",
        "V",
    ),
    (
        "Start date",
        'INSERT DATA { pr:battery-region schema:startDate "2020-02-01"^^xsd:date }',
        "pr:battery-region",
        "V",
    ),
    (
        "End date",
        "DELETE WHERE { pr:battery-region schema:endDate ?d } ; INSERT DATA {"
        ' pr:battery-region schema:endDate "2023-12-31T00:00:00"^^xsd:dateTime }',
        "pr:battery-region",
        "V",
    ),
    (
        "Start before end",
        "DELETE WHERE { pr:battery-region schema:startDate ?d } ; INSERT DATA {"
        ' pr:battery-region schema:startDate "2024"^^xsd:gYear }',
        "pr:battery-region",
        "V",
    ),
    (
        "Start before end",
        "DELETE WHERE { pr:battery-region schema:endDate ?d } ; INSERT DATA {"
        ' pr:battery-region schema:endDate "2019-12"^^xsd:gYearMonth }',
        "pr:battery-region",
        "V",
    ),
    # codes
    (
        "Municipality code",
        "DELETE WHERE { m:skelleftea rg:municipalityCode ?c } ; INSERT DATA {"
        ' m:skelleftea rg:municipalityCode "248" }',
        "m:skelleftea",
        "V",
    ),
    (
        "Municipality code",
        'INSERT DATA { m:skelleftea rg:municipalityCode "2480" }',
        "m:skelleftea",
        "V",
    ),
    (
        "Municipality code",
        "DELETE WHERE { m:skelleftea rg:municipalityCode ?c } ; INSERT DATA {"
        " m:skelleftea rg:municipalityCode 2482 }",
        "m:skelleftea",
        "V",
    ),
    (
        "County code",
        "DELETE WHERE { r:se-vasterbotten rg:countyCode ?c } ; INSERT DATA {"
        ' r:se-vasterbotten rg:countyCode "4" }',
        "r:se-vasterbotten",
        "V",
    ),
    (
        "NUTS code",
        "DELETE WHERE { r:se-vasterbotten rg:nutsCode ?c } ; INSERT DATA {"
        ' r:se-vasterbotten rg:nutsCode "se331" }',
        "r:se-vasterbotten",
        "V",
    ),
    (
        "Swedish NUTS code",
        "DELETE WHERE { r:se-vasterbotten rg:nutsCode ?c } ; INSERT DATA {"
        ' r:se-vasterbotten rg:nutsCode "SE33" }',
        "r:se-vasterbotten",
        "V",
    ),
    (
        "Finnish region code",
        "INSERT DATA { r:fi-pohjois-pohjanmaa a rg:Region ;"
        ' rdfs:label "Pohjois-Pohjanmaa"@fi ; rg:finnishRegionCode "7" ; rg:countryCode "FI" }',
        "r:fi-pohjois-pohjanmaa",
        "V",
    ),
    (
        "Country code",
        "DELETE WHERE { m:skelleftea rg:countryCode ?c } ; INSERT DATA {"
        ' m:skelleftea rg:countryCode "Sverige" }',
        "m:skelleftea",
        "V",
    ),
    (
        "Region of a municipality",
        "DELETE WHERE { m:skelleftea rg:inRegion ?r } ; INSERT DATA {"
        " m:skelleftea rg:inRegion o:northvolt }",
        "m:skelleftea",
        "V",
    ),
    # direct relation triples
    (
        "Funded thing",
        "INSERT DATA { o:northvolt rg:fundedBy fp:interreg-nord }",
        "o:northvolt",
        "V",
    ),
    (
        "Funder",
        "INSERT DATA { pr:battery-region rg:fundedBy pl:hedensbyn }",
        "pr:battery-region",
        "V",
    ),
    (
        "Funder",
        "INSERT DATA { pr:battery-region rg:fundedBy <https://example.org/untyped> }",
        "pr:battery-region",
        "V",
    ),
    ("Leader", "INSERT DATA { pl:hedensbyn rg:leads pr:battery-region }", "pl:hedensbyn", "V"),
    (
        "Led project or event",
        "INSERT DATA { o:northvolt rg:leads o:northvolt-labs }",
        "o:northvolt",
        "V",
    ),
    (
        "Participant",
        "INSERT DATA { pl:hedensbyn rg:participatesIn ev:battery-days }",
        "pl:hedensbyn",
        "V",
    ),
    (
        "Joined project or event",
        "INSERT DATA { o:northvolt rg:participatesIn m:skelleftea }",
        "o:northvolt",
        "V",
    ),
    (
        "Affiliated person",
        "INSERT DATA { o:northvolt-labs rg:affiliatedWith o:northvolt }",
        "o:northvolt-labs",
        "V",
    ),
    (
        "Affiliation organisation",
        "INSERT DATA { p:stina-johansson rg:affiliatedWith pr:battery-region }",
        "p:stina-johansson",
        "V",
    ),
    (
        "Collaborator",
        "INSERT DATA { pr:battery-region rg:collaboratesWith o:northvolt }",
        "pr:battery-region",
        "V",
    ),
    (
        "Collaboration partner",
        "INSERT DATA { o:northvolt rg:collaboratesWith fp:interreg-nord }",
        "o:northvolt",
        "V",
    ),
    ("Location", "INSERT DATA { o:northvolt rg:locatedIn o:northvolt-labs }", "o:northvolt", "V"),
    ("Whole", 'INSERT DATA { o:northvolt-labs rg:partOf "Northvolt" }', "o:northvolt-labs", "V"),
    # press releases
    ("File name", "DELETE WHERE { rel:dev-002 rg:fileName ?f }", "rel:dev-002", "V"),
    ("File name", 'INSERT DATA { rel:dev-002 rg:fileName "dev-002.html" }', "rel:dev-002", "V"),
    (
        "SHA-256 checksum",
        "DELETE WHERE { rel:dev-002 rg:sha256 ?f } ; INSERT DATA { rel:dev-002"
        ' rg:sha256 "9f86d081884c7d659a2feaa0c55ad015" }',
        "rel:dev-002",
        "V",
    ),
    ("SHA-256 checksum", "DELETE WHERE { rel:dev-002 rg:sha256 ?f }", "rel:dev-002", "V"),
    (
        "Publication date",
        "DELETE WHERE { rel:dev-002 dcterms:issued ?d } ; INSERT DATA {"
        ' rel:dev-002 dcterms:issued "1 mars 2023" }',
        "rel:dev-002",
        "V",
    ),
    ("Date unknown flag", 'INSERT DATA { rel:dev-002 rg:dateUnknown "yes" }', "rel:dev-002", "V"),
    (
        "Publication date or unknown",
        "DELETE WHERE { rel:dev-002 dcterms:issued ?d }",
        "rel:dev-002",
        "V",
    ),
    (
        "Publication date or unknown",
        "INSERT DATA { rel:dev-002 rg:dateUnknown true }",
        "rel:dev-002",
        "V",
    ),
    ("Release title", "DELETE WHERE { rel:dev-002 dcterms:title ?t }", "rel:dev-002", "W"),
    (
        "Publisher name",
        "DELETE WHERE { rel:dev-002 rg:publisherName ?t } ; INSERT DATA {"
        ' rel:dev-002 rg:publisherName "" }',
        "rel:dev-002",
        "V",
    ),
    (
        "Source",
        'INSERT DATA { rel:dev-002 dcterms:source "https://www.mynewsdesk.com/x" }',
        "rel:dev-002",
        "V",
    ),
    (
        "Language",
        "DELETE WHERE { rel:dev-002 dcterms:language ?t } ; INSERT DATA {"
        ' rel:dev-002 dcterms:language "Swedish" }',
        "rel:dev-002",
        "V",
    ),
    # sentences
    ("Sentence text", "DELETE WHERE { se:0 rdf:value ?v }", "se:0", "V"),
    (
        "Sentence text",
        'DELETE WHERE { se:0 rdf:value ?v } ; INSERT DATA { se:0 rdf:value " " }',
        "se:0",
        "V",
    ),
    (
        "Sentence position",
        "DELETE WHERE { se:1 rg:position ?v } ; INSERT DATA { se:1 rg:position -1 }",
        "se:1",
        "V",
    ),
    (
        "Sentence position",
        'DELETE WHERE { se:1 rg:position ?v } ; INSERT DATA { se:1 rg:position "1" }',
        "se:1",
        "V",
    ),
    (
        "Sentence release",
        "DELETE WHERE { se:2 dcterms:isPartOf ?r } ; INSERT DATA { se:2"
        " dcterms:isPartOf pr:battery-region }",
        "se:2",
        "V",
    ),
    (
        "Sentence block",
        'DELETE WHERE { se:2 rg:block ?b } ; INSERT DATA { se:2 rg:block "footer" }',
        "se:2",
        "V",
    ),
    # statements
    ("Statement subject", "DELETE WHERE { st:a5 rdf:subject ?s }", "st:a5", "V"),
    (
        "Statement predicate",
        "DELETE WHERE { st:a2 rdf:predicate ?s } ; INSERT DATA { st:a2 rdf:predicate rg:inRegion }",
        "st:a2",
        "V",
    ),
    (
        "Statement object",
        "DELETE WHERE { st:a6 rdf:object ?s } ; INSERT DATA { st:a6"
        ' rdf:object "Skellefteå kommun" }',
        "st:a6",
        "V",
    ),
    ("Statement evidence", "DELETE WHERE { st:a3 rg:evidence ?s }", "st:a3", "V"),
    ("Statement evidence", "DELETE WHERE { se:0 a rg:Sentence }", "st:a3", "V"),
    ("Statement release", "DELETE WHERE { st:a4 prov:wasDerivedFrom ?s }", "st:a4", "V"),
    ("Statement release", "INSERT DATA { st:a4 prov:wasDerivedFrom rel:dev-003 }", "st:a4", "V"),
    ("Statement rule", "DELETE WHERE { st:a7 rg:extractedBy ?s }", "st:a7", "V"),
    (
        "Statement rule",
        'INSERT DATA { st:a7 rg:extractedBy "rel.located-in-cue.v1" }',
        "st:a7",
        "V",
    ),
    (
        "Statement confidence",
        "DELETE WHERE { st:a1 rg:confidence ?c } ; INSERT DATA { st:a1"
        ' rg:confidence "1.5"^^xsd:decimal }',
        "st:a1",
        "V",
    ),
    (
        "Statement confidence",
        "DELETE WHERE { st:a1 rg:confidence ?c } ; INSERT DATA { st:a1"
        ' rg:confidence "0.8"^^xsd:double }',
        "st:a1",
        "V",
    ),
    ("Statement role name", 'INSERT DATA { st:a2 rg:roleName "" }', "st:a2", "V"),
    (
        "Statement without direct triple",
        "DELETE DATA { o:northvolt rg:participatesIn pr:battery-region }",
        "rel:dev-002",
        "V",
    ),
    (
        "Statement without direct triple",
        "DELETE DATA { r:se-vasterbotten rg:collaboratesWith m:skelleftea }",
        "rel:dev-002",
        "V",
    ),
    (
        "Evidence from another release",
        "INSERT DATA { rel:dev-003 a rg:PressRelease ."
        " <https://w3id.org/regiongraph/id/release/dev-003/sentence/4> a rg:Sentence ;"
        ' rdf:value "Annan text." ; rg:position 4 ; dcterms:isPartOf rel:dev-003 .'
        " st:a3 rg:evidence <https://w3id.org/regiongraph/id/release/dev-003/sentence/4> }",
        "rel:dev-002",
        "V",
    ),
    ("Funding predicate", "INSERT DATA { st:a2 a rg:Funding }", "st:a2", "V"),
    ("Leadership predicate", "INSERT DATA { st:a1 a rg:Leadership }", "st:a1", "V"),
    ("Participation predicate", "INSERT DATA { st:a1 a rg:Participation }", "st:a1", "V"),
    ("Affiliation predicate", "INSERT DATA { st:a1 a rg:Affiliation }", "st:a1", "V"),
    ("Part-of predicate", "INSERT DATA { st:a1 a rg:PartOfStatement }", "st:a1", "V"),
    ("Collaboration predicate", "INSERT DATA { st:a1 a rg:Collaboration }", "st:a1", "V"),
    ("Location predicate", "INSERT DATA { st:a1 a rg:LocationStatement }", "st:a1", "V"),
    ("Funding amount", "DELETE WHERE { am:a1 a schema:MonetaryAmount }", "st:a1", "V"),
    (
        "Funding amount",
        "INSERT DATA { st:a1 rg:amount [ a schema:MonetaryAmount ;"
        ' schema:value "1"^^xsd:decimal ; schema:currency "SEK" ] }',
        "st:a1",
        "V",
    ),
    ("Affiliation member", "DELETE WHERE { st:a4 org:member ?m }", "st:a4", "V"),
    (
        "Affiliation organisation link",
        "DELETE WHERE { st:a4 org:organization ?m } ; INSERT DATA"
        " { st:a4 org:organization o:northvolt }",
        "st:a4",
        "V",
    ),
    ("Post title", 'INSERT DATA { st:a4 rg:postTitle "" }', "st:a4", "V"),
    # amounts
    (
        "Amount value",
        "DELETE WHERE { am:a1 schema:value ?v } ; INSERT DATA { am:a1"
        ' schema:value "-5"^^xsd:decimal }',
        "am:a1",
        "V",
    ),
    (
        "Amount value",
        'DELETE WHERE { am:a1 schema:value ?v } ; INSERT DATA { am:a1 schema:value "890 000" }',
        "am:a1",
        "V",
    ),
    (
        "Amount currency",
        'DELETE WHERE { am:a1 schema:currency ?v } ; INSERT DATA { am:a1 schema:currency "kr" }',
        "am:a1",
        "V",
    ),
    (
        "Amount currency",
        "DELETE WHERE { st:a1 rg:amount ?a . ?a ?p ?o } ; INSERT DATA { st:a1"
        ' rg:amount [ a schema:MonetaryAmount ; schema:value "890000"^^xsd:decimal ] }',
        f"[rg:amount of {REL}/statement/a1]",
        "V",
    ),
]


def _focus(text: str) -> str:
    return text if text.startswith("[") else iri(text)


@pytest.mark.parametrize(
    "shape,update,focus,severity",
    FAILING,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(FAILING)],
)
def test_failing_examples_report_the_shape(
    release: Graph, shapes: Graph, shape: str, update: str, focus: str, severity: str
) -> None:
    report = validate_graph(changed(release, update), shapes)
    hits = [i for i in report.issues if i.shape == shape]
    assert hits, f"{shape} did not report:\n{report.format_text()}"
    assert {i.shape for i in report.issues} <= set(shape_names(shapes)), report.format_text()
    assert any(i.focus == _focus(focus) for i in hits), [i.focus for i in hits]
    expected_severity = {"V": "Violation", "W": "Warning"}[severity]
    assert all(i.severity == expected_severity for i in hits)
    shape_node = shape_names(shapes)[shape]
    # The curator sees the shape's own words (SPARQL ones filled in), not pyshacl's text.
    (own,) = (str(m) for m in shapes.objects(shape_node, SH.message))
    assert all(i.message.startswith(own.split("{")[0]) for i in hits), hits
    assert not any("{?" in i.message for i in hits), hits
    assert report.conforms is (expected_severity != "Violation" and not report.violations)


def test_every_reporting_shape_has_a_failing_example(shapes: Graph) -> None:
    assert reporting_shapes(shapes) == {case[0] for case in FAILING}


def test_warnings_do_not_break_conformance(release: Graph, shapes: Graph) -> None:
    changed(release, 'INSERT DATA { p:anna-berg a rg:Person ; rdfs:label "Anna Berg" }')
    report = validate_graph(release, shapes)
    assert report.conforms
    assert report.violations == ()
    assert [w.focus for w in report.warnings] == [ID + "person/anna-berg"]
    assert report.warnings[0].path == "rg:affiliatedWith"


def test_sparql_messages_name_the_faulty_values(release: Graph, shapes: Graph) -> None:
    changed(release, "DELETE DATA { o:northvolt rg:participatesIn pr:battery-region }")
    report = validate_graph(release, shapes)
    (issue,) = report.violations
    assert issue.value == REL + "/statement/a3"
    assert ID + "org/northvolt" in issue.message and "participatesIn" in issue.message


def test_validation_leaves_the_data_graph_unchanged(release: Graph, shapes: Graph) -> None:
    changed(release, 'INSERT DATA { rel:dev-002 rg:dateUnknown "yes" }')
    before = set(release)
    validate_graph(release, shapes)
    assert set(release) == before


# ----------------------------------------------------------------------------------------
# The report
# ----------------------------------------------------------------------------------------


def _broken(release: Graph) -> Graph:
    for i in range(12):
        person = URIRef(f"{ID}person/p{i}")
        release.add((person, RDF.type, RG.Person))
        release.add((person, RDFS.label, Literal(f"Person {i}")))
    release.remove((URIRef(ID + "municipality/skelleftea"), RG.municipalityCode, None))
    release.add((URIRef(ID + "municipality/skelleftea"), RG.municipalityCode, Literal("248")))
    return release


def test_format_text_groups_by_shape(release: Graph, shapes: Graph) -> None:
    report = validate_graph(_broken(release), shapes)
    assert not report.conforms
    assert len(report.violations) == 1 and len(report.warnings) == 12
    text = report.format_text(max_per_shape=5)
    lines = text.splitlines()
    assert lines[0] == "Does not conform: 1 violation(s), 12 warning(s)."
    municipality = lines.index("Municipality code (Violation): 1 issue(s)")
    person = lines.index("Person without affiliation (Warning): 12 issue(s)")
    assert municipality < person  # violations first
    assert lines[municipality + 1] == (
        f'  {ID}municipality/skelleftea — rg:municipalityCode — "248" — '
        + str(shapes.value(shape_names(shapes)["Municipality code"], SH.message))
    )
    person_lines = lines[person + 1 :]
    assert sum(1 for line in person_lines if line.startswith(f"  {ID}person/")) == 5
    assert "  … and 7 more" in person_lines
    assert len(report.format_text(max_per_shape=20).splitlines()) > len(lines)


def test_issues_are_sorted_and_to_dict_round_trips(release: Graph, shapes: Graph) -> None:
    report = validate_graph(_broken(release), shapes)
    again = validate_graph(release, shapes)
    assert report == again
    assert report.issues[0].severity == "Violation"
    foci = [i.focus for i in report.warnings]
    assert foci == sorted(foci)
    data = report.to_dict()
    assert data["conforms"] is False and data["violations"] == 1 and data["warnings"] == 12
    assert (
        ValidationReport(
            conforms=data["conforms"],
            issues=tuple(ValidationIssue(**i) for i in data["issues"]),
        )
        == report
    )


def test_blank_node_focus_is_named_by_what_points_to_it(release: Graph, shapes: Graph) -> None:
    amount = BNode()
    statement = URIRef(REL + "/statement/a1")
    release.remove((statement, RG.amount, None))
    release.add((statement, RG.amount, amount))
    release.add((amount, RDF.type, URIRef("https://schema.org/MonetaryAmount")))
    release.add((amount, URIRef("https://schema.org/value"), Literal(Decimal("-1"))))
    release.add((amount, URIRef("https://schema.org/currency"), Literal("SEK")))
    report = validate_graph(release, shapes)
    (issue,) = report.issues
    assert issue.focus == f"[rg:amount of {statement}]"
    assert issue.value == "-1"


# ----------------------------------------------------------------------------------------
# The rudof screen: every failing example is flagged, every passing one passes
# ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def screen(shapes: Graph) -> ShaclScreen:
    """One engine for the whole module, as in a worker: every batch must find it clean."""
    return ShaclScreen.from_graph(shapes)


@pytest.mark.parametrize(
    "shape,update,focus,severity",
    FAILING,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(FAILING)],
)
def test_the_screen_flags_every_failing_example(
    release: Graph,
    shapes: Graph,
    screen: ShaclScreen,
    shape: str,
    update: str,
    focus: str,
    severity: str,
) -> None:
    good = release.serialize(format="nt")
    bad = changed(release, update).serialize(format="nt")
    # Side by side with valid copies of the same release (same IRIs): renamed apart, the
    # valid ones stay valid and the result is traced to the broken one.
    assert screen.flagged([good, bad, good]) == {1}
    reports = validate_ntriples([good, bad, good], shapes, screen)
    assert reports[1] == validate_graph(Graph().parse(data=bad, format="nt"), shapes)
    assert reports[0] == reports[2] == ValidationReport(conforms=True, issues=())


@pytest.mark.parametrize("update", PASSING.values(), ids=PASSING.keys())
def test_the_screen_passes_every_passing_variant(
    release: Graph, screen: ShaclScreen, update: str
) -> None:
    good = release.serialize(format="nt")
    assert screen.flagged([changed(release, update).serialize(format="nt"), good]) == set()


def test_the_screen_flags_warnings_too(release: Graph, screen: ShaclScreen) -> None:
    changed(release, 'INSERT DATA { p:anna-berg a rg:Person ; rdfs:label "Anna Berg" }')
    assert screen.flagged([release.serialize(format="nt")]) == {0}


def test_renaming_apart_keeps_literals_and_undescribed_nodes() -> None:
    text = (
        '<https://x.example/a> <https://x.example/p> "a <b> c ." .\n'
        "<https://x.example/a> <https://x.example/q> <https://x.example/b> .\n"
        "<https://x.example/a> <https://x.example/r> _:b1 .\n"
        "_:b1 <https://x.example/q> <https://x.example/a> .\n"
    )
    assert renamed_apart(text, 7).splitlines() == [
        '<https://x.example/a~7> <https://x.example/p> "a <b> c ." .',
        "<https://x.example/a~7> <https://x.example/q> <https://x.example/b> .",
        "<https://x.example/a~7> <https://x.example/r> _:b1x7 .",
        "_:b1x7 <https://x.example/q> <https://x.example/a~7> .",
    ]


def test_an_unreadable_batch_is_validated_in_full(shapes: Graph, screen: ShaclScreen) -> None:
    assert screen.flagged(["<not an n-triples line"]) is None


def test_a_batch_leaves_nothing_behind_for_the_next(release: Graph, screen: ShaclScreen) -> None:
    good = release.serialize(format="nt")
    _shape, update, _focus, _severity = FAILING[0]
    bad = changed(release, update).serialize(format="nt")
    assert screen.flagged([bad]) == {0}
    assert screen.flagged([good]) == set()  # the broken graph was rolled back
    assert screen.flagged(["<not an n-triples line"]) is None
    assert screen.flagged([good, bad]) == {1}  # a fresh engine after the error
    assert screen.flagged([good]) == set()
