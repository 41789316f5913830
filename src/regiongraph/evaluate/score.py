"""Score extraction reports against hand-made gold files.

This module is the scoring layer (in the spirit of spaCy's ``Scorer``/``PRFScore``): it
reads nothing but the two JSON shapes described in ``shared/spec/extraction-report.md``
(the loaders are the only functions doing I/O) and returns plain counts and P/R/F figures.

Interpretation choices where the spec leaves room (see ``score_release`` for the details):

* Alignment is a one-to-one matching between predicted and gold entities. Candidate pairs
  are taken greedily in a stable preference order (label equals gold name, then coarse
  type agrees, then label equals an alias, then input order of the prediction, then of
  the gold entity) and the matching is then grown to maximum cardinality with augmenting
  paths, which never unmatches an entity the greedy pass matched.
* A gold entity is *neutral* when it is ``optional`` or its ``type`` is ``Place``. A
  prediction aligned to a neutral gold entity is neutral; so is an unaligned prediction
  of type ``Place``, and a duplicate prediction of a neutral gold entity.
* A duplicate prediction (a second candidate for an already aligned gold entity) is a
  false positive and does not take part in relation mapping.
* Typed scoring follows spaCy's labelled spans: an aligned pair with a wrong type is a
  typed false positive (under the predicted type) and a typed false negative (under the
  gold type). The per-type breakdown is this typed view.
* Relations whose ends map to the same gold relation are counted once; the other copies
  are ignored (neither true nor false positives).
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

__all__ = [
    "PRF",
    "EntityNote",
    "Evaluation",
    "EvaluationError",
    "RelationNote",
    "ReleaseScore",
    "TypeNote",
    "ValueNote",
    "align",
    "compare_to_baseline",
    "evaluate",
    "is_neutral_gold",
    "load_baseline",
    "load_gold",
    "load_reports",
    "normalise_text",
    "score_release",
]

PLACE = "Place"
SYMMETRIC_PREDICATES = frozenset({"collaboratesWith"})
AMOUNT_PREDICATE = "fundedBy"
DATED_TYPES = frozenset({"Project", "Event"})
DATE_KEYS = ("start", "end")
AMOUNT_TOLERANCE = 0.005
FIGURES = ("precision", "recall", "f1")


class EvaluationError(ValueError):
    """A gold file, report line or baseline file that cannot be read."""


# --------------------------------------------------------------------------- text


def _is_edge_noise(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in ("P", "S")


def normalise_text(s: str) -> str:
    """Return ``s`` in the form the scorer compares.

    Steps: Unicode NFC, case folding (``str.casefold``, then NFC again), internal runs of
    white space squeezed to one space, and white space, punctuation (categories ``P*``)
    and symbols (categories ``S*``) stripped at both ends. Characters inside the text are
    kept, so ``"BRK:s"`` stays distinct from ``"BRK"``.

    >>> normalise_text("  Region  Västerbotten, ")
    'region västerbotten'
    """
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", s).casefold())
    text = " ".join(text.split())
    start, end = 0, len(text)
    while start < end and _is_edge_noise(text[start]):
        start += 1
    while end > start and _is_edge_noise(text[end - 1]):
        end -= 1
    return text[start:end]


# --------------------------------------------------------------------------- counts


@dataclass
class PRF:
    """True/false positive and false negative counts with derived P, R and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0.0 when nothing was predicted."""
        denominator = self.tp + self.fp
        return self.tp / denominator if denominator else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0.0 when there is nothing to find."""
        denominator = self.tp + self.fn
        return self.tp / denominator if denominator else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0.0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        if not isinstance(other, PRF):
            return NotImplemented
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def __radd__(self, other: object) -> PRF:
        if other == 0:  # lets sum() start from its default 0
            return PRF(self.tp, self.fp, self.fn)
        return NotImplemented

    def to_dict(self) -> dict[str, float | int]:
        """Counts and figures as a JSON-ready dict."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def _merge_breakdown(target: dict[str, PRF], source: Mapping[str, PRF]) -> None:
    for label, prf in source.items():
        target[label] = target.get(label, PRF()) + prf


# --------------------------------------------------------------------------- notes


@dataclass(frozen=True)
class EntityNote:
    """An entity false positive (predicted side) or false negative (gold side)."""

    ref: str
    name: str
    type: str


@dataclass(frozen=True)
class TypeNote:
    """An aligned pair whose predicted type is not among the gold's types."""

    predicted: str
    predicted_type: str
    gold: str
    gold_types: tuple[str, ...]


