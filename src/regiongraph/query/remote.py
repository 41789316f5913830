"""Queries against a remote SPARQL 1.1 endpoint, through SPARQLWrapper.

Parameters are bound the same way as locally: as RDF terms, serialised by pyoxigraph
and placed in a VALUES block at the start of the main query's WHERE group, never
spliced into the query's text by hand. The group is found with the SPARQL lexer of
``regiongraph.query.library``, so a "where" in a comment, a string or an IRI is not mistaken
for it. Library queries use their parameters in the top-level group only (not inside a
sub-select or HAVING), which makes VALUES binding mean the same as local substitution.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.error import URLError

from SPARQLWrapper import JSON, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from regiongraph.query.library import QueryError, QueryFile, bindings_for, where_brace


class RemoteError(QueryError):
    """The endpoint could not be reached or refused the query."""


def with_values(query: QueryFile, params: Mapping[str, str] | None) -> str:
    """The query text with its parameters bound through a VALUES clause.

    The clause goes right after the opening brace of the main query's WHERE group, so
    the bound variables are in scope of the whole group pattern and its filters.
    """
    terms = bindings_for(query, params)
    if not terms:
        return query.text
    names = " ".join(f"?{v.value}" for v in terms)
    values = " ".join(str(t) for t in terms.values())
    clause = f" VALUES ({names}) {{ ({values}) }} "
    text = query.text
    brace = where_brace(text)
    if brace < 0:
        raise QueryError(f"query {query.name!r}: no WHERE group to bind parameters in")
    return text[: brace + 1] + clause + text[brace + 1 :]


def _value(binding: dict | None) -> object:
    if binding is None:
        return None
    value = binding["value"]
    datatype = binding.get("datatype", "")
    if datatype.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")):
        return int(value)
    if datatype.endswith(("#decimal", "#double", "#float")):
        number = float(value)
        return int(number) if number.is_integer() and datatype.endswith("#decimal") else number
    return value


def run_remote_select(
    endpoint: str, query: QueryFile, params: Mapping[str, str] | None = None, timeout: int = 60
) -> list[dict[str, object]]:
    """Run a library SELECT on a SPARQL 1.1 Protocol endpoint; rows as in ``run_select``."""
    client = SPARQLWrapper(endpoint)
    client.setQuery(with_values(query, params))
    # SPARQLWrapper guesses the query type from the text with a regular expression and
    # takes a word in a comment ("remove …") for an update (MOVE), which it then sends
    # as update=; these are SELECT queries.
    client.queryType = SELECT
    client.setReturnFormat(JSON)
    client.setMethod("POST")
    client.setTimeout(timeout)
    try:
        result = client.queryAndConvert()
    except (SPARQLWrapperException, URLError, OSError) as exc:
        raise RemoteError(f"{endpoint}: {exc}") from exc
    if not isinstance(result, dict) or "results" not in result:
        raise RemoteError(f"{endpoint}: query {query.name!r} did not return SELECT results")
    names = result["head"]["vars"]
    return [{n: _value(row.get(n)) for n in names} for row in result["results"]["bindings"]]
