"""The README's commands run as written, each in a process of its own, on a fresh build
(the offline ones), and what it says about the build summary, the pages and the
namespaces holds."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# Commands that need a network, a second process or a server, or that write into the
# repository's own data/ (add: tests/test_names.py runs it on a copy).
NOT_HERE = ("serve", "publish", "--endpoint", "--watch", "add")


def readme_commands() -> list[str]:
    """Every ``regiongraph …`` line of the README's bash blocks, comments removed."""
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if line.startswith("regiongraph "):
                lines.append(re.sub(r"\s+#\s.*$", "", line))
    return lines


def runnable(line: str) -> list[str] | None:
    """The arguments to run ``line`` with: optional ``[…]`` parts left out, ``PATHS...``
    as the bundled releases; None when it cannot run here."""
    line = re.sub(r"\s\[[^\]]*\]", "", line)
    line = line.replace("PATHS...", "data/releases")
    args = shlex.split(line)[1:]
    if any(a in NOT_HERE for a in args) or any(re.fullmatch(r"[A-Z]+(\.\.\.)?", a) for a in args):
        return None
    return args


COMMANDS = readme_commands()


def regiongraph(*args: str) -> subprocess.CompletedProcess:
    """``regiongraph ARGS`` in a process of its own, from this checkout, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "regiongraph.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_readme_has_commands_to_run():
    assert len([c for c in COMMANDS if runnable(c)]) >= 20


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A build of data/releases into a temporary build folder, as the quick start does."""
    build_dir = tmp_path_factory.mktemp("readme")
    result = regiongraph("build", "--build-dir", str(build_dir))
    assert result.returncode == 0, result.stderr
    return build_dir, result.stdout


@pytest.mark.parametrize("line", [c for c in COMMANDS if runnable(c)])
def test_readme_command_runs(fresh, line):
    build_dir, _ = fresh
    args = [
        str(build_dir / a.removeprefix("build/")) if a.startswith("build/") else a
        for a in runnable(line)
    ]
    help_text = regiongraph(*[a for a in args if not a.startswith("-")][:2], "--help")
    if "--build-dir" in help_text.stdout and args[0] != "--help":
        args += ["--build-dir", str(build_dir)]
    result = regiongraph(*args)
    assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"


def test_build_summary_and_pages_are_as_the_readme_says(fresh):
    build_dir, output = fresh
    for words in ("read", "unchanged", "changed", "removed", "failed"):
        words = f"releases {words}"
        assert words in output
    assert (build_dir / "viz" / "index.html").is_file()
    assert "build/viz/index.html" in README and "actors.html" not in README
    again = regiongraph("build", "--build-dir", str(build_dir), "--no-viz")
    assert re.search(r"releases changed\s*│\s*0\b", again.stdout), again.stdout
    read = re.search(r"releases read\s*│\s*(\d+)", again.stdout).group(1)
    assert re.search(rf"releases unchanged\s*│\s*{read}\b", again.stdout)


def test_the_readme_states_the_namespaces():
    assert "`rg:` namespace, `https://w3id.org/regiongraph/ontology#`" in README
