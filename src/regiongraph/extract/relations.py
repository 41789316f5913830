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

_PROJECT_ANAPHOR = re.compile(
    r"(?<![\w-])(?:[Pp]rojektet|[Ii]nitiativet|[Ss]atsningen|[Pp]rojektets)(?![\w-])"
)
_EVENT_ANAPHOR = re.compile(
    r"(?<![\w-])(?:[Kk]onferensen|[Ss]tudieresan|[Rr]esan|[Ee]venemanget|[Dd]agen)(?![\w-])"
)
_REGION_ANAPHOR = re.compile(r"(?<![\w-])(?:Regionen|regionen)(?![\w-])")
_DECISION = re.compile(
    r"(?i)\b(?:beslutat|beslutade|beslutar|beviljat|beviljar|bevilja|beviljades|beviljats|fördelar|fördelat|har\s+valt\s+ut|valt\s+ut|medfinansierar|finansierar|godkänt|godkände|tilldelar|tilldelat|satsar)\b"
)
_GRANT_ITEM = re.compile(r"(?i)\bbeviljas\b")


Pair = tuple[Mention, ResolvedEntity]


@dataclass
class Discourse:
    focus_project: ResolvedEntity | None = None
    focus_event: ResolvedEntity | None = None
    main_region: ResolvedEntity | None = None
    main_municipality: ResolvedEntity | None = None
    decider: ResolvedEntity | None = None
    item_project: ResolvedEntity | None = None
    in_programme: bool = False
    member_target: ResolvedEntity | None = None
    member_line: int = -1
    relations: dict[tuple[str, str, str], Relation] = field(default_factory=dict)


def find_relations(
    doc: Document, entities: list[ResolvedEntity], lexicon: Lexicon
) -> list[Relation]:
    by_sentence = group_by_sentence(entities)
    state = Discourse(
        main_region=_most_mentioned(entities, {"Region"}),
        main_municipality=_most_mentioned(entities, {"Municipality"}),
    )
    state.focus_project = _most_mentioned(entities, {"Project"})
    state.focus_event = _most_mentioned(entities, {"Event"})
    cues = {
        group: lexicon.cues_of(group)
        for group in ("funding", "leading", "participation", "part_of", "collaboration")
    }
    for s in doc.sentences:
        pairs = by_sentence.get(s.index, [])
        targets = [p for p in pairs if p[1].type in TARGET_TYPES]
        if targets:
            if any(p[1].type == "Project" for p in targets):
                state.focus_project = next(p[1] for p in targets if p[1].type == "Project")
            if any(p[1].type == "Event" for p in targets):
                state.focus_event = next(p[1] for p in targets if p[1].type == "Event")
        _programme(doc, s, pairs, state)
        _grant_list(doc, s, pairs, state, lexicon)
        _grant_sentence(doc, s, pairs, state)
        _member_list(doc, s, pairs, state)
        _funding(doc, s, pairs, state, cues["funding"])
        _leading(doc, s, pairs, state, cues["leading"])
        _participation(doc, s, pairs, state, cues["participation"])
        _part_of(doc, s, pairs, state, cues["part_of"])
        _collaboration(doc, s, pairs, state, cues["collaboration"])
        _affiliation(doc, s, pairs, by_sentence, state)
        _location(doc, s, pairs, state)
    _project_lists(doc, entities, state)
    return _without_conflicts(list(state.relations.values()))


_LIST_OWNER_CUE = re.compile(
    r"(?i)\b(?:ansvarar\s+för|driver|leder|äger|är\s+projektägare|står\s+bakom)\b"
)


