"""Reference actors: Swedish and Finnish regions, Swedish municipalities, and the curated
national and EU organisations and programmes, with a gazetteer over their names.

``load_reference(data_dir)`` reads ``data_dir/reference/`` (or ``data_dir`` itself when it
holds the files): the official ``se_municipalities.csv``, ``se_counties.csv`` and
``fi_regions.csv``, and the curated ``organisations.csv``. Nothing is read at import and
there is no global state; the caller keeps the returned ``ReferenceData``.

Entries made from the official lists
------------------------------------
* Swedish region, key ``se-{slug of short county name}``: label = the regional
  authority ("Region Västerbotten", "Västra Götalandsregionen"); aliases = county name
  ("Västerbottens län"), short name ("Västerbotten"), "Region {short}" where it differs
  from the label ("Region Örebro", "Region Jönköping"), a few written variants (below).
* Municipality, key ``{slug of short name}``, or ``{slug}-{municipality code}`` for all
  municipalities whose short names slugify alike (Håbo ``habo-0305``, Habo
  ``habo-0643``): label = official name ("Skellefteå kommun",
  "Stockholms stad"), alias = short name ("Skellefteå"); ``in_region`` = its region key.
* Finnish region, key ``fi-{slug of Finnish name}``: label = Finnish name, aliases =
  Swedish and English names and the regional council's names (``_fi_council_names``).
* County administrative board, key ``lansstyrelsen-{slug of short name}``: one per county,
  generated here from se_counties.csv ("Länsstyrelsen i Västerbottens län", aliases
  "Länsstyrelsen Västerbotten", "Länsstyrelsen i Västerbotten"); type GovernmentAgency.

Name clashes
------------
* A bare name that is both a municipality and a county ("Uppsala", "Stockholm",
  "Jönköping", "Kalmar", "Örebro") is the municipality; the region is reached by
  "Region Uppsala", "Uppsala län", "Uppsalas län"… This holds even in lists of counties:
  context is the extractor's business, the gazetteer only knows names.
* Gotland: the county (09) and the municipality (0980) share one authority, Region
  Gotland. The region ``se-gotland`` owns "Region Gotland", "Gotland" and "Gotlands län";
  the municipality ``gotland`` keeps code 0980 and is labelled "Gotlands kommun" (its
  short name "Gotland" is an altLabel in the graph but is never matched), so every
  mention of Region Gotland resolves to the region.
* "Lappland"/"Lapland" name Finland's Lappi region but, in Swedish text, just as often
  Swedish Lapland: they are altLabels of ``fi-lappi`` but are never matched;
  "Lapin liitto", "Lapplands förbund", "Finska Lappland" are.

Ambiguity policy (names that are also ordinary words or person names)
---------------------------------------------------------------------
Each surface form has a policy, ``"any"`` unless listed in ``FORM_POLICIES`` (by exact
form) or ``ENTRY_FORM_POLICIES`` (by entry key and form):

* ``case``: taken only when written exactly as listed ("Unionen", "Regeringen", "Sida",
  "Leader", "LIFE", "RISE", "Boden", "Vara"); lower-case "unionen", "sida", "vara" are words.
* ``cue``: ``case`` and, in ``find_all``, also a union context: directly preceded by
  "facket", "fackförbundet", "förbundet" (…), or joined by "," / "och" / "samt" / "/" to
  another union in an enumeration ("IF Metall, Kommunal och Vision"), or the acronym
  in brackets after its full name. For "Kommunal", "Vision", "Transport", "Handels", "Pappers",
  "Livs", "Fastighets", "ST", "Pro".
* ``name``: ``case`` and not joined by a space to another capitalised word (other than
  a sentence-initial "I", "Från", "Inom" …), for
  municipalities named like people ("Mark", "Berg", "Lund", "Nora", "Vilhelmina":
  "Anna Berg", "Mark Johnson" are people).
* ``off``: a label for the graph, never matched (see Gotland and Lappland above).

``lookup`` has no context, so there ``cue`` and ``name`` behave as ``case``.

Matching
--------
``surface_forms(entry)`` gives the label, the aliases and generated variants:
for municipalities "{short} kommun", "{short}s kommun", "{short} stad", "{short}s stad"
("Boden kommun", "Bodens kommun"); for Swedish regions "{county}s landsting",
"Landstinget {short}", "Landstinget i {short}" (the pre-2019 county councils).
Case (outside the policies above) and the genitive ("Västerbottens", "IF Metalls",
"BTH:s") are handled by ``lookup`` and ``find_all`` themselves, not listed as forms.
When two entries claim one form, a label beats an alias and an alias beats a generated
variant; two labels or aliases for one form are an error in the data.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

from regiongraph.records import ENTITY_TYPES
from regiongraph.resolve.names import fold, fold_char, genitive_of, normalise, strip_genitive
from regiongraph.vocab import kind_of, slugify

MUNICIPALITIES_FILE = "se_municipalities.csv"
COUNTIES_FILE = "se_counties.csv"
FI_REGIONS_FILE = "fi_regions.csv"
ORGANISATIONS_FILE = "organisations.csv"
PLACES_FILE = "places.csv"

SOURCE_SE = "swedish-geodata"  # sjbrg/swedish-geodata (codes from Statistics Sweden)
SOURCE_FI = "fi-maakunta-codes"  # the official Finnish maakunta code list
SOURCE_CURATED = "curated"  # organisations.csv and the generated county boards

# Policies of surface forms (see the module docstring).
ANY, CASE, CUE, NAME, OFF = "any", "case", "cue", "name", "off"
_POLICIES = (ANY, CASE, CUE, NAME, OFF)

FORM_POLICIES: dict[str, str] = {
    # trade unions whose short names are ordinary words: need a union context
    **dict.fromkeys(
        [
            "Kommunal",
            "Vision",
            "Transport",
            "Handels",
            "Pappers",
            "Livs",
            "Fastighets",
            "ST",
            "Pro",
        ],
        CUE,
    ),
    # names that are ordinary words in lower case (or in English)
    **dict.fromkeys(
        [
            # unions and employer organisations ("företagarna" = the business owners)
            "Unionen",
            "Byggnads",
            "Ledarna",
            "Naturvetarna",
            "Fysioterapeuterna",
            "Elektrikerna",
            "Målarna",
            "LO",
            "SAK",
            "PAM",
            "DIK",
            "EK",
            "LR",
            "Företagarna",
            "Skogsindustrierna",
            "Livsmedelsföretagen",
            "Byggföretagen",
            "Teknikföretagen",
            "Innovationsföretagen",
            "Transportföretagen",
            "Energiföretagen",
            "Installatörsföretagen",
            "Bemanningsföretagen",
            "Industriarbetsgivarna",
            # agencies, bodies, institutes
            "Regeringen",
            "Riksdagen",
            "Sida",
            "Forte",
            "Formas",
            "Forskningsrådet",
            "Tillväxtanalys",
            "HaV",
            "Digg",
            "TEM",
            "EU",
            "RISE",
            "LiU",
            "UiT",
            "Beckmans",
            # programmes
            "Leader",
            "LIFE",
            "Central Baltic",
            "Aurora-programmet",
            # municipalities whose short names are words ("vara", "kil", "boden")
            "Vara",
            "Kil",
            "Säter",
            "Boden",
            "Mora",
            "Kinda",
            "Laxå",
            "Trosa",
        ],
        CASE,
    ),
    # municipalities named like people
    **dict.fromkeys(
        ["Mark", "Berg", "Nora", "Salem", "Ale", "Lund", "Vilhelmina", "Dorotea"], NAME
    ),
}
ENTRY_FORM_POLICIES: dict[tuple[str, str], str] = {
    ("gotland", "Gotland"): OFF,
    ("fi-lappi", "Lappland"): OFF,
    ("fi-lappi", "Lapland"): OFF,
}

# Types allowed in organisations.csv (regions and municipalities come from official lists).
CURATED_TYPES: frozenset[str] = frozenset(ENTITY_TYPES) - {
    "Region",
    "Municipality",
    "Project",
    "Event",
    "Person",
}
assert set(ENTITY_TYPES) >= CURATED_TYPES

_RANK_LABEL, _RANK_ALIAS, _RANK_GENERATED = 0, 1, 2


class ReferenceDataError(ValueError):
    """A reference file that cannot be used; the message names the file and the line."""

    def __init__(self, message: str, keys: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.keys = keys  # the entries concerned, when the problem is between entries


@dataclass(frozen=True)
class Codes:
    """Official codes of a reference entry, as text (leading zeros kept)."""

    municipality_code: str | None = None  # SCB kommunkod, 4 digits
    county_code: str | None = None  # SCB länskod, 2 digits
    nuts_code: str | None = None  # NUTS 3 (2021)
    fi_region_code: str | None = None  # Finnish maakunta code, 2 digits

    def items(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (name, value)
            for name, value in (
                ("municipality_code", self.municipality_code),
                ("county_code", self.county_code),
                ("nuts_code", self.nuts_code),
                ("fi_region_code", self.fi_region_code),
            )
            if value is not None
        )


@dataclass(frozen=True)
class ReferenceEntry:
    key: str  # IRI slug, unique over all entries
    type: str  # coarse type (records.ENTITY_TYPES)
    label: str  # canonical label
    aliases: tuple[str, ...] = ()
    country: str = "SE"  # ISO 3166 alpha-2 ("EU" for EU bodies and programmes)
    lang: str = "sv"  # language of the label and, unless alias_langs says otherwise, aliases
    codes: Codes = field(default_factory=Codes)
    in_region: str | None = None  # region key of a municipality
    note: str | None = None
    source: str = SOURCE_CURATED  # SOURCE_SE | SOURCE_FI | SOURCE_CURATED
    alias_langs: tuple[tuple[str, str], ...] = ()  # (alias, language) where not ``lang``
    form_policies: tuple[tuple[str, str], ...] = ()  # (form, policy) where not "any"
    generated_forms: tuple[str, ...] = ()  # matched, but not altLabels
    kind: str = field(init=False)  # IRI kind: region | municipality | org | programme

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", kind_of(self.type))

    def language_of(self, alias: str) -> str:
        return dict(self.alias_langs).get(alias, self.lang)

    def policy_of(self, form: str) -> str:
        return dict(self.form_policies).get(form, ANY)

    @property
    def case_sensitive_aliases(self) -> tuple[str, ...]:
        """Forms taken only when written with exactly this capitalisation."""
        return tuple(f for f, p in self.form_policies if p in (CASE, CUE, NAME))

    @property
    def ambiguous(self) -> bool:
        return any(p != ANY for _, p in self.form_policies)


@dataclass(frozen=True)
class ReferenceMatch:
    start: int  # offsets into the text given to find_all
    end: int
    surface: str  # text[start:end], a trailing genitive included ("Skellefteås")
    entry: ReferenceEntry
    form: str = ""  # the surface form that matched, as listed


def surface_forms(entry: ReferenceEntry) -> tuple[str, ...]:
    """Every form the gazetteer matches for ``entry``: label, aliases, generated
    variants, in that order, without duplicates and without ``off`` forms."""
    out: dict[str, None] = {}
    for form in (entry.label, *entry.aliases, *entry.generated_forms):
        if entry.policy_of(form) != OFF:
            out.setdefault(form, None)
    return tuple(out)


@dataclass(frozen=True)
class _Form:
    form: str
    entry: int  # index into entries
    rank: int
    policy: str


@dataclass
class ReferenceData:
    entries: tuple[ReferenceEntry, ...]
    _keys: dict[str, ReferenceEntry] = field(init=False, repr=False, compare=False)
    _index: dict[str, list[_Form]] = field(init=False, repr=False, compare=False)
    _automaton: ahocorasick.Automaton | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._keys = {}
        for e in self.entries:
            if e.key in self._keys:
                raise ReferenceDataError(f"duplicate reference key {e.key!r}")
            self._keys[e.key] = e
        self._index = _build_index(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[ReferenceEntry]:
        return iter(self.entries)

    def by_key(self, key: str) -> ReferenceEntry:
        try:
            return self._keys[key]
        except KeyError:
            raise KeyError(f"no reference entry with key {key!r}") from None

    def get(self, key: str) -> ReferenceEntry | None:
        return self._keys.get(key)

    def of_type(self, entity_type: str) -> tuple[ReferenceEntry, ...]:
        return tuple(e for e in self.entries if e.type == entity_type)

    # --- lookup of one name ----------------------------------------------------------

    def lookup(self, surface: str) -> ReferenceEntry | None:
        """The entry a name refers to, or None. Exact after normalisation and case
        folding (case-sensitive forms must match their capitalisation); a Swedish
        genitive is stripped when the name itself is unknown ("IF Metalls", "BTH:s")."""
        name = normalise(surface)
        if not name:
            return None
        found = self._lookup_exact(name)
        if found is None:
            bare = strip_genitive(name)
            if bare is not None:
                found = self._lookup_exact(bare)
        return found

    def _lookup_exact(self, name: str) -> ReferenceEntry | None:
        for f in self._index.get(fold(name), ()):
            if f.policy == ANY or name == f.form:
                return self.entries[f.entry]
        return None

    # --- gazetteer over a text -------------------------------------------------------

    def find_all(self, text: str) -> list[ReferenceMatch]:
        """All mentions of reference entries in ``text``, leftmost-longest, not
        overlapping, on word boundaries (a trailing genitive "s"/":s" is part of the
        match; a hyphen ends a word, so "ERUF-projekt" contains "ERUF"). Offsets refer to
        ``text`` as given, also when it is not NFC or has runs of white space."""
        if not text:
            return []
        prepared = _Prepared.of(text)
        candidates = self._candidates(prepared)
        candidates = _apply_cues(candidates, prepared, self.entries)
        candidates.sort(key=lambda c: (c.start, -c.end, c.rank, c.entry))
        out: list[ReferenceMatch] = []
        last_end = 0
        for c in candidates:
            if c.start < last_end:
                continue
            start, end = prepared.starts[c.start], prepared.ends[c.end - 1]
            out.append(ReferenceMatch(start, end, text[start:end], self.entries[c.entry], c.form))
            last_end = c.end
        return out

    def _candidates(self, p: _Prepared) -> list[_Candidate]:
        automaton = self._get_automaton()
        folded, chars = p.folded, p.chars
        out = []
        for last, forms in automaton.iter(folded):
            for f in forms:
                start, end = last + 1 - len(f.form), last + 1
                if start > 0 and _is_word(folded[start - 1]):
                    continue
                end = _after_genitive(folded, end, f.form)
                if end is None:
                    continue
                if f.policy != ANY and chars[start : start + len(f.form)] != f.form:
                    continue
                if f.policy == NAME and _next_to_capitalised(chars, start, start + len(f.form)):
                    continue
                if _in_address(chars, start, end):
                    continue
                out.append(_Candidate(start, end, f.form, f.entry, f.rank, f.policy))
        return out

    def _get_automaton(self) -> ahocorasick.Automaton:
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for key, forms in self._index.items():
                automaton.add_word(key, tuple(forms))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton


def _build_index(entries: tuple[ReferenceEntry, ...]) -> dict[str, list[_Form]]:
    """Folded form -> forms, best first. Raises on two entries claiming one form as
    label or alias; a generated variant yields to a label or alias of another entry."""
    index: dict[str, list[_Form]] = {}
    for i, e in enumerate(entries):
        aliases = set(e.aliases)
        for form in surface_forms(e):
            rank = (
                _RANK_LABEL
                if form == e.label
                else _RANK_ALIAS
                if form in aliases
                else _RANK_GENERATED
            )
            key = _fold_form(form)
            if not key:
                continue
            forms = index.setdefault(key, [])
            policy = e.policy_of(form)
            for other in forms:
                if other.entry == i:
                    continue
                same_case = policy == ANY or other.policy == ANY or other.form == form
                if same_case and rank < _RANK_GENERATED and other.rank < _RANK_GENERATED:
                    raise ReferenceDataError(
                        f"the name {form!r} belongs to both {entries[other.entry].key!r} "
                        f"and {e.key!r}; keep it on one of them",
                        keys=(entries[other.entry].key, e.key),
                    )
            forms.append(_Form(form, i, rank, policy))
    for forms in index.values():
        forms.sort(key=lambda f: (f.rank, f.entry))
        # a form of one entry listed twice (label == alias after folding): keep the best
        seen: set[tuple[int, str]] = set()
        forms[:] = [
            f for f in forms if (f.entry, f.form) not in seen and not seen.add((f.entry, f.form))
        ]
    return index


def _fold_form(form: str) -> str:
    return "".join(fold_char(c) for c in normalise(form))


# --- text preparation and matching helpers -----------------------------------------------


# Runs of white space other than a single " " (which stands for itself); \s is
# str.isspace, as in _Prepared.of_combining.
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")


@dataclass(frozen=True)
class _Prepared:
    """A text in NFC with white space squeezed, character by character: ``chars`` as
    written, ``folded`` for matching, and each character's span in the original."""

    chars: str
    folded: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> _Prepared:
        if any(unicodedata.combining(c) for c in set(text)):
            return cls.of_combining(text)
        # No combining marks (almost every text): one character per character, so the
        # spans are ranges and only the runs of white space need a loop.
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for run in _SPACE_RUN.finditer(text):
            i, j = run.span()
            chars.append(text[pos:i])
            starts.extend(range(pos, i))
            ends.extend(range(pos + 1, i + 1))
            chars.append("\n" if text.count("\n", i, j) >= 2 else " ")
            starts.append(i)
            ends.append(j)
            pos = j
        chars.append(text[pos:])
        starts.extend(range(pos, len(text)))
        ends.extend(range(pos + 1, len(text) + 1))
        joined = "".join(chars)
        folded = joined.translate({ord(c): fold_char(c) for c in set(joined)})
        return cls(joined, folded, tuple(starts), tuple(ends))

    @classmethod
    def of_combining(cls, text: str) -> _Prepared:
        """The general case: a base character and its combining marks are one unit."""
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c.isspace():
                j = i + 1
                while j < n and text[j].isspace():
                    j += 1
                # a paragraph break (blank line) ends every name; a single line break
                # inside a wrapped name does not
                chars.append("\n" if text.count("\n", i, j) >= 2 else " ")
                starts.append(i)
                ends.append(j)
                i = j
                continue
            j = i + 1
            while j < n and unicodedata.combining(text[j]):
                j += 1
            segment = text[i:j] if j == i + 1 else unicodedata.normalize("NFC", text[i:j])
            for ch in segment:
                chars.append(ch)
                starts.append(i)
                ends.append(j)
            i = j
        joined = "".join(chars)
        return cls(joined, "".join(fold_char(c) for c in joined), tuple(starts), tuple(ends))


