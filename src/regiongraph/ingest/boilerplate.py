"""Separate a release's body from the web page around it.

The cues are data (``data/rules/boilerplate.yaml``, see its header for the kinds); this
module only applies them, line by line, in four steps:

1. ``line`` rules remove single lines anywhere (skip links, "Läs mer …", photo credits).
2. The title is found near the top (metadata title, the URL's slug, the line next to a
   dateline, or the first heading-like line); the lines above it are the page header and
   are removed, except a dateline, which stays.
3. From the title on, a small state machine walks the lines: ``footer`` rules cut to the
   end, ``block-start`` rules open a removed block (teasers, image bank, press-contact
   directory), a ``contact`` heading opens the release's own contact block (kept, and it
   also ends a removed block), a ``keep`` heading (fact box) ends a contact block.
4. The kept lines are joined into the body: lines that were adjacent stay on adjacent
   lines, anything removed or blank between them becomes one blank line.

The result keeps, for every body line, its character span and block ("body" or
"contact"), and every removed block with the id of the rule that removed it.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from regiongraph.ingest.metadata import (
    clean_publisher,
    dateline_date,
    is_heading_like,
    url_title_score,
    url_title_tokens,
)
from regiongraph.paths import data_dir

RULE_KINDS: tuple[str, ...] = ("line", "block-start", "footer", "contact", "keep")
PUBLISHER_PLACEHOLDER = "{publisher}"
HEADER_RULE_ID = "page-header"  # structural: the lines above the title

_REQUIRED = ("id", "kind", "pattern", "comment")
_OPTIONAL: dict[str, type | tuple[type, ...]] = {
    "confirm": (str, list),
    "next": str,
    "window": int,
    "repeated": bool,
    "takes_previous": bool,
    "ends_block": bool,
    "after_contact": bool,
}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

TOP_ZONE_LINES = 10  # the title is looked for among the first lines before any prose
URL_TITLE_MIN_SCORE = 0.6
FOOTER_MIN_POSITION = 0.6  # a footer rule fires after the contacts or in the last 40 %
MAX_CAPTION_LENGTH = 200


class RuleError(ValueError):
    """A boilerplate rule file that cannot be used; names the file and the entry."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    pattern: str
    comment: str
    confirm: tuple[str, ...] = ()
    next: str | None = None
    window: int = 4
    repeated: bool = False
    takes_previous: bool = False
    ends_block: bool = False
    after_contact: bool = False

    @property
    def needs_publisher(self) -> bool:
        return PUBLISHER_PLACEHOLDER in self.pattern

    def regex(self, publisher: str | None) -> re.Pattern[str] | None:
        """The compiled pattern, with the publisher filled in (None if it needs one)."""
        if self.needs_publisher:
            if not publisher:
                return None
            return _compile(self.pattern.replace(PUBLISHER_PLACEHOLDER, re.escape(publisher)))
        return _compile(self.pattern)

    def confirmed(self, following: Sequence[str]) -> bool:
        """Whether the lines after a match confirm it (``next``, ``confirm``, ``repeated``)."""
        if self.next is not None and not (following and _compile(self.next).search(following[0])):
            return False
        if not self.confirm and not self.repeated:
            return True
        window = following[: self.window]
        if any(_compile(c).search(line) for c in self.confirm for line in window):
            return True
        return self.repeated and any(a == b for a, b in itertools.pairwise(window))


@functools.lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_LEADING_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")


