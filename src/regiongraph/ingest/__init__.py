"""Ingest: release files -> Documents (body without site chrome, split into sentences).

    >>> from pathlib import Path
    >>> from regiongraph.ingest import discover, read_documents, IngestError
    >>> for source in discover([Path("data/releases")]):          # doctest: +SKIP
    ...     try:
    ...         documents = read_documents(source)
    ...     except IngestError as problem:
    ...         print(problem)                                      # "x.bin: looks like …"

``discover`` finds release files in files and folders, gives each its release id
(``identity``); a folder's ``SOURCES.csv`` is metadata for the files it names.
``read_file`` reads one file with the reader registered for its media type
(``registry``): one Document per release in it, and a problem per release that could not
be read (a bad line of a JSON Lines file) while the others go on. ``read_documents`` is the
same, all or nothing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from regiongraph.ingest.boilerplate import (
    RuleError,
    StrippedText,
    default_rules,
    load_rules,
    strip_boilerplate,
)
from regiongraph.ingest.identity import name_slug, stem, unique_ids
from regiongraph.ingest.limits import DEFAULT_MAX_FILE_BYTES, parse_size, read_limited
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
    "DEFAULT_MAX_FILE_BYTES",
    "FileRead",
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
    "parse_size",
    "problem_of",
    "read_documents",
    "read_file",
    "register",
    "reset_nlp",
    "split_sentences",
    "strip_boilerplate",
]


_ROOT_PROBLEMS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def _not_regular(mode: int) -> str:
    kind = _ROOT_PROBLEMS.get(stat.S_IFMT(mode), "not a file")
    return f"is {kind}, not a regular file"


def _os_problem(exc: OSError) -> str:
    return f"cannot be read ({exc.strerror or exc})"


def _walk(folder: Path, ancestors: frozenset[tuple[int, int]]) -> list[tuple[Path, str | None]]:
    """Files under ``folder``, sorted by name per folder, each with the problem that keeps
    it from being read (None). os.scandir: no stat per file. A link back to a folder
    above (a loop) is not followed; anything that is not a file or folder is named."""
    try:
        with os.scandir(folder) as entries:
            children = sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        return [(folder, _os_problem(exc))]
    files: list[tuple[Path, str | None]] = []
    for child in children:
        if child.name.startswith("."):
            continue
        path = Path(child.path)
        try:
            if child.is_dir():
                info = child.stat()
                key = (info.st_dev, info.st_ino)
                if key in ancestors:
                    loop = "is a symbolic link to a folder that holds it (a loop): not followed"
                    files.append((path, loop))
                else:
                    files.extend(_walk(path, ancestors | {key}))
            elif child.is_file():
                files.append((path, None))
            elif child.is_symlink():
                files.append((path, "is a symbolic link to nothing"))
            else:
                files.append((path, _not_regular(child.stat(follow_symlinks=False).st_mode)))
        except OSError as exc:  # e.g. ELOOP: links that point at each other
            files.append((path, _os_problem(exc)))
    return files


def _files_of(given: Path) -> tuple[list[tuple[Path, str | None]], Path | None]:
    """The files of one path given to ``discover`` and the folder their ids count from."""
    try:
        info = given.stat()
    except FileNotFoundError:
        return [(given, "no such file or folder")], None
    except OSError as exc:
        return [(given, _os_problem(exc))], None
    if stat.S_ISDIR(info.st_mode):
        return _walk(given, frozenset({(info.st_dev, info.st_ino)})), given
    if not stat.S_ISREG(info.st_mode):
        return [(given, _not_regular(info.st_mode))], None
    return [(given, None)], given.parent


def _identity_key(file: Path, root: Path | None) -> str:
    """The path that tells a file from others of the same name: relative to the folder
    above the one given (``releases/2023/release.txt``); a file given alone counts from
    its own folder, so it keeps the key it has when its folder is given."""
    if root is None:
        return file.name
    top = root.resolve().name
    return f"{top}/{file.relative_to(root).as_posix()}"


def _with_ids(found: list[tuple[SourceFile, str]]) -> list[SourceFile]:
    """The sources with their release ids (``identity``); a source whose id another
    source already has comes back with a problem naming that source."""
    readable = [(i, s, key) for i, (s, key) in enumerate(found) if s.problem is None]
    out = [source for source, _ in found]
    for records in (False, True):
        group = [(i, s, key) for i, s, key in readable if _holds_records(s) == records]
        ids = unique_ids([(name_slug(stem(s.path.name)), key) for _, s, key in group])
        owner: dict[str, SourceFile] = {}
        for (i, source, _), release_id in zip(group, ids, strict=True):
            first = owner.setdefault(release_id, source)
            if first is source:
                out[i] = replace(source, release_id=release_id)
            else:
                problem = f"has the same release id {release_id!r} as {first.path}: rename one"
                out[i] = replace(source, problem=problem)
    return out


def _holds_records(source: SourceFile) -> bool:
    try:
        return source.media_type is not None and get_reader(source.media_type).records
    except ReaderNotFound:
        return False


def discover(
    paths: Iterable[Path],
    problems: list[BuildProblem] | None = None,
    max_bytes: int | None = DEFAULT_MAX_FILE_BYTES,
) -> list[SourceFile]:
    """Release files under ``paths`` (files, or folders searched recursively).

    Order: the paths as given, each folder's files sorted by name; a file reached twice is
    listed once. Hidden files and folders are skipped. ``SOURCES.csv`` is read as metadata
    for the files of its folder. Each file gets its release id (``identity``). A file no
    reader handles, a missing path, a named pipe, a link loop, an unreadable SOURCES.csv
    or a file whose id another file has does not stop the search: it comes back with
    ``problem`` set (reading it raises IngestError), or, when a ``problems`` list is given,
    it is appended there as a BuildProblem (stage "ingest") and left out of the result.
    ``max_bytes`` goes with each file: reading a larger one is refused (None: no limit).
    """
    # Keys are strings: hashing 10,000s of Path objects cost more than listing the folder.
    found: list[tuple[SourceFile, str]] = []
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

    def add(source: SourceFile, key: str) -> None:
        parent, name = os.path.split(source.path)
        if parent not in folders:
            folders[parent] = str(Path(parent or ".").resolve())
        resolved = os.path.join(folders[parent], name)
        if resolved not in seen:
            seen.add(resolved)
            found.append((replace(source, max_bytes=max_bytes), key))

    for given in paths:
        files, root = _files_of(Path(given))
        for file, problem in files:
            key = _identity_key(file, root)
            if problem is not None:
                add(SourceFile(file, None, problem=problem), key)
                continue
            meta = meta_for(file)
            if file.name == SOURCES_FILE:
                if file in bad_metadata:
                    add(SourceFile(file, None, problem=bad_metadata[file]), key)
                continue
            try:
                media_type = media_type_for_suffix(file.suffix) if file.suffix else None
            except ReaderNotFound:
                media_type = None
            if media_type is None:
                kind = f"{file.suffix!r} files" if file.suffix else "files without a suffix"
                add(
                    SourceFile(file, None, meta, problem=f"cannot read {kind} as press releases"),
                    key,
                )
            else:
                add(SourceFile(file, media_type, meta), key)
    sources = _with_ids(found)
    if problems is None:
        return sources
    for source in sources:
        if source.problem is not None:
            message = str(IngestError(source.path, source.problem))
            problems.append(BuildProblem(str(source.path), "ingest", message))
    return [source for source in sources if source.problem is None]


@dataclass(frozen=True)
class FileRead:
    """What one file gave: its releases' Documents, and the releases that failed alone."""

    documents: tuple[Document, ...]
    problems: tuple[IngestError, ...] = ()