@dataclass(frozen=True)
class RelationNote:
    """A relation false positive (with its evidence) or false negative, ends as labels."""

    s: str
    p: str
    o: str
    evidence: str = ""


@dataclass(frozen=True)
class ValueNote:
    """An amount or date that is wrong, missing or spurious (``None`` marks absence)."""

    kind: str
    subject: str
    predicted: str | None
    gold: str | None


# --------------------------------------------------------------------------- scores


@dataclass
class ReleaseScore:
    """Counts for one release, with the errors behind them."""

    release: str
    entities: PRF = field(default_factory=PRF)
    typed: PRF = field(default_factory=PRF)
    relations: PRF = field(default_factory=PRF)
    amounts: PRF = field(default_factory=PRF)
    dates: PRF = field(default_factory=PRF)
    per_type: dict[str, PRF] = field(default_factory=dict)
    per_predicate: dict[str, PRF] = field(default_factory=dict)
    entity_false_positives: list[EntityNote] = field(default_factory=list)
    entity_false_negatives: list[EntityNote] = field(default_factory=list)
    type_errors: list[TypeNote] = field(default_factory=list)
    relation_false_positives: list[RelationNote] = field(default_factory=list)
    relation_false_negatives: list[RelationNote] = field(default_factory=list)
    value_errors: list[ValueNote] = field(default_factory=list)

    def figures(self) -> dict[str, PRF]:
        """The five headline counts by name."""
        return {
            "entities": self.entities,
            "typed": self.typed,
            "relations": self.relations,
            "amounts": self.amounts,
            "dates": self.dates,
        }

    def errors_to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """The error notes as JSON-ready lists."""
        return {
            "entity_false_positives": [vars(n) for n in self.entity_false_positives],
            "entity_false_negatives": [vars(n) for n in self.entity_false_negatives],
            "type_errors": [
                {**vars(n), "gold_types": list(n.gold_types)} for n in self.type_errors
            ],
            "relation_false_positives": [vars(n) for n in self.relation_false_positives],
            "relation_false_negatives": [vars(n) for n in self.relation_false_negatives],
            "value_errors": [vars(n) for n in self.value_errors],
        }


# --------------------------------------------------------------------------- alignment


def _entity_forms(entity: Mapping[str, Any], *keys: str) -> set[str]:
    forms: set[str] = set()
    for key in keys:
        value = entity.get(key)
        values = [value] if isinstance(value, str) else value or []
        forms.update(normalise_text(v) for v in values if isinstance(v, str))
    forms.discard("")
    return forms


def _gold_types(gold_entity: Mapping[str, Any]) -> tuple[str, ...]:
    alt = gold_entity.get("alt_types") or []
    return (str(gold_entity.get("type", "")), *(str(t) for t in alt))


def _is_neutral_gold(gold_entity: Mapping[str, Any]) -> bool:
    return bool(gold_entity.get("optional")) or gold_entity.get("type") == PLACE


