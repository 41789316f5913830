"""Extraction: Document -> Extraction (entities with canonical IRIs, relations with evidence).

The extractor runs named components in order over one document, as a spaCy pipeline
does: mention finders first, then resolution, then relation rules. Resources (reference
data, rule files, word lists) are loaded once and passed in; nothing is global.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from regiongraph.extract import mentions as find
from regiongraph.extract.candidates import (
    Candidate,
    FeatureCues,
    find_candidates,
    load_feature_cues,
)
from regiongraph.extract.decide import Analysis, decide, retype
from regiongraph.extract.entity_types import type_features
from regiongraph.extract.grants import attach_amounts
from regiongraph.extract.models import Models, load_models
from regiongraph.extract.relations import email_domain_key, find_relations
from regiongraph.extract.resources import Lexicon, load_lexicon
from regiongraph.extract.timeline import project_and_event_dates
from regiongraph.ingest.structure import document_structure
from regiongraph.records import Document, Entity, Extraction, Mention, Relation
from regiongraph.resolve.entities import (
    ResolvedEntity,
    clean_surface,
    cluster_mentions,
    resolve_clusters,
    select_mentions,
)
from regiongraph.resolve.reference import ReferenceData, load_reference
from regiongraph.vocab import IriMinter, slugify


class ExtractionError(RuntimeError):
    """A component failed on a document; the message names the component and release."""


@dataclass
class Extractor:
    """Everything needed to read facts out of a Document."""

    reference: ReferenceData
    lexicon: Lexicon
    minter: IriMinter = field(default_factory=IriMinter)
    models: Models = field(default_factory=Models.absent)
    feature_cues: FeatureCues = field(default_factory=lambda: FeatureCues(()))

    @classmethod
    def from_data_dir(
        cls, data_dir: Path, minter: IriMinter | None = None, models: Models | None = None
    ) -> Extractor:
        """The extractor of a data folder, with the models shipped in its ``models/``."""
        return cls(
            load_reference(data_dir / "reference"),
            load_lexicon(data_dir),
            minter or IriMinter(),
            models if models is not None else load_models(data_dir / "models"),
            load_feature_cues(data_dir / "rules"),
        )

    def __post_init__(self) -> None:
        self._person_re = find._person_regex(self.lexicon.first_names)

    @property
    def mention_finders(self) -> list[tuple[str, Callable[[Document], list[Mention]]]]:
        return [
            ("reference", lambda d: find.find_reference_mentions(d, self.reference)),
            ("persons", lambda d: find.find_persons(d, self.lexicon, self._person_re)),
            ("form-names", lambda d: find.find_form_names(d, self.lexicon)),
            ("descriptor-names", lambda d: find.find_descriptor_names(d, self.lexicon)),
            ("grant-list", find.find_grant_list_projects),
            ("numbered-headings", find.find_numbered_headings),
            ("grant-owners", find.find_grant_owners),
            ("project-lists", find.find_project_list_items),
            ("colon-lists", find.find_colon_list_items),
            ("list-lines", lambda d: find.find_list_lines(d, self.reference, self.lexicon)),
            ("capitalised-names", lambda d: find.find_capitalised_names(d, self.lexicon)),
            ("unnamed-events", lambda d: find.find_unnamed_events(d, self.lexicon)),
        ]

    def resolve(self, doc: Document) -> Analysis:
        """Mentions found, selected and resolved to entities (before the type model)."""
        found: list[Mention] = []
        for name, finder in self.mention_finders:
            try:
                found.extend(finder(doc))
            except Exception as exc:  # name the component that broke, keep the cause
                raise ExtractionError(
                    f"{doc.release.file_name}: component {name!r}: {exc}"
                ) from exc
        found = find.trim_at_reference([m for m in found if clean_surface(m.text)])
        found = find.extend_numeric_suffix(doc, found)
        found += find.join_place_prefixed_names(doc, found)
        selected = select_mentions(found)
        selected = select_mentions(selected + find.find_acronym_definitions(doc, selected))
        selected = select_mentions(selected + find.find_propagated(doc, selected))
        selected = find.type_enumerations(doc, selected)
        selected = find.resolve_misspelt_places(selected, self.reference)
        selected = find.retype_by_head(selected, self.lexicon, self.reference)
        selected = find.type_places_and_companies(doc, selected)
        clusters = cluster_mentions(selected, self.reference)
        resolved = resolve_clusters(
            clusters, self.reference, self.minter, self.lexicon.curation, doc.release.id
        )
        return Analysis(doc, document_structure(doc), resolved)

    def typed(self, analysis: Analysis, models: Models | None = None) -> list[ResolvedEntity]:
        """Names reference data does not know, typed (or dropped) by the type model."""
        models = models or self.models
        return retype(
            analysis, models, self.lexicon, self.feature_cues, self.minter, self.type_features
        )

    def type_features(self, analysis: Analysis, e: ResolvedEntity) -> dict[str, float]:
        block_of = analysis.structure.block_of_sentence()
        return type_features(e, analysis.doc, self.lexicon, self.feature_cues, block_of)

    def rule_relations(
        self, doc: Document, resolved: list[ResolvedEntity]
    ) -> tuple[list[Relation], dict[str, Contacts]]:
        """What the hand-written rules state, and each person's contact details."""
        relations = find_relations(doc, resolved, self.lexicon)
        contacts = _person_contacts(doc, resolved)
        relations = relations + _email_affiliations(doc, resolved, relations, contacts)
        return relations, contacts

    def candidates(
        self, analysis: Analysis, resolved: list[ResolvedEntity], rules: list[Relation]
    ) -> list[Candidate]:
        return find_candidates(analysis.doc, resolved, rules, self.feature_cues, analysis.structure)

    def extract(self, doc: Document) -> Extraction:
        return self.finish(self.resolve(doc))

    def finish(self, analysis: Analysis, models: Models | None = None) -> Extraction:
        """Types, relations, amounts and dates of a resolved document (``models``: others
        than the shipped ones, as cross-validation trains them per fold)."""
        models = models or self.models
        doc = analysis.doc
        resolved = self.typed(analysis, models)
        relations, contacts = self.rule_relations(doc, resolved)
        if models.relations is not None:
            relations = decide(doc, self.candidates(analysis, resolved, relations), models)
        relations = attach_amounts(doc, resolved, relations)
        dates = project_and_event_dates(doc, resolved)
        entities = tuple(
            _entity_record(e, relations, contacts.get(e.iri, ((), ())), dates.get(e.iri))
            for e in resolved
        )
        return Extraction(doc, entities, tuple(relations))