@dataclass(frozen=True)
class _Candidate:
    start: int  # offsets into _Prepared
    end: int
    form: str
    entry: int
    rank: int
    policy: str


_ADDRESS_RE = re.compile(r"@|://|^www\.|\.(?:se|com|eu|fi|no|org|net|nu)\b", re.IGNORECASE)


def _in_address(chars: str, start: int, end: int) -> bool:
    """True when the match lies inside a web or e-mail address ("www.vinnova.se")."""
    if (start == 0 or chars[start - 1] not in "./@") and (
        end >= len(chars) or chars[end] not in "./@"
    ):
        return False
    left = start
    while left > 0 and not chars[left - 1].isspace():
        left -= 1
    right = end
    while right < len(chars) and not chars[right].isspace():
        right += 1
    return bool(_ADDRESS_RE.search(chars[left:right]))


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _after_genitive(folded: str, end: int, form: str) -> int | None:
    """The end of a match whose form ends at ``end``: past a genitive "s" or ":s" when
    one follows, or None when the next character continues the word."""
    n = len(folded)
    if end >= n:
        return end
    if not _is_word(folded[end]):
        if folded.startswith(":s", end) and (end + 2 >= n or not _is_word(folded[end + 2])):
            return end + 2
        return end
    genitive_s = folded[end] == "s" and not form.lower().endswith(("s", "x", "z"))
    if genitive_s and (end + 1 >= n or not _is_word(folded[end + 1])):
        return end + 1
    return None


