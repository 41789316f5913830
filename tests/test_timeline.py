"""Periods onto projects and dates onto events, tied by the layout of the release."""

from __future__ import annotations

import pytest

from regiongraph.extract.timeline import project_and_event_dates
from test_grants import given_entities, read_release


def dated(tmp_path, text: str, projects: set[str], events: frozenset[str] = frozenset()):
    doc = read_release(tmp_path, text)
    return project_and_event_dates(doc, given_entities(doc, projects, set(), events))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # key-value block under the project's heading
            "Beslut\n\nSmart Vatten\nProjektägare: Umeå universitet\n"
            "Projektperiod: 2024-01-01 – 2026-12-31\n",
            {"Smart Vatten": ("2024-01-01", "2026-12-31")},
        ),
        (  # compact dates in a later sentence about the project
            "Nya projekt\n\nI projektet Smart Vatten vill Umeå universitet mäta mer.\n"
            "Projektet ska pågå 20170501-20181231 och budgeten är 4 miljoner kronor.\n",
            {"Smart Vatten": ("2017-05-01", "2018-12-31")},
        ),
        (  # a programme's period is no project's
            "Nya projekt\n\nSmart Vatten är ett av 27 projekt i programperioden 2021–2027.\n",
            {},
        ),
        (  # a period under another heading belongs to no earlier project
            "Nya projekt\n\nSmart Vatten ska mäta vattnet.\n\nOm regionen\n\n"
            "Strategin pågår 2021–2030.\n",
            {},
        ),
        (  # a period in brackets right after the project's name
            "Nya projekt\n\nProjektet Smart Vatten (2023–2025) leds av Umeå universitet.\n",
            {"Smart Vatten": ("2023", "2025")},
        ),
        (  # brackets that hold more than a period
            "Nya projekt\n\nProjektet Smart Vatten (startat 2023 av Umeå universitet) mäter.\n",
            {},
        ),
        (  # a project named with its years
            "Program\n\nRegionen antar Klusterprogram Norr 2017–2021 i dag.\n",
            {"Klusterprogram Norr 2017–2021": ("2017", "2021")},
        ),
    ],
)
def test_project_periods_by_layout(tmp_path, text, expected):
    projects = {p for p in ("Smart Vatten", "Klusterprogram Norr 2017–2021") if p in text}
    got = dated(tmp_path, text, projects)
    assert got == expected


def test_the_one_timed_date_of_a_page_about_one_event(tmp_path):
    text = (
        "OBS! Evenemanget är avslutat!11 maj 2023 kl. 09.30-16.00\n\n"
        "Regiondagen Norr - en dag om fakta och analyser.\n"
    )
    assert dated(tmp_path, text, set(), frozenset({"Regiondagen Norr"})) == {
        "Regiondagen Norr": ("2023-05-11", None)
    }
