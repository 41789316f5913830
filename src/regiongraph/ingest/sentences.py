"""Split a release body into Sentence records with exact character offsets.

Every non-empty line is at least its own unit, so headings, list items and contact lines
never merge with the paragraph after them; a line is then split into sentences by spaCy's
rule-based sentencizer on ``spacy.blank("sv")``, with two fixes for Swedish:

* no break after an abbreviation that does not end a sentence ("bl.a.", "ca.", "kl.", …),
  nor before a word that starts with a lower-case letter;
* a break after "kr." (and "etc.", "osv.", "m.m.") when a capital letter follows, as in
  "… beviljas 2 491 478 kr. Projektet …" — spaCy keeps "kr." as one token and would not.

The spaCy pipeline is made on first use and cached per process; ``reset_nlp`` drops it.
A line with no sentence-final punctuation before its end (a heading, a contact line, most
lines of a list) is one sentence whatever spaCy's tokenizer makes of it, so it is not
tokenized: that is most lines, and tokenizing them all was about a tenth of the time a
build worker spends on a release.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from regiongraph.records import Sentence

if TYPE_CHECKING:
    from spacy.language import Language

    from regiongraph.ingest.boilerplate import BodyLine

# Abbreviations after which a sentence goes on. Entries with a capital letter are matched
# as written ("St." is Saint; "st." may end a sentence), the others in any case.
NO_SPLIT_ABBREVIATIONS: tuple[str, ...] = (
    "bl.a.", "t.ex.", "m.fl.", "ca.", "kl.", "dvs.", "d.v.s.", "resp.", "fr.o.m.", "t.o.m.",
    "nr.", "St.", "jfr.", "s.k.", "p.g.a.", "pga.", "inkl.", "exkl.", "tel.", "tfn.", "ev.",
    "enl.", "ang.", "prof.", "dr.", "o.d.", "t.v.", "f.d.", "fd.", "v.", "e.d.", "m.a.o.",
    "kap.", "forts.", "avd.",
)  # fmt: skip
# Abbreviations that may end a sentence: split after them when a capital letter follows.
SENTENCE_FINAL_ABBREVIATIONS: tuple[str, ...] = ("kr.", "etc.", "osv.", "m.m.", "mnkr.", "mkr.")


def _abbreviation_regex(abbreviations: Sequence[str]) -> re.Pattern[str]:
    parts = []
    for abbr in sorted(abbreviations, key=len, reverse=True):
        escaped = re.escape(abbr)
        parts.append(escaped if any(c.isupper() for c in abbr) else f"(?i:{escaped})")
    return re.compile(rf"(?:^|(?<=[\s(\"”“'«]))(?:{'|'.join(parts)})$")


_NO_SPLIT_END = _abbreviation_regex(NO_SPLIT_ABBREVIATIONS)
_FINAL_ABBR = re.compile(
    rf"(?<!\S)(?i:{'|'.join(re.escape(a) for a in SENTENCE_FINAL_ABBREVIATIONS)})"
    r"(?=\s+[\"”“«–—-]?\s*[A-ZÅÄÖÉ])"
)
_LOWER_START = re.compile(r"^[\"”“'«(]?[a-zåäöéü]")
_LIST_NUMBER = re.compile(r"^(?:\(?\d{1,3}|[a-zA-Z])[.)]$")  # "1." "2)" "a)" before a list item


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """spaCy's blank Swedish pipeline with the rule-based sentencizer (no model download)."""
    import spacy

    nlp = spacy.blank("sv")
    nlp.add_pipe("sentencizer")
    return nlp


def reset_nlp() -> None:
    """Forget the cached pipeline (tests, or after changing spaCy settings)."""
    get_nlp.cache_clear()
    _one_sentence_regex.cache_clear()


# Closing quotes and brackets: spaCy makes them punctuation tokens, which never start a
# sentence, so they may follow the final punctuation of a one-sentence line.
_CLOSERS = ")]}\"'”’»"