def _align(
    predicted: list[Mapping[str, Any]], gold: list[Mapping[str, Any]]
) -> tuple[dict[int, int], dict[int, int]]:
    """Match predicted to gold entities one-to-one.

    Returns ``(aligned, duplicates)``: predicted index -> gold index for the matching, and
    predicted index -> gold index for predictions that could align only with gold entities
    already taken (the first such candidate in preference order).
    """
    gold_names = [normalise_text(str(g.get("name", ""))) for g in gold]
    gold_forms = [_entity_forms(g, "name", "aliases") for g in gold]
    gold_types = [_gold_types(g) for g in gold]

    ranked: dict[int, list[tuple[tuple[int, ...], int]]] = {}
    for pi, pred in enumerate(predicted):
        label = normalise_text(str(pred.get("label", "")))
        forms = _entity_forms(pred, "label", "mentions")
        ptype = pred.get("type")
        for gi in range(len(gold)):
            if not forms & gold_forms[gi]:
                continue
            key = (
                0 if label and label == gold_names[gi] else 1,
                0 if ptype in gold_types[gi] else 1,
                0 if label in gold_forms[gi] else 1,
                pi,
                gi,
            )
            ranked.setdefault(pi, []).append((key, gi))
    for options in ranked.values():
        options.sort()

    # Greedy pass in preference order over all candidate pairs.
    pred_to_gold: dict[int, int] = {}
    gold_to_pred: dict[int, int] = {}
    for _key, pi, gi in sorted(
        (key, pi, gi) for pi, options in ranked.items() for key, gi in options
    ):
        if pi not in pred_to_gold and gi not in gold_to_pred:
            pred_to_gold[pi] = gi
            gold_to_pred[gi] = pi

    # Augmenting paths (Kuhn) grow the matching to maximum cardinality.
    def augment(pi: int, seen: set[int]) -> bool:
        for _key, gi in ranked[pi]:
            if gi in seen:
                continue
            seen.add(gi)
            holder = gold_to_pred.get(gi)
            if holder is None or augment(holder, seen):
                pred_to_gold[pi] = gi
                gold_to_pred[gi] = pi
                return True
        return False

    for pi in sorted(ranked):
        if pi not in pred_to_gold:
            augment(pi, set())

    duplicates = {pi: ranked[pi][0][1] for pi in ranked if pi not in pred_to_gold}
    return pred_to_gold, duplicates


def align(
    predicted: list[Mapping[str, Any]], gold: list[Mapping[str, Any]]
) -> tuple[dict[int, int], dict[int, int]]:
    """The scorer's one-to-one alignment (predicted index -> gold index) and duplicates:
    training labels candidates with the very matching that scores them."""
    return _align(predicted, gold)


def is_neutral_gold(gold_entity: Mapping[str, Any]) -> bool:
    """An optional or Place gold entity: neither found nor missed counts."""
    return _is_neutral_gold(gold_entity)


# --------------------------------------------------------------------------- values


def _amount_text(amount: Any) -> str:
    if isinstance(amount, Mapping):
        return f"{amount.get('value')} {amount.get('currency')}"
    return str(amount)


