"""Frozen records passed from one pipeline stage to the next.

Every stage takes records of the stage before and hands records on; none of them
holds a graph, a store or a file handle, so equal inputs give equal outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# The coarse types of the extraction report (shared/spec/extraction-report.md).
ENTITY_TYPES: tuple[str, ...] = (
    "Region",
    "Municipality",
    "Company",
    "TradeUnion",
    "EmployerOrganisation",
    "GovernmentAgency",
    "University",
    "ResearchInstitute",
    "EducationProvider",
    "FundingProgramme",
    "Organisation",
    "Project",
    "Event",
    "Person",
    "Place",
)
ORGANISATION_TYPES: frozenset[str] = frozenset(ENTITY_TYPES[:11]) - {"FundingProgramme"}
PREDICATES: tuple[str, ...] = (
    "fundedBy",
    "leads",
    "participatesIn",
    "affiliatedWith",
    "partOf",
    "collaboratesWith",
    "locatedIn",
)


@dataclass(frozen=True)
class Release:
    """A press release file and the metadata known about it before reading its body."""

    id: str  # stable slug of the file name, e.g. "dev-002"
    path: Path
    media_type: str  # text/plain, text/html, application/json
    file_name: str
    sha256: str
    published: str | None = None  # ISO date, year-month or year, as precise as known
    published_note: str | None = None  # free text when the date is unknown or uncertain
    title: str | None = None
    publisher: str | None = None
    source: str | None = None  # URL of the original
    language: str | None = None


@dataclass(frozen=True)
class Sentence:
    index: int  # 0-based position in the body
    text: str
    start: int  # character offsets into Document.body
    end: int
    block: str = "body"  # body | contact (the "for more information" block)


@dataclass(frozen=True)
class Document:
    """A release's body, separated from site boilerplate, split into sentences."""

    release: Release
    title: str | None
    body: str
    sentences: tuple[Sentence, ...]
    boilerplate: tuple[str, ...] = ()  # the blocks that were set aside, for inspection
    warnings: tuple[str, ...] = ()  # how reading fell short, e.g. an HTML page read by fallback


@dataclass(frozen=True)
class Mention:
    release_id: str
    sentence: int
    start: int  # offsets into Document.body
    end: int
    text: str
    label: str  # one of ENTITY_TYPES
    rule_id: str
    key: str = ""  # normalised form used for resolution within the release


@dataclass(frozen=True)
class Evidence:
    release_id: str
    sentence: int
    text: str


@dataclass(frozen=True)
class Amount:
    value: float
    currency: str  # ISO 4217
    text: str = ""


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    type: str  # one of ENTITY_TYPES
    mentions: tuple[str, ...]
    source: str  # reference | curated | minted
    start: str | None = None  # ISO 8601 date or year, projects and events
    end: str | None = None
    email: tuple[str, ...] = ()
    phone: tuple[str, ...] = ()
    post: str | None = None  # a person's post title, as written


@dataclass(frozen=True)
class Relation:
    subject: str  # entity IRIs
    predicate: str  # one of PREDICATES
    object: str
    evidence: Evidence
    rule_id: str
    confidence: float
    role: str | None = None  # the cue word: "projektägare", "partner", a post title
    amount: Amount | None = None


@dataclass(frozen=True)
class Extraction:
    """What one release states: its entities and relations, resolved to canonical IRIs."""

    document: Document
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class BuildProblem:
    """A release that could not be read or did not validate: named, with the reason."""

    path: str
    stage: str  # ingest | extract | validate | store
    message: str


@dataclass(frozen=True)
class BuildSummary:
    """What a build did. Releases: ``read`` = found in the files and now in the store
    (``changed`` ones written by this build, ``unchanged`` ones not read again);
    ``removed`` from the store (``--prune``); ``failed`` = files with a problem."""

    releases_read: int
    releases_failed: int
    entities: int
    relations: int
    triples: int
    quads: int
    conforms: bool
    problems: tuple[BuildProblem, ...] = field(default_factory=tuple)
    pages: tuple[str, ...] = ()
    releases_unchanged: int = 0
    releases_changed: int = 0
    releases_removed: int = 0
