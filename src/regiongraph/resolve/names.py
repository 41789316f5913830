"""Pure helpers for comparing names of actors as they are written in Swedish text.

``normalise`` gives the display form (Unicode NFC, single spaces, no surrounding quotes
or punctuation); ``fold`` gives the comparison key (normalised and case-folded, dashes
unified). ``fold_char`` folds one character to exactly one character, so that a folded
copy of a text keeps the text's offsets (the gazetteer scans such a copy).
``strip_genitive`` undoes the Swedish genitive ("Västerbottens" -> "Västerbotten",
"BTH:s" -> "BTH"), ``acronym_of`` makes initials ("Grön Omställning Norrbotten" -> "GON").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

# Hyphens and dashes that writers use interchangeably inside names
# ("Interreg Sverige–Norge", "Sverige-Norge"); all fold to "-".
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_QUOTES = "\"'`´«»‹›„“”‟‘’‚‛"
# Stripped at either end; brackets only when unbalanced (see normalise).
_EDGE_PUNCT = _QUOTES + ".,;:!?*•–—-"
_OPEN, _CLOSE = "([{", ")]}"
_SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, runs of white space squeezed to one space, surrounding quotes and
    punctuation removed: ' ”Region  Västerbotten”, ' -> 'Region Västerbotten'.

    Brackets are removed only where they are unbalanced or enclose the whole text, so
    "(ERUF)" -> "ERUF" but "Interreg Öresund-Kattegat-Skagerrak (ÖKS)" stays whole.
    A trailing "+" belongs to names ("ESF+", "Erasmus+") and is kept.
    """
    text = _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    while True:
        before = text
        text = text.strip(_EDGE_PUNCT + " ")
        if len(text) >= 2 and text[0] in _OPEN and _CLOSE[_OPEN.index(text[0])] == text[-1]:
            inner = text[1:-1]
            if _balanced(inner):
                text = inner
        if text and text[0] in _OPEN and not _balanced(text):
            text = text[1:]
        if text and text[-1] in _CLOSE and not _balanced(text):
            text = text[:-1]
        if text == before:
            return text


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@cache  # a few hundred distinct characters; called for every character of every text
def fold_char(c: str) -> str:
    """One character folded to one character: case-folded where that keeps the length
    ("Å" -> "å"; "ß" stays "ß", since its case fold is two letters), dashes to "-"."""
    if c in _DASHES:
        return "-"
    folded = c.casefold()
    if len(folded) == 1:
        return folded
    lowered = c.lower()
    return lowered if len(lowered) == 1 else c


@lru_cache(maxsize=1 << 16)  # names recur across mentions and releases
def fold(text: str) -> str:
    """The comparison key of a name: normalise, then fold each character."""
    return "".join(fold_char(c) for c in normalise(text))


_GENITIVE_FREE_ENDINGS = ("s", "x", "z")


def strip_genitive(name: str) -> str | None:
    """The name without a Swedish genitive ending, or None when it has none.

    "Västerbottens" -> "Västerbotten", "IF Metalls" -> "IF Metall", "BRK:s" -> "BRK",
    "EU:s" -> "EU". A plain "-s" is not stripped from words ending in "-ss" ("Weiss")
    nor where fewer than three characters would remain; the colon form ("LO:s") is
    unambiguous and needs two. Whether the shorter form is a known name is for the
    caller to check ("Borås" gives "Borå", which nothing knows).
    """
    name = name.strip()
    if len(name) >= 4 and name[-2:] in (":s", ":S") and name[-3].isalnum():
        return name[:-2]
    if len(name) >= 4 and name[-1] == "s" and name[-2] != "s" and name[-2].isalpha():
        return name[:-1]
    return None


def genitive_of(name: str) -> str:
    """The Swedish genitive of a name: "Skellefteå" -> "Skellefteås"; names ending in
    s, x or z take no ending ("Borås" -> "Borås")."""
    if name.lower().endswith(_GENITIVE_FREE_ENDINGS):
        return name
    return name + "s"


_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def acronym_of(name: str) -> str:
    """Initials of the capitalised words (parts of hyphenated words count as words):
    "Grön Omställning Norrbotten" -> "GON", "Norrländska Samverkansrådet" -> "NSR",
    "Interreg Öresund-Kattegat-Skagerrak" -> "IÖKS". Empty when no word is capitalised."""
    return "".join(w[0] for w in _WORD_RE.findall(name) if w[0].isupper())
