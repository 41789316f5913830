"""Ingest: discovery, decoding, boilerplate, titles, dates and sentences.

Real releases come from data/releases; small fixtures from tests/fixtures/ingest or are
written to tmp_path by the test that needs them.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import pytest

from regiongraph.ingest import (
    IngestError,
    ReaderNotFound,
    RuleError,
    SourceFile,
    discover,
    get_nlp,
    load_rules,
    read_documents,
    registry,
    reset_nlp,
    split_sentences,
    strip_boilerplate,
)
from regiongraph.ingest import html as html_reader
from regiongraph.ingest.boilerplate import default_rules, default_rules_path
from regiongraph.ingest.metadata import dateline_date, parse_date_field
from regiongraph.ingest.text import ReleaseFields
from regiongraph.records import BuildProblem, Document

ROOT = Path(__file__).resolve().parents[1]
RELEASES = ROOT / "data" / "releases"
GOLD = ROOT / "data" / "gold"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for source in discover([RELEASES]):
        for doc in read_documents(source):
            docs[source.name] = doc
    return docs


def _one(path: Path) -> Document:
    (source,) = discover([path])
    (doc,) = read_documents(source)
    return doc


def _contact_text(doc: Document) -> str:
    return "\n".join(s.text for s in doc.sentences if s.block == "contact")


# --- discovery and metadata -------------------------------------------------------------


def test_all_real_releases_read_without_error(documents: dict[str, Document]) -> None:
    assert len(documents) == 53
    assert sum(name.startswith("dev-") for name in documents) == 20
    for name, doc in documents.items():
        assert doc.body.strip(), name
        assert doc.sentences, name
        assert doc.release.file_name == name
        assert doc.release.sha256 == hashlib.sha256((RELEASES / name).read_bytes()).hexdigest()


def test_sources_csv_is_metadata_not_a_release() -> None:
    names = [s.name for s in discover([RELEASES])]
    assert "SOURCES.csv" not in names
    assert names == sorted(names)
    assert all(s.problem is None for s in discover([RELEASES]))


def test_sources_csv_metadata_lands_on_dev_files(documents: dict[str, Document]) -> None:
    release = documents["dev-007.txt"].release
    assert release.id == "dev-007"
    assert release.published == "2022-05-25"
    assert release.publisher == "Region Västerbotten"
    assert release.language == "sv"
    assert release.source and release.source.startswith("https://regionvasterbotten.se/")


def test_metadata_applies_to_a_file_named_directly() -> None:
    (source,) = discover([RELEASES / "dev-007.txt"])
    assert source.meta is not None and source.meta.date == "2022-05-25"


def test_free_text_date_is_kept_as_note(documents: dict[str, Document]) -> None:
    release = documents["dev-002.txt"].release
    assert release.published is None
    assert release.published_note == (
        "unknown (likely early 2023; first project period starts 2023-03-01)"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-05-25", ("2022-05-25", None)),
        ("2023", ("2023", None)),
        ("2025-10", ("2025-10", None)),
        ("2016-04-01 (signed 1 April)", ("2016-04-01", "2016-04-01 (signed 1 April)")),
        ("2022-11/12 (committees met)", (None, "2022-11/12 (committees met)")),
        ("2022-13-01", (None, "2022-13-01")),
        ("14 juni 2022", ("2022-06-14", None)),
        ("", (None, None)),
    ],
)  # fmt: skip
def test_metadata_dates(value: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_date_field(value) == expected


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("NYHETER 2021-02-09", "2021-02-09"),
        ("14 juni 2022", "2022-06-14"),
        ("Publicerad: 19 september 2017", "2017-09-19"),
        ("Pressmeddelande • Aug 15, 2019 16:02 CEST", "2019-08-15"),
        ("Pressmeddelande – 24 april 2020", "2020-04-24"),
        ("18.3.2024", "2024-03-18"),
        ("Projektperiod: 2023-03-01 - 2026-02-28", None),
        ("Den 22 september presenterar projektet sina slutsatser", None),
    ],
)
def test_datelines(line: str, iso: str | None) -> None:
    assert dateline_date(line) == iso


def test_dateline_gives_the_date_when_metadata_has_none(documents: dict[str, Document]) -> None:
    assert documents["001_a1d85f591ea8fabd.txt"].release.published == "2022-06-14"
    assert documents["000_083e8efb5948c738.txt"].release.published == "2021-02-09"
    assert documents["002_fba7c0403af4cdf9.txt"].release.published is None  # never invented


def test_discover_reports_unsupported_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("Rubrik\n\nText om Umeå.", encoding="utf-8")
    (tmp_path / "sub" / "a.md").write_text("Rubrik\n\nText om Luleå.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hemligt", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 ...")
    found = discover([tmp_path, tmp_path / "b.txt", tmp_path / "missing"])
    assert [s.path.name for s in found] == ["b.txt", "report.pdf", "a.md", "missing"]
    problems = {s.path.name: s.problem for s in found if s.problem}
    assert set(problems) == {"report.pdf", "missing"}
    with pytest.raises(IngestError, match=r"report\.pdf: cannot read '\.pdf' files"):
        read_documents(found[1])


def test_discover_can_collect_problems_for_the_build(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Rubrik\n\nText om Umeå.", encoding="utf-8")
    (tmp_path / "b.docx").write_bytes(b"PK\x03\x04")
    problems: list[BuildProblem] = []
    found = discover([tmp_path], problems=problems)
    assert [s.name for s in found] == ["a.txt"]
    assert [(Path(p.path).name, p.stage) for p in problems] == [("b.docx", "ingest")]
    assert problems[0].message.startswith("b.docx: cannot read '.docx' files")


def test_bad_sources_csv_is_reported(tmp_path: Path) -> None:
    (tmp_path / "SOURCES.csv").write_text("name,date\nx.txt,2020\n", encoding="utf-8")
    (tmp_path / "x.txt").write_text("Rubrik\n\nText.", encoding="utf-8")
    found = discover([tmp_path])
    bad = [s for s in found if s.problem]
    assert [s.name for s in bad] == ["SOURCES.csv"]
    assert "header" in (bad[0].problem or "")


# --- registry ------------------------------------------------------------------------------


def test_registry_knows_suffixes_and_refuses_unknown() -> None:
    assert registry.media_type_for_suffix(".TXT") == "text/plain"
    assert registry.media_type_for_suffix("ndjson") == "application/json"
    assert registry.get_reader("text/html").name == "regiongraph.reader.html.v1"
    with pytest.raises(ReaderNotFound, match="application/pdf"):
        registry.get_reader("application/pdf")
    with pytest.raises(ReaderNotFound, match=r"'\.docx'"):
        registry.media_type_for_suffix(".docx")


def test_registered_reader_is_used_for_its_suffix(tmp_path: Path) -> None:
    registry.register(
        "tests.reader.plain.v1",
        "text/x-regiongraph-test",
        "regiongraph.ingest.text",
        "read_text",
        suffixes=(".rgtest",),
    )
    path = tmp_path / "note.rgtest"
    path.write_text("Rubrik\n\nText om Umeå.", encoding="utf-8")
    (source,) = discover([path])
    assert source.media_type == "text/x-regiongraph-test"
    (doc,) = read_documents(source)
    assert doc.title == "Rubrik"


def test_unknown_media_type_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Rubrik\n\nText.", encoding="utf-8")
    with pytest.raises(IngestError, match=r"x\.txt: no reader registered"):
        read_documents(SourceFile(path, "application/x-unknown"))


# --- decoding ------------------------------------------------------------------------------

TEXT = (
    "Västerbotten satsar – på innovation\n\n"
    "Region Västerbotten beviljar 2 491 478 kr till projektet."
)


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    data = b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(data)
    doc = _one(path)
    assert doc.title == "Västerbotten satsar – på innovation"
    assert "\ufeff" not in doc.body and "\r" not in doc.body
    assert doc.release.sha256 == hashlib.sha256(data).hexdigest()


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(TEXT.encode("utf-16"))
    assert "Region Västerbotten beviljar" in _one(path).body


def test_latin1_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_text("Västerbotten satsar på innovation\n\nSkellefteå och Umeå.", encoding="latin-1")
    doc = _one(path)
    assert doc.title == "Västerbotten satsar på innovation"
    assert "Skellefteå och Umeå." in doc.body


def test_windows_1252_file(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes(TEXT.encode("cp1252"))
    doc = _one(path)
    assert "satsar – på" in doc.body  # the en dash is byte 0x96 in Windows-1252


def test_text_is_nfc(tmp_path: Path) -> None:
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", TEXT), encoding="utf-8")
    doc = _one(path)
    assert unicodedata.is_normalized("NFC", doc.body)
    assert "Västerbotten" in doc.body


def test_empty_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "tom.txt"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match=r"^tom\.txt: the file is empty$"):
        read_documents(discover([path])[0])
    path.write_bytes(b"  \n\n \r\n")
    with pytest.raises(IngestError, match="the file is empty"):
        read_documents(discover([path])[0])


def test_binary_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "bild.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)))
    with pytest.raises(IngestError, match=r"bild\.txt: looks like a binary file"):
        read_documents(discover([path])[0])


def test_control_characters_without_nul_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(b % 32 for b in range(1, 400) if b % 32 not in (9, 10, 13, 0)))
    with pytest.raises(IngestError, match="looks like a binary file"):
        read_documents(discover([path])[0])


# --- HTML ------------------------------------------------------------------------------------


def test_html_page_main_text_only() -> None:
    doc = _one(FIXTURES / "battery-region.html")
    assert doc.release.media_type == "text/html"
    assert doc.title and doc.title.startswith("Batteribranschens kompetensbehov har kartlagts")
    assert doc.body.startswith(doc.title)
    assert doc.release.language == "sv"
    assert doc.release.published == "2022-06-30"
    assert "Interreg Nord projektet Battery Region" in doc.body
    assert "Christian Junestedt" in doc.body
    for chrome in ("Startsida", "Pressrummet Norrland", "Kundtjänst", "Delfin från Alvesta",
                   "Kommunväxeln", "Facebook"):  # fmt: skip
        assert chrome not in doc.body, chrome
    assert "Simon Dahlgren" in _contact_text(doc)
    assert not doc.warnings


def test_html_fallback_is_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_main_text(html: str, url: str | None) -> tuple[None, ReleaseFields, None]:
        return None, ReleaseFields(), None

    monkeypatch.setattr(html_reader, "_trafilatura_text", no_main_text)
    doc = _one(FIXTURES / "battery-region.html")
    assert doc.warnings and doc.warnings[0].startswith("html-fallback")
    assert "Battery Region" in doc.body
    for chrome in ("Startsida", "Pressrummet Norrland", "Delfin från Alvesta", "Kommunväxeln"):
        assert chrome not in doc.body, chrome


# --- JSON records ----------------------------------------------------------------------------


def test_json_file_record() -> None:
    doc = _one(FIXTURES / "release.json")
    release = doc.release
    assert release.id == "release.rk-2017-48"  # {file id}.{record id}
    assert release.media_type == "application/json"
    assert release.published == "2017-10-04"
    assert release.publisher == "Region Kronoberg"
    assert doc.title == "Regionen satsar 4,8 miljoner på tillväxtprojekt"
    assert doc.body.startswith(doc.title)  # the title is part of the body
    assert "Joakim Pohlman (S)" in _contact_text(doc)
    assert "Delfin" not in doc.body


def test_jsonl_file_with_two_records() -> None:
    (source,) = discover([FIXTURES / "releases.jsonl"])
    first, second = read_documents(source)
    assert first.release.id == "releases.www-example-se-nyheter-industriforum-kronoberg"
    assert first.release.published == "2022-06-14"
    assert any("bl.a. från IF Metall" in s.text for s in first.sentences)
    assert second.release.id == "releases.2"
    assert second.release.published == "2023"
    assert second.title == "Bodens kommun tecknar markavtal med H2 Green Steel"
    assert "Köpeskillingen uppgår till 134 miljoner SEK." in second.body
    assert "Startsida" not in second.body and "Kyrkgatan" not in second.body
    assert first.release.sha256 == second.release.sha256


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "trasig.json"
    path.write_text('{\n  "title": "X",\n  "text": "Y"\n  "date": "2020"\n}', encoding="utf-8")
    with pytest.raises(IngestError, match=r"trasig\.json: not valid JSON: .* line 4"):
        read_documents(discover([path])[0])
    lines = tmp_path / "trasig.jsonl"
    lines.write_text('{"text": "Rubrik\\n\\nText."}\n{"text": \n', encoding="utf-8")
    with pytest.raises(IngestError, match=r"trasig\.jsonl: line 2 is not valid JSON"):
        read_documents(discover([lines])[0])


def test_json_record_without_text(tmp_path: Path) -> None:
    path = tmp_path / "utan.jsonl"
    records = [{"text": "Rubrik\n\nText om Umeå."}, {"title": "Bara en rubrik"}]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    with pytest.raises(IngestError, match=r"utan\.jsonl: the record on line 2 has no text"):
        read_documents(discover([path])[0])


# --- boilerplate on real releases ------------------------------------------------------------


def test_002_directory_and_footer_removed_contacts_kept(documents: dict[str, Document]) -> None:
    doc = documents["002_fba7c0403af4cdf9.txt"]
    for name in ("Gabriella Bandling", "Thomas Jonsson", "Petra Olgarsson", "Anja Hansen Knutsson"):
        assert name not in doc.body, name
    assert "drivs av att skapa" not in doc.body
    assert "Köksvägen" not in doc.body
    assert "Bildbank" not in doc.body
    contact = _contact_text(doc)
    assert "För mer information" in contact
    assert "Stina Johansson" in contact and "Joel Hedlund" in contact
    # A single "Presskontakt:" under "För mer information" names this release's contact.
    assert "Micaela Löwenhöök" in contact
    assert doc.title == "Inhämtar amerikanska erfarenheter för tillväxt i norra Sverige"
    assert doc.body.count(doc.title) == 1
    assert any("Gabriella Bandling" in block for block in doc.boilerplate)


def test_001_related_news_teasers_removed(documents: dict[str, Document]) -> None:
    doc = documents["001_a1d85f591ea8fabd.txt"]
    assert "Delfin från Alvesta" not in doc.body
    assert "Relaterade nyheter" not in doc.body
    assert "Fler nyheter" not in doc.body
    assert "öppnas i nytt fönster" not in doc.body
    assert "Thomas Ragnarsson" in doc.body
    assert doc.title == "Uppstartskonferens för Industriforum i Kronoberg"


def test_003_directory_and_footer_removed_programme_kept(documents: dict[str, Document]) -> None:
    doc = documents["003_7cf70bc74400741d.txt"]
    assert "Agnetha Boström" not in doc.body and "Emilie Sjölund" not in doc.body
    assert "Det är trivsamt att bo i Skellefteå" not in doc.body
    assert "Trädgårdsgatan" not in doc.body
    assert "Ur programmet" in doc.body
    assert "Christian Junestedt från IVL Svenska Miljöinstitutet" in doc.body
    assert "North Sweden Green Deal" in doc.body
    contact = _contact_text(doc)
    for name in ("Simon Dahlgren", "Sanni Pietilä", "Ville Koivuniemi"):
        assert name in contact


def test_004_fact_box_kept_image_bank_removed(documents: dict[str, Document]) -> None:
    doc = documents["004_bed30962ed7b8b3a.txt"]
    assert "Om Regional Innovationsledning Västerbotten (RIV)" in doc.body
    assert "Bildbank" not in doc.body and "Till bildbanken" not in doc.body
    assert "Foto:" not in doc.body
    assert "Cecilia Lindell" in _contact_text(doc)
    assert "Gabriella Bandling" not in doc.body
    fact = next(s for s in doc.sentences if s.text.startswith("Om Regional Innovationsledning"))
    assert fact.block == "body"


def test_000_navigation_removed_fact_box_and_contact_kept(documents: dict[str, Document]) -> None:
    doc = documents["000_083e8efb5948c738.txt"]
    assert "Tillbaka till nyhetslistan" not in doc.body
    assert "Läs mer och anmäl dig här" not in doc.body
    assert "Om Industrirådet" in doc.body
    assert doc.body.startswith("NYHETER 2021-02-09\n")  # the dateline stays
    assert "Stina Johansson" in _contact_text(doc)


def test_page_header_above_the_title_removed(documents: dict[str, Document]) -> None:
    assert documents["dev-012.txt"].title == "Norrbotten kartlägger framtidens kompetensbehov"
    assert documents["dev-071.txt"].title == "Start för nya regionala utvecklingsprojekt"
    assert documents["dev-095.txt"].title == "Sista dagarna att anmäla sig till Regiondagen 2019"
    assert "björnbär" not in documents["dev-095.txt"].body
    assert documents["dev-041.txt"].title == (
        "Alla länets kommuner finns nu med i Business Region Örebro"
    )


def test_mynewsdesk_about_text_after_contacts_removed(documents: dict[str, Document]) -> None:
    doc = documents["dev-041.txt"]
    assert "ansvarar för många frågor" not in doc.body
    contact = _contact_text(doc)
    for name in ("Irén Lejegren", "Kristina Eklöf", "Helena Aronsson"):
        assert name in contact


def test_gold_people_are_in_the_body(documents: dict[str, Document]) -> None:
    """Every person the annotators counted (not optional) survives boilerplate removal
    (where the text spells the name as the gold does: a gold name may mend a typo)."""
    for gold_file in sorted(GOLD.glob("*/*.gold.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        doc = documents[gold["release"]]
        raw = doc.release.path.read_text(encoding="utf-8")
        for entity in gold["entities"]:
            if entity["type"] == "Person" and not entity.get("optional") and entity["name"] in raw:
                assert entity["name"] in doc.body, (gold["release"], entity["name"])


def test_boilerplate_rules_are_generic() -> None:
    rules = default_rules()
    assert rules.rules and all(r.comment for r in rules.rules)
    text = default_rules_path().read_text(encoding="utf-8")
    for name in ("Gabriella", "Bandling", "Köksvägen", "Alvesta", "Boström", "Västerbotten"):
        assert name not in text


def test_strip_boilerplate_on_inline_text() -> None:
    text = (
        "Gå direkt till innehåll\n\nPressmeddelande -\n\nNy satsning i Umeå\n\n"
        "Umeå kommun satsar på innovation.\n\nFör mer information:\nAnna Andersson\n"
        "070-123 45 67\n\nFler nyheter\n\nAnnan nyhet\n\n1 januari 2020\n\nTeasertext..."
    )
    stripped = strip_boilerplate(text)
    assert stripped.title == "Ny satsning i Umeå"
    assert stripped.body == (
        "Ny satsning i Umeå\n\nUmeå kommun satsar på innovation.\n\nFör mer information:\n"
        "Anna Andersson\n070-123 45 67"
    )
    blocks = {b.rule_id for b in stripped.removed}
    assert {"nav.skip-link", "nav.press-release-marker", "teaser.related"} <= blocks
    contact = [ln for ln in stripped.lines if ln.block == "contact"]
    assert [stripped.body[ln.start : ln.end] for ln in contact] == [
        "För mer information:",
        "Anna Andersson",
        "070-123 45 67",
    ]


# --- sentences -------------------------------------------------------------------------------


def test_offsets_are_exact_for_every_sentence(documents: dict[str, Document]) -> None:
    for name, doc in documents.items():
        previous_end = -1
        for n, s in enumerate(doc.sentences):
            assert s.index == n
            assert doc.body[s.start : s.end] == s.text, name
            assert s.text == s.text.strip() and s.text
            assert s.start >= previous_end
            previous_end = s.end


def test_every_line_starts_a_sentence_unless_a_wrap_cut_it(documents: dict[str, Document]) -> None:
    """Lines are units (headings, list items, contact lines stay apart), except a line a
    hard wrap cut after 'för', 'och', 'vid' …, which goes on in the next line's sentence."""
    from regiongraph.ingest.sentences import _DANGLING

    for name, doc in documents.items():
        lines = _lines_with_offsets(doc.body)
        for (line_start, line), previous in zip(lines, [None, *lines[:-1]], strict=True):
            starts = [s for s in doc.sentences if line_start <= s.start < line_start + len(line)]
            if starts:
                continue
            assert previous is not None and _DANGLING.search(previous[1].rstrip()), (name, line)
            holder = [s for s in doc.sentences if s.start < line_start < s.end]
            assert len(holder) == 1 and holder[0].start >= previous[0], (name, line)


