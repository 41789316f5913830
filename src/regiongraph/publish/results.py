"""SPARQL results written in the standard formats: JSON, XML, CSV and TSV for SELECT
(JSON and XML for ASK), Turtle, N-Triples, JSON-LD and RDF/XML for graphs.

Triple terms (RDF 1.2 / RDF-star) are written as the SPARQL 1.2 results formats define
them: a ``{"type": "triple", "value": {"subject", "predicate", "object"}}`` object in
JSON and a ``<triple>`` element in XML.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def json_term(t: object) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    if isinstance(t, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": json_term(t.subject),
                "predicate": json_term(t.predicate),
                "object": json_term(t.object),
            },
        }
    raise TypeError(f"not an RDF term: {t!r}")


def select_json(variables: list[str], rows: list[list], truncated: bool, limit: int) -> bytes:
    doc: dict = {
        "head": {"vars": variables},
        "results": {
            "bindings": [
                {v: json_term(r[i]) for i, v in enumerate(variables) if r[i] is not None}
                for r in rows
            ]
        },
    }
    if truncated:  # extra members are allowed and ignored by standard clients
        doc["truncated"] = True
        doc["rowLimit"] = limit
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def xml_term(t: object) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Triple):
        return (
            f"<triple><subject>{xml_term(t.subject)}</subject>"
            f"<predicate>{xml_term(t.predicate)}</predicate>"
            f"<object>{xml_term(t.object)}</object></triple>"
        )
    attr = ""
    if t.language:  # type: ignore[attr-defined]
        attr = f" xml:lang={quoteattr(t.language)}"  # type: ignore[attr-defined]
    elif t.datatype.value != XSD_STRING:  # type: ignore[attr-defined]
        attr = f" datatype={quoteattr(t.datatype.value)}"  # type: ignore[attr-defined]
    return f"<literal{attr}>{escape(t.value)}</literal>"  # type: ignore[attr-defined]


def select_xml(variables: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    out.write(f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}">')
    out.write("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables))
    out.write("</head><results>")
    for r in rows:
        out.write("<result>")
        for i, v in enumerate(variables):
            if r[i] is not None:
                out.write(f"<binding name={quoteattr(v)}>{xml_term(r[i])}</binding>")
        out.write("</result>")
    out.write("</results></sparql>\n")
    return out.getvalue().encode("utf-8")


def csv_term(t: object) -> str:
    """SPARQL 1.1 CSV: IRIs and literals as their text, blank nodes as ``_:label``."""
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.Triple):
        return f"<<( {t.subject} {t.predicate} {t.object} )>>"
    return t.value  # type: ignore[attr-defined]


def tsv_term(t: object) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.Triple):
        return f"<<( {t.subject} {t.predicate} {t.object} )>>"
    return str(t)  # N-Triples form: <iri>, _:b, "text"@sv, "1"^^<…>


def select_csv(variables: list[str], rows: list[list], tsv: bool) -> bytes:
    out = io.StringIO()
    if tsv:
        out.write("\t".join(f"?{v}" for v in variables) + "\n")
        for r in rows:
            out.write("\t".join(tsv_term(t) for t in r) + "\n")
    else:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        for r in rows:
            writer.writerow([csv_term(t) for t in r])
    return out.getvalue().encode("utf-8")


def boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer; only JSON and XML define one (CSV/TSV do not)."""
    if fmt == "xml":
        text = "true" if value else "false"
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        ).encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


def graph(triples: list[ox.Triple], fmt: str) -> bytes:
    return ox.serialize(triples, format=RDF_FORMATS[fmt]) or b""
