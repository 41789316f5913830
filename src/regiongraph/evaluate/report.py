"""Extraction -> the JSON report of shared/spec/extraction-report.md (one line per release)."""

from __future__ import annotations

import json

from regiongraph.records import Extraction


def report_of(extraction: Extraction) -> dict:
    """The report dict: release file name, entities with canonical ids, relations."""
    entities = []
    for e in extraction.entities:
        item: dict = {"id": e.iri, "label": e.label, "type": e.type, "mentions": list(e.mentions)}
        if e.start:
            item["start"] = e.start
        if e.end:
            item["end"] = e.end
        item["source"] = e.source
        entities.append(item)
    relations = []
    for r in extraction.relations:
        item = {
            "s": r.subject,
            "p": r.predicate,
            "o": r.object,
            "evidence": r.evidence.text,
            "confidence": r.confidence,
            "rule": r.rule_id,
        }
        if r.amount is not None:
            item["amount"] = {"value": r.amount.value, "currency": r.amount.currency}
        relations.append(item)
    return {
        "release": extraction.document.release.file_name,
        "entities": entities,
        "relations": relations,
    }


def report_line(extraction: Extraction) -> str:
    return json.dumps(report_of(extraction), ensure_ascii=False)