def _amount_right(predicted: Any, gold: Any) -> bool:
    """Value within 0.5 % of the gold value and the same currency code."""
    if not isinstance(predicted, Mapping) or not isinstance(gold, Mapping):
        return False
    p_value, g_value = predicted.get("value"), gold.get("value")
    for value in (p_value, g_value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if not math.isfinite(value):
            return False
    p_cur = str(predicted.get("currency", "")).strip().upper()
    g_cur = str(gold.get("currency", "")).strip().upper()
    if not g_cur or p_cur != g_cur:
        return False
    return abs(p_value - g_value) <= AMOUNT_TOLERANCE * abs(g_value)


def _score_value(
    score: ReleaseScore,
    counts: PRF,
    kind: str,
    subject: str,
    predicted: Any,
    gold: Any,
    right: bool,
    show: Any = str,
) -> None:
    has_pred, has_gold = predicted is not None, gold is not None
    if has_pred and has_gold and right:
        counts.tp += 1
        return
    if has_pred:
        counts.fp += 1
    if has_gold:
        counts.fn += 1
    if has_pred or has_gold:
        score.value_errors.append(
            ValueNote(
                kind,
                subject,
                show(predicted) if has_pred else None,
                show(gold) if has_gold else None,
            )
        )


# --------------------------------------------------------------------------- release


def _relation_key(s: str, p: str, o: str) -> tuple[str, str, str]:
    if p in SYMMETRIC_PREDICATES and o < s:
        s, o = o, s
    return (s, p, o)


@dataclass
class _Aligned:
    """One release's predicted and gold entities and how they were aligned (``_align``)."""

    predicted: list[Mapping[str, Any]]
    gold: list[Mapping[str, Any]]
    aligned: dict[int, int]  # prediction -> gold entity
    duplicates: dict[int, int]  # prediction -> gold entity another prediction took
    neutral_gold: list[bool]
    neutral_pred: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, report: Mapping[str, Any], gold: Mapping[str, Any]) -> _Aligned:
        predicted = [e for e in report.get("entities") or [] if isinstance(e, Mapping)]
        gold_entities = [e for e in gold.get("entities") or [] if isinstance(e, Mapping)]
        aligned, duplicates = _align(predicted, gold_entities)
        neutral = [_is_neutral_gold(g) for g in gold_entities]
        return cls(predicted, gold_entities, aligned, duplicates, neutral)

    def gold_name(self, gi: int) -> str:
        return str(self.gold[gi].get("name", ""))

    @cached_property
    def gold_label(self) -> dict[str, str]:
        """Gold entity key -> its name."""
        return {str(g.get("key", "")): str(g.get("name", "")) for g in self.gold}


def score_release(report: Mapping[str, Any], gold: Mapping[str, Any]) -> ReleaseScore:
    """Score one release's report against its gold annotation.

    Entities: an aligned prediction is a true positive unless its gold entity is neutral
    (``optional`` or ``Place``); unaligned predictions are false positives unless their
    type is ``Place``; duplicates (see ``_align``) are false positives unless their gold
    entity is neutral; unaligned non-neutral gold entities are false negatives.

    Relations: both ends are mapped through the alignment. Neutral when an end is neutral;
    a true positive when gold has the triple (either direction for ``collaboratesWith``)
    and no earlier prediction took it; ignored when an earlier prediction took it; a
    false positive otherwise (including ends that are duplicates, unaligned or not among
    the report's entities). Gold relations touching a neutral gold entity are neutral;
    the others, never matched, are false negatives.

    Amounts: recall counts every gold ``fundedBy`` amount on a non-neutral relation;
    precision counts every amount on the predicted relations that were true positives.

    Dates: recall counts ``start``/``end`` of non-neutral gold Project and Event entities;
    precision counts ``start``/``end`` on the predictions aligned to them. Values match as
    exact strings.
    """
    release = str(gold.get("release", report.get("release", "")))
    score = ReleaseScore(release=release)
    al = _Aligned.of(report, gold)
    _score_entities(score, al)
    gold_relations, matched = _score_relations(score, al, report, gold)
    gold_label = al.gold_label
    for key, rel in gold_relations.items():  # amounts
        g_amount = rel.get("amount") if rel.get("p") == AMOUNT_PREDICATE else None
        p_rel = matched.get(key)
        p_amount = p_rel.get("amount") if p_rel is not None else None
        if g_amount is None and p_amount is None:
            continue
        subject = f"{gold_label.get(key[0], key[0])} {key[1]} {gold_label.get(key[2], key[2])}"
        right = _amount_right(p_amount, g_amount)
        _score_value(
            score, score.amounts, "amount", subject, p_amount, g_amount, right, _amount_text
        )
    _score_dates(score, al)
    score.per_type = dict(sorted(score.per_type.items()))
    score.per_predicate = dict(sorted(score.per_predicate.items()))
    return score


