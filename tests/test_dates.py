"""Dates and periods: notations, ranges, precision, traps, real releases, gold."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from regiongraph.extract.dates import DateMatch, PeriodMatch, find_dates, find_periods

DATA = Path(__file__).resolve().parents[1] / "data"
RELEASES = DATA / "releases"
# All bundled gold: every amount / date a release states is found in a line of it.
GOLD_FILES = sorted((DATA / "gold").glob("*/*.gold.json"))


def dates(text: str, default_year: int | None = None) -> list[tuple[str, str | None]]:
    return [(d.value, d.end_value) for d in find_dates(text, default_year)]


def periods(text: str) -> list[tuple[str | None, str | None]]:
    return [(p.start_value, p.end_value) for p in find_periods(text)]


# --------------------------------------------------------------------------- single dates


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("22 september 2022", "2022-09-22", "22 september 2022"),
        ("den 22 september 2022", "2022-09-22", "den 22 september 2022"),
        ("2023-08-30", "2023-08-30", "2023-08-30"),
        ("NYHETER 2021-02-09", "2021-02-09", "2021-02-09"),
        ("22/9 2022", "2022-09-22", "22/9 2022"),
        ("22/9-2022", "2022-09-22", "22/9-2022"),
        ("22/9/2022", "2022-09-22", "22/9/2022"),
        ("18.3.2024", "2024-03-18", "18.3.2024"),
        ("1 april 2016", "2016-04-01", "1 april 2016"),
        ("22 sept. 2022", "2022-09-22", "22 sept. 2022"),
        ("22 sep 2022", "2022-09-22", "22 sep 2022"),
        ("3 okt 2021", "2021-10-03", "3 okt 2021"),
        ("3 Okt 2021", "2021-10-03", "3 Okt 2021"),
        ("14 juni 2022", "2022-06-14", "14 juni 2022"),
        ("1 maj 2020", "2020-05-01", "1 maj 2020"),
        ("22 September 2022", "2022-09-22", "22 September 2022"),
        ("22nd of September 2022", "2022-09-22", "22nd of September 2022"),
        ("September 22, 2022", "2022-09-22", "September 22, 2022"),
        ("Aug 15, 2019", "2019-08-15", "Aug 15, 2019"),
        ("29 februari 2024", "2024-02-29", "29 februari 2024"),
        ("oktober 2025", "2025-10", "oktober 2025"),
        ("jan 2018", "2018-01", "jan 2018"),
        ("med start i januari 2019", "2019-01", "januari 2019"),
    ],
)
def test_date_with_written_year(text: str, value: str, span: str) -> None:
    (d,) = find_dates(text)
    assert (d.value, d.end_value, d.text) == (value, None, span)
    assert text[d.start : d.end] == d.text


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("den 22 september", "2022-09-22", "den 22 september"),
        ("Den 22 september presenterar projektet", "2022-09-22", "Den 22 september"),
        ("den 15 juni", "2022-06-15", "den 15 juni"),
        ("den 28/9", "2022-09-28", "den 28/9"),
        ("27:e september", "2022-09-27", "27:e september"),
        ("den 27:e september", "2022-09-27", "den 27:e september"),
        ("den 1:a maj", "2022-05-01", "den 1:a maj"),
        ("Måndag den 17 oktober går startskottet", "2022-10-17", "den 17 oktober"),
        ("bjuder 21 november in", "2022-11-21", "21 november"),
        ("den 1 juni.", "2022-06-01", "den 1 juni"),  # the full stop ends the sentence
        ("den 3 dec.", "2022-12-03", "den 3 dec."),  # the full stop ends the abbreviation
    ],
)
def test_date_without_year_takes_default_year(text: str, value: str, span: str) -> None:
    (d,) = find_dates(text, default_year=2022)
    assert (d.value, d.text) == (value, span)


@pytest.mark.parametrize(
    "text",
    [
        "den 22 september",
        "den 28/9",
        "den 15 juni",
        "27:e september",
        "den 25 till den 29 mars",
        "22–23 november",
    ],
)
def test_date_without_year_is_skipped_without_default_year(text: str) -> None:
    assert find_dates(text) == []


def test_written_year_wins_over_default_year() -> None:
    assert dates("22 september 2022", default_year=2019) == [("2022-09-22", None)]


def test_time_after_date_is_left_out() -> None:
    (d,) = find_dates("När: 22 september 2022 kl 9.00-15.00 (UTC+2)")
    assert (d.value, d.text) == ("2022-09-22", "22 september 2022")


# --------------------------------------------------------------------------- date ranges


@pytest.mark.parametrize(
    ("text", "default_year", "expected", "span"),
    [
        ("22–23 november 2022", None, ("2022-11-22", "2022-11-23"), "22–23 november 2022"),
        ("Den 22–23 november träffades", 2022, ("2022-11-22", "2022-11-23"), "Den 22–23 november"),
        ("den 22-23 november 2022", None, ("2022-11-22", "2022-11-23"), "den 22-23 november 2022"),
        (
            "från den 25 till den 29 mars",
            2023,
            ("2023-03-25", "2023-03-29"),
            "den 25 till den 29 mars",
        ),
        (
            "mellan den 25 och den 29 mars",
            2023,
            ("2023-03-25", "2023-03-29"),
            "mellan den 25 och den 29 mars",
        ),
        ("25 mars – 2 april 2023", None, ("2023-03-25", "2023-04-02"), "25 mars – 2 april 2023"),
        (
            "den 25 mars till den 2 april",
            2023,
            ("2023-03-25", "2023-04-02"),
            "den 25 mars till den 2 april",
        ),
        (
            "28 december – 3 januari 2023",
            None,
            ("2022-12-28", "2023-01-03"),
            "28 december – 3 januari 2023",
        ),
        ("2023-03-01 - 2026-02-28", None, ("2023-03-01", "2026-02-28"), "2023-03-01 - 2026-02-28"),
        ("januari 2022 – juni 2023", None, ("2022-01", "2023-06"), "januari 2022 – juni 2023"),
        ("jan 2018-mars 2021", None, ("2018-01", "2021-03"), "jan 2018-mars 2021"),
    ],
)
def test_date_range(text: str, default_year: int | None, expected: tuple, span: str) -> None:
    (d,) = find_dates(text, default_year)
    assert (d.value, d.end_value, d.text) == (*expected, span)


def test_two_days_joined_by_och_are_two_dates() -> None:
    found = find_dates("den 25 och den 29 mars", default_year=2023)
    assert [(d.value, d.end_value, d.text) for d in found] == [
        ("2023-03-25", None, "den 25"),
        ("2023-03-29", None, "den 29 mars"),
    ]


@pytest.mark.parametrize("text", ["29–25 mars 2023", "den 29 till den 25 mars 2023"])
def test_day_range_with_start_after_end_is_rejected(text: str) -> None:
    assert find_dates(text) == []


def test_full_range_with_start_after_end_gives_two_single_dates() -> None:
    assert dates("2026-02-28 - 2023-03-01") == [("2026-02-28", None), ("2023-03-01", None)]


# --------------------------------------------------------------------------- not dates


@pytest.mark.parametrize(
    "text",
    [
        "vecka 13",
        "besöker Nevada under vecka 13 för att",
        "2021",
        "Under 2021 genomför Industrirådet",
        "2021–2027",
        "programperioden 2021-2027",
        "kl 9.00-15.00",
        "070-365 45 70",
        "+358 50 4351894",
        "08-681 94 51",
        "931 85 Skellefteå",
        "90189 Umeå",
        "2 491 478 kr",
        "1/3 av budgeten",  # a fraction: day/month without year needs "den"
        "öppet 24/7",
        "31 februari 2022",
        "den 29 februari",  # with default_year 2022 below: no such day
        "i september",  # a month alone
        "jul 2022",  # Christmas more often than July
        "maj 15 personer",
        "Växarena 2.0",
        "regionala 1:1-anslag",
        "2022/06/30",
        "https://batteryregion.eu/2022/06/30/slutkonferens/",
        "0705-12-34",
    ],
)
def test_trap_is_no_date(text: str) -> None:
    assert find_dates(text, default_year=2022) == []


def test_date_match_is_frozen() -> None:
    (d,) = find_dates("2023-08-30")
    assert isinstance(d, DateMatch)
    with pytest.raises(AttributeError):
        d.value = "2020"  # type: ignore[misc]


def test_dates_are_sorted_by_start() -> None:
    text = "Serien inleds den 22 mars och avslutas den 27:e september med möte den 28/9."
    assert dates(text, 2021) == [("2021-03-22", None), ("2021-09-27", None), ("2021-09-28", None)]


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("text", "expected", "span"),
    [
        (
            "Projektperiod: 2023-03-01 - 2026-02-28",
            ("2023-03-01", "2026-02-28"),
            "2023-03-01 - 2026-02-28",
        ),
        (
            "pågår mellan 2020-01-01 - 2023-04-30",
            ("2020-01-01", "2023-04-30"),
            "mellan 2020-01-01 - 2023-04-30",
        ),
        ("2022-01-01–2024-12-31", ("2022-01-01", "2024-12-31"), "2022-01-01–2024-12-31"),
        ("under 2021–2023", ("2021", "2023"), "2021–2023"),
        ("2021-2023", ("2021", "2023"), "2021-2023"),
        ("2021 – 2023", ("2021", "2023"), "2021 – 2023"),
        ("programperioden 2021–2027", ("2021", "2027"), "2021–2027"),
        ("Avtalsperioden är 2016-2020.", ("2016", "2020"), "2016-2020"),
        ("mellan 2020 och 2023", ("2020", "2023"), "mellan 2020 och 2023"),
        ("från 2021 till 2023", ("2021", "2023"), "från 2021 till 2023"),
        ("2021 till och med 2023", ("2021", "2023"), "2021 till och med 2023"),
        ("2022/23", ("2022", "2023"), "2022/23"),
        ("2022/2023", ("2022", "2023"), "2022/2023"),
        ("2022–23", ("2022", "2023"), "2022–23"),
        (
            "under perioden 1 januari 2022 till 31 december 2024",
            ("2022-01-01", "2024-12-31"),
            "1 januari 2022 till 31 december 2024",
        ),
        (
            "1 januari till 31 december 2024",
            ("2024-01-01", "2024-12-31"),
            "1 januari till 31 december 2024",
        ),
        ("januari 2022 – juni 2023", ("2022-01", "2023-06"), "januari 2022 – juni 2023"),
        ("perioden jan 2018-mars 2021", ("2018-01", "2021-03"), "jan 2018-mars 2021"),
        ("2021 – juni 2023", ("2021", "2023-06"), "2021 – juni 2023"),
        ("22–23 november 2022", ("2022-11-22", "2022-11-23"), "22–23 november 2022"),
    ],
)
def test_period_range_keeps_written_precision(text: str, expected: tuple, span: str) -> None:
    (p,) = find_periods(text)
    assert (p.start_value, p.end_value, p.text) == (*expected, span)
    assert text[p.start : p.end] == p.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("från 2023", ("2023", None)),
        ("från och med 2023", ("2023", None)),
        ("fr.o.m. 2024", ("2024", None)),
        ("från och med den 1 mars 2023", ("2023-03-01", None)),
        ("med start i januari 2019", ("2019-01", None)),
        ("sedan 2019", ("2019", None)),
        ("till och med 2025", (None, "2025")),
        ("t.o.m. 2025", (None, "2025")),
        ("t o m 2025", (None, "2025")),
        ("fram till 2030", (None, "2030")),
        ("till och med 31 december 2025", (None, "2025-12-31")),
    ],
)
def test_open_period(text: str, expected: tuple) -> None:
    (p,) = find_periods(text)
    assert (p.start_value, p.end_value) == expected
    assert p.text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hösten 2022", ("2022", "2022")),
        ("under våren 2023", ("2023", "2023")),
        ("sommaren 2021", ("2021", "2021")),
        ("vintern 2022/2023", ("2022", "2023")),
        ("vintern 2022/23", ("2022", "2023")),
    ],
)
def test_season_is_a_period_of_year_precision(text: str, expected: tuple) -> None:
    assert periods(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "2023–2021",
        "2023/2021",
        "2026-02-28 - 2023-03-01",
        "juni 2023 – januari 2022",
        "mellan 2023 och 2021",
    ],
)
def test_period_with_start_after_end_is_rejected(text: str) -> None:
    assert find_periods(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "070-365 45 70",
        "070-69 76 846",
        "+358 50 4351894",
        "+358 40 685 4018",
        "08-681 94 51",
        "931 85 Skellefteå",
        "90189 Umeå",
        "2021",
        "Under 2021 genomför Industrirådet",
        "2021-02-09",
        "22 september 2022 kl 9.00-15.00",
        "2020-talet",
        "bidrar till 2030 års mål",  # a bare "till" is no period end
        "från 2021 års budget",
        "2021 och 2023",  # "och" joins a range only after "mellan"
        "den 25 till den 29 mars",  # no year: find_periods has no default year
        "2 491 478 kr",
        "Org.nr 556123-4567",
    ],
)
def test_trap_is_no_period(text: str) -> None:
    assert find_periods(text) == []


def test_period_match_is_frozen() -> None:
    (p,) = find_periods("2021-2023")
    assert isinstance(p, PeriodMatch)
    with pytest.raises(AttributeError):
        p.start_value = "2020"  # type: ignore[misc]


def test_periods_are_sorted_by_start() -> None:
    text = "Strategin 2022-2030 ersätter den för 2014–2020; projektet pågår från 2023."
    assert periods(text) == [("2022", "2030"), ("2014", "2020"), ("2023", None)]


# --------------------------------------------------------------------------- real sentences


@pytest.mark.parametrize(
    ("release", "sentence", "default_year", "expected"),
    [
        (
            "003_7cf70bc74400741d.txt",
            "När: 22 september 2022 kl 9.00-15.00 (UTC+2)",
            None,
            [("2022-09-22", None)],
        ),
        (
            "003_7cf70bc74400741d.txt",
            "Den 22 september presenterar projektet Battery Region sina slutsatser",
            2022,
            [("2022-09-22", None)],
        ),
        (
            "000_083e8efb5948c738.txt",
            "Serien av möten inleds den 22 mars med en digital take-off från Boliden och avslutas "
            "med en fysisk konferens i Boliden den 27:e september med möjligheter till technical "
            "visits, seminarier och fler spännande möte den 28/9.",
            2021,
            [("2021-03-22", None), ("2021-09-27", None), ("2021-09-28", None)],
        ),
        (
            "002_fba7c0403af4cdf9.txt",
            "befinner sig i Nevada från den 25 till den 29 mars",
            2023,
            [("2023-03-25", "2023-03-29")],
        ),
        (
            "001_a1d85f591ea8fabd.txt",
            "Den 15 juni lanseras Industriforum Kronoberg",
            2022,
            [("2022-06-15", None)],
        ),
        (
            "dev-017.txt",
            "Den 22–23 november träffades Interreg Auroras två styrkommittéer",
            2022,
            [("2022-11-22", "2022-11-23")],
        ),
        ("dev-047.txt", "18.3.2024", None, [("2024-03-18", None)]),
        (
            "dev-095.txt",
            "Region Kalmar län bjuder 21 november in näringsliv",
            2019,
            [("2019-11-21", None)],
        ),
        ("dev-012.txt", "Kartläggningen pågår under oktober 2025", None, [("2025-10", None)]),
    ],
)
def test_real_release_dates(
    release: str, sentence: str, default_year: int | None, expected: list
) -> None:
    assert sentence in " ".join((RELEASES / release).read_text(encoding="utf-8").split())
    assert dates(sentence, default_year) == expected


@pytest.mark.parametrize(
    ("release", "sentence", "expected"),
    [
        ("dev-002.txt", "Projektperiod: 2023-03-01 - 2026-02-28", [("2023-03-01", "2026-02-28")]),
        (
            "004_bed30962ed7b8b3a.txt",
            "Projektet som pågår mellan 2020-01-01 - 2023-04-30 finansieras via den Europeiska "
            "regionala utvecklingsfonden och Region Västerbotten.",
            [("2020-01-01", "2023-04-30")],
        ),
        (
            "dev-091.txt",
            "Regionala utvecklingsnämnden ger projektet 4 765 507 kronor perioden jan 2018-mars "
            "2021.",
            [("2018-01", "2021-03")],
        ),
        ("dev-017.txt", "för programperioden 2021-2027.", [("2021", "2027")]),
        ("dev-021.txt", "med start i januari 2019.", [("2019-01", None)]),
        ("dev-037.txt", "Avtalsperioden är 2016-2020.", [("2016", "2020")]),
        (
            "dev-047.txt",
            "Ett förnybart och kompetent Finland 2021–2027 med hjälp av",
            [("2021", "2027")],
        ),
        ("003_7cf70bc74400741d.txt", "När: 22 september 2022 kl 9.00-15.00 (UTC+2)", []),
    ],
)
def test_real_release_periods(release: str, sentence: str, expected: list) -> None:
    assert sentence in " ".join((RELEASES / release).read_text(encoding="utf-8").split())
    assert periods(sentence) == expected


@pytest.mark.parametrize(
    "release", ["002_fba7c0403af4cdf9.txt", "003_7cf70bc74400741d.txt", "dev-045.txt"]
)
def test_contact_blocks_of_real_releases_hold_no_period(release: str) -> None:
    text = (RELEASES / release).read_text(encoding="utf-8")
    contacts = [
        line
        for line in text.splitlines()
        if re.search(r"\d{2,3}[ -]\d{2}", line)
        and ("@" in line or "Telefon" in line or "+" in line)
    ]
    assert contacts
    for line in contacts:
        assert find_periods(line) == []


@pytest.mark.parametrize("path", sorted(RELEASES.glob("*.txt")), ids=lambda p: p.name)
def test_every_release_reads_with_consistent_spans(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    iso = re.compile(r"(?:19|20)\d\d(?:-\d\d(?:-\d\d)?)?")
    for d in find_dates(text, default_year=2020):
        assert text[d.start : d.end] == d.text
        assert iso.fullmatch(d.value)
        assert d.end_value is None or (iso.fullmatch(d.end_value) and d.value <= d.end_value)
    for p in find_periods(text):
        assert text[p.start : p.end] == p.text
        assert p.start_value or p.end_value
        for v in (p.start_value, p.end_value):
            assert v is None or iso.fullmatch(v)


# --------------------------------------------------------------------------- gold


def _release_years() -> dict[str, int]:
    """Release year from SOURCES.csv when its date column starts with one."""
    years = {}
    with (RELEASES / "SOURCES.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            m = re.match(r"((?:19|20)\d\d)\b", row["date"])
            if m:
                years[row["file"]] = int(m.group(1))
    return years


RELEASE_YEARS = _release_years()


def _default_year(release: str, text: str) -> int | None:
    """SOURCES.csv's year, else the year of the first full date in the release itself."""
    if release in RELEASE_YEARS:
        return RELEASE_YEARS[release]
    written = [d.value for d in find_dates(text) if len(d.value) == 10]
    return int(written[0][:4]) if written else None


