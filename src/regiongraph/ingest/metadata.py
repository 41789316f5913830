"""What is known about a release besides its body: SOURCES.csv rows, dates, titles.

* ``load_sources`` reads a folder's ``SOURCES.csv`` (``file,source,date,publisher,language``).
* ``parse_date_field`` turns a metadata date into ``(published, published_note)``: an ISO
  date, year-month or year is kept as it is; anything else is kept as free text in the note
  and ``published`` stays None. Dates are never guessed.
* ``find_dateline`` finds a dateline near the top of a body ("NYHETER 2021-02-09",
  "14 juni 2022", "Pressmeddelande • Aug 15, 2019 16:02 CEST", "18.3.2024").
* ``is_heading_like`` and ``url_title_score`` help to find a release's title.
* ``source_iri`` makes a source URL an IRI the store accepts, or says why it cannot.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pyoxigraph

from regiongraph.vocab import slugify

SOURCES_FILE = "SOURCES.csv"
SOURCES_COLUMNS = ("file", "source", "date", "publisher", "language")


class MetadataError(ValueError):
    """A SOURCES.csv that cannot be used, naming the file and the row."""


@dataclass(frozen=True)
class SourceMeta:
    """One row of SOURCES.csv: what the folder says about one release file."""

    file: str
    source: str | None = None
    date: str | None = None
    publisher: str | None = None
    language: str | None = None


def load_sources(path: Path) -> dict[str, SourceMeta]:
    """Read a SOURCES.csv into ``{file name: SourceMeta}``; MetadataError if unusable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MetadataError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    if "file" not in columns:
        raise MetadataError(
            f"{path.name}: the header must name the columns {','.join(SOURCES_COLUMNS)}"
            f" (found: {','.join(columns) or 'nothing'})"
        )
    rows: dict[str, SourceMeta] = {}
    for line_no, row in enumerate(reader, start=2):
        values = {
            (k or "").strip().lower(): (v or "").strip()
            for k, v in row.items()
            if isinstance(v, str) or v is None
        }
        name = values.get("file", "")
        if not name:
            raise MetadataError(f"{path.name}: line {line_no} names no file")
        if name in rows:
            raise MetadataError(f"{path.name}: line {line_no} repeats the file {name!r}")
        rows[name] = SourceMeta(
            file=name,
            source=_web_address(values.get("source", "")),
            date=values.get("date") or None,
            publisher=values.get("publisher") or None,
            language=values.get("language") or None,
        )
    return rows


def _web_address(value: str) -> str | None:
    """The source column as a web address; a note such as "unknown" means no address."""
    return value if value.lower().startswith(("http://", "https://")) else None


# --- dates -------------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "maj": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augusti": 8, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

_ISO_DAY = r"(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
_DAY_MONTH_YEAR = rf"(?P<dd>\d{{1,2}})(?:\.|:e|:a)?\s+(?P<dm>{_MONTH})\.?\s+(?P<dy>\d{{4}})"
_MONTH_DAY_YEAR = rf"(?P<mm>{_MONTH})\.?\s+(?P<md>\d{{1,2}}),?\s+(?P<my>\d{{4}})"
_DOTTED = r"(?P<pd>\d{1,2})\.(?P<pm>\d{1,2})\.(?P<py>\d{4})"
_DATE = rf"(?:{_ISO_DAY}|{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR}|{_DOTTED})"
_DATE_RE = re.compile(rf"^{_DATE}$", re.IGNORECASE)

# Labels that may stand before a publication date on a dateline. "Uppdaterad" is not one:
# an update stamp is not the publication date.
_DATELINE_LABEL = (
    r"nyheter|nyhet|news|pressmeddelande|press\s+release|publicerad|publicerat|published"
    r"|datum|date"
)
_WEEKDAY = r"(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?"
_DATELINE_RE = re.compile(
    rf"^(?:(?:{_DATELINE_LABEL})\s*[:•·|\-–—]?\s*)?(?:{_WEEKDAY}\s+(?:den\s+)?)?{_DATE}"
    r"(?:\s*,?\s*(?:kl\.?\s*)?\d{1,2}[:.]\d{2}(?:\s*[A-Z]{2,5}(?:[+-]\d{1,2})?)?)?$",
    re.IGNORECASE,
)
_ISO_FIELD_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ISO_WITH_NOTE_RE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*\((.+)\)$")
_ISO_TIMESTAMP_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")


def _valid_iso(year: str, month: str | None, day: str | None) -> str | None:
    try:
        if day is not None and month is not None:
            return dt.date(int(year), int(month), int(day)).isoformat()
        if month is not None:
            return f"{int(year):04d}-{int(month):02d}" if 1 <= int(month) <= 12 else None
        return f"{int(year):04d}"
    except ValueError:
        return None


