"""The OWL ontology: metadata, agreement with vocab.RG, links to reused vocabularies, OWL RL."""

from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, PROV

from regiongraph.validate.shapes import load_ontology
from regiongraph.vocab import ONTOLOGY_IRI, RG

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
ONT = URIRef(ONTOLOGY_IRI)
RG_NS = str(RG._NS)
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
# owlrl writes each inconsistency it finds as `[] a err:ErrorMessage ; err:error "..."`.
OWLRL_ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

RG_TERMS = sorted(RG_NS + name for name in RG.__annotations__)


@pytest.fixture(scope="module")
def ont() -> Graph:
    return load_ontology()


def test_ontology_header(ont: Graph) -> None:
    assert (ONT, RDF.type, OWL.Ontology) in ont
    assert ont.value(ONT, OWL.versionInfo) == Literal("0.1.0")
    assert ont.value(ONT, OWL.versionIRI) == URIRef(ONTOLOGY_IRI + "/0.1.0")
    assert ont.value(ONT, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert ont.value(ONT, VANN.preferredNamespacePrefix) == Literal("rg")
    for prop in (DCTERMS.title, DCTERMS.description):
        langs = {o.language for o in ont.objects(ONT, prop) if isinstance(o, Literal)}
        assert {"en", "sv"} <= langs, prop
    assert ont.value(ONT, DCTERMS.creator) is not None


@pytest.mark.parametrize("term", RG_TERMS, ids=lambda t: t.rsplit("#", 1)[-1])
def test_every_rg_term_is_defined_in_english_and_swedish(ont: Graph, term: str) -> None:
    iri = URIRef(term)
    kinds = set(ont.objects(iri, RDF.type))
    assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, f"{term} has no kind"
    assert ont.value(iri, RDFS.isDefinedBy) == ONT
    for prop in (RDFS.label, SKOS.definition, RDFS.comment):
        values = [o for o in ont.objects(iri, prop) if isinstance(o, Literal)]
        langs = [o.language for o in values]
        assert sorted(langs) == ["en", "sv"], f"{term} {prop}: {langs}"
        assert all(str(v).strip() for v in values)
    if kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}:
        assert ont.value(iri, RDFS.domain) is not None, f"{term} has no rdfs:domain"
        assert ont.value(iri, RDFS.range) is not None, f"{term} has no rdfs:range"


def test_ontology_defines_no_rg_term_missing_from_vocab(ont: Graph) -> None:
    used = {
        str(node)
        for triple in ont
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(RG_NS)
    }
    assert used, "no rg: terms found at all"
    assert used - set(RG_TERMS) == set()


def test_class_kinds_match_vocab_sections(ont: Graph) -> None:
    classes = {str(s) for s in ont.subjects(RDF.type, OWL.Class) if str(s).startswith(RG_NS)}
    props = {
        str(s)
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ont.subjects(RDF.type, kind)
        if str(s).startswith(RG_NS)
    }
    assert classes | props == set(RG_TERMS)
    assert not classes & props
    # Vocab naming convention: classes are capitalised, properties are not.
    assert all(c[len(RG_NS)].isupper() for c in classes)
    assert all(p[len(RG_NS)].islower() for p in props)


SUBCLASS_LINKS = [
    (RG.Organisation, ORG.Organization),
    (RG.Organisation, FOAF.Organization),
    (RG.Organisation, RG.Actor),
    (RG.Person, RG.Actor),
    (RG.Person, FOAF.Person),
    (RG.Person, SCHEMA.Person),
    (RG.Actor, PROV.Agent),
    (RG.Actor, FOAF.Agent),
    (RG.Project, SCHEMA.Project),
    (RG.Project, PROV.Activity),
    (RG.Event, SCHEMA.Event),
    (RG.Event, PROV.Activity),
    (RG.Place, SCHEMA.Place),
    (RG.Place, DCTERMS.Location),
    (RG.PressRelease, SCHEMA.NewsArticle),
    (RG.PressRelease, FOAF.Document),
    (RG.PressRelease, PROV.Entity),
    (RG.Statement, RDF.Statement),
    (RG.Statement, PROV.Entity),
    (RG.Affiliation, ORG.Membership),
    (RG.Affiliation, RG.Statement),
    (RG.ProjectRole, RG.Statement),
    (RG.Leadership, RG.ProjectRole),
    (RG.Participation, RG.ProjectRole),
    (RG.Funding, RG.Statement),
    (RG.PartOfStatement, RG.Statement),
    (RG.Collaboration, RG.Statement),
    (RG.LocationStatement, RG.Statement),
    (RG.Rule, PROV.Plan),
    (RG.FundingProgramme, PROV.Entity),
    (RG.PublicAuthority, RG.Organisation),
    (RG.Region, RG.PublicAuthority),
    (RG.Municipality, RG.PublicAuthority),
    (RG.GovernmentAgency, RG.PublicAuthority),
    (RG.Company, RG.Organisation),
    (RG.TradeUnion, RG.Organisation),
    (RG.EmployerOrganisation, RG.Organisation),
    (RG.University, RG.Organisation),
    (RG.ResearchInstitute, RG.Organisation),
    (RG.EducationProvider, RG.Organisation),
]


