"""Extraction rules on small inline releases: one hard case per test.

The names here are invented on purpose: the rules must find them by the way Swedish
releases write, not because any list knows them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT
from regiongraph import ingest
from regiongraph.extract import Extractor
from regiongraph.records import Extraction
from regiongraph.resolve.curation import Curation

BASE = "https://w3id.org/regiongraph/id"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_data_dir(ROOT / "data")


@pytest.fixture
def extract(extractor, tmp_path):
    def run(text: str, name: str = "release.txt", ex: Extractor | None = None) -> Extraction:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        (doc,) = ingest.read_documents(ingest.discover([path])[0])
        return (ex or extractor).extract(doc)

    return run


def entity(x: Extraction, label: str):
    found = [e for e in x.entities if e.label == label]
    assert found, f"no entity {label!r} in {[e.label for e in x.entities]}"
    return found[0]


def facts(x: Extraction) -> set[tuple[str, str, str]]:
    labels = {e.iri: e.label for e in x.entities}
    return {(labels[r.subject], r.predicate, labels[r.object]) for r in x.relations}


def test_genitive_resolves_to_region(extract):
    x = extract(
        "Nyheter 2024-03-01\n\nRegion Västerbottens satsning på batterier växer\n\n"
        "Region Västerbotten och Skellefteå kommun har länge arbetat tillsammans. "
        "Västerbottens näringsliv väntar sig mycket av satsningen.\n"
    )
    region = entity(x, "Region Västerbotten")
    assert region.iri == f"{BASE}/region/se-vasterbotten"
    assert {"Region Västerbottens", "Region Västerbotten"} <= set(region.mentions)
    assert len([e for e in x.entities if e.type == "Region"]) == 1


def test_acronym_definition_joins_long_name_and_acronym(extract):
    x = extract(
        "Projektet Grön Omställning Norrbotten (GON) startar i höst.\n\n"
        "GON:s styrgrupp träffas första gången i oktober. Inom GON samarbetar flera aktörer.\n"
    )
    project = entity(x, "Grön Omställning Norrbotten")
    assert project.type == "Project"
    assert "GON" in project.mentions
    assert not [e for e in x.entities if e.label == "GON"]


def test_enumeration_yields_every_member(extract):
    x = extract(
        "Nytt forum för industrin\n\n"
        "Representanter från Teknikföretagen, fackförbunden IF Metall och Unionen samt "
        "Region Kronoberg deltar i projektet Industrilyftet Småland.\n"
    )
    members = {s for s, p, o in facts(x) if p == "participatesIn" and o == "Industrilyftet Småland"}
    assert members == {"Teknikföretagen", "IF Metall", "Unionen", "Region Kronoberg"}


def test_grant_list_gives_owner_funder_and_amount(extract):
    x = extract(
        "Pressmeddelande\n\nMiljoner till utveckling i Norrbotten\n\n"
        "Regionala utvecklingsnämnden i Region Norrbotten beslutade idag att bevilja "
        "5 miljoner kronor till tre projekt.\n\n"
        "De beviljade projekten är:\n\n"
        "1. Digital mognad i glesbygd DMG\n"
        "Projektägare Kiruna kommun beviljas 1 250 000 kr\n\n"
        "Projektet ska stärka små företag. Projektperiod: 2024-01-01 - 2025-12-31\n"
    )
    project = entity(x, "Digital mognad i glesbygd")
    assert "DMG" in project.mentions
    assert (project.start, project.end) == ("2024-01-01", "2025-12-31")
    assert ("Kiruna kommun", "leads", project.label) in facts(x)
    funding = [r for r in x.relations if r.predicate == "fundedBy" and r.subject == project.iri]
    assert [r.object for r in funding] == [f"{BASE}/region/se-norrbotten"]
    assert (funding[0].amount.value, funding[0].amount.currency) == (1250000, "SEK")


def test_person_with_post_and_organisation(extract):
    x = extract(
        "Ny forskning om skog\n\n"
        "– Vi ser stora möjligheter, säger Tova Lindqvist, projektledare vid Luleå tekniska "
        "universitet.\n"
    )
    person = entity(x, "Tova Lindqvist")
    assert person.type == "Person"
    affiliation = [r for r in x.relations if r.subject == person.iri]
    assert [(r.predicate, r.role) for r in affiliation] == [("affiliatedWith", "projektledare")]
    assert entity(x, "Luleå tekniska universitet").iri == affiliation[0].object


def test_contact_block_email_and_phone_stay_with_the_person(extract):
    x = extract(
        "Ny satsning i Jämtland\n\nRegion Jämtland Härjedalen startar ett nätverk.\n\n"
        "För mer information:\n"
        "Oskar Nyberg\nStrateg, Region Jämtland Härjedalen\n"
        "070-123 45 67, oskar.nyberg@regionjh.se\n"
    )
    person = entity(x, "Oskar Nyberg")
    assert person.email == ("oskar.nyberg@regionjh.se",)
    assert person.phone == ("070-123 45 67",)
    assert ("Oskar Nyberg", "affiliatedWith", "Region Jämtland Härjedalen") in facts(x)


def test_name_the_reference_data_does_not_know(extract):
    x = extract(
        "Vätgas i Norr\n\nFöretaget Kvarnbo Energi bygger en anläggning i Piteå. "
        "Bygget leds av Kvarnbo Energi tillsammans med Piteå kommun.\n"
    )
    company = entity(x, "Kvarnbo Energi")
    assert company.type == "Company"
    assert company.source == "minted"
    assert company.iri == f"{BASE}/org/kvarnbo-energi"


def test_funding_cue_links_project_to_programme(extract):
    x = extract(
        "Gränslöst samarbete\n\n"
        "Projektet Arktisk Logistik är ett Interreg Aurora-projekt som finansieras av "
        "Europeiska regionala utvecklingsfonden.\n"
    )
    assert ("Arktisk Logistik", "fundedBy", "Interreg Aurora") in facts(x)
    assert any(
        p == "fundedBy" and o == "Europeiska regionala utvecklingsfonden" for _, p, o in facts(x)
    )


def test_boilerplate_blocks_produce_no_facts(extract):
    x = extract(
        "Nyheter 2023-05-02\n\nKonferens om kompetens\n\n"
        "Region Dalarna bjuder in till en konferens om kompetens.\n\n"
        "Relaterade nyheter\n\n"
        "Nytt samarbete mellan Umeå kommun och Umeå universitet\n\n"
        "3 maj 2023\n\nUmeå kommun och Umeå universitet tecknar avtal om samverkan...\n"
    )
    labels = {e.label for e in x.entities}
    assert "Region Dalarna" in labels
    assert "Umeå kommun" not in labels and "Umeå universitet" not in labels


def test_every_relation_carries_evidence_rule_and_confidence(extract):
    x = extract(
        "Projekt i Kalmar\n\nProjektet Kustnära Turism leds av Kalmar kommun och "
        "finansieras av Tillväxtverket.\n"
    )
    assert x.relations
    for r in x.relations:
        assert r.evidence.text in x.document.body
        assert r.rule_id.endswith(".v1")
        assert 0 < r.confidence <= 1


def test_curation_rejects_merges_and_aliases(extractor, extract):
    text = (
        "Samarbete i Sörmland\n\nFöretaget Lindholm Design samarbetar med Region Sörmland. "
        "Företaget Ekbacka Bygg deltar också, liksom bolaget Norrfors Trä och "
        "företaget Tallvik Media.\n"
    )
    plain = extract(text)
    names = {"Lindholm Design", "Ekbacka Bygg", "Norrfors Trä", "Tallvik Media"}
    assert names <= {e.label for e in plain.entities}
    curation = Curation(
        aliases=(("Norrfors Trä", "Region Sörmland"),),
        merges=(("Tallvik Media", "Ekbacka Bygg"),),
        rejects=frozenset({"lindholm design"}),
    )
    curated = replace(extractor, lexicon=replace(extractor.lexicon, curation=curation))
    x = extract(text, ex=curated)
    labels = {e.label for e in x.entities}
    assert "Lindholm Design" not in labels  # rejected
    merged = [e for e in x.entities if "Ekbacka Bygg" in e.mentions]
    assert merged and merged[0].iri == entity(x, "Tallvik Media").iri  # merged
    sormland = entity(x, "Region Sörmland")
    assert "Norrfors Trä" in sormland.mentions  # alias to a reference actor


def test_same_text_gives_same_iris_in_any_release(extract):
    text = "Projektet Skogens Värde\n\nProjektet Skogens Värde drivs av Holmen.\n"
    a = extract(text, name="a.txt")
    b = extract(text, name="b.txt")
    assert {e.iri for e in a.entities} == {e.iri for e in b.entities}


def test_rule_files_are_checked_on_load(tmp_path: Path):
    from regiongraph.extract.resources import RuleError, load_cues

    bad = tmp_path / "cues.yaml"
    bad.write_text("funding:\n  - {id: rel.bad.v1, cue: '(unclosed'}\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"rel\.bad\.v1"):
        load_cues(bad)


def test_active_voice_grant_names_the_funder_before_the_verb(extract):
    x = extract(
        "Miljoner till industrin\n\nRegion Jämtland Härjedalen har beviljat 3,2 miljoner kronor "
        "till projektet Verkstadslyftet Mitt. Projektet drivs av Mittuniversitetet.\n"
    )
    funding = [r for r in x.relations if r.predicate == "fundedBy"]
    assert [(r.object, r.amount.value, r.amount.currency) for r in funding] == [
        (f"{BASE}/region/se-jamtland", 3200000, "SEK")
    ]
    assert ("Mittuniversitetet", "leads", "Verkstadslyftet Mitt") in facts(x)


def test_agreement_between_two_parties_is_collaboration(extract):
    x = extract(
        "Samarbete över gränsen\n\nLuleå kommun och Lapin liitto har tecknat en "
        "avsiktsförklaring om vätgas.\n"
    )
    assert ("Luleå kommun", "collaboratesWith", "Lappi") in facts(x)


def test_programme_compound_introduces_the_project(extract):
    x = extract(
        "Nytt gränsprojekt\n\nSamarbetet är en del av Interreg Aurora-projektet Arktisk Vätgas "
        "som leds av RISE och finansieras med 1,4 miljoner euro.\n"
    )
    project = entity(x, "Arktisk Vätgas")
    assert project.type == "Project"
    funding = [r for r in x.relations if r.predicate == "fundedBy"]
    assert [
        entity_label
        for entity_label in (e.label for e in x.entities if e.iri in {r.object for r in funding})
    ] == ["Interreg Aurora"]
    assert (funding[0].amount.value, funding[0].amount.currency) == (1400000, "EUR")


def _regex_occurrences(text: str, forms: set[str]) -> list[tuple[int, int]]:
    """What find_propagated matched with a regex compiled per document before."""
    import re

    alternation = "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))
    regex = re.compile(rf"(?<![\w\-])({alternation})(?:s|:s)?(?![\w])")
    return [(m.start(1), m.end(1)) for m in regex.finditer(text)]


@pytest.mark.parametrize(
    ("text", "forms", "expected"),
    [
        ("Norrsken AB:s styrelse och Norrsken", {"Norrsken AB", "Norrsken"}, [(0, 11), (27, 35)]),
        ("EU-Norrsken, Norrskens, Norrskenet", {"Norrsken"}, [(13, 21)]),
        ("ABC ABCD ABCs", {"ABC", "ABCD"}, [(0, 3), (4, 8), (9, 12)]),
        ("Alfa Beta Gamma", {"Alfa Beta", "Beta Gamma"}, [(0, 9)]),
    ],
)
def test_whole_word_occurrences(text, forms, expected):
    from regiongraph.extract.mentions import whole_word_occurrences

    assert whole_word_occurrences(text, forms) == expected == _regex_occurrences(text, forms)


def test_whole_word_occurrences_agree_with_the_regex_on_real_releases():
    import random
    import re

    from regiongraph.extract.mentions import whole_word_occurrences

    rnd = random.Random(3)
    checked = 0
    for path in sorted((ROOT / "data" / "releases").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        words = re.findall(r"\w[\w\-]*(?: \w+)?", text)
        for _ in range(5):
            forms = set(rnd.sample(words, min(len(words), 12)))
            forms |= {f[: rnd.randint(1, len(f))] for f in sorted(forms)[:3]}  # prefixes
            for line in text.split("\n"):
                assert whole_word_occurrences(line, forms) == _regex_occurrences(line, forms)
                checked += 1
    assert checked > 1000