def _any_of(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """One regex that matches a line iff one of ``patterns`` matches it (search), or None.

    A leading global flag group, ``(?i)``, becomes a scoped one, ``(?i:…)``, so that it
    still applies to its own alternative only. None when the patterns cannot be combined
    (back-references, or group names used twice).
    """
    if not patterns or any(re.search(r"\\[1-9]|\(\?P=", p) for p in patterns):
        return None
    parts = []
    for pattern in patterns:
        flags = _LEADING_FLAGS.match(pattern)
        if flags:
            parts.append(f"(?{flags.group(1)}:{pattern[flags.end() :]})")
        else:
            parts.append(f"(?:{pattern})")
    try:
        return re.compile("|".join(parts))
    except re.error:
        return None


@dataclass(frozen=True)
class _KindRegexes:
    """The rules of one kind for one publisher, compiled, and one regex for any of them."""

    rules: tuple[tuple[Rule, re.Pattern[str]], ...]
    any: re.Pattern[str] | None


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    source: str = "<inline>"
    # (kind, publisher) -> compiled rules: most lines match no rule, and one search of
    # the combined regex tells that instead of one search per rule (boilerplate removal
    # was ~10 % of a worker's time).
    _compiled: dict[tuple[str, str | None], _KindRegexes] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def _regexes(self, kind: str, publisher: str | None) -> _KindRegexes:
        key = (kind, publisher)
        compiled = self._compiled.get(key)
        if compiled is None:
            pairs = tuple(
                (rule, rx)
                for rule in self.rules
                if rule.kind == kind and (rx := rule.regex(publisher)) is not None
            )
            compiled = _KindRegexes(pairs, _any_of([rx.pattern for _, rx in pairs]))
            self._compiled[key] = compiled
        return compiled

    def matching(self, kind: str, line: str, publisher: str | None) -> Iterator[Rule]:
        """The rules of ``kind`` whose pattern matches ``line``, in file order."""
        compiled = self._regexes(kind, publisher)
        if compiled.any is not None and compiled.any.search(line) is None:
            return
        for rule, rx in compiled.rules:
            if rx.search(line):
                yield rule

    def first(self, kind: str, line: str, publisher: str | None) -> Rule | None:
        return next(self.matching(kind, line, publisher), None)


def _entry_error(source: str, index: int, entry: Any, problem: str) -> RuleError:
    rid = entry.get("id") if isinstance(entry, dict) else None
    name = f"rule {index} ({rid!r})" if rid else f"rule {index}"
    return RuleError(f"{source}: {name}: {problem}")


def _check_regex(source: str, index: int, entry: dict[str, Any], field: str, value: str) -> None:
    try:
        re.compile(value.replace(PUBLISHER_PLACEHOLDER, "Publisher"))
    except re.error as exc:
        raise _entry_error(
            source, index, entry, f"{field} is not a valid regular expression: {exc}"
        ) from exc


def parse_rules(data: Any, source: str = "<inline>") -> RuleSet:
    """Validate parsed YAML (``{"rules": [...]}``) into a RuleSet; RuleError names the entry."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{source}: expected a mapping with a 'rules' list")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["rules"], start=1):
        if not isinstance(entry, dict):
            raise _entry_error(source, index, entry, "is not a mapping")
        missing = [k for k in _REQUIRED if k not in entry]
        if missing:
            raise _entry_error(source, index, entry, f"missing field(s): {', '.join(missing)}")
        unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
        if unknown:
            raise _entry_error(source, index, entry, f"unknown field(s): {', '.join(unknown)}")
        for key in _REQUIRED:
            if not isinstance(entry[key], str) or not entry[key].strip():
                raise _entry_error(source, index, entry, f"{key} must be a non-empty string")
        rid = entry["id"].strip()
        if not _ID_RE.match(rid):
            raise _entry_error(source, index, entry, "id must be lower-case letters, digits, .-_")
        if rid in seen:
            raise _entry_error(source, index, entry, "the id is used twice")
        seen.add(rid)
        if entry["kind"] not in RULE_KINDS:
            raise _entry_error(source, index, entry, f"kind must be one of {', '.join(RULE_KINDS)}")
        for key, types in _OPTIONAL.items():
            if key in entry and not isinstance(entry[key], types):
                raise _entry_error(source, index, entry, f"{key} has the wrong type")
        confirm = entry.get("confirm", ())
        confirm = (confirm,) if isinstance(confirm, str) else tuple(confirm)
        if not all(isinstance(c, str) and c for c in confirm):
            raise _entry_error(source, index, entry, "confirm must be a regex or a list of them")
        window = entry.get("window", 4)
        if isinstance(window, bool) or not 1 <= window <= 30:
            raise _entry_error(source, index, entry, "window must be an integer from 1 to 30")
        _check_regex(source, index, entry, "pattern", entry["pattern"])
        for c in confirm:
            _check_regex(source, index, entry, "confirm", c)
        if "next" in entry:
            _check_regex(source, index, entry, "next", entry["next"])
        rules.append(
            Rule(
                id=rid,
                kind=entry["kind"],
                pattern=entry["pattern"],
                comment=" ".join(entry["comment"].split()),
                confirm=confirm,
                next=entry.get("next"),
                window=window,
                repeated=entry.get("repeated", False),
                takes_previous=entry.get("takes_previous", False),
                ends_block=entry.get("ends_block", False),
                after_contact=entry.get("after_contact", False),
            )
        )
    return RuleSet(tuple(rules), source)


def load_rules(path: Path) -> RuleSet:
    """Load and validate a boilerplate rule file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleError(f"{path}: not valid YAML{where}: {problem}") from exc
    return parse_rules(data, str(path))


def default_rules_path() -> Path:
    return data_dir() / "rules" / "boilerplate.yaml"


@functools.lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The project's rule file, loaded once per process (``reset_default_rules`` reloads)."""
    return load_rules(default_rules_path())


def reset_default_rules() -> None:
    default_rules.cache_clear()


# --- applying the rules --------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SENTENCE_INSIDE = re.compile(r"[.!?]\s+[A-ZÅÄÖ]")


def clean_line(line: str) -> str:
    """One line with invisible characters dropped and white space squeezed and trimmed."""
    return _SPACES.sub(" ", line.translate(_INVISIBLE)).strip()


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split()).strip(" .:")


