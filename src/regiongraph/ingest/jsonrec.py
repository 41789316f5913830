"""JSON and JSON Lines files of release records.

A ``.json`` file holds one record, a list of records, or an object with a list under
``records``/``releases``/``items``/``data``; a ``.jsonl``/``.ndjson`` file holds one record
per line (blank lines skipped). A record is an object with ``text`` or ``html`` and
optionally ``title``, ``date`` (or ``published``), ``url`` (or ``source``), ``publisher``,
``language`` (or ``lang``) and ``id``. Its release id is ``{file id}.{record id}``, the
record id being the slug of ``id``, else of ``url``, else n (n counts records from 1),
unique within the file (``identity``). The file's SOURCES.csv row, if any, gives the
publisher and language that a record leaves out.

A record that cannot be read (a line that is not JSON, a record without text, an id that
an earlier record has) is an error of its own, naming its line or number; the file's
other records go on. Nesting deeper than the JSON parser follows is an error for the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from regiongraph.ingest.html import DeepHtml, html_to_text
from regiongraph.ingest.identity import name_slug, record_id, unique_ids
from regiongraph.ingest.registry import IngestError, SourceFile
from regiongraph.ingest.text import (
    ReleaseFields,
    build_document,
    decode_bytes,
    file_release_id,
    normalise_text,
    sha256_of,
)
from regiongraph.records import Document

LINE_SUFFIXES = (".jsonl", ".ndjson")
LIST_KEYS = ("records", "releases", "items", "data")
_FIELDS = {
    "title": ("title",),
    "date": ("date", "published"),
    "source": ("url", "source"),
    "publisher": ("publisher",),
    "language": ("language", "lang"),
}


@dataclass(frozen=True)
class _Record:
    where: str  # "the record on line 3", "record 2": names it in error messages
    line: str  # "line 3", "record 2": which release of the file a problem concerns
    value: Any = None
    problem: str | None = None  # why the record cannot be read at all


def _records(source: SourceFile, text: str) -> list[_Record]:
    """The records of a JSON or JSON Lines file; a bad line is a record with a problem."""
    if source.path.suffix.lower() in LINE_SUFFIXES:
        records = []
        for line_no, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            where, at = f"the record on line {line_no}", f"line {line_no}"
            try:
                records.append(_Record(where, at, json.loads(line)))
            except json.JSONDecodeError as exc:
                problem = f"line {line_no} is not valid JSON: {exc.msg} (column {exc.colno})"
                records.append(_Record(where, at, problem=problem))
            except RecursionError:
                records.append(_Record(where, at, problem=f"line {line_no} is nested too deeply"))
        if not records:
            raise IngestError(source.path, "the file is empty")
        return records
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            source.path,
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
        ) from None
    except RecursionError:
        raise IngestError(source.path, "its JSON is nested too deeply to be read") from None
    if isinstance(value, dict) and not ({"text", "html"} & set(value)):
        lists = [value[k] for k in LIST_KEYS if isinstance(value.get(k), list)]
        if lists:
            value = lists[0]
    items = value if isinstance(value, list) else [value]
    if not items:
        raise IngestError(source.path, "the file holds no records")
    return [_Record(f"record {n}", f"record {n}", item) for n, item in enumerate(items, start=1)]


def _field(record: dict[str, Any], where: str, source: SourceFile, name: str) -> str | None:
    for key in _FIELDS[name]:
        value = record.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise IngestError(source.path, f"{where}: the field {key!r} must be text")
        value = " ".join(str(value).split())
        if value:
            return value
    return None


def _record_key(record: Any, n: int) -> str:
    """What names a record within its file: its id, else its address, else its number."""
    if isinstance(record, dict):
        for key in ("id", "url"):
            value = record.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
                value = str(value).strip()
                return value.split("://", 1)[-1] if key == "url" else value
    return str(n)


def _release_ids(source: SourceFile, records: list[_Record]) -> list[str]:
    keys = [_record_key(r.value, n) for n, r in enumerate(records, start=1)]
    ids = unique_ids([(name_slug(key), key) for key in keys])
    return [record_id(file_release_id(source), rid) for rid in ids]


def _document(
    source: SourceFile, record: _Record, release_id: str, sha: str, file_fields: ReleaseFields
) -> Document:
    """One record's Document; IngestError naming the record if it cannot be read."""
    where, value = record.where, record.value
    if not isinstance(value, dict):
        raise IngestError(source.path, f"{where} is not a JSON object")
    body, html = value.get("text"), value.get("html")
    if not (isinstance(body, str) and body.strip()) and not (
        isinstance(html, str) and html.strip()
    ):
        raise IngestError(source.path, f"{where} has no text (a 'text' or 'html' field)")
    fields = ReleaseFields(**{name: _field(value, where, source, name) for name in _FIELDS})
    warnings: tuple[str, ...] = ()
    if isinstance(body, str) and body.strip():
        content = normalise_text(body)
    else:
        try:
            page = html_to_text(str(html), url=fields.source)
        except DeepHtml as exc:
            raise IngestError(source.path, f"{where}: {exc}") from None
        content, warnings = page.text, page.warnings
        fields = fields.over(page.fields)
        if not content.strip():
            raise IngestError(source.path, f"{where}: its HTML has no readable text")
    try:
        return build_document(
            source,
            content,
            release_id=release_id,
            media_type="application/json",
            sha256=sha,
            fields=fields.over(file_fields),
            warnings=warnings,
        )
    except IngestError as exc:
        raise IngestError(source.path, f"{where}: {exc.message}") from exc


def read_json(source: SourceFile, data: bytes) -> list[Document | IngestError]:
    """Every record of a JSON or JSON Lines file, each as one release (or its error)."""
    text, _encoding = decode_bytes(data, source.path)
    sha = sha256_of(data)
    file_fields = ReleaseFields.from_meta(source.meta)
    file_fields = ReleaseFields(publisher=file_fields.publisher, language=file_fields.language)
    records = _records(source, text)
    out: list[Document | IngestError] = []
    seen: dict[str, str] = {}
    for record, release_id in zip(records, _release_ids(source, records), strict=True):
        if record.problem is not None:
            out.append(IngestError(source.path, record.problem, record.line))
            continue
        if release_id in seen:
            problem = f"{record.where} has the same id {release_id!r} as {seen[release_id]}"
            out.append(IngestError(source.path, problem, record.line))
            continue
        seen[release_id] = record.where
        try:
            out.append(_document(source, record, release_id, sha, file_fields))
        except IngestError as exc:
            out.append(IngestError(source.path, exc.message, record.line))
    return out
