"""``regiongraph train`` and ``regiongraph evaluate --cross-validate``: the trained models.

``train`` fits the relation and type models on every annotated release (bundled gold,
and the workplace's ``shared/`` gold where it sits beside the checkout) and writes them
to ``data/models/`` with the digest of the training data. The build never trains.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from regiongraph.paths import data_dir as default_data_dir
from regiongraph.paths import shared_dir
from regiongraph.vocab import DEFAULT_BASE

err = Console(stderr=True)


def load_training_corpus(data_dir: Path, base: str = DEFAULT_BASE):
    """The extractor (shipped thresholds, no models) and every annotated release, read."""
    from regiongraph.evaluate.training import corpus_sources, load_corpus
    from regiongraph.extract import Extractor
    from regiongraph.extract.models import thresholds_only
    from regiongraph.vocab import IriMinter

    thresholds = thresholds_only(data_dir / "models")
    extractor = Extractor.from_data_dir(data_dir, IriMinter(base), models=thresholds)
    shared = shared_dir()
    if shared is None:
        err.print("[yellow]no shared/ beside the checkout: the bundled gold only[/yellow]")
    with err.status("reading the annotated releases"):
        corpus = load_corpus(extractor, corpus_sources(data_dir, shared))
    err.print(f"{len(corpus.examples)} annotated releases")
    return extractor, corpus


def train(
    data_dir: Path = typer.Option(default_data_dir(), "--data-dir", help="Data folder."),
    base: str = typer.Option(DEFAULT_BASE, "--base", help="Base IRI of minted identifiers."),
) -> None:
    """Fit the relation and type models and write them to DATA_DIR/models."""
    from regiongraph.evaluate.training import train_models, write_models

    extractor, corpus = load_training_corpus(data_dir, base)
    with err.status("fitting"):
        models = train_models(extractor, corpus.examples, extractor.models)
    write_models(models, corpus, corpus.examples, data_dir / "models")
    sys.stdout.write(f"models written to {data_dir / 'models'} (data {corpus.digest[:12]})\n")


def cross_validate(data_dir: Path, folds: int, base: str):
    """The result of ``evaluate --cross-validate`` (a ``CrossValidation``)."""
    from regiongraph.evaluate.crossval import cross_validate as run

    extractor, corpus = load_training_corpus(data_dir, base)
    return run(extractor, corpus.examples, folds, progress=lambda n: err.print(f"fold {n} scored"))


def register(app: typer.Typer) -> None:
    app.command()(train)