_CAPITALISED_AFTER = re.compile(r"^ [A-ZÅÄÖ]\w")


# Capitalised words that may stand right before a place name at the start of a sentence.
_SENTENCE_STARTERS = frozenset(
    {
        "I",
        "Inom",
        "Från",
        "Till",
        "Och",
        "För",
        "Hos",
        "Även",
        "Både",
        "Med",
        "Vid",
        "Mellan",
        "Runt",
        "Kring",
        "Utanför",
        "Nära",
        "Om",
        "Via",
        "Norr",
        "Söder",
        "Öster",
        "Väster",
        "Se",
    }
)


def _next_to_capitalised(chars: str, start: int, end: int) -> bool:
    """True when the name at chars[start:end] is joined by one space to another
    capitalised word ("Anna Berg", "Mark Johnson"), other than a preposition or
    conjunction starting a sentence ("I Berg", "Från Lund")."""
    if _CAPITALISED_AFTER.match(chars[end : end + 3]):
        return True
    m = re.search(r"([\w-]+) $", chars[max(0, start - 40) : start])
    return bool(m) and m.group(1)[0].isupper() and m.group(1) not in _SENTENCE_STARTERS


_UNION_CUE = re.compile(
    r"(?:facket|fackförbundet|fackförbunden|fackföreningen|facken|förbundet|förbunden|"
    r"fackliga organisationen|fackliga organisationerna|fackliga) $"
)
_ENUM_SEPARATOR = re.compile(r"^\s*(?:,|,?\s*och|,?\s*samt|&|/|eller|,?\s*liksom)?\s*$")