def test_a_sentence_cut_by_a_line_break_is_joined() -> None:
    quote = "– Vi delar gärna, säger Eva Holm från enheten för\nNäringsliv vid Region Dalarna"
    texts = [s.text for s in split_sentences(quote + "\nKontakt")]
    assert texts == [quote, "Kontakt"]


def _lines_with_offsets(body: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in body.split("\n"):
        if line.strip():
            out.append((offset, line))
        offset += len(line) + 1
    return out


def test_abbreviations_do_not_split() -> None:
    body = (
        "Projektet omfattar bl.a. Umeå och t.ex. Luleå m.fl. orter. Fabriken har ca. 7 000 "
        "anställda, dvs. många. Mötet börjar kl. 9.00 i St. Petersburg. Det gäller "
        "fr.o.m. maj t.o.m. juni, resp. nr. 5 och 6."
    )
    texts = [s.text for s in split_sentences(body)]
    assert texts == [
        "Projektet omfattar bl.a. Umeå och t.ex. Luleå m.fl. orter.",
        "Fabriken har ca. 7 000 anställda, dvs. många.",
        "Mötet börjar kl. 9.00 i St. Petersburg.",
        "Det gäller fr.o.m. maj t.o.m. juni, resp. nr. 5 och 6.",
    ]


def test_amounts_stay_whole_and_kr_can_end_a_sentence() -> None:
    body = "Projektägare Region Västerbotten beviljas 2 491 478 kr. Projektet startar i mars."
    assert [s.text for s in split_sentences(body)] == [
        "Projektägare Region Västerbotten beviljas 2 491 478 kr.",
        "Projektet startar i mars.",
    ]


def test_lines_never_merge_and_quote_dash_starts_a_sentence() -> None:
    body = (
        "Rubrik utan punkt\n1.\nDigital omställning\n– Vi är glada, säger Anna.\n"
        "-Vi vill vara förberedda, säger Joel."
    )
    texts = [s.text for s in split_sentences(body)]
    assert texts == [
        "Rubrik utan punkt",
        "1.",
        "Digital omställning",
        "– Vi är glada, säger Anna.",
        "-Vi vill vara förberedda, säger Joel.",
    ]
    assert [s.text for s in split_sentences("1. Digital omställning i industrin")] == [
        "1. Digital omställning i industrin"
    ]


def test_each_contact_line_is_its_own_sentence(documents: dict[str, Document]) -> None:
    doc = documents["002_fba7c0403af4cdf9.txt"]
    contact = [s.text for s in doc.sentences if s.block == "contact"]
    assert contact[:5] == [
        "För mer information",
        "Stina Johansson",
        "070-365 45 70, stina.johansson@regionvasterbotten.se",
        "Joel Hedlund",
        "070-69 76 846, joel.hedlund@regionvasterbotten.se",
    ]
    doc = documents["004_bed30962ed7b8b3a.txt"]
    assert "Magnus Rudehäll," in [s.text for s in doc.sentences if s.block == "contact"]


def test_bla_in_a_real_release_does_not_split(documents: dict[str, Document]) -> None:
    doc = documents["002_fba7c0403af4cdf9.txt"]
    assert any(s.text.endswith("dvs. Malå, Sorsele, Arvidsjaur och Norsjö.") for s in doc.sentences)
    assert any("ca 7 000 anställda" in s.text for s in doc.sentences)


def test_lines_left_untokenized_split_as_spacy_splits_them(
    documents: dict[str, Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines whose only sentence punctuation ends them skip spaCy: same sentences either way,
    on every real release and on lines made to trip the shortcut."""
    import re

    from regiongraph.ingest import sentences

    tricky = (
        "Hej! :)\nSlut.Nästa mening\nSlut. )\nJa?! ”Nej.”\nFrågan?»\nTre...\n"
        "Kontakt: anna.svensson@region.se\nVinst 2.5 mkr\nRubrik utan punkt\n"
        "– Vi är glada, säger Anna.\nSlut .\nA ! b\nSlut!  Nästa"
    )
    bodies = [doc.body for doc in documents.values()] + [tricky]
    fast = [split_sentences(body) for body in bodies]
    assert sum(
        sentences._one_sentence_regex(get_nlp()).fullmatch(s.text) is not None
        for doc in fast
        for s in doc
    ) > len(documents)  # the shortcut is taken
    monkeypatch.setattr(sentences, "_one_sentence_regex", lambda _nlp: re.compile("(?!)"))
    assert [split_sentences(body) for body in bodies] == fast


def test_nlp_is_cached_and_resettable() -> None:
    first = get_nlp()
    assert get_nlp() is first
    reset_nlp()
    assert get_nlp() is not first


# --- the rule file ---------------------------------------------------------------------------


def _write_rules(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "boilerplate.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_bad_regex_names_the_entry(tmp_path: Path) -> None:
    path = _write_rules(
        tmp_path,
        "rules:\n  - id: ok.rule\n    kind: line\n    pattern: '^Ok$'\n    comment: fine\n"
        "  - id: broken.rule\n    kind: line\n    pattern: '^(Foto'\n    comment: unbalanced\n",
    )
    with pytest.raises(RuleError, match=r"boilerplate\.yaml: rule 2 \('broken\.rule'\): pattern"):
        load_rules(path)


def test_missing_field_and_unknown_kind_name_the_entry(tmp_path: Path) -> None:
    path = _write_rules(tmp_path, "rules:\n  - id: no.comment\n    kind: line\n    pattern: x\n")
    with pytest.raises(RuleError, match=r"rule 1 \('no\.comment'\): missing field\(s\): comment"):
        load_rules(path)
    path = _write_rules(
        tmp_path, "rules:\n  - id: odd.kind\n    kind: sidebar\n    pattern: x\n    comment: c\n"
    )
    with pytest.raises(RuleError, match=r"'odd\.kind'.*kind must be one of"):
        load_rules(path)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _write_rules(tmp_path, "rules:\n  - id: a\n    kind: line\n    comment: a: b: c\n")
    with pytest.raises(RuleError, match=r"boilerplate\.yaml: not valid YAML \(line 4\)"):
        load_rules(path)


def test_rule_matching_with_the_combined_regex_equals_rule_by_rule() -> None:
    """``RuleSet.first`` screens a line with one regex for all rules of a kind; the answer
    must be the first rule in file order, as when every rule is tried, including rules with
    a leading flag group, a publisher placeholder and a back-reference (not combinable)."""
    from regiongraph.ingest.boilerplate import Rule, RuleSet

    def rule(rid: str, pattern: str, kind: str = "line") -> Rule:
        return Rule(rid, kind, pattern, "test")

    plain = RuleSet(
        (
            rule("skip", r"(?i)^gå till"),
            rule("credit", r"^Foto:"),
            rule("publisher", r"^Följ {publisher}\b"),
            rule("other-kind", r"^Foto:", kind="footer"),
        )
    )
    with_backref = RuleSet((*plain.rules, rule("twice", r"^(\w+) \1$")))
    lines = [
        "GÅ TILL innehållet",
        "Foto: Anna Berg",
        "Följ Region Västerbotten på Facebook",
        "Följ oss",
        "hej hej",
        "Region Västerbotten beviljar 2 miljoner kronor",
        "",
    ]
    for rules in (plain, with_backref):
        for publisher in (None, "Region Västerbotten"):
            for line in lines:
                expected = next(
                    (
                        r
                        for r in rules.rules
                        if r.kind == "line" and (rx := r.regex(publisher)) and rx.search(line)
                    ),
                    None,
                )
                assert rules.first("line", line, publisher) == expected, (line, publisher)
    assert plain.first("line", "Följ Region Västerbotten", "Region Västerbotten").id == "publisher"
    assert with_backref.first("line", "hej hej", None).id == "twice"
    assert plain._regexes("line", None).any is not None
    assert with_backref._regexes("line", None).any is None  # tried rule by rule
