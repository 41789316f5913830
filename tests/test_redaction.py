"""Contact details inside text are redacted in everything published for partners, and
numbers that are not contact details (years, dates, amounts, postcodes, organisation
numbers) are kept: ``redact_text`` on its own, then every export format and the Graph
Store Protocol publication to a real Oxigraph server."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from regiongraph.graph.store import GraphStore
from regiongraph.publish.dumps import REDACTED, export, redact_text
from regiongraph.publish.gsp import GraphStoreClient, publish
from regiongraph.vocab import IriMinter

BASE = "https://w3id.org/regiongraph"

CONTACTS = [
    "090 16 10 00",
    "08 123 45 67",
    "0046 90 16 10 00",
    "+46 (0)90-16 10 00",
    "+46 (0) 70 123 45 67",
    "090/16 10 00",
    "(090) 16 10 00",
    "070-123 45 67",
    "070–123 45 67",
    "0701234567",
    "+46701234567",
    "08-123 456 78",
    "0771-123 456",
    "0046-70-123 45 67",
    "+358 40 685 4018",
    "+47 22 33 44 55",
    "lena.holm(at)umu.se",
    "erik.lind [at] gamma.se",
    "info {at} region.se",
    "per(a)firma.se",
    "anna dot berg at lnu dot se",
    "name at domain.se",
    "lena.holm@umu.se",
]
CUED = ["tel 123 45 67", "Tfn: 90 16 10 00", "mobil 70 123 45 67"]
KEPT = [
    "Projektet får 2 500 000 kronor under 2024-2026.",
    "Totalt 1 200 miljoner kronor.",
    "Budgeten är 12 050 000 000 kronor.",
    "Stina fick 2 491 478 kr 2020-2023.",
    "Startar 2024-01-01 och slutar 2025-12-31, den 07/05 2024 är det möte.",
    "Adress: Box 123, SE-901 87 Umeå.",
    "Organisationsnummer 556123-4567, org.nr 202100-4888.",
    "Kl. 08.30–16.00 den 12 maj, kl 09:00, 01.02.2024.",
    "Ökningen var 0,5 procent för barn 0-5 år.",
    "Read more at region.se or at www.region.se.",
    "Version 0.1.0 of release 001-a1d85f591ea8fabd.",
]


@pytest.mark.parametrize("contact", CONTACTS)
def test_redaction_covers_phone_and_email_forms(contact):
    text = f"Kontakta oss på {contact} om du har frågor."
    assert redact_text(text) == f"Kontakta oss på {REDACTED} om du har frågor."


@pytest.mark.parametrize("cued", CUED)
def test_after_a_cue_word_local_numbers_are_redacted(cued):
    redacted = redact_text(f"Frågor? {cued}.")
    assert redacted.endswith(f"{REDACTED}.") and not any(c.isdigit() for c in redacted)


@pytest.mark.parametrize("text", KEPT)
def test_redaction_keeps_numbers_that_are_not_contact_details(text):
    assert redact_text(text) == text


def test_a_number_followed_by_a_year_loses_only_the_number():
    text = "Ring 070-123 45 67 2024 eller skriv."
    assert redact_text(text) == f"Ring {REDACTED} 2024 eller skriv."


# -- every export format and the Graph Store Protocol ------------------------------------

SENTENCE = " ".join(f"Kontakt {i}: {c}." for i, c in enumerate(CONTACTS + CUED)) + " ".join(KEPT)
GRAPH = f"{BASE}/graph/release/contact-test"


@pytest.fixture(scope="module")
def contact_store() -> GraphStore:
    store = GraphStore(minter=IriMinter(BASE))
    sentence = ox.NamedNode(f"{BASE}/id/sentence/contact-test-0")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    triples = [
        ox.Triple(sentence, label, ox.Literal(SENTENCE, language="sv")),
        ox.Triple(sentence, ox.NamedNode("https://schema.org/text"), ox.Literal(SENTENCE)),
    ]
    store.replace_graph(GRAPH, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    return store


def assert_redacted(texts: list[str], where: str) -> None:
    sentences = [t for t in texts if t.startswith("Kontakt 0:")]
    assert len(sentences) == 2, where
    for text in sentences:
        for contact in CONTACTS + CUED:
            assert contact not in text, (contact, where)
        assert text.count(REDACTED) == len(CONTACTS) + len(CUED), where
        for kept in KEPT:
            assert kept in text, (kept, where)


def test_every_export_format_is_redacted(contact_store, tmp_path):
    export(contact_store, tmp_path)
    for name, fmt in (
        ("regiongraph.trig", "trig"),
        ("regiongraph.nq", "nquads"),
        ("regiongraph.ttl", "turtle"),
        ("regiongraph.nt", "nt"),
        ("regiongraph.jsonld", "json-ld"),
    ):
        graph = Dataset() if fmt in ("trig", "nquads") else Graph()
        graph.parse(tmp_path / name, format=fmt)
        texts = [str(q[2]) for q in graph.quads()] if fmt in ("trig", "nquads") else None
        assert_redacted(texts or [str(o) for o in graph.objects()], name)


def test_graph_store_publication_is_redacted(contact_store, oxigraph_server):
    client = GraphStoreClient(oxigraph_server + "/store")
    publish(contact_store, client)
    for graph in (GRAPH, None):
        texts = [t.object.value for t in client.get(graph) if isinstance(t.object, ox.Literal)]
        assert_redacted(texts, graph or "default graph")
