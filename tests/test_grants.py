"""Amounts onto funding relations from the layout of real and written releases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BASE, ROOT
from regiongraph.build.pipeline import read_all
from regiongraph.evaluate.given import amounts_given_relations, resolved_entities
from regiongraph.extract import Extractor
from regiongraph.extract.grants import attach_amounts
from regiongraph.records import Evidence, Mention, Relation
from regiongraph.resolve.entities import ResolvedEntity
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


def read_release(tmp: Path, text: str, lang: str = "sv"):
    (tmp / "r.txt").write_text(text, encoding="utf-8")
    (tmp / "SOURCES.csv").write_text(
        f"file,source,date,publisher,language\nr.txt,unknown,2024-01-01,X,{lang}\n",
        encoding="utf-8",
    )
    return next(iter(read_all([tmp], [])))


def given_entities(
    doc, projects: set[str], others: set[str], events: frozenset[str] = frozenset()
) -> list[ResolvedEntity]:
    """Entities named by hand, a mention wherever the name is written: the layout rules
    are tested on their own, whatever the name finders make of invented names."""
    out = []
    for name in projects | others | events:
        mentions = []
        for m in re.finditer(re.escape(name), doc.body):
            s = next(s for s in doc.sentences if s.start <= m.start() < s.end)
            mentions.append(Mention(doc.release.id, s.index, m.start(), m.end(), name, "", ""))
        kind = "Project" if name in projects else "Event" if name in events else "Organisation"
        out.append(ResolvedEntity(name, name, kind, "minted", tuple(mentions)))
    return out


LAYOUTS = [
    (  # key-value blocks, one fund per block; the deciding partnership gets nothing
        "Beslut om stöd\n\nProjekt: Smart Vatten\nProjektägare: Umeå universitet\n"
        "Fond: Europeiska regionala utvecklingsfonden\nBeviljat belopp: 2,5 MSEK\n\n"
        "Projekt: Grön Norr\nProjektägare: Umeå universitet\nFond: Europeiska socialfonden\n"
        "Beviljat belopp: 1 300 tkr\n",
        {
            ("Smart Vatten", "Europeiska regionala utvecklingsfonden"): 2_500_000,
            ("Smart Vatten", "Strukturfondspartnerskapet"): None,
            ("Grön Norr", "Europeiska socialfonden"): 1_300_000,
        },
    ),
    (  # numbered list after a lead-in that names the funder; the total is nobody's
        "Följande projekt beviljas stöd av Region Västerbotten:\n\n"
        "1. Smart Vatten, Umeå universitet, 1,2 mnkr\n2. Grön Norr, Skellefteå kommun, 0,8 mnkr\n"
        "\nTotalt beviljas 2 miljoner kronor.\n",
        {
            ("Smart Vatten", "Region Västerbotten"): 1_200_000,
            ("Grön Norr", "Region Västerbotten"): 800_000,
        },
    ),
    (  # a call's total over several projects
        "Nya projekt\n\nRegion Västerbotten satsar totalt 25 miljoner kronor på projekten "
        "Smart Vatten och Grön Norr.\n",
        {("Smart Vatten", "Region Västerbotten"): None, ("Grön Norr", "Region Västerbotten"): None},
    ),
    (  # two funders, each tied to its amount by the words between
        "Nya projekt\n\nSmart Vatten får 1,2 miljoner kronor från Vinnova och "
        "Region Västerbotten går in med 400 000 kronor.\n",
        {("Smart Vatten", "Vinnova"): 1_200_000, ("Smart Vatten", "Region Västerbotten"): 400_000},
    ),
    (  # an earlier grant from someone else is not this funder's
        "Nya projekt\n\nSmart Vatten har tidigare fått 5 miljoner kronor från Vinnova. "
        "Nu beviljar Region Västerbotten projektet stöd.\n",
        {("Smart Vatten", "Region Västerbotten"): None},
    ),
    (  # one amount for each project the sentence names
        "Nya projekt\n\nSmart Vatten och Grön Norr får 500 000 kronor vardera av "
        "Region Västerbotten.\n",
        {
            ("Smart Vatten", "Region Västerbotten"): 500_000,
            ("Grön Norr", "Region Västerbotten"): 500_000,
        },
    ),
    (  # two projects, one amount, no "each": whose it is stays open
        "Nya projekt\n\nSmart Vatten och Grön Norr får 500 000 kronor av Region Västerbotten, "
        "som var först i landet.\n",
        {("Smart Vatten", "Region Västerbotten"): None, ("Grön Norr", "Region Västerbotten"): None},
    ),
    (  # the unit in the key; the budget line is no grant
        "Beslut\n\nSmart Vatten\nProjektägare: Umeå universitet\nBeviljat belopp (tkr): 2 500\n"
        "Total projektbudget (tkr): 5 000\n",
        {("Smart Vatten", "Region Västerbotten"): 2_500_000},
    ),
    (  # English Interreg approval
        "Approved\n\nThe project Smart Vatten is granted EUR 1.2 million by ERDF, with a "
        "total budget of EUR 2 million.\n",
        {("Smart Vatten", "ERDF"): 1_200_000},
    ),
]


@pytest.mark.parametrize(("text", "expected"), LAYOUTS)
def test_amounts_by_layout(tmp_path, text, expected):
    doc = read_release(tmp_path, text)
    projects = {p for p, _ in expected}
    funders = {f for _, f in expected} | ({"Vinnova"} if "Vinnova" in text else set())
    evidence = Evidence(doc.release.id, 0, "")
    relations = [Relation(p, "fundedBy", f, evidence, "test", 1.0) for p, f in expected]
    out = attach_amounts(doc, given_entities(doc, projects, funders), relations)
    got = {(r.subject, r.object): r.amount.value if r.amount else None for r in out}
    assert got == expected
