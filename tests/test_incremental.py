"""Incremental builds: add, change and delete give exactly what a clean build gives."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from conftest import BASE, RELEASES, ROOT, SEEDS, config_for
from regiongraph.build.pipeline import build

EXTRA = RELEASES / "dev-002.txt"  # the release added later


def _dump(store) -> set[str]:
    return {str(q) for q in store.store.quads_for_pattern(None, None, None, None)}


def _folder(tmp: Path, files: list[Path]) -> Path:
    folder = tmp / "releases"
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def _change(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n\nSatsningen följs upp under nästa år.\n", "utf-8")


def _final_state(tmp: Path) -> Path:
    """SEEDS[1:] + EXTRA, with SEEDS[1] changed: the folder after add, change, delete."""
    folder = _folder(tmp, [*SEEDS[1:], EXTRA])
    _change(folder / SEEDS[1].name)
    return folder


def _actors(store) -> dict[str, str]:
    graph = ox.NamedNode(f"{BASE}/graph/actors")
    pref = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    return {
        q.subject.value: q.object.value
        for q in store.store.quads_for_pattern(None, pref, None, graph)
    }


def test_add_change_delete_equals_a_clean_build(tmp_path):
    clean = build([_final_state(tmp_path / "clean")], config_for(tmp_path / "clean", prune=True))
    assert clean.bulk and not clean.summary.problems
    expected = _dump(clean.store)
    expected_actors = _actors(clean.store)
    clean.store.close()

    work = tmp_path / "work"
    folder = _folder(work, SEEDS)
    first = build([folder], config_for(work, prune=True, workers=1))
    before_actors = _actors(first.store)
    first.store.close()

    shutil.copy(EXTRA, folder / EXTRA.name)  # add
    _change(folder / SEEDS[1].name)  # change
    (folder / SEEDS[0].name).unlink()  # delete
    result = build([folder], config_for(work, prune=True, workers=1))
    assert not result.bulk
    assert (result.skipped, result.extracted, result.removed) == (len(SEEDS) - 2, 2, 1)
    assert _dump(result.store) == expected
    # canonical actors: the same as a clean build, and unchanged for actors still mentioned
    actors = _actors(result.store)
    assert actors == expected_actors
    kept = set(actors) & set(before_actors)
    assert kept and all(actors[a] == before_actors[a] for a in kept)


def test_unchanged_releases_are_not_read_again(tmp_path):
    folder = _folder(tmp_path, SEEDS)
    first = build([folder], config_for(tmp_path, workers=1))
    assert first.extracted == len(SEEDS) and first.skipped == 0
    dump = _dump(first.store)
    first.store.close()
    again = build([folder], config_for(tmp_path, workers=1))
    assert (again.extracted, again.skipped, again.loaded) == (0, len(SEEDS), 0)
    assert again.summary.releases_read == len(SEEDS)
    assert _dump(again.store) == dump


def test_a_deleted_release_takes_its_facts_along(tmp_path):
    folder = _folder(tmp_path, SEEDS[:2])
    first = build([folder], config_for(tmp_path, prune=True, workers=1))
    gone = first.store.release_graphs()[SEEDS[1].stem.replace("_", "-")]
    only_there = {
        str(q.subject) + str(q.predicate) + str(q.object) for q in first.store.graph_quads(gone)
    }
    first.store.close()
    (folder / SEEDS[1].name).unlink()
    result = build([folder], config_for(tmp_path, prune=True, workers=1))
    assert result.removed == 1
    other = _folder(tmp_path / "only", SEEDS[:1])
    clean = build([other], config_for(tmp_path / "only", workers=1))
    assert _dump(result.store) == _dump(clean.store)
    assert only_there  # and the default graph kept only what the other release holds


def test_changed_rules_make_every_release_read_again(tmp_path):
    """An unchanged file is skipped only while the rules that read it are unchanged too."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "rules", data / "rules")
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copy(ROOT / "data" / "curation.yaml", data / "curation.yaml")
    folder = _folder(tmp_path, SEEDS[:2])
    config = replace(config_for(tmp_path, workers=1), data_dir=data)
    build([folder], config).store.close()
    curation = data / "curation.yaml"
    curation.write_text(curation.read_text(encoding="utf-8") + "\n# reviewed\n", "utf-8")
    again = build([folder], config)
    assert (again.extracted, again.skipped) == (2, 0)
    again.store.close()
    third = build([folder], config)
    assert (third.extracted, third.skipped) == (0, 2)


