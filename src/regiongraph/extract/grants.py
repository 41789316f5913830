"""Amounts onto funding relations, read from where the release puts them.

A ``fundedBy`` relation (project P, funder F) gets an amount only where the layout of
the release ties one amount to P, and to F when the text names a funder next to it:

1. **P's own line or sentence** ("X får 1 300 720 kronor till projektet P", a list
   line "P (Owner), 7 889 632 kr"): the one grant amount there, or, with several, the
   one the text ties to F ("… 350 000 kronor från F", "F bidrar med 1,6 miljoner").
2. **P's key–value block**: the lines after P's line up to the next blank line
   ("Sökande: …", "Beviljat belopp: 2 500 000 kr"); a "Fond:" line there that names
   another funder keeps the amount off F.
3. **A later sentence about P** in P's section (the lines after a heading, up to the
   next heading) that names no project: only an amount the text ties to F, and only
   where P is the one project of the section so far or the sentence says "projektet".

A grant amount is no share (``50 %``) and no budget or cost ("den totala budgeten är
2,5 miljoner"). A total ("totalt 25 miljoner") counts only in a sentence that names P
and no other project and speaks of no several projects ("till åtta projekt",
"vardera"): a call's total is never one project's grant. "P och Q får 500 000 kronor
vardera" gives each project named that amount. In a Norwegian release "kr"
and "kronor" are NOK. When a release funds one project only, a sentence that says
"ger projektet 4 765 507 kronor" gives that project's amount.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from regiongraph.extract.layout import Layout, layout
from regiongraph.extract.money import AmountMatch, find_amounts
from regiongraph.records import Amount, Document, Relation
from regiongraph.resolve.entities import ResolvedEntity

__all__ = ["attach_amounts"]

_BUDGET = re.compile(  # what a project costs or turns over is not what a funder gives
    r"(?i)budget|budsjett|omslut|kostnad|kostar|koster|omsätt|omsetning|värde|verdi|värd"
    r"|investering|lån"
)
_SEVERAL = re.compile(
    r"(?i)\b(?:\d+|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|to|fire|seks|syv|sju|ni"
    r"|flera|samtliga|alla|nya|nye)\s+(?:nya\s+|nye\s+)?(?:projekt|prosjekter|projects)\b"
    r"|\bprojekten\b|\bprosjektene\b|\bfördela\w*|\bfordel\w*|\bvardera\b|\bhver\b|\beach\b"
)
_KEYED = re.compile(
    r"(?i)^\s*[^\W\d][^:()]{0,50}\(\s*(?P<unit>kr|kronor|sek|tkr|tsek|mkr|mnkr|msek|eur|euro|nok|"
    r"meur)\s*\)\s*:\s*(?P<num>\d[\d \u00a0.,]*\d|\d)\s*$"
)
_EACH = re.compile(
    r"(?i)[^\S\n]*(?:[^\W\d]+[^\S\n]+){0,2}?(?:vardera|var\s+och\s+en|each|hver|hvert"
    r"|per\s+projekt|per\s+prosjekt)\b"
)
_ANAPHOR = re.compile(r"(?i)\b(?:projektet|projektets|prosjektet|prosjektets|the project)\b")
_FUND_LINE = re.compile(r"(?i)^\s*(?:fond|finansiär|fund|program|programme)\s*:")
_LINK_AFTER = re.compile(  # amount … F: "350 000 kronor från F", "er støtte fra F"
    r"(?i)^[^\d]{0,40}?\b(?:från|fra|ur|av|from|by|via)\s+(?:[^\W\d]+\s+)?$"
)
_LINK_BEFORE = re.compile(  # F … amount: "F bidrar med", "Från Regionalfonden: 9 368 376 kr"
    r"(?i)^(?:\s*:\s*|\s+med\s+|[^\d.]{0,30}?\b(?:bidrar|bidra|beviljar|beviljat|beviljade|ger|gav"
    r"|satsar|tilldelar|anslår|skjuter|går\s+in|står\s+för|investerar|finansierar|medfinansierar"
    r"|bevilger|bevilget|gir|støtter|grants?|granted|awards?|awarded|contributes?|provides?"
    r"|invests?)\b[^\d.]{0,30})$"
)
_GIVES = re.compile(
    r"(?i)\b(?:ger|gav|ge|tilldelar|tilldelas|anslår|beviljar|beviljas|satsar|får)\b"
)
_PROJECT_WORD = re.compile(r"(?i)\bprojekt(?:et)?\b")


@dataclass(frozen=True)
class _Spot:
    """An entity mention as offsets into its sentence's text."""

    start: int
    end: int
    iri: str
    type: str


