"""Document structure: the blocks a release body is laid out in, each with its span.

A release is not only sentences: grant decisions come as bullets after a lead-in sentence
("Följande miljöer erbjuds finansiering:"), as key–value blocks per project ("Projektägare:
…", "Fond: …", "Beviljat belopp: …"), as table-like rows, captions and contact blocks.
``document_structure`` reads the body line by line and gives each line one block kind;
``scopes`` then groups blocks into the units within which facts are stated: a sentence,
a list item with its lead-in, a key–value block with the line that names its project, a
heading with the paragraphs under it. Later stages (relations, amounts, dates) look for
facts inside these scopes.

Every list item is its own block: a line break inside an item (a continuation line that
starts in lower case) extends that item and never joins two items into one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from regiongraph.records import Document

BLOCK_KINDS = (
    "headline",
    "heading",
    "paragraph",
    "quote",
    "list_item",
    "key_value",
    "table_row",
    "contact",
    "caption",
)
SCOPE_KINDS = ("sentence", "list_item", "key_value_block", "paragraph", "section")

_BULLET = re.compile(r"^\s*(?:[•*·▪◦►‣]|\d{1,2}[.)]|[a-z][.)])\s*(?=\S)")
_DASH = re.compile(r"^\s*[-–—]\s*(?=\S)")
_KEY_VALUE = re.compile(r"^\s*([A-ZÅÄÖ][\wåäöÅÄÖ/&\- ]{1,40}?)\s*:\s*(\S.*)$")
_CAPTION = re.compile(
    r"(?i)^\s*(?:foto|bild|fotograf|photo|illustration)\s*:|\b(?:foto|photo):\s*\S"
)
_CONTACT = re.compile(
    r"(?i)@[\w-]+\.\w|\b(?:tel|telefon|tfn|mobil|phone|e-post|epost|e-mail)\b\s*[:.]?\s*[\d+]"
)
_CONTACT_HEAD = re.compile(
    r"(?i)^\s*(?:för\s+mer\s+information|mer\s+information|kontakt(?:personer|a|er)?|"
    r"for\s+more\s+information|contact|kontaktperson(?:er)?|presskontakt)\b"
)
_TABLE = re.compile(r"\t|\s\|\s|\S {3,}\S")
_SPEECH = re.compile(r"(?i)\bsäger\b|\bsier\b|\bsays\b|\bsa\b|\bmenar\b|\bberättar\b")
_FINAL = re.compile(r"[.!?]\s*$")


@dataclass(frozen=True)
class Block:
    """One structural unit of the body with its character span."""

    index: int
    kind: str  # one of BLOCK_KINDS
    start: int  # offsets into Document.body
    end: int
    text: str
    sentences: tuple[int, ...]  # indices of the Sentences inside the span
    lead_in: int | None = None  # list item: the block that introduces its list
    key: str | None = None  # key_value: the key, lower case ("projektägare")
    section: int | None = None  # the heading block this block stands under
    run: int | None = None  # list items / key-value lines of one run share this id
    position: int = 0  # place in its run, from 0


@dataclass(frozen=True)
class Scope:
    """A unit within which a fact may be stated: its kind and the sentences it spans."""

    kind: str  # one of SCOPE_KINDS
    sentences: frozenset[int]
    block: int  # the block the scope is built around
    lead_in: int | None = None  # the sentence that introduces a list item


@dataclass(frozen=True)
class Structure:
    headline: str | None
    blocks: tuple[Block, ...]

    def block_of_sentence(self) -> dict[int, Block]:
        return {i: b for b in self.blocks for i in b.sentences}


@dataclass
class _Line:
    start: int
    end: int
    text: str
    blank_before: bool


def _lines(body: str) -> Iterator[_Line]:
    at, blank = 0, True
    for raw in body.splitlines(keepends=True):
        text = raw.rstrip("\r\n")
        if text.strip():
            lead = len(text) - len(text.lstrip())
            yield _Line(at + lead, at + len(text.rstrip()), text.strip(), blank)
            blank = False
        else:
            blank = True
        at += len(raw)


def _line_kind(
    line: _Line, previous: str | None, previous_kind: str | None, marked: bool = False
) -> str:
    """The block kind of one line, given the line before it (``marked``: that line was a
    list item with a bullet or number, so an unmarked line does not go on with its list)."""
    text = line.text
    if _CAPTION.search(text) and len(text.split()) <= 14:
        return "caption"
    if _CONTACT.search(text) or (previous_kind == "contact" and len(text.split()) <= 8):
        return "contact"
    if _BULLET.match(text):
        return "list_item"
    if _DASH.match(text):
        listy = previous is not None and (
            previous.rstrip().endswith(":") or previous_kind == "list_item"
        )
        return "list_item" if listy and not _SPEECH.search(text) else "quote"
    kv = _KEY_VALUE.match(text)
    if kv and len(kv.group(1).split()) <= 4 and not kv.group(2).startswith("//"):
        return "key_value"
    if _TABLE.search(text):
        return "table_row"
    if text.endswith(":"):
        return "paragraph"  # a lead-in
    if _CONTACT_HEAD.match(text) and len(text.split()) <= 6:
        return "contact"
    short = not _FINAL.search(text) and len(text.split()) <= 16
    if short and previous is not None and previous.rstrip().endswith(":"):
        return "list_item"  # an unmarked list after a lead-in ending with a colon
    if short and previous_kind == "list_item" and not marked and not line.blank_before:
        return "list_item"
    if not _FINAL.search(text) and len(text.split()) <= 12 and not text.endswith(":"):
        return "heading"
    return "paragraph"


def _continues(line: _Line, kind: str, previous_kind: str | None) -> bool:
    """A line that goes on with the list item before it (a broken line, lower case)."""
    return (
        previous_kind == "list_item"
        and kind in {"list_item", "heading", "paragraph"}
        and not line.blank_before
        and not _BULLET.match(line.text)
        and not _DASH.match(line.text)
        and line.text[:1].islower()
    )


def document_structure(doc: Document) -> Structure:
    """Blocks of the body in order, each line one block (continuations joined).

    Several extraction steps ask for the structure of the same document in turn: the
    last document's structure is kept (by identity, so an equal copy is read anew)."""
    if _last[0] is doc:
        return _last[1]
    structure = _read_structure(doc)
    _last[:] = [doc, structure]
    return structure


