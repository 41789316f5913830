"""Hostile input (issue 17): release identity, and one bad file never stops the build.

Release ids must be unique and stable (``ingest.identity``); a file that cannot be read
is named with its problem on stderr while the rest of the build goes on.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RELEASES, ROOT, config_for
from regiongraph.build.pipeline import build
from regiongraph.ingest import IngestError, discover, read_file
from regiongraph.ingest.text import decode_bytes
from regiongraph.vocab import release_id_for

TEXTS = sorted(RELEASES.glob("dev-*.txt"))
COLLISIONS = (
    "2023/release.txt",
    "2024/release.txt",
    "北京.txt",
    "東京.txt",
    "Å-rapport.txt",
    "a_rapport.txt",
    "normal-a.txt",
)


def _collision_folder(root: Path) -> Path:
    """Seven files whose names slug alike in pairs, and a JSONL record {"id": "normal-a"}."""
    folder = root / "in"
    for name, text in zip(COLLISIONS, TEXTS, strict=False):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(text, folder / name)
    record = {"id": "normal-a", "text": TEXTS[len(COLLISIONS)].read_text(encoding="utf-8")}
    (folder / "news.jsonl").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return folder


def test_files_whose_names_slug_alike_get_ids_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = discover([_collision_folder(tmp_path)])
    assert all(s.problem is None for s in sources)
    ids = {s.path.relative_to(tmp_path / "in").as_posix(): s.release_id for s in sources}
    assert len(set(ids.values())) == len(ids) == 8
    assert ids["normal-a.txt"] == "normal-a"  # a slug no other file has stays as it is
    assert re.fullmatch(r"release-[0-9a-f]{8}", ids["2023/release.txt"])
    assert re.fullmatch(r"unnamed-[0-9a-f]{8}", ids["北京.txt"])
    assert re.fullmatch(r"a-rapport-[0-9a-f]{8}", ids["Å-rapport.txt"])
    # found again, from another working folder, the files keep their ids
    monkeypatch.chdir(tmp_path)
    again = discover([Path("in")])
    assert [s.release_id for s in again] == [s.release_id for s in sources]


def test_bundled_releases_keep_their_ids() -> None:
    for source in discover([RELEASES]):
        assert source.release_id == release_id_for(source.path.name)


def test_a_collision_that_remains_names_both_files(tmp_path: Path) -> None:
    # x.txt and x.html slug alike: each gets a hash of its own path
    shutil.copy(TEXTS[0], tmp_path / "x.txt")
    (tmp_path / "x.html").write_text("<html><body><p>Text.</p></body></html>", encoding="utf-8")
    assert len({s.release_id for s in discover([tmp_path])}) == 2
    # two folders given whose files have the same path below them: the same id
    for top in ("a", "b"):
        (tmp_path / top / "in").mkdir(parents=True)
        shutil.copy(TEXTS[0], tmp_path / top / "in" / "x.txt")
    problems: list = []
    (kept,) = discover([tmp_path / "a" / "in", tmp_path / "b" / "in"], problems=problems)
    (problem,) = problems
    assert kept.path == tmp_path / "a" / "in" / "x.txt"
    assert problem.path == str(tmp_path / "b" / "in" / "x.txt")
    assert f"same release id {kept.release_id!r} as {kept.path}" in problem.message


def test_every_colliding_release_is_built_and_a_rebuild_changes_nothing(tmp_path: Path) -> None:
    folder = _collision_folder(tmp_path)
    first = build([folder], config_for(tmp_path / "a"))
    assert first.summary.releases_failed == 0, first.summary.problems
    assert first.summary.releases_read == 8
    files = first.store.release_files()
    assert len(files) == 8
    assert sorted(name for name, _ in files.values()) == sorted(
        [Path(n).name for n in COLLISIONS] + ["news.jsonl"]
    )
    assert "news.normal-a" in files and "normal-a" in files
    triples = first.summary.triples
    first.store.close()
    again = build([folder], config_for(tmp_path / "a"))  # in place: nothing to read
    assert again.summary.triples == triples and again.loaded == 0
    again.store.close()
    fresh = build([folder], config_for(tmp_path / "b"))
    assert fresh.summary.triples == triples
    assert set(fresh.store.release_files()) == set(files)


# --- one bad file never stops the build ------------------------------------------------------

PARAGRAPH = (
    "<p>Region Västerbotten beviljar 2 miljoner kronor till projektet Grön Logistik, "
    "som leds av Umeå universitet. Det meddelade regionen på tisdagen.</p>"
)


def _nested_html(depth: int) -> str:
    return (
        "<html><head><title>Region Västerbotten satsar på logistik</title></head><body>"
        + "<div>" * depth
        + PARAGRAPH
        + "</div>" * depth
        + "</body></html>"
    )


def _text(n: int) -> str:
    return TEXTS[n].read_text(encoding="utf-8")


def _hostile_folder(root: Path) -> Path:
    folder = root / "in"
    folder.mkdir()
    for n in (0, 1):
        shutil.copy(TEXTS[n], folder / f"good-{n}.txt")
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    bad_urls = [
        {"id": f"u{i}", "url": f"https://example.se/nyheter/a{c}b", "text": _text(2 + i)}
        for i, c in enumerate(("|", '{"^\\`', "%zz"))
    ]
    (folder / "urls.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in bad_urls), encoding="utf-8"
    )
    os.symlink(".", folder / "loop")
    text = _text(5).encode("utf-8")
    (folder / "nul.txt").write_bytes(text[:200] + b"\x00" + text[200:])
    (folder / "utf16.txt").write_bytes(_text(6).encode("utf-16-le"))
    (folder / "deep.html").write_text(_nested_html(300), encoding="utf-8")
    (folder / "deeper.html").write_text(_nested_html(3000), encoding="utf-8")
    lines = [json.dumps({"text": _text(7)}), '{"text": "no end', json.dumps({"text": _text(8)})]
    (folder / "lines.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (folder / "big.txt").write_text(_text(9) * 200, encoding="utf-8")  # > 200 kB
    return folder


def test_a_bad_jsonl_line_is_an_error_of_its_own(tmp_path: Path) -> None:
    folder = _hostile_folder(tmp_path)
    (source,) = discover([folder / "lines.jsonl"])
    read = read_file(source)
    assert [d.release.id for d in read.documents] == ["lines.1", "lines.3"]
    (problem,) = read.problems
    assert problem.where == "line 2" and "line 2 is not valid JSON" in str(problem)


def test_utf16_without_bom_and_stray_nul_bytes_are_read_as_text() -> None:
    text = "Region Västerbotten och Umeå kommun startar ett projekt.\n"
    assert decode_bytes(text.encode("utf-16-le"))[0] == text
    assert decode_bytes(text.encode("utf-16-be"))[0] == text
    long = text * 5  # one NUL in 300 bytes is a stray one; in 8 bytes it is no text
    assert decode_bytes(long.encode("utf-8")[:10] + b"\x00" + long.encode()[10:])[0] == long
    with pytest.raises(IngestError, match="binary"):
        decode_bytes(b"\x00\x01binary")
    with pytest.raises(IngestError, match="binary"):
        decode_bytes(bytes(range(256)) * 8)


def test_bad_files_are_named_and_the_rest_builds(tmp_path: Path) -> None:
    folder = _hostile_folder(tmp_path)
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "400"}
    options = ["--build-dir", str(tmp_path / "build"), "--no-viz", "--max-file-size", "200k"]
    run = subprocess.run(
        [sys.executable, "-m", "regiongraph.cli", "build", str(folder), str(pipe), *options],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=ROOT,
    )
    assert run.returncode == 1, run.stderr  # exit 1: some files failed, the rest is built
    errors = run.stderr
    expected = {
        "deep.json": "nested too deeply",
        "loop": "a loop",
        "deeper.html": "nested deeper than 2048 levels",
        "lines.jsonl (line 2)": "line 2 is not valid JSON",
        "big.txt": "more than the limit of 200 kB",
        "pipe.txt": "named pipe",
    }
    for name, problem in expected.items():
        assert re.search(rf"{re.escape(name)}:\n.*{re.escape(problem)}", errors), (name, errors)
    read = re.search(r"releases read\s*│\s*(\d+)", run.stdout)
    failed = re.search(r"releases failed\s*│\s*(\d+)", run.stdout)
    assert read and failed, run.stdout
    # good-0, good-1, three records of urls.jsonl, nul, utf16, deep.html, two lines
    assert (int(read.group(1)), int(failed.group(1))) == (10, len(expected))
    from regiongraph.graph.store import GraphStore
    from regiongraph.vocab import IriMinter

    store = GraphStore(tmp_path / "build" / "store", IriMinter(), read_only=True)
    ids = set(store.release_graphs())
    assert {"good-0", "good-1", "nul", "utf16", "deep", "lines.1", "lines.3"} <= ids
    assert {"urls.u0", "urls.u1", "urls.u2"} <= ids
    sources = {
        row["s"].value
        for row in store.query("SELECT ?s WHERE { ?r <http://purl.org/dc/terms/source> ?s }")
    }
    assert {
        "https://example.se/nyheter/a%7Cb",
        "https://example.se/nyheter/a%7B%22%5E%5C%60b",
        "https://example.se/nyheter/a%25zzb",
    } <= sources


def test_a_file_whose_id_changes_is_read_again_as_in_a_clean_build(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(TEXTS[0], folder / "a_rapport.txt")
    first = build([folder], config_for(tmp_path / "a", prune=True))
    assert set(first.store.release_graphs()) == {"a-rapport"}
    first.store.close()
    shutil.copy(TEXTS[1], folder / "Å-rapport.txt")  # now both slug alike: both get hashes
    again = build([folder], config_for(tmp_path / "a", prune=True))
    clean = build([folder], config_for(tmp_path / "b", prune=True))
    assert set(again.store.release_graphs()) == set(clean.store.release_graphs())
    assert (
        "a-rapport" not in again.store.release_graphs() and len(clean.store.release_graphs()) == 2
    )
    assert again.summary.triples == clean.summary.triples
