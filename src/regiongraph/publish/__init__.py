"""Linked data for partners: dumps and their description, a SPARQL endpoint with
dereferenceable IRIs, and publishing to any store that speaks the Graph Store Protocol.

- ``dumps``: ``export()`` writes TriG/N-Quads (with provenance), Turtle/N-Triples and
  JSON-LD of the de-duplicated graph, the ontology with its HTML documentation, and
  the description; contact details (schema:email, schema:telephone, and e-mail
  addresses and phone numbers inside text) are left out unless asked for.
- ``describe``: the VoID and DCAT description of the dataset (counts, licence,
  endpoint, dumps, example resources).
- ``gsp``: a SPARQL 1.1 Graph Store Protocol client that PUTs each graph.
- ``server`` / ``deref``: the read-only HTTP endpoint and the IRI pages.
"""

from __future__ import annotations

from regiongraph.publish.dumps import CONTACT_PREDICATES, export, partner_quads, redact_text

__all__ = ["CONTACT_PREDICATES", "export", "partner_quads", "redact_text"]
