"""Relation rules: sentence by sentence, cue words and the typed mentions around them.

Each rule states a Swedish way of writing a fact ("finansieras av", "projektägare X",
"X bjuder in till Y", "samverkansavtal mellan X och Y"); cues live in
``data/rules/relation_cues.yaml`` and their ids go into provenance. A small discourse
state carries the release's focus project and event ("Projektet …", "konferensen"), the
body that decided a grant list and the project a grant-list item is about.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from regiongraph.extract.resources import Cue, Lexicon
from regiongraph.records import ORGANISATION_TYPES, Document, Evidence, Mention, Relation, Sentence
from regiongraph.resolve.entities import ResolvedEntity, group_by_sentence
from regiongraph.vocab import slugify

ACTOR_TYPES = ORGANISATION_TYPES
FUNDER_TYPES = ORGANISATION_TYPES | {"FundingProgramme"}
TARGET_TYPES = {"Project", "Event"}
AREA_TYPES = {"Municipality", "Region", "Place"}

_PROJECT_ANAPHOR = re.compile(r"(?<![\w-])(?:[Pp]rojektet|[Ii]nitiativet|[Ss]atsningen|[Pp]rojektets)(?![\w-])")
_EVENT_ANAPHOR = re.compile(r"(?<![\w-])(?:[Kk]onferensen|[Ss]tudieresan|[Rr]esan|[Ee]venemanget|[Dd]agen)(?![\w-])")
_REGION_ANAPHOR = re.compile(r"(?<![\w-])(?:Regionen|regionen)(?![\w-])")
_DECISION = re.compile(r"(?i)\b(?:beslutat|beslutade|beslutar|beviljat|beviljar|bevilja|fördelar|fördelat|har\s+valt\s+ut|valt\s+ut)\b")
_GRANT_ITEM = re.compile(r"(?i)\bbeviljas\b")


Pair = tuple[Mention, ResolvedEntity]


@dataclass
class Discourse:
    focus_project: ResolvedEntity | None = None
    focus_event: ResolvedEntity | None = None
    main_region: ResolvedEntity | None = None
    decider: ResolvedEntity | None = None
    item_project: ResolvedEntity | None = None
    relations: dict[tuple[str, str, str], Relation] = field(default_factory=dict)


def find_relations(doc: Document, entities: list[ResolvedEntity], lexicon: Lexicon) -> list[Relation]:
    by_sentence = group_by_sentence(entities)
    state = Discourse(main_region=_most_mentioned(entities, {"Region"}))
    state.focus_project = _most_mentioned(entities, {"Project"})
    state.focus_event = _most_mentioned(entities, {"Event"})
    cues = {group: lexicon.cues_of(group) for group in
            ("funding", "leading", "participation", "part_of", "collaboration")}
    for s in doc.sentences:
        pairs = by_sentence.get(s.index, [])
        targets = [p for p in pairs if p[1].type in TARGET_TYPES]
        if targets:
            if any(p[1].type == "Project" for p in targets):
                state.focus_project = next(p[1] for p in targets if p[1].type == "Project")
            if any(p[1].type == "Event" for p in targets):
                state.focus_event = next(p[1] for p in targets if p[1].type == "Event")
        _grant_list(doc, s, pairs, state, lexicon)
        _funding(doc, s, pairs, state, cues["funding"])
        _leading(doc, s, pairs, state, cues["leading"])
        _participation(doc, s, pairs, state, cues["participation"])
        _part_of(doc, s, pairs, state, cues["part_of"])
        _collaboration(doc, s, pairs, state, cues["collaboration"])
        _affiliation(doc, s, pairs, by_sentence, state)
        _location(doc, s, pairs, state)
    return _without_conflicts(list(state.relations.values()))


def _most_mentioned(entities: list[ResolvedEntity], types: set[str]) -> ResolvedEntity | None:
    counts = Counter({e.iri: len(e.mentions) for e in entities if e.type in types})
    if not counts:
        return None
    iri = counts.most_common(1)[0][0]
    return next(e for e in entities if e.iri == iri)


def _add(state: Discourse, doc: Document, s: Sentence, subj: ResolvedEntity, pred: str,
         obj: ResolvedEntity, rule: str, confidence: float, role: str | None = None) -> None:
    if subj.iri == obj.iri:
        return
    key = (subj.iri, pred, obj.iri)
    if key in state.relations:
        return
    evidence = Evidence(doc.release.id, s.index, s.text)
    state.relations[key] = Relation(subj.iri, pred, obj.iri, evidence, rule, confidence, role)


def _first_cue(cues: tuple[Cue, ...], text: str) -> tuple[Cue, re.Match[str]] | None:
    best = None
    for cue in cues:
        m = cue.regex.search(text)
        if m and (best is None or m.start() < best[1].start()):
            best = (cue, m)
    return best


def _targets(s: Sentence, pairs: list[Pair], state: Discourse, kinds: set[str]) -> list[ResolvedEntity]:
    found = _unique(e for _, e in pairs if e.type in kinds)
    if found:
        return found
    if "Project" in kinds and _PROJECT_ANAPHOR.search(s.text) and state.focus_project:
        return [state.focus_project]
    if "Event" in kinds and _EVENT_ANAPHOR.search(s.text) and state.focus_event:
        return [state.focus_event]
    return []


def _unique(entities) -> list[ResolvedEntity]:
    seen: dict[str, ResolvedEntity] = {}
    for e in entities:
        seen.setdefault(e.iri, e)
    return list(seen.values())


def _actors(pairs: list[Pair], exclude: set[str] = frozenset(), after: int | None = None,
            before: int | None = None, types: set[str] = ACTOR_TYPES) -> list[ResolvedEntity]:
    return _unique(
        e for m, e in pairs
        if e.type in types and e.iri not in exclude
        and (after is None or m.start >= after) and (before is None or m.end <= before)
    )


def _region_anaphor(s: Sentence, state: Discourse) -> list[ResolvedEntity]:
    if state.main_region and _REGION_ANAPHOR.search(s.text):
        return [state.main_region]
    return []


# --- rules ----------------------------------------------------------------------------


def _grant_list(doc, s, pairs, state, lexicon) -> None:
    """Decision sentences name the funder; 'Projektägare X beviljas N kr' items its grants."""
    if _DECISION.search(s.text) and not _GRANT_ITEM.search(s.text):
        deciders = _actors(pairs, types=ACTOR_TYPES) or _region_anaphor(s, state)
        if deciders:
            state.decider = deciders[0]
    projects = [e for m, e in pairs if e.type == "Project" and m.rule_id.startswith("project.grant-list")]
    if projects:
        state.item_project = projects[0]
        state.focus_project = projects[0]
    if not re.match(r"(?i)^(?:projektägare|sökande|stödmottagare|mottagare)\b", s.text):
        return
    project = state.item_project
    if project is None:
        return
    owners = _actors(pairs)
    for owner in owners[:1]:
        _add(state, doc, s, owner, "leads", project, "rel.leads.grant-list-owner.v1", 0.9, "projektägare")
    if _GRANT_ITEM.search(s.text) and state.decider:
        _add(state, doc, s, project, "fundedBy", state.decider, "rel.funded-by.grant-decision.v1", 0.85)


def _funding(doc, s, pairs, state, cues) -> None:
    text = s.text
    # 'ett Interreg Nord-projekt': a programme written as the kind of project
    for m, e in pairs:
        if e.type == "FundingProgramme" and re.match(r"-?projekt", text[m.end - s.start :]):
            for target in _targets(s, pairs, state, {"Project"}):
                _add(state, doc, s, target, "fundedBy", e, "rel.funded-by.programme-project.v1", 0.85)
    hit = _first_cue(cues, text)
    if hit is None:
        return
    cue, match = hit
    if _GRANT_ITEM.search(text) and re.match(r"(?i)^(?:projektägare|sökande)", text):
        return  # handled by the grant list rule
    targets = _targets(s, pairs, state, TARGET_TYPES)
    if not targets:
        return
    cue_at = s.start + match.start()
    funders = _actors(pairs, exclude={t.iri for t in targets}, after=cue_at, types=FUNDER_TYPES)
    funders += _actors(pairs, exclude={t.iri for t in targets}, types={"FundingProgramme"})
    if not funders and re.search(r"(?i)regionala utvecklingsmedel|1:1-medel", text):
        funders = _region_anaphor(s, state) or ([state.main_region] if state.main_region else [])
    for target in targets[:1] if len(targets) > 1 else targets:
        for funder in _unique(funders):
            _add(state, doc, s, target, "fundedBy", funder, cue.id, cue.confidence, match.group(0))


def _leading(doc, s, pairs, state, cues) -> None:
    text = s.text
    # 'projektet X vid Region Y': the organisation that runs the project
    for m, e in pairs:
        if e.type != "Project":
            continue
        rest = text[m.end - s.start :]
        at = re.match(r"\s*(?:\([^)]*\))?\s*(?:vid|hos|inom)\s+", rest)
        if at:
            owner_start = m.end + at.end()
            owner = [x for mm, x in pairs if mm.start == owner_start and x.type in ACTOR_TYPES]
            for o in owner:
                _add(state, doc, s, o, "leads", e, "rel.leads.project-at-org.v1", 0.8, at.group(0).strip())
    hit = _first_cue(cues, text)
    if hit is None:
        return
    cue, match = hit
    cue_at = s.start + match.start()
    passive = bool(re.search(r"(?i)(?:av|by)$", match.group(0)))
    if cue.id == "rel.leads.owner.v1":
        owners = _actors(pairs, after=cue_at)
        targets = _targets(s, pairs, state, TARGET_TYPES)
        for t in targets[:1]:
            for o in owners[:1]:
                _add(state, doc, s, o, "leads", t, cue.id, cue.confidence, match.group(0))
        return
    if passive:
        targets = [e for m, e in pairs if e.type in TARGET_TYPES and m.end <= cue_at] or _targets(
            s, pairs, state, {"Event"} if _EVENT_ANAPHOR.search(text[: match.start()]) else TARGET_TYPES
        )
        agents = [e for m, e in pairs if m.start >= s.start + match.end()
                  and e.type in ACTOR_TYPES | {"Project"}]
    else:
        targets = [e for m, e in pairs if e.type in TARGET_TYPES and m.start >= cue_at]
        if not targets and re.search(r"(?i)bjuder|bjöd|arrang|anordna", match.group(0)):
            targets = _targets(s, pairs, state, {"Event"})
        agents = [e for m, e in pairs if m.end <= cue_at and e.type in ACTOR_TYPES | {"Project"}]
        if not agents and _PROJECT_ANAPHOR.search(text[: match.start()]) and state.focus_project:
            agents = [state.focus_project]
        agents += [] if agents else _region_anaphor(s, state)
    for t in _unique(targets)[:1]:
        for a in _unique(agents):
            if a.type == "Project" and t.type == "Project":
                continue
            _add(state, doc, s, a, "leads", t, cue.id, cue.confidence, match.group(0))


def _participation(doc, s, pairs, state, cues) -> None:
    hit = _first_cue(cues, s.text)
    if hit is None:
        return
    cue, match = hit
    targets = _targets(s, pairs, state, TARGET_TYPES)
    if not targets:
        return
    target = targets[0]
    members = _actors(pairs, exclude={target.iri})
    if re.search(r"(?i)berättar|presenterar|talare|perspektiv|delar sina", match.group(0)):
        members += [e for _, e in pairs if e.type in {"Person", "Project"} and e.iri != target.iri]
    for member in _unique(members):
        _add(state, doc, s, member, "participatesIn", target, cue.id, cue.confidence, match.group(0))


def _part_of(doc, s, pairs, state, cues) -> None:
    hit = _first_cue(cues, s.text)
    if hit is None:
        return
    cue, match = hit
    cue_at = s.start + match.start()
    kinds = TARGET_TYPES | ACTOR_TYPES
    left = [e for m, e in pairs if m.end <= cue_at and e.type in kinds]
    if not left and _PROJECT_ANAPHOR.search(s.text[: match.start()]) and state.focus_project:
        left = [state.focus_project]
    right = [e for m, e in pairs if m.start >= s.start + match.end() and e.type in kinds]
    if left and right:
        a, b = left[-1], right[0]
        if (a.type in TARGET_TYPES) == (b.type in TARGET_TYPES):
            _add(state, doc, s, a, "partOf", b, cue.id, cue.confidence, match.group(0))


def _collaboration(doc, s, pairs, state, cues) -> None:
    hit = _first_cue(cues, s.text)
    if hit is None:
        return
    cue, match = hit
    if [e for _, e in pairs if e.type in TARGET_TYPES and not _is_agreement_project(e)]:
        if not re.search(r"(?i)analysprojekt|avtal", match.group(0)):
            return
    cue_at = s.start + match.start()
    between = re.search(r"(?i)mellan\s", s.text)
    actors = _actors(pairs)
    if between:
        group = _actors(pairs, after=s.start + between.end())
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                _add(state, doc, s, a, "collaboratesWith", b, cue.id, cue.confidence, match.group(0))
        return
    left = _actors(pairs, before=cue_at) or _region_anaphor(s, state)
    right = [e for e in actors if e not in left]
    for a in left[:1]:
        for b in right:
            _add(state, doc, s, a, "collaboratesWith", b, cue.id, cue.confidence, match.group(0))


def _is_agreement_project(e: ResolvedEntity) -> bool:
    return False


_AFFILIATION_LINK = re.compile(r"^\s*(?:\([A-ZÅÄÖ]{1,3}\))?\s*(?:,\s*)?(?:[^,.;:]{0,80}?)\s*(?:,|\bpå\b|\bvid\b|\bfrån\b|\bhos\b|\bi\b|\binom\b|\bför\b)\s*$")


def _affiliation(doc, s, pairs, by_sentence, state) -> None:
    persons = [(m, e) for m, e in pairs if e.type == "Person"]
    if not persons:
        return
    orgs = [(m, e) for m, e in pairs if e.type in ACTOR_TYPES]
    for i, (pm, person) in enumerate(persons):
        next_person_at = persons[i + 1][0].start if i + 1 < len(persons) else s.end
        candidates = [(m, e) for m, e in orgs if pm.end <= m.start < next_person_at]
        chosen = None
        for m, e in candidates:
            gap = doc.body[pm.end : m.start]
            if len(gap) <= 120 and not re.search(r"[.!?]\s|\bsäger\b.*\bsäger\b", gap):
                chosen = e
                break
        if chosen is None:
            chosen = _contact_block_org(doc, s, by_sentence)
        if chosen is not None:
            role = _post_between(doc.body, pm.end, s.end)
            _add(state, doc, s, person, "affiliatedWith", chosen, "rel.affiliated.nearby-org.v1", 0.75, role)


def _contact_block_org(doc, s, by_sentence) -> ResolvedEntity | None:
    """A contact block: the name on one line, post and organisation on the next ones."""
    if len(s.text.split()) > 4:
        return None
    for nxt in (s.index + 1, s.index + 2):
        pairs = by_sentence.get(nxt, [])
        if any(e.type == "Person" for _, e in pairs):
            return None
        orgs = [e for _, e in pairs if e.type in ACTOR_TYPES]
        if orgs:
            return orgs[0]
    return None


def _post_between(body: str, start: int, end: int) -> str | None:
    m = re.match(r"\s*(?:\([A-ZÅÄÖ]{1,3}\))?\s*,?\s*([a-zåäöA-ZÅÄÖ][\wåäö\- ]{2,60}?)\s*(?:,|\bpå\b|\bvid\b|\bi\b|$)", body[start:end])
    if m and not m.group(1)[0].isupper() or (m and m.group(1).split()[0] in {"VD", "Vd"}):
        return m.group(1).strip()
    return None


def _location(doc, s, pairs, state) -> None:
    text = s.text
    # 'Name, Region' list lines: an organisation and where it is
    line = re.match(r"^([^,]{2,80}),\s*([^,]{2,60})$", text)
    if line and len(pairs) == 2:
        (m1, e1), (m2, e2) = pairs
        if e2.type in AREA_TYPES and e1.type not in AREA_TYPES | {"Person"}:
            _add(state, doc, s, e1, "locatedIn", e2, "rel.located-in.list-line.v1", 0.8)
            return
    for m, e in pairs:
        if e.type != "Event":
            continue
        for m2, e2 in pairs:
            if e2.type in AREA_TYPES and m2.start > m.end:
                gap = doc.body[m.end : m2.start]
                if re.search(r"(?:\bi\b|\bpå\b)\s*$", gap) and len(gap) < 60:
                    _add(state, doc, s, e, "locatedIn", e2, "rel.located-in.preposition.v1", 0.7, "i")
                    break
    if re.match(r"(?i)^plats\s*:", text) and state.focus_event:
        for _, e2 in pairs:
            if e2.type in AREA_TYPES:
                _add(state, doc, s, state.focus_event, "locatedIn", e2, "rel.located-in.venue-line.v1", 0.8)


def _without_conflicts(relations: list[Relation]) -> list[Relation]:
    """Leading a project implies taking part: keep only 'leads' for the same pair."""
    leads = {(r.subject, r.object) for r in relations if r.predicate == "leads"}
    return [
        r for r in relations
        if not (r.predicate == "participatesIn" and (r.subject, r.object) in leads)
    ]


def email_domain_key(email: str) -> str:
    return slugify(email.split("@")[-1].rsplit(".", 1)[0]).replace("-", "")
