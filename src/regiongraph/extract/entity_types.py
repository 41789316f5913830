"""Features for the type of a name that reference data does not know.

The type classifier (trained by ``regiongraph train``, shipped in ``data/models/``) reads
a name's form and its context: the finder that found it and the type it gave, the name
patterns of ``data/rules/entity_patterns.yaml`` that match it, lower-case head and
descriptor words inside it, the last letters of its last word, the lower-case words
before and after its mentions, the block it stands in (a "Sökande:" line, a list item, a
heading) and the cue groups of its sentences. Beside the coarse types it may answer
``NONE``: not an entity the release states (site text, a common noun phrase).
"""

from __future__ import annotations

import re

from regiongraph.extract.candidates import FeatureCues, _lower_words
from regiongraph.extract.resources import Lexicon
from regiongraph.ingest.structure import Block
from regiongraph.records import Document
from regiongraph.resolve.entities import ResolvedEntity

NOT_AN_ENTITY = "NONE"
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _zipf(word: str, lang: str) -> int:
    """How common a word is as an ordinary word (wordfreq's Zipf scale, 0 to 8, rounded):
    a capitalised common noun at the start of a line is seldom a name."""
    from wordfreq import zipf_frequency

    return round(zipf_frequency(word.lower(), lang))


def type_features(
    e: ResolvedEntity,
    doc: Document,
    lexicon: Lexicon,
    cues: FeatureCues,
    block_of: dict[int, Block],
) -> dict[str, float]:
    label = e.label
    words = label.split()
    f: dict[str, float] = {f"rule_type={e.type}": 1, f"source={e.source}": 1}
    f[f"words={min(len(words), 6)}"] = 1
    f["acronym"] = float(label.isupper() and len(label) <= 8)
    f["digit"] = float(any(ch.isdigit() for ch in label))
    f["year"] = float(bool(_YEAR.search(label)))
    f["hyphen"] = float("-" in label or "–" in label)
    f["lower_start"] = float(label[:1].islower())
    f["mentions"] = min(len(e.mentions), 5) / 5
    last = re.sub(r"\W", "", words[-1].lower()) if words else ""
    f[f"suffix3={last[-3:]}"] = 1
    f[f"suffix4={last[-4:]}"] = 1
    for w in words[1:]:
        if w[:1].islower():
            f[f"inner={w.lower().strip(',.')}"] = 1
    for lang in ("sv", "nb", "en"):
        f[f"zipf_{lang}={_zipf(label, lang)}"] = 1
        if len(words) > 1:
            f[f"zipf_last_{lang}={_zipf(words[-1], lang)}"] = 1
    f["line_initial_only"] = float(
        all(m.start == doc.sentences[m.sentence].start for m in e.mentions)
    )
    for p in lexicon.patterns:
        if p.regex.search(label):
            f[f"pattern={p.id}"] = 1
            f[f"pattern_label={p.label}"] = 1
    for m in e.mentions[:6]:
        f[f"find={'.'.join(m.rule_id.split('.')[:2])}"] = 1
        for w in _lower_words(doc.body[max(0, m.start - 30) : m.start])[-2:]:
            f[f"prev={w}"] = 1
        for w in _lower_words(doc.body[m.end : m.end + 30])[:1]:
            f[f"next={w}"] = 1
        block = block_of.get(m.sentence)
        if block is not None:
            f[f"block={block.kind}"] = 1
            if block.key:
                f[f"key={' '.join(block.key.split()[:2])}"] = 1
        sentence = doc.sentences[m.sentence]
        for group, _cue in cues.found(sentence.text):
            f[f"sent={group}"] = 1
        if m.sentence == 0:
            f["headline"] = 1
    return f
