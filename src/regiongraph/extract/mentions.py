"""Mention finders: each takes a Document (and its resources) and returns Mentions.

Finders know ways of writing, never particular releases: reference names, persons next
to given names or e-mail addresses, organisation names by their head or suffix, names
introduced by a descriptor ("företaget X", "projektet X"), acronym definitions, grant
list headings and unnamed events ("slutkonferensen").
"""

from __future__ import annotations

import functools
import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.lang.sv.stop_words import STOP_WORDS

from regiongraph.extract.resources import Lexicon, NamePattern
from regiongraph.records import Document, Mention, Sentence
from regiongraph.resolve.reference import ReferenceData

UPPER = "A-ZÅÄÖÆØÉÜÀÁÈ"
CAP_WORD = rf"[{UPPER}][\w’'&\-]*"
NAME_JOIN = r"(?:&|of|for|de|af|von|van|der|och\s+(?=[{UPPER}][\w]*\s+(?:AB|Oy)\b))"
NAME_SEQ = rf"{CAP_WORD}(?:[ \t]+(?:{NAME_JOIN}[ \t]+)?{CAP_WORD})*"
ACRONYM = rf"[{UPPER}][{UPPER}0-9\-&+]{{1,9}}"
# in a definition '(MT4North)' an acronym may mix cases, with two capitals at least
DEFINED_ACRONYM = rf"(?=[\w\-&+]*[{UPPER}][\w\-&+]*[{UPPER}])[{UPPER}][\w\-&+]{{1,11}}"

# Capitalised words that begin sentences but never begin a name.
_NOT_NAME_START = {w.capitalize() for w in STOP_WORDS} | {
    "Projektet",
    "Projekten",
    "Regionen",
    "Kommunen",
    "Företaget",
    "Syftet",
    "Målet",
    "Läs",
    "Foto",
    "Bild",
    "Kontakt",
    "Fakta",
    "Om",
    "Även",
    "Enligt",
    "Både",
    "Genom",
    "Inom",
    "Nu",
    "Här",
    "Där",
    "Idag",
    "Sedan",
    "Tack",
    "Vi",
    "Vår",
    "Våra",
    "Det",
    "Den",
    "De",
    "Dessa",
    "Denna",
    "Detta",
    "Som",
    "När",
    "Plats",
    "Moderator",
    "Datum",
    "Tid",
    "Telefon",
    "E-post",
    "Mejl",
    "Mobil",
    "Pressmeddelande",
    "Nyheter",
    "Läs mer",
    "Välkommen",
    "Ett",
    "En",
    "Ur",
    "Under",
    "Efter",
    "Innan",
    "Med",
    "Från",
    "Till",
    "Alla",
    "Flera",
    "Fler",
    "Många",
    "Andra",
    "Övriga",
    "Nya",
    "Ny",
    "Nytt",
    "Projektägare",
    "Projektägaren",
    "Sökande",
    "Projektperiod",
    "Projektledare",
    "Beviljat",
    "Beviljade",
    "Totalt",
    "Budget",
    "Var",
    "Presskontakt",
    "Kontaktperson",
    "Program",
    "Programmet",
    "Mer",
    "Information",
    "Pressbild",
    "Bilden",
    "Bakgrund",
    "Mål",
    "Syfte",
    "Dessutom",
    "Samtidigt",
    "Också",
    "Bland",
    "Varje",
    "Hela",
    "Första",
    "Tredje",
    "Region",
    "Kommun",
    "Regionala",
    "Nationella",
    "Europeiska",
}
_PERSON_BLOCKERS = {
    "Region",
    "Kommun",
    "Kommunen",
    "Regionen",
    "Universitet",
    "Förbund",
    "Projekt",
    "Projektet",
    "Science",
    "Park",
    "AB",
    "Län",
    "Sverige",
    "Norge",
    "Finland",
}

EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{2,3}[\s\-]?(?:\(0\))?\d{1,3}(?:[\s\-]?\d{2,4}){2,4}"
    r"|0\d{1,3}[\s\-–]\d{2,3}(?:[\s\-]?\d{2,3}){1,3}|0\d{9})(?![\w])"
)


def sentence_of(doc: Document) -> callable:
    """A function from a body offset to the index of the sentence that holds it."""
    starts = [s.start for s in doc.sentences]

    def find(offset: int) -> int:
        return max(0, bisect_right(starts, offset) - 1)

    return find


def _mention(doc: Document, s: Sentence, start: int, end: int, label: str, rule: str) -> Mention:
    text = s.text[start:end]
    return Mention(doc.release.id, s.index, s.start + start, s.start + end, text, label, rule)


# --- reference data -------------------------------------------------------------------


def find_reference_mentions(doc: Document, ref: ReferenceData) -> list[Mention]:
    locate = sentence_of(doc)
    out = []
    for match in ref.find_all(doc.body):
        index = locate(match.start)
        sentence = doc.sentences[index]
        if match.end > sentence.end:  # a name split over a sentence boundary is not one
            continue
        if match.entry.type != "FundingProgramme" and re.match(
            r"-[a-zåäö]", doc.body[match.end : match.end + 2]
        ):
            continue  # the first part of a compound noun ('EU-medel', 'Boden-projektet')
        out.append(
            Mention(
                doc.release.id,
                index,
                match.start,
                match.end,
                match.surface,
                match.entry.type,
                "ref.gazetteer.v1",
                "ref:" + match.entry.key,
            )
        )
    return out


# --- persons --------------------------------------------------------------------------