Contacts = tuple[tuple[str, ...], tuple[str, ...]]  # e-mail addresses, phone numbers


def _entity_record(
    e: ResolvedEntity,
    relations: list[Relation],
    contacts: Contacts,
    period: tuple[str | None, str | None] | None = None,
) -> Entity:
    surfaces = tuple(dict.fromkeys(clean_surface(m.text) for m in e.mentions))
    emails, phones = contacts
    post = None
    if e.type == "Person":
        posts = [
            r.role
            for r in relations
            if r.subject == e.iri and r.predicate == "affiliatedWith" and r.role
        ]
        post = posts[0] if posts else None
    start, end = period or (None, None)
    return Entity(
        e.iri,
        e.label,
        e.type,
        surfaces,
        e.source,
        start=start,
        end=end,
        email=emails,
        phone=phones,
        post=post,
    )


def _person_contacts(doc: Document, entities: list[ResolvedEntity]) -> dict[str, Contacts]:
    """Each person's contact details; the document is scanned for them once."""
    found = find.find_contacts(doc)
    return {e.iri: _contacts_near(doc, e, found) for e in entities if e.type == "Person"}


def _local_key(email: str) -> str:
    """'eva.holm@example.se' -> 'evaholm', comparable with a slugged name."""
    return slugify(email.split("@")[0]).replace("-", "")


def _contacts_near(
    doc: Document,
    e: ResolvedEntity,
    found: tuple[list[tuple[int, str]], list[tuple[int, str]]],
) -> Contacts:
    """E-mail and phone written in the person's sentence or the two lines after it."""
    emails, phones = found
    name_slug = slugify(e.label).replace("-", "")
    mine_e, mine_p = [], []
    for m in e.mentions:
        first = doc.sentences[m.sentence]
        last = doc.sentences[min(m.sentence + 2, len(doc.sentences) - 1)]
        for at, email in emails:
            local = _local_key(email)
            if first.start <= at <= last.end and (local == name_slug or m.start <= at):
                mine_e.append(email)
        for at, phone in phones:
            if m.end <= at <= last.end and (at - m.end) < 200:
                mine_p.append(phone)
    named = [x for x in mine_e if _local_key(x) == name_slug]
    return tuple(dict.fromkeys(named or mine_e[:1])), tuple(dict.fromkeys(mine_p[:1]))


def _email_affiliations(
    doc: Document,
    entities: list[ResolvedEntity],
    relations: list[Relation],
    contacts: dict[str, Contacts],
) -> list[Relation]:
    """An e-mail domain that spells an organisation's name is evidence of affiliation."""
    from regiongraph.records import Evidence

    have = {r.subject for r in relations if r.predicate == "affiliatedWith"}
    orgs = {}
    for e in entities:
        if e.type in {"Person", "Project", "Event", "Place", "FundingProgramme"}:
            continue
        for form in (e.label, *(m.text for m in e.mentions)):
            orgs.setdefault(slugify(form).replace("-", ""), e)
    out = []
    for e in entities:
        if e.type != "Person" or e.iri in have:
            continue
        for email in contacts[e.iri][0]:
            org = orgs.get(email_domain_key(email))
            if org is not None:
                m = e.mentions[0]
                s = doc.sentences[m.sentence]
                out.append(
                    Relation(
                        e.iri,
                        "affiliatedWith",
                        org.iri,
                        Evidence(doc.release.id, s.index, s.text),
                        "rel.affiliated.email-domain.v1",
                        0.7,
                        None,
                    )
                )
                break
    return out