def _project_lists(doc: Document, entities: list[ResolvedEntity], state: Discourse) -> None:
    """'• Name, projektägare Org' / 'Org: Name: …' items: the owner leads the project, and
    the body that decided the grants funds it."""
    from regiongraph.extract.mentions import project_list_items

    at = {}
    for e in entities:
        for m in e.mentions:
            at[m.start] = e
    intro_owner: ResolvedEntity | None = None
    previous = None
    for s, a, _b, oa, _ob in project_list_items(doc):
        if previous is None or s.index != previous + 1:
            intro = doc.sentences[s.index - 1] if s.index > 0 else None
            intro_owner = None
            if intro is not None:
                cue = _LIST_OWNER_CUE.search(intro.text)
                if cue:
                    owners = [
                        e
                        for m in _mentions_in(entities, intro)
                        for e in [m[1]]
                        if e.type in ACTOR_TYPES and m[0].end <= intro.start + cue.start()
                    ]
                    intro_owner = owners[0] if owners else None
        previous = s.index
        project = at.get(s.start + a)
        if project is None or project.type != "Project":
            continue
        owner = at.get(s.start + oa) if oa is not None else intro_owner
        if owner is not None and owner.type in ACTOR_TYPES:
            _add(
                state,
                doc,
                s,
                owner,
                "leads",
                project,
                "rel.leads.list-item-owner.v1",
                0.85,
                "projektägare",
            )
        _funded_by_decider(state, doc, s, project, "rel.funded-by.grant-list.v1", 0.8)


def _mentions_in(entities: list[ResolvedEntity], s: Sentence) -> list[Pair]:
    return sorted(
        ((m, e) for e in entities for m in e.mentions if m.sentence == s.index),
        key=lambda p: p[0].start,
    )


def _most_mentioned(entities: list[ResolvedEntity], types: set[str]) -> ResolvedEntity | None:
    counts = Counter({e.iri: len(e.mentions) for e in entities if e.type in types})
    if not counts:
        return None
    iri = counts.most_common(1)[0][0]
    return next(e for e in entities if e.iri == iri)


def _add(
    state: Discourse,
    doc: Document,
    s: Sentence,
    subj: ResolvedEntity,
    pred: str,
    obj: ResolvedEntity,
    rule: str,
    confidence: float,
    role: str | None = None,
) -> None:
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


def _targets(
    s: Sentence, pairs: list[Pair], state: Discourse, kinds: set[str]
) -> list[ResolvedEntity]:
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


def _actors(
    pairs: list[Pair],
    exclude: set[str] = frozenset(),
    after: int | None = None,
    before: int | None = None,
    types: set[str] = ACTOR_TYPES,
) -> list[ResolvedEntity]:
    return _unique(
        e
        for m, e in pairs
        if e.type in types
        and e.iri not in exclude
        and (after is None or m.start >= after)
        and (before is None or m.end <= before)
    )


def _region_anaphor(s: Sentence, state: Discourse) -> list[ResolvedEntity]:
    if state.main_region and _REGION_ANAPHOR.search(s.text):
        return [state.main_region]
    return []


# --- rules ----------------------------------------------------------------------------


_PROGRAMME_HEAD = re.compile(
    r"(?i)^(?:ur\s+)?(?:programmet|program|agenda|dagordning|medverkande|talare)\b.*:?\s*$"
)
_ROLE_LINE = re.compile(r"(?i)^(?:moderator|talare|medverkande|föreläsare|panel|keynote)\s*:")
_BULLET = re.compile(r"^\s*(?:[•*·▪◦]|-\s|–\s|\d{1,2}[.)]\s)")


def _programme(doc, s, pairs, state) -> None:
    """Items of an event's programme, and 'Moderator: X' lines, take part in the event."""
    if _PROGRAMME_HEAD.match(s.text) and len(s.text.split()) <= 5:
        state.in_programme = True
        return
    if state.in_programme and not _BULLET.match(s.text):
        state.in_programme = False
    if not (state.in_programme or _ROLE_LINE.match(s.text)) or state.focus_event is None:
        return
    event = state.focus_event
    members = [
        e for _, e in pairs if e.type in ACTOR_TYPES | {"Person", "Project"} and e.iri != event.iri
    ]
    rule = (
        "rel.participates.programme-item.v1"
        if state.in_programme
        else "rel.participates.role-line.v1"
    )
    for member in _unique(members):
        _add(state, doc, s, member, "participatesIn", event, rule, 0.75)