def _person_regex(first_names: frozenset[str]) -> re.Pattern[str]:
    firsts = "|".join(sorted((re.escape(n) for n in first_names), key=len, reverse=True))
    last = rf"[{UPPER}][a-zåäöéüæøß][\w’'\-]*"
    return re.compile(
        rf"(?<![\w\-])(?:{firsts})(?:-[{UPPER}]\w+)?(?:[ ]+[{UPPER}]\.)?[ ]+{last}"
        rf"(?:[ ]+(?!(?:och|på|vid|från|i)\b)(?![{UPPER}]{{2,}}\b){last}"
        rf"(?=\s*(?:[,(\n]|$|\s[a-zåäö])))?"
    )


def find_persons(doc: Document, lexicon: Lexicon, person_re: re.Pattern[str]) -> list[Mention]:
    out = []
    for s in doc.sentences:
        for m in person_re.finditer(s.text):
            words = m.group(0).split()
            if any(w in _PERSON_BLOCKERS for w in words[1:]):
                words = words[: next(i for i, w in enumerate(words) if w in _PERSON_BLOCKERS)]
                if len(words) < 2:
                    continue
            text = " ".join(words)
            end = (
                m.start() + len(text)
                if s.text[m.start() : m.start() + len(text)] == text
                else m.end()
            )
            out.append(_mention(doc, s, m.start(), end, "Person", "person.given-name.v1"))
    out.extend(_persons_from_emails(doc))
    out.extend(_persons_by_context(doc, lexicon))
    return out


_SPEECH = (
    r"(?:säger|sa|sade|berättar|förklarar|menar|konstaterar|understryker|betonar|enligt|says|said)"
)


def _persons_by_context(doc: Document, lexicon: Lexicon) -> Iterator[Mention]:
    """'säger Eva Holm', 'Eva Holm, regional utvecklingsdirektör': names by role."""
    name = rf"{CAP_WORD}(?:[ ]+{CAP_WORD}){{1,2}}"
    after_verb = re.compile(rf"(?<![\w\-]){_SPEECH}[ ]+({name})")
    before_post = re.compile(
        rf"(?:^|(?<=[\s(]))({name})(?:[ ]+\([A-ZÅÄÖ]{{1,3}}\))?,[ ]+"
        rf"(?:[a-zåäö]+[ ]+)?([\wåäöÅÄÖ\-]+)"
    )
    for s in doc.sentences:
        for m in after_verb.finditer(s.text):
            words = m.group(1).split()
            while words and (words[-1] in _PERSON_BLOCKERS or lexicon.post.fullmatch(words[-1])):
                words = words[:-1]
            if len(words) >= 2 and words[0] not in _NOT_NAME_START:
                text = " ".join(words)
                yield _mention(
                    doc, s, m.start(1), m.start(1) + len(text), "Person", "person.speech-verb.v1"
                )
        for m in before_post.finditer(s.text):
            if not lexicon.post.fullmatch(m.group(2)):
                continue
            words = m.group(1).split()
            if words[0] in _NOT_NAME_START or any(w in _PERSON_BLOCKERS for w in words):
                continue
            yield _mention(doc, s, m.start(1), m.end(1), "Person", "person.name-post.v1")


def _persons_from_emails(doc: Document) -> Iterator[Mention]:
    """'Aino Mäkelä … aino.makela@example.fi': a name that spells the address is a person."""
    from regiongraph.vocab import slugify

    emails = {m.group(0).split("@")[0].lower() for m in EMAIL.finditer(doc.body)}
    locals_ = {e.replace(".", "-").replace("_", "-") for e in emails if "." in e}
    if not locals_:
        return
    pair = re.compile(rf"(?<![\w\-]){CAP_WORD}[ ]+{CAP_WORD}(?:[ ]+{CAP_WORD})?")
    for s in doc.sentences:
        for m in pair.finditer(s.text):
            words = m.group(0).split()
            for n in (3, 2):
                if len(words) >= n and slugify(" ".join(words[:n])) in locals_:
                    text = " ".join(words[:n])
                    yield _mention(
                        doc, s, m.start(), m.start() + len(text), "Person", "person.email-name.v1"
                    )
                    break


# --- organisations, events and projects by their form ---------------------------------


def _extend_left(text: str, start: int, max_words: int = 4) -> int:
    """Move start left over capitalised words (and adjectives such as 'tekniska')."""
    pos = start
    taken = 0
    while taken < max_words:
        m = re.search(r"(?:^|(?<=[\s(„”\"]))([\w’'&\-]+(?::s)?)[ \t]+$", text[:pos])
        if not m:
            break
        word = m.group(1)
        if word[0].isupper() and word.lower() not in STOP_WORDS:
            pos = m.start(1)
            taken += 1
            continue
        if word.endswith(("ska", "iska", "a", "s")) and word.islower() and taken == 0:
            # an adjective between a capitalised word and the head: "Luleå tekniska universitet"
            before = re.search(rf"({CAP_WORD})[ \t]+$", text[: m.start(1)])
            if before and before.group(1) not in _NOT_NAME_START:
                pos = before.start(1)
                taken += 2
                continue
        break
    while pos < start:  # a name does not begin with 'Projektägare', 'Den', …
        word = text[pos:start].split()[0]
        if word not in _NOT_NAME_START:
            break
        pos += len(word) + 1
        while pos < start and text[pos] == " ":
            pos += 1
    return pos


