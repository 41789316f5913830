"""Dates and periods in Swedish, Finland-Swedish and English press-release text.

Pure text functions, no pipeline types. Values are ISO 8601 strings with exactly the
precision the text gives: ``"2022-09-22"`` for a day, ``"2022-09"`` for a month,
``"2022"`` for a year.

Dates (:func:`find_dates`)
--------------------------
* ``2023-08-30`` (ISO), ``20170501`` (ISO without dashes: a valid date of 1900–2099, eight
  digits alone), ``18.3.2024`` (Finnish day.month.year), ``22/9 2022``,
  ``22/9-2022``, ``22/9/2022``; ``den 28/9`` (a day/month without year is read only after
  ``den``, since ``1/3`` is as often a fraction).
* ``22 september 2022``, ``den 22 september``, ``27:e september``, ``den 1:a maj``,
  ``22 sept. 2022``, ``22nd of September 2022``, ``September 22, 2022``; month names
  and abbreviations in Swedish (``januari … december``, ``jan, feb, mar, apr, maj, jun,
  jul, aug, sep, sept, okt, nov, dec``), Norwegian (``1. januar``, ``mai``, ``desember``,
  ``des``) and English.
* ``oktober 2025``, ``jan 2018`` → month precision (``"2025-10"``). ``jul`` without a day
  is not read (``jul 2022`` is Christmas more often than July).
* Ranges, returned as one match with ``end_value``: ``22–23 november 2022``, ``den 25
  till den 29 mars``, ``mellan den 25 och den 29 mars``, ``25 mars – 2 april 2023``,
  ``2023-03-01 - 2026-02-28``, ``januari 2022 – juni 2023``. A start without a year takes
  the end's year (the year before when that would put the start after the end). A range
  whose start is after its end is no range; its ends are read as single dates.
* A date written without a year gets ``default_year`` (the caller's release year) when it
  is given and is skipped when it is not: a year is never invented. Years alone,
  ``vecka 13``, times (``kl 9.00-15.00``) and a month alone (``i september``) are no
  dates; the time after a date is left out of the match.

Periods (:func:`find_periods`)
------------------------------
* Any range above, and ranges of years: ``2021–2027``, ``2021-2023``, ``2021 – 2023``,
  ``2022/23``, ``2022/2023``, ``mellan 2020 och 2023``, ``programperioden 2021–2027``,
  ``under perioden 1 januari 2022 till 31 december 2024``, ``jan 2018-mars 2021`` (``"2018-01"``,
  ``"2021-03"``), ``pågår mellan 2020-01-01 - 2023-04-30``; mixed precision is kept
  (``2021 – juni 2023`` → ``"2021"``, ``"2023-06"``).
* Open periods: ``från 2023``, ``från och med``, ``fr.o.m.``, ``fra og med``, ``med start i
  januari 2019``, ``startar 2024``, ``sedan 2019``, ``2016 lanserades …`` (``end_value``
  None); ``till och med 2025``, ``t.o.m. 2025``, ``fram till 2025``, ``til og med``,
  ``avslutas 20170430`` (``start_value`` None). A bare ``till 2030`` is not read
  (``bidrar till 2030 års mål``).
* Seasons: ``hösten 2022``, ``våren 2023`` → start and end ``"2022"``: the year is the
  only precision ISO 8601 dates give for a season; after an open-period word only the
  start (``startar hösten 2024``) or the end (``pågår till hösten 2025``).
* ``find_periods`` has no default year: a period end without a year is skipped.
  Phone numbers, postcodes and years followed by ``-talet`` or ``års`` are never periods.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

__all__ = ["DateMatch", "PeriodMatch", "find_dates", "find_periods"]


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    value: str  # ISO: "2022-09-22", "2022-09" or "2022"
    end_value: str | None = None  # for a range


@dataclass(frozen=True)
class PeriodMatch:
    start: int
    end: int
    text: str
    start_value: str | None
    end_value: str | None


# --------------------------------------------------------------------------- months

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("januari", "january", "januar", "jan"),
        ("februari", "february", "februar", "feb"),
        ("mars", "march", "mar"),
        ("april", "apr"),
        ("maj", "may", "mai"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("augusti", "august", "aug"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nov"),
        ("december", "desember", "dec", "des"),
    ],
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _i
_ABBREVIATIONS = {
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "oct",
    "nov",
    "dec",
    "des",
}
# Swedish and Norwegian month names: the day is written first ("maj 15 personer" is no date)
_SWEDISH_ONLY = {
    "januari",
    "februari",
    "mars",
    "maj",
    "juni",
    "juli",
    "augusti",
    "oktober",
    "okt",
    "januar",
    "februar",
    "mai",
    "desember",
    "des",
}

_MONTH = (
    "(?:"
    + "|".join(
        name + (r"\.?" if name in _ABBREVIATIONS else "")
        for name in sorted(_MONTHS, key=len, reverse=True)
    )
    + r")(?![\w])"
)
_YEAR = r"(?:19|20)\d\d(?!\d)"
_ORD = r"(?::[ae]|st|nd|rd|th)?"

_CORE = (
    rf"(?P<iso>(?P<iso_y>{_YEAR})-(?P<iso_m>\d\d)-(?P<iso_d>\d\d)(?!\d))"
    rf"|(?P<fi>(?P<fi_d>\d{{1,2}})\.(?P<fi_m>\d{{1,2}})\.(?P<fi_y>{_YEAR}))"
    r"|(?P<cp>(?P<cp_y>(?:19|20)\d\d)(?P<cp_m>0[1-9]|1[0-2])(?P<cp_d>0[1-9]|[12]\d|3[01])(?!\d))"
    rf"|(?P<sl>(?:(?P<sl_den>den)\s+)?(?P<sl_d>\d{{1,2}})/(?P<sl_m>\d{{1,2}})"
    rf"(?:(?:\s+|-|/)(?P<sl_y>{_YEAR}))?(?![\d/]))"
    rf"|(?P<dr>(?:den\s+)?(?P<dr_d1>\d{{1,2}}){_ORD}\s*(?P<dr_conn>–|—|-|till|och)\s*"
    rf"(?:den\s+)?(?P<dr_d2>\d{{1,2}}){_ORD}\s+(?P<dr_m>{_MONTH})(?:,?\s+(?P<dr_y>{_YEAR}))?)"
    rf"|(?P<dm>(?:den\s+)?(?P<dm_d>\d{{1,2}}){_ORD}\.?\s+(?:of\s+)?(?P<dm_m>{_MONTH})"
    rf"(?:,?\s+(?P<dm_y>{_YEAR}))?)"
    rf"|(?P<md>(?P<md_m>{_MONTH})\s+(?P<md_d>\d{{1,2}})(?P<md_ord>st|nd|rd|th)?(?!\d)"
    rf"(?:,?\s+(?P<md_y>{_YEAR}))?)"
    rf"|(?P<my>(?P<my_m>{_MONTH})\s+(?P<my_y>{_YEAR}))"
    rf"|(?P<yr>(?P<yr_y>{_YEAR})(?![.,]\d|\s*[-–]\s*tal|-[^\W\d_]|\s+års))"
)
_CORE_RE = re.compile(_CORE, re.IGNORECASE)
_TOKEN_RE = re.compile(rf"(?<![\w+/.,:\-–])(?:{_CORE})", re.IGNORECASE)
_CONNECTOR_RE = re.compile(
    r"\s*(?P<conn>–|—|-|till\s+och\s+med|till|t\.\s?o\.\s?m\.?|t\s?o\s?m|och|to|until"
    r"|through|and)\s*(?:den\s+)?",
    re.IGNORECASE,
)
_MELLAN_RE = re.compile(r"(?<![\w])(?:mellan|between)\s+(?:den\s+)?$", re.IGNORECASE)
_FRAN_RE = re.compile(r"(?<![\w])(?:från|from)\s+(?:och\s+med\s+)?(?:den\s+)?$", re.IGNORECASE)
_OPEN_START_RE = re.compile(
    r"(?<![\w])(?:från\s+och\s+med|fr\.\s?o\.\s?m\.?|från|fra\s+og\s+med|from"
    r"|med\s+start(?:\s+i|\s+den)?|startar(?:\s+i|\s+den)?|starter(?:\s+i|\s+den)?"
    r"|starting(?:\s+in)?|sedan|since)\s+(?:den\s+)?$",
    re.IGNORECASE,
)
_OPEN_END_RE = re.compile(
    r"(?<![\w])(?:till\s+och\s+med|t\.\s?o\.\s?m\.?|t\s?o\s?m|fram\s+till|til\s+og\s+med"
    r"|avslutas(?:\s+i)?|avsluttes(?:\s+i)?|until|through)"
    r"\s+(?:den\s+)?$",
    re.IGNORECASE,
)
_LAUNCHED_RE = re.compile(  # "2016 lanserades en nationell strategi": started that year
    r"\s+(?:lanserades|startade|inleddes|grundades|bildades|ble\s+lansert|startet|was\s+launched)"
    r"(?![\w])",
    re.IGNORECASE,
)
_SEASON_RE = re.compile(
    rf"(?<![\w])(?:hösten|våren|sommaren|vintern|autumn|spring|summer|winter|fall)"
    rf"(?:\s+of)?\s+(?P<y1>{_YEAR})(?:/(?P<y2>{_YEAR}|\d\d(?!\d)))?",
    re.IGNORECASE,
)
_SHORT_YEARS_RE = re.compile(
    rf"(?<![\w+/.,:\-–])(?P<y1>{_YEAR})(?:\s*–\s*|/)(?P<y2>(?:19|20)\d\d|\d\d)(?![\d\-/.])"
    rf"(?!\s+{_MONTH})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    kind: str  # "day", "month", "year" or "dayrange"
    year: int | None
    month: int | None
    day: int | None
    day2: int | None = None  # end day of a "dayrange"
    den: bool = False  # written after "den" (a day/month without year is then a date)
    conn: str | None = None  # connector of a "dayrange"
    split: tuple[int, int] | None = None  # end of the first day, start of the second


def _valid(year: int, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        y = year if year else 2000  # 29 February is checked against a leap year
        if month is None or not 1 <= day <= calendar.monthrange(y, month)[1]:
            return False
    return True


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _year(s: str | None) -> int | None:
    return int(s) if s else None


def _token(m: re.Match[str]) -> _Tok | None:
    """The date token a match of ``_CORE`` spells, or None when it is no date."""
    start, end = m.span()
    kind = m.lastgroup
    tok: _Tok
    if kind == "iso":
        tok = _Tok(start, end, "day", int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))
    elif kind == "cp":
        tok = _Tok(start, end, "day", int(m["cp_y"]), int(m["cp_m"]), int(m["cp_d"]))
    elif kind == "fi":
        tok = _Tok(start, end, "day", int(m["fi_y"]), int(m["fi_m"]), int(m["fi_d"]))
    elif kind == "sl":
        if not m["sl_den"] and not m["sl_y"]:
            return None
        tok = _Tok(
            start,
            end,
            "day",
            _year(m["sl_y"]),
            int(m["sl_m"]),
            int(m["sl_d"]),
            den=bool(m["sl_den"]),
        )
    elif kind == "dr":
        tok = _Tok(
            start,
            end,
            "dayrange",
            _year(m["dr_y"]),
            _month(m["dr_m"]),
            int(m["dr_d1"]),
            int(m["dr_d2"]),
            conn=m["dr_conn"].lower(),
            split=(m.end("dr_d1"), m.end("dr_conn")),
        )
        if not _valid(tok.year or 0, tok.month, tok.day2):
            return None
    elif kind == "dm":
        tok = _Tok(
            start,
            end,
            "day",
            _year(m["dm_y"]),
            _month(m["dm_m"]),
            int(m["dm_d"]),
            den=m.group().lower().startswith("den"),
        )
    elif kind == "md":
        name = m["md_m"].lower().rstrip(".")
        if name in _SWEDISH_ONLY or not (m["md_y"] or m["md_ord"]):
            return None  # "maj 15 personer": Swedish writes the day first
        tok = _Tok(start, end, "day", _year(m["md_y"]), _month(m["md_m"]), int(m["md_d"]))
    elif kind == "my":
        if m["my_m"].lower().rstrip(".") == "jul":
            return None
        tok = _Tok(start, end, "month", int(m["my_y"]), _month(m["my_m"]), None)
    else:
        tok = _Tok(start, end, "year", int(m["yr_y"]), None, None)
    if not _valid(tok.year or 0, tok.month, tok.day):
        return None
    return tok


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        tok = _token(m)
        if tok is None and m.lastgroup in ("md", "my", "sl"):
            # "maj 15" was no date, but "15 maj" or a year may start inside it
            inner = _TOKEN_RE.search(text, m.start() + 1, m.end())
            tok = _token(inner) if inner else None
        if tok is not None:
            out.append(tok)
    return out


def _iso(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _bounds(value: str) -> tuple[date, date]:
    """The first and last day a value of any precision covers."""
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return date(year, 1, 1), date(year, 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(year, parts[1])[1]
        return date(year, parts[1], 1), date(year, parts[1], last)
    d = date(year, parts[1], parts[2])
    return d, d


def _ordered(first: str, last: str) -> bool:
    return _bounds(first)[0] <= _bounds(last)[1]


@dataclass(frozen=True)
class _Range:
    start: int
    end: int
    first: _Tok
    last: _Tok
    value: str
    end_value: str


def _pair(a: _Tok, b: _Tok, default_year: int | None) -> tuple[str, str] | None:
    """ISO values of a range from ``a`` to ``b`` (``a`` may borrow ``b``'s year)."""
    if b.kind == "dayrange" or a.kind == "dayrange":
        return None
    if b.year is None:
        if default_year is None or a.year is not None:
            return None
        b = _Tok(b.start, b.end, b.kind, default_year, b.month, b.day)
        if not _valid(default_year, b.month, b.day):
            return None
    year = a.year
    if year is None:
        if a.month is None:
            return None
        year = b.year
        if b.month is not None and (a.month, a.day or 0) > (b.month, b.day or 99):
            year -= 1
        if not _valid(year, a.month, a.day):
            return None
    first, last = _iso(year, a.month, a.day), _iso(b.year, b.month, b.day)
    if first is None or last is None or not _ordered(first, last):
        return None
    return first, last


def _ranges(
    text: str, tokens: list[_Tok], *, years: bool, default_year: int | None = None
) -> tuple[list[_Range], set[int]]:
    """Ranges ``TOKEN connector TOKEN`` (of years too when ``years``) and used tokens."""
    ranges: list[_Range] = []
    used: set[int] = set()
    for i, a in enumerate(tokens):
        if i in used or a.kind == "dayrange":
            continue
        cm = _CONNECTOR_RE.match(text, a.end)
        if not cm:
            continue
        bm = _CORE_RE.match(text, cm.end())
        b = _token(bm) if bm else None
        if b is None or (not years and "year" in (a.kind, b.kind)):
            continue
        conn = cm["conn"].lower()
        head = text[max(0, a.start - 40) : a.start]
        if conn in ("och", "and") and not _MELLAN_RE.search(head):
            continue
        values = _pair(a, b, default_year)
        if values is None:
            continue
        start = a.start
        lead = _MELLAN_RE.search(head) or _FRAN_RE.search(head)
        if lead:
            start = a.start - (len(head) - lead.start())
        ranges.append(_Range(start, b.end, a, b, *values))
        used.add(i)
        used.update(j for j, t in enumerate(tokens) if t.start < b.end and t.end > cm.end())
    return ranges, used


def _dayrange(text: str, tok: _Tok, default_year: int | None) -> DateMatch | list[DateMatch]:
    """A "22–23 november" token: one range, or two dates for "den 25 och den 29 mars"."""
    year = tok.year if tok.year is not None else default_year
    if year is None:
        return []
    first, last = _iso(year, tok.month, tok.day), _iso(year, tok.month, tok.day2)
    if first is None or last is None or not _valid(year, tok.month, tok.day):
        return []
    if tok.conn == "och" and not _MELLAN_RE.search(text[max(0, tok.start - 40) : tok.start]):
        # "den 25 och den 29 mars": two dates of one month
        first_end, after_conn = tok.split or (tok.end, tok.start)
        second = (
            after_conn + len(text[after_conn : tok.end]) - len(text[after_conn : tok.end].lstrip())
        )
        return [
            DateMatch(tok.start, first_end, text[tok.start : first_end], first),
            DateMatch(second, tok.end, text[second : tok.end], last),
        ]
    if not _ordered(first, last) or first == last:
        return []
    start = tok.start
    lead = _MELLAN_RE.search(text[max(0, tok.start - 40) : tok.start])
    if lead:
        start = tok.start - (len(lead.string) - lead.start())
    return DateMatch(start, tok.end, text[start : tok.end], first, last)


def find_dates(text: str, default_year: int | None = None) -> list[DateMatch]:
    """Every date (or date range) written in ``text``, sorted by start.

    ``default_year`` is the year of a date written without one (``den 22 september``);
    without it such dates are skipped. Years alone are never returned.
    """
    tokens = [t for t in _tokens(text) if t.kind != "year"]
    ranges, used = _ranges(text, tokens, years=False, default_year=default_year)
    out = [DateMatch(r.start, r.end, text[r.start : r.end], r.value, r.end_value) for r in ranges]
    for i, tok in enumerate(tokens):
        if i in used:
            continue
        if tok.kind == "dayrange":
            found = _dayrange(text, tok, default_year)
            out.extend(found if isinstance(found, list) else [found])
            continue
        year = tok.year
        if year is None:
            if default_year is None:
                continue  # never invent a year
            year = default_year
            if not _valid(year, tok.month, tok.day):
                continue
        value = _iso(year, tok.month, tok.day)
        if value is not None:
            out.append(DateMatch(tok.start, tok.end, text[tok.start : tok.end], value))
    return sorted(out, key=lambda d: (d.start, d.end, d.value))


def find_periods(text: str) -> list[PeriodMatch]:
    """Every period written in ``text`` (see module docstring), sorted by start."""
    tokens = _tokens(text)
    ranges, used = _ranges(text, tokens, years=True)
    out = [PeriodMatch(r.start, r.end, text[r.start : r.end], r.value, r.end_value) for r in ranges]
    for i, tok in enumerate(tokens):
        if i in used:
            continue
        if tok.kind == "dayrange":
            found = _dayrange(text, tok, None)
            if isinstance(found, DateMatch):
                out.append(
                    PeriodMatch(found.start, found.end, found.text, found.value, found.end_value)
                )
            continue
        value = _iso(tok.year, tok.month, tok.day)
        if value is None:
            continue
        head = text[max(0, tok.start - 40) : tok.start]
        opened = _OPEN_START_RE.search(head)
        closed = _OPEN_END_RE.search(head)
        launched = _LAUNCHED_RE.match(text, tok.end)
        if opened:
            start = tok.start - (len(head) - opened.start())
            out.append(PeriodMatch(start, tok.end, text[start : tok.end], value, None))
        elif launched:
            out.append(
                PeriodMatch(
                    tok.start,
                    launched.end(),
                    launched.string[tok.start : launched.end()],
                    value,
                    None,
                )
            )
        elif closed:
            start = tok.start - (len(head) - closed.start())
            out.append(PeriodMatch(start, tok.end, text[start : tok.end], None, value))
    taken = [(p.start, p.end) for p in out]
    for m in _SEASON_RE.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        first = m["y1"]
        last = m["y2"] or first
        if len(last) == 2:
            last = first[:2] + last
        if int(last) < int(first):
            continue
        head = text[max(0, m.start() - 40) : m.start()]
        if _OPEN_START_RE.search(head):  # "startar hösten 2024": the start only
            last = None
        elif _OPEN_END_RE.search(head) or re.search(r"(?i)(?<![\w])till\s+$", head):
            first = None  # "pågår till hösten 2025": the end only
        out.append(PeriodMatch(m.start(), m.end(), m.group(), first, last))
        taken.append(m.span())
    for m in _SHORT_YEARS_RE.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        first, last = m["y1"], m["y2"] if len(m["y2"]) == 4 else m["y1"][:2] + m["y2"]
        if int(last) <= int(first):
            continue
        out.append(PeriodMatch(m.start(), m.end(), m.group(), first, last))
    return sorted(out, key=lambda p: (p.start, p.end))