def _is_prose(line: str) -> bool:
    """A paragraph of running text, which no page header contains."""
    return len(line) > 150 or (len(line) > 80 and bool(_SENTENCE_INSIDE.search(line)))


@dataclass(frozen=True)
class BodyLine:
    start: int  # offsets into the body
    end: int
    block: str  # body | contact


@dataclass(frozen=True)
class RemovedBlock:
    rule_id: str
    text: str


@dataclass(frozen=True)
class StrippedText:
    body: str
    title: str | None
    lines: tuple[BodyLine, ...]
    removed: tuple[RemovedBlock, ...]
    dateline: str | None = None  # ISO date of a dateline near the top, if any


def _find_title(
    lines: list[str],
    zone: list[int],
    stop: set[int],
    publisher: str | None,
    title_hint: str | None,
    url: str | None,
) -> int | None:
    heads = [
        i
        for i in zone
        if i not in stop
        and is_heading_like(lines[i])
        and not (publisher and _norm(lines[i]) == _norm(publisher))
    ]
    chosen: int | None = None
    if title_hint:
        hints = {_norm(title_hint)} | {_norm(p) for p in re.split(r"\s+[|–—:-]\s+", title_hint)}
        chosen = next((i for i in zone if _norm(lines[i]) in hints), None)
    tokens = url_title_tokens(url)
    if chosen is None and tokens and heads:
        best = max(heads, key=lambda i: (url_title_score(lines[i], tokens), -i))
        if url_title_score(lines[best], tokens) >= URL_TITLE_MIN_SCORE:
            chosen = best
    if chosen is None:
        datelines = [k for k, i in enumerate(zone) if dateline_date(lines[i])]
        if datelines:
            k = datelines[0]
            after = zone[k + 1] if k + 1 < len(zone) else None
            before = zone[k - 1] if k > 0 else None
            if after in heads:
                chosen = after
            elif before in heads:
                chosen = before
    if chosen is None and heads:
        chosen = heads[0]
    if chosen is not None:
        # A site that shows the title twice (breadcrumb, then heading): the later one is it.
        repeats = [i for i in heads if i > chosen and _norm(lines[i]) == _norm(lines[chosen])]
        if repeats:
            chosen = repeats[-1]
    return chosen


@dataclass
class _Page:
    """A page's lines while the rules are applied: which are removed (by which rule), which
    end a contact block, and the block ("body" or "contact") of each kept one."""

    lines: list[str]
    rules: RuleSet
    publisher: str | None
    nonempty: list[int] = field(init=False)
    removed_by: dict[int, str] = field(default_factory=dict)
    ends_block: set[int] = field(default_factory=set)
    block_of: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.nonempty = [i for i, line in enumerate(self.lines) if line]
        self._position = {i: pos for pos, i in enumerate(self.nonempty)}

    def following(self, i: int) -> list[str]:
        """The next 30 non-empty lines after line ``i`` (what confirms a rule)."""
        pos = self._position[i]
        return [self.lines[j] for j in self.nonempty[pos + 1 : pos + 31]]

    def first(self, kind: str, i: int) -> Rule | None:
        return self.rules.first(kind, self.lines[i], self.publisher)


def strip_boilerplate(
    text: str,
    *,
    publisher: str | None = None,
    title_hint: str | None = None,
    url: str | None = None,
    rules: RuleSet | None = None,
) -> StrippedText:
    """Split a page's text into the release body and the removed site chrome."""
    page = _Page(
        [clean_line(raw) for raw in text.split("\n")],
        rules if rules is not None else default_rules(),
        clean_publisher(publisher),
    )
    _remove_single_lines(page)
    title_i, dateline = _remove_page_header(page, title_hint, url)
    _walk_blocks(page, title_i)
    return _stripped(page, title_i, dateline)


def _remove_single_lines(page: _Page) -> None:
    """Step 1: ``line`` rules, and the caption line before a rule that takes it along."""
    lines, removed_by = page.lines, page.removed_by
    for i in page.nonempty:
        rule = page.first("line", i)
        if rule is None:
            continue
        removed_by[i] = rule.id
        if rule.ends_block:
            page.ends_block.add(i)
        prev = i - 1
        if (
            rule.takes_previous
            and prev >= 0
            and lines[prev]
            and prev not in removed_by
            and len(lines[prev]) <= MAX_CAPTION_LENGTH
            and not page.first("contact", prev)
        ):
            removed_by[prev] = rule.id