def _score_entities(score: ReleaseScore, al: _Aligned) -> None:
    """Entity and typed-entity counts; fills ``al.neutral_pred``."""
    for pi, pred in enumerate(al.predicted):
        ptype = str(pred.get("type", ""))
        gi = al.aligned.get(pi, al.duplicates.get(pi))
        if (gi is not None and al.neutral_gold[gi]) or (gi is None and ptype == PLACE):
            al.neutral_pred.add(pi)
            continue
        if gi is not None and pi in al.aligned:
            score.entities.tp += 1
            gtypes = _gold_types(al.gold[gi])
            if ptype in gtypes:
                score.typed.tp += 1
                score.per_type.setdefault(gtypes[0], PRF()).tp += 1
            else:
                score.typed.fp += 1
                score.typed.fn += 1
                score.per_type.setdefault(ptype, PRF()).fp += 1
                score.per_type.setdefault(gtypes[0], PRF()).fn += 1
                score.type_errors.append(
                    TypeNote(str(pred.get("label", "")), ptype, al.gold_name(gi), gtypes)
                )
            continue
        score.entities.fp += 1
        score.typed.fp += 1
        score.per_type.setdefault(ptype, PRF()).fp += 1
        score.entity_false_positives.append(
            EntityNote(str(pred.get("id", "")), str(pred.get("label", "")), ptype)
        )
    matched_gold = set(al.aligned.values())
    for gi, g in enumerate(al.gold):
        if al.neutral_gold[gi] or gi in matched_gold:
            continue
        gtype = str(g.get("type", ""))
        score.entities.fn += 1
        score.typed.fn += 1
        score.per_type.setdefault(gtype, PRF()).fn += 1
        score.entity_false_negatives.append(
            EntityNote(str(g.get("key", "")), al.gold_name(gi), gtype)
        )


RelationKey = tuple[str, str, str]


def _score_relations(
    score: ReleaseScore, al: _Aligned, report: Mapping[str, Any], gold: Mapping[str, Any]
) -> tuple[dict[RelationKey, Mapping[str, Any]], dict[RelationKey, Mapping[str, Any]]]:
    """Relation counts; returns the non-neutral gold relations and those matched (by key)."""
    key_to_gold = {str(g.get("key", "")): gi for gi, g in enumerate(al.gold)}
    id_to_pred: dict[str, int] = {}
    for pi, pred in enumerate(al.predicted):
        id_to_pred.setdefault(str(pred.get("id", "")), pi)
    gold_relations: dict[RelationKey, Mapping[str, Any]] = {}
    for rel in gold.get("relations") or []:
        s_gi, o_gi = key_to_gold.get(str(rel.get("s"))), key_to_gold.get(str(rel.get("o")))
        if (s_gi is not None and al.neutral_gold[s_gi]) or (
            o_gi is not None and al.neutral_gold[o_gi]
        ):
            continue
        gold_relations.setdefault(_relation_key(str(rel["s"]), str(rel["p"]), str(rel["o"])), rel)

    def pred_label(ref: str) -> str:
        pi = id_to_pred.get(ref)
        return str(al.predicted[pi].get("label", ref)) if pi is not None else ref

    matched: dict[RelationKey, Mapping[str, Any]] = {}
    for rel in report.get("relations") or []:
        if not isinstance(rel, Mapping):
            continue
        s_ref, p, o_ref = str(rel.get("s", "")), str(rel.get("p", "")), str(rel.get("o", ""))
        s_pi, o_pi = id_to_pred.get(s_ref), id_to_pred.get(o_ref)
        if s_pi in al.neutral_pred or o_pi in al.neutral_pred:
            continue
        s_gi = al.aligned.get(s_pi) if s_pi is not None else None
        o_gi = al.aligned.get(o_pi) if o_pi is not None else None
        key = None
        if s_gi is not None and o_gi is not None:
            key = _relation_key(str(al.gold[s_gi].get("key")), p, str(al.gold[o_gi].get("key")))
        if key is not None and key in gold_relations:
            if key not in matched:
                matched[key] = rel
                score.relations.tp += 1
                score.per_predicate.setdefault(p, PRF()).tp += 1
            continue
        score.relations.fp += 1
        score.per_predicate.setdefault(p, PRF()).fp += 1
        score.relation_false_positives.append(
            RelationNote(pred_label(s_ref), p, pred_label(o_ref), str(rel.get("evidence", "")))
        )
    _relation_false_negatives(score, al, gold_relations, matched)
    return gold_relations, matched


