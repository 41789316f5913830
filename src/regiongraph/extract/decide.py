"""Where the trained models decide: the type of unknown names, and which candidates are facts.

``retype`` asks the type model about every minted name (reference and curated actors keep
their type): a name whose best type scores at least the ``type`` threshold takes it (and
an IRI of that kind), one whose NONE score reaches the ``drop`` threshold is no entity.
``decide`` keeps a fact a hand-written rule stated unless its calibrated probability is
below the ``veto`` threshold, and a candidate no rule stated when its probability reaches
the ``relation`` threshold; that probability is the fact's confidence. (Measured out of
fold, the classifier added almost nothing the rules had not stated, but it removed wrong
rule facts: it is mostly a precision filter.) Of ``leads`` and ``participatesIn``
for the same pair only the likelier stays (the owner of a project is not also a partner).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from regiongraph.extract.candidates import Candidate
from regiongraph.extract.entity_types import NOT_AN_ENTITY
from regiongraph.extract.models import Models
from regiongraph.ingest.structure import Structure
from regiongraph.records import Document, Evidence, Relation
from regiongraph.resolve.entities import ResolvedEntity
from regiongraph.vocab import IriMinter, kind_of

SCORED_RULE = "rel.scored.v1"  # provenance of a fact that no hand-written rule stated


@dataclass(frozen=True)
class Analysis:
    """A document read so far: its structure and the entities resolution gave."""

    doc: Document
    structure: Structure
    entities: list[ResolvedEntity]


def retype(
    analysis: Analysis,
    models: Models,
    lexicon,
    cues,
    minter: IriMinter,
    features: Callable[[Analysis, ResolvedEntity], dict[str, float]],
) -> list[ResolvedEntity]:
    if models.types is None:
        return analysis.entities
    minted = [e for e in analysis.entities if e.source == "minted"]
    scores = models.type_scores([features(analysis, e) for e in minted])
    decided = {e.iri: s for e, s in zip(minted, scores, strict=True)}
    taken = {e.iri for e in analysis.entities if e.source != "minted"}
    out = []
    for e in analysis.entities:
        score = decided.get(e.iri)
        if score is None:
            out.append(e)
            continue
        if score.get(NOT_AN_ENTITY, 0.0) >= models.drop_threshold:
            continue
        best = max((t for t in score if t != NOT_AN_ENTITY), key=score.__getitem__)
        if best != e.type and score[best] >= models.type_threshold:
            iri = str(minter.thing(kind_of(best), e.iri.rsplit("/", 1)[-1]))
            if iri not in taken:
                e = replace(e, type=best, iri=iri)
        taken.add(e.iri)
        out.append(e)
    return out


def _evidence(doc: Document, c: Candidate) -> Evidence:
    if c.rule is not None:
        return c.rule.evidence
    # the later of the two mentions: a list item rather than its lead-in, a value line
    # rather than the project's heading
    index = max(c.s_mention.sentence, c.o_mention.sentence)
    return Evidence(doc.release.id, index, doc.sentences[index].text)


def decide(doc: Document, candidates: list[Candidate], models: Models) -> list[Relation]:
    scores = models.relation_scores([c.features for c in candidates])
    kept = [
        (c, p)
        for c, p in zip(candidates, scores, strict=True)
        if c.subject.iri != c.object.iri
        and p >= (models.veto_threshold if c.rule is not None else models.relation_threshold)
    ]
    best_role: dict[tuple[str, str], float] = {}
    for c, p in kept:
        if c.predicate in {"leads", "participatesIn"}:
            pair = (c.subject.iri, c.object.iri)
            best_role[pair] = max(best_role.get(pair, 0.0), p)
    out = []
    for c, p in kept:
        pair = (c.subject.iri, c.object.iri)
        if c.predicate in {"leads", "participatesIn"} and p < best_role[pair]:
            continue
        out.append(
            Relation(
                c.subject.iri,
                c.predicate,
                c.object.iri,
                _evidence(doc, c),
                c.rule.rule_id if c.rule is not None else SCORED_RULE,
                round(p, 3),
                c.rule.role if c.rule is not None else None,
            )
        )
    return out
