"""Cross-validation by publisher: what extraction reaches on releases it was not trained on.

The annotated releases are split into folds so that every publisher's releases sit in
one fold (scikit-learn's GroupKFold over ``training.publisher_group``). For each fold the
models are trained on the other folds and the held-out releases are extracted with them
and scored; the figures are micro-averaged over all held-out releases. Nothing of a
held-out fold is seen when training for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from regiongraph.evaluate.report import report_of
from regiongraph.evaluate.score import PRF, Evaluation, evaluate
from regiongraph.evaluate.training import Example, train_models
from regiongraph.extract import Extractor
from regiongraph.extract.models import Models


@dataclass
class FoldResult:
    index: int
    publishers: list[str]
    evaluation: Evaluation


@dataclass
class CrossValidation:
    folds: list[FoldResult] = field(default_factory=list)
    parts: dict[str, str] = field(default_factory=dict)  # release -> seeds | dev | dev2

    def pooled(self, part: str | None = None) -> Evaluation:
        """All held-out releases scored together (or those of one part only)."""
        releases = {
            name: score
            for fold in self.folds
            for name, score in fold.evaluation.releases.items()
            if part is None or self.parts.get(name) == part
        }
        return Evaluation(releases=dict(sorted(releases.items())))

    def fold_figures(self) -> list[dict]:
        """Each fold's publishers and relation counts, JSON-ready."""
        return [
            {
                "fold": f.index,
                "publishers": f.publishers,
                "releases": sorted(f.evaluation.releases),
                "relations": f.evaluation.relations.to_dict(),
            }
            for f in self.folds
        ]

    def format_text(self) -> str:
        pooled = self.pooled()
        lines = [
            f"Cross-validated by publisher: {len(self.folds)} folds, "
            f"{len(pooled.releases)} releases (each scored by models that never saw it)",
            pooled.format_text().rstrip("\n"),
            "",
            "Per fold (relations)",
            f"{'fold':<5} {'releases':>8} {'gold':>5}  {'tp':>4} {'fp':>4} {'fn':>4}"
            f"  {'P':>6} {'R':>6} {'F1':>6}  publishers",
        ]
        for fold in self.folds:
            r: PRF = fold.evaluation.relations
            lines.append(
                f"{fold.index:<5} {len(fold.evaluation.releases):>8} {r.tp + r.fn:>5}  "
                f"{r.tp:>4} {r.fp:>4} {r.fn:>4}  {r.precision:>6.3f} {r.recall:>6.3f} "
                f"{r.f1:>6.3f}  {', '.join(fold.publishers)[:60]}"
            )
        for part in sorted(set(self.parts.values())):
            ev = self.pooled(part)
            lines.append("")
            lines.append(f"Held-out figures of part {part!r} alone ({len(ev.releases)} releases)")
            for name, prf in ev.figures().items():
                lines.append(
                    f"  {name:<10} P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}"
                )
        return "\n".join(lines) + "\n"


def folds_by_publisher(examples: list[Example], k: int) -> list[list[int]]:
    """Indices of the held-out releases of each fold; one publisher never spans two."""
    from sklearn.model_selection import GroupKFold

    groups = [ex.publisher for ex in examples]
    k = min(k, len(set(groups)))
    splitter = GroupKFold(n_splits=k)
    return [list(test) for _train, test in splitter.split(examples, groups=groups)]


def cross_validate(
    extractor: Extractor, examples: list[Example], k: int = 5, progress=None
) -> CrossValidation:
    """Train on all folds but one, score the one held out, for every fold."""
    result = CrossValidation(parts={ex.name: ex.part for ex in examples})
    thresholds = extractor.models
    for n, held in enumerate(folds_by_publisher(examples, k), 1):
        held_set = set(held)
        train = [ex for i, ex in enumerate(examples) if i not in held_set]
        test = [examples[i] for i in held]
        models: Models = train_models(extractor, train, thresholds)
        reports = {ex.name: report_of(extractor.finish(ex.analysis, models)) for ex in test}
        evaluation = evaluate(reports, {ex.name: ex.gold for ex in test})
        publishers = sorted({ex.publisher for ex in test})
        result.folds.append(FoldResult(n, publishers, evaluation))
        if progress is not None:
            progress(n)
    return result