def _iso_from_match(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g.get("iy"):
        return _valid_iso(g["iy"], g["im"], g["id"])
    if g.get("dy"):
        return _valid_iso(g["dy"], str(MONTHS[g["dm"].lower()]), g["dd"])
    if g.get("my"):
        return _valid_iso(g["my"], str(MONTHS[g["mm"].lower()]), g["md"])
    if g.get("py"):
        return _valid_iso(g["py"], g["pm"], g["pd"])
    return None


def parse_date_text(text: str) -> str | None:
    """An ISO date for a string that is exactly one date, in any usual Swedish form."""
    m = _DATE_RE.match(text.strip())
    return _iso_from_match(m) if m else None


def parse_date_field(value: str | None) -> tuple[str | None, str | None]:
    """``(published, published_note)`` for a metadata date value.

    >>> parse_date_field("2022-05-25")
    ('2022-05-25', None)
    >>> parse_date_field("2016-04-01 (signed Friday 1 April 2016)")
    ('2016-04-01', '2016-04-01 (signed Friday 1 April 2016)')
    >>> parse_date_field("unknown (decision 2 March, year not stated)")
    (None, 'unknown (decision 2 March, year not stated)')
    """
    if value is None or not value.strip():
        return None, None
    value = " ".join(value.split())
    m = _ISO_FIELD_RE.match(value)
    if m:
        iso = _valid_iso(*m.groups())
        return (iso, None) if iso else (None, value)
    m = _ISO_TIMESTAMP_RE.match(value)
    if m:
        iso = parse_date_text(m.group(1))
        return (iso, None) if iso else (None, value)
    m = _ISO_WITH_NOTE_RE.match(value)
    if m:
        iso_m = _ISO_FIELD_RE.match(m.group(1))
        iso = _valid_iso(*iso_m.groups()) if iso_m else None
        return (iso, value) if iso else (None, value)
    iso = parse_date_text(value)
    return (iso, None) if iso else (None, value)


def dateline_date(line: str) -> str | None:
    """The ISO date of a dateline: a short line that is a date, maybe with a label and time."""
    line = " ".join(line.split())
    if len(line) > 60:
        return None
    m = _DATELINE_RE.match(line)
    return _iso_from_match(m) if m else None


# --- titles ------------------------------------------------------------------------------

_URLISH = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_BULLET = re.compile(r"^[•·▪◦\-–—*]\s")
MAX_TITLE_LENGTH = 200


def is_heading_like(line: str) -> bool:
    """A short line without a final period: a title or a sub-heading."""
    line = line.strip()
    if not 3 <= len(line) <= MAX_TITLE_LENGTH:
        return False
    if line.endswith((".", ":", ",", ";", "…")) or _URLISH.match(line) or _BULLET.match(line):
        return False
    if dateline_date(line):
        return False
    first = line[0]
    return (first.isalpha() and first.isupper()) or first.isdigit() or first in "\"”“'«"


def clean_publisher(publisher: str | None) -> str | None:
    """The organisation in a publisher field: 'Region X (Mynewsdesk)' -> 'Region X'."""
    if not publisher:
        return None
    name = re.sub(r"\s*\([^)]*\)\s*$", "", publisher).strip()
    name = re.split(r"\s+(?:via|genom)\s+", name, maxsplit=1)[0].strip()
    return name or None


def _fold_tokens(text: str) -> list[str]:
    # Web slugs write ä/ö/å as "ae"/"oe"/"aa" or drop the accent: fold both sides alike.
    slug = slugify(text)
    folded = slug.replace("ae", "a").replace("oe", "o").replace("aa", "a")
    return [t for t in folded.split("-") if t]


def url_title_tokens(url: str | None) -> list[str]:
    """Tokens of the last path segment of a URL, without a leading date or trailing id."""
    if not url:
        return []
    path = unquote(urlsplit(url).path)
    segments = [s for s in path.split("/") if s]
    if not segments:
        return []
    last = re.sub(r"\.(?:html?|php|aspx?)$", "", segments[-1], flags=re.IGNORECASE)
    last = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", last)
    last = re.sub(r"-\d{5,}$", "", last)
    return _fold_tokens(last)


def url_title_score(line: str, url_tokens: list[str]) -> float:
    """How well a line matches the URL slug: shared tokens over the longer token list."""
    if not url_tokens:
        return 0.0
    tokens = _fold_tokens(line)
    if not tokens:
        return 0.0
    common = sum(1 for t in set(tokens) if t in set(url_tokens))
    return common / max(len(set(tokens)), len(set(url_tokens)))


# --- source addresses ----------------------------------------------------------------------

_WEB_ADDRESS = re.compile(r"https?://\S+$")  # what the graph writes as an IRI, not as text
# What an IRI may not hold as it is (RFC 3987): these, and a "%" without two hex digits.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]|%(?![0-9A-Fa-f]{2})')


def _is_iri(text: str) -> bool:
    """Whether the store's own IRI parser (oxiri, in pyoxigraph) takes ``text``."""
    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return True


def source_iri(url: str | None) -> tuple[str | None, str | None]:
    """``(source, warning)``: a web address with the characters an IRI may not hold
    percent-encoded (``|`` -> ``%7C``, a stray ``%`` -> ``%25``); other text as it is.
    An address that is still no IRI is dropped, and the warning says so.

    >>> source_iri("https://example.se/a|b?q=%zz")
    ('https://example.se/a%7Cb?q=%25zz', None)
    """
    if not url or not _WEB_ADDRESS.match(url) or _is_iri(url):
        return url, None
    encoded = _NOT_IN_IRI.sub(lambda m: quote(m.group(), safe=""), url)
    if _is_iri(encoded):
        return encoded, None
    return None, f"bad-source-url: {url!r} is not a valid web address; it was left out"
