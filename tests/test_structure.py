"""Document structure: list items with their lead-in, key-value blocks, sections, scopes."""

from __future__ import annotations

from pathlib import Path

from conftest import RELEASES
from regiongraph.ingest import discover, read_documents
from regiongraph.ingest.structure import document_structure, scopes


def _doc(path: Path):
    return read_documents(discover([path])[0])[0]


def _write(tmp_path: Path, text: str):
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    return _doc(path)


def test_bullets_after_a_lead_in_are_items_that_point_to_it(tmp_path):
    doc = _write(
        tmp_path,
        "Rubrik om beslut\n\nRegionen har beslutat att följande projekt beviljas stöd:\n"
        "• Första projektet (Företaget AB), 100 000 kr\n"
        "• Andra projektet (Kommunen), 200 000 kr\n\nEn avslutande mening här.\n",
    )
    blocks = document_structure(doc).blocks
    items = [b for b in blocks if b.kind == "list_item"]
    assert [b.position for b in items] == [0, 1]
    lead = blocks[items[0].lead_in]
    assert lead.text.endswith("stöd:")
    item_scopes = [s for s in scopes(document_structure(doc)) if s.kind == "list_item"]
    assert all(s.lead_in in lead.sentences for s in item_scopes)
    assert blocks[-1].kind == "paragraph"


def test_a_broken_line_extends_its_item_and_never_joins_two_items(tmp_path):
    doc = _write(
        tmp_path,
        "Dessa ingår:\n• Ett långt projektnamn som\nfortsätter på nästa rad\n• Nästa projekt\n",
    )
    items = [b for b in document_structure(doc).blocks if b.kind == "list_item"]
    assert len(items) == 2
    assert items[0].text.endswith("nästa rad")
    assert items[1].text == "• Nästa projekt"


def test_key_value_blocks_per_project_in_a_real_grant_release():
    doc = _doc(RELEASES / "dev2-066.txt")
    structure = document_structure(doc)
    keys = [b.key for b in structure.blocks if b.kind == "key_value"]
    assert keys.count("sökande") >= 8
    kv = [s for s in scopes(structure) if s.kind == "key_value_block"]
    # each block takes the line before it, the project's name
    first = min(kv, key=lambda s: min(s.sentences))
    names = [doc.sentences[i].text for i in sorted(first.sentences)]
    assert names[1].startswith("Sökande:") and not names[0].startswith("Sökande")


def test_quotes_with_a_dash_are_not_list_items():
    doc = _doc(RELEASES / "dev-071.txt")
    blocks = document_structure(doc).blocks
    dashes = [b for b in blocks if b.text.startswith("–")]
    assert dashes and all(b.kind == "quote" for b in dashes)
    unmarked = [b for b in blocks if b.text.endswith("är:")]
    assert unmarked and unmarked[0].kind == "paragraph"