def read_file(source: SourceFile) -> FileRead:
    """The Documents in one file and the problems of single releases in it (a bad line of
    a JSON Lines file); IngestError (file name and problem) if the file cannot be read."""
    if source.problem is not None:
        raise IngestError(source.path, source.problem)
    if source.media_type is None:
        raise IngestError(source.path, "its format is not known")
    try:
        reader = get_reader(source.media_type).load()
    except ReaderNotFound as exc:
        raise IngestError(source.path, str(exc)) from exc
    data = read_limited(source.path, source.max_bytes)
    if not data.strip():
        raise IngestError(source.path, "the file is empty")
    try:
        items = reader(source, data)
    except RecursionError:  # a parser's recursion: nesting deeper than any release has
        raise IngestError(source.path, "is nested too deeply to be read") from None
    documents = tuple(item for item in items if isinstance(item, Document))
    problems = tuple(item for item in items if isinstance(item, IngestError))
    return FileRead(documents, problems)


def read_documents(source: SourceFile) -> list[Document]:
    """The Documents in one file; IngestError (file name and problem) if it, or any
    release in it, cannot be read."""
    read = read_file(source)
    if read.problems:
        raise read.problems[0]
    return list(read.documents)


def problem_of(source: SourceFile, error: IngestError) -> BuildProblem:
    """A BuildProblem for a file, or for one release of it (``error.where``: "line 3")."""
    where = f" ({error.where})" if error.where else ""
    return BuildProblem(f"{source.path}{where}", "ingest", str(error))
