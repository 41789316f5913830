"""Rule files and word lists the extractor reads: loaded once, checked on load.

Every rule carries an id that travels into provenance (``rule_id``), so an edge in the
graph can say which rule made it. A malformed file raises ``RuleError`` naming the file
and the entry, never a bare KeyError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from regiongraph.records import ENTITY_TYPES
from regiongraph.resolve.curation import Curation


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class NamePattern:
    id: str
    label: str
    kind: str  # head | suffix | descriptor | event_noun
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Cue:
    id: str
    group: str  # funding | leading | participation | part_of | collaboration | location
    regex: re.Pattern[str]
    confidence: float


@dataclass(frozen=True)
class Lexicon:
    patterns: tuple[NamePattern, ...]
    cues: tuple[Cue, ...]
    first_names: frozenset[str]
    curation: Curation
    post: re.Pattern[str] = re.compile(r"(?!)")  # a post title as a whole word

    def patterns_of(self, kind: str) -> tuple[NamePattern, ...]:
        return tuple(p for p in self.patterns if p.kind == kind)

    def cues_of(self, group: str) -> tuple[Cue, ...]:
        return tuple(c for c in self.cues if c.group == group)


_PATTERN_SECTIONS = {
    "heads": "head",
    "suffixes": "suffix",
    "descriptors": "descriptor",
    "event_nouns": "noun",
}


def _compile(path: Path, entry_id: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise RuleError(f"{path}: rule {entry_id!r}: bad regex {pattern!r}: {exc}") from exc


def _load_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleError(f"{path}: expected a mapping of sections at the top level")
    return data


def load_patterns(path: Path) -> tuple[NamePattern, ...]:
    data = _load_yaml(path)
    out: list[NamePattern] = []
    seen: set[str] = set()
    for section, field in _PATTERN_SECTIONS.items():
        for n, entry in enumerate(data.get(section) or [], 1):
            if not isinstance(entry, dict) or "id" not in entry or field not in entry:
                raise RuleError(f"{path}: {section} entry {n} needs 'id' and '{field}'")
            rule_id = str(entry["id"])
            if rule_id in seen:
                raise RuleError(f"{path}: rule id {rule_id!r} is used twice")
            seen.add(rule_id)
            label = entry.get("label", "Event")
            if label not in ENTITY_TYPES:
                raise RuleError(f"{path}: rule {rule_id!r}: unknown label {label!r}")
            kind = "event_noun" if section == "event_nouns" else field
            out.append(NamePattern(rule_id, label, kind, _compile(path, rule_id, entry[field])))
    return tuple(out)


def load_cues(path: Path) -> tuple[Cue, ...]:
    data = _load_yaml(path)
    out: list[Cue] = []
    for group, entries in data.items():
        for n, entry in enumerate(entries or [], 1):
            if not isinstance(entry, dict) or "id" not in entry or "cue" not in entry:
                raise RuleError(f"{path}: {group} entry {n} needs 'id' and 'cue'")
            confidence = float(entry.get("confidence", 0.7))
            if not 0 < confidence <= 1:
                raise RuleError(f"{path}: rule {entry['id']!r}: confidence must be in (0, 1]")
            pattern = entry["cue"]
            if not pattern.startswith(("-", "(?:-")):
                pattern = rf"(?<![\w-])(?:{pattern})(?![\w])"  # whole words only
            regex = _compile(path, entry["id"], pattern, re.IGNORECASE)
            out.append(Cue(str(entry["id"]), group, regex, confidence))
    return tuple(out)


def load_first_names(path: Path) -> frozenset[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(line)
    return frozenset(names)


def load_curation(path: Path) -> Curation:
    if not path.exists():
        return Curation()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise RuleError(f"{path}: expected a mapping with aliases, merges, rejects, types")
    aliases = data.get("aliases") or {}
    merges = data.get("merges") or []
    rejects = data.get("rejects") or []
    types = data.get("types") or {}
    for n, pair in enumerate(merges, 1):
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            raise RuleError(f"{path}: merges entry {n} must be a pair [keep, merge]")
    for label, entity_type in types.items():
        if entity_type not in ENTITY_TYPES:
            raise RuleError(f"{path}: types entry {label!r}: unknown type {entity_type!r}")
    from regiongraph.resolve.names import fold

    return Curation(
        aliases=tuple((str(k), str(v)) for k, v in aliases.items()),
        merges=tuple((str(a), str(b)) for a, b in merges),
        rejects=frozenset(
            str(r) if str(r).startswith(("http://", "https://")) else fold(str(r)) for r in rejects
        ),
        types=tuple((str(k), str(v)) for k, v in types.items()),
    )


def load_posts(path: Path) -> re.Pattern[str]:
    """One regex for a whole word that is a post title (suffix or listed word)."""
    data = _load_yaml(path)
    parts = []
    for section, field in (("suffixes", "suffix"), ("words", "word")):
        for n, entry in enumerate(data.get(section) or [], 1):
            if not isinstance(entry, dict) or field not in entry or "id" not in entry:
                raise RuleError(f"{path}: {section} entry {n} needs 'id' and '{field}'")
            _compile(path, entry["id"], entry[field])
            parts.append(rf"[\wåäöÅÄÖ\-]*{entry[field]}" if field == "suffix" else entry[field])
    return re.compile(rf"(?<![\w\-])(?:{'|'.join(parts)})(?![\w])", re.IGNORECASE)


def load_lexicon(data_dir: Path) -> Lexicon:
    rules = data_dir / "rules"
    return Lexicon(
        post=load_posts(rules / "posts.yaml"),
        patterns=load_patterns(rules / "entity_patterns.yaml"),
        cues=load_cues(rules / "relation_cues.yaml"),
        first_names=load_first_names(data_dir / "reference" / "first_names.txt"),
        curation=load_curation(data_dir / "curation.yaml"),
    )
