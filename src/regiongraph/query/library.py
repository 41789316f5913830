"""The query library: ``queries/*.rq`` files with a documented header, run with bound terms.

A query file opens with comment lines ``# key: value`` (title, description, param,
returns, example); the file stem is its name. Parameters are bound as RDF terms through
pyoxigraph's ``substitutions``, never pasted into the query text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from regiongraph.paths import project_root

_HEADER = re.compile(r"^#\s*(title|description|param|returns|example)\s*:\s*(.*)$")


# Kinds bound as IRIs; all but IRI also take a name or code (see regiongraph.query.names).
IRI_KINDS = frozenset({"IRI", "actor", "project", "region", "funder"})


class QueryError(ValueError):
    """A query file that cannot be read, or a parameter that cannot be bound."""


@dataclass(frozen=True)
class QueryParam:
    name: str
    kind: str  # IRI | actor | project | region | funder | string | integer | decimal | date | year
    default: str | None
    description: str


@dataclass(frozen=True)
class QueryFile:
    name: str
    path: Path | None
    title: str
    description: str
    params: tuple[QueryParam, ...]
    returns: tuple[str, ...]
    examples: tuple[str, ...]
    text: str

    def param(self, name: str) -> QueryParam:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (it has: {known})")

    def paged(self, limit: int | None, offset: int = 0) -> QueryFile:
        """The query narrowed to one page of its rows (see :func:`page_text`)."""
        return replace(self, text=page_text(self.text, limit, offset))


def queries_dir() -> Path:
    return project_root() / "queries"


def parse_query(text: str, name: str, path: Path | None = None) -> QueryFile:
    fields: dict[str, list[str]] = {
        "title": [],
        "description": [],
        "param": [],
        "returns": [],
        "example": [],
    }
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            fields[match.group(1)].append(match.group(2).strip())
        elif fields["description"] and line.startswith("#   "):
            fields["description"][-1] += " " + line[1:].strip()
    params = tuple(_parse_param(raw, name) for raw in fields["param"])
    returns = tuple(r.strip() for line in fields["returns"] for r in line.split(",") if r.strip())
    return QueryFile(
        name=name,
        path=path,
        title=fields["title"][0] if fields["title"] else name,
        description=" ".join(fields["description"]),
        params=params,
        returns=returns,
        examples=tuple(fields["example"]),
        text=text,
    )


def _parse_param(raw: str, query_name: str) -> QueryParam:
    parts = raw.split(None, 2)
    if len(parts) < 2:
        raise QueryError(f"{query_name}: malformed '# param:' line {raw!r} (name kind ...)")
    name, kind = parts[0], parts[1]
    rest = parts[2] if len(parts) > 2 else ""
    default = None
    match = re.match(r"default=(\S+)\s*(.*)$", rest)
    if match:
        default, rest = match.group(1), match.group(2)
        if default.startswith("<") and default.endswith(">"):
            default = default[1:-1]
    return QueryParam(name=name, kind=kind, default=default, description=rest.strip())


def load_query(name_or_path: str, directory: Path | None = None) -> QueryFile:
    """A query by library name (``projects-with-funders``) or by file path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" and candidate.is_file():
        path = candidate
    else:
        name = candidate.stem if candidate.suffix == ".rq" else name_or_path
        path = (directory or queries_dir()) / f"{name}.rq"
        if not path.is_file():
            tried = f"{path}" if candidate.suffix != ".rq" else f"{candidate} and {path}"
            raise QueryError(f"no query named {name!r} (looked for {tried})")
    return parse_query(path.read_text(encoding="utf-8"), path.stem, path)


def list_queries(directory: Path | None = None) -> list[QueryFile]:
    root = directory or queries_dir()
    return [load_query(str(p)) for p in sorted(root.glob("*.rq"))]


