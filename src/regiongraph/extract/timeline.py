"""Money and time on the graph: amounts onto funding relations, periods onto projects,
dates onto events.

An amount is attached only where one sentence states one funding fact and one amount
(a grant-list line 'Projektägare X beviljas 2 491 478 kr'); totals ('totalt',
'sammanlagt') are never pinned to one project. A period ('Projektperiod: 2023-03-01 -
2026-02-28', 'pågår mellan …') goes to the project that sentence or the nearest
preceding one names; an event date ('När: 22 september 2022') to the event in that
sentence or the nearest preceding one. Precision is what the text gives, never more.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from regiongraph.extract.dates import find_dates, find_periods
from regiongraph.extract.money import find_amounts
from regiongraph.records import Amount, Document, Relation
from regiongraph.resolve.entities import ResolvedEntity

_PERIOD_CUE = re.compile(
    r"(?i)projektperiod|projekttid|pågår|löper|period|under\s+åren|genomförs\s+under|mellan"
)
_EVENT_CUE = re.compile(
    r"(?i)^(?:när|datum|tid|när och var)\s*:|äger\s+rum|arrangeras|anordnas|hålls|genomförs"
    r"|inleds|avslutas|bjuder|bjöd"
)


_SPAN_CUE = re.compile(r"(?i)\b(?:inleds|startar|börjar)\b.*\b(?:avslutas|slutar|pågår\s+till)\b")


def release_year(doc: Document) -> int | None:
    """The year the release's own text speaks from: the first full date near its top.

    Metadata dates are not used: a date written without a year gets one only when the
    text itself says which year it is writing in (its dateline)."""
    for s in doc.sentences[:8]:
        m = re.search(r"\b((?:19|20)\d{2})-\d{2}-\d{2}\b", s.text)
        if m:
            return int(m.group(1))
        for d in find_dates(s.text):
            if re.match(r"\d{4}-\d{2}-\d{2}$", d.value):
                return int(d.value[:4])
    return None


def attach_amounts(doc: Document, relations: list[Relation]) -> list[Relation]:
    by_sentence: dict[int, list[int]] = {}
    for i, r in enumerate(relations):
        if r.predicate == "fundedBy":
            by_sentence.setdefault(r.evidence.sentence, []).append(i)
    out = list(relations)
    implied = "EUR" if (doc.release.language or "").lower().endswith("fi") else "SEK"
    for index, positions in by_sentence.items():
        text = doc.sentences[index].text
        amounts = [
            a
            for a in find_amounts(text, implied_currency=implied)
            if not a.share and a.qualifier != "total"
        ]
        if len(amounts) != 1 or len(positions) != 1:
            continue
        a = amounts[0]
        out[positions[0]] = replace(out[positions[0]], amount=Amount(a.value, a.currency, a.text))
    return _amounts_said_elsewhere(doc, out, implied)


_GIVES = re.compile(
    r"(?i)\b(?:ger|gav|ge|tilldelar|tilldelas|anslår|beviljar|beviljas|satsar|får)\b"
)
_PROJECT_WORD = re.compile(r"(?i)\bprojekt(?:et)?\b")


def _amounts_said_elsewhere(
    doc: Document, relations: list[Relation], implied: str
) -> list[Relation]:
    """'Nämnden ger projektet 4 765 507 kronor': when a release funds one project and a
    sentence about 'the project' gives one amount, that amount is the grant."""
    funded = [i for i, r in enumerate(relations) if r.predicate == "fundedBy"]
    projects = {relations[i].subject for i in funded}
    if len(projects) != 1 or any(relations[i].amount for i in funded):
        return relations
    candidates = []
    for s in doc.sentences:
        if not (_GIVES.search(s.text) and _PROJECT_WORD.search(s.text)):
            continue
        amounts = [
            a
            for a in find_amounts(s.text, implied_currency=implied)
            if not a.share and a.qualifier != "total"
        ]
        if len(amounts) == 1:
            candidates.append(amounts[0])
    if len(candidates) != 1:
        return relations
    a = candidates[0]
    out = list(relations)
    funders = [i for i in funded]
    if len(funders) == 1:
        out[funders[0]] = replace(out[funders[0]], amount=Amount(a.value, a.currency, a.text))
    return out


class _Nearest:
    """The project or event a sentence speaks of: the first one named in it, else the last
    one named before it. Indexed once, so that each sentence costs a lookup, not a scan of
    every mention (that grew with the square of the text's length)."""

    def __init__(self, mentions: list[tuple[int, int, ResolvedEntity]]) -> None:
        self.first: dict[str, dict[int, ResolvedEntity]] = {"Project": {}, "Event": {}}
        last: dict[str, dict[int, tuple[int, ResolvedEntity]]] = {"Project": {}, "Event": {}}
        for position, (_, si, e) in enumerate(mentions):
            self.first[e.type].setdefault(si, e)
            last[e.type][si] = (position, e)
        # per kind: sentence indices in order, and the last-named entity up to each
        self.sentences: dict[str, list[int]] = {}
        self.latest: dict[str, list[ResolvedEntity]] = {}
        for kind, by_sentence in last.items():
            order = sorted(by_sentence)
            best: list[tuple[int, ResolvedEntity]] = []
            for si in order:
                here = by_sentence[si]
                best.append(here if not best or here[0] > best[-1][0] else best[-1])
            self.sentences[kind] = order
            self.latest[kind] = [e for _, e in best]

    def __call__(self, kind: str, sentence: int) -> ResolvedEntity | None:
        same = self.first[kind].get(sentence)
        if same is not None:
            return same
        i = bisect.bisect_left(self.sentences[kind], sentence)
        return self.latest[kind][i - 1] if i > 0 else None


def project_and_event_dates(
    doc: Document, entities: list[ResolvedEntity]
) -> dict[str, tuple[str | None, str | None]]:
    """IRI -> (start, end) for the projects and events whose dates the text states."""
    year = release_year(doc)
    mentions = sorted(
        (
            (m.start, m.sentence, e)
            for e in entities
            if e.type in {"Project", "Event"}
            for m in e.mentions
        ),
        key=lambda t: t[0],
    )
    dates: dict[str, tuple[str | None, str | None]] = {}
    nearest = _Nearest(mentions)
    for s in doc.sentences:
        if _PERIOD_CUE.search(s.text):
            for p in find_periods(s.text):
                project = nearest("Project", s.index)
                if project is not None and project.iri not in dates:
                    dates[project.iri] = (p.start_value, p.end_value)
                break
        if _EVENT_CUE.search(s.text) or s.index in nearest.first["Event"]:
            found = find_dates(s.text, default_year=year)
            event = nearest("Event", s.index)
            if found and event is not None and event.iri not in dates:
                d = found[0]
                end = d.end_value
                if len(found) > 1 and _SPAN_CUE.search(s.text):
                    # 'inleds den 22 mars … och avslutas … den 28/9': first to last
                    end = max((x.end_value or x.value) for x in found)
                dates[event.iri] = (d.value, end)
    return dates
