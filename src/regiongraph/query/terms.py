"""Short names for IRIs and plain words for relations, for people reading results.

``PREFIXES`` are the prefixed names the command line shows and accepts (``rg:fundedBy``,
``id:region/se-vasterbotten``); ``short_iri`` and ``expand`` convert between the two forms.
``RelationLabels`` reads the ``rdfs:label`` of every property in ``ontology/regiongraph.ttl``
in Swedish and English ("finansieras av" / "funded by"), falling back to the local name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from regiongraph.paths import project_root
from regiongraph.vocab import DEFAULT_BASE

PREFIXES: dict[str, str] = {
    "rg": "https://w3id.org/regiongraph/ontology#",
    "id": f"{DEFAULT_BASE}/id/",
    "release": f"{DEFAULT_BASE}/id/release/",
    "graph": f"{DEFAULT_BASE}/graph/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# Longest namespace first, so that ``release:`` wins over ``id:`` for a release IRI.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
_LOCAL = re.compile(r"^[\w.-]+(?:/[\w.-]+)*$")
_PREFIXED = re.compile(r"^([A-Za-z][\w-]*):([^\s/].*)$")


def short_iri(iri: str) -> str:
    """``rg:fundedBy`` for the full IRI; the IRI itself when no prefix fits."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def expand(text: str) -> str | None:
    """The full IRI of a prefixed name (``rg:fundedBy``); None when ``text`` is not one."""
    match = _PREFIXED.match(text.strip())
    if match and match.group(1) in PREFIXES:
        return PREFIXES[match.group(1)] + match.group(2)
    return None


def is_iri(value: object) -> bool:
    """True for a string that looks like an absolute http(s) or urn IRI."""
    return isinstance(value, str) and re.match(r"^(?:https?://|urn:)\S+$", value) is not None


@dataclass(frozen=True)
class RelationLabels:
    """Plain words for properties, per language, read from the ontology's ``rdfs:label``."""

    labels: Mapping[str, Mapping[str, str]]  # IRI -> {language: label}

    def word(self, iri: str, language: str = "en") -> str:
        """The label in ``language`` (else English, else the local name, spaced)."""
        found = self.labels.get(iri, {})
        text = found.get(language) or found.get("en")
        if text:
            return text
        local = re.split(r"[#/]", iri.rstrip("/#"))[-1]
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()

    def both(self, iri: str) -> dict[str, str]:
        """``{"sv": …, "en": …}`` for one property."""
        return {lang: self.word(iri, lang) for lang in ("sv", "en")}


def ontology_path() -> Path:
    return project_root() / "ontology" / "regiongraph.ttl"


@cache
def relation_labels(path: Path | None = None) -> RelationLabels:
    """The ontology's property labels (read once per process)."""
    store = ox.Store()
    source = path or ontology_path()
    store.load(path=str(source), format=ox.RdfFormat.TURTLE)
    rows = store.query(
        """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?p ?label WHERE {
          VALUES ?type { owl:ObjectProperty owl:DatatypeProperty rdf:Property }
          ?p a ?type ; rdfs:label ?label .
        }
        """
    )
    labels: dict[str, dict[str, str]] = {}
    for row in rows:  # type: ignore[union-attr]
        literal = row["label"]
        language = getattr(literal, "language", None) or "en"
        labels.setdefault(row["p"].value, {}).setdefault(language, literal.value)
    return RelationLabels(labels)