def _apply_cues(
    candidates: list[_Candidate], p: _Prepared, entries: tuple[ReferenceEntry, ...]
) -> list[_Candidate]:
    """Keep ``cue`` candidates only in a union context (see the module docstring)."""
    cue = [c for c in candidates if c.policy == CUE]
    if not cue:
        return candidates
    accepted = [c for c in candidates if c.policy != CUE]
    unions = [c for c in accepted if entries[c.entry].type == "TradeUnion"]
    pending = []
    for c in cue:
        if _UNION_CUE.search(p.folded[max(0, c.start - 40) : c.start]):
            unions.append(c)
            accepted.append(c)
        else:
            pending.append(c)
    changed = True
    while pending and changed:
        changed = False
        for c in list(pending):
            if any(_enumerated(p.folded, u, c, entries) for u in unions):
                pending.remove(c)
                unions.append(c)
                accepted.append(c)
                changed = True
    return accepted


def _enumerated(
    folded: str, a: _Candidate, b: _Candidate, entries: tuple[ReferenceEntry, ...]
) -> bool:
    """True when union ``a`` and candidate ``b`` stand next to each other in a list,
    or ``b`` is ``a``'s short name in brackets: "Handelsanställdas förbund (Handels)"."""
    first, second = (a, b) if a.end <= b.start else (b, a)
    if first.end > second.start or second.start - first.end > 12:
        return False  # (tested before slicing: a far pair would copy the text between)
    between = folded[first.end : second.start]
    if len(between) > 12:
        return False
    if _ENUM_SEPARATOR.match(between):
        return True
    return between.strip() == "(" and entries[a.entry].key == entries[b.entry].key


