"""Time on the graph: periods onto projects, dates onto events (amounts: ``grants``).

A period ('Projektperiod: 2023-03-01 - 2026-02-28', 'ska pågå 20170501-20181231',
'pågår mellan …', 'avslutas 20170430') goes to the project that sentence names, else to
the last one named before it under the same heading; a programme's period
('programperioden 2021–2027') is no project's. A project whose name ends in its years
('… 2017–2021') runs those years when the text gives no other period. An event date
('När: 22 september 2022') goes to the event in that sentence or the nearest preceding
one; on a page about one event, a date written with its clock time ('11 maj 2023
kl. 09.30-16.00') is that event's. Precision is what the text gives, never more.
"""

from __future__ import annotations

import bisect
import re

from regiongraph.extract.dates import find_dates, find_periods
from regiongraph.extract.layout import layout
from regiongraph.records import Document
from regiongraph.resolve.entities import ResolvedEntity

_PERIOD_CUE = re.compile(
    r"(?i)projektperiod|prosjektperiode|projekttid|tidsperiod|genomförandetid|löptid|pågå"
    r"|löper|period|under\s+åren|genomförs\s+under|mellan|avslutas|avsluttes|startar"
    r"|starter|under\s+(?:två|tre|fyra|fem|\d)\s+år|varar|varer|project\s+period|runs?\s+from"
    r"|duration"
)
_PROGRAMME_PERIOD = re.compile(
    r"(?i)(?:programperiod\w*|programmeperiode\w*|finansieringsperiod\w*|strukturfondsperiod\w*"
    r"|programme\s+period|program(?:met)?)\s*(?:för\s+|for\s+)?$"
)
_NAMED_YEARS = re.compile(r"(?<![\d\w])((?:19|20)\d\d)\s*[–-]\s*((?:19|20)\d\d)$")
_CLOCK = re.compile(r"(?i)^\s*,?\s*(?:kl\.?|klockan)\s*\d{1,2}[.:]\d{2}")
_EVENT_CUE = re.compile(
    r"(?i)^(?:när|når|datum|dato|date|when|tid|tidpunkt|när och var|tid och plats"
    r"|tid og sted)\s*:|äger\s+rum|arrangeras|anordnas|hålls|genomförs|inleds|avslutas"
    r"|bjuder|bjöd|arrangeres|avholdes|takes\s+place|will\s+be\s+held"
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


class _Nearest:
    """The project or event a sentence speaks of: the first one named in it, else the last
    one named before it in its section (a heading starts one). Indexed once, so that each
    sentence costs a lookup, not a scan of every mention (that grew with the square of
    the text's length). ``mentions`` are in text order, so their sentences rise with them."""

    def __init__(self, mentions: list[tuple[int, int, ResolvedEntity]], headings: list[int]):
        self.first: dict[str, dict[int, ResolvedEntity]] = {"Project": {}, "Event": {}}
        self.last: dict[str, dict[int, ResolvedEntity]] = {"Project": {}, "Event": {}}
        for _, si, e in mentions:
            self.first[e.type].setdefault(si, e)
            self.last[e.type][si] = e
        self.sentences = {kind: sorted(last) for kind, last in self.last.items()}
        self.headings = sorted(headings)

    def __call__(self, kind: str, sentence: int) -> ResolvedEntity | None:
        same = self.first[kind].get(sentence)
        if same is not None:
            return same
        h = bisect.bisect_right(self.headings, sentence)
        section = self.headings[h - 1] if h > 0 else 0
        order = self.sentences[kind]
        i = bisect.bisect_left(order, sentence)
        if i == 0 or order[i - 1] < section:
            return None
        return self.last[kind][order[i - 1]]


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
    nearest = _Nearest(mentions, [i for i, h in enumerate(layout(doc).heading) if h])
    in_sentence: dict[int, list[tuple[int, int, ResolvedEntity]]] = {}
    for mention in mentions:
        in_sentence.setdefault(mention[1], []).append(mention)
    for s in doc.sentences:
        dates.update(_in_parentheses(doc, s.index, in_sentence.get(s.index, []), dates))
        if _PERIOD_CUE.search(s.text):
            for p in find_periods(s.text):
                if _PROGRAMME_PERIOD.search(s.text[max(0, p.start - 40) : p.start]):
                    continue
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
    return {**_years_in_names(entities), **_one_event_date(doc, entities, year), **dates}


def _in_parentheses(
    doc: Document,
    index: int,
    mentions: list[tuple[int, int, ResolvedEntity]],
    dates: dict[str, tuple[str | None, str | None]],
) -> dict[str, tuple[str | None, str | None]]:
    """'Projektet Smart Vatten (2023–2025)': a period in brackets right after a project."""
    s = doc.sentences[index]
    out: dict[str, tuple[str | None, str | None]] = {}
    for start, si, e in mentions:
        if si != index or e.type != "Project" or e.iri in dates:
            continue
        end = next(m.end for m in e.mentions if m.start == start) - s.start
        bracket = re.compile(r"\s*\(([^()]{4,60})\)").match(s.text, end)
        periods = find_periods(bracket[1]) if bracket else []
        if len(periods) == 1 and periods[0].text.strip() == bracket[1].strip():
            out[e.iri] = (periods[0].start_value, periods[0].end_value)
    return out


def _years_in_names(entities: list[ResolvedEntity]) -> dict[str, tuple[str | None, str | None]]:
    """'Regionalt samverkansprogram 2019–2023': a project named with its years."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for e in entities:
        if e.type != "Project":
            continue
        m = _NAMED_YEARS.search(e.label.strip())
        if m and int(m[1]) < int(m[2]):
            out[e.iri] = (m[1], m[2])
    return out


def _one_event_date(
    doc: Document, entities: list[ResolvedEntity], year: int | None
) -> dict[str, tuple[str | None, str | None]]:
    """On a page about one event, the one day written with a clock time is its date."""
    events = [e for e in entities if e.type == "Event"]
    if len(events) != 1:
        return {}
    timed = {
        (d.value, d.end_value)
        for s in doc.sentences
        if s.block == "body"
        for d in find_dates(s.text, default_year=year)
        if len(d.value) == 10 and _CLOCK.match(s.text[d.end :])
    }
    return {events[0].iri: next(iter(timed))} if len(timed) == 1 else {}
