"""Mentions -> entities: one canonical node per actor, within a release and across releases.

Within a release, overlapping mentions give way to the longest (then the most specific
rule); mentions are grouped by a key (the reference entry, else the folded name without
a genitive ending, acronyms joined to the name they abbreviate). Across releases the IRI
is minted from the reference key or the canonical label, so the same actor gets the same
IRI in every release and every run. Analysts' curation (aliases, merges, rejects,
types) is applied last.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from regiongraph.records import Mention
from regiongraph.resolve.curation import Curation
from regiongraph.resolve.names import fold, strip_genitive
from regiongraph.resolve.reference import ReferenceData
from regiongraph.vocab import IriMinter, kind_of, slugify

# Higher wins when two rules type the same thing; reference data wins over everything.
_RULE_RANK = {
    "ref.county-list": 101,
    "ref.": 100,
    "curated.": 95,
    "person.": 80,
    "project.grant-list": 75,
    "project.descriptor": 70,
    "event.descriptor": 70,
    "org.descriptor": 65,
    "org.suffix": 60,
    "org.head": 60,
    "event.suffix": 55,
    "event.noun": 50,
    "project.numbered-heading": 72,
    "project.list-item": 74,
    "org.list-item-owner": 40,
    "org.list-line": 62,
    "org.grant-owner": 63,
    "org.place-prefixed-name": 61,
    "org.place-suffixed-name": 61,
    "project.suffix": 58,
    "name.colon-list-item": 45,
    "name.propagated": 30,
    "org.acronym-long": 20,
    "name.acronym": 10,
    "name.capitalised": 5,
}


@functools.cache  # rule ids are few; ranking runs for every pair of mentions
def rank(rule_id: str) -> int:
    for prefix, value in _RULE_RANK.items():
        if rule_id.startswith(prefix):
            return value
    return 0


WEAK_RANK = 20  # mentions below this only fill gaps that stronger rules leave


def select_mentions(mentions: Iterable[Mention]) -> list[Mention]:
    """Non-overlapping mentions: strong rules first (the longest wins, then the higher
    rank), then weak ones (bare capitalised words) where nothing stronger stands."""
    mentions = list(mentions)
    taken: list[Mention] = []
    spans = _Spans()
    for tier in (True, False):
        pool = [m for m in mentions if (rank(m.rule_id) >= WEAK_RANK) == tier]
        for m in sorted(pool, key=lambda m: (-(m.end - m.start), -rank(m.rule_id), m.start)):
            if spans.overlaps(m.start, m.end):
                continue
            taken.append(m)
            spans.add(m.start, m.end)
    return sorted(taken, key=lambda m: (m.start, m.end))


class _Spans:
    """The spans taken so far, and the characters they cover: a span of one character or
    more overlaps a taken one iff it covers a marked character, a search of its own
    length (a scan of every span taken made extraction grow with the square of the text)."""

    def __init__(self) -> None:
        self.marked = bytearray()
        self.spans: list[tuple[int, int]] = []
        self.empty: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        if start >= end:  # an empty span (never seen in practice): tested one by one
            return any(start < b and a < end for a, b in self.spans)
        if any(start < b and a < end for a, b in self.empty):
            return True
        return self.marked.find(1, start, end) != -1

    def add(self, start: int, end: int) -> None:
        self.spans.append((start, end))
        if start >= end:
            self.empty.append((start, end))
            return
        if len(self.marked) < end:
            self.marked.extend(bytes(end - len(self.marked)))
        self.marked[start:end] = b"\x01" * (end - start)


@dataclass
class Cluster:
    key: str
    mentions: list[Mention]
    reference_key: str | None = None

    def best_label(self) -> str:
        best = max(self.mentions, key=lambda m: (rank(m.rule_id), len(m.text)))
        return best.label


def clean_surface(text: str) -> str:
    text = text.strip(" \t,.;:–-”\"'«»()")
    return text


def name_key(text: str, known: set[str]) -> str:
    """The folded name, without a genitive ending when the bare form is a known name."""
    folded = fold(clean_surface(text))
    bare = strip_genitive(clean_surface(text))
    if bare is not None and (fold(bare) in known or text.endswith(":s")):
        return fold(bare)
    return folded


def cluster_mentions(mentions: list[Mention], ref: ReferenceData) -> list[Cluster]:
    known = {fold(clean_surface(m.text)) for m in mentions}
    acronyms: dict[str, str] = {}
    ordered = sorted(mentions, key=lambda m: m.start)
    for prev, cur in itertools.pairwise(ordered):
        if cur.rule_id == "name.acronym.v1" and 0 <= cur.start - prev.end <= 3:
            acronyms[fold(cur.text)] = _key_of(prev, known, ref)
    clusters: dict[str, Cluster] = {}
    for m in mentions:
        key = _key_of(m, known, ref)
        key = acronyms.get(key, key) if not key.startswith("ref:") else key
        cluster = clusters.setdefault(key, Cluster(key, []))
        cluster.mentions.append(m)
        if key.startswith("ref:"):
            cluster.reference_key = key[4:]
    return list(clusters.values())


def _key_of(m: Mention, known: set[str], ref: ReferenceData) -> str:
    if m.key:
        return m.key
    entry = ref.lookup(clean_surface(m.text))
    if entry is not None:
        return "ref:" + entry.key
    key = name_key(m.text, known)
    if m.label == "Event":
        key = re.sub(r"\s+(?:19|20)\d{2}$", "", key)  # 'Länsdagen 2024' is 'Länsdagen'
    return key


@dataclass(frozen=True)
class ResolvedEntity:
    iri: str
    label: str
    type: str
    source: str
    mentions: tuple[Mention, ...]


def resolve_clusters(
    clusters: list[Cluster],
    ref: ReferenceData,
    minter: IriMinter,
    curation: Curation,
    release_id: str,
) -> list[ResolvedEntity]:
    """Clusters -> entities with canonical IRIs, honouring the analysts' curation file.

    Curation (``data/curation.yaml``): ``aliases`` map a surface form to a canonical
    name (a reference name resolves to that reference actor); ``merges`` fold one actor
    (IRI or name) into another; ``rejects`` drop a false entity (IRI or name); ``types``
    fix an actor's coarse type.
    """
    aliases = {fold(a): b for a, b in curation.aliases}
    types = {fold(a): t for a, t in curation.types}
    out = []
    for cluster in clusters:
        forms = {fold(clean_surface(m.text)) for m in cluster.mentions}
        alias = next((aliases[f] for f in sorted(forms) if f in aliases), None)
        reference_key = cluster.reference_key
        if alias is not None and reference_key is None:
            entry = ref.lookup(alias)
            reference_key = entry.key if entry is not None else None
        if reference_key:
            entry = ref.by_key(reference_key)
            iri = str(minter.thing(entry.kind, entry.key))
            if iri in curation.rejects:
                continue
            source = (
                "curated" if alias is not None and cluster.reference_key is None else "reference"
            )
            out.append(
                ResolvedEntity(iri, entry.label, entry.type, source, tuple(cluster.mentions))
            )
            continue
        label = alias or canonical_label(cluster)
        if fold(label) in curation.rejects or forms & curation.rejects:
            continue
        source = "curated" if alias is not None else "minted"
        entity_type = types.get(fold(label), cluster.best_label())
        if cluster.key == "event:unnamed":
            slug = slugify(f"{release_id} {label}")
        else:
            slug = slugify(label)
        iri = str(minter.thing(kind_of(entity_type), slug))
        if iri in curation.rejects:
            continue
        iri, label, entity_type, source = _apply_merge(
            iri, label, entity_type, source, curation, minter, types
        )
        out.append(ResolvedEntity(iri, label, entity_type, source, tuple(cluster.mentions)))
    return _merge_same_iri(out)


def _apply_merge(
    iri: str,
    label: str,
    entity_type: str,
    source: str,
    curation: Curation,
    minter: IriMinter,
    types: dict[str, str],
) -> tuple[str, str, str, str]:
    """An actor merged into another takes the other's IRI, name and type."""
    for keep, merged in curation.merges:
        if merged not in {iri, label} and fold(merged) != fold(label):
            continue
        if keep.startswith(("http://", "https://")):
            return keep, label, entity_type, "curated"
        keep_type = types.get(fold(keep), entity_type)
        return str(minter.thing(kind_of(keep_type), slugify(keep))), keep, keep_type, "curated"
    return iri, label, entity_type, source