_last: list = [None, None]  # [document, its structure]


def _read_structure(doc: Document) -> Structure:
    raw: list[list] = []  # [kind, start, end, blank_before]
    previous_text: str | None = None
    previous_kind: str | None = None
    marked = False
    for line in _lines(doc.body):
        kind = _line_kind(line, previous_text, previous_kind, marked)
        if raw and _continues(line, kind, previous_kind):
            raw[-1][2] = line.end
            previous_text = line.text
            continue
        raw.append([kind, line.start, line.end, line.blank_before])
        previous_text, previous_kind = line.text, kind
        marked = bool(_BULLET.match(line.text) or _DASH.match(line.text))
    return Structure(doc.title, tuple(_blocks(doc, raw)))


def _sentences_within(doc: Document, starts: list[int], start: int, end: int) -> tuple[int, ...]:
    """The sentences inside ``[start, end)``: found by bisection from ``start``, not by a
    scan of every sentence per line (that grew with the square of the text's length)."""
    out = []
    for i in range(bisect.bisect_left(starts, start), len(starts)):  # no copy of the rest
        s = doc.sentences[i]
        if s.start > end:
            break
        if s.end <= end:
            out.append(s.index)
    return tuple(out)


def _blocks(doc: Document, raw: list[list]) -> Iterator[Block]:
    section: int | None = None
    run: int | None = None
    run_kind: str | None = None
    position = 0
    lead_in: int | None = None
    last_prose: int | None = None
    starts = [s.start for s in doc.sentences]  # in text order
    for i, (kind, start, end, _blank) in enumerate(raw):
        sentences = _sentences_within(doc, starts, start, end)
        if kind == "heading":
            section = i
        if kind in {"list_item", "key_value"}:
            if run_kind != kind:
                run, run_kind, position = i, kind, 0
                lead_in = last_prose
            else:
                position += 1
        else:
            run_kind = None
            if kind in {"paragraph", "heading", "headline"}:
                last_prose = i
        text = doc.body[start:end]
        key = None
        if kind == "key_value":
            kv = _KEY_VALUE.match(text)
            key = kv.group(1).strip().lower() if kv else None
        yield Block(
            i,
            kind,
            start,
            end,
            text,
            sentences,
            lead_in=lead_in if kind == "list_item" else None,
            key=key,
            section=section if kind != "heading" else None,
            run=run if kind in {"list_item", "key_value"} else None,
            position=position if kind in {"list_item", "key_value"} else 0,
        )


def scopes(structure: Structure) -> list[Scope]:
    """The scopes of a document, smallest first within each kind."""
    out: list[Scope] = []
    blocks = structure.blocks
    for b in blocks:
        out.extend(Scope("sentence", frozenset({s}), b.index) for s in b.sentences)
        if b.kind == "list_item":
            lead = blocks[b.lead_in].sentences[-1:] if b.lead_in is not None else ()
            out.append(
                Scope(
                    "list_item",
                    frozenset(b.sentences) | frozenset(lead),
                    b.index,
                    lead[0] if lead else None,
                )
            )
        elif len(b.sentences) > 1:
            out.append(Scope("paragraph", frozenset(b.sentences), b.index))
    out.extend(_key_value_blocks(blocks))
    out.extend(_sections(blocks))
    return out


def _key_value_blocks(blocks: tuple[Block, ...]) -> Iterator[Scope]:
    """A run of key-value lines with the line before it (which often names the project)."""
    runs: dict[int, list[Block]] = {}
    for b in blocks:
        if b.kind == "key_value" and b.run is not None:
            runs.setdefault(b.run, []).append(b)
    for run, members in runs.items():
        sentences = {s for b in members for s in b.sentences}
        if run > 0 and blocks[run - 1].kind in {"heading", "paragraph", "list_item"}:
            sentences |= set(blocks[run - 1].sentences[-1:])
        yield Scope("key_value_block", frozenset(sentences), run)


def _sections(blocks: tuple[Block, ...]) -> Iterator[Scope]:
    """A heading with the blocks under it, up to the next heading."""
    members: dict[int, set[int]] = {}
    for b in blocks:
        if b.kind == "heading":
            members.setdefault(b.index, set(b.sentences))
        elif b.section is not None and b.kind not in {"contact", "caption"}:
            members.setdefault(b.section, set()).update(b.sentences)
    for head, sentences in members.items():
        if len(sentences) > 1:
            yield Scope("section", frozenset(sentences), head)
