"""An analyst's corrections to resolution (``data/curation.yaml``), as one record."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Curation:
    """Analyst decisions: extra aliases, merges of two nodes, rejected entities."""

    aliases: tuple[tuple[str, str], ...] = ()  # surface form -> canonical label
    merges: tuple[tuple[str, str], ...] = ()  # IRI slug kept <- IRI slug merged into it
    rejects: frozenset[str] = frozenset()  # folded surface forms or IRIs never emitted
    types: tuple[tuple[str, str], ...] = ()  # canonical label -> coarse type