def test_an_unchanged_tree_reads_and_hashes_no_file(tmp_path):
    """The build index (size, mtime, sha256 per file, beside the store) spares unchanged
    files even the hashing; a touched file is hashed, and read only if its bytes moved."""
    folder = _folder(tmp_path, SEEDS[:3])
    first = build([folder], config_for(tmp_path, prune=True, workers=1))
    assert first.hashed == 0 and first.extracted == 3
    dump = _dump(first.store)
    first.store.close()
    old = 1_000_000_000_000_000_000  # files older than the index's "racy" window
    for f in folder.iterdir():
        os.utime(f, ns=(old, old))
    # the first index was written with the files too fresh to trust: they are hashed once
    second = build([folder], config_for(tmp_path, prune=True, workers=1))
    assert second.indexed and (second.hashed, second.extracted) == (3, 0)
    second.store.close()
    again = build([folder], config_for(tmp_path, prune=True, workers=1))
    assert again.indexed
    assert (again.hashed, again.extracted, again.skipped, again.loaded) == (0, 0, 3, 0)
    assert (first.summary.releases_changed, first.summary.releases_unchanged) == (3, 0)
    assert again.summary == replace(first.summary, releases_unchanged=3, releases_changed=0)
    assert _dump(again.store) == dump
    again.store.close()
    touched = folder / SEEDS[0].name
    os.utime(touched, ns=(old + 10**9, old + 10**9))  # new mtime, same bytes
    third = build([folder], config_for(tmp_path, prune=True, workers=1))
    assert (third.hashed, third.extracted, third.skipped) == (1, 0, 3)
    third.store.close()


def test_incremental_summary_counts_equal_a_clean_build(tmp_path):
    """Entity, relation, triple and quad counts are carried in the build index and moved by
    each write; after add, change and delete they equal a clean build's."""
    clean = build([_final_state(tmp_path / "clean")], config_for(tmp_path / "clean", prune=True))
    expected = clean.summary
    clean.store.close()
    work = tmp_path / "work"
    folder = _folder(work, SEEDS)
    build([folder], config_for(work, prune=True, workers=1)).store.close()
    shutil.copy(EXTRA, folder / EXTRA.name)
    _change(folder / SEEDS[1].name)
    (folder / SEEDS[0].name).unlink()
    result = build([folder], config_for(work, prune=True, workers=1))
    assert result.indexed and result.actors_updated > 0
    s = result.summary
    counts = (s.entities, s.relations, s.triples, s.quads)
    assert counts == (expected.entities, expected.relations, expected.triples, expected.quads)
    result.store.close()


def test_a_store_written_outside_the_build_drops_the_index(tmp_path):
    folder = _folder(tmp_path, SEEDS[:2])
    first = build([folder], config_for(tmp_path, prune=True, workers=1))
    index = first.store.index_path
    assert index is not None and index.exists()
    first.store.remove_releases([SEEDS[0].stem.replace("_", "-")])
    assert not index.exists()
    first.store.close()
    again = build([folder], config_for(tmp_path, prune=True, workers=1))
    assert not again.indexed and again.extracted == 1


