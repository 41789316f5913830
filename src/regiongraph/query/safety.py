"""What a query may do, read from its parse tree (rdflib's SPARQL 1.1 parser).

A read-only endpoint must refuse SPARQL Update and SERVICE (federated query: the store
would send a request to any address the query names). Both are decided here from the
tree a real SPARQL parser builds, never by scanning the text, so escapes in prefixed
names (``e:x\\#``), strings and comments cannot hide a SERVICE clause.

The parser is recursive, so nesting is bounded: the text is parsed in a thread with a
large stack under a raised recursion limit, and a query nested deeper than that answers
"nested too deeply" instead of crashing the process (pyoxigraph's own parser overflows
the native stack on a few thousand nested groups and kills the process). A query that
passes here is nested far less than that.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

# Stack and recursion limit of the parsing thread: enough for about 300 nested groups
# (library queries nest 4 deep), far below what would overflow the native stack.
PARSE_STACK_BYTES = 256 * 1024 * 1024
PARSE_RECURSION_LIMIT = 40_000

FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


class QueryRefused(ValueError):
    """The query cannot run here; ``status`` is the HTTP status that says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE


def _guarded(parse: Callable[[str], object], text: str) -> object:
    """``parse(text)`` in a thread with a large stack; RecursionError → QueryRefused."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = parse(text)
        except RecursionError:
            outcome["deep"] = True
        except ParseBaseException as exc:
            outcome["error"] = exc

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size()
    sys.setrecursionlimit(max(old_limit, PARSE_RECURSION_LIMIT))
    threading.stack_size(PARSE_STACK_BYTES)
    try:
        thread = threading.Thread(target=run, name="sparql-parse", daemon=True)
        thread.start()
    finally:
        threading.stack_size(old_stack)
    thread.join()
    sys.setrecursionlimit(old_limit)
    if outcome.get("deep"):
        raise QueryRefused(400, "the query is nested too deeply to be parsed safely")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


def _nodes(tree: object) -> Iterator[CompValue]:
    """Every CompValue of a parse tree (iteratively: the tree may be deep)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, ParseResults | list | tuple):
            stack.extend(node)


def check_query(text: str) -> CheckedQuery:
    """The query's form, or QueryRefused: 403 for an update or SERVICE, 400 when the
    text is not a SPARQL 1.1 query (with the parser's message) or nested too deeply."""
    try:
        tree = _guarded(parseQuery, text)
    except ParseBaseException as query_error:
        try:
            update = _guarded(parseUpdate, text)
        except ParseBaseException:
            raise QueryRefused(400, f"malformed query: {query_error}") from None
        operations = ", ".join(op.name for op in update.request)  # type: ignore[attr-defined]
        raise QueryRefused(
            403, f"SPARQL Update ({operations}) is not allowed: queries here are read-only"
        ) from None
    if any(node.name == "ServiceGraphPattern" for node in _nodes(tree)):
        raise QueryRefused(
            403, "SERVICE (federated query) is not allowed: queries here call no other service"
        )
    form = FORMS.get(tree[1].name)  # type: ignore[index]
    if form is None:
        raise QueryRefused(400, "the text is not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return CheckedQuery(text, form)
