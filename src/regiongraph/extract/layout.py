"""Where each sentence of a release stands, read from the document structure
(``ingest.structure``): its paragraph, whether it is a heading, the key–value blocks.
Amounts (``grants``) and periods (``timeline``) are tied to projects within these."""

from __future__ import annotations

import re
from dataclasses import dataclass

from regiongraph.ingest.structure import document_structure, scopes
from regiongraph.records import Document

__all__ = ["Layout", "layout"]


@dataclass(frozen=True)
class Layout:
    """Where each sentence stands, from the document structure: its paragraph (lines
    with no blank line between), whether it is a heading, and the key–value blocks."""

    paragraph: tuple[int, ...]
    heading: tuple[bool, ...]
    key_value: tuple[frozenset[int], ...]


def layout(doc: Document) -> Layout:
    structure = document_structure(doc)
    of = structure.block_of_sentence()
    paragraph, heading = [], []
    par, last_end = 0, None
    for s in doc.sentences:
        block = of.get(s.index)
        start = block.start if block else s.start
        if last_end is not None and start > last_end:
            par += bool(re.search(r"\n[ \t]*\n", doc.body[last_end:start]))
        last_end = max(last_end or 0, block.end if block else s.end)
        paragraph.append(par)
        # one sentence alone on its line, no amount or date in it: a line of several
        # sentences or with figures is text, whatever its length
        titled = block is not None and block.kind in ("heading", "headline")
        alone = titled and len(block.sentences) == 1
        heading.append(alone and not re.search(r"\d", block.text))
    kv = tuple(sc.sentences for sc in scopes(structure) if sc.kind == "key_value_block")
    return Layout(tuple(paragraph), tuple(heading), kv)
