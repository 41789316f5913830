"""Plain-text releases, and the steps every reader shares.

``decode_bytes`` turns a file's bytes into clean text: UTF-8 with or without a BOM (UTF-16
with a BOM, or without one when every other byte is NUL), else Windows-1252, else
Latin-1; NFC; ``\\n`` line ends; a few stray NUL bytes are dropped. An empty or binary
file raises IngestError in plain words.

``build_document`` is the common tail of all readers: boilerplate, title, date, sentences.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from regiongraph.ingest.boilerplate import clean_line, strip_boilerplate
from regiongraph.ingest.metadata import SourceMeta, parse_date_field, source_iri
from regiongraph.ingest.registry import IngestError, SourceFile
from regiongraph.ingest.sentences import split_sentences
from regiongraph.records import Document, Release
from regiongraph.vocab import release_id_for

_BINARY_MAGIC: tuple[bytes, ...] = (
    b"%PDF-",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\xd0\xcf\x11\xe0",
    b"\x7fELF",
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Control characters that do not occur in text (tab, line feed, form feed, CR do).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_NOT_TEXT = "looks like a binary file, not a press release"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise_text(text: str) -> str:
    """NFC and ``\\n`` line ends (CR LF, CR, and the Unicode line separators)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0c", "\n")
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes, path: str | object = "<bytes>") -> tuple[str, str]:
    """``(text, encoding)`` for a file's bytes; IngestError if empty or binary."""
    where = str(path)
    if not data.strip():
        raise IngestError(where, "the file is empty")
    if data.startswith(_UTF16_BOMS):
        try:
            return _checked(data.decode("utf-16"), where), "utf-16"
        except UnicodeDecodeError:
            raise IngestError(where, _NOT_TEXT) from None
    if data.startswith(_BINARY_MAGIC):
        raise IngestError(where, _NOT_TEXT)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            try:
                return _checked(data.decode(utf16), where), utf16
            except UnicodeDecodeError:
                raise IngestError(where, _NOT_TEXT) from None
        if data.count(0) > len(data) // 100:  # more than 1 %: not a text with a stray NUL
            raise IngestError(where, _NOT_TEXT)
        data = data.replace(b"\x00", b"")  # a few stray NUL bytes in a text: dropped
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _checked(data[3:].decode("utf-8"), where), "utf-8-sig"
        except UnicodeDecodeError:
            raise IngestError(where, f"{_NOT_TEXT} (it starts as UTF-8 but is not)") from None
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return _checked(data.decode(encoding), where), encoding
        except UnicodeDecodeError:
            continue
    raise IngestError(where, _NOT_TEXT)  # unreachable: Latin-1 decodes any byte


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for UTF-16 text written without a byte order mark.

    Text in Latin script in UTF-16 has a NUL byte in every other position (the high byte
    of each character), and (almost) none in the others; a binary file has them anywhere.
    """
    half = len(data) // 2
    if len(data) % 2 or half < 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd >= 0.3 * half and even <= 0.02 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.02 * half:
        return "utf-16-be"
    return None


def _checked(text: str, where: str) -> str:
    text = normalise_text(text)
    if not text.strip():
        raise IngestError(where, "the file is empty")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise IngestError(where, _NOT_TEXT)
    return text


@dataclass(frozen=True)
class ReleaseFields:
    """What a reader knows about a release before reading its body."""

    source: str | None = None
    date: str | None = None
    publisher: str | None = None
    language: str | None = None
    title: str | None = None

    @classmethod
    def from_meta(cls, meta: SourceMeta | None) -> ReleaseFields:
        if meta is None:
            return cls()
        return cls(
            source=meta.source, date=meta.date, publisher=meta.publisher, language=meta.language
        )

    def over(self, fallback: ReleaseFields) -> ReleaseFields:
        """These fields, with the gaps filled from ``fallback``."""
        return ReleaseFields(
            source=self.source or fallback.source,
            date=self.date or fallback.date,
            publisher=self.publisher or fallback.publisher,
            language=self.language or fallback.language,
            title=self.title or fallback.title,
        )


def _has_title_line(text: str, title: str) -> bool:
    want = {clean_line(title).casefold()}
    want |= {clean_line(p).casefold() for p in re.split(r"\s+[|–—-]\s+", title) if p.strip()}
    return any(clean_line(line).casefold() in want for line in text.split("\n"))


def build_document(
    source: SourceFile,
    text: str,
    *,
    release_id: str,
    media_type: str,
    sha256: str,
    fields: ReleaseFields,
    warnings: tuple[str, ...] = (),
) -> Document:
    """Boilerplate, title, date and sentences for one release's text."""
    title_hint = clean_line(fields.title) if fields.title else None
    if title_hint and not _has_title_line(text, title_hint):
        # The title is part of the body (facts in it count); a page title's " | Site" goes.
        title_hint = max(title_hint.split(" | "), key=len).strip()
        text = f"{title_hint}\n\n{text}"
    stripped = strip_boilerplate(
        text, publisher=fields.publisher, title_hint=title_hint, url=fields.source
    )
    if not stripped.body.strip():
        raise IngestError(
            source.path, "no release text was found: everything looked like site navigation"
        )
    source_url, url_problem = source_iri(fields.source)
    if url_problem:
        warnings = (*warnings, url_problem)
    published, note = parse_date_field(fields.date)
    if published is None and note is None:
        published = stripped.dateline
    title = title_hint or stripped.title
    release = Release(
        id=release_id,
        path=source.path,
        media_type=media_type,
        file_name=source.path.name,
        sha256=sha256,
        published=published,
        published_note=note,
        title=title,
        publisher=fields.publisher,
        source=source_url,
        language=fields.language,
    )
    return Document(
        release=release,
        title=title,
        body=stripped.body,
        sentences=split_sentences(stripped.body, stripped.lines),
        boilerplate=tuple(block.text for block in stripped.removed),
        warnings=warnings,
    )


def file_release_id(source: SourceFile) -> str:
    """The id ``discover`` gave the file, else (a SourceFile made by hand) its name's slug."""
    return source.release_id or release_id_for(source.path.name)


def read_text(source: SourceFile, data: bytes) -> list[Document | IngestError]:
    """A plain-text (or Markdown) file: one release."""
    text, _encoding = decode_bytes(data, source.path)
    return [
        build_document(
            source,
            text,
            release_id=file_release_id(source),
            media_type="text/plain",
            sha256=sha256_of(data),
            fields=ReleaseFields.from_meta(source.meta),
        )
    ]