def bind_term(param: QueryParam, value: str) -> ox.NamedNode | ox.Literal:
    """Turn a command-line value into the RDF term the parameter's kind asks for.

    The value is checked against the kind (an IRI must be absolute and free of spaces,
    a date must be an ISO date, …), so that a bound term is always a well-formed one.
    """
    xsd = "http://www.w3.org/2001/XMLSchema#"
    try:
        if param.kind in IRI_KINDS:
            if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
                raise ValueError("not an absolute IRI")
            return ox.NamedNode(value)
        if param.kind in {"integer", "year"}:
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(xsd + "integer"))
        if param.kind == "decimal":
            number = Decimal(value)
            if not number.is_finite():
                raise ValueError("not a finite number")
            return ox.Literal(format(number, "f"), datatype=ox.NamedNode(xsd + "decimal"))
        if param.kind == "date":
            return ox.Literal(
                dt.date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(xsd + "date")
            )
    except (ValueError, SyntaxError, InvalidOperation) as exc:
        raise QueryError(f"parameter {param.name}: {value!r} is not a valid {param.kind}") from exc
    return ox.Literal(value)


def bindings_for(query: QueryFile, params: Mapping[str, str] | None) -> dict:
    """Terms for every parameter: given values first, then defaults."""
    given = dict(params or {})
    terms: dict = {}
    for p in query.params:
        value = given.pop(p.name, None)
        if value is None:
            value = p.default
        if value is not None and value != "none":
            terms[ox.Variable(p.name)] = bind_term(p, value)
    if given:
        raise QueryError(f"query {query.name!r} has no parameter(s): {', '.join(sorted(given))}")
    return terms


def term_value(term: object) -> object:
    """A plain Python value for a result term: str for IRIs and text, numbers as numbers."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1] if term.datatype else "string"
        if dt in {"integer", "int", "long", "nonNegativeInteger"}:
            return int(term.value)
        if dt in {"decimal", "double", "float"}:
            number = float(term.value)
            return int(number) if number.is_integer() and dt == "decimal" else number
        return term.value
    return getattr(term, "value", str(term))


def run_select(
    store: ox.Store,
    query: QueryFile | str,
    params: Mapping[str, str] | None = None,
) -> list[dict[str, object]]:
    """Run a SELECT on the store's default graph and return rows as dicts."""
    return list(iter_select(store, query, params))


def iter_select(
    store: ox.Store,
    query: QueryFile | str,
    params: Mapping[str, str] | None = None,
) -> Iterator[dict[str, object]]:
    """The rows of a SELECT one at a time (for results too large to hold as a list)."""
    qf = query if isinstance(query, QueryFile) else parse_query(query, "inline")
    try:
        results = store.query(qf.text, substitutions=bindings_for(qf, params))
    except SyntaxError:
        if is_update(qf.text):
            raise QueryError(
                f"{qf.name!r} is a SPARQL update (it would change the store): refused; "
                "only queries are run"
            ) from None
        raise
    if not isinstance(results, ox.QuerySolutions):
        raise QueryError(f"query {qf.name!r} is not a SELECT query")
    names = [v.value for v in results.variables]
    for sol in results:
        yield {n: term_value(sol[n]) for n in names}


