"""Adding one's own release files to a releases folder, with their SOURCES.csv rows.

``add_releases`` copies each file into the folder and writes (or replaces) its row in
the folder's ``SOURCES.csv``; the metadata is checked first (``check_metadata``): the
source is an http(s) URL, the date an ISO date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``),
the language a two- or three-letter code. The file is written back whole, with one
line-ending style (LF), so rows written by hand with CRLF do not end up mixed with LF.
A file that cannot be added is reported and the rest go on.
"""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import io
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from regiongraph.ingest.metadata import SOURCES_COLUMNS, SOURCES_FILE
from regiongraph.ingest.registry import ReaderNotFound, media_type_for_suffix


class AddError(ValueError):
    """Metadata or a file that cannot be added, in plain words."""


@dataclass(frozen=True)
class Added:
    """What happened to one file: ``added``, ``replaced``, ``unchanged`` or ``failed``."""

    source: Path
    target: Path
    outcome: str
    message: str = ""


def check_metadata(
    source: str | None, date: str | None, language: str | None
) -> dict[str, str | None]:
    """The metadata as it will be written; AddError naming the first bad value."""
    if source:
        parts = urlsplit(source)
        if parts.scheme not in {"http", "https"} or not parts.netloc or " " in source:
            raise AddError(f"--source must be an http(s) URL, got {source!r}")
    if date and not is_iso_date(date.strip()):
        raise AddError(f"--date must be an ISO date (YYYY-MM-DD, YYYY-MM or YYYY), got {date!r}")
    if language and not re.fullmatch(r"[a-z]{2,3}", language.strip()):
        raise AddError(f"--language must be a language code such as sv, en or fi, got {language!r}")
    return {"source": source, "date": date and date.strip(), "language": language}


def is_iso_date(value: str) -> bool:
    """True for a real ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not match:
        return False
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a SOURCES.csv (a missing file has the standard header)."""
    if not path.exists():
        return list(SOURCES_COLUMNS), []
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [c.strip() for c in reader.fieldnames or SOURCES_COLUMNS]
    rows = [{k.strip(): (v or "") for k, v in row.items() if k} for row in reader]
    return header, rows


def write_rows(path: Path, header: list[str], rows: Iterable[dict[str, str]]) -> None:
    """Write a SOURCES.csv with LF line endings, the header's columns in order."""
    columns = header + [c for c in SOURCES_COLUMNS if c not in header]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def add_releases(
    files: Iterable[Path],
    folder: Path,
    *,
    source: str | None = None,
    date: str | None = None,
    publisher: str | None = None,
    language: str | None = None,
    replace: bool = False,
) -> list[Added]:
    """Copy ``files`` into ``folder`` and write their SOURCES.csv rows (see the module)."""
    meta = check_metadata(source, date, language)
    folder.mkdir(parents=True, exist_ok=True)
    sources = folder / SOURCES_FILE
    header, rows = read_rows(sources)
    by_file = {row.get("file", ""): row for row in rows}
    results: list[Added] = []
    for path in files:
        path = Path(path)
        target = folder / path.name
        outcome = _copy(path, target, replace)
        results.append(outcome)
        if outcome.outcome == "failed":
            continue
        row = by_file.get(path.name)
        if row is None:
            row = {"file": path.name}
            by_file[path.name] = row
            rows.append(row)
        for key, value in (*meta.items(), ("publisher", publisher)):
            if value:
                row[key] = value
    if any(r.outcome != "failed" for r in results):
        write_rows(sources, header, rows)
    return results


def _copy(path: Path, target: Path, replace: bool) -> Added:
    if path.name == SOURCES_FILE:
        return Added(path, target, "failed", f"{path}: give release files, not {SOURCES_FILE}")
    if not path.is_file():
        return Added(path, target, "failed", f"{path}: no such file")
    try:
        media_type_for_suffix(path.suffix)
    except ReaderNotFound as exc:
        return Added(path, target, "failed", f"{path}: {exc}")
    if target.exists() and path.resolve() == target.resolve():
        return Added(path, target, "unchanged")
    if target.exists():
        if filecmp.cmp(path, target, shallow=False):
            return Added(path, target, "unchanged")
        if not replace:
            return Added(
                path,
                target,
                "failed",
                f"{path}: {target} exists with other content (--replace overwrites it)",
            )
        shutil.copyfile(path, target)
        return Added(path, target, "replaced")
    shutil.copyfile(path, target)
    return Added(path, target, "added")