def _spots(
    doc: Document, entities: list[ResolvedEntity], funded: set[str]
) -> dict[int, list[_Spot]]:
    """Mentions per sentence; whatever is funded counts as a project, whatever its type."""
    out: dict[int, list[_Spot]] = {}
    for e in entities:
        kind = "Project" if e.iri in funded or e.type in ("Project", "Event") else e.type
        for m in e.mentions:
            base = doc.sentences[m.sentence].start
            out.setdefault(m.sentence, []).append(_Spot(m.start - base, m.end - base, e.iri, kind))
    for spots in out.values():
        spots.sort(key=lambda s: s.start)
    return out


def _currency_of(doc: Document) -> tuple[str, str]:
    """(implied currency, currency of a bare 'kr'/'kronor') for this release's language."""
    lang = (doc.release.language or "").lower()
    if lang.startswith(("no", "nb", "nn")):
        return "NOK", "NOK"
    return ("EUR" if lang.endswith("fi") else "SEK"), "SEK"


def _unit_in_key(text: str, implied: str) -> list[AmountMatch]:
    """'Beviljat belopp (kr): 2 500 000': the unit stands in the key, the number alone."""
    m = _KEYED.match(text)
    if not m:
        return []
    found = find_amounts(f"{m['num'].strip()} {m['unit']}", implied_currency=implied)
    if len(found) != 1:
        return []
    a = found[0]
    return [replace(a, start=m.start("num"), end=m.end("num"), text=m["num"].strip())]


def _amounts(doc: Document, text: str) -> list[AmountMatch]:
    """Grant amounts in ``text``: no shares, no budgets or costs (totals kept, flagged)."""
    implied, krone = _currency_of(doc)
    out, last_end = [], 0
    for a in find_amounts(text, implied_currency=implied) or _unit_in_key(text, implied):
        before, last_end = text[last_end : a.start], a.end
        if a.share or _BUDGET.search(before):
            continue
        if a.currency == "SEK" and krone != "SEK" and not re.search(r"SEK|svensk", a.text):
            a = replace(a, currency=krone)
        out.append(a)
    return out


def _linked(text: str, amount: AmountMatch, spots: list[_Spot]) -> set[str]:
    """The funders the text ties to ``amount`` (see the module docstring)."""
    out = set()
    for s in spots:
        lo, hi = (amount.end, s.start) if s.start >= amount.end else (s.end, amount.start)
        if any(lo <= x.start and x.end <= hi for x in spots):
            continue  # another name stands between them
        after = s.start >= amount.end and _LINK_AFTER.match(text[lo:hi])
        before = s.end <= amount.start and _LINK_BEFORE.match(text[lo:hi])
        if after or before:
            out.add(s.iri)
    return out


def _pick(
    text: str, amounts: list[AmountMatch], spots: list[_Spot], funder: str, alone: bool
) -> AmountMatch | None:
    """The amount of ``amounts`` that is ``funder``'s, or None when the text leaves doubt.

    An amount the text ties to no funder is ``funder``'s only when ``alone``: the project
    has no other funder (a co-financier named elsewhere does not pay the stated grant)."""
    links = [_linked(text, a, [s for s in spots if s.type != "Project"]) for a in amounts]
    tied = [a for a, lk in zip(amounts, links, strict=True) if funder in lk]
    if len(tied) == 1:
        return tied[0]
    if not alone or tied or len(amounts) != 1:
        return None
    return amounts[0] if not links[0] else None


@dataclass(frozen=True)
class _Grant:
    """One funding relation to find an amount for, with what the release says around it."""

    doc: Document
    lay: Layout
    spots: dict[int, list[_Spot]]
    project: str
    funder: str
    alone: bool  # the funder is the project's only funder


def _in_sentence(g: _Grant, index: int) -> AmountMatch | None:
    text, spots = g.doc.sentences[index].text, g.spots[index]
    if any(s.type == "Project" and s.iri != g.project for s in spots):
        # "P och Q får 500 000 kronor vardera": one amount for each project named
        each = [a for a in _amounts(g.doc, text) if _EACH.match(text, a.end)]
        return _pick(text, each, spots, g.funder, g.alone) if len(each) == 1 else None
    amounts = [
        a for a in _amounts(g.doc, text) if a.qualifier != "total" or not _SEVERAL.search(text)
    ]
    return _pick(text, amounts, spots, g.funder, g.alone)


