"""Time on the graph: periods onto projects, dates onto events (amounts: ``grants``).

A period ('Projektperiod: 2023-03-01 -
2026-02-28', 'pågår mellan …') goes to the project that sentence or the nearest
preceding one names; an event date ('När: 22 september 2022') to the event in that
sentence or the nearest preceding one. Precision is what the text gives, never more.
"""

from __future__ import annotations

import re

from regiongraph.extract.dates import find_dates, find_periods
from regiongraph.records import Document
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

    def nearest(kind: str, sentence: int) -> ResolvedEntity | None:
        same = [e for _, si, e in mentions if si == sentence and e.type == kind]
        if same:
            return same[0]
        before = [e for _, si, e in mentions if si < sentence and e.type == kind]
        return before[-1] if before else None

    for s in doc.sentences:
        if _PERIOD_CUE.search(s.text):
            for p in find_periods(s.text):
                project = nearest("Project", s.index)
                if project is not None and project.iri not in dates:
                    dates[project.iri] = (p.start_value, p.end_value)
                break
        if _EVENT_CUE.search(s.text) or any(
            si == s.index and e.type == "Event" for _, si, e in mentions
        ):
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