def _grant_list(doc, s, pairs, state, lexicon) -> None:
    """Decision sentences name the funder; 'Projektägare X beviljas N kr' items its grants."""
    if _DECISION.search(s.text) and not _GRANT_ITEM.search(s.text):
        deciders = _actors(pairs, types=FUNDER_TYPES) or _region_anaphor(s, state)
        if deciders and state.decider is None:
            state.decider = deciders[0]
    projects = [
        e
        for m, e in pairs
        if e.type == "Project"
        and m.rule_id.startswith(
            ("project.grant-list", "project.numbered-heading", "project.list-item")
        )
    ]
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
        _add(
            state,
            doc,
            s,
            owner,
            "leads",
            project,
            "rel.leads.grant-list-owner.v1",
            0.9,
            "projektägare",
        )
    if _GRANT_ITEM.search(s.text):
        _funded_by_decider(state, doc, s, project)


def _funded_by_decider(
    state: Discourse,
    doc,
    s,
    project: ResolvedEntity,
    rule: str = "rel.funded-by.grant-decision.v1",
    confidence: float = 0.85,
) -> None:
    """The body whose decision the release reports funds the granted project."""
    if state.decider is not None and state.decider.iri != project.iri:
        _add(state, doc, s, project, "fundedBy", state.decider, rule, confidence)


_GRANTED = re.compile(r"(?i)\b(?:beviljas|beviljats|beviljades|tilldelas|tilldelats|får)\b")


def _grant_sentence(doc, s, pairs, state) -> None:
    """'X beviljas 2 999 338 kr för projektet “Y”': X runs Y, and the deciding body funds it."""
    verb = _GRANTED.search(s.text)
    if verb is None or re.match(r"(?i)^(?:projektägare|sökande)", s.text):
        return
    at = s.start + verb.start()
    owners = [e for m, e in pairs if m.end <= at and e.type in ACTOR_TYPES]
    projects = [e for m, e in pairs if m.start >= at and e.type == "Project"]
    if not projects and state.item_project is not None and s.index > 0:
        # '1. Arktisk Logistik' on the line before: 'Region Norrbotten beviljas 250 000 kr.'
        heading = doc.sentences[s.index - 1]
        if state.item_project.label in heading.text or any(
            m.sentence == s.index - 1 for m in state.item_project.mentions
        ):
            projects = [state.item_project]
    if not owners or not projects:
        return
    project = projects[0]
    state.focus_project = project
    _add(state, doc, s, owners[-1], "leads", project, "rel.leads.grantee.v1", 0.85, verb.group(0))
    _funded_by_decider(state, doc, s, project)


_MEMBERSHIP_INTRO = re.compile(
    r"(?i)\b(?:ingår|deltar|medverkar|medlemmar|består\s+av|är\s+med|deltagare|partner|partners|parter|aktörer)\b[^:]*:\s*$"
)


def _member_list(doc, s, pairs, state) -> None:
    """'Dessa ingår nu i klusterprogrammet:' then one member a line: each takes part in it."""
    if _MEMBERSHIP_INTRO.search(s.text):
        targets = [e for _, e in pairs if e.type in TARGET_TYPES]
        state.member_target = targets[0] if targets else None
        state.member_line = s.index
        return
    if state.member_target is None:
        return
    if s.index != state.member_line + 1 or len(s.text.split()) > 12:
        state.member_target = None
        return
    state.member_line = s.index
    members = [e for _, e in pairs if e.type in ACTOR_TYPES | {"Project"}]
    if members and members[0].iri != state.member_target.iri:
        _add(
            state,
            doc,
            s,
            members[0],
            "participatesIn",
            state.member_target,
            "rel.participates.member-list.v1",
            0.8,
        )


_ACTIVE_FUNDING = re.compile(
    r"(?i)beviljat|beviljar|bevilja|finansierat|finansierar|medfinansierar|delfinansierar|satsar"
)