# --- loading ------------------------------------------------------------------------------


def load_reference(data_dir: Path) -> ReferenceData:
    """Read the reference files from ``data_dir/reference`` (or ``data_dir``)."""
    data_dir = Path(data_dir)
    ref_dir = data_dir / "reference" if (data_dir / "reference").is_dir() else data_dir
    counties = _read_counties(ref_dir / COUNTIES_FILE)
    municipalities = _read_municipalities(ref_dir / MUNICIPALITIES_FILE, counties)
    fi_regions = _read_fi_regions(ref_dir / FI_REGIONS_FILE)
    boards = [_county_board(c) for c in counties.values()]
    curated = _read_organisations(ref_dir / ORGANISATIONS_FILE)
    places = _read_organisations(ref_dir / PLACES_FILE) if (ref_dir / PLACES_FILE).exists() else []

    regions = [_region_entry(c, municipalities) for c in counties.values()]
    entries: list[ReferenceEntry] = []
    where: dict[str, str] = {}
    for file_name, group in (
        (COUNTIES_FILE, regions),
        (MUNICIPALITIES_FILE, municipalities),
        (FI_REGIONS_FILE, fi_regions),
        (COUNTIES_FILE, boards),
        (ORGANISATIONS_FILE, curated),
        (PLACES_FILE, places),
    ):
        for entry, line in group:
            here = f"{ref_dir / file_name}: line {line}"
            if entry.key in where:
                raise ReferenceDataError(
                    f"{here}: duplicate key {entry.key!r} (first at {where[entry.key]})"
                )
            where[entry.key] = here
            entries.append(entry)
    try:
        return ReferenceData(tuple(entries))
    except ReferenceDataError as exc:
        place = where.get(exc.keys[-1], str(ref_dir)) if exc.keys else str(ref_dir)
        raise ReferenceDataError(f"{place}: {exc}", exc.keys) from None


