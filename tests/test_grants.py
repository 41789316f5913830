"""Amounts onto funding relations from the layout of real and written releases."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BASE, ROOT
from regiongraph.build.pipeline import read_all
from regiongraph.evaluate.given import amounts_given_relations, resolved_entities
from regiongraph.extract import Extractor
from regiongraph.extract.grants import attach_amounts
from regiongraph.records import Evidence, Relation
from regiongraph.vocab import IriMinter

GOLD = ROOT / "data" / "gold"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_data_dir(ROOT / "data", IriMinter(BASE))


def amounts_for(
    extractor: Extractor, tmp: Path, text: str, grants: list[tuple[str, str]], lang: str = "sv"
) -> dict[tuple[str, str], tuple[float, str] | None]:
    """Read ``text`` as a release and attach amounts to the fundedBy relations
    (project label, funder label) ``grants`` names."""
    (tmp / "r.txt").write_text(text, encoding="utf-8")
    (tmp / "SOURCES.csv").write_text(
        f"file,source,date,publisher,language\nr.txt,unknown,2024-01-01,X,{lang}\n",
        encoding="utf-8",
    )
    doc = next(iter(read_all([tmp], [])))
    extraction = extractor.extract(doc)
    iri = {e.label: e.iri for e in extraction.entities}
    relations = [
        Relation(iri[p], "fundedBy", iri[f], Evidence(doc.release.id, 0, ""), "test", 1.0)
        for p, f in grants
    ]
    out = attach_amounts(doc, resolved_entities(doc, extraction), relations)
    return {
        g: (r.amount.value, r.amount.currency) if r.amount else None
        for g, r in zip(grants, out, strict=True)
    }


def test_amounts_given_the_relation_on_bundled_gold():
    """Every gold fundedBy relation the extractor could state gets its amount, and no
    relation gets a wrong one (a wrong amount costs more than a missing one)."""
    prf = amounts_given_relations(GOLD, ROOT / "data" / "releases", ROOT / "data")
    assert prf.fp == 0
    assert prf.recall >= 0.75, prf


def test_call_total_is_no_project_grant(extractor, tmp_path):
    text = (
        "Pengar till regional utveckling\n\n"
        "Region Västerbotten fördelar totalt 25 miljoner kronor till åtta projekt. "
        "Ett av dem är projektet Grön Framtid Norr.\n"
    )
    found = amounts_for(extractor, tmp_path, text, [("Grön Framtid Norr", "Region Västerbotten")])
    assert found == {("Grön Framtid Norr", "Region Västerbotten"): None}


def test_key_value_block_and_its_fund_line(extractor, tmp_path):
    text = (
        "Beslut om stöd\n\n"
        "Region Västerbotten har beslutat om stöd till ett projekt.\n\n"
        "Smart Vatten Västerbotten\n"
        "Projektägare: Umeå universitet\n"
        "Fond: Europeiska regionala utvecklingsfonden\n"
        "Beviljat belopp: 2 500 000 kr\n"
    )
    project = "Smart Vatten Västerbotten"
    fund, decider = "Europeiska regionala utvecklingsfonden", "Region Västerbotten"
    found = amounts_for(extractor, tmp_path, text, [(project, fund), (project, decider)])
    assert found[(project, fund)] == (2_500_000, "SEK")
    assert found[(project, decider)] is None  # the fund pays, not the deciding region


def test_share_not_budget_in_a_later_sentence(extractor, tmp_path):
    text = (
        "Stöd till digitalisering\n\n"
        "I projektet Smart Vatten Västerbotten vill Umeå universitet utveckla mätning.\n"
        "Den totala budgeten är 4,3 miljoner kronor. "
        "Region Västerbotten bidrar med 180 000 kronor.\n"
    )
    grant = ("Smart Vatten Västerbotten", "Region Västerbotten")
    assert amounts_for(extractor, tmp_path, text, [grant]) == {grant: (180_000, "SEK")}


def test_norwegian_kroner_and_the_funder_named_after_the_amount(extractor, tmp_path):
    text = (
        "Penger til Interreg-prosjekter\n\n"
        "Trysil kommune får 2 millioner kroner fra Region Värmland "
        "for prosjektet «Grønn Grense».\n"
    )
    grant = ("Grønn Grense", "Region Värmland")
    found = amounts_for(extractor, tmp_path, text, [grant], lang="no")
    assert found == {grant: (2_000_000, "NOK")}
