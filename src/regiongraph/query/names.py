"""Names -> IRIs: what a user types for an actor, project, region or funder.

``NameIndex`` holds every name and code of the things in the store (rows of
``queries/names.rq``). ``resolve`` turns a value into one IRI, trying in order:

1. an IRI, or a prefixed name (``id:region/se-vasterbotten``, see ``terms.PREFIXES``);
2. an official code: kommunkod (``2482``), länskod (``24``), NUTS (``SE331``), maakunta;
3. a name equal to the text, ignoring case and accents (labels before aliases);
4. a slug: the last segment of an IRI (``se-vasterbotten``, or ``vasterbotten``).

A value that matches several things, or none, raises ``NameError_`` with the closest
names (rapidfuzz) so the user can pick one. ``resolve_params`` applies this to the
parameters of a library query whose kind is ``actor``, ``project``, ``region``,
``funder`` or ``IRI``.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from regiongraph.query.library import QueryError, QueryFile
from regiongraph.query.terms import PREFIXES, expand, is_iri, short_iri
from regiongraph.vocab import ACTOR_CLASSES, THING_CLASSES

RG = PREFIXES["rg"]
PERSON_TYPES = frozenset({RG + "Person"})
ORGANISATION_TYPES = frozenset(RG + name for name in ACTOR_CLASSES) - PERSON_TYPES
PROJECT_TYPES = frozenset(RG + name for name in THING_CLASSES)
# The classes a parameter kind accepts (``IRI``: anything the index holds).
KIND_TYPES: dict[str, frozenset[str]] = {
    "actor": ORGANISATION_TYPES | PERSON_TYPES,
    "funder": ORGANISATION_TYPES,
    "region": frozenset({RG + "Region", RG + "Municipality"}),
    "project": PROJECT_TYPES,
    "IRI": ORGANISATION_TYPES | PERSON_TYPES | PROJECT_TYPES,
}
NAMED_KINDS = frozenset(KIND_TYPES)
CODE_FIELDS = ("kommunkod", "länskod", "NUTS", "maakunta")
SUGGESTIONS = 5


class NameError_(QueryError):
    """A name that matches no thing, or several; ``suggestions`` lists the closest."""

    def __init__(
        self, message: str, suggestions: tuple[Thing, ...] = (), ambiguous: bool = False
    ) -> None:
        lines = [message]
        if suggestions:
            lines.append("matches:" if ambiguous else "closest matches:")
            lines += [f"  {t.label}  ({t.kind_name}, {short_iri(t.iri)})" for t in suggestions]
        super().__init__("\n".join(lines))
        self.message = message
        self.suggestions = suggestions
        self.ambiguous = ambiguous


@dataclass(frozen=True)
class Thing:
    """One actor, project or event with its names, codes and classes."""

    iri: str
    label: str
    types: frozenset[str]
    names: tuple[str, ...] = ()
    codes: tuple[tuple[str, str], ...] = ()  # (field, value), e.g. ("NUTS", "SE331")

    @property
    def kind_name(self) -> str:
        """The most specific class's local name (Region before Organisation)."""
        for name in ("Person", "Project", "Event", "Region", "Municipality", "FundingProgramme"):
            if RG + name in self.types:
                return name
        locals_ = sorted(t.removeprefix(RG) for t in self.types - {RG + "Organisation"})
        return locals_[0] if locals_ else "Organisation"