@dataclass(frozen=True)
class _County:
    code: str
    name: str  # "Västerbottens län"
    short: str  # "Västerbotten"
    nuts: str
    authority: str  # "Region Västerbotten"
    line: int


def _rows(path: Path, header: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """Data rows of a CSV file with exactly ``header``; blank lines are skipped."""
    if not path.is_file():
        raise ReferenceDataError(f"{path}: file not found")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        try:
            first = next(reader, None)
            if first is None or tuple(c.strip().lstrip("\ufeff") for c in first) != header:
                raise ReferenceDataError(
                    f"{path}: line 1: expected the header {','.join(header)}, "
                    f"found {','.join(first or [])!r}"
                )
            for row in reader:
                line = reader.line_num
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    raise ReferenceDataError(
                        f"{path}: line {line}: expected {len(header)} columns "
                        f"({','.join(header)}), found {len(row)}"
                    )
                yield line, [c.strip() for c in row]
        except csv.Error as exc:
            raise ReferenceDataError(f"{path}: line {reader.line_num}: {exc}") from None


def _require(path: Path, line: int, ok: bool, message: str) -> None:
    if not ok:
        raise ReferenceDataError(f"{path}: line {line}: {message}")


def _read_counties(path: Path) -> dict[str, _County]:
    out: dict[str, _County] = {}
    header = ("county_code", "county_name", "county_name_short", "nuts3_2021", "regional_authority")
    for line, (code, name, short, nuts, authority) in _rows(path, header):
        _require(
            path,
            line,
            bool(re.fullmatch(r"\d{2}", code)),
            f"county code must be two digits, found {code!r}",
        )
        _require(
            path,
            line,
            bool(re.fullmatch(r"SE[0-9A-Z]{3}", nuts)),
            f"NUTS 3 code must be SE plus three characters, found {nuts!r}",
        )
        _require(path, line, bool(name and short and authority), "empty name")
        _require(path, line, code not in out, f"duplicate county code {code}")
        out[code] = _County(code, name, short, nuts, authority, line)
    return out


def _read_municipalities(
    path: Path, counties: dict[str, _County]
) -> list[tuple[ReferenceEntry, int]]:
    out = []
    codes: set[str] = set()
    header = ("municipality_code", "municipality_name", "municipality_name_short", "county_code")
    rows = list(_rows(path, header))
    slug_count = Counter(slugify(row[2]) for _, row in rows)
    for line, (code, name, short, county) in rows:
        _require(
            path,
            line,
            bool(re.fullmatch(r"\d{4}", code)),
            f"municipality code must be four digits, found {code!r}",
        )
        _require(path, line, county in counties, f"unknown county code {county!r}")
        _require(
            path, line, code[:2] == county, f"municipality code {code} is not in county {county}"
        )
        _require(path, line, code not in codes, f"duplicate municipality code {code}")
        _require(path, line, bool(name and short), "empty name")
        codes.add(code)
        key = slugify(short)
        if slug_count[key] > 1:  # Håbo and Habo: both keys carry the code
            key = f"{key}-{code}"
        aliases = [short]
        label = name
        note = None
        if code == "0980":  # Gotland: see the module docstring
            label = "Gotlands kommun"
            aliases = [short, name]
            note = (
                "The municipality's authority is Region Gotland, which is also the "
                "regional authority; the names resolve to the region se-gotland."
            )
        policies = {
            f: p
            for f in [*aliases, label]
            if (p := ENTRY_FORM_POLICIES.get((key, f), FORM_POLICIES.get(f, ANY))) != ANY
        }
        if code == "0980":
            policies[name] = OFF
        out.append(
            (
                ReferenceEntry(
                    key=key,
                    type="Municipality",
                    label=label,
                    aliases=tuple(a for a in aliases if a != label),
                    country="SE",
                    lang="sv",
                    codes=Codes(municipality_code=code, county_code=county),
                    in_region=_region_key(counties[county]),
                    note=note,
                    source=SOURCE_SE,
                    form_policies=tuple(policies.items()),
                    generated_forms=_municipality_variants(short, label),
                ),
                line,
            )
        )
    return out


def _municipality_variants(short: str, label: str) -> tuple[str, ...]:
    forms = []
    for base in dict.fromkeys((short, genitive_of(short))):
        for noun in ("kommun", "stad"):
            form = f"{base} {noun}"
            if form.casefold() != label.casefold():
                forms.append(form)
    return tuple(forms)


def _region_key(county: _County) -> str:
    return f"se-{slugify(county.short)}"


# Written forms of Swedish regions beyond the rule (short name, county name, "Region X").
_REGION_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "04": ("Sörmland", "Region Södermanland"),
    "14": ("VGR", "Region Västra Götaland"),
    "23": ("Jämtland Härjedalen", "Jämtland-Härjedalen"),
}