def find_form_names(doc: Document, lexicon: Lexicon) -> list[Mention]:
    out = []
    for s in doc.sentences:
        for pattern in lexicon.patterns_of("head"):
            out.extend(_head_names(doc, s, pattern))
        for pattern in lexicon.patterns_of("suffix"):
            out.extend(_suffix_names(doc, s, pattern))
    return out


@functools.lru_cache(maxsize=1024)
def _head_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w\-])(?:{pattern})(?![\w])")


@functools.lru_cache(maxsize=1024)
def _suffix_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w\-])([{UPPER}][\w\-]{{2,}}?(?:{pattern}))(?:s|:s)?(?![\w])")


@functools.lru_cache(maxsize=1024)
def _descriptor_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w])(?i:{pattern})(?:,)?[ \t]+")


def _head_names(doc: Document, s: Sentence, pattern: NamePattern) -> Iterator[Mention]:
    for m in _head_regex(pattern.regex.pattern).finditer(s.text):
        start = _extend_left(s.text, m.start())
        if start == m.start():
            continue
        yield _mention(doc, s, start, m.end(), pattern.label, pattern.id)


def _suffix_names(doc: Document, s: Sentence, pattern: NamePattern) -> Iterator[Mention]:
    for m in _suffix_regex(pattern.regex.pattern).finditer(s.text):
        word = m.group(1)
        if word in _NOT_NAME_START or word.lower() in STOP_WORDS:
            continue
        start = _extend_left(s.text, m.start(), max_words=3)
        yield _mention(doc, s, start, m.start(1) + len(word), pattern.label, pattern.id)


_PROJECT_NAME = re.compile(rf"(?P<name>[{UPPER}0-9][^()\n.;:!?]{{1,90}}?)\s*\((?P<acr>{ACRONYM})\)")


def find_descriptor_names(doc: Document, lexicon: Lexicon) -> list[Mention]:
    """'företaget Kvarnbo Energi', 'projektet Grön Logistik', 'projektet X (ACR)'."""
    out = []
    for s in doc.sentences:
        for pattern in lexicon.patterns_of("descriptor"):
            for m in _descriptor_regex(pattern.regex.pattern).finditer(s.text):
                rest = s.text[m.end() :]
                found = _name_after(rest, project=pattern.label in {"Project", "Event"})
                if found is None:
                    continue
                a, b = found
                out.append(_mention(doc, s, m.end() + a, m.end() + b, pattern.label, pattern.id))
    return out


_PREDICATE = (
    r"(?:syftar|ska|skall|har|hade|är|var|blir|kommer|vill|kan|handlar|drivs|leds|startar|"
    r"startade|pågår|genomförs|genomfördes|får|fick|riktar|bidrar|omfattar|innebär|som|och|med|"
    r"går|gör|ger|tar|arbetar|fokuserar|beviljas|beviljades|finansieras|avslutas|inleds)"
)
_SENTENCE_CASE_NAME = re.compile(
    rf"[{UPPER}][\wåäö\-]+(?:[ ]+(?!{_PREDICATE}\b)[\wåäöÅÄÖ\-]+)+?(?=[ ]+{_PREDICATE}\b)"
)


def _name_after(rest: str, project: bool) -> tuple[int, int] | None:
    quoted = re.match(r"[”\"«„“‘']([^”\"»“‘’']{2,200})[”\"»“’']", rest)
    if quoted:
        inner = quoted.group(1)
        sub = re.search(r"\s+[–—-]\s+", inner)  # 'Name – a long subtitle'
        if sub and len(inner[: sub.start()].split()) <= 8:
            return quoted.start(1), quoted.start(1) + sub.start()
        return (quoted.start(1), quoted.end(1)) if len(inner.split()) <= 12 else None
    if project:
        long = _PROJECT_NAME.match(rest)
        if long and len(long.group("name").split()) <= 10:
            return long.start("name"), long.end("name")
    m = re.match(NAME_SEQ, rest)
    if not m or m.group(0) in _NOT_NAME_START:
        return None
    text = m.group(0)
    subtitle = re.match(rf"[ ]+[–—][ ]+{NAME_SEQ}", rest[len(text) :])
    if project and subtitle and len(subtitle.group(0).split()) <= 8:
        return 0, len(text) + subtitle.end()  # 'Name – English Subtitle' is the whole name
    if project and " " not in text and text.endswith("s"):
        # a genitive cannot end a name: 'projektet Morgondagens yrkesskolor'
        more = re.match(r"[ ]+[a-zåäö][\wåäö\-]+", rest[len(text) :])
        if more:
            return 0, len(text) + more.end()
    if project and " " not in text:
        # a one-word start in sentence case runs on to the predicate:
        # 'Projektet Starkare nätverk för unga företagare i norr syftar till …'
        run = _SENTENCE_CASE_NAME.match(rest)
        if run and len(run.group(0).split()) <= 10:
            return 0, len(run.group(0))
    # 'X-projektet' style compounds and trailing genitive belong to the caller's cleanup
    return 0, len(text)