def _funding(doc, s, pairs, state, cues) -> None:
    text = s.text
    # 'ett Interreg Nord-projekt': a programme written as the kind of project
    for m, e in pairs:
        if e.type == "FundingProgramme" and re.match(r"-?projekt", text[m.end - s.start :]):
            for target in _targets(s, pairs, state, {"Project"}):
                _add(
                    state, doc, s, target, "fundedBy", e, "rel.funded-by.programme-project.v1", 0.85
                )
    # the '-projekt' cue only serves the programme rule above
    hit = _first_cue(tuple(c for c in cues if "programme-project" not in c.id), text)
    if hit is None:
        return
    cue, match = hit
    if _GRANT_ITEM.search(text) and re.match(r"(?i)^(?:projektägare|sökande)", text):
        return  # handled by the grant list rule
    targets = _targets(s, pairs, state, TARGET_TYPES)
    if not targets:
        return
    cue_at = s.start + match.start()
    exclude = {t.iri for t in targets}
    if _ACTIVE_FUNDING.fullmatch(match.group(0)):
        # active voice: 'Region X har beviljat 3,2 miljoner kronor till projektet Y'
        funders = _actors(pairs, exclude=exclude, before=cue_at, types=FUNDER_TYPES)[-1:]
    else:
        funders = _actors(pairs, exclude=exclude, after=cue_at, types=FUNDER_TYPES)
    funders = [f for f in funders if not _weak(f)]
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
                _add(
                    state,
                    doc,
                    s,
                    o,
                    "leads",
                    e,
                    "rel.leads.project-at-org.v1",
                    0.8,
                    at.group(0).strip(),
                )
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
            s,
            pairs,
            state,
            {"Event"} if _EVENT_ANAPHOR.search(text[: match.start()]) else TARGET_TYPES,
        )
        agents = _enumeration_after(doc, pairs, s.start + match.end(), ACTOR_TYPES | {"Project"})
    else:
        targets = [e for m, e in pairs if e.type in TARGET_TYPES and m.start >= cue_at]
        if not targets and re.search(r"(?i)bjuder|bjöd|arrang|anordna", match.group(0)):
            targets = _targets(s, pairs, state, {"Event"})
            if not targets and state.focus_event is not None:
                targets = [state.focus_event]  # 'Region X bjuder 21 november in …' (to the day)
        agents = [e for m, e in pairs if m.end <= cue_at and e.type in ACTOR_TYPES | {"Project"}]
        if not agents and _PROJECT_ANAPHOR.search(text[: match.start()]) and state.focus_project:
            agents = [state.focus_project]
        if not agents and targets:
            # verb first: 'I år genomför Skogsrådet tillsammans med Region X Framtidsdagen'
            starts = [m.start for m, e in pairs if e.iri == targets[0].iri]
            first_target = min(starts) if starts else s.end
            agents = [
                e for m, e in pairs if cue_at <= m.start < first_target and e.type in ACTOR_TYPES
            ]
        agents += [] if agents else _region_anaphor(s, state)
    for t in _unique(targets)[:1]:
        for a in _unique(agents):
            if a.type == "Project" and t.type == "Project":
                continue
            _add(state, doc, s, a, "leads", t, cue.id, cue.confidence, match.group(0))


def _enumeration_after(doc, pairs, at: int, types: set[str]) -> list[ResolvedEntity]:
    """The first mention after ``at`` and those listed with it ('A, B och C'): an
    enumeration ends where other words begin ('… och genomförs i partnerskap med D')."""
    after = [(m, e) for m, e in pairs if m.start >= at and e.type in types]
    if not after:
        return []
    chain = [after[0]]
    for m, e in after[1:]:
        gap = doc.body[chain[-1][0].end : m.start]
        if not re.fullmatch(r"\s*(?:,|,?\s*och|,?\s*samt)\s*", gap):
            break
        chain.append((m, e))
    return _unique(e for _, e in chain)