def _gold_dates() -> list[tuple[str, str, str, str]]:
    out = []
    for path in GOLD_FILES:
        gold = json.loads(path.read_text(encoding="utf-8"))
        for ent in gold.get("entities", []):
            if ent.get("type") not in ("Project", "Event"):
                continue
            for key in ("start", "end"):
                if ent.get(key):
                    out.append((gold["release"], ent["key"], key, str(ent[key])))
    return out


GOLD_DATES = _gold_dates()


def test_gold_has_dates() -> None:
    assert GOLD_DATES, "no Project/Event start or end in data/gold"


@pytest.mark.parametrize(("release", "entity", "key", "value"), GOLD_DATES)
def test_gold_date_is_found_in_a_line_of_its_release(
    release: str, entity: str, key: str, value: str
) -> None:
    text = (RELEASES / release).read_text(encoding="utf-8")
    year = _default_year(release, text)
    found: set[str | None] = set()
    for line in text.splitlines():
        for d in find_dates(line, default_year=year):
            found.update((d.value, d.end_value))
        for p in find_periods(line):
            found.update((p.start_value, p.end_value))
    assert value in found, f"{release} {entity}.{key}={value} (default year {year})"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Projektet ska pågå 20170501-20181231 och", [("2017-05-01", "2018-12-31")]),
        ("ett pågående projekt som avslutas 20170430.", [(None, "2017-04-30")]),
        ("1. januar 2024 – 31. desember 2026", [("2024-01-01", "2026-12-31")]),
        ("prosjektet starter 1. mars 2024", [("2024-03-01", None)]),
        ("Projektet avslutas i december 2025", [(None, "2025-12")]),
        ("pågår til og med 31. mai 2027", [(None, "2027-05-31")]),
        ("2016 lanserades en nationell strategi", [("2016", None)]),
        ("Projektet startar hösten 2024", [("2024", None)]),
        ("pågår till hösten 2025", [(None, "2025")]),
        ("under tre år från 2024", [("2024", None)]),
    ],
)
def test_compact_norwegian_and_open_forms(text: str, expected: list) -> None:
    assert periods(text) == expected


@pytest.mark.parametrize("text", ["org.nr 20231299", "ordernummer 202313011", "tel 0701234567"])
def test_eight_digits_that_are_no_date(text: str) -> None:
    assert periods(text) == [] and dates(text) == []