def _relation_false_negatives(
    score: ReleaseScore,
    al: _Aligned,
    gold_relations: dict[RelationKey, Mapping[str, Any]],
    matched: dict[RelationKey, Mapping[str, Any]],
) -> None:
    gold_label = al.gold_label
    for key, rel in gold_relations.items():
        if key in matched:
            continue
        p = str(rel["p"])
        score.relations.fn += 1
        score.per_predicate.setdefault(p, PRF()).fn += 1
        s_key, o_key = str(rel["s"]), str(rel["o"])
        score.relation_false_negatives.append(
            RelationNote(gold_label.get(s_key, s_key), p, gold_label.get(o_key, o_key))
        )


def _score_dates(score: ReleaseScore, al: _Aligned) -> None:
    """``start``/``end`` of non-neutral gold Projects and Events, and of their predictions."""
    gold_to_pred = {gi: pi for pi, gi in al.aligned.items()}
    for gi, g in enumerate(al.gold):
        if al.neutral_gold[gi] or g.get("type") not in DATED_TYPES:
            continue
        pi = gold_to_pred.get(gi)
        for date_key in DATE_KEYS:
            g_value = g.get(date_key)
            p_value = al.predicted[pi].get(date_key) if pi is not None else None
            right = g_value is not None and p_value is not None and str(p_value) == str(g_value)
            _score_value(score, score.dates, date_key, al.gold_name(gi), p_value, g_value, right)


# --------------------------------------------------------------------------- corpus