def find_acronym_definitions(doc: Document, mentions: Iterable[Mention]) -> list[Mention]:
    """'Grön Omställning Norrbotten (GON)', 'Smart Industri Värmland, SIV,': the acronym is a
    mention of the name before it, found as the longest capitalised run whose initials
    spell the acronym (so 'Kronoberg (BRK)' does not make BRK the region)."""
    out = []
    ends = {m.end: m for m in mentions}
    pattern = rf"\s*\(({DEFINED_ACRONYM})\)|,[ ]({ACRONYM}),"
    for s in doc.sentences:
        for m in re.finditer(pattern, s.text):
            acr = m.group(1) or m.group(2)
            before = ends.get(s.start + m.start())
            long = _long_name_before(s.text[: m.start()], acr)
            if long is not None and (before is None or s.start + long < before.start):
                out.append(_mention(doc, s, long, m.start(), "Organisation", "org.acronym-long.v1"))
                label = "Organisation"
            elif before is not None and (m.group(1) or _initials_match(before.text, acr)):
                label = before.label
            else:
                continue
            a = m.start(1) if m.group(1) else m.start(2)
            out.append(_mention(doc, s, a, a + len(acr), label, "name.acronym.v1"))
    return out


def _long_name_before(text: str, acr: str) -> int | None:
    """Start of the capitalised run ending at the end of ``text`` whose initials spell
    ``acr``; None when there is none."""
    run = re.search(rf"((?:{CAP_WORD}[ \t]+(?:(?:och|för|i|av|&)[ \t]+)?){{1,7}}{CAP_WORD})$", text)
    if not run:
        return None
    words = run.group(1).split()
    letters = re.sub(rf"[^{UPPER}]", "", acr)
    for i in range(len(words)):
        initials = "".join(w[0] for w in words[i:] if w[0].isupper())
        if initials == letters and words[i] not in _NOT_NAME_START:
            return run.start(1) + len(" ".join(words[:i])) + (1 if i else 0)
    return None


def _initials_match(name: str, acronym: str) -> bool:
    initials = "".join(w[0] for w in name.split() if w[0].isupper())
    letters = re.sub(r"[^A-ZÅÄÖ]", "", acronym)
    return bool(letters) and (
        initials.endswith(letters) or letters[0] == initials[-len(letters) :][:1]
    )


def find_grant_list_projects(doc: Document) -> list[Mention]:
    """A heading line followed by 'Projektägare …' / 'Sökande …' names a project."""
    out = []
    lines = doc.sentences
    owner = re.compile(r"^(?:Projektägare|Projektägaren|Sökande|Stödmottagare|Mottagare)\b")
    for prev, cur in itertools.pairwise(lines):
        if not owner.match(cur.text):
            continue
        text = prev.text
        line_start = prev.start == 0 or doc.body[prev.start - 1] == "\n"
        line_end = prev.end == len(doc.body) or doc.body[prev.end : prev.end + 1] == "\n"
        if not (line_start and line_end) or len(text.split()) > 12 or text.endswith("."):
            continue
        if text.startswith(("–", "-")) or len(text) > 120:
            continue
        num = re.match(r"^\s*\d+[.)]\s*", text)
        a = num.end() if num else 0
        b = len(text.rstrip(" .:"))
        if b - a < 3:
            continue
        cut, acr = split_trailing_acronym(text[a:b])
        if acr is not None:
            out.append(_mention(doc, prev, a + acr[0], a + acr[1], "Project", "name.acronym.v1"))
        out.append(_mention(doc, prev, a, a + cut, "Project", "project.grant-list-heading.v1"))
    return out


def find_unnamed_events(doc: Document, lexicon: Lexicon) -> list[Mention]:
    out = []
    for s in doc.sentences:
        for pattern in lexicon.patterns_of("event_noun"):
            for m in re.finditer(rf"(?<![\w\-])(?:{pattern.regex.pattern})(?![\w])", s.text):
                mention = _mention(doc, s, m.start(), m.end(), "Event", pattern.id)
                out.append(replace(mention, key="event:unnamed"))
    return out


def find_contacts(doc: Document) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """E-mail addresses and phone numbers with their body offsets."""
    emails = [(m.start(), m.group(0).rstrip(".")) for m in EMAIL.finditer(doc.body)]
    phones = [(m.start(), m.group(0).strip()) for m in PHONE.finditer(doc.body)]
    return emails, phones


_GRANT_OWNER = re.compile(
    rf"^(?:(?:Projektägare|Projektägaren|Sökande|Stödmottagare)\s+)?(?P<owner>[{UPPER}][^.;:]{{1,80}}?),?"
    r"\s+(?:har\s+)?(?:beviljas|beviljats|beviljades|tilldelas|får)\b"
)


def find_grant_owners(doc: Document) -> list[Mention]:
    """'Kustbygdens Service i Norr AB beviljas 1 250 000 kr': the whole owner name."""
    out = []
    for s in doc.sentences:
        m = _GRANT_OWNER.match(s.text)
        if not m or len(m.group("owner").split()) > 8:
            continue
        owner = m.group("owner").rstrip(" ,")
        first = owner.split()[0]
        if first in _NOT_NAME_START or first.lower() in STOP_WORDS:
            continue
        if re.search(r"\b(?:som|att|det|den|de|vi|man)\b", owner):
            continue
        label = "Company" if re.search(r"\b(?:AB|Ab|Oy|AS|ASA)$", owner) else "Organisation"
        a = m.start("owner")
        out.append(_mention(doc, s, a, a + len(owner), label, "org.grant-owner.v1"))
    return out


def split_trailing_acronym(name: str) -> tuple[int, tuple[int, int] | None]:
    """'Digital omställning i industrin DOVI' -> (end of the name, span of the acronym)."""
    acr = re.search(rf"\s+\(?({DEFINED_ACRONYM})\)?$", name)
    if acr and len(name.split()) > 2:
        return acr.start(), (acr.start(1), acr.end(1))
    return len(name), None


