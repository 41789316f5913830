"""Tables for colleagues who do not use SPARQL: per region or per funder, as CSV or XLSX.

The rows are those of ``queries/report-by-region.rq`` and ``queries/report-by-funder.rq``
(actors, projects, roles, funding with amounts and periods, and the release behind each
row); ``write_report`` writes them with the csv module or openpyxl, with plain-word
column headings on a frozen, filterable header row.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

from regiongraph.query.library import QueryError, load_query, run_select
from regiongraph.query.names import NameIndex

REPORTS = {"region": "report-by-region", "funder": "report-by-funder"}
HEADINGS = {
    "region": "Region or municipality",
    "regionLabel": "Region name",
    "funder": "Funder",
    "funderLabel": "Funder name",
    "actor": "Actor",
    "actorLabel": "Actor name",
    "role": "Role",
    "project": "Project",
    "projectLabel": "Project name",
    "amount": "Amount",
    "currency": "Currency",
    "startDate": "Start",
    "endDate": "End",
    "release": "Release",
}


def report_rows(store: object, by: str, name: str | None = None) -> list[dict[str, object]]:
    """The report's rows; ``name`` (a name, code or IRI) narrows it to one region or funder."""
    if by not in REPORTS:
        raise QueryError(f"report by {by!r}: choose one of {', '.join(REPORTS)}")
    params: dict[str, str] = {}
    if name:
        params[by] = NameIndex.from_store(store).resolve(name, by)
    return run_select(store, load_query(REPORTS[by]), params)  # type: ignore[arg-type]


def columns_of(by: str) -> list[str]:
    """The report's columns, in the query's order (also for a report without rows)."""
    return list(load_query(REPORTS[by]).returns)


def write_report(rows: Sequence[Mapping[str, object]], columns: Sequence[str], out: Path) -> Path:
    """Write ``rows`` to ``out``: ``.xlsx`` through openpyxl, ``.csv`` (UTF-8, LF) else."""
    out.parent.mkdir(parents=True, exist_ok=True)
    headings = [HEADINGS.get(c, c) for c in columns]
    if out.suffix.lower() == ".xlsx":
        _write_xlsx(rows, columns, headings, out)
    elif out.suffix.lower() == ".csv":
        with out.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(headings)
            for row in rows:
                writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    else:
        raise QueryError(f"{out}: write a .xlsx or a .csv file")
    return out


def _write_xlsx(
    rows: Sequence[Mapping[str, object]], columns: Sequence[str], headings: list[str], out: Path
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "report"
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for i, column in enumerate(columns, start=1):
        longest = max([len(headings[i - 1])] + [len(str(r.get(column) or "")) for r in rows[:500]])
        sheet.column_dimensions[get_column_letter(i)].width = min(60, longest + 2)
    book.save(out)