def _remove_page_header(
    page: _Page, title_hint: str | None, url: str | None
) -> tuple[int | None, str | None]:
    """Step 2: the title among the top lines, and the lines above it (not a dateline)
    removed; returns the title's line and the dateline's date."""
    lines, removed_by = page.lines, page.removed_by
    zone: list[int] = []
    not_titles: set[int] = set()
    for i in page.nonempty:
        if i in removed_by:
            continue
        if _is_prose(lines[i]) or len(zone) >= TOP_ZONE_LINES:
            break
        if any(page.first(k, i) for k in ("block-start", "contact", "keep")):
            if any(is_heading_like(lines[j]) for j in zone if j not in not_titles):
                break  # a section after the title: the top of the page is over
            not_titles.add(i)
        zone.append(i)
    title_i = _find_title(lines, zone, not_titles, page.publisher, title_hint, url)
    dateline: str | None = None
    top = zone if zone else [i for i in page.nonempty if i not in removed_by][:TOP_ZONE_LINES]
    for i in top:
        dateline = dateline_date(lines[i])
        if dateline:
            break
    if title_i is not None:
        for i in page.nonempty:
            if i >= title_i:
                break
            if i not in removed_by and not dateline_date(lines[i]):
                removed_by[i] = HEADER_RULE_ID
    return title_i, dateline


def _walk_blocks(page: _Page, title_i: int | None) -> None:
    """Step 3: from the title on, footers cut to the end, block starts open a removed
    block, a contact heading opens the kept contact block, a keep heading ends it."""
    lines, removed_by, nonempty, pub = page.lines, page.removed_by, page.nonempty, page.publisher
    start = title_i if title_i is not None else (nonempty[0] if nonempty else 0)
    state = "body"
    removing: str | None = None  # id of the rule whose block is being removed
    seen_contact = False
    cut: str | None = None
    for pos, i in enumerate(nonempty):
        if i < start:
            continue
        if cut is not None:
            removed_by[i] = cut
            continue
        if i in removed_by:
            if i in page.ends_block and state == "contact" and removing is None:
                state = "body"
            continue
        line = lines[i]
        late = seen_contact or pos >= FOOTER_MIN_POSITION * len(nonempty)
        footer = next(
            (
                r
                for r in page.rules.matching("footer", line, pub)
                if (seen_contact if r.after_contact else late) and r.confirmed(page.following(i))
            ),
            None,
        )
        if footer is not None:
            cut = removed_by[i] = footer.id
            continue
        block = next(
            (
                r
                for r in page.rules.matching("block-start", line, pub)
                if r.confirmed(page.following(i))
            ),
            None,
        )
        if block is not None:
            removing = removed_by[i] = block.id
            continue
        if page.first("contact", i):
            removing, state, seen_contact = None, "contact", True
            page.block_of[i] = "contact"
            continue
        if page.first("keep", i) and removing is None:
            state = "body"
        if removing is not None:
            removed_by[i] = removing
        else:
            page.block_of[i] = state


def _stripped(page: _Page, title_i: int | None, dateline: str | None) -> StrippedText:
    """Step 4: the kept lines joined into the body (a gap becomes one blank line), and
    the removed lines grouped into blocks by the rule that removed them."""
    lines, removed_by = page.lines, page.removed_by
    parts: list[str] = []
    body_lines: list[BodyLine] = []
    cursor = 0
    prev: int | None = None
    for i in page.nonempty:
        if i in removed_by:
            continue
        if prev is not None:
            sep = "\n" if i == prev + 1 else "\n\n"
            parts.append(sep)
            cursor += len(sep)
        parts.append(lines[i])
        body_lines.append(BodyLine(cursor, cursor + len(lines[i]), page.block_of.get(i, "body")))
        cursor += len(lines[i])
        prev = i
    removed: list[RemovedBlock] = []
    run: list[int] = []
    for i in [*page.nonempty, -1]:
        rid = removed_by.get(i)
        if run and (rid != removed_by[run[-1]]):
            removed.append(RemovedBlock(removed_by[run[-1]], "\n".join(lines[j] for j in run)))
            run = []
        if rid is not None:
            run.append(i)
    return StrippedText(
        body="".join(parts),
        title=lines[title_i] if title_i is not None else None,
        lines=tuple(body_lines),
        removed=tuple(removed),
        dateline=dateline,
    )