def find_numbered_headings(doc: Document) -> list[Mention]:
    """'1. Arktisk Logistik': a short numbered line in a release about projects names one."""
    if not re.search(r"(?i)projekt", doc.body):
        return []
    out = []
    for s in doc.sentences:
        m = re.match(r"^\s*\d{1,2}[.)]\s+(?P<name>[^\n]{3,100}?)\s*$", s.text)
        if not m:
            continue
        name = m.group("name")
        if name.endswith((".", "!", "?")) or len(name.split()) > 12 or not name[0].isupper():
            continue
        cut, acr = split_trailing_acronym(name)
        if acr is not None:
            a, b = m.start("name") + acr[0], m.start("name") + acr[1]
            out.append(_mention(doc, s, a, b, "Project", "name.acronym.v1"))
        end = m.start("name") + cut
        out.append(_mention(doc, s, m.start("name"), end, "Project", "project.numbered-heading.v1"))
    return out


_CHUNK = re.compile(
    rf"(?<![\w\-’']){CAP_WORD}"
    rf"(?:[ \t]+(?:{NAME_JOIN}[ \t]+)?(?:{CAP_WORD}|[0-9][\w]*(?=[ \t]+{CAP_WORD})))*"
)


_NOT_ACRONYMS = {
    "AB",
    "VD",
    "CEO",
    "UTC",
    "CET",
    "CEST",
    "SEK",
    "EUR",
    "NOK",
    "DKK",
    "USD",
    "IT",
    "AI",
    "OCH",
    "PR",
    "TV",
    "FAQ",
    "PDF",
    "HR",
    "EU",
    "ID",
    "OK",
    "FN",
    "KL",
    "CO2",
    "GWh",
    "MW",
}


def find_capitalised_names(doc: Document, lexicon: Lexicon) -> list[Mention]:
    """Capitalised word sequences that no other rule names: weak evidence of a name.

    Left out: sentence-initial single words not also written capitalised mid-sentence,
    single words the document also writes in lower case (common nouns in headings),
    given names alone, genitive modifiers ("Gästriklands turistförening"), post titles,
    shouted headings and units or currencies in capitals.
    """
    mid_sentence: set[str] = set()
    for s in doc.sentences:
        for m in re.finditer(rf"(?<=[\w,;:] )({CAP_WORD})", s.text):
            mid_sentence.add(m.group(1))
    lower_words = set(re.findall(r"(?<![\w\-])[a-zåäöéü][\w\-]+", doc.body))
    out = []
    for s in doc.sentences:
        for m in _CHUNK.finditer(s.text):
            words = m.group(0).split()
            start = m.start()
            while words and (
                words[0] in _NOT_NAME_START
                or words[0].lower() in STOP_WORDS
                or lexicon.post.fullmatch(words[0])
            ):
                start += len(words[0]) + 1
                words = words[1:]
            while words and (lexicon.post.fullmatch(words[-1]) or words[-1] in _NOT_ACRONYMS):
                words = words[:-1]
            if not words:
                continue
            text = " ".join(words)
            if s.text[start : start + len(text)] != text:
                continue
            if len(words) == 1 and not _single_name_ok(
                words[0], s, start, mid_sentence, lower_words, lexicon
            ):
                continue
            out.append(
                _mention(doc, s, start, start + len(text), "Organisation", "name.capitalised.v1")
            )
    return out


def is_common_word(word: str) -> bool:
    """A frequent Swedish or English word (wordfreq): capitalised alone, it is no name."""
    from wordfreq import zipf_frequency

    w = word.lower()
    return zipf_frequency(w, "sv") >= 3.3 or zipf_frequency(w, "en") >= 4.0


def _is_compound_of_known_word(word: str, lower_words: set[str]) -> bool:
    """'Kvarnboetableringen': a name glued to a noun the text also uses on its own."""
    return any(word[i:].lower() in lower_words for i in range(3, len(word) - 5))


def _single_name_ok(
    word: str,
    s: Sentence,
    start: int,
    mid_sentence: set[str],
    lower_words: set[str],
    lexicon: Lexicon,
) -> bool:
    at_start = not s.text[:start].strip() or s.text[:start].rstrip()[-1:] in "–-•:."
    if word.isupper():
        return 2 <= len(word) <= 5 and word not in _NOT_ACRONYMS
    if at_start and word not in mid_sentence:
        return False
    if word.lower() in lower_words or word in lexicon.first_names or len(word) < 3:
        return False
    if is_common_word(word) or _is_compound_of_known_word(word, lower_words):
        return False
    after = s.text[start + len(word) :]
    if word.endswith("s") and re.match(r"\s+[a-zåäö]", after):
        return False  # a genitive modifier of a common noun
    return not re.match(r"-[a-zåäö]", after)  # the first part of a compound ("EU-medel")


