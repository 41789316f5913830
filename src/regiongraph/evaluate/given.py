"""Amounts given the relation: how well amounts are read where the funding fact is known.

Amount recall in the scorer counts only relations the extractor found, so it mixes two
questions. This module answers the second alone: each gold ``fundedBy`` relation whose
two ends the extractor found as entities is handed to the amount reader
(``extract.grants.attach_amounts``) beside the extractor's own relations, and the
scorer's amount figures are taken over the result. An entity's mentions are every place
its surface strings occur in the body.

    python -m regiongraph.evaluate.given --gold data/gold --releases data/releases
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from regiongraph.build.pipeline import read_all
from regiongraph.evaluate.report import report_of
from regiongraph.evaluate.score import PRF, evaluate, load_gold, normalise_text
from regiongraph.extract import Extractor
from regiongraph.extract.grants import attach_amounts
from regiongraph.paths import project_root
from regiongraph.records import Document, Evidence, Extraction, Mention, Relation
from regiongraph.resolve.entities import ResolvedEntity
from regiongraph.vocab import DEFAULT_BASE, IriMinter


def resolved_entities(doc: Document, extraction: Extraction) -> list[ResolvedEntity]:
    """The extraction's entities with a mention at every occurrence of their strings."""
    out = []
    for e in extraction.entities:
        mentions = []
        for surface in e.mentions:
            for m in re.finditer(re.escape(surface), doc.body):
                s = next((s for s in doc.sentences if s.start <= m.start() < s.end), None)
                if s is not None:
                    mentions.append(
                        Mention(doc.release.id, s.index, m.start(), m.end(), surface, e.type, "")
                    )
        out.append(ResolvedEntity(e.iri, e.label, e.type, e.source, tuple(mentions)))
    return out


def _gold_funding(doc: Document, extraction: Extraction, gold: Mapping[str, Any]) -> list[Relation]:
    """Gold fundedBy relations whose ends align with extracted entities."""
    by_form: dict[str, str] = {}
    for e in extraction.entities:
        for form in (e.label, *e.mentions):
            by_form.setdefault(normalise_text(form), e.iri)
    iri_of: dict[str, str] = {}
    for g in gold.get("entities", []):
        for name in (g.get("name", ""), *g.get("aliases", [])):
            if normalise_text(name) in by_form:
                iri_of[g["key"]] = by_form[normalise_text(name)]
                break
    out = []
    for r in gold.get("relations", []):
        s, o = iri_of.get(r["s"]), iri_of.get(r["o"])
        if r["p"] == "fundedBy" and s and o:
            evidence = Evidence(doc.release.id, 0, "")
            out.append(Relation(s, "fundedBy", o, evidence, "gold", 1.0))
    return out


def amounts_given_relations(
    gold_dir: Path, releases_dir: Path, data_dir: Path, base: str = DEFAULT_BASE
) -> PRF:
    """The scorer's amount counts when every alignable gold fundedBy relation is known."""
    gold = load_gold(gold_dir)
    files = [releases_dir / name for name in sorted(gold) if (releases_dir / name).exists()]
    extractor = Extractor.from_data_dir(data_dir, IriMinter(base))
    reports = {}
    for doc in read_all(files, []):
        extraction = extractor.extract(doc)
        known = {(r.subject, r.object) for r in extraction.relations if r.predicate == "fundedBy"}
        added = [
            r
            for r in _gold_funding(doc, extraction, gold[doc.release.file_name])
            if (r.subject, r.object) not in known
        ]
        plain = [replace(r, amount=None) for r in extraction.relations]
        relations = attach_amounts(doc, resolved_entities(doc, extraction), plain + added)
        reports[doc.release.file_name] = report_of(replace(extraction, relations=tuple(relations)))
    return evaluate(reports, gold).amounts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--releases", type=Path, default=project_root() / "data" / "releases")
    parser.add_argument("--data-dir", type=Path, default=project_root() / "data")
    args = parser.parse_args()
    prf = amounts_given_relations(args.gold, args.releases, args.data_dir)
    print(
        f"amounts given the relation: right {prf.tp}, wrong {prf.fp}, missed {prf.fn}; "
        f"P {prf.precision:.3f} R {prf.recall:.3f}"
    )


if __name__ == "__main__":
    main()