@pytest.mark.parametrize("sub,sup", SUBCLASS_LINKS, ids=lambda n: str(n).rsplit("/", 1)[-1])
def test_reused_superclasses(ont: Graph, sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subClassOf, sup) in ont


def test_comments_name_the_models_followed(ont: Graph) -> None:
    def comment(term: URIRef) -> str:
        return " ".join(str(c) for c in ont.objects(term, RDFS.comment))

    assert "direct triple" in comment(RG.Statement).lower()
    assert "qualified" in comment(RG.Statement).lower()
    assert "OrganisationRole" in comment(RG.ProjectRole)
    assert "EURIO" in comment(RG.Funding) and "FRAPO" in comment(RG.Funding)


def _union(ont: Graph, node: URIRef | None) -> set[URIRef]:
    assert node is not None
    head = ont.value(node, OWL.unionOf)
    assert head is not None, "expected an owl:unionOf class"
    return set(Collection(ont, head))


def test_property_axioms(ont: Graph) -> None:
    assert (RG.collaboratesWith, RDF.type, OWL.SymmetricProperty) in ont
    assert (RG.affiliatedWith, RDFS.subPropertyOf, ORG.memberOf) in ont
    assert _union(ont, ont.value(RG.fundedBy, RDFS.domain)) == {RG.Project, RG.Event}
    assert _union(ont, ont.value(RG.fundedBy, RDFS.range)) == {RG.Actor, RG.FundingProgramme}
    for prop in (RG.leads, RG.participatesIn):
        assert _union(ont, ont.value(prop, RDFS.domain)) == {RG.Actor, RG.Project}
        assert _union(ont, ont.value(prop, RDFS.range)) == {RG.Project, RG.Event}
    assert _union(ont, ont.value(RG.locatedIn, RDFS.range)) == {
        RG.Place,
        RG.Municipality,
        RG.Region,
    }
    things = {RG.Organisation, RG.Project, RG.Event, RG.Place}
    assert _union(ont, ont.value(RG.partOf, RDFS.domain)) == things
    assert _union(ont, ont.value(RG.partOf, RDFS.range)) == things
    assert ont.value(RG.postTitle, RDFS.domain) == RG.Affiliation
    assert ont.value(RG.confidence, RDFS.range) == XSD.decimal
    assert ont.value(RG.position, RDFS.range) == XSD.integer
    assert ont.value(RG.dateUnknown, RDFS.range) == XSD.boolean
    assert ont.value(RG.amount, RDFS.range) == SCHEMA.MonetaryAmount
    assert ont.value(RG.evidence, RDFS.range) == RG.Sentence
    assert ont.value(RG.extractedBy, RDFS.range) == RG.Rule
    for code in (RG.municipalityCode, RG.countyCode, RG.nutsCode, RG.finnishRegionCode):
        assert (code, RDFS.subPropertyOf, DCTERMS.identifier) in ont
    functional = set(ont.subjects(RDF.type, OWL.FunctionalProperty))
    assert {
        RG.municipalityCode,
        RG.countyCode,
        RG.nutsCode,
        RG.finnishRegionCode,
        RG.countryCode,
        RG.fileName,
        RG.sha256,
        RG.dateUnknown,
        RG.position,
        RG.confidence,
        RG.inRegion,
    } <= functional
    # Several values are normal for these, so they must not be functional.
    assert not {RG.surfaceForm, RG.evidence, RG.leads, RG.fundedBy} & functional
    datatype_props = set(ont.subjects(RDF.type, OWL.DatatypeProperty))
    assert {RG.municipalityCode, RG.sha256, RG.position, RG.surfaceForm} <= datatype_props