def find_propagated(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """Every other occurrence of a name the document already established (and its genitive)."""
    forms: dict[str, Mention] = {}
    for m in mentions:
        if m.rule_id.startswith(("name.capitalised", "ref.")) or len(m.text) < 3:
            continue
        forms.setdefault(m.text, m)
    if not forms:
        return []
    taken = {(m.start, m.end) for m in mentions if not m.rule_id.startswith("name.capitalised")}
    out = []
    for s in doc.sentences:
        for start, end in whole_word_occurrences(s.text, forms):
            if (s.start + start, s.start + end) in taken:
                continue
            source = forms[s.text[start:end]]
            mention = _mention(doc, s, start, end, source.label, "name.propagated.v1")
            out.append(replace(mention, key=source.key))
    return out


def whole_word_occurrences(text: str, forms: Iterable[str]) -> list[tuple[int, int]]:
    r"""Spans of ``forms`` in ``text`` as whole words, optionally with a genitive "s"/":s".

    Left to right without overlaps, the longest form at each start, as the regex
    ``(?<![\w-])(form|…)(?:s|:s)?(?!\w)`` with the longest alternative first would find,
    without compiling a new regex of every document's names (string search is cheaper).
    A span covers the form; the genitive ending counts only for the overlap check.
    """
    best: dict[int, tuple[int, int]] = {}  # start -> (end of the form, end of the match)
    for form in forms:
        i = text.find(form)
        while i != -1:
            end = i + len(form)
            if (i == 0 or (not _is_word_char(text[i - 1]) and text[i - 1] != "-")) and (
                i not in best or best[i][0] < end
            ):
                for ending in ("s", ":s", ""):
                    after = end + len(ending)
                    if text.startswith(ending, end) and (
                        after == len(text) or not _is_word_char(text[after])
                    ):
                        best[i] = (end, after)
                        break
            i = text.find(form, i + 1)
    spans = []
    reached = 0
    for start in sorted(best):
        if start >= reached:
            end, reached = best[start]
            spans.append((start, end))
    return spans


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # the regex class \w for str


def find_list_lines(doc: Document, ref: ReferenceData, lexicon: Lexicon) -> list[Mention]:
    """Directory lines 'Textilklustret Sjuhärad, Västra Götaland': a name, then where it is."""
    out = []
    lines: list = []
    regions = 0
    for s in doc.sentences:
        m = re.match(r"^\s*(?P<name>[^,\n]{2,60}?),\s*(?P<area>[^,\n]{2,40}?)\s*$", s.text)
        if not m or not m.group("name")[0].isupper() or len(m.group("name").split()) > 6:
            continue
        if lexicon.post.fullmatch(m.group("name").split()[0]):
            continue
        entry = ref.lookup(m.group("area"))
        if entry is None or entry.type not in {"Region", "Municipality", "Place"}:
            continue
        if ref.lookup(m.group("name")) is not None:
            continue
        out.append(
            _mention(doc, s, m.start("name"), m.end("name"), "Organisation", "org.list-line.v1")
        )
        area = m.group("area")
        county = ref.lookup(f"{area}s län") or ref.lookup(f"{area} län")
        if entry.type == "Municipality" and county is not None and county.type == "Region":
            lines.append((s, m.start("area"), m.end("area"), county))
        elif entry.type == "Region":
            regions += 1
    if regions > len(lines):
        # a list of counties: a bare city name there means its county
        for s, a, b, county in lines:
            mention = _mention(doc, s, a, b, "Region", "ref.county-list.v1")
            out.append(replace(mention, key="ref:" + county.key))
    return out


def resolve_misspelt_places(mentions: list[Mention], ref: ReferenceData) -> list[Mention]:
    """'Västerbottten', 'Bleking': a weak name one letter off a region or municipality."""
    from rapidfuzz import fuzz, process

    choices = {}
    for entry in ref.of_type("Region") + ref.of_type("Municipality"):
        for form in (entry.label, *entry.aliases):
            if " " not in form and len(form) >= 6:
                choices[form] = entry
    forms = list(choices)
    out = []
    for m in mentions:
        if m.rule_id == "name.capitalised.v1" and " " not in m.text and len(m.text) >= 6:
            best = process.extractOne(m.text, forms, scorer=fuzz.ratio, score_cutoff=90)
            if best and best[0][:3] == m.text[:3]:
                entry = choices[best[0]]
                m = replace(m, label=entry.type, rule_id="ref.fuzzy.v1", key="ref:" + entry.key)
        out.append(m)
    return out


def retype_by_head(mentions: list[Mention], lexicon: Lexicon, ref: ReferenceData) -> list[Mention]:
    """A name typed only as 'Organisation' takes the type its last word implies
    ('Boden Science Park' is a science park), or the type of the known organisation it
    starts with ('RISE Bioekonomi Norr', 'Almi Företagspartner Värmland AB')."""
    out = []
    for m in mentions:
        if m.label == "Organisation" and not m.rule_id.startswith("ref.") and " " in m.text:
            words = m.text.split()
            for n in range(len(words) - 1, 0, -1):
                entry = ref.lookup(" ".join(words[:n]))
                if entry is not None and entry.type not in {"Region", "Municipality", "Place"}:
                    m = replace(m, label=entry.type)
                    break
        if m.label == "Organisation" and not m.rule_id.startswith("ref."):
            for pattern in lexicon.patterns_of("head"):
                if re.search(rf"(?<![\w\-])(?:{pattern.regex.pattern})$", m.text):
                    m = replace(m, label=pattern.label)
                    break
        out.append(m)
    return out


_SURNAME = re.compile(
    rf"[{UPPER}][a-zåäöéü]+(?:-[{UPPER}][a-zåäö]+)? (?:[{UPPER}][a-zåäöéü]+ )?[{UPPER}][a-zåäöéü]*"
    r"(?:sson|son|berg|ström|strom|qvist|kvist|gren|lund|ell|ius|ander|holm|dahl|blad|borg|"
    r"stedt|stad|nen|inen|mark|fors|vall|by|ling|man|mann|ler)"
)


def type_places_and_companies(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """Weak names: 'i Jakobstad' is a place; otherwise an unknown name is most often a
    company ('Kvarnbo Energi', 'Tallvik Media')."""
    out = []
    for m in mentions:
        if m.rule_id == "name.capitalised.v1" and m.label == "Organisation":
            before = doc.body[max(0, m.start - 3) : m.start]
            label = "Place" if before == " i " and " " not in m.text else "Company"
            if _SURNAME.fullmatch(m.text):
                label = "Person"
            m = replace(m, label=label)
        out.append(m)
    return out


def find_colon_list_items(doc: Document) -> list[Mention]:
    """'Projekt som …: Skogslyftet, Bygga vidare, Nordflytt och Green Coast Alliance'."""
    out = []
    for s in doc.sentences:
        colon = s.text.find(":")
        if colon < 0 or colon > len(s.text) - 4:
            continue
        head, rest = s.text[:colon], s.text[colon + 1 :]
        if not re.search(
            r"(?i)\b(?:projekt|projekten|initiativ|kluster|aktörer|partner|partners|organisationer|företag)\b",
            head,
        ):
            continue
        label = "Project" if re.search(r"(?i)projekt|initiativ", head) else "Organisation"
        offset = colon + 1
        parts = re.split(r"(,\s*|\s+och\s+|\s+samt\s+)", rest.rstrip(" ."))
        if (
            len([p for p in parts if p.strip() and not re.fullmatch(r",\s*|\s+(?:och|samt)\s+", p)])
            < 2
        ):
            continue
        items = [
            p.strip()
            for p in parts
            if p.strip() and not re.fullmatch(r",\s*|\s+(?:och|samt)\s+", p)
        ]
        if any(len(i.split()) > 6 for i in items[:2]):
            continue
        at = offset
        for part in parts:
            a = at + (len(part) - len(part.lstrip()))
            text = part.strip()
            at += len(part)
            if not text or re.fullmatch(r",|och|samt", text):
                continue
            if len(text.split()) > 4:
                chunk = re.match(NAME_SEQ, text)
                text = chunk.group(0) if chunk else ""
            if not text or not text[0].isupper():
                continue
            out.append(_mention(doc, s, a, a + len(text), label, "name.colon-list-item.v1"))
    return out


def join_place_prefixed_names(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """'Kalmar Business Region', 'Gävle Science Park': a place name followed by a
    capitalised name that no rule knows is one organisation's name."""
    places = {
        m.end: m
        for m in mentions
        if m.rule_id.startswith("ref.") and m.label in {"Municipality", "Region", "Place"}
    }
    out = []
    for m in mentions:
        if m.rule_id == "name.capitalised.v1" and len(m.text.split()) >= 2:
            place = places.get(m.start - 1)
            if place is not None and doc.body[place.end] == " ":
                out.append(
                    Mention(
                        m.release_id,
                        m.sentence,
                        place.start,
                        m.end,
                        doc.body[place.start : m.end],
                        "Organisation",
                        "org.place-prefixed-name.v1",
                    )
                )
    return out + _place_suffixed_names(doc, mentions)


def _place_suffixed_names(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """'Kvarnbo Karlstad', 'Coompanion Gotland': a capitalised name ending in a place name
    is a local organisation's name, not the place; a known name before the place keeps
    its type ('Skogsforum Dalarna' stays a project)."""
    from wordfreq import zipf_frequency

    places: dict[int, list[Mention]] = {}  # by end: one lookup per name, not a scan
    for m in mentions:
        if m.rule_id.startswith("ref.") and m.label in {"Municipality", "Region", "Place"}:
            places.setdefault(m.end, []).append(m)
    strong = {
        (m.start, m.end): m
        for m in mentions
        if not m.rule_id.startswith(("ref.", "name.capitalised"))
    }
    out = []
    for m in mentions:
        if m.rule_id != "name.capitalised.v1":
            continue
        for place in places.get(m.end, ()):
            if place.start <= m.start:
                continue
            prefix = doc.body[m.start : place.start].rstrip()
            words = prefix.split()
            head = strong.get((m.start, m.start + len(prefix)))
            if head is not None:
                label, rule = head.label, "name.place-suffixed.v1"
            elif words and all(
                w[0].isupper()
                and w not in _NOT_NAME_START
                and w.lower() not in STOP_WORDS
                and zipf_frequency(w.lower(), "sv") < 3.3
                for w in words
            ):
                label, rule = "Organisation", "org.place-suffixed-name.v1"
            else:
                continue
            out.append(replace(m, label=label, rule_id=rule, key=""))
    return out


def extend_numeric_suffix(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """'Tillväxtlyftet 2.0', 'Länsdagen 2024': a version or year belongs to a project's or
    event's name."""
    out = []
    for m in mentions:
        if m.label in {"Project", "Event"} and not m.rule_id.startswith("ref."):
            more = re.match(
                r" (\d+\.\d+|(?:19|20)\d{2})(?![\w.,:/-]\d)", doc.body[m.end : m.end + 12]
            )
            if more:
                end = m.end + more.end()
                m = replace(m, end=end, text=doc.body[m.start : end])
        out.append(m)
    return out


def trim_at_reference(mentions: list[Mention]) -> list[Mention]:
    """A form-based name must not swallow a reference name on its left.

    ('med Region Dalarna Framtidsdagen' names the event 'Framtidsdagen'.)
    """
    # the ends of the reference names, sorted: the last one inside a name is found by
    # bisection (one scan of all of them per name grew with the square of the text)
    ref_ends = sorted(m.end for m in mentions if m.rule_id.startswith("ref."))
    out = []
    for m in mentions:
        if m.rule_id.startswith(
            ("org.suffix", "event.suffix", "name.capitalised", "project.suffix")
        ):
            last = bisect_left(ref_ends, m.end) - 1
            if last >= 0 and ref_ends[last] > m.start:
                cut = ref_ends[last]
                rest = m.text[cut - m.start :]
                stripped = rest.lstrip(" s:")
                if not stripped or not stripped[0].isupper():
                    continue
                if (
                    m.rule_id.startswith("name.capitalised")
                    and " " not in stripped
                    and (is_common_word(stripped))
                ):
                    continue
                start = m.end - len(stripped)
                m = replace(m, start=start, text=stripped)
        out.append(m)
    return out


def type_enumerations(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """Untyped names listed with projects ('A, B och C') are projects too."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    weak = {"name.capitalised.v1"}
    changed: dict[tuple[int, int], str] = {}
    for items in by_sentence.values():
        items.sort(key=lambda m: m.start)
        chain = [items[0]] if items else []
        for prev, cur in itertools.pairwise(items):
            gap = doc.body[prev.end : cur.start]
            if re.fullmatch(r"\s*(?:,|,?\s*och|,?\s*samt)\s*", gap):
                chain.append(cur)
                continue
            _type_chain(chain, weak, changed)
            chain = [cur]
        _type_chain(chain, weak, changed)
    return [
        replace(m, label=changed[(m.start, m.end)]) if (m.start, m.end) in changed else m
        for m in mentions
    ]


def _type_chain(chain: list[Mention], weak: set[str], changed: dict) -> None:
    if len(chain) < 2:
        return
    strong = [m.label for m in chain if m.rule_id not in weak]
    if strong and all(label == "Project" for label in strong):
        for m in chain:
            if m.rule_id in weak:
                changed[(m.start, m.end)] = "Project"


_LIST_INTRO = re.compile(r"(?i)\b(?:projekt|projekten|projekts|projektet)\b[^.]*:\s*$")
_ITEM_BULLET = re.compile(r"^\s*(?:[•*·▪◦]|-|–|\d{1,2}[.)])\s+")
_OWNER_ITEM = re.compile(
    rf"^(?P<owner>[{UPPER}][^:]{{1,70}}?):\s+(?P<name>[^:.]{{2,120}}?)(?=[:.]|$)"
)
_NAME_OWNER_ITEM = re.compile(
    r"^(?P<name>[^,]{2,120}?),\s*(?:projektägare|ägare|sökande|huvudman)\s+(?P<owner>.+?)\.?$",
    re.IGNORECASE,
)


def project_list_items(doc: Document) -> list[tuple[Sentence, int, int, int | None, int | None]]:
    """Items of a list of projects introduced by '… projekt …:'.

    Returns (sentence, name start, name end, owner start, owner end) with offsets into
    the sentence; the owner span is None where the item names no owner. Items are bullet
    lines ('• Name, projektägare Org'), or lines 'Org: Name: subtitle.' / 'Org: Name.'
    """
    items = []
    active = False
    for s in doc.sentences:
        if _LIST_INTRO.search(s.text):
            active = True
            continue
        if not active:
            continue
        if s.start > 0 and doc.body[s.start - 1] != "\n":
            continue  # a later sentence of the same item line
        bullet = _ITEM_BULLET.match(s.text)
        body_at = bullet.end() if bullet else 0
        body = s.text[body_at:]
        owned = _NAME_OWNER_ITEM.match(body)
        colon = _OWNER_ITEM.match(body)
        if owned:
            items.append(
                (
                    s,
                    body_at + owned.start("name"),
                    body_at + owned.end("name"),
                    body_at + owned.start("owner"),
                    body_at + owned.end("owner"),
                )
            )
        elif colon and len(colon.group("owner").split()) <= 8:
            items.append(
                (
                    s,
                    body_at + colon.start("name"),
                    body_at + colon.end("name"),
                    body_at + colon.start("owner"),
                    body_at + colon.end("owner"),
                )
            )
        elif bullet and 0 < len(body.split()) <= 12 and not body.rstrip().endswith("."):
            items.append((s, body_at, body_at + len(body.rstrip()), None, None))
        elif (
            not bullet
            and 0 < len(body.split()) <= 6
            and body[:1].isupper()
            and doc.body[
                s.end : doc.body.find("\n", s.end) if "\n" in doc.body[s.end :] else len(doc.body)
            ].strip()
        ):
            # 'Name. What the project does …' on one line
            items.append((s, 0, len(body.rstrip(" .")), None, None))
        else:
            active = False
    return items


def find_project_list_items(doc: Document) -> list[Mention]:
    out = []
    for s, a, b, oa, ob in project_list_items(doc):
        name = s.text[a:b].strip()
        if name and name[0].isupper():
            cut, acr = split_trailing_acronym(name)
            if acr is not None:
                out.append(_mention(doc, s, a + acr[0], a + acr[1], "Project", "name.acronym.v1"))
            out.append(_mention(doc, s, a, a + cut, "Project", "project.list-item.v1"))
        if oa is not None:
            owner = re.split(r"\s+(?:vid|på|inom|hos)\s+", s.text[oa:ob].strip())[0]
            if owner and owner[0].isupper() and len(owner.split()) <= 8:
                out.append(
                    _mention(doc, s, oa, oa + len(owner), "Organisation", "org.list-item-owner.v1")
                )
    return out
