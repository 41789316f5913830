"""Relation candidates: every pair of typed entities in a structural scope that the spec
allows for a predicate, with the features a trained model decides on.

A candidate is (subject, predicate, object) with the tightest scope both ends share
(sentence, list item with its lead-in, key-value block, paragraph, section), the mentions
that realise it, whether a hand-written rule stated the same fact, and a feature dict:
types, cue words between and around the mentions (``data/rules/feature_cues.yaml`` and
``relation_cues.yaml``, as groups and as the matched cue), scope kind, distance, order,
place in a list, a decision verb in the lead-in, the key of a key-value line. Features
are generic: no name of an actor is ever a feature, only words in lower case outside the
names and the cue vocabulary.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from regiongraph.ingest.structure import Block, Scope, Structure, document_structure, scopes
from regiongraph.records import ORGANISATION_TYPES, Document, Mention, Relation
from regiongraph.resolve.entities import ResolvedEntity

ACTORS = ORGANISATION_TYPES
FUNDERS = ORGANISATION_TYPES | {"FundingProgramme"}
TARGETS = frozenset({"Project", "Event"})
AREAS = frozenset({"Municipality", "Region", "Place"})

# predicate -> (subject types, object types, scopes it may be stated in)
_ALL = frozenset({"sentence", "list_item", "key_value_block", "paragraph", "section"})
_NEAR = frozenset({"sentence", "list_item", "key_value_block"})
SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {
    "fundedBy": (TARGETS, FUNDERS, _ALL),
    "leads": (ACTORS | {"Person"}, TARGETS, _ALL),
    "participatesIn": (ACTORS | {"Person", "Project"}, TARGETS, _ALL),
    "affiliatedWith": (frozenset({"Person"}), ACTORS, _ALL),
    "partOf": (TARGETS | ACTORS, TARGETS | ACTORS, _NEAR),
    "collaboratesWith": (ACTORS, ACTORS, _NEAR),
    "locatedIn": (ACTORS | TARGETS, AREAS, frozenset({"sentence", "list_item"})),
}
SCOPE_RANK = {"sentence": 0, "list_item": 1, "key_value_block": 2, "paragraph": 3, "section": 4}
_WORD = re.compile(r"[a-zåäöæøéü][a-zåäöæøéü\-]+")
_ANAPHOR = re.compile(r"(?i)(?<![\w-])(?:projektet|projektets|initiativet|satsningen)(?![\w-])")


@dataclass(frozen=True)
class FeatureCues:
    """Cue groups (a name and one regex each) read from the rule files."""

    groups: tuple[tuple[str, re.Pattern[str]], ...]

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - a few per process, kept for good
    def found(self, text: str) -> list[tuple[str, str]]:
        """(group, matched cue in lower case) for every cue in ``text``."""
        out = []
        for group, regex in self.groups:
            for m in regex.finditer(text):
                out.append((group, " ".join(m.group(0).lower().split())))
        return out


def load_feature_cues(rules_dir: Path) -> FeatureCues:
    data = yaml.safe_load((rules_dir / "feature_cues.yaml").read_text(encoding="utf-8")) or {}
    groups = []
    for group, words in data.items():
        alternatives = "|".join(f"(?:{w})" for w in words)
        groups.append((group, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w])", re.I)))
    relation = yaml.safe_load((rules_dir / "relation_cues.yaml").read_text(encoding="utf-8"))
    for group, entries in (relation or {}).items():
        if group == "location":
            continue
        for entry in entries or []:
            pattern = rf"(?<![\w-])(?:{entry['cue']})(?![\w])"
            groups.append(("rule-" + group, re.compile(pattern, re.I)))
    return FeatureCues(tuple(groups))


@dataclass
class Candidate:
    subject: ResolvedEntity
    predicate: str
    object: ResolvedEntity
    scope: str  # tightest shared scope kind, or "rule" when only a rule links them
    s_mention: Mention
    o_mention: Mention
    rule: Relation | None = None
    features: dict[str, float] = field(default_factory=dict)


@dataclass
class _Context:
    doc: Document
    structure: Structure
    block_of: dict[int, Block]
    cues: FeatureCues
    rules: dict[tuple[str, str, str], Relation]
    rule_pairs: dict[frozenset[str], set[str]]
    focus: str | None
    sentence_cues: dict[int, list[tuple[str, str]]]


def find_candidates(
    doc: Document,
    entities: list[ResolvedEntity],
    rule_relations: list[Relation],
    cues: FeatureCues,
    structure: Structure | None = None,
) -> list[Candidate]:
    """Every allowed (s, p, o) in a shared scope, and every fact a rule stated."""
    structure = structure or document_structure(doc)
    ctx = _context(doc, entities, rule_relations, cues, structure)
    best = _closest_mentions(doc, entities, scopes(structure), ctx)
    by_iri = {e.iri: e for e in entities}
    out: dict[tuple[str, str, str], Candidate] = {}
    for (a, b), (kind, ma, mb) in best.items():
        for pred, (subj, obj, allowed) in SIGNATURES.items():
            if kind not in allowed:
                continue
            for s, ms, o, mo in ((a, ma, b, mb), (b, mb, a, ma)):
                ea, eb = by_iri[s], by_iri[o]
                if ea.type in subj and eb.type in obj:
                    if pred == "collaboratesWith" and s > o:
                        continue
                    out[(s, pred, o)] = Candidate(ea, pred, eb, kind, ms, mo)
    for key in ctx.rules:
        s, pred, o = key
        if key not in out and s in by_iri and o in by_iri:
            out[key] = Candidate(
                by_iri[s], pred, by_iri[o], "rule", by_iri[s].mentions[0], by_iri[o].mentions[0]
            )
    for key, cand in out.items():
        cand.rule = ctx.rules.get(key)
        cand.features = _features(cand, ctx)
    return list(out.values())


def _context(doc, entities, rule_relations, cues, structure) -> _Context:
    rules = {}
    pairs: dict[frozenset[str], set[str]] = {}
    for r in rule_relations:
        s, o = r.subject, r.object
        if r.predicate == "collaboratesWith" and s > o:
            s, o = o, s
        rules[(s, r.predicate, o)] = r
        pairs.setdefault(frozenset((r.subject, r.object)), set()).add(r.predicate)
    counts = Counter({e.iri: len(e.mentions) for e in entities if e.type == "Project"})
    focus = counts.most_common(1)[0][0] if counts else None
    sentence_cues = {s.index: cues.found(s.text) for s in doc.sentences}
    block_of = structure.block_of_sentence()
    return _Context(doc, structure, block_of, cues, rules, pairs, focus, sentence_cues)


def _closest_mentions(doc, entities, all_scopes: list[Scope], ctx: _Context):
    """For each entity pair: the tightest scope they share and the nearest mentions in it."""
    by_sentence: dict[int, list[tuple[Mention, ResolvedEntity]]] = {}
    for e in entities:
        for m in e.mentions:
            by_sentence.setdefault(m.sentence, []).append((m, e))
    best: dict[tuple[str, str], tuple[str, Mention, Mention]] = {}
    rank: dict[tuple[str, str], tuple[int, int]] = {}
    for scope in all_scopes:
        members = [p for i in sorted(scope.sentences) for p in by_sentence.get(i, [])]
        if len(members) > 80:
            continue  # a section that is a whole directory: no fact spans it
        for i, (ma, ea) in enumerate(members):
            for mb, eb in members[i + 1 :]:
                if ea.iri == eb.iri:
                    continue
                key = (ea.iri, eb.iri) if ea.iri < eb.iri else (eb.iri, ea.iri)
                first, second = (ma, mb) if ea.iri < eb.iri else (mb, ma)
                value = (SCOPE_RANK[scope.kind], abs(mb.start - ma.start))
                if key not in rank or value < rank[key]:
                    rank[key] = value
                    best[key] = (scope.kind, first, second)
    if ctx.focus is not None:
        _anaphoric_pairs(doc, by_sentence, ctx.focus, best, rank)
    return best


def _anaphoric_pairs(doc, by_sentence, focus: str, best, rank) -> None:
    """'Projektet finansieras av X': the release's main project and X, in one sentence."""
    focus_mention = None
    for pairs in by_sentence.values():
        for m, e in pairs:
            if e.iri == focus:
                focus_mention = focus_mention or m
    for s in doc.sentences:
        if not _ANAPHOR.search(s.text):
            continue
        for m, e in by_sentence.get(s.index, []):
            if e.iri == focus or focus_mention is None:
                continue
            key = (focus, e.iri) if focus < e.iri else (e.iri, focus)
            if key not in rank or rank[key][0] > 1:
                rank[key] = (1, 0)
                pair = (focus_mention, m) if focus < e.iri else (m, focus_mention)
                best[key] = ("sentence", *pair)