def canonical_label(cluster: Cluster) -> str:
    """The longest well-formed name among a cluster's mentions, without genitive -s."""
    forms = Counter(
        clean_surface(m.text) for m in cluster.mentions if m.rule_id != "name.acronym.v1"
    )
    if not forms:
        forms = Counter(clean_surface(m.text) for m in cluster.mentions)
    best = max(forms, key=lambda f: (len(f.split()) if not f.isupper() else 0, forms[f], len(f)))
    bare = strip_genitive(best)
    if bare and (best.endswith(":s") or any(fold(f) == fold(bare) for f in forms)):
        best = bare
    if cluster.key == "event:unnamed":
        best = best[0].upper() + best[1:]
    return best


def _merge_same_iri(entities: list[ResolvedEntity]) -> list[ResolvedEntity]:
    by_iri: dict[str, ResolvedEntity] = {}
    for e in entities:
        if e.iri in by_iri:
            prev = by_iri[e.iri]
            by_iri[e.iri] = replace(prev, mentions=prev.mentions + e.mentions)
        else:
            by_iri[e.iri] = e
    return list(by_iri.values())


def group_by_sentence(
    entities: Iterable[ResolvedEntity],
) -> dict[int, list[tuple[Mention, ResolvedEntity]]]:
    out: dict[int, list[tuple[Mention, ResolvedEntity]]] = defaultdict(list)
    for e in entities:
        for m in e.mentions:
            out[m.sentence].append((m, e))
    for items in out.values():
        items.sort(key=lambda pair: pair[0].start)
    return out