def _region_entry(
    county: _County, municipalities: list[tuple[ReferenceEntry, int]]
) -> tuple[ReferenceEntry, int]:
    municipality_names = {fold(e.aliases[0]) for e, _ in municipalities if e.aliases}
    municipality_names.discard(fold("Gotland"))  # Gotland: the region owns the name
    aliases = [county.name]
    if fold(county.short) not in municipality_names:
        aliases.append(county.short)
    aliases.append(f"Region {county.short}")
    aliases.extend(_REGION_EXTRA_ALIASES.get(county.code, ()))
    aliases = [a for a in dict.fromkeys(aliases) if a != county.authority]
    generated = (
        f"{county.name}s landsting",
        f"Landstinget {county.short}",
        f"Landstinget i {county.short}",
        f"Landstinget i {county.name}",
    )
    key = _region_key(county)
    policies = tuple(
        (f, p)
        for f in (county.authority, *aliases)
        if (p := ENTRY_FORM_POLICIES.get((key, f), FORM_POLICIES.get(f, ANY))) != ANY
    )
    entry = ReferenceEntry(
        key=key,
        type="Region",
        label=county.authority,
        aliases=tuple(aliases),
        country="SE",
        lang="sv",
        codes=Codes(county_code=county.code, nuts_code=county.nuts),
        source=SOURCE_SE,
        form_policies=policies,
        generated_forms=generated,
    )
    return entry, county.line


# Boards whose own short name differs from the county's short name.
_BOARD_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {"04": ("Länsstyrelsen Sörmland",)}


def _county_board(county: _County) -> tuple[ReferenceEntry, int]:
    aliases = (
        f"Länsstyrelsen {county.short}",
        f"Länsstyrelsen i {county.short}",
        f"Länsstyrelsen {county.name}",
        *_BOARD_EXTRA_ALIASES.get(county.code, ()),
    )
    entry = ReferenceEntry(
        key=f"lansstyrelsen-{slugify(county.short)}",
        type="GovernmentAgency",
        label=f"Länsstyrelsen i {county.name}",
        aliases=aliases,
        country="SE",
        lang="sv",
        codes=Codes(county_code=county.code),
        note=f"County administrative board of {county.name}; generated from {COUNTIES_FILE}",
        source=SOURCE_CURATED,
    )
    return entry, county.line


# Finnish regional councils (maakuntien liitot). The rule: Swedish "{sv}s förbund",
# Finnish "{genitive of fi} liitto", English "Regional Council of {en}". Exceptions:
_FI_COUNCIL_EXCEPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "01": {"fi": ("Uudenmaan liitto",), "en": ("Helsinki-Uusimaa Regional Council",)},
    "02": {"en": ("Regional Council of Southwest Finland",)},
    "04": {"fi": ("Satakuntaliitto",), "sv": ("Satakuntaförbundet",)},
    "05": {
        "fi": ("Hämeen liitto",),
        "sv": ("Tavastlands förbund",),
        "en": ("Regional Council of Häme",),
    },
    "06": {"en": ("Council of Tampere Region",)},
    "10": {"fi": ("Etelä-Savon maakuntaliitto",)},
    "12": {"fi": ("Pohjois-Karjalan maakuntaliitto",)},
    "19": {"fi": ("Lapin liitto",)},
    "21": {"fi": (), "sv": (), "en": ()},  # Åland has no regional council
}
_FI_FORM_EXTRA: dict[str, tuple[tuple[str, str], ...]] = {
    "19": (("Finska Lappland", "sv"),),
}


def _finnish_genitive(name: str) -> str:
    """Genitive of a Finnish region name by the regular rule: Suomi -> Suomen,
    Häme -> Hämeen, Pohjanmaa -> Pohjanmaan (irregular ones are exceptions above)."""
    if name.endswith("i"):
        return name[:-1] + "en"
    if name.endswith("e"):
        return name + "en"
    return name + "n"