def _participation(doc, s, pairs, state, cues) -> None:
    hit = _first_cue(cues, s.text)
    if hit is None:
        return
    cue, match = hit
    targets = _targets(s, pairs, state, TARGET_TYPES)
    if not targets:
        return
    target = targets[0]
    where = {  # 'konferensen X i Karlstad': the place of the event takes no part in it
        e.iri
        for m, e in pairs
        if e.type in AREA_TYPES and doc.body[max(0, m.start - 3) : m.start] == " i "
    }
    members = _actors(pairs, exclude={target.iri} | where)
    if target.type == "Event":
        members += [e for _, e in pairs if e.type == "Project" and e.iri != target.iri]
    if re.search(r"(?i)berättar|presenterar|talare|perspektiv|delar sina", match.group(0)):
        members += [e for _, e in pairs if e.type == "Person"]
    for member in _unique(members):
        _add(
            state, doc, s, member, "participatesIn", target, cue.id, cue.confidence, match.group(0)
        )


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
    cue_at = s.start + match.start()
    targets = [e for _, e in pairs if e.type in TARGET_TYPES]
    if not targets and _PROJECT_ANAPHOR.search(s.text) and state.focus_project:
        targets = [state.focus_project]
    if not targets and _EVENT_ANAPHOR.search(s.text) and state.focus_event:
        targets = [state.focus_event]
    if targets and not re.search(r"(?i)analysprojekt|avtal", match.group(0)):
        # 'X, ett samarbete mellan A och B' / 'genomförs i partnerskap med A, B': members
        for member in _actors(pairs, after=cue_at):
            _add(
                state,
                doc,
                s,
                member,
                "participatesIn",
                targets[0],
                "rel.participates.joint-work.v1",
                0.7,
                match.group(0),
            )
        return
    between = re.search(r"(?i)mellan\s", s.text)
    actors = _actors(pairs)
    if between:
        group = _actors(pairs, after=s.start + between.end())
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                _add(
                    state, doc, s, a, "collaboratesWith", b, cue.id, cue.confidence, match.group(0)
                )
        return
    left = _actors(pairs, before=cue_at) or _region_anaphor(s, state)
    right = [e for e in actors if e not in left]
    if not right and len(left) >= 2:
        # 'Luleå kommun och Lapin liitto har tecknat en avsiktsförklaring'
        for i, a in enumerate(left):
            for b in left[i + 1 :]:
                _add(
                    state, doc, s, a, "collaboratesWith", b, cue.id, cue.confidence, match.group(0)
                )
        return
    for a in left[:1]:
        for b in right:
            _add(state, doc, s, a, "collaboratesWith", b, cue.id, cue.confidence, match.group(0))


_AFFILIATION_LINK = re.compile(
    r"^\s*(?:\([A-ZÅÄÖ]{1,3}\))?\s*(?:,\s*)?(?:[^,.;:]{0,80}?)\s*(?:,|\bpå\b|\bvid\b|\bfrån\b|\bhos\b|\bi\b|\binom\b|\bför\b)\s*$"
)


_PARTY = re.compile(r"^\s*\((?:S|M|C|L|KD|V|MP|SD)\)")
_MUNICIPAL_POST = re.compile(
    r"(?i)kommunalråd|kommunstyrelse|kommunfullmäktige|kommundirektör|borgmästare"
)
_REGIONAL_POST = re.compile(
    r"(?i)regionråd|regionstyrelse|regionfullmäktige|nämnd|regiondirektör|regional\s+utvecklingsdirektör"
)


def _affiliation(doc, s, pairs, by_sentence, state) -> None:
    persons = [(m, e) for m, e in pairs if e.type == "Person"]
    if not persons:
        return
    orgs = [(m, e) for m, e in pairs if e.type in ACTOR_TYPES]
    for i, (pm, person) in enumerate(persons):
        next_person_at = persons[i + 1][0].start if i + 1 < len(persons) else s.end
        candidates = [(m, e) for m, e in orgs if pm.end <= m.start < next_person_at]
        chosen: list[ResolvedEntity] = []
        for m, e in candidates:
            gap = doc.body[pm.end : m.start]
            if len(gap) > 120 or re.search(r"[.!?]\s|\bsäger\b|\btelefon\b|@|\d{3}", gap):
                break
            chosen.append(e)
            if not re.match(r"\s*,", doc.body[m.end : m.end + 2]):
                break  # an organisation list goes on only after a comma
        strong = [e for e in chosen if not _weak(e)]
        chosen = strong or chosen[:1]
        if not chosen:
            block = _contact_block_org(doc, s, by_sentence)
            chosen = [block] if block else []
        if not chosen:
            chosen = _politician_org(doc, pm, s, state)
        role = _post_between(doc.body, pm.end, s.end)
        for org in chosen:
            _add(
                state,
                doc,
                s,
                person,
                "affiliatedWith",
                org,
                "rel.affiliated.nearby-org.v1",
                0.75,
                role,
            )
        _person_leads(doc, s, pm, person, pairs, state)