def test_only_the_safe_disjointness_axioms(ont: Graph) -> None:
    pairs = {frozenset((s, o)) for s, o in ont.subject_objects(OWL.disjointWith)}
    assert pairs == {
        frozenset((RG.Person, RG.Organisation)),
        frozenset((RG.Person, RG.Project)),
    }
    assert not list(ont.subjects(RDF.type, OWL.AllDisjointClasses))


# ----------------------------------------------------------------------------------------
# OWL RL
# ----------------------------------------------------------------------------------------

REFERENCE_TTL = """
@prefix rg: <https://w3id.org/regiongraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <https://w3id.org/regiongraph/id/> .
id:region\\/fi-pohjois-pohjanmaa a rg:Region ; rdfs:label "Pohjois-Pohjanmaa"@fi ;
    skos:altLabel "Norra Österbotten"@sv ; rg:finnishRegionCode "17" ; rg:countryCode "FI" .
id:municipality\\/skelleftea skos:prefLabel "Skellefteå kommun"@sv ;
    dcterms:source <https://github.com/sjbrg/swedish-geodata> .
id:agency\\/vinnova a rg:GovernmentAgency ; rdfs:label "Vinnova" .
id:project\\/battery-region rg:fundedBy id:agency\\/vinnova ; rg:leads id:event\\/battery-days .
id:rule\\/rel.funded-by-cue.v1 a rg:Rule .
"""


def _closure(*graphs: Graph) -> Graph:
    merged = load_ontology()
    for g in graphs:
        merged += g
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(merged)
    return merged


def _inconsistencies(g: Graph) -> list[str]:
    messages = g.subjects(RDF.type, OWLRL_ERR.ErrorMessage)
    errors = [str(g.value(m, OWLRL_ERR.error)) for m in messages]
    errors += [f"{s} is owl:Nothing" for s in g.subjects(RDF.type, OWL.Nothing)]
    return errors


@pytest.fixture(scope="module")
def instances() -> Graph:
    g = Graph().parse(FIXTURES / "release.ttl", format="turtle")
    g.parse(data=REFERENCE_TTL, format="turtle")
    return g


@pytest.fixture(scope="module")
def closed(instances: Graph) -> Graph:
    return _closure(instances)


def test_owl_rl_closure_of_ontology_and_instances_is_consistent(closed: Graph) -> None:
    assert _inconsistencies(closed) == []


def test_owl_rl_closure_draws_the_expected_conclusions(closed: Graph) -> None:
    base = "https://w3id.org/regiongraph/id/"
    region = URIRef(base + "region/se-vasterbotten")
    skelleftea = URIRef(base + "municipality/skelleftea")
    stina = URIRef(base + "person/stina-johansson")
    for cls in (RG.PublicAuthority, RG.Organisation, RG.Actor, ORG.Organization, PROV.Agent):
        assert (region, RDF.type, cls) in closed
    assert (skelleftea, RG.collaboratesWith, region) in closed  # symmetric
    assert (stina, ORG.memberOf, region) in closed  # rg:affiliatedWith ⊑ org:memberOf
    assert (stina, RDF.type, FOAF.Person) in closed
    # A project that organises an event (rg:leads) is not thereby an agent.
    assert (URIRef(base + "project/battery-region"), RDF.type, RG.Actor) not in closed
    statement = URIRef(base + "release/dev-002/statement/a1")
    assert (statement, RDF.type, RDF.Statement) in closed
    assert (statement, RDF.type, PROV.Entity) in closed


def test_owl_rl_detects_a_person_typed_as_a_company(instances: Graph) -> None:
    # The negative control: the consistency check above can fail.
    bad = Graph()
    stina = URIRef("https://w3id.org/regiongraph/id/person/stina-johansson")
    bad.add((stina, RDF.type, RG.Company))
    assert _inconsistencies(_closure(instances, bad))


def test_owl_rl_detects_a_project_that_is_a_person() -> None:
    bad = Graph()
    thing = URIRef("https://w3id.org/regiongraph/id/project/x")
    bad.add((thing, RDF.type, RG.Project))
    bad.add((URIRef("https://w3id.org/regiongraph/id/person/y"), RG.affiliatedWith, thing))
    bad.add((thing, RG.affiliatedWith, URIRef("https://w3id.org/regiongraph/id/org/z")))
    assert _inconsistencies(_closure(bad))
