"""Money amounts: notations, qualifiers, implied currency, traps, real releases, gold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from regiongraph.extract.money import AmountMatch, find_amounts, parse_amount

DATA = Path(__file__).resolve().parents[1] / "data"
RELEASES = DATA / "releases"
# All bundled gold: every amount / date a release states is found in a line of it.
GOLD_FILES = sorted((DATA / "gold").glob("*/*.gold.json"))


def amounts(text: str, **kwargs) -> list[tuple[float, str]]:
    return [(m.value, m.currency) for m in find_amounts(text, **kwargs)]


def only(text: str, **kwargs) -> AmountMatch:
    found = find_amounts(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- notations


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        # thousands separators
        ("2 491 478 kr", 2_491_478, "SEK"),
        ("893 984 kr", 893_984, "SEK"),
        ("2\u00a0491\u00a0478\u00a0kr", 2_491_478, "SEK"),  # non-breaking spaces
        ("2\u202f491\u202f478 kr", 2_491_478, "SEK"),  # narrow non-breaking spaces
        ("2\u2009491\u2009478 kronor", 2_491_478, "SEK"),  # thin spaces
        ("2.491.478 kronor", 2_491_478, "SEK"),
        ("2.500 kr", 2_500, "SEK"),
        ("2491478 kr", 2_491_478, "SEK"),
        ("1 200 000 euro", 1_200_000, "EUR"),
        ("1,200,000 euro", 1_200_000, "EUR"),
        ("1 200,50 kr", 1_200.5, "SEK"),
        ("12,50 euro", 12.5, "EUR"),
        # scale words
        ("25,5 miljoner kronor", 25_500_000, "SEK"),
        ("4,8 miljoner kronor", 4_800_000, "SEK"),
        ("1,2 miljarder kronor", 1_200_000_000, "SEK"),
        ("en miljard kronor", 1_000_000_000, "SEK"),
        ("300 tusen kronor", 300_000, "SEK"),
        ("3 milj. kr", 3_000_000, "SEK"),
        ("6,9 miljoner euro", 6_900_000, "EUR"),
        ("25,5 Miljoner Kronor", 25_500_000, "SEK"),  # title case headline
        ("€3M", 3_000_000, "EUR"),
        ("2 miljoner €", 2_000_000, "EUR"),
        ("2 miljoner svenska kronor", 2_000_000, "SEK"),
        ("2.5 million euros", 2_500_000, "EUR"),
        # compound units
        ("500 tkr", 500_000, "SEK"),
        ("500 Tkr", 500_000, "SEK"),
        ("750 kSEK", 750_000, "SEK"),
        ("5 mnkr", 5_000_000, "SEK"),
        ("5 Mkr", 5_000_000, "SEK"),
        ("5 mkr", 5_000_000, "SEK"),
        ("3 MSEK", 3_000_000, "SEK"),
        ("2 mdkr", 2_000_000_000, "SEK"),
        ("4 MEUR", 4_000_000, "EUR"),
        ("4 MDKK", 4_000_000, "DKK"),
        # currency before the number
        ("SEK 500 000", 500_000, "SEK"),
        ("EUR 1,2 miljoner", 1_200_000, "EUR"),
        ("€2.5 million", 2_500_000, "EUR"),
        ("€ 3m", 3_000_000, "EUR"),
        ("€2.5bn", 2_500_000_000, "EUR"),
        ("$4 million", 4_000_000, "USD"),
        ("NOK 2 million", 2_000_000, "NOK"),
        ("SEK500", 500, "SEK"),
        # currency after the number
        ("500 000 SEK", 500_000, "SEK"),
        ("500 000 NOK", 500_000, "NOK"),
        ("250 000 DKK", 250_000, "DKK"),
        ("3 miljoner norska kronor", 3_000_000, "NOK"),
        ("3 miljoner danska kronor", 3_000_000, "DKK"),
        ("10 000 dollar", 10_000, "USD"),
        ("5 000 pund", 5_000, "GBP"),
        ("1 krona", 1, "SEK"),
        ("500:-", 500, "SEK"),
        ("181 000 kronor", 181_000, "SEK"),
        # number words
        ("sju miljoner euro", 7_000_000, "EUR"),
        ("Sju miljoner euro", 7_000_000, "EUR"),
        ("en miljon euro", 1_000_000, "EUR"),
        ("ett tusen kronor", 1_000, "SEK"),
        ("tjugofem miljoner kronor", 25_000_000, "SEK"),
        ("tvåhundrafemtio tusen kronor", 250_000, "SEK"),
        ("hundra miljoner kronor", 100_000_000, "SEK"),
        ("femtio miljoner euro", 50_000_000, "EUR"),
        ("elva miljoner kronor", 11_000_000, "SEK"),
        ("en halv miljon kronor", 500_000, "SEK"),
        ("två och en halv miljoner euro", 2_500_000, "EUR"),
        ("two million euros", 2_000_000, "EUR"),
        # typo one letter away from "kronor" (dev-062)
        ("9 miljoner kronir", 9_000_000, "SEK"),
    ],
)
def test_notation_value_and_currency(text: str, value: float, currency: str) -> None:
    m = only(text)
    assert (m.value, m.currency) == (value, currency)
    assert m.text == text
    assert (m.start, m.end) == (0, len(text))
    assert m.share is False


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,200 euro", 1.2),  # a single comma is a Swedish decimal comma
        ("€2.5 million", 2_500_000),  # a single dot before a scale word is a decimal point
        ("2.500 kr", 2_500),  # a dot with three digits and no scale word groups thousands
        ("2,5 kr", 2.5),
    ],
)
def test_separator_reading(text: str, value: float) -> None:
    assert only(text).value == value


def test_match_span_is_the_amount_inside_a_sentence() -> None:
    text = "Projektägare Region Västerbotten beviljas 2 491 478 kr för projektet."
    m = only(text)
    assert m.text == "2 491 478 kr"
    assert text[m.start : m.end] == m.text


def test_per_inhabitant_amount_is_money() -> None:
    m = only("finansiering från kommunerna med 10 kronor per invånare")
    assert (m.value, m.currency, m.text) == (10, "SEK", "10 kronor")


def test_sentence_end_dot_is_not_part_of_kr() -> None:
    m = only("Region Västerbotten beviljas 266 716 kr. Totalt fick länet mer.")
    assert m.text == "266 716 kr"
    assert m.qualifier is None


def test_results_are_sorted_by_start() -> None:
    found = find_amounts("Först 5 000 kr, sedan 2 miljoner euro och till sist SEK 300.")
    assert [m.value for m in found] == [5_000, 2_000_000, 300]
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_amount_match_is_frozen() -> None:
    m = only("5 000 kr")
    with pytest.raises(AttributeError):
        m.value = 1  # type: ignore[misc]


# --------------------------------------------------------------------------- qualifiers


@pytest.mark.parametrize(
    ("text", "qualifier", "span"),
    [
        ("nästan sju miljoner euro", "approx", "nästan sju miljoner euro"),
        ("drygt 45 miljoner kronor från EU:s strukturfonder", "approx", "drygt 45 miljoner kronor"),
        ("cirka 3 miljoner kronor", "approx", "cirka 3 miljoner kronor"),
        ("ca 3 miljoner kronor", "approx", "ca 3 miljoner kronor"),
        ("ca. 3 miljoner kronor", "approx", "ca. 3 miljoner kronor"),
        ("c:a 3 miljoner kronor", "approx", "c:a 3 miljoner kronor"),
        ("omkring 3 miljoner kronor", "approx", "omkring 3 miljoner kronor"),
        ("runt 35 miljoner kronor", "approx", "runt 35 miljoner kronor"),
        ("ungefär 3 miljoner kronor", "approx", "ungefär 3 miljoner kronor"),
        ("över 3 miljoner kronor", "approx", "över 3 miljoner kronor"),
        ("knappt 3 miljoner kronor", "approx", "knappt 3 miljoner kronor"),
        ("närmare 30 miljoner kronor", "approx", "närmare 30 miljoner kronor"),
        ("mer än 21 miljoner euro", "approx", "mer än 21 miljoner euro"),
        ("almost €7 million", "approx", "almost €7 million"),
        ("Nästan 9 miljoner kronor", "approx", "Nästan 9 miljoner kronor"),
        ("totalt 8 739 550 kr", "total", "totalt 8 739 550 kr"),
        ("sammanlagt en miljon euro", "total", "sammanlagt en miljon euro"),
        ("sammantaget 12 miljoner kronor", "total", "sammantaget 12 miljoner kronor"),
        ("5 miljoner kronor i total", "total", "5 miljoner kronor i total"),
        ("en total budget på 12 miljoner kronor", "total", "en total budget på 12 miljoner kronor"),
        ("en totalbudget på 12 miljoner kronor", "total", "en totalbudget på 12 miljoner kronor"),
        (
            "en sammanlagd stödsumma på 4,2 miljoner euro",
            "total",
            "en sammanlagd stödsumma på 4,2 miljoner euro",
        ),
        ("a total of €3 million", "total", "a total of €3 million"),
        ("3 miljoner kronor", None, "3 miljoner kronor"),
    ],
)
def test_qualifier_and_span(text: str, qualifier: str | None, span: str) -> None:
    m = only(text)
    assert m.qualifier == qualifier
    assert m.text == span


def test_total_wins_over_approx() -> None:
    m = only("medfinansierar med sammanlagt drygt 9 miljoner kronor under tre år")
    assert (m.value, m.qualifier) == (9_000_000, "total")


def test_qualifier_word_inside_another_word_is_no_qualifier() -> None:
    assert only("Projektöver 3 miljoner kronor").qualifier is None


# --------------------------------------------------------------------------- implied currency


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("25,5 miljoner till regional utveckling i Västerbotten", 25_500_000),
        ("Nästan 9 miljoner till projekt i Västerbotten", 9_000_000),
        ("Regionen satsar 4,8 miljoner på tillväxtprojekt", 4_800_000),
        ("23,8 miljoner från Europeiska Regionala Utvecklingsfonden", 23_800_000),
        ("5 miljoner för att bygga ut laddinfrastrukturen", 5_000_000),
        ("Projektet beviljas 3 miljoner.", 3_000_000),
        ("Dalarna får 14,4 miljoner i projektmedel.", 14_400_000),
        ("Sundsvalls kommun satsar 30 miljoner i ett samarbetsavtal", 30_000_000),
        ("Regionen investerar 2 miljarder under perioden", 2_000_000_000),
        ("sju miljoner till forskning", 7_000_000),
    ],
)
def test_scale_word_with_money_context_implies_sek(text: str, value: float) -> None:
    m = only(text)
    assert (m.value, m.currency) == (value, "SEK")


@pytest.mark.parametrize(
    "text",
    [
        "Sverige har drygt 10 miljoner invånare",
        "Umeå tog emot 2 miljoner besökare",
        "Fabriken ska producera 5 miljoner ton stål",
        "Länet har 2 miljoner.",  # no money word in the sentence
        "Det har gått 3 miljoner år sedan dess",
        "beslut om närmare 30 miljoner k\n",  # cut-off text: "k" is no currency
        "ett par miljoner till projektet",  # "ett par" is no number
    ],
)
def test_scale_word_without_money_context_is_no_amount(text: str) -> None:
    assert find_amounts(text) == []


def test_implied_currency_follows_the_one_currency_written_in_the_text() -> None:
    text = "Förbundet beviljade 2 miljoner till projektet. Totalt fördelades 7 miljoner euro."
    assert amounts(text) == [(2_000_000, "EUR"), (7_000_000, "EUR")]


def test_implied_currency_falls_back_when_the_text_writes_two_currencies() -> None:
    text = "5 miljoner till projekt, 1 000 euro och 500 kr."
    assert amounts(text)[0] == (5_000_000, "SEK")
    assert amounts(text, implied_currency="EUR")[0] == (5_000_000, "EUR")


def test_implied_currency_can_be_set_for_finland_swedish_releases() -> None:
    assert amounts("Förbundet beviljade 2 miljoner till projektet", implied_currency="EUR") == [
        (2_000_000, "EUR")
    ]


def test_implied_currency_none_keeps_only_written_currencies() -> None:
    text = "25,5 miljoner till regional utveckling och 4,8 miljoner kronor till annat"
    assert amounts(text, implied_currency=None) == [(4_800_000, "SEK")]


def test_implied_currency_ends_the_span_at_the_scale_word() -> None:
    assert only("25,5 miljoner till regional utveckling").text == "25,5 miljoner"


def test_written_typo_after_scale_word_still_sek() -> None:
    m = only("sammanlagt drygt 9 miljoner kronir under tre år")
    assert (m.value, m.currency, m.text) == (9_000_000, "SEK", "sammanlagt drygt 9 miljoner kronir")


def test_kronoberg_is_not_a_kronor_typo() -> None:
    assert find_amounts("Region 5 Kronoberg") == []


# --------------------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mellan två och åtta miljoner kronor per år", [(2_000_000, "SEK"), (8_000_000, "SEK")]),
        ("2–3 mkr", [(2_000_000, "SEK"), (3_000_000, "SEK")]),
        ("2-3 miljoner euro", [(2_000_000, "EUR"), (3_000_000, "EUR")]),
        ("från 2 till 5 miljoner kronor", [(2_000_000, "SEK"), (5_000_000, "SEK")]),
        ("500 000 – 1 000 000 kr", [(500_000, "SEK"), (1_000_000, "SEK")]),
        ("between 2 and 3 million euros", [(2_000_000, "EUR"), (3_000_000, "EUR")]),
    ],
)
def test_range_start_borrows_scale_and_currency(text: str, expected: list) -> None:
    assert amounts(text) == expected


def test_och_without_mellan_is_no_range() -> None:
    assert amounts("8 projekt och 21 miljoner euro") == [(21_000_000, "EUR")]


def test_range_start_span_is_its_own_number() -> None:
    first = find_amounts("mellan två och åtta miljoner kronor")[0]
    assert first.text == "två"


# --------------------------------------------------------------------------- shares


@pytest.mark.parametrize("text", ["18 procent", "50 %", "50%", "cirka 11 procent", "25 percent"])
def test_percentages_are_excluded_by_default(text: str) -> None:
    assert find_amounts(text) == []


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("18 procent", 18, None),
        ("50 %", 50, None),
        ("cirka 11 procent", 11, "approx"),
        ("12,5 procent", 12.5, None),
    ],
)
def test_percentages_are_shares_on_request(text: str, value: float, qualifier: str | None) -> None:
    m = only(text, include_shares=True)
    assert (m.value, m.currency, m.share, m.qualifier) == (value, "%", True, qualifier)


def test_shares_and_amounts_together() -> None:
    text = "Region Kronoberg ger 4 765 507 kronor, 50 % av budgeten."
    found = find_amounts(text, include_shares=True)
    assert [(m.value, m.share) for m in found] == [(4_765_507, False), (50, True)]


# --------------------------------------------------------------------------- traps


@pytest.mark.parametrize(
    "text",
    [
        "070-365 45 70",
        "Stina Johansson 070-365 45 70, stina.johansson@regionvasterbotten.se",
        "070-69 76 846",
        "+358 50 4351894",
        "+358 40 685 4018",
        "Telefon: 08-681 94 51",
        "Telefon: 08-681 94 51 kr",  # a phone number stays one, whatever follows
        "2021",
        "2021–2027",
        "programperioden 2021-2027",
        "22 september 2022",
        "2023-08-30",
        "2023-08-30 kr",
        "8 projekt",
        "27 projekt blev godkända",
        "13 personer",
        "ett 40-tal personer",
        "22 kluster",
        "18 procent",
        "kl 9.00-15.00",
        "När: 22 september 2022 kl 9.00-15.00 (UTC+2)",
        "931 85 Skellefteå",
        "90189 Umeå",
        "Box 443, 901 09 Umeå",
        "Org.nr 556123-4567",
        "vecka 13",
        "Växarena 2.0 – ett regionalt projekt",
        "regionala 1:1-anslag",
        "i upp till tio år",
        "fem år efter insatsen",
        "ett par miljoner kronor",
        "120 företagen",
    ],
)
def test_trap_is_no_amount(text: str) -> None:
    assert find_amounts(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Under 2023 800 000 euro", [(800_000, "EUR")]),
        ("den 22 september 2022 500 000 kr", [(500_000, "SEK")]),
        ("8 projekt fick 2 491 478 kr", [(2_491_478, "SEK")]),
    ],
)
def test_year_or_count_before_an_amount_is_not_part_of_it(text: str, expected: list) -> None:
    assert amounts(text) == expected


# --------------------------------------------------------------------------- parse_amount


def test_parse_amount_reads_one_phrase() -> None:
    m = parse_amount("nästan sju miljoner euro")
    assert m is not None
    assert (m.value, m.currency, m.qualifier) == (7_000_000, "EUR", "approx")


def test_parse_amount_none_for_no_amount() -> None:
    assert parse_amount("070-365 45 70") is None
    assert parse_amount("") is None


def test_parse_amount_passes_implied_currency() -> None:
    m = parse_amount("beviljas 2 miljoner", implied_currency="EUR")
    assert m is not None and m.currency == "EUR"


# --------------------------------------------------------------------------- real sentences


@pytest.mark.parametrize(
    ("release", "sentence", "expected"),
    [
        (
            "dev-002.txt",
            "Projektägare Region Västerbotten beviljas 2 491 478 kr",
            [(2_491_478, "SEK", None)],
        ),
        (
            "dev-002.txt",
            "Projektägare Handelskammarens Service, AC län AB, beviljas 893 984 kr",
            [(893_984, "SEK", None)],
        ),
        (
            "dev-002.txt",
            "25,5 miljoner till regional utveckling i Västerbotten",
            [(25_500_000, "SEK", None)],
        ),
        (
            "dev-005.txt",
            "Nästan 9 miljoner till projekt i Västerbotten",
            [(9_000_000, "SEK", "approx")],
        ),
        (
            "dev-005.txt",
            "beviljades fyra projekt delfinansiering på totalt 8 739 550 kr.",
            [(8_739_550, "SEK", "total")],
        ),
        (
            "dev-017.txt",
            "27 projekt blev godkända i den första utlysningsomgången och mer än 21 miljoner euro "
            "allokerades.",
            [(21_000_000, "EUR", "approx")],
        ),
        (
            "dev-021.txt",
            "Det går att få stöd med mellan två och åtta miljoner kronor per år, med start i "
            "januari 2019.",
            [(2_000_000, "SEK", None), (8_000_000, "SEK", None)],
        ),
        (
            "dev-047.txt",
            "Förbundet kanaliserade nästan sju miljoner euro till utvecklingen av Österbotten",
            [(7_000_000, "EUR", "approx")],
        ),
        (
            "dev-047.txt",
            "Österbottens förbund förordade under fjolåret drygt 6,9 miljoner euro i finansiering "
            "till projekt i landskapet.",
            [(6_900_000, "EUR", "approx")],
        ),
        (
            "dev-047.txt",
            "Under 2023 öppnades en Eruf-ansökningsomgång med en stödsumma på 1,5 miljoner euro "
            "samt två FRO-ansökningsomgångar med en sammanlagd stödsumma på 4,2 miljoner euro.",
            [(1_500_000, "EUR", None), (4_200_000, "EUR", "total")],
        ),
        (
            "dev-047.txt",
            "Under året kunde 820 000 euro sökas för identifierade teman",
            [(820_000, "EUR", None)],
        ),
        (
            "dev-054.txt",
            "Köpeskillingen uppgår till 134 miljoner SEK.",
            [(134_000_000, "SEK", None)],
        ),
        (
            "dev-064.txt",
            "I veckan beviljade Strukturfondspartnerkapet 36 miljoner från kronor Europeiska "
            "Regionala Utvecklingsfonden",
            [(36_000_000, "SEK", None)],
        ),
        (
            "dev-071.txt",
            "Östergötlands stöd möjliggör samlade projektinsatser för totalt 146 miljoner kronor.",
            [(146_000_000, "SEK", "total")],
        ),
        (
            "dev-091.txt",
            "Regionala utvecklingsnämnden ger projektet 4 765 507 kronor perioden jan 2018-mars "
            "2021.",
            [(4_765_507, "SEK", None)],
        ),
        (
            "001_a1d85f591ea8fabd.txt",
            "som hade näst högst varuexportvärde per invånare med 181 000 kronor.",
            [(181_000, "SEK", None)],
        ),
        ("003_7cf70bc74400741d.txt", "När: 22 september 2022 kl 9.00-15.00 (UTC+2)", []),
    ],
)
def test_real_release_sentence(release: str, sentence: str, expected: list) -> None:
    assert sentence in " ".join((RELEASES / release).read_text(encoding="utf-8").split())
    found = find_amounts(sentence)
    assert [(m.value, m.currency, m.qualifier) for m in found] == expected


@pytest.mark.parametrize(
    "release", ["002_fba7c0403af4cdf9.txt", "003_7cf70bc74400741d.txt", "dev-045.txt"]
)
def test_contact_blocks_of_real_releases_hold_no_amount(release: str) -> None:
    text = (RELEASES / release).read_text(encoding="utf-8")
    assert find_amounts(text) == []


@pytest.mark.parametrize("path", sorted(RELEASES.glob("*.txt")), ids=lambda p: p.name)
def test_every_release_reads_with_consistent_spans(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = find_amounts(text, include_shares=True)
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.value > 0
        assert m.share == (m.currency == "%")
        assert m.share or re.fullmatch(r"[A-Z]{3}", m.currency)
    assert [m.start for m in found] == sorted(m.start for m in found)


# --------------------------------------------------------------------------- gold


def _gold_amounts() -> list[tuple[str, float, str]]:
    out = []
    for path in GOLD_FILES:
        gold = json.loads(path.read_text(encoding="utf-8"))
        for rel in gold.get("relations", []):
            amount = rel.get("amount")
            if rel.get("p") == "fundedBy" and amount:
                out.append((gold["release"], amount["value"], amount["currency"]))
    return sorted(set(out))


GOLD_AMOUNTS = _gold_amounts()


def test_gold_has_amounts() -> None:
    assert GOLD_AMOUNTS, "no fundedBy amounts in data/gold"


@pytest.mark.parametrize(("release", "value", "currency"), GOLD_AMOUNTS)
def test_gold_amount_is_found_in_a_line_of_its_release(
    release: str, value: float, currency: str
) -> None:
    lines = (RELEASES / release).read_text(encoding="utf-8").splitlines()
    found = [(m.value, m.currency) for line in lines for m in find_amounts(line)]
    assert (value, currency) in found


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("4,75 millioner kroner", 4_750_000, "NOK"),
        ("får 750 000 kroner", 750_000, "NOK"),
        ("2 millioner norske kroner", 2_000_000, "NOK"),
        ("3 mill. kroner", 3_000_000, "NOK"),
        ("2,5 mrd. kroner", 2_500_000_000, "NOK"),
        ("1,2 milliarder kroner", 1_200_000_000, "NOK"),
        ("Totalbudsjettet er på EUR 836.913", 836_913, "EUR"),
    ],
)
def test_norwegian_notation(text: str, value: float, currency: str) -> None:
    assert amounts(text) == [(value, currency)]


def test_kroner_is_not_read_as_a_kronor_typo() -> None:
    assert only("7Sterke får 2 millioner kroner fra Innlandet").currency == "NOK"


def test_norwegian_scale_word_without_currency() -> None:
    assert amounts("Prosjektet får 2 millioner til utstyr", implied_currency="NOK") == [
        (2_000_000, "NOK")
    ]
    assert amounts("Fylket bevilget 1,5 millioner i 2022.", implied_currency="NOK") == [
        (1_500_000, "NOK")
    ]
    assert amounts("Regionen har 2 millioner innbyggere", implied_currency="NOK") == []
