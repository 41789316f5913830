"""Extraction time against text length (issue 17): one release of 100 KB, 1 MB, 10 MB.

    python -m benchmarks.bench_extract                     # 100k 1M 10M
    python -m benchmarks.bench_extract --sizes 100k 1M     # a shorter run

The text of each size repeats the body sentences of the bundled releases
(``data/releases``) paragraph by paragraph, so that boilerplate removal keeps all of it
and every extraction rule has work. Each size runs in a child process of its own, with
the extractor loaded before the clock starts; it prints the seconds to read the file
(decode, boilerplate, sentences), to extract, the extraction's seconds per MB (flat when
extraction is linear in the length) and the child's peak RSS.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

from regiongraph.ingest.limits import parse_size
from regiongraph.paths import data_dir


def body_paragraphs(releases: Path) -> list[str]:
    """The body sentences of each bundled release, one paragraph per release."""
    from regiongraph import ingest

    paragraphs = []
    for source in ingest.discover([releases]):
        for doc in ingest.read_documents(source):
            paragraphs.append(" ".join(s.text for s in doc.sentences if s.block == "body"))
    return paragraphs


def text_of_size(paragraphs: list[str], size: int) -> str:
    blob = "\n\n".join(paragraphs)
    return (blob * (size // len(blob) + 1))[:size]


def _measure(path: str, conn) -> None:
    """In a child: read and extract one file; send back the figures."""
    from regiongraph import ingest
    from regiongraph.extract import Extractor
    from regiongraph.vocab import IriMinter

    extractor = Extractor.from_data_dir(data_dir(), IriMinter())
    for warm_up in ingest.discover([data_dir() / "releases"])[:2]:  # lazy loads off the clock
        extractor.extract(ingest.read_documents(warm_up)[0])
    (source,) = ingest.discover([Path(path)], max_bytes=None)  # no limit: measure 10 MB
    started = time.perf_counter()
    (doc,) = ingest.read_documents(source)
    read = time.perf_counter() - started
    started = time.perf_counter()
    extraction = extractor.extract(doc)
    extract = time.perf_counter() - started
    conn.send(
        {
            "read_s": read,
            "extract_s": extract,
            "sentences": len(doc.sentences),
            "entities": len(extraction.entities),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )


def run_size(paragraphs: list[str], size: int, folder: Path) -> dict:
    path = folder / f"release-{size}.txt"
    path.write_text(text_of_size(paragraphs, size), encoding="utf-8")
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_measure, args=(str(path), child))
    process.start()
    figures = parent.recv()
    process.join()
    path.unlink()
    return {"bytes": size, **figures}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["100k", "1M", "10M"])
    args = parser.parse_args(argv)
    paragraphs = body_paragraphs(data_dir() / "releases")
    columns = ("size", "read s", "extract s", "s per MB", "entities", "peak MB")
    print(" ".join(f"{c:>10}" for c in columns))
    with tempfile.TemporaryDirectory() as folder:
        for size in map(parse_size, args.sizes):
            f = run_size(paragraphs, size, Path(folder))
            per_mb = f["extract_s"] / (size / 1_000_000)
            print(
                f"{size:>10} {f['read_s']:>10.2f} {f['extract_s']:>10.2f} {per_mb:>10.2f}"
                f" {f['entities']:>10} {f['peak_rss_mb']:>10.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
