"""``regiongraph build --watch``: a long-lived build that applies added and deleted files."""

from __future__ import annotations

import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from conftest import config_for
from regiongraph.build.pipeline import build
from regiongraph.graph.store import GraphStore
from regiongraph.paths import project_root
from regiongraph.vocab import IriMinter

RELEASES = project_root() / "data" / "releases"


def _lines(stream, sink: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        sink.put(line)


def _wait_for(sink: queue.Queue, text: str, seen: list[str], timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = sink.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return line
    raise AssertionError(f"no line with {text!r} within {timeout} s:\n{''.join(seen)}")


def test_watch_applies_added_and_deleted_files(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    folder.mkdir()
    for name in ("dev-005.txt", "dev-021.txt"):
        shutil.copy(RELEASES / name, folder / name)
    build_dir = tmp_path / "build"
    other = tmp_path / "other"  # built before, from another folder: watching keeps it
    other.mkdir()
    shutil.copy(RELEASES / "dev-002.txt", other / "dev-002.txt")
    build([other], config_for(build_dir, workers=1, validate=False)).store.close()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "regiongraph.cli", "build", str(folder)),
            *("--build-dir", str(build_dir), "--no-viz", "--watch", "0.2"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out: queue.Queue = queue.Queue()
    err: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, out), daemon=True).start()
    threading.Thread(target=_lines, args=(process.stderr, err), daemon=True).start()
    seen: list[str] = []
    try:
        _wait_for(err, "watching", seen)
        shutil.copy(RELEASES / "dev-037.txt", folder / "dev-037.txt")
        added = _wait_for(out, "1 read, 0 removed, 0 failed", seen)
        (folder / "dev-005.txt").unlink()
        removed = _wait_for(out, "0 read, 1 removed, 0 failed", seen)
        (folder / "broken.txt").write_bytes(b"\x00\x01binary")
        _wait_for(err, "broken.txt", seen)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert process.returncode == 0, "".join(seen)
    # each update reports the seconds it took; one release read by a warm process is quick
    assert added.rstrip().endswith(" s)") and removed.rstrip().endswith(" s)")
    minter = IriMinter()
    with GraphStore(build_dir / "store", minter) as store:
        graphs = store.release_graphs()
        assert set(graphs) == {"dev-002", "dev-021", "dev-037"}
        gone = ox.NamedNode(str(minter.release_graph("dev-005")))
        assert not store.store.contains_named_graph(gone)