def _fi_council_names(code: str, fi: str, sv: str, en: str) -> list[tuple[str, str]]:
    exceptions = _FI_COUNCIL_EXCEPTIONS.get(code, {})
    rule = {
        "fi": (f"{_finnish_genitive(fi)} liitto",),
        "sv": (f"{genitive_of(sv)} förbund",),
        "en": (f"Regional Council of {en}",) if en else (),
    }
    out = []
    for lang in ("sv", "fi", "en"):
        names = exceptions.get(lang)
        if names is None:
            names = rule[lang]
        elif names and lang != "fi":
            names = (*names, *rule[lang])  # the rule form is also in use
        out.extend((n, lang) for n in names)
    return out


def _read_fi_regions(path: Path) -> list[tuple[ReferenceEntry, int]]:
    out = []
    codes: set[str] = set()
    header = ("maakunta_code", "name_fi", "name_sv", "name_en", "valid_from")
    for line, (code, fi, sv, en, _valid_from) in _rows(path, header):
        _require(
            path,
            line,
            bool(re.fullmatch(r"\d{2}", code)),
            f"region code must be two digits, found {code!r}",
        )
        _require(path, line, code not in codes, f"duplicate region code {code}")
        codes.add(code)
        if code == "99":  # "unknown region"
            continue
        _require(path, line, bool(fi), "empty Finnish name")
        names = [
            (sv, "sv"),
            (en, "en"),
            *_fi_council_names(code, fi, sv, en),
            *_FI_FORM_EXTRA.get(code, ()),
        ]
        aliases: dict[str, str] = {}
        for name, lang in names:
            if name and name != fi:
                aliases.setdefault(name, lang)
        key = f"fi-{slugify(fi)}"
        policies = tuple(
            (f, p)
            for f in (fi, *aliases)
            if (p := ENTRY_FORM_POLICIES.get((key, f), FORM_POLICIES.get(f, ANY))) != ANY
        )
        out.append(
            (
                ReferenceEntry(
                    key=key,
                    type="Region",
                    label=fi,
                    aliases=tuple(aliases),
                    country="FI",
                    lang="fi",
                    codes=Codes(fi_region_code=code),
                    source=SOURCE_FI,
                    alias_langs=tuple((a, lg) for a, lg in aliases.items() if lg != "fi"),
                    form_policies=policies,
                ),
                line,
            )
        )
    return out


_LANG_RE = re.compile(r"[a-z]{2,3}")
_ALIAS_LANG_RE = re.compile(r"^(.*\S)@([a-z]{2,3})$")


def _read_organisations(path: Path) -> list[tuple[ReferenceEntry, int]]:
    """organisations.csv: key,type,label,aliases,country,lang,note. Aliases are
    separated by "|"; an alias in another language than the row ends in "@xx"."""
    out = []
    keys: dict[str, int] = {}
    header = ("key", "type", "label", "aliases", "country", "lang", "note")
    for line, (key, type_, label, aliases_text, country, lang, note) in _rows(path, header):
        _require(
            path,
            line,
            bool(key) and key == slugify(key),
            f"key must be a slug (lower-case a-z, 0-9 and '-'), found {key!r}",
        )
        _require(
            path, line, key not in keys, f"duplicate key {key!r} (first on line {keys.get(key)})"
        )
        _require(
            path,
            line,
            type_ in CURATED_TYPES,
            f"unknown type {type_!r}; expected one of {', '.join(sorted(CURATED_TYPES))}",
        )
        _require(
            path,
            line,
            bool(label) and normalise(label) == label,
            f"label must be non-empty and normalised, found {label!r}",
        )
        _require(
            path,
            line,
            bool(re.fullmatch(r"[A-Z]{2}", country)),
            f"country must be an ISO 3166 code of two capital letters, found {country!r}",
        )
        _require(
            path,
            line,
            bool(_LANG_RE.fullmatch(lang)),
            f"lang must be a language code like 'sv', found {lang!r}",
        )
        keys[key] = line
        aliases: dict[str, str] = {}
        for raw in _split_aliases(aliases_text):
            m = _ALIAS_LANG_RE.match(raw)
            alias, alias_lang = (m.group(1), m.group(2)) if m else (raw, lang)
            _require(
                path,
                line,
                normalise(alias) == alias and bool(alias),
                f"alias {raw!r} has surrounding spaces or punctuation",
            )
            if alias != label:
                aliases.setdefault(alias, alias_lang)
        forms = (label, *aliases)
        policies = tuple(
            (f, p)
            for f in forms
            if (p := ENTRY_FORM_POLICIES.get((key, f), FORM_POLICIES.get(f, ANY))) != ANY
        )
        out.append(
            (
                ReferenceEntry(
                    key=key,
                    type=type_,
                    label=label,
                    aliases=tuple(aliases),
                    country=country,
                    lang=lang,
                    note=note or None,
                    source=SOURCE_CURATED,
                    alias_langs=tuple((a, lg) for a, lg in aliases.items() if lg != lang),
                    form_policies=policies,
                ),
                line,
            )
        )
    return out


def _split_aliases(text: str) -> Iterable[str]:
    return (a.strip() for a in text.split("|") if a.strip())
