"""Queries against a remote SPARQL 1.1 endpoint, through SPARQLWrapper.

Parameters are bound the same way as locally: as RDF terms, serialised by pyoxigraph
and placed in a VALUES block, never spliced into the query's text by hand.
"""

from __future__ import annotations

from collections.abc import Mapping

from SPARQLWrapper import JSON, SPARQLWrapper

from regiongraph.queries import QueryFile, bindings_for


def with_values(query: QueryFile, params: Mapping[str, str] | None) -> str:
    """The query text with its parameters bound through a VALUES clause.

    The clause goes right after the first WHERE's opening brace, so the bound
    variables are in scope of the whole group pattern.
    """
    terms = bindings_for(query, params)
    if not terms:
        return query.text
    names = " ".join(f"?{v.value}" for v in terms)
    values = " ".join(str(t) for t in terms.values())
    clause = f" VALUES ({names}) {{ ({values}) }} "
    text = query.text
    lowered = text.lower()
    at = lowered.find("where")
    brace = text.find("{", at if at >= 0 else 0)
    if brace < 0:
        return text
    return text[: brace + 1] + clause + text[brace + 1 :]


def _value(binding: dict | None) -> object:
    if binding is None:
        return None
    value = binding["value"]
    datatype = binding.get("datatype", "")
    if datatype.endswith(("#integer", "#int", "#long")):
        return int(value)
    if datatype.endswith(("#decimal", "#double", "#float")):
        number = float(value)
        return int(number) if number.is_integer() and datatype.endswith("#decimal") else number
    return value


def run_remote_select(
    endpoint: str, query: QueryFile, params: Mapping[str, str] | None = None, timeout: int = 60
) -> list[dict[str, object]]:
    client = SPARQLWrapper(endpoint)
    client.setQuery(with_values(query, params))
    client.setReturnFormat(JSON)
    client.setMethod("POST")
    client.setTimeout(timeout)
    result = client.queryAndConvert()
    names = result["head"]["vars"]
    return [{n: _value(row.get(n)) for n in names} for row in result["results"]["bindings"]]
