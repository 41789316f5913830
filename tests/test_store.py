"""The store layout: release graphs beside a de-duplicated default graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from regiongraph.graph.store import GraphStore, StoreError

A = '<http://x/a> <http://x/p> "1" .\n<http://x/a> <http://x/p> "2" .\n'
B = '<http://x/a> <http://x/p> "2" .\n<http://x/a> <http://x/p> "3" .\n'


def _union(store: GraphStore) -> list[str]:
    return sorted(
        q.object.value for q in store.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    )


def test_default_graph_holds_each_triple_once():
    s = GraphStore()
    s.replace_graph("http://g/1", A)
    s.replace_graph("http://g/2", B)
    assert _union(s) == ["1", "2", "3"]
    assert s.count("http://g/1") == 2 and s.count("http://g/2") == 2


def test_replacing_a_graph_keeps_triples_other_graphs_hold():
    s = GraphStore()
    s.replace_graph("http://g/1", A)
    s.replace_graph("http://g/2", B)
    s.replace_graph("http://g/1", '<http://x/a> <http://x/p> "9" .\n')
    assert _union(s) == ["2", "3", "9"]


def test_removing_a_graph_drops_only_what_it_alone_supported():
    s = GraphStore()
    s.replace_graph("http://g/1", A)
    s.replace_graph("http://g/2", B)
    assert s.remove_graph("http://g/2")
    assert _union(s) == ["1", "2"]
    assert [g.value for g in s.store.named_graphs()] == ["http://g/1"]
    assert not s.remove_graph("http://g/2")


def test_release_graphs_and_hashes(tmp_path):
    s = GraphStore(tmp_path / "store")
    g = s.minter.release_graph("r1")
    sha = "<https://w3id.org/regiongraph/ontology#sha256>"
    s.replace_graph(str(g), f'<http://x/r1> {sha} "abc" .\n')
    assert s.release_graphs() == {"r1": str(g)}
    assert s.release_hashes() == {"r1": "abc"}


def test_a_read_only_handle_opens_beside_the_writer_and_cannot_write(tmp_path):
    writer = GraphStore(tmp_path / "store")
    writer.replace_graph("http://g/1", A)
    writer.flush()
    reader = GraphStore(tmp_path / "store", read_only=True)
    assert _union(reader) == ["1", "2"] and reader.count("http://g/1") == 2
    with pytest.raises(RuntimeError, match="read-write"):
        reader.replace_graph("http://g/2", B)
    writer.replace_graph("http://g/2", B)  # the writer still writes
    assert _union(writer) == ["1", "2", "3"]


def test_read_only_on_a_missing_store_names_it(tmp_path):
    with pytest.raises(StoreError, match=r"cannot open the store at .*nowhere"):
        GraphStore(tmp_path / "nowhere", read_only=True)