def fold(text: str) -> str:
    """Case- and accent-insensitive form: ``Västerbotten`` -> ``vasterbotten``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass
class NameIndex:
    """Every thing by IRI, with look-ups by folded name and by code."""

    things: dict[str, Thing]
    _labels: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def __post_init__(self) -> None:
        for thing in self.things.values():
            self._labels[fold(thing.label)].add(thing.iri)
            for name in thing.names:
                self._aliases[fold(name)].add(thing.iri)
            for _, code in thing.codes:
                self._codes[code.casefold()].add(thing.iri)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, object]]) -> NameIndex:
        """The index from ``queries/names.rq`` rows (thing, type, field, value)."""
        types: dict[str, set[str]] = defaultdict(set)
        labels: dict[str, list[str]] = defaultdict(list)
        names: dict[str, set[str]] = defaultdict(set)
        codes: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for row in rows:
            iri, value, kind = str(row["thing"]), str(row["value"]), str(row["field"])
            types[iri].add(str(row["type"]))
            if kind == "label":
                labels[iri].append(value)
            elif kind == "alias":
                names[iri].add(value)
            else:
                codes[iri].add((kind, value))
        things = {}
        for iri in types:
            label = min(labels[iri], key=lambda v: (len(v), v)) if labels[iri] else iri
            things[iri] = Thing(
                iri=iri,
                label=label,
                types=frozenset(types[iri]),
                names=tuple(sorted((names[iri] | set(labels[iri])) - {label})),
                codes=tuple(sorted(codes[iri])),
            )
        return cls(things)

    @classmethod
    def from_store(cls, store: object) -> NameIndex:
        """The index of a pyoxigraph store's default graph."""
        from regiongraph.query.library import load_query, run_select

        return cls.from_rows(run_select(store, load_query("names")))  # type: ignore[arg-type]

    # -- look-ups ---------------------------------------------------------------------

    def _of_kind(self, iris: Iterable[str], kind: str) -> list[str]:
        allowed = KIND_TYPES.get(kind, KIND_TYPES["IRI"])
        return sorted(i for i in iris if self.things[i].types & allowed)

    def resolve(self, text: str, kind: str = "IRI") -> str:
        """The IRI ``text`` means (see the module docstring); NameError_ otherwise."""
        value = text.strip()
        full = expand(value)
        if full is not None or is_iri(value):
            return full or value
        folded = fold(value)
        slug = folded.replace(" ", "-")
        for step in (
            self._codes.get(value.casefold(), ()),
            self._labels.get(folded, ()),
            self._aliases.get(folded, ()),
            [i for i in self.things if i.rstrip("/").rsplit("/", 1)[-1] == slug],
            [
                i
                for i in self.things
                if i.rstrip("/").rsplit("/", 1)[-1] in {f"se-{slug}", f"fi-{slug}"}
            ],
        ):
            hits = self._of_kind(step, kind)
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise NameError_(
                    f"{value!r} names {len(hits)} {_kind_words(kind)}; give one of these "
                    "(a name, a code or the IRI)",
                    tuple(self.things[i] for i in hits[:10]),
                    ambiguous=True,
                )
        raise NameError_(
            f"no {_kind_words(kind, one=True)} named {value!r}", self.closest(value, kind)
        )

    def closest(self, text: str, kind: str = "IRI", limit: int = SUGGESTIONS) -> tuple[Thing, ...]:
        """The things whose names come closest to ``text`` (rapidfuzz WRatio), best first."""
        allowed = KIND_TYPES.get(kind, KIND_TYPES["IRI"])
        choices: dict[tuple[str, str], str] = {}
        for thing in self.things.values():
            if thing.types & allowed:
                for name in (thing.label, *thing.names):
                    choices[(thing.iri, name)] = fold(name)
        found: list[Thing] = []
        for _, _, key in process.extract(
            fold(text), choices, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=50
        ):
            thing = self.things[key[0]]
            if thing not in found:
                found.append(thing)
        return tuple(found[:limit])

    def search(self, text: str, kind: str = "IRI", limit: int = 10) -> list[Thing]:
        """Things for ``find``: exact resolution first, then names containing the text,
        then the closest names."""
        try:
            exact = [self.things[self.resolve(text, kind)]] if text.strip() else []
        except NameError_ as exc:
            exact = list(exc.suggestions) if exc.ambiguous else []
        folded = fold(text)
        allowed = KIND_TYPES.get(kind, KIND_TYPES["IRI"])
        containing = sorted(
            (
                t
                for t in self.things.values()
                if t.types & allowed and any(folded in fold(n) for n in (t.label, *t.names))
            ),
            key=lambda t: (len(t.label), t.label),
        )
        fuzzy = () if containing else self.closest(text, kind, limit)
        found: list[Thing] = []
        for thing in (*exact, *containing, *fuzzy):
            if thing not in found and thing.iri in self.things:
                found.append(thing)
        return found[:limit]


def _kind_words(kind: str, one: bool = False) -> str:
    singular = {"IRI": "actor, project or event"}.get(kind, kind)
    if one:
        return singular
    return {"IRI": "things", "actor": "actors", "funder": "funders", "region": "regions"}.get(
        kind, kind + "s"
    )


def resolve_params(
    query: QueryFile, params: Mapping[str, str], index: NameIndex | None
) -> dict[str, str]:
    """``params`` with every name given for a named-kind parameter replaced by its IRI.

    ``index`` may be None when no value needs it (all IRIs or prefixed names).
    """
    resolved = dict(params)
    for param in query.params:
        value = params.get(param.name)
        if value is None or param.kind not in NAMED_KINDS:
            continue
        full = expand(value)
        if full is not None or is_iri(value.strip()):
            resolved[param.name] = full or value.strip()
        elif index is None:
            raise QueryError(f"parameter {param.name}: {value!r} is not an IRI")
        else:
            try:
                resolved[param.name] = index.resolve(value, param.kind)
            except NameError_ as exc:
                raise NameError_(
                    f"parameter {param.name}: {exc.message}", exc.suggestions, exc.ambiguous
                ) from exc
    return resolved


def needs_index(query: QueryFile, params: Mapping[str, str]) -> bool:
    """True when a named-kind parameter was given as a name (not an IRI)."""
    return any(
        p.kind in NAMED_KINDS
        and p.name in params
        and expand(params[p.name]) is None
        and not is_iri(params[p.name].strip())
        for p in query.params
    )