def _weak(e: ResolvedEntity) -> bool:
    return all(m.rule_id == "name.capitalised.v1" for m in e.mentions)


def _politician_org(doc, pm, s, state) -> list[ResolvedEntity]:
    """'X (S), kommunalråd' or 'säger regiondirektör X': a politician's or official's post
    ties them to the release's own body."""
    before = doc.body[max(s.start, pm.start - 40) : pm.start]
    after = doc.body[pm.end : min(s.end, pm.end + 120)] + " " + before.split(",")[-1]
    if _MUNICIPAL_POST.search(after) and state.main_municipality is not None:
        return [state.main_municipality]
    if (_REGIONAL_POST.search(after) or _PARTY.match(after)) and state.main_region is not None:
        return [state.main_region]
    return []


_LEAD_POST = re.compile(
    r"(?i)^\s*,?\s*(?:projektledare|projektägare|projektkoordinator|koordinator|verksamhetsledare|ordförande)\s+(?:för|i|inom|på)\s+$"
)


def _person_leads(doc, s, pm, person, pairs, state) -> None:
    """'Per Lindgren, projektledare för Kompetenslyftet Jämtland' leads it."""
    for m, e in pairs:
        if (
            e.type in TARGET_TYPES
            and m.start > pm.end
            and _LEAD_POST.match(doc.body[pm.end : m.start])
        ):
            _add(
                state,
                doc,
                s,
                person,
                "leads",
                e,
                "rel.leads.person-post.v1",
                0.8,
                doc.body[pm.end : m.start].strip(" ,"),
            )
            return


def _contact_block_org(doc, s, by_sentence) -> ResolvedEntity | None:
    """A contact block: the name on one line, post and organisation on the next ones."""
    if len(s.text.split()) > 4:
        return None
    for nxt in (s.index + 1, s.index + 2):
        pairs = by_sentence.get(nxt, [])
        if any(e.type == "Person" for _, e in pairs):
            return None
        orgs = [e for _, e in pairs if e.type in ACTOR_TYPES]
        strong = [e for e in orgs if not _weak(e)]
        if strong or orgs:
            return (strong or orgs)[0]
    return None


def _post_between(body: str, start: int, end: int) -> str | None:
    m = re.match(
        r"\s*(?:\([A-ZÅÄÖ]{1,3}\))?\s*,?\s*([a-zåäöA-ZÅÄÖ][\wåäö\- ]{2,60}?)"
        r"\s*(?:,|\bpå\b|\bvid\b|\bi\b|$)",
        body[start:end],
    )
    if (m and not m.group(1)[0].isupper()) or (m and m.group(1).split()[0] in {"VD", "Vd"}):
        return m.group(1).strip()
    return None


def _location(doc, s, pairs, state) -> None:
    text = s.text
    # 'Name, Region' list lines: an organisation and where it is
    line = re.match(r"^([^,]{2,80}),\s*([^,]{2,60})$", text)
    if line and len(pairs) == 2:
        (_m1, e1), (m2, e2) = pairs
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
                    _add(
                        state, doc, s, e, "locatedIn", e2, "rel.located-in.preposition.v1", 0.7, "i"
                    )
                    break
    if re.match(r"(?i)^plats\s*:", text) and state.focus_event:
        for _, e2 in pairs:
            if e2.type in AREA_TYPES:
                _add(
                    state,
                    doc,
                    s,
                    state.focus_event,
                    "locatedIn",
                    e2,
                    "rel.located-in.venue-line.v1",
                    0.8,
                )


def _without_conflicts(relations: list[Relation]) -> list[Relation]:
    """Leading a project implies taking part: keep only 'leads' for the same pair."""
    leads = {(r.subject, r.object) for r in relations if r.predicate == "leads"}
    return [
        r
        for r in relations
        if not (r.predicate == "participatesIn" and (r.subject, r.object) in leads)
    ]


def email_domain_key(email: str) -> str:
    return slugify(email.split("@")[-1].rsplit(".", 1)[0]).replace("-", "")
