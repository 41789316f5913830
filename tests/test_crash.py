"""Killed builds: ``regiongraph build`` (a real process) is held at a named phase
(``REGIONGRAPH_BUILD_PAUSE``) and killed with SIGKILL there; the next build must give
exactly the quads of a clean build, no process of the killed build may live on, and the
files it left beside the store must be gone after the next build. Meanwhile ``query``
and ``validate`` refuse a store left partial, and a second build says in one line that
the store is locked."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest
from benchmarks.generate import generate

# 40 releases are enough for the worker pool (each phase is reached by holding the build);
# REGIONGRAPH_CRASH_RELEASES runs the same kills on a larger set (3,000 in the notes).
RELEASES = int(os.environ.get("REGIONGRAPH_CRASH_RELEASES", "40"))
EDITED = max(12, RELEASES * 3 // 10)  # releases whose text changes between the states, +3 added


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "regiongraph.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _args(folder: Path, build_dir: Path, *flags: str) -> list[str]:
    where = ["--build-dir", str(build_dir)]
    return ["build", str(folder), *where, "--no-viz", "--no-validate", *flags]


def _build(folder: Path, build_dir: Path, *flags: str) -> subprocess.CompletedProcess:
    args = _args(folder, build_dir, "--prune", *flags)
    proc = _cli(*args)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def _digest(build_dir: Path) -> tuple[int, str]:
    store = ox.Store.read_only(str(build_dir / "store"))
    lines = sorted(str(q) for q in store)
    return len(lines), hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _held_at(point: str, args: list[str]) -> subprocess.Popen:
    """A build started and held at ``point`` (``name`` or ``name:n``)."""
    proc = _cli(*args, env={"REGIONGRAPH_BUILD_PAUSE": point})
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:  # rich progress lines, then "paused at <point>"
        seen.append(line)
        if line.startswith(f"paused at {point.split(':')[0]}"):
            return proc
    proc.wait()
    pytest.fail(f"the build never reached {point}:\n{''.join(seen)}")


def _kill(proc: subprocess.Popen) -> list[int]:
    """SIGKILL a build; the pids of the processes it had started."""
    children = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    return children


def _killed_at(point: str, folder: Path, build_dir: Path, *flags: str) -> list[int]:
    """Run a build until it holds at ``point``, SIGKILL it; the pids of its children."""
    return _kill(_held_at(point, _args(folder, build_dir, "--prune", *flags)))


def _assert_gone(pids: list[int], timeout: float = 15.0) -> None:
    """Every process of the killed build ends (workers, forkserver, resource tracker)."""
    deadline = time.monotonic() + timeout
    alive = pids
    while time.monotonic() < deadline:
        alive = [p for p in pids if psutil.pid_exists(p) and _not_zombie(p)]
        if not alive:
            return
        time.sleep(0.2)
    names = [" ".join(psutil.Process(p).cmdline())[:120] for p in alive]
    raise AssertionError(f"processes of the killed build still alive: {names}")


def _not_zombie(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _leftovers(build_dir: Path) -> list[str]:
    names = {p.name for p in build_dir.iterdir()}
    return sorted(
        n
        for n in names
        if n.startswith(".bulk-") or n in {"store.rebuild", "store.old", "store.unfinished"}
    )


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Releases before and after an edit, a store built from the first and the digest of
    a clean build of the second."""
    root = tmp_path_factory.mktemp("crash")
    before, after, other = root / "before", root / "after", root / "other"
    generate(RELEASES, before, seed=5)
    generate(RELEASES, other, seed=6)
    shutil.copytree(before, after)
    for path in sorted(other.glob("*.txt"))[:EDITED]:
        shutil.copyfile(path, after / path.name)  # same file, other text
    generate(3, after, seed=5, start=RELEASES)  # added, with their SOURCES.csv rows
    _build(before, root / "base")
    _build(after, root / "clean")
    return {"before": before, "after": after, "base": root / "base", "clean": root / "clean"}


def _from_base(states: dict[str, Path], tmp_path: Path) -> Path:
    build_dir = tmp_path / "build"
    shutil.copytree(states["base"], build_dir)
    return build_dir


def test_an_update_killed_while_extracting_leaves_no_process_and_is_repaired(states, tmp_path):
    build_dir = _from_base(states, tmp_path)
    args = _args(states["after"], build_dir)
    first = _held_at("extract:5", args)
    second = _cli(*args)  # the store is held by the first build
    out, err = second.communicate(timeout=120)
    assert second.returncode == 2 and not out
    assert err.strip().splitlines() == [
        f"the store at {build_dir / 'store'} is locked by another build (pid {first.pid})"
    ]
    children = _kill(first)
    assert len(children) >= 3  # resource tracker, forkserver, a worker
    _assert_gone(children)
    _build(states["after"], build_dir)
    assert _digest(build_dir) == _digest(states["clean"])
    assert _leftovers(build_dir) == []


def test_an_update_killed_before_the_actors_is_repaired(states, tmp_path):
    """Every changed release was replaced (and matches its file's hash) but the actors
    were not updated: the next build must describe them again, not skip."""
    build_dir = _from_base(states, tmp_path)
    _assert_gone(_killed_at("actors", states["after"], build_dir))
    again = _build(states["after"], build_dir)
    assert _digest(build_dir) == _digest(states["clean"])
    assert "releases changed" in again.stdout


def test_a_first_build_killed_in_the_bulk_load_is_partial_until_built_again(states, tmp_path):
    build_dir = tmp_path / "build"
    _assert_gone(_killed_at("bulk-load", states["after"], build_dir))
    assert any(n.startswith(".bulk-") for n in _leftovers(build_dir))
    for command in (["query", "projects-with-funders"], ["validate"]):
        proc = _cli(*command, "--build-dir", str(build_dir))
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 2 and not out, (command, out)
        assert err.strip().splitlines() == [
            f"the store at {build_dir / 'store'} is partial: a build of it stopped before "
            "it finished; run 'regiongraph build' again"
        ]
    _build(states["after"], build_dir)
    assert _digest(build_dir) == _digest(states["clean"])
    assert _leftovers(build_dir) == []


def test_a_rebuild_killed_while_swapping_stores_is_repaired(states, tmp_path):
    build_dir = _from_base(states, tmp_path)
    _assert_gone(_killed_at("swap", states["after"], build_dir, "--force"))
    assert not (build_dir / "store").exists() and (build_dir / "store.old").is_dir()
    _build(states["after"], build_dir)
    assert _digest(build_dir) == _digest(states["clean"])
    assert _leftovers(build_dir) == []
