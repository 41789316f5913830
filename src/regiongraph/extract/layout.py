"""Where each sentence of a release stands, read from the document structure
(``ingest.structure``): its paragraph, whether it is a heading, the key–value blocks.
Amounts (``grants``) and periods (``timeline``) are tied to projects within these."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

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

    @cached_property
    def members(self) -> dict[int, list[int]]:
        """The sentences of each paragraph, in order."""
        out: dict[int, list[int]] = {}
        for i, par in enumerate(self.paragraph):
            out.setdefault(par, []).append(i)
        return out

    @cached_property
    def blocks_of(self) -> dict[int, list[frozenset[int]]]:
        """The key–value blocks each sentence stands in."""
        out: dict[int, list[frozenset[int]]] = {}
        for kv in self.key_value:
            for i in kv:
                out.setdefault(i, []).append(kv)
        return out

    @cached_property
    def section_starts(self) -> list[int]:
        """Where each section begins: the first sentence, then every heading."""
        return sorted({0} | {i for i, h in enumerate(self.heading) if h})

    def section(self, index: int) -> range:
        """The sentences of the section ``index`` stands in (a heading up to the next)."""
        starts = self.section_starts
        k = bisect_right(starts, index) - 1
        end = starts[k + 1] if k + 1 < len(starts) else len(self.heading)
        return range(starts[k], end)


def layout(doc: Document) -> Layout:
    """The layout of ``doc`` (the last document's is kept: amounts and dates ask in turn)."""
    if _last[0] is doc:
        return _last[1]
    found = _read_layout(doc)
    _last[:] = [doc, found]
    return found


_last: list = [None, None]  # [document, its layout]


def _read_layout(doc: Document) -> Layout:
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
