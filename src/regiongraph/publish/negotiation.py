"""Content negotiation: which format an answer takes, from the Accept header and the
``format``/``output``/``results`` parameter that SPARQLWrapper and other clients add.

Formats have short names (json, xml, csv, tsv for results; turtle, ntriples, jsonld,
rdfxml for graphs; html for pages). A media type may stand for more than one short name
(``application/xml`` is SPARQL XML results for SELECT and RDF/XML for CONSTRUCT); the
offers of the answer at hand decide. A wildcard range (``text/*``) matches only the
canonical media type of an offer, so ``text/*`` on SELECT gives CSV, not XML.
"""

from __future__ import annotations

import contextlib

CANONICAL = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "html": "text/html",
}

MEDIA: dict[str, tuple[str, ...]] = {
    "application/sparql-results+json": ("json",),
    "application/json": ("json", "jsonld"),
    "text/javascript": ("json",),
    "application/javascript": ("json",),
    "application/sparql-results+xml": ("xml",),
    "application/xml": ("xml", "rdfxml"),
    "text/xml": ("xml", "rdfxml"),
    "text/csv": ("csv",),
    "text/tab-separated-values": ("tsv",),
    "text/turtle": ("turtle",),
    "application/turtle": ("turtle",),
    "application/x-turtle": ("turtle",),
    "text/n3": ("turtle",),  # Turtle is N3
    "text/rdf+n3": ("turtle",),
    "application/n3": ("turtle",),
    "application/n-triples": ("ntriples",),
    "text/plain": ("ntriples",),
    "application/ld+json": ("jsonld",),
    "application/x-json+ld": ("jsonld",),
    "application/rdf+xml": ("rdfxml",),
    "text/html": ("html",),
    "application/xhtml+xml": ("html",),
}

# Names clients put in format=/output=/results= (SPARQLWrapper: json, xml, csv, tsv,
# turtle, n3, rdf+xml, json-ld, rdf); media types are read as MEDIA says.
FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv",),
    "tsv": ("tsv",),
    "turtle": ("turtle",),
    "ttl": ("turtle",),
    "n3": ("turtle",),
    "nt": ("ntriples",),
    "ntriples": ("ntriples",),
    "n-triples": ("ntriples",),
    "rdf": ("rdfxml",),
    "rdf+xml": ("rdfxml",),
    "rdfxml": ("rdfxml",),
    "json-ld": ("jsonld",),
    "jsonld": ("jsonld",),
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal q)."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(f[2:])
        ranges.append((fields[0].lower(), q, i))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges if q > 0]


def _named(value: str, offers: list[str]) -> str | None:
    value = value.strip().lower()
    shorts = FORMAT_NAMES.get(value) or MEDIA.get(value.split(";")[0].strip(), ())
    return next((s for s in shorts if s in offers), None)


def negotiate(
    header: str | None, offers: list[str], formats: list[str] | tuple[str, ...] = ()
) -> str | None:
    """The offered short name the request asks for, or None (406).

    A named media type in Accept wins; where Accept would leave the choice open
    (``*/*``, or no header) a ``format`` parameter value decides, so SPARQLWrapper's
    ``format=xml`` beside ``Accept: application/rdf+xml`` gives RDF/XML.
    """
    for media, _ in parse_accept(header):
        if media == "*/*":
            named = next((s for f in formats if (s := _named(f, offers))), None)
            return named or offers[0]
        if media.endswith("/*"):
            major = media[:-1]
            match = next((o for o in offers if CANONICAL[o].startswith(major)), None)
            if match:
                return match
            continue
        short = next((s for s in MEDIA.get(media, ()) if s in offers), None)
        if short:
            return short
    return None