@functools.lru_cache(maxsize=4)
def _one_sentence_regex(nlp: Language) -> re.Pattern[str]:
    """Lines ``nlp``'s sentencizer cannot split: its punctuation only in the final run.

    The sentencizer starts a sentence at a token that follows a token made of one of its
    punctuation characters and is not punctuation itself; with no such character before
    the final run (which holds only those characters and closers) there is no such token.
    """
    chars = re.escape("".join(sorted(nlp.get_pipe("sentencizer").punct_chars)))
    return re.compile(rf"[^{chars}]*[{chars}]*[{re.escape(_CLOSERS)}]*")


def _line_units(body: str) -> list[tuple[int, int, str]]:
    units = []
    offset = 0
    for line in body.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            units.append((offset + lead, offset + len(line.rstrip()), "body"))
        offset += len(line) + 1
    return units


# A line that ends in one of these words stops mid-sentence: the text was wrapped there.
_DANGLING = re.compile(
    r"(?i)(?:^|\s)(?:för|och|i|vid|med|av|på|till|från|om|inom|hos|mellan|samt|eller|att|"
    r"som|den|det|de|en|ett|enheten|avdelningen)$"
)


def _join_broken_lines(body: str, units: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join a line to the next where a hard line break cut a sentence in two
    ('… säger Eva Holm från enheten för' / 'Tillväxt och kultur vid Region X')."""
    joined: list[tuple[int, int, str]] = []
    for start, end, block in units:
        if joined:
            p_start, p_end, p_block = joined[-1]
            gap = body[p_end:start]
            if (
                p_block == block
                and gap.count("\n") == 1
                and not gap.strip()
                and _DANGLING.search(body[p_start:p_end].rstrip())
            ):
                joined[-1] = (p_start, end, block)
                continue
        joined.append((start, end, block))
    return joined


def _split_unit(text: str, spacy_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for start, end in spacy_spans:  # split after sentence-final abbreviations
        cut = start
        for m in _FINAL_ABBR.finditer(text, start, end):
            spans.append((cut, m.end()))
            cut = m.end()
        spans.append((cut, end))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        piece = text[start:end].strip()
        if not piece:
            continue
        if merged:
            prev = text[merged[-1][0] : merged[-1][1]].rstrip()
            if _NO_SPLIT_END.search(prev) or _LIST_NUMBER.match(prev) or _LOWER_START.match(piece):
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    result = []
    for start, end in merged:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        result.append((start + lead, end - trail))
    return result


def split_sentences(
    body: str, lines: Sequence[BodyLine] | None = None, nlp: Language | None = None
) -> tuple[Sentence, ...]:
    """Sentences of ``body``; ``lines`` (from strip_boilerplate) give each line's block.

    ``body[s.start:s.end] == s.text`` holds for every sentence.
    """
    if lines is None:
        units = _line_units(body)
    else:
        units = [(ln.start, ln.end, ln.block) for ln in lines if body[ln.start : ln.end].strip()]
    units = _join_broken_lines(body, units)
    nlp = nlp if nlp is not None else get_nlp()
    one_sentence = _one_sentence_regex(nlp)
    texts = [body[start:end] for start, end, _ in units]
    single = [one_sentence.fullmatch(text) is not None for text in texts]
    docs = iter(nlp.pipe(text for text, one in zip(texts, single, strict=True) if not one))
    sentences: list[Sentence] = []
    for (start, _end, block), text, one in zip(units, texts, single, strict=True):
        if one:
            spacy_spans = [(0, len(text))]
        else:
            spacy_spans = [(s.start_char, s.end_char) for s in next(docs).sents]
        for s, e in _split_unit(text, spacy_spans):
            sentences.append(
                Sentence(
                    index=len(sentences),
                    text=body[start + s : start + e],
                    start=start + s,
                    end=start + e,
                    block=block,
                )
            )
    return tuple(sentences)