def is_update(text: str) -> bool:
    """Whether ``text`` parses as a SPARQL update (rdflib's parser of the SPARQL grammar);
    the store's own parser then only says it found no query form."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # any failure of the parser means: not an update
        return False
    return True


# -- a small SPARQL lexer --------------------------------------------------------------
#
# Enough of the SPARQL grammar to tell braces and keywords from the same letters inside
# comments, strings, IRIs, prefixed names and variables: the remote runner uses it to
# find the top-level WHERE group and paging to find the top-level LIMIT/OFFSET. It
# decides nothing about safety: what a query may do is read from its parse tree
# (``regiongraph.query.safety``).

_SQ3 = "'" * 3
_DQ3 = '"' * 3
_STRING = "|".join(
    (
        _SQ3 + r"(?:[^'\\]|\\.|'(?!''))*" + _SQ3,
        _DQ3 + r'(?:[^"\\]|\\.|"(?!""))*' + _DQ3,
        r"'(?:[^'\\\n]|\\.)*'",
        r'"(?:[^"\\\n]|\\.)*"',
    )
)
_TOKEN = re.compile(
    "|".join(
        (
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\n]*)",
            f"(?P<string>{_STRING})",
            r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
            r"(?P<var>[?$][\w\u00B7]+)",
            r"(?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w.:%-]*[\w:%-])?)",
            r"(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            r"(?P<word>[^\W\d]\w*)",
            r"(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)",
            r"(?P<punct>.)",
        )
    ),
    re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str  # string | iri | var | pname | lang | word | number | punct
    text: str
    start: int


def sparql_tokens(text: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL text: no whitespace, no comments."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in {"ws", "comment"}:
            continue
        yield Token(kind, match.group(), match.start())


def where_brace(text: str) -> int:
    """Offset of the ``{`` that opens the main query's WHERE group, or -1.

    That is the first brace at nesting depth 0 after a top-level WHERE keyword, or the
    first top-level brace when WHERE is left out (``SELECT * { … }``, ``ASK { … }``).
    A CONSTRUCT template before WHERE is skipped.
    """
    depth = 0
    first_top = -1
    after_where = False
    for token in sparql_tokens(text):
        if token.kind == "word" and token.text.upper() == "WHERE" and depth == 0:
            after_where = True
        elif token.kind == "punct" and token.text == "{":
            if depth == 0:
                if after_where:
                    return token.start
                if first_top < 0:
                    first_top = token.start
            depth += 1
        elif token.kind == "punct" and token.text == "}":
            depth -= 1
    return first_top


def page_text(text: str, limit: int | None, offset: int = 0) -> str:
    """``text`` with its top-level LIMIT and OFFSET set to return one page of its rows.

    The page is taken from the rows the query itself returns, so a query that already
    has a LIMIT (co-participation-pairs keeps the top 1,000) is narrowed, not widened:
    ``LIMIT 1000`` paged with limit 10, offset 995 becomes ``LIMIT 5 OFFSET 995``. The
    store still evaluates and sorts every row, but only the page is decoded and sent,
    about half the time of a long listing.
    """
    if limit is None and offset == 0:
        return text
    if (limit is not None and limit < 0) or offset < 0:
        raise QueryError("limit and offset must not be negative")
    tokens = list(sparql_tokens(text))
    start = where_brace(text)
    if start < 0:
        raise QueryError("the query has no WHERE group to page")
    depth, closed = 0, False
    old_limit, old_offset = None, 0
    cut: list[tuple[int, int]] = []  # the old LIMIT/OFFSET clauses, to take out
    insert_at = len(text.rstrip())
    for i, token in enumerate(tokens):
        if token.start < start:
            continue
        if token.kind == "punct" and token.text in "{}":
            depth += 1 if token.text == "{" else -1
            closed = closed or depth == 0
            continue
        if not closed or depth or token.kind != "word":
            continue
        word = token.text.upper()
        if word == "VALUES":  # a trailing VALUES block comes after the solution modifiers
            insert_at = token.start
            break
        if word in ("LIMIT", "OFFSET") and i + 1 < len(tokens):
            number = tokens[i + 1]
            if number.kind == "number" and number.text.isdigit():
                if word == "LIMIT":
                    old_limit = int(number.text)
                else:
                    old_offset = int(number.text)
                cut.append((token.start, number.start + len(number.text)))
    new_limit = limit
    if old_limit is not None:
        rest = max(0, old_limit - offset)
        new_limit = rest if limit is None else min(limit, rest)
    clause = f"OFFSET {old_offset + offset}"
    if new_limit is not None:
        clause = f"LIMIT {new_limit} {clause}"
    head, tail = text[:insert_at], text[insert_at:]
    for begin, end in reversed(cut):
        head = head[:begin] + head[end:]
    return f"{head.rstrip()}\n{clause}\n{tail.lstrip()}"
