"""The regiongraph vocabulary (RG) and the minting of stable IRIs.

RG lists every term of ``ontology/regiongraph.ttl``; a misspelt term raises instead of
silently making a new IRI (a test checks both lists agree). IRIs of things are minted
from a configurable base as ``{base}/id/{kind}/{slug}``; graphs as ``{base}/graph/...``.
Slugs come from normalised labels or codes, never from counters, so the same input
always gives the same IRI.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/regiongraph/ontology"
DEFAULT_BASE = "https://w3id.org/regiongraph"

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
FRAPO = Namespace("http://purl.org/cerif/frapo/")
EURIO = Namespace("http://data.europa.eu/s66#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")


class RG(DefinedNamespace):
    """Terms of the regiongraph ontology."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes: actors
    Actor: URIRef
    Organisation: URIRef
    PublicAuthority: URIRef
    Region: URIRef
    Municipality: URIRef
    Company: URIRef
    TradeUnion: URIRef
    EmployerOrganisation: URIRef
    GovernmentAgency: URIRef
    University: URIRef
    ResearchInstitute: URIRef
    EducationProvider: URIRef
    Person: URIRef
    # classes: what actors do, and where
    FundingProgramme: URIRef
    Project: URIRef
    Event: URIRef
    Place: URIRef
    # classes: documents and provenance
    PressRelease: URIRef
    Sentence: URIRef
    Rule: URIRef
    # classes: qualified relations (one node per stated fact, carrying its evidence)
    Statement: URIRef
    Funding: URIRef
    ProjectRole: URIRef
    Leadership: URIRef
    Participation: URIRef
    Affiliation: URIRef
    PartOfStatement: URIRef
    Collaboration: URIRef
    LocationStatement: URIRef

    # object properties: the coarse relations
    fundedBy: URIRef
    leads: URIRef
    participatesIn: URIRef
    affiliatedWith: URIRef
    partOf: URIRef
    collaboratesWith: URIRef
    locatedIn: URIRef
    inRegion: URIRef
    # provenance of statements
    evidence: URIRef
    extractedBy: URIRef
    confidence: URIRef
    roleName: URIRef
    amount: URIRef
    surfaceForm: URIRef
    # identifiers and reference facts
    municipalityCode: URIRef
    countyCode: URIRef
    nutsCode: URIRef
    finnishRegionCode: URIRef
    countryCode: URIRef
    # press releases and sentences
    fileName: URIRef
    sha256: URIRef
    dateUnknown: URIRef
    publisherName: URIRef
    position: URIRef
    block: URIRef
    # people
    postTitle: URIRef


@dataclass(frozen=True)
class IriMinter:
    """Mints IRIs under one base. Pass it in; there is no global 'current base'."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    def thing(self, kind: str, slug: str) -> URIRef:
        return URIRef(f"{self.base}/id/{kind}/{slug}")

    def release(self, release_id: str) -> URIRef:
        return self.thing("release", release_id)

    def sentence(self, release_id: str, index: int) -> URIRef:
        return URIRef(f"{self.base}/id/release/{release_id}/sentence/{index}")

    def statement(self, release_id: str, *parts: str) -> URIRef:
        digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
        return URIRef(f"{self.base}/id/release/{release_id}/statement/{digest}")

    def amount(self, release_id: str, *parts: str) -> URIRef:
        digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
        return URIRef(f"{self.base}/id/release/{release_id}/amount/{digest}")

    def rule(self, rule_id: str) -> URIRef:
        return self.thing("rule", rule_id)

    def release_graph(self, release_id: str) -> URIRef:
        return URIRef(f"{self.base}/graph/release/{release_id}")

    def graph(self, name: str) -> URIRef:
        """Named graphs that are not releases: ontology, reference, actors."""
        return URIRef(f"{self.base}/graph/{name}")

    def is_release_graph(self, iri: str) -> bool:
        return iri.startswith(f"{self.base}/graph/release/")


# The IRI kind of each coarse entity type: organisations share one kind, so that a
# changed type never changes an actor's IRI.
KIND_OF_TYPE: dict[str, str] = {
    "Region": "region",
    "Municipality": "municipality",
    "FundingProgramme": "programme",
    "Project": "project",
    "Event": "event",
    "Person": "person",
    "Place": "place",
}


# The rg: classes of actors (the ends of an actor-network link, the things a query's
# actor parameter may name), and of what actors share.
ACTOR_CLASSES: tuple[str, ...] = (
    "Person",
    "Region",
    "Municipality",
    "GovernmentAgency",
    "University",
    "ResearchInstitute",
    "EducationProvider",
    "TradeUnion",
    "EmployerOrganisation",
    "Company",
    "FundingProgramme",
    "PublicAuthority",
    "Organisation",
)
THING_CLASSES: tuple[str, ...] = ("Project", "Event")


def kind_of(entity_type: str) -> str:
    return KIND_OF_TYPE.get(entity_type, "org")


_TRANSLIT = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "þ": "th"})


@functools.lru_cache(maxsize=65_536)  # the same names recur in every release
def slugify(text: str) -> str:
    """Lower-case ASCII slug: 'Region Västerbotten' -> 'region-vasterbotten'."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLIT))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "unnamed"


def release_id_for(file_name: str) -> str:
    """The release id of a file: its name without extension, slugified."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    return slugify(stem)
