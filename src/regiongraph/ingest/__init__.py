"""Ingest: release files -> Documents (body without site chrome, split into sentences).

    >>> from pathlib import Path
    >>> from regiongraph.ingest import discover, read_documents, IngestError
    >>> for source in discover([Path("data/releases")]):          # doctest: +SKIP
    ...     try:
    ...         documents = read_documents(source)
    ...     except IngestError as problem:
    ...         print(problem)                                      # "x.bin: looks like …"

``discover`` finds release files in files and folders; a folder's ``SOURCES.csv`` is
metadata for the files it names. ``read_documents`` reads one file with the reader
registered for its media type (``registry``) and returns one Document per release in it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from regiongraph.ingest.boilerplate import (
    RuleError,
    StrippedText,
    default_rules,
    load_rules,
    strip_boilerplate,
)
from regiongraph.ingest.metadata import (
    SOURCES_FILE,
    MetadataError,
    SourceMeta,
    load_sources,
)
from regiongraph.ingest.registry import (
    IngestError,
    ReaderNotFound,
    SourceFile,
    get_reader,
    media_type_for_suffix,
    register,
)
from regiongraph.ingest.sentences import get_nlp, reset_nlp, split_sentences
from regiongraph.records import BuildProblem, Document

__all__ = [
    "IngestError",
    "MetadataError",
    "ReaderNotFound",
    "RuleError",
    "SourceFile",
    "SourceMeta",
    "StrippedText",
    "default_rules",
    "discover",
    "get_nlp",
    "load_rules",
    "read_documents",
    "register",
    "reset_nlp",
    "split_sentences",
    "strip_boilerplate",
]


def _hidden(path: Path) -> bool:
    return path.name.startswith(".")


def _walk(folder: Path) -> list[Path]:
    """Files under ``folder``, sorted by name per folder (os.scandir: no stat per file)."""
    files: list[Path] = []
    with os.scandir(folder) as entries:
        children = sorted(entries, key=lambda e: e.name)
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_dir():
            files.extend(_walk(Path(child.path)))
        elif child.is_file():
            files.append(Path(child.path))
    return files


def discover(paths: Iterable[Path], problems: list[BuildProblem] | None = None) -> list[SourceFile]:
    """Release files under ``paths`` (files, or folders searched recursively).

    Order: the paths as given, each folder's files sorted by name; a file reached twice is
    listed once. Hidden files and folders are skipped. ``SOURCES.csv`` is read as metadata
    for the files of its folder. A file no reader handles, a missing path or an unreadable
    SOURCES.csv does not stop the search: it comes back with ``problem`` set (reading it
    raises IngestError), or, when a ``problems`` list is given, it is appended there as a
    BuildProblem (stage "ingest") and left out of the result.
    """
    # Keys are strings: hashing 10,000s of Path objects cost more than listing the folder.
    found: list[SourceFile] = []
    seen: set[str] = set()
    metadata: dict[str, dict[str, SourceMeta]] = {}
    bad_metadata: dict[Path, str] = {}
    folders: dict[str, str] = {}  # folder as given -> resolved

    def meta_for(file: Path) -> SourceMeta | None:
        folder = os.path.dirname(file)
        if folder not in metadata:
            table = file.parent / SOURCES_FILE
            metadata[folder] = {}
            if table.is_file():
                try:
                    metadata[folder] = load_sources(table)
                except MetadataError as exc:
                    bad_metadata[table] = str(exc)
        return metadata[folder].get(file.name)

    def add(source: SourceFile) -> None:
        parent, name = os.path.split(source.path)
        if parent not in folders:
            folders[parent] = str(Path(parent or ".").resolve())
        key = os.path.join(folders[parent], name)
        if key not in seen:
            seen.add(key)
            found.append(source)

    for given in paths:
        path = Path(given)
        if not path.exists():
            add(SourceFile(path, None, problem="no such file or folder"))
            continue
        files = _walk(path) if path.is_dir() else [path]
        for file in files:
            meta = meta_for(file)
            if file.name == SOURCES_FILE:
                if file in bad_metadata:
                    add(SourceFile(file, None, problem=bad_metadata[file]))
                continue
            try:
                media_type = media_type_for_suffix(file.suffix) if file.suffix else None
            except ReaderNotFound:
                media_type = None
            if media_type is None:
                kind = f"{file.suffix!r} files" if file.suffix else "files without a suffix"
                add(SourceFile(file, None, meta, problem=f"cannot read {kind} as press releases"))
            else:
                add(SourceFile(file, media_type, meta))
    if problems is None:
        return found
    for source in found:
        if source.problem is not None:
            message = str(IngestError(source.path, source.problem))
            problems.append(BuildProblem(str(source.path), "ingest", message))
    return [source for source in found if source.problem is None]


def read_documents(source: SourceFile) -> list[Document]:
    """The Documents in one file; IngestError (file name and problem) if it cannot be read."""
    if source.problem is not None:
        raise IngestError(source.path, source.problem)
    if source.media_type is None:
        raise IngestError(source.path, "its format is not known")
    try:
        reader = get_reader(source.media_type).load()
    except ReaderNotFound as exc:
        raise IngestError(source.path, str(exc)) from exc
    try:
        data = source.path.read_bytes()
    except IsADirectoryError:
        raise IngestError(source.path, "is a folder, not a file") from None
    except OSError as exc:
        raise IngestError(source.path, f"cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise IngestError(source.path, "the file is empty")
    return reader(source, data)