def _in_block(g: _Grant, index: int) -> AmountMatch | None:
    """The amount in the lines after the project's line: the rest of its paragraph and
    the key–value block it heads, up to the next line naming another project."""
    members = g.lay.members[g.lay.paragraph[index]]
    lines = members[bisect_right(members, index) :]
    for kv in g.lay.blocks_of.get(index, ()):
        lines = sorted(set(lines) | {i for i in kv if i > index})
    found: list[tuple[AmountMatch, int]] = []
    named = False
    for i in lines:
        here = g.spots.get(i, [])
        if any(s.type == "Project" for s in here) or g.lay.heading[i]:
            break
        text = g.doc.sentences[i].text
        if _FUND_LINE.match(text):
            if any(s.iri != g.funder for s in here):
                return None
            named = named or any(s.iri == g.funder for s in here)
        found += [(a, i) for a in _amounts(g.doc, text) if a.qualifier != "total"]
    if len(found) != 1:
        return None
    amount, at = found[0]
    alone = g.alone or named  # the block's "Fond:" line names this funder
    return _pick(g.doc.sentences[at].text, [amount], g.spots.get(at, []), g.funder, alone)


def _in_section(g: _Grant, where: list[int]) -> AmountMatch | None:
    """An amount tied to the funder in a later sentence of the project's section (only
    the sections that name the project are read: the state starts anew at a heading)."""
    for section in sorted({g.lay.section(i) for i in where}, key=lambda r: r.start):
        found = _in_one_section(g, section)
        if found is not None:
            return found
    return None


def _in_one_section(g: _Grant, section: range) -> AmountMatch | None:
    current: str | None = None
    projects: set[str] = set()
    for i in section:
        s = g.doc.sentences[i]
        here = [x for x in g.spots.get(i, []) if x.type == "Project"]
        same_par = i and g.lay.paragraph[i - 1] == g.lay.paragraph[i]
        prev = g.doc.sentences[i - 1].text if same_par else ""
        if g.lay.heading[i]:
            projects, current = set(), None
        if here:
            projects.update(x.iri for x in here)
            several = len(here) > 1 or _SEVERAL.search(s.text)
            current = None if several else here[-1].iri
            continue
        if current != g.project or _SEVERAL.search(s.text + " " + prev):
            continue
        if len(projects) > 1 and not _ANAPHOR.search(s.text + " " + prev):
            continue
        amounts = [a for a in _amounts(g.doc, s.text) if a.qualifier != "total"]
        found = _pick(s.text, amounts, g.spots.get(i, []), g.funder, alone=False)
        if found is not None:
            return found
    return None


def _amount_for(g: _Grant) -> AmountMatch | None:
    """The amount the release states for the grant's funder and project, or None."""
    where = sorted(i for i, sp in g.spots.items() if any(s.iri == g.project for s in sp))
    for i in where:
        found = _in_sentence(g, i) or _in_block(g, i)
        if found is not None:
            return found
    return _in_section(g, where) if where else None


def attach_amounts(
    doc: Document, entities: list[ResolvedEntity], relations: list[Relation]
) -> list[Relation]:
    """``relations`` with an amount on each ``fundedBy`` relation the release gives one."""
    funding = [r for r in relations if r.predicate == "fundedBy"]
    lay = layout(doc)
    spots = _spots(doc, entities, {r.subject for r in funding})
    out = list(relations)
    for i, r in enumerate(out):
        if r.predicate != "fundedBy" or r.amount is not None:
            continue
        funders = {x.object for x in funding if x.subject == r.subject}
        found = _amount_for(_Grant(doc, lay, spots, r.subject, r.object, funders == {r.object}))
        if found is not None:
            out[i] = replace(r, amount=Amount(found.value, found.currency, found.text))
    return _amount_said_of_the_project(doc, entities, out)


def _amount_said_of_the_project(
    doc: Document, entities: list[ResolvedEntity], relations: list[Relation]
) -> list[Relation]:
    """'Nämnden ger projektet 4 765 507 kronor': when a release funds one project through
    one funder, one sentence after the project's name about 'the project' that gives one
    amount, tied to no other funder, states that grant."""
    funded = [i for i, r in enumerate(relations) if r.predicate == "fundedBy"]
    if len(funded) != 1 or relations[funded[0]].amount is not None:
        return relations
    rel = relations[funded[0]]
    spots = _spots(doc, entities, {rel.subject})
    first = min(
        (i for i, sp in spots.items() if any(s.iri == rel.subject for s in sp)), default=None
    )
    candidates = []
    for s in doc.sentences[first or 0 :] if first is not None else ():
        if _GIVES.search(s.text) and _PROJECT_WORD.search(s.text):
            amounts = [a for a in _amounts(doc, s.text) if a.qualifier != "total"]
            funders = [x for x in spots.get(s.index, []) if x.type != "Project"]
            if len(amounts) == 1 and not _linked(s.text, amounts[0], funders) - {rel.object}:
                candidates.append(amounts[0])
    if len(candidates) != 1:
        return relations
    a = candidates[0]
    out = list(relations)
    out[funded[0]] = replace(rel, amount=Amount(a.value, a.currency, a.text))
    return out
