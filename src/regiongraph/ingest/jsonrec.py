"""JSON and JSON Lines files of release records.

A ``.json`` file holds one record, a list of records, or an object with a list under
``records``/``releases``/``items``/``data``; a ``.jsonl``/``.ndjson`` file holds one record
per line (blank lines skipped). A record is an object with ``text`` or ``html`` and
optionally ``title``, ``date`` (or ``published``), ``url`` (or ``source``), ``publisher``,
``language`` (or ``lang``) and ``id``. Its release id is the slug of ``id``, else of
``url``, else ``{file-stem}-{n}`` (n counts records from 1). The file's SOURCES.csv row, if
any, gives the publisher and language that a record leaves out.
"""

from __future__ import annotations

import json
from typing import Any

from regiongraph.ingest.html import html_to_text
from regiongraph.ingest.registry import IngestError, SourceFile
from regiongraph.ingest.text import (
    ReleaseFields,
    build_document,
    decode_bytes,
    normalise_text,
    sha256_of,
)
from regiongraph.records import Document
from regiongraph.vocab import release_id_for, slugify

LINE_SUFFIXES = (".jsonl", ".ndjson")
LIST_KEYS = ("records", "releases", "items", "data")
_FIELDS = {
    "title": ("title",),
    "date": ("date", "published"),
    "source": ("url", "source"),
    "publisher": ("publisher",),
    "language": ("language", "lang"),
}


def _records(source: SourceFile, text: str) -> list[tuple[str, Any]]:
    """``(where, record)`` pairs; ``where`` names the record in error messages."""
    if source.path.suffix.lower() in LINE_SUFFIXES:
        records = []
        for line_no, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise IngestError(
                    source.path, f"line {line_no} is not valid JSON: {exc.msg} (column {exc.colno})"
                ) from None
            records.append((f"the record on line {line_no}", value))
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
    if isinstance(value, dict) and not ({"text", "html"} & set(value)):
        lists = [value[k] for k in LIST_KEYS if isinstance(value.get(k), list)]
        if lists:
            value = lists[0]
    items = value if isinstance(value, list) else [value]
    if not items:
        raise IngestError(source.path, "the file holds no records")
    return [(f"record {n}", item) for n, item in enumerate(items, start=1)]


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


def _release_id(record: dict[str, Any], source: SourceFile, n: int) -> str:
    for key in ("id", "url"):
        value = record.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            value = str(value).strip()
            if key == "url":
                value = value.split("://", 1)[-1]
            return slugify(value)
    return f"{release_id_for(source.path.name)}-{n}"


def read_json(source: SourceFile, data: bytes) -> list[Document]:
    """Every record of a JSON or JSON Lines file, each as one release."""
    text, _encoding = decode_bytes(data, source.path)
    sha = sha256_of(data)
    file_fields = ReleaseFields.from_meta(source.meta)
    file_fields = ReleaseFields(publisher=file_fields.publisher, language=file_fields.language)
    documents: list[Document] = []
    seen: dict[str, str] = {}
    for n, (where, record) in enumerate(_records(source, text), start=1):
        if not isinstance(record, dict):
            raise IngestError(source.path, f"{where} is not a JSON object")
        body = record.get("text")
        html = record.get("html")
        if not (isinstance(body, str) and body.strip()) and not (
            isinstance(html, str) and html.strip()
        ):
            raise IngestError(source.path, f"{where} has no text (a 'text' or 'html' field)")
        fields = ReleaseFields(**{name: _field(record, where, source, name) for name in _FIELDS})
        warnings: tuple[str, ...] = ()
        if isinstance(body, str) and body.strip():
            content = normalise_text(body)
        else:
            page = html_to_text(str(html), url=fields.source)
            content, warnings = page.text, page.warnings
            fields = fields.over(page.fields)
            if not content.strip():
                raise IngestError(source.path, f"{where}: its HTML has no readable text")
        release_id = _release_id(record, source, n)
        if release_id in seen:
            raise IngestError(
                source.path, f"{where} has the same id {release_id!r} as {seen[release_id]}"
            )
        seen[release_id] = where
        try:
            document = build_document(
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
        documents.append(document)
    return documents
