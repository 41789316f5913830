"""Extraction quality: extract the releases that gold names, score them, keep a baseline."""

from __future__ import annotations

import json
from pathlib import Path

from regiongraph.build.pipeline import extract_documents
from regiongraph.evaluate.report import report_of
from regiongraph.evaluate.score import Evaluation, evaluate, load_gold
from regiongraph.records import BuildProblem
from regiongraph.vocab import DEFAULT_BASE


def evaluate_releases(
    gold_dir: Path, releases_dir: Path, data_dir: Path, base: str = DEFAULT_BASE
) -> Evaluation:
    """Extract every release the gold files name (from ``releases_dir``) and score it."""
    gold = load_gold(gold_dir)
    files = [releases_dir / name for name in sorted(gold) if (releases_dir / name).exists()]
    problems: list[BuildProblem] = []
    reports = {
        r["release"]: r
        for r in (report_of(e) for e in extract_documents(files, data_dir, base, problems))
    }
    return evaluate(reports, gold)


def baseline_of(evaluation: Evaluation) -> dict:
    """The figures a regression test holds the extractor to: overall, per type, per predicate."""
    data = evaluation.to_dict()
    return {key: data[key] for key in ("overall", "per_type", "per_predicate")}


def write_baseline(evaluation: Evaluation, path: Path) -> None:
    path.write_text(
        json.dumps(baseline_of(evaluation), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
