"""The source tree reads as the pipeline: every import points from a later stage to an
earlier one (or within a stage), and docs/architecture.md lists the stages in that order."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "regiongraph"
DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"

# Shared records and names first, then the stages in the order they may import each other.
BASE = ("records", "vocab", "paths")
STAGES = (
    "ingest",
    "resolve",
    "extract",
    "graph",
    "validate",
    "build",
    "query",
    "network",
    "publish",
    "evaluate",
    "cli",
)


def _rank(module: str) -> int:
    top = module.split(".")[1] if module.count(".") else ""
    if top in BASE or top == "":
        return -1
    return STAGES.index(top)


def _imports(path: Path) -> set[str]:
    """The regiongraph modules ``path`` imports, at top level or inside functions."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = parts if path.name == "__init__.py" else parts[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join((*package[: len(package) - node.level + 1], base)).strip(".")
            names = [base] if node.module else [f"{base}.{a.name}" for a in node.names]
            if base == "regiongraph":
                names = [f"regiongraph.{a.name}" for a in node.names]
            found.update(n for n in names if n.startswith("regiongraph"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("regiongraph"))
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_belongs_to_a_stage_or_the_base() -> None:
    for path in _modules():
        top = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        assert top in BASE + STAGES + ("__init__",), f"{path}: not in a stage folder"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_to_earlier_stages(path: Path) -> None:
    here = "regiongraph." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    upward = [m for m in sorted(_imports(path)) if _rank(m) > _rank(here)]
    assert not upward, f"{here} imports later stages: {upward}"


def test_the_walker_finds_imports_and_ranks_stages() -> None:
    """The check above could pass by finding nothing; here it must find one."""
    module = PACKAGE / "ingest" / "text.py"
    assert "regiongraph.records" in _imports(module)
    assert _rank("regiongraph.cli.main") > _rank("regiongraph.ingest.text")


def test_architecture_doc_lists_the_stages_in_import_order() -> None:
    text = DOC.read_text(encoding="utf-8")
    listed = re.findall(r"^\| \d+ \| `(\w+)/` \|", text, flags=re.M)
    assert tuple(listed) == STAGES
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").exists(), stage


MAX_FUNCTION_LINES = 100
# Functions still too long, each owned by a change in progress; empty this set as they land.
TOO_LONG_FOR_NOW: set[str] = set()


def _function_lengths() -> dict[str, int]:
    """``module path:qualified name`` -> lines, from ``def`` to the last line of the body."""
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = prefix
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    assert child.end_lineno is not None
                    lengths[f"{where}:{name}"] = child.end_lineno - child.lineno + 1
                name += "."
            visit(child, name, where)

    for path in _modules():
        visit(ast.parse(path.read_text(encoding="utf-8")), "", str(path.relative_to(PACKAGE)))
    return lengths


def test_no_function_is_longer_than_100_lines() -> None:
    lengths = _function_lengths()
    assert lengths["build/pipeline.py:build"] > 10  # the walker finds functions
    too_long = {name for name, n in lengths.items() if n > MAX_FUNCTION_LINES}
    assert too_long <= TOO_LONG_FOR_NOW, {n: lengths[n] for n in sorted(too_long)}
    shortened = TOO_LONG_FOR_NOW - too_long
    assert not shortened, f"no longer too long, take them off TOO_LONG_FOR_NOW: {shortened}"