@dataclass
class Evaluation:
    """Scores of every gold release, micro-averaged (counts summed before dividing)."""

    releases: dict[str, ReleaseScore]
    missing: list[str] = field(default_factory=list)
    without_gold: list[str] = field(default_factory=list)

    def _total(self, name: str) -> PRF:
        return sum((getattr(r, name) for r in self.releases.values()), PRF())

    @property
    def entities(self) -> PRF:
        return self._total("entities")

    @property
    def typed(self) -> PRF:
        return self._total("typed")

    @property
    def relations(self) -> PRF:
        return self._total("relations")

    @property
    def amounts(self) -> PRF:
        return self._total("amounts")

    @property
    def dates(self) -> PRF:
        return self._total("dates")

    @property
    def per_type(self) -> dict[str, PRF]:
        """Typed entity counts by type (gold type for tp/fn, predicted type for fp)."""
        totals: dict[str, PRF] = {}
        for score in self.releases.values():
            _merge_breakdown(totals, score.per_type)
        return dict(sorted(totals.items()))

    @property
    def per_predicate(self) -> dict[str, PRF]:
        """Relation counts by predicate."""
        totals: dict[str, PRF] = {}
        for score in self.releases.values():
            _merge_breakdown(totals, score.per_predicate)
        return dict(sorted(totals.items()))

    def figures(self) -> dict[str, PRF]:
        """The five headline counts by name."""
        return {
            "entities": self.entities,
            "typed": self.typed,
            "relations": self.relations,
            "amounts": self.amounts,
            "dates": self.dates,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything as a JSON-ready dict (the ``--format json`` output)."""
        return {
            "overall": {name: prf.to_dict() for name, prf in self.figures().items()},
            "per_type": {t: prf.to_dict() for t, prf in self.per_type.items()},
            "per_predicate": {p: prf.to_dict() for p, prf in self.per_predicate.items()},
            "missing": list(self.missing),
            "without_gold": list(self.without_gold),
            "releases": {
                name: {
                    **{k: prf.to_dict() for k, prf in score.figures().items()},
                    "errors": score.errors_to_dict(),
                }
                for name, score in self.releases.items()
            },
        }

    def format_text(self, detail: bool = False) -> str:
        """A plain-text table; with ``detail``, every error per release."""
        lines = [f"Releases scored: {len(self.releases)}"]
        lines += _table(
            "Overall (micro-averaged)",
            [
                ("entities", self.entities),
                ("entities (typed)", self.typed),
                ("relations", self.relations),
                ("amounts", self.amounts),
                ("dates", self.dates),
            ],
        )
        lines += _table("Per type (typed entities)", list(self.per_type.items()))
        lines += _table("Per predicate", list(self.per_predicate.items()))
        if self.missing:
            lines += ["", "Gold releases without a report (all counted as false negatives):"]
            lines += [f"  {name}" for name in self.missing]
        if self.without_gold:
            lines += ["", "Reports without gold (ignored):"]
            lines += [f"  {name}" for name in self.without_gold]
        if detail:
            for score in self.releases.values():
                lines += _release_detail(score)
        return "\n".join(lines) + "\n"


def _table(title: str, rows: list[tuple[str, PRF]]) -> list[str]:
    width = max([len(name) for name, _ in rows] + [len(title), 10])
    out = ["", title, f"{'':<{width}}  {'tp':>5} {'fp':>5} {'fn':>5}  {'P':>6} {'R':>6} {'F1':>6}"]
    for name, prf in rows:
        out.append(
            f"{name:<{width}}  {prf.tp:>5} {prf.fp:>5} {prf.fn:>5}  "
            f"{prf.precision:>6.3f} {prf.recall:>6.3f} {prf.f1:>6.3f}"
        )
    return out


def _release_detail(score: ReleaseScore) -> list[str]:
    out = ["", f"== {score.release}"]
    for prf_name, prf in score.figures().items():
        out.append(f"   {prf_name}: tp={prf.tp} fp={prf.fp} fn={prf.fn} F1={prf.f1:.3f}")
    for note in score.entity_false_positives:
        out.append(f"   FP entity   {note.name} [{note.type}] <{note.ref}>")
    for note in score.entity_false_negatives:
        out.append(f"   FN entity   {note.name} [{note.type}]")
    for tnote in score.type_errors:
        out.append(
            f"   TYPE        {tnote.predicted} [{tnote.predicted_type}] "
            f"≠ {tnote.gold} [{'|'.join(tnote.gold_types)}]"
        )
    for rnote in score.relation_false_positives:
        out.append(f"   FP relation {rnote.s} —{rnote.p}→ {rnote.o}")
        if rnote.evidence:
            out.append(f"               evidence: {' '.join(rnote.evidence.split())}")
    for rnote in score.relation_false_negatives:
        out.append(f"   FN relation {rnote.s} —{rnote.p}→ {rnote.o}")
    for vnote in score.value_errors:
        out.append(
            f"   {vnote.kind.upper():<11} {vnote.subject}: predicted {vnote.predicted}, "
            f"gold {vnote.gold}"
        )
    return out


def evaluate(
    reports: Mapping[str, Mapping[str, Any]], gold: Mapping[str, Mapping[str, Any]]
) -> Evaluation:
    """Score every gold release; a release without a report scores as an empty report."""
    releases: dict[str, ReleaseScore] = {}
    missing: list[str] = []
    for name in sorted(gold):
        report = reports.get(name)
        if report is None:
            missing.append(name)
            report = {"release": name, "entities": [], "relations": []}
        releases[name] = score_release(report, gold[name])
    without_gold = sorted(name for name in reports if name not in gold)
    return Evaluation(releases=releases, missing=missing, without_gold=without_gold)


# --------------------------------------------------------------------------- loaders


def _check_items(obj: Mapping[str, Any], key: str, required: tuple[str, ...]) -> str | None:
    items = obj.get(key, [])
    if not isinstance(items, list):
        return f"'{key}' is not a list"
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            return f"{key}[{i}] is not an object"
        absent = [k for k in required if not isinstance(item.get(k), str)]
        if absent:
            return f"{key}[{i}] lacks string {', '.join(repr(k) for k in absent)}"
    return None


def _check_gold(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "not a JSON object"
    if not isinstance(data.get("release"), str) or not data["release"]:
        return "no 'release' string"
    for key, required in (("entities", ("key", "name", "type")), ("relations", ("s", "p", "o"))):
        if key not in data:
            return f"no '{key}' list"
        problem = _check_items(data, key, required)
        if problem:
            return problem
    keys = [e["key"] for e in data["entities"]]
    if len(keys) != len(set(keys)):
        return "duplicate entity keys"
    for i, rel in enumerate(data["relations"]):
        for end in ("s", "o"):
            if rel[end] not in keys:
                return f"relations[{i}].{end} {rel[end]!r} is not an entity key"
    return None


def load_gold(directory: Path) -> dict[str, dict]:
    """Read every ``*.gold.json`` below ``directory``, keyed by ``release``.

    Raises ``EvaluationError`` naming the file for unreadable or malformed files and for
    two files claiming the same release.
    """
    directory = Path(directory)
    gold: dict[str, dict] = {}
    sources: dict[str, Path] = {}
    for path in sorted(directory.rglob("*.gold.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise EvaluationError(f"{path}: cannot read gold file: {exc}") from exc
        problem = _check_gold(data)
        if problem:
            raise EvaluationError(f"{path}: malformed gold file: {problem}")
        release = data["release"]
        if release in gold:
            raise EvaluationError(
                f"{path}: release {release!r} already given by {sources[release]}"
            )
        gold[release] = data
        sources[release] = path
    return gold


def load_reports(lines: Iterable[str]) -> dict[str, dict]:
    """Read JSONL report lines, keyed by ``release``; blank lines are skipped.

    Raises ``EvaluationError`` naming the (1-based) line number of a bad line or of a
    second report for the same release.
    """
    reports: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationError(f"report line {number}: invalid JSON: {exc}") from exc
        problem = None
        if not isinstance(data, dict):
            problem = "not a JSON object"
        elif not isinstance(data.get("release"), str) or not data["release"]:
            problem = "no 'release' string"
        else:
            problem = _check_items(data, "entities", ("id",)) or _check_items(
                data, "relations", ("s", "p", "o")
            )
        if problem:
            raise EvaluationError(f"report line {number}: {problem}")
        release = data["release"]
        if release in reports:
            raise EvaluationError(
                f"report line {number}: release {release!r} already on line {first_line[release]}"
            )
        reports[release] = data
        first_line[release] = number
    return reports


# --------------------------------------------------------------------------- baseline


def load_baseline(path: Path) -> dict:
    """Read a baseline JSON file (an earlier ``Evaluation.to_dict()`` or flat figures)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read baseline: {exc}") from exc
    if not isinstance(data, dict):
        raise EvaluationError(f"{path}: baseline is not a JSON object")
    return data


def _flatten_figures(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, float]]:
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            yield from _flatten_figures(value, path)
        elif (
            path.rsplit(".", 1)[-1] in FIGURES
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            yield path, float(value)


def compare_to_baseline(
    evaluation: Evaluation, baseline: Mapping[str, Any], tolerance: float = 0.02
) -> list[str]:
    """List the baseline figures that dropped by more than ``tolerance``.

    Figures are the ``precision``/``recall``/``f1`` leaves of the baseline, addressed by
    dotted paths into ``evaluation.to_dict()`` (``"overall.relations.f1"``); nested or
    already-dotted keys both work. A baseline figure absent from the evaluation is listed.
    """
    current = dict(_flatten_figures(evaluation.to_dict()))
    drops: list[str] = []
    for path, expected in _flatten_figures(baseline):
        value = current.get(path)
        if value is None:
            drops.append(f"{path}: missing (baseline {expected:.3f})")
        elif expected - value > tolerance + 1e-9:
            drops.append(f"{path}: {value:.3f} < baseline {expected:.3f} ({value - expected:+.3f})")
    return drops
