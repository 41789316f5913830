"""Query files given by name or path: clear messages for a missing file and an update."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from regiongraph.query.library import QueryError, is_update, load_query, run_select


def test_a_missing_rq_file_is_named_once(tmp_path: Path) -> None:
    with pytest.raises(QueryError) as caught:
        load_query(str(tmp_path / "x.rq"), directory=tmp_path)
    message = str(caught.value)
    assert ".rq.rq" not in message
    assert f"no query named 'x' (looked for {tmp_path / 'x.rq'}" in message


def test_a_library_name_with_its_suffix_is_found() -> None:
    assert load_query("projects-with-funders.rq").name == "projects-with-funders"


def test_an_update_in_a_query_file_is_refused_as_an_update(tmp_path: Path) -> None:
    path = tmp_path / "change.rq"
    path.write_text("PREFIX ex: <http://x/>\nINSERT DATA { ex:a ex:b ex:c }\n", encoding="utf-8")
    store = ox.Store()
    with pytest.raises(QueryError, match=r"'change' is a SPARQL update .*refused"):
        run_select(store, load_query(str(path)))
    assert len(store) == 0


def test_is_update_reads_the_parsed_form_not_the_words() -> None:
    assert is_update("DELETE WHERE { ?s ?p ?o }")
    assert not is_update('SELECT ?s WHERE { ?s ?p "INSERT DATA" }')
    assert not is_update("SELECT WHERE {")  # a broken query is no update