def _bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 4, 8, 16, 40, 100, 300)) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return "more"


def _lower_words(text: str, limit: int = 8) -> list[str]:
    """Words in lower case (no names: those start with a capital)."""
    words = [w for w in text.split() if w[:1].islower()]
    return [m.group(0) for w in words[:limit] for m in [_WORD.match(w)] if m]


def _features(c: Candidate, ctx: _Context) -> dict[str, float]:
    p = c.predicate
    f: dict[str, float] = {f"p={p}": 1, f"{p}|types={c.subject.type}>{c.object.type}": 1}
    f[f"{p}|scope={c.scope}"] = 1
    f[f"{p}|stype={c.subject.type}"] = 1
    f[f"{p}|otype={c.object.type}"] = 1
    if c.rule is not None:
        f[f"{p}|rule"] = 1
        f[f"{p}|rule={'.'.join(c.rule.rule_id.split('.')[:3])}"] = 1
        f[f"{p}|rule_conf"] = c.rule.confidence
    for other in ctx.rule_pairs.get(frozenset((c.subject.iri, c.object.iri)), ()):
        if other != p:
            f[f"{p}|other_rule={other}"] = 1
    f[f"{p}|s_src={c.subject.source}"] = 1
    f[f"{p}|o_src={c.object.source}"] = 1
    f[f"{p}|s_focus"] = float(c.subject.iri == ctx.focus)
    f[f"{p}|o_focus"] = float(c.object.iri == ctx.focus)
    for role, m in (("s", c.s_mention), ("o", c.o_mention)):
        f[f"{p}|{role}_find={'.'.join(m.rule_id.split('.')[:2])}"] = 1
        _place_features(f, p, role, m, ctx)
    _between_features(f, c, ctx)
    return f


