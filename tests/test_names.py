"""Names for query parameters (name, alias, code, IRI), ``find``, ``report``, ``add``,
the build counts and terminal-sized output, run as a user runs them on the bundled data."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import ROOT
from regiongraph.cli import app
from regiongraph.cli.networks import STAT_COLUMNS, TABLE_COLUMNS
from regiongraph.ingest.metadata import load_sources
from regiongraph.query.library import QueryError, load_query, run_select
from regiongraph.query.names import NameError_, NameIndex, resolve_params

ID = "https://w3id.org/regiongraph/id/"
VASTERBOTTEN = ID + "region/se-vasterbotten"
SKELLEFTEA = ID + "municipality/skelleftea"
BATTERY = ID + "project/battery-region"


@pytest.fixture(scope="module")
def build_dir(built):
    return built.store.path.parent


@pytest.fixture(scope="module")
def index(store):
    return NameIndex.from_store(store.store)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize(
    "text, kind, iri",
    [
        ("Region Västerbotten", "region", VASTERBOTTEN),
        ("region västerbotten", "region", VASTERBOTTEN),  # case
        ("Region Vasterbotten", "region", VASTERBOTTEN),  # accents
        ("Västerbottens län", "region", VASTERBOTTEN),  # an alias
        ("SE331", "region", VASTERBOTTEN),  # NUTS
        ("24", "region", VASTERBOTTEN),  # länskod
        ("2482", "region", SKELLEFTEA),  # kommunkod
        ("vasterbotten", "region", VASTERBOTTEN),  # slug
        ("id:region/se-vasterbotten", "region", VASTERBOTTEN),  # prefixed name
        (VASTERBOTTEN, "region", VASTERBOTTEN),
        ("Battery Region", "project", BATTERY),
    ],
)
def test_names_codes_and_iris_resolve(index, text, kind, iri):
    assert index.resolve(text, kind) == iri


def test_unknown_name_lists_the_closest(index):
    with pytest.raises(NameError_) as caught:
        index.resolve("Region Västerbotn", "region")
    assert caught.value.suggestions[0].iri == VASTERBOTTEN
    assert "Region Västerbotten" in str(caught.value)


def test_ambiguous_code_lists_the_candidates(index):
    with pytest.raises(NameError_) as caught:
        index.resolve("01", "region")  # Stockholms län and Uusimaa
    assert caught.value.ambiguous and len(caught.value.suggestions) == 2


def test_query_parameters_take_names(store, index):
    q = load_query("collaborators-of-actor")
    by_name = run_select(store.store, q, resolve_params(q, {"actor": "Region Västerbotten"}, index))
    by_iri = run_select(store.store, q, {"actor": VASTERBOTTEN})
    assert by_name == by_iri and by_name
    with pytest.raises(QueryError):
        resolve_params(q, {"actor": "Region Västerbotten"}, None)


def test_funders_of_project_query_and_project_parameter(store, index):
    q = load_query("funders-of-project")
    rows = run_select(store.store, q, resolve_params(q, {"project": "Battery Region"}, index))
    assert {r["funderLabel"] for r in rows} == {"Europeiska regionala utvecklingsfonden",
                                                 "Interreg Nord"}  # fmt: skip
    every = run_select(store.store, load_query("projects-with-funders"))
    only = run_select(store.store, load_query("projects-with-funders"), {"project": BATTERY})
    assert only and {r["project"] for r in only} == {BATTERY} and len(only) < len(every)


def test_query_command_by_name_and_misspelt_name(build_dir):
    ok = run("query", "actors-in-region", "--param", "region=Region Västerbotten",
             "--format", "csv", "--build-dir", str(build_dir))  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert "municipality of the region" in ok.stdout
    bad = run("query", "actors-in-region", "--param", "region=Region Västerbotn",
              "--build-dir", str(build_dir))  # fmt: skip
    assert bad.exit_code == 2 and "Region Västerbotten" in bad.stderr and not bad.stdout


def test_find_prints_iri_type_codes_and_facts(build_dir):
    result = run("find", "Västerbotten", "--format", "csv", "--build-dir", str(build_dir))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    first = rows[0]
    assert first["iri"] == VASTERBOTTEN and first["type"] == "Region"
    assert "NUTS=SE331" in first["codes"] and int(first["facts"]) > 10


def test_query_table_shows_prefixed_names_and_csv_full_iris(build_dir):
    table = run("query", "actors-in-region", "--build-dir", str(build_dir))
    assert "id:municipality/" in table.stdout  # prefixed names (cut with … at 80 columns)
    assert "https://w3id.org" not in table.stdout
    data = run("query", "actors-in-region", "--format", "csv", "--build-dir", str(build_dir))
    assert SKELLEFTEA in data.stdout


def test_queries_lists_one_line_each_that_fits(build_dir):
    result = run("queries")
    lines = result.stdout.splitlines()
    assert len(lines) == len(list((ROOT / "queries").glob("*.rq")))
    assert all(len(line) <= 80 for line in lines)
    long = run("queries", "--long")
    assert "--param region=<region>" in long.stdout


def test_stats_table_uses_the_csv_column_names(build_dir):
    assert set(TABLE_COLUMNS) <= set(STAT_COLUMNS)
    result = run("network", "stats", "--top", "3", "--build-dir", str(build_dir))
    header = next(line for line in result.stdout.splitlines() if "rank ┃" in line)
    assert all(c in header for c in TABLE_COLUMNS)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_report_rows_equal_the_query_library(build_dir, store, tmp_path, suffix):
    out = tmp_path / f"report{suffix}"
    result = run("report", "--by", "region", "--name", "SE331", "--out", str(out),
                 "--build-dir", str(build_dir))  # fmt: skip
    assert result.exit_code == 0, result.output
    expected = run_select(store.store, load_query("report-by-region"), {"region": VASTERBOTTEN})
    columns = list(load_query("report-by-region").returns)
    if suffix == ".xlsx":
        sheet = load_workbook(out).active
        rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
        want = [[r[c] for c in columns] for r in expected]
    else:
        rows = list(csv.reader(out.open(encoding="utf-8")))[1:]
        want = [["" if r[c] is None else str(r[c]) for c in columns] for r in expected]
    assert rows == want and any(r["amount"] for r in expected)
    assert {r["release"] for r in expected} and all(r["release"] for r in expected)


def test_report_by_funder(build_dir, tmp_path):
    out = tmp_path / "funder.xlsx"
    result = run("report", "--by", "funder", "--name", "Interreg Nord", "--out", str(out),
                 "--build-dir", str(build_dir))  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0] == "Funder" and {r[1] for r in rows[1:]} == {"Interreg Nord"}


@pytest.fixture()
def own_data(tmp_path):
    """A copy of data/ (rules, reference data, curation, two releases) to add releases to."""
    data = tmp_path / "data"
    for name in ("rules", "reference"):
        shutil.copytree(ROOT / "data" / name, data / name)
    shutil.copy(ROOT / "data" / "curation.yaml", data / "curation.yaml")
    (data / "releases").mkdir()
    for name in ("dev-002.txt", "dev-005.txt"):
        shutil.copy(ROOT / "data" / "releases" / name, data / "releases" / name)
    (data / "releases" / "SOURCES.csv").write_bytes(
        b"file,source,date,publisher,language\r\ndev-002.txt,https://example.org/a,2023,X,sv\r\n"
    )
    return data


def test_add_copies_writes_sources_and_builds_incrementally(own_data, tmp_path):
    release = tmp_path / "mine.txt"
    shutil.copy(ROOT / "data" / "releases" / "dev-007.txt", release)
    build = tmp_path / "build"
    first = run("build", "--data-dir", str(own_data), "--build-dir", str(build), "--no-viz")
    assert first.exit_code == 0, first.output
    result = run("add", str(release), "--source", "https://example.org/mine", "--date",
                 "2024-05-02", "--publisher", "Me", "--language", "sv",
                 "--data-dir", str(own_data), "--build-dir", str(build))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (own_data / "releases" / "mine.txt").read_bytes() == release.read_bytes()
    raw = (own_data / "releases" / "SOURCES.csv").read_bytes()
    assert b"\r\n" not in raw  # one line-ending style
    rows = load_sources(own_data / "releases" / "SOURCES.csv")
    assert rows["mine.txt"].date == "2024-05-02" and rows["mine.txt"].publisher == "Me"
    assert rows["dev-002.txt"].source == "https://example.org/a"  # earlier rows kept
    counts = dict(
        line.strip("│ ").split("│")[0:2]
        for line in result.stdout.splitlines()
        if line.startswith("│ releases")
    )
    counts = {k.strip(): int(v) for k, v in counts.items()}
    assert counts["releases changed"] == 1 and counts["releases unchanged"] == 2


@pytest.mark.parametrize(
    "option, value", [("--date", "2 maj 2024"), ("--date", "2024-13-01"), ("--source", "here")]
)
def test_add_refuses_bad_metadata(own_data, tmp_path, option, value):
    release = tmp_path / "mine.txt"
    release.write_text("Region Västerbotten satsar.", encoding="utf-8")
    result = run("add", str(release), option, value, "--no-build", "--data-dir", str(own_data))
    assert result.exit_code == 2 and option in result.stderr
    assert not (own_data / "releases" / "mine.txt").exists()


def test_wide_results_fit_an_80_column_terminal(build_dir):
    result = run("query", "funders-of-project", "--param", "project=Battery Region",
                 "--build-dir", str(build_dir))  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and all(len(line.rstrip()) <= 80 for line in lines)
    assert any(re.match(r"funderLabel\s+Interreg Nord", line) for line in lines)
    assert "id:project/battery-region" in result.stdout  # the column names and IRIs as in CSV
