"""Readers of release files, keyed by media type and file suffix (rdflib-plugin style).

A reader is a function ``reader(source, data) -> list[Document | IngestError]``: it
receives the :class:`SourceFile` and the file's raw bytes and returns one item per release
in the file, its Document or the IngestError that stopped that release alone. Readers
are registered under a versioned name (``regiongraph.reader.text.v1``), one media type
and any number of suffixes. Built-in readers are registered lazily by module path, so
importing this module imports none of them (trafilatura is only loaded when an HTML file
is read). An unknown media type or suffix raises :class:`ReaderNotFound`,
naming what was asked for and what is known.

    >>> get_reader("text/plain").name
    'regiongraph.reader.text.v1'
    >>> media_type_for_suffix(".HTM")
    'text/html'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regiongraph.ingest.metadata import SourceMeta
    from regiongraph.records import Document


class IngestError(Exception):
    """A release file that cannot be read, with the file and the problem in plain words."""

    def __init__(self, path: Path | str, message: str, where: str | None = None) -> None:
        self.path = Path(path)
        self.message = message
        self.where = where  # the one release of the file it concerns ("line 3"), if any
        super().__init__(f"{self.path.name}: {message}")


class ReaderNotFound(LookupError):
    """No reader is registered for a media type or a suffix."""


@dataclass(frozen=True)
class SourceFile:
    """A file found by ``discover``: its media type and the metadata its folder gives it.

    ``problem`` is set (and ``media_type`` may be None) for a path that cannot be read as a
    release, e.g. an unsupported suffix; ``read_documents`` raises it as an IngestError, so
    the caller reports it like any other unreadable file.

    ``release_id`` is the id ``discover`` gave the file (``ingest.identity``): the release
    id of a file that holds one release, the prefix of its records' ids (``{id}.{record}``)
    for a JSON file. Empty for a SourceFile made by hand: the readers then use the slug of
    the file name. ``max_bytes`` (None: no limit) refuses larger files before reading them.
    """

    path: Path
    media_type: str | None
    meta: SourceMeta | None = None
    problem: str | None = None
    release_id: str = ""
    max_bytes: int | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def owns(self, release_id: str) -> bool:
        """Whether a release id is one this file gives (its own, or one of its records')."""
        if not self.release_id:
            return True
        return release_id == self.release_id or release_id.startswith(f"{self.release_id}.")


# One item per release in the file: its Document, or the IngestError that stopped that
# release alone (a bad line of a JSON Lines file); the other releases of the file go on.
# An error that stops the whole file is raised.
Reader = Callable[[SourceFile, bytes], "list[Document | IngestError]"]


@dataclass(frozen=True)
class ReaderEntry:
    """One registered reader: imported from ``module``:``attr`` on first use."""

    name: str
    media_type: str
    suffixes: tuple[str, ...]
    module: str
    attr: str
    records: bool = False  # a file holds many releases, each with its own record id

    def load(self) -> Reader:
        try:
            reader = getattr(importlib.import_module(self.module), self.attr)
        except (ImportError, AttributeError) as exc:
            raise ReaderNotFound(
                f"reader {self.name} cannot be loaded from {self.module}:{self.attr}: {exc}"
            ) from exc
        if not callable(reader):
            raise ReaderNotFound(f"reader {self.name} ({self.module}:{self.attr}) is not callable")
        return reader


_BY_MEDIA_TYPE: dict[str, ReaderEntry] = {}
_BY_SUFFIX: dict[str, str] = {}


def _norm_suffix(suffix: str) -> str:
    suffix = suffix.strip().lower()
    return suffix if suffix.startswith(".") else f".{suffix}"


def register(
    name: str,
    media_type: str,
    module: str,
    attr: str,
    suffixes: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    records: bool = False,
) -> None:
    """Register the reader ``module:attr`` for ``media_type`` (and extra media-type aliases).

    Registering the same media type or suffix again replaces the earlier entry, as a plugin
    that overrides a built-in does.
    """
    if not name or not media_type or not module or not attr:
        raise ValueError("a reader needs a name, a media type, a module and an attribute")
    entry = ReaderEntry(
        name=name,
        media_type=media_type.lower(),
        suffixes=tuple(_norm_suffix(s) for s in suffixes),
        module=module,
        attr=attr,
        records=records,
    )
    for key in (entry.media_type, *(a.lower() for a in aliases)):
        _BY_MEDIA_TYPE[key] = entry
    for suffix in entry.suffixes:
        _BY_SUFFIX[suffix] = entry.media_type


def media_types() -> tuple[str, ...]:
    return tuple(sorted(_BY_MEDIA_TYPE))


def suffixes() -> tuple[str, ...]:
    return tuple(sorted(_BY_SUFFIX))


def media_type_for_suffix(suffix: str) -> str:
    """The media type read for a file suffix; ReaderNotFound for an unknown one."""
    key = _norm_suffix(suffix)
    try:
        return _BY_SUFFIX[key]
    except KeyError:
        raise ReaderNotFound(
            f"no reader for files ending in {key!r}; known: {', '.join(suffixes())}"
        ) from None


def get_reader(media_type: str) -> ReaderEntry:
    """The registry entry for a media type (``.load()`` gives the reader function)."""
    try:
        return _BY_MEDIA_TYPE[media_type.lower()]
    except KeyError:
        raise ReaderNotFound(
            f"no reader registered for media type {media_type!r}; known: {', '.join(media_types())}"
        ) from None


# Built-in readers: filled explicitly here, loaded lazily.
register(
    "regiongraph.reader.text.v1",
    "text/plain",
    "regiongraph.ingest.text",
    "read_text",
    suffixes=(".txt", ".text", ".md"),
    aliases=("text/markdown",),
)
register(
    "regiongraph.reader.html.v1",
    "text/html",
    "regiongraph.ingest.html",
    "read_html",
    suffixes=(".html", ".htm"),
    aliases=("application/xhtml+xml",),
)
register(
    "regiongraph.reader.json.v1",
    "application/json",
    "regiongraph.ingest.jsonrec",
    "read_json",
    suffixes=(".json", ".jsonl", ".ndjson"),
    aliases=("application/x-ndjson", "application/jsonl"),
    records=True,
)