def test_a_forced_rebuild_equals_a_clean_build_and_keeps_what_now_fails(tmp_path):
    """Reading every release again (``force``, or changed rules) rebuilds the store in bulk
    beside the old one and swaps it in: the result is a clean build's, except that a file
    that can no longer be read keeps its graphs, and the next build trusts the new index."""
    folder = _folder(tmp_path, SEEDS)
    config = config_for(tmp_path, prune=True, workers=1)
    first = build([folder], config)
    broken = first.store.release_graphs()[SEEDS[0].stem.replace("_", "-")]
    broken_quads = {str(q) for q in first.store.graph_quads(broken)}
    first.store.close()

    _change(folder / SEEDS[1].name)
    (folder / SEEDS[0].name).write_bytes(b"\x00\x01binary\x00" * 50)  # now unreadable
    (folder / SEEDS[2].name).unlink()
    rebuilt = build([folder], replace(config, force=True))
    assert rebuilt.bulk and rebuilt.removed == 1
    assert [p.path for p in rebuilt.summary.problems] == [str(folder / SEEDS[0].name)]
    assert {str(q) for q in rebuilt.store.graph_quads(broken)} == broken_quads
    assert not (tmp_path / "store.rebuild").exists() and not (tmp_path / "store.old").exists()
    counted = rebuilt.summary
    got = _dump(rebuilt.store)
    rebuilt.store.close()

    # the same as a clean build of the readable files plus the kept graph of the broken one
    clean_dir = tmp_path / "clean"
    clean_folder = _folder(clean_dir, [SEEDS[0], *SEEDS[3:]])
    _change(_folder(clean_dir, [SEEDS[1]]) / SEEDS[1].name)
    clean = build([clean_folder], config_for(clean_dir, prune=True, workers=1))
    assert got == _dump(clean.store)
    assert (counted.triples, counted.quads) == (clean.summary.triples, clean.summary.quads)
    clean.store.close()

    again = build([folder], config)  # the index written after the swap is trusted
    assert (again.extracted, again.skipped) == (0, len(SEEDS) - 2)  # only the broken file
    assert [p.path for p in again.summary.problems] == [str(folder / SEEDS[0].name)]
    assert _dump(again.store) == got


def test_a_forced_rebuild_without_prune_keeps_releases_it_was_not_given(tmp_path):
    folder = _folder(tmp_path, SEEDS[:2])
    config = config_for(tmp_path, workers=1)
    first = build([folder], config)
    before = _dump(first.store)
    first.store.close()
    again = build([folder / SEEDS[0].name], replace(config, force=True))
    assert again.extracted == 1 and again.removed == 0
    assert _dump(again.store) == before


def test_a_swap_stopped_half_way_is_undone(tmp_path):
    folder = _folder(tmp_path, SEEDS[:1])
    config = config_for(tmp_path, workers=1)
    build([folder], config).store.close()
    (tmp_path / "store").rename(tmp_path / "store.old")  # as if stopped between the renames
    again = build([folder], config)
    assert (again.extracted, again.skipped) == (0, 1)
    assert not (tmp_path / "store.old").exists()


def _with_sources(folder: Path, dates: dict[str, str]) -> None:
    rows = ["file,source,date,publisher,language"]
    rows += [f"{name},https://example.org/{name},{date},Example,sv" for name, date in dates.items()]
    (folder / "SOURCES.csv").write_text("\n".join(rows) + "\n", "utf-8")


def test_a_changed_sources_row_alone_makes_its_file_be_read_again(tmp_path):
    """SOURCES.csv gives a release its date and address: changing a row re-reads that file
    (and only it), and the store equals a clean build with the new row."""
    names = [p.name for p in SEEDS[:3]]
    folder = _folder(tmp_path, SEEDS[:3])
    _with_sources(folder, dict.fromkeys(names, "2023-03-01"))
    config = config_for(tmp_path, prune=True, workers=1)
    build([folder], config).store.close()

    new_dates = {**dict.fromkeys(names, "2023-03-01"), names[1]: "2024-05-17"}
    _with_sources(folder, new_dates)
    again = build([folder], config)
    assert (again.extracted, again.skipped) == (1, 2)
    issued = {
        q.object.value
        for q in again.store.store.quads_for_pattern(
            None, ox.NamedNode("http://purl.org/dc/terms/issued"), None, ox.DefaultGraph()
        )
    }
    assert "2024-05-17" in issued
    got = _dump(again.store)
    again.store.close()
    third = build([folder], config)
    assert (third.extracted, third.skipped) == (0, 3)
    third.store.close()

    clean_folder = _folder(tmp_path / "clean", SEEDS[:3])
    _with_sources(clean_folder, new_dates)
    clean = build([clean_folder], config_for(tmp_path / "clean", prune=True, workers=1))
    assert got == _dump(clean.store)