def _place_features(f: dict[str, float], p: str, role: str, m: Mention, ctx: _Context) -> None:
    """Where a mention stands: block kind, key of its key-value line, list position,
    the word before it and the cues of its sentence and of its list's lead-in."""
    block = ctx.block_of.get(m.sentence)
    doc = ctx.doc
    if block is not None:
        f[f"{p}|{role}_block={block.kind}"] = 1
        if block.key:
            f[f"{p}|{role}_key={' '.join(block.key.split()[:2])}"] = 1
        if block.kind == "list_item":
            f[f"{p}|{role}_item_pos={_bucket(block.position, (0, 1, 3))}"] = 1
            if block.lead_in is not None:
                lead = ctx.structure.blocks[block.lead_in]
                for group, _cue in ctx.cues.found(lead.text):
                    f[f"{p}|{role}_lead={group}"] = 1
        at = m.start - block.start
        f[f"{p}|{role}_at_line_start"] = float(at <= 2)
    before = _lower_words(doc.body[max(0, m.start - 40) : m.start])[-2:]
    for w in before:
        f[f"{p}|{role}_prev={w}"] = 1
    after = doc.body[m.end : m.end + 3]
    if after.strip().startswith("("):
        f[f"{p}|{role}_paren_after"] = 1
    if doc.body[max(0, m.start - 1) : m.start] == "(":
        f[f"{p}|{role}_in_paren"] = 1
    for group, _cue in ctx.sentence_cues.get(m.sentence, []):
        f[f"{p}|{role}_sent={group}"] = 1


def _between_features(f: dict[str, float], c: Candidate, ctx: _Context) -> None:
    p = c.predicate
    a, b = c.s_mention, c.o_mention
    f[f"{p}|s_first"] = float(a.start < b.start)
    lo, hi = (a, b) if a.start < b.start else (b, a)
    gap = ctx.doc.body[lo.end : hi.start] if lo.end <= hi.start else ""
    f[f"{p}|chars={_bucket(len(gap))}"] = 1
    f[f"{p}|lines={_bucket(gap.count(chr(10)), (0, 1, 2, 4))}"] = 1
    if a.sentence == b.sentence:
        for group, cue in ctx.cues.found(gap):
            f[f"{p}|between={group}"] = 1
            f[f"{p}|between_cue={cue}"] = 1
        words = _lower_words(gap, 6)
        if len(gap.split()) <= 6:
            for w in words:
                f[f"{p}|bw={w}"] = 1
        if re.fullmatch(r"\s*(?:,|,?\s*och|,?\s*samt|,?\s*and|,?\s*og)\s*", gap):
            f[f"{p}|enumerated"] = 1
        if re.fullmatch(r"\s*\(\s*", gap):
            f[f"{p}|paren"] = 1
        if re.fullmatch(r"\s*,\s*", gap):
            f[f"{p}|comma"] = 1
        if gap.strip() == "":
            f[f"{p}|adjacent"] = 1
    between_entities = ctx.doc.body[lo.end : hi.start].count("\n")
    f[f"{p}|gap_newlines={_bucket(between_entities, (0, 1, 3))}"] = 1
