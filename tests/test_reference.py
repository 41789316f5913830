"""Reference data, its gazetteer and its RDF, on the real files in data/reference."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from regiongraph.graph.reference import build_reference_graph, curated_dataset
from regiongraph.resolve.names import acronym_of, fold, normalise, strip_genitive
from regiongraph.resolve.reference import (
    ReferenceData,
    ReferenceDataError,
    ReferenceEntry,
    load_reference,
    surface_forms,
)
from regiongraph.vocab import RG, IriMinter

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REFERENCE = DATA / "reference"
SHAPES = ROOT / "ontology" / "shapes.ttl"


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return load_reference(DATA)


@pytest.fixture(scope="module")
def graph(ref):
    return build_reference_graph(ref, IriMinter())


def _count_rows(name: str, skip_code: str | None = None) -> int:
    with (REFERENCE / name).open(encoding="utf-8") as fh:
        return sum(1 for row in csv.DictReader(fh) if next(iter(row.values())) != skip_code)


# --- names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  ”Region  Västerbotten”, ", "Region Västerbotten"),
        ("(ERUF)", "ERUF"),
        ("Interreg Öresund-Kattegat-Skagerrak (ÖKS)", "Interreg Öresund-Kattegat-Skagerrak (ÖKS)"),
        ("ESF+", "ESF+"),
        ("Linne\u0301universitetet", "Linnéuniversitetet"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_fold_ignores_case_and_dash_variants():
    assert fold("Skellefteå Kommun") == fold("skellefteå kommun")
    assert fold("Interreg Sverige–Norge") == fold("Interreg Sverige-Norge")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Västerbottens", "Västerbotten"),
        ("IF Metalls", "IF Metall"),
        ("BRK:s", "BRK"),
        ("BTH:s", "BTH"),
        ("LO:s", "LO"),
        ("Region Västerbottens", "Region Västerbotten"),
        ("Weiss", None),
        ("ABs", None),
        ("Umeå", None),
    ],
)
def test_strip_genitive(name, expected):
    assert strip_genitive(name) == expected


def test_acronym_of():
    assert acronym_of("Business Region Kronoberg") == "BRK"
    assert acronym_of("Sveriges Kommuner och Regioner") == "SKR"
    assert acronym_of("Interreg Öresund-Kattegat-Skagerrak") == "IÖKS"
    assert acronym_of("regionala utvecklingsnämnden") == ""


# --- loading -------------------------------------------------------------------------


def test_counts_match_the_files(ref):
    assert len(ref.of_type("Municipality")) == _count_rows("se_municipalities.csv") == 290
    swedish = [e for e in ref.of_type("Region") if e.country == "SE"]
    finnish = [e for e in ref.of_type("Region") if e.country == "FI"]
    assert len(swedish) == _count_rows("se_counties.csv") == 21
    assert len(finnish) == _count_rows("fi_regions.csv", skip_code="99") == 19
    boards = [e for e in ref if e.key.startswith("lansstyrelsen-")]
    assert len(boards) == 21
    assert len({e.key for e in ref}) == len(ref.entries)


def test_every_curated_entry_is_well_formed(ref):
    for e in ref:
        assert e.kind in {"region", "municipality", "org", "programme", "place"}
        assert surface_forms(e), e.key
        if e.type == "FundingProgramme":
            assert e.kind == "programme"
        assert e.label == normalise(e.label)


def test_skelleftea(ref):
    e = ref.by_key("skelleftea")
    assert e.label == "Skellefteå kommun"
    assert e.codes.municipality_code == "2482"
    assert e.in_region == "se-vasterbotten"
    region = ref.by_key(e.in_region)
    assert region.label == "Region Västerbotten"
    assert region.codes.county_code == "24"
    assert region.codes.nuts_code == "SE331"


def test_gotland_policy(ref):
    assert ref.lookup("Region Gotland").key == "se-gotland"
    assert ref.lookup("Gotland").key == "se-gotland"
    municipality = ref.by_key("gotland")
    assert municipality.codes.municipality_code == "0980"
    assert municipality.in_region == "se-gotland"
    assert "Gotland" not in surface_forms(municipality)


def test_slug_clash_of_habo_and_habo(ref):
    assert ref.lookup("Håbo").key == "habo-0305"
    assert ref.lookup("Habo").key == "habo-0643"


@pytest.mark.parametrize(
    ("surface", "key"),
    [
        ("Region Västerbottens", "se-vasterbotten"),
        ("Västerbotten", "se-vasterbotten"),
        ("Västerbottens", "se-vasterbotten"),
        ("Västerbottens län", "se-vasterbotten"),
        ("Skellefteå", "skelleftea"),
        ("Skellefteå Kommun", "skelleftea"),
        ("Skellefteås", "skelleftea"),
        ("Storumans kommun", "storuman"),
        ("Boden kommun", "boden"),
        ("Stockholms stad", "stockholm"),
        ("Uppsala", "uppsala"),
        ("Uppsala län", "se-uppsala"),
        ("Region Örebro", "se-orebro"),
        ("Jämtland-Härjedalen", "se-jamtland"),
        ("Norra Österbottens Förbund", "fi-pohjois-pohjanmaa"),
        ("Pohjois-Pohjanmaan liitto", "fi-pohjois-pohjanmaa"),
        ("Österbottens förbund", "fi-pohjanmaa"),
        ("Lapin liitto", "fi-lappi"),
        ("Varsinais-Suomen liitto", "fi-varsinais-suomi"),
        ("ERUF", "europeiska-regionala-utvecklingsfonden"),
        ("Europeiska regionala utvecklingsfonden", "europeiska-regionala-utvecklingsfonden"),
        ("ESF+", "europeiska-socialfonden-plus"),
        ("ESF", "europeiska-socialfonden"),
        ("Tillväxtverket", "tillvaxtverket"),
        ("IF Metalls", "if-metall"),
        ("Linnéuniversitetet", "linneuniversitetet"),
        ("BTH:s", "blekinge-tekniska-hogskola"),
        ("Finska arbets- och näringsministeriet", "arbets-och-naringsministeriet"),
        ("Länsstyrelsen Västerbotten", "lansstyrelsen-vasterbotten"),
        ("Länsstyrelsen i Västerbottens län", "lansstyrelsen-vasterbotten"),
        ("Interreg Sverige–Norge", "interreg-sverige-norge"),
        ("Vision", "vision"),
    ],
)
def test_lookup(ref, surface, key):
    found = ref.lookup(surface)
    assert found is not None, surface
    assert found.key == key


@pytest.mark.parametrize(
    "surface", ["vision", "kommunal", "regeringen", "Lappland", "Borå", "Region", ""]
)
def test_lookup_refuses(ref, surface):
    assert ref.lookup(surface) is None


def test_ambiguous_entries_are_marked(ref):
    assert ref.by_key("vision").ambiguous
    assert "Kommunal" in ref.by_key("kommunal").case_sensitive_aliases
    assert not ref.by_key("if-metall").ambiguous


# --- the gazetteer -------------------------------------------------------------------


def _spans(ref, text):
    return [(m.surface, m.entry.key) for m in ref.find_all(text)]


def test_find_all_on_a_release_sentence(ref):
    release = (DATA / "releases" / "003_7cf70bc74400741d.txt").read_text(encoding="utf-8")
    sentence = (
        "Under två års tid har Region Västerbotten, Skellefteå Kommun, Norra Österbottens "
        "Förbund och den finska utbildningssamordnaren OSAO arbetat tillsammans i Interreg "
        "Nord projektet Battery Region."
    )
    assert sentence in release
    matches = ref.find_all(sentence)
    assert [(m.surface, m.entry.key) for m in matches] == [
        ("Region Västerbotten", "se-vasterbotten"),
        ("Skellefteå Kommun", "skelleftea"),
        ("Norra Österbottens Förbund", "fi-pohjois-pohjanmaa"),
        ("Interreg Nord", "interreg-nord"),
    ]
    for m in matches:
        assert sentence[m.start : m.end] == m.surface


def test_find_all_word_boundaries(ref):
    assert _spans(ref, "Arbetsgivare i Umeåregionen") == []
    assert _spans(ref, "Skellefteås styrka") == [("Skellefteås", "skelleftea")]
    assert _spans(ref, "BTH:s forskare") == [("BTH:s", "blekinge-tekniska-hogskola")]
    assert _spans(ref, "ett Interreg Nord-projekt") == [("Interreg Nord", "interreg-nord")]
    assert _spans(ref, "läs på www.vinnova.se eller mejla a@tillvaxtverket.se") == []


def test_find_all_keeps_offsets_of_unnormalised_text(ref):
    text = "Hos Linne\u0301universitetet  och\nRegion   Västerbotten."
    got = ref.find_all(text)
    assert [m.entry.key for m in got] == ["linneuniversitetet", "se-vasterbotten"]
    assert [text[m.start : m.end] for m in got] == [m.surface for m in got]
    assert got[1].surface == "Region   Västerbotten"
    assert _spans(ref, "Region\n\nVästerbotten") == [("Västerbotten", "se-vasterbotten")]


def test_common_words_need_capitals_and_cues(ref):
    assert _spans(ref, "Regionens vision är tydlig.") == []
    assert _spans(ref, "Vision 2030 antogs i år.") == []
    assert _spans(ref, "Kommunal vuxenutbildning startar.") == []
    assert _spans(ref, "Facket Vision välkomnar beslutet.") == [("Vision", "vision")]
    assert _spans(ref, "Fackförbundet Vision") == [("Fackförbundet Vision", "vision")]
    assert _spans(ref, "IF Metall, Kommunal och Vision skrev under.") == [
        ("IF Metall", "if-metall"),
        ("Kommunal", "kommunal"),
        ("Vision", "vision"),
    ]
    assert _spans(ref, "Handelsanställdas förbund (Handels) och Unionen") == [
        ("Handelsanställdas förbund", "handels"),
        ("Handels", "handels"),
        ("Unionen", "unionen"),
    ]
    assert _spans(ref, "inom unionen") == []
    assert _spans(ref, "Regeringen beslutade; regeringen") == [("Regeringen", "regeringen")]


def test_person_like_municipality_names(ref):
    assert _spans(ref, "Anna Berg talade.") == []
    assert _spans(ref, "Mark Johnson talade.") == []
    assert _spans(ref, "I Mark finns en fabrik.") == [("Mark", "mark")]
    assert _spans(ref, "Projektet drivs i Berg och Lund.") == [
        ("Berg", "berg"),
        ("Lund", "lund"),
    ]
    assert _spans(ref, "Lunds universitet") == [("Lunds universitet", "lunds-universitet")]


# --- malformed files -----------------------------------------------------------------


def _copy_reference(tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE, target)
    return target


def _append(path: Path, line: str) -> int:
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("bad-row,GovernmentAgency,Only three", "expected 7 columns"),
        ("new-thing,Spaceship,New Thing,,SE,sv,", "unknown type 'Spaceship'"),
        ("tillvaxtverket,GovernmentAgency,Tillväxtverket 2,,SE,sv,", "duplicate key"),
        ("fresh-key,GovernmentAgency,Fresh,,Sweden,sv,", "country"),
    ],
)
def test_malformed_organisation_row(tmp_path, row, message):
    ref_dir = _copy_reference(tmp_path)
    path = ref_dir / "organisations.csv"
    line = _append(path, row)
    with pytest.raises(ReferenceDataError) as err:
        load_reference(tmp_path)
    assert str(path) in str(err.value)
    assert f"line {line}" in str(err.value)
    assert message in str(err.value)


def test_malformed_municipality_row(tmp_path):
    ref_dir = _copy_reference(tmp_path)
    path = ref_dir / "se_municipalities.csv"
    line = _append(path, "9999,Ingenstans kommun,Ingenstans")
    with pytest.raises(ReferenceDataError, match=rf"se_municipalities.csv: line {line}: "):
        load_reference(ref_dir)


def test_a_name_claimed_twice_is_an_error(tmp_path):
    ref_dir = _copy_reference(tmp_path)
    path = ref_dir / "organisations.csv"
    line = _append(path, "another-fund,FundingProgramme,Annan fond,ERUF,EU,sv,")
    with pytest.raises(ReferenceDataError) as err:
        load_reference(ref_dir)
    assert "'ERUF'" in str(err.value)
    assert f"organisations.csv: line {line}" in str(err.value)


def test_entries_without_files():
    data = ReferenceData((ReferenceEntry(key="x", type="Organisation", label="Xorg"),))
    assert data.lookup("xorg").key == "x"
    assert data.find_all("Hos Xorg.")[0].surface == "Xorg"
    with pytest.raises(KeyError):
        data.by_key("y")


# --- the reference graph -------------------------------------------------------------


def test_reference_graph_counts(ref, graph):
    assert len(set(graph.subjects(RDF.type, RG.Municipality))) == 290
    assert len(set(graph.subjects(RDF.type, RG.Region))) == 40
    assert len(set(graph.subjects(RDF.type, None))) == len(ref.entries)
    assert len(set(graph.subjects(RG.inRegion, None))) == 290
    for entry_type in (
        "TradeUnion",
        "GovernmentAgency",
        "FundingProgramme",
        "University",
        "EmployerOrganisation",
        "ResearchInstitute",
        "Organisation",
    ):
        assert len(set(graph.subjects(RDF.type, getattr(RG, entry_type)))) == len(
            ref.of_type(entry_type)
        )


def test_reference_graph_skelleftea(graph):
    base = "https://w3id.org/regiongraph/id/"
    s = URIRef(base + "municipality/skelleftea")
    region = URIRef(base + "region/se-vasterbotten")
    assert (s, RDF.type, RG.Municipality) in graph
    assert (s, RDFS.label, Literal("Skellefteå kommun", lang="sv")) in graph
    assert (s, SKOS.prefLabel, Literal("Skellefteå kommun", lang="sv")) in graph
    assert (s, SKOS.altLabel, Literal("Skellefteå", lang="sv")) in graph
    assert (s, RG.municipalityCode, Literal("2482")) in graph
    assert (s, RG.countyCode, Literal("24")) in graph
    assert (s, RG.countryCode, Literal("SE")) in graph
    assert (s, RG.inRegion, region) in graph
    assert (s, DCTERMS.source, URIRef("https://github.com/sjbrg/swedish-geodata")) in graph
    assert (region, RDF.type, RG.Region) in graph
    assert (region, RG.nutsCode, Literal("SE331")) in graph
    assert (region, SKOS.altLabel, Literal("Västerbottens län", lang="sv")) in graph
    fi = URIRef(base + "region/fi-pohjois-pohjanmaa")
    assert (fi, RDFS.label, Literal("Pohjois-Pohjanmaa", lang="fi")) in graph
    assert (fi, SKOS.altLabel, Literal("North Ostrobothnia", lang="en")) in graph
    assert (fi, RG.finnishRegionCode, Literal("17")) in graph
    eruf = URIRef(base + "programme/europeiska-regionala-utvecklingsfonden")
    assert (eruf, RDF.type, RG.FundingProgramme) in graph
    assert (eruf, DCTERMS.source, curated_dataset(IriMinter())) in graph
    assert (eruf, SKOS.altLabel, Literal("ERDF", lang="en")) in graph


def test_reference_graph_is_deterministic_and_has_no_guessed_links(ref, graph):
    again = build_reference_graph(ref, IriMinter())
    assert set(graph) == set(again)
    same_as = {URIRef("http://www.w3.org/2002/07/owl#sameAs"), URIRef("https://schema.org/sameAs")}
    assert not [t for t in graph if t[1] in same_as]


def test_reference_graph_other_base(ref):
    g = build_reference_graph(ref, IriMinter("https://example.org/rg/"))
    assert (
        URIRef("https://example.org/rg/id/municipality/skelleftea"),
        RG.inRegion,
        URIRef("https://example.org/rg/id/region/se-vasterbotten"),
    ) in g


def test_reference_graph_conforms_to_shapes(graph):
    if not SHAPES.exists():
        pytest.skip(f"{SHAPES.relative_to(ROOT)} is absent (the shapes are written elsewhere)")
    pyshacl = pytest.importorskip("pyshacl")
    from rdflib import Graph

    shapes = Graph().parse(SHAPES)
    conforms, _, report = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, report


def test_prepared_text_fast_path_equals_the_general_one():
    """Texts without combining marks take a fast path; it must give what the general
    per-character walk gives (spans, paragraph breaks, folding)."""
    from regiongraph.resolve.reference import _Prepared

    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "releases").glob("*.txt"))]
    texts += ["", " ", "a", "  Å\n\n b \u00a0c\u2003d\t", "x\n \ny", "Umeå – Åre\u2028z", "a \n\nb"]
    for text in texts:
        assert _Prepared.of(text) == _Prepared.of_combining(text)
    decomposed = "Ume" + "a\u030a" + "  kommun"  # "å" as a + combining ring
    prepared = _Prepared.of(decomposed)
    assert prepared.chars == "Umeå kommun"
    assert prepared.starts[3] == 3 and prepared.ends[3] == 5
