"""Money amounts in Swedish, Finland-Swedish, Norwegian and English press-release text.

Pure text functions, no pipeline types: ``find_amounts(text)`` returns every amount of
money written in ``text`` as an :class:`AmountMatch` (character span, value in whole
units of the currency, ISO 4217 code, qualifier), ``parse_amount(phrase)`` reads one.

Notations read
--------------
* Digits with thousands separators: ordinary, non-breaking, narrow and thin spaces
  (``2 491 478 kr``), dots (``2.491.478 kronor``) or, only with two or more groups,
  English commas (``1,200,000 euro``). A single comma is always a Swedish decimal comma
  (``25,5``, ``1,200`` = 1.2). A single dot followed by exactly three digits is a
  thousands separator (``2.500 kr``) unless a scale word follows (``€2.5 million``,
  ``1.500 miljoner`` = 1.5 million).
* Number words: Swedish ``en/ett, två … tjugo, trettio … nittio, hundra`` and their
  compounds (``tjugofem``, ``tvåhundra``), ``en halv``, ``en och en halv``; English
  ``one … twenty, thirty … ninety, hundred``. A number word is an amount only with a
  scale word or a currency written after it; ``ett par miljoner`` is no amount.
* Scale words: ``tusen/thousand`` (×1 000), ``miljon(er)/milj./mn/million(s)``, Norwegian
  ``millioner/mill.`` (×1 000 000), ``miljard(er)/mdr/billion(s)``, ``milliard(er)/mrd``
  (×10⁹), and after a prefix currency the
  short English ``k``, ``m``, ``bn``.
* Currencies: ``kr``, ``kr.``, ``kronor``, ``krona``, ``svenska kronor``, ``:-`` and
  ``SEK`` → SEK; a lower-case word one letter away from ``kronor`` (a typo such as
  ``kronir``) → SEK; ``norska kronor``/``norske kroner``/``NOK`` and
  ``kroner`` (the Norwegian word; Swedish writes ``kronor``) → NOK, ``danska kronor``/``DKK``,
  ``isländska kronor``/``ISK``; ``euro``, ``euros``, ``€``, ``EUR`` → EUR; ``dollar``,
  ``$``, ``USD``; ``pund``, ``£``, ``GBP``; ``CHF``. ISO codes are case-sensitive.
  Compound units ``tkr/Tkr/kkr/TSEK/kSEK`` (×1 000), ``mkr/Mkr/mnkr/MSEK/MEUR/M€``
  (×1 000 000), ``mdkr/Mdkr/mdr kr`` (×10⁹) and the like. A currency may stand before
  the number (``SEK 500 000``, ``EUR 1,2 miljoner``, ``€2.5 million``, ``€ 3m``).
* Ranges: in ``mellan två och åtta miljoner kronor``, ``2–3 mkr`` or ``från 2 till 5
  miljoner euro`` the first number borrows the scale and currency of the second; both
  are returned, the first with just its own number as ``text``.

Implied currency
----------------
Swedish releases often write ``25,5 miljoner`` without a currency. A number with
``miljon``/``miljoner``/``miljard``/``miljarder`` and no currency is an amount only when

1. the word right after the scale word is ``till``, ``på``, ``från`` or ``för`` (Norwegian
   ``til``, ``fra``)
   (``25,5 miljoner till regional utveckling``, ``4,8 miljoner på tillväxtprojekt``), or
2. the scale word is followed by punctuation, the end of the text or a function word
   (``i``, ``av``, ``och``, ``per``, ``under``, ``som`` …) *and* a money word stands
   earlier in the same sentence (``beviljas``, ``satsar``, ``får``, ``ger``, ``stöd``,
   ``budget``, ``investerar``, ``tilldelas`` …; ``får 14,4 miljoner i projektmedel``).

Any other word after the scale word (``2 miljoner invånare``, ``3 miljoner ton``) makes
it no amount. With ``implied_currency=None`` such amounts are not returned; otherwise
they get the one currency written explicitly elsewhere in the same ``text`` if there is
exactly one, else ``implied_currency`` (default ``"SEK"``; pass ``"EUR"`` for
Finland-Swedish releases). Bare digits without a scale
word or currency are never amounts, so counts (``8 projekt``), years, dates, times,
postcodes, phone and organisation numbers are not read.

Qualifiers and shares
---------------------
``qualifier`` is ``"total"`` for ``totalt``, ``sammanlagt``, ``sammantaget``, ``i total``,
``en total budget på``, ``en sammanlagd stödsumma på``, ``a total of`` …, ``"approx"``
for ``drygt``, ``nästan``, ``cirka/ca/c:a``, ``omkring``, ``runt``, ``ungefär``, ``över``,
``mer än``, ``knappt``, ``närmare``, ``upp till``, ``uppemot``, ``about``, ``nearly`` …,
else ``None``. When both are written (``sammanlagt drygt 9 miljoner``) ``"total"`` wins:
it tells the caller that the amount is not one funder's share for one project. A leading
qualifier is part of the match span.

A percentage (``50 procent``, ``18 %``) is a co-financing share, not an amount: it is
returned only with ``include_shares=True``, as ``share=True``, ``currency="%"`` and the
percentage as ``value``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["AmountMatch", "find_amounts", "parse_amount"]


@dataclass(frozen=True)
class AmountMatch:
    """An amount of money (or, with ``share``, a percentage) found in a text."""

    start: int
    end: int
    text: str
    value: float  # whole units of ``currency`` (25,5 miljoner kronor -> 25500000.0)
    currency: str  # ISO 4217 code; "%" for a share
    qualifier: str | None  # "approx", "total" or None
    share: bool = False  # a percentage ("50 procent"), not an amount


# --------------------------------------------------------------------------- numbers

_GROUP_SPACE = "[ \u00a0\u202f\u2009]"
_DIGITS = (
    rf"\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})+(?:,\d+)?(?!\d)"  # 2 491 478 / 1 200,50
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.])"  # 2.491.478 / 2.500
    r"|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?(?![\d,])"  # 1,200,000
    r"|\d+(?:[.,]\d+)?(?![\d])"  # 2491478 / 25,5 / 2.5
)
_DIGIT_RE = re.compile(rf"(?<![\d.,])(?:{_DIGITS})")

_UNITS_SV = {
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "tretton": 13,
    "fjorton": 14,
    "femton": 15,
    "sexton": 16,
    "sjutton": 17,
    "arton": 18,
    "nitton": 19,
}
_TENS_SV = {
    "tjugo": 20,
    "trettio": 30,
    "fyrtio": 40,
    "femtio": 50,
    "sextio": 60,
    "sjuttio": 70,
    "åttio": 80,
    "nittio": 90,
}
_WORDS_EN = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
_WORD_RE = re.compile(r"(?<![\w\-])[^\W\d_]+(?![\w\-])")
_HALF_RE = re.compile(
    r"(?<![\w\-])(?:(?P<whole>[^\W\d_]+|\d+)\s+och\s+)?en\s+halv(?![\w\-])", re.IGNORECASE
)


def _swedish_number_word(word: str) -> int | None:
    """1..999 written as one Swedish word (``sju``, ``tjugofem``, ``tvåhundrafemtio``)."""
    w = word.lower()
    total = 0
    if "hundra" in w:
        head, _, w = w.partition("hundra")
        if head in ("", "ett", "en"):
            total = 100
        elif head in _UNITS_SV and _UNITS_SV[head] < 10:
            total = 100 * _UNITS_SV[head]
        else:
            return None
        if not w:
            return total
    for tens, tv in _TENS_SV.items():
        if w.startswith(tens):
            rest = w[len(tens) :]
            if not rest:
                return total + tv
            unit = _UNITS_SV.get(rest)
            return total + tv + unit if unit is not None and unit < 10 else None
    unit = _UNITS_SV.get(w)
    return total + unit if unit is not None else None


def _number_word(word: str) -> int | None:
    value = _swedish_number_word(word)
    return value if value is not None else _WORDS_EN.get(word.lower())


def _digits_value(raw: str, scaled: bool) -> Decimal:
    """The value of a digit string, reading separators as the module docstring says."""
    s = re.sub(_GROUP_SPACE, "", raw)
    if s.count(",") >= 2:  # 1,200,000(.5)
        s = s.replace(",", "")
    elif "." in s and "," in s:  # 2.491.478,50
        s = s.replace(".", "").replace(",", ".")
    elif "," in s:  # 25,5
        s = s.replace(",", ".")
    elif s.count(".") >= 2 or (not scaled and "." in s and len(s.split(".")[1]) == 3):
        s = s.replace(".", "")  # 2.491.478 / 2.500 kr
    return Decimal(s)


# --------------------------------------------------------------------------- units

_ISO = r"SEK|EUR|NOK|DKK|USD|GBP|ISK|CHF"
_SYMBOL = {"€": "EUR", "$": "USD", "£": "GBP"}
_SCALE_WORDS = (
    r"miljarder|miljard|miljoner|miljonerna|miljon|milj\.|milj|mdr\.?|mn|tusen"
    r"|milliarder|milliard|millioner|mill\.|mrd\.?"
    r"|millions|million|billions|billion|thousand"
)
_SCALE = {
    "tusen": 1_000,
    "thousand": 1_000,
    "miljon": 1_000_000,
    "miljoner": 1_000_000,
    "miljonerna": 1_000_000,
    "milj": 1_000_000,
    "milj.": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "m": 1_000_000,
    "millioner": 1_000_000,
    "mill.": 1_000_000,
    "milliard": 1_000_000_000,
    "milliarder": 1_000_000_000,
    "mrd": 1_000_000_000,
    "mrd.": 1_000_000_000,
    "miljard": 1_000_000_000,
    "miljarder": 1_000_000_000,
    "mdr": 1_000_000_000,
    "mdr.": 1_000_000_000,
    "billion": 1_000_000_000,
    "billions": 1_000_000_000,
    "bn": 1_000_000_000,
    "k": 1_000,
}
# scale words that may carry an implied currency (see "Implied currency")
_IMPLIED_SCALES = {"miljon", "miljoner", "miljonerna", "miljard", "miljarder", "millioner"}

_COMPOUND_RE = re.compile(
    r"(?P<mult>mdr|md|mn|m|t|k)(?P<cur>kr|sek|eur|€|nok|dkk|usd)(?![\w])", re.IGNORECASE
)
_COMPOUND_MULT = {
    "md": 1_000_000_000,
    "mdr": 1_000_000_000,
    "mn": 1_000_000,
    "m": 1_000_000,
    "t": 1_000,
    "k": 1_000,
}
_COMPOUND_CUR = {
    "kr": "SEK",
    "sek": "SEK",
    "eur": "EUR",
    "€": "EUR",
    "nok": "NOK",
    "dkk": "DKK",
    "usd": "USD",
}

_SUFFIX_CUR_RE = re.compile(
    r"(?P<sek>(?:svenska\s+)?[kK]ron(?:or|a|ors)(?![\w])|[kK]r(?![\w])|SEK(?![\w]))"
    r"|(?P<nok>norska\s+kronor(?![\w])|(?:norske\s+)?[kK]roner(?![\w])|NOK(?![\w]))"
    r"|(?P<dkk>danska\s+kronor(?![\w])|DKK(?![\w]))"
    r"|(?P<isk>isländska\s+kronor(?![\w])|ISK(?![\w]))"
    r"|(?P<eur>[eE]uros?(?![\w])|EUR(?![\w])|€)"
    r"|(?P<usd>(?:US-)?[dD]ollars?(?![\w])|USD(?![\w])|\$)"
    r"|(?P<gbp>pund(?![\w])|pounds?(?![\w])|GBP(?![\w])|£)"
    r"|(?P<chf>CHF(?![\w]))"
)
_PREFIX_CUR_RE = re.compile(rf"(?:(?<![\w])(?P<iso>{_ISO})|(?P<sym>[€$£]))[ \u00a0]?$")
_FOLLOW_RE = re.compile(
    rf"[ \u00a0\u202f]*(?:(?P<scale>{_SCALE_WORDS})(?![\w])[ \u00a0\u202f]*)?", re.IGNORECASE
)
_PREFIX_SCALE_RE = re.compile(
    rf"[ \u00a0\u202f]?(?P<scale>{_SCALE_WORDS}|bn|m|k)(?![\w])", re.IGNORECASE
)
_COLON_DASH_RE = re.compile(r":-(?![\w\-])")
_PERCENT_RE = re.compile(r"[ \u00a0\u202f]*(?:%|procent(?![\w])|percent(?![\w])|per cent(?![\w]))")

_APPROX = (
    r"drygt|dryga|nästan|närmare|cirka|ca\.?|c:a|omkring|kring|runt|ungefär|över"
    r"|strax\s+över|strax\s+under|mer\s+än|mindre\s+än|knappt|upp\s+till|uppemot"
    r"|about|around|approximately|approx\.?|almost|nearly|over|more\s+than|some"
    r"|roughly|up\s+to|close\s+to"
)
_TOTAL = (
    r"totalt|sammanlagt|sammantaget|i\s+total|in\s+total|a\s+total\s+of|totally"
    r"|(?:en\s+)?(?:total|sammanlagd)\s+[^\W\d_]+\s+(?:på|om)"
    r"|(?:en\s+)?total[^\W\d_]+\s+(?:på|om)"
)
_LEAD_QUAL_RE = re.compile(
    rf"(?<![\w])(?:(?P<total>{_TOTAL})\s+)?(?:(?P<approx>{_APPROX})\s+)?$", re.IGNORECASE
)
_TRAIL_QUAL_RE = re.compile(
    r"[ \u00a0]+(?P<total>i\s+total|in\s+total|totalt|sammanlagt)(?![\w])", re.IGNORECASE
)

_RANGE_BEFORE_RE = re.compile(
    rf"(?:(?<![\w])(?P<lead>mellan|från|between|from)\s+)?"
    rf"(?<![\d.,\w])(?P<num>{_DIGITS}|[^\W\d_]+)\s*(?P<conn>–|—|-|till|och|to|and)\s*$",
    re.IGNORECASE,
)

# Function words that may follow "miljoner" in an amount without a currency.
_STRONG_NEXT = {"till", "på", "från", "för", "til", "fra"}  # Swedish, Norwegian
_WEAK_NEXT = {
    "i",
    "av",
    "och",
    "per",
    "under",
    "som",
    "inom",
    "via",
    "ur",
    "att",
    "med",
    "eller",
    "samt",
    "om",
    "vardera",
    "totalt",
    "sammanlagt",
    "årligen",
}
_MONEY_CUE_RE = re.compile(
    r"(?<![\w])(?:bevilja\w*|satsa\w*|satsning\w*|får|fick|ger|gav|tilldela\w*|fördela\w*"
    r"|investera\w*|investering\w*|finansiera\w*|medfinansiera\w*|finansiering\w*"
    r"|anslå\w*|anslag\w*|budget\w*|kosta\w*|kostnad\w*|stöd|stödet|stödsumma\w*"
    r"|bidrag\w*|dela\w*\s+ut|uppgår\s+till|omsätt\w*|omsättning\w*|medel|pengar"
    r"|belopp\w*|köpeskilling\w*|projektmedel|stödbelopp\w*|avsätt\w*|skjut\w*\s+till"
    r"|bevilg\w*|tildel\w*|støtte\w*|tilskudd\w*|midler)"
    r"(?![\w])",
    re.IGNORECASE,
)

# Spans whose digits are never amounts even if a currency word happens to follow.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+\d{2,3}[\s\-]?(?:\(0\))?\d{1,3}(?:[\s\-]?\d{2,7}){1,4}"
    r"|0\d{1,3}[\-–/]\s?\d{2,3}(?:[\s\-]?\d{2,3}){1,3}|0\d{1,3}\s\d{2,3}(?:\s\d{2}){2,3})"
    r"(?![\w])"
)
_MASK_RES = (
    _PHONE_RE,
    re.compile(r"(?<!\d)\d{6}-\d{4}(?!\d)"),  # organisation number
    re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"),  # ISO date
    re.compile(
        r"(?<![\w])kl(?:\.|ockan)?\s*\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?",
        re.IGNORECASE,
    ),  # times
    re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.\d{4}(?!\d)"),  # 18.3.2024
    re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}(?:[/\-]\d{2,4})?(?![\d/])"),  # 22/9, 22/9-2022
)


def _kronor_typo(word: str) -> bool:
    """A lower-case word one edit away from ``kronor`` (``kronir``, ``kroonor``)."""
    if not word.islower() or not word.startswith("kr") or not 5 <= len(word) <= 7:
        return False
    target = "kronor"
    prev = list(range(len(target) + 1))
    for i, ch in enumerate(word, 1):
        cur = [i]
        for j, tc in enumerate(target, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ch != tc)))
        prev = cur
    return prev[-1] <= 1


def _suffix_currency(text: str, pos: int) -> tuple[str, int, int] | None:
    """(currency, multiplier, end) of a currency written at ``pos``."""
    m = _COMPOUND_RE.match(text, pos)
    if m:
        return _COMPOUND_CUR[m["cur"].lower()], _COMPOUND_MULT[m["mult"].lower()], m.end()
    m = _SUFFIX_CUR_RE.match(text, pos)
    if m:
        return m.lastgroup.upper(), 1, m.end()
    m = re.compile(r"[^\W\d_]+").match(text, pos)
    if m and _kronor_typo(m.group()):
        return "SEK", 1, m.end()
    return None


# --------------------------------------------------------------------------- finding


@dataclass
class _Raw:
    start: int  # of the number (or prefix currency)
    num_start: int
    num_end: int
    end: int
    value: Decimal
    currency: str | None
    scale_word: str | None
    mult: Decimal  # what the number was multiplied by (scale word or compound unit)
    share: bool = False


def _masked(text: str) -> list[tuple[int, int]]:
    return [m.span() for rx in _MASK_RES for m in rx.finditer(text)]


def _number_tokens(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, raw, is_word) for every number written in digits or words."""
    tokens: list[tuple[int, int, str, bool]] = []
    for m in _DIGIT_RE.finditer(text):
        tokens.append((m.start(), m.end(), m.group(), False))
    halves: list[tuple[int, int]] = []
    for m in _HALF_RE.finditer(text):
        whole = m["whole"]
        start = m.start()
        if whole is not None and not whole.isdigit() and _number_word(whole) is None:
            start = m.end() - len("en halv")  # "projekt och en halv miljon": just "en halv"
        halves.append((start, m.end()))
        tokens.append((start, m.end(), text[start : m.end()], True))
    for m in _WORD_RE.finditer(text):
        if any(a <= m.start() < b for a, b in halves):
            continue
        if _number_word(m.group()) is not None:
            tokens.append((m.start(), m.end(), m.group(), True))
    tokens.sort()
    return tokens


def _token_value(raw: str, is_word: bool, scaled: bool) -> Decimal | None:
    if not is_word:
        try:
            return _digits_value(raw, scaled)
        except InvalidOperation:
            return None
    half = _HALF_RE.fullmatch(raw)
    if half:
        whole = half["whole"]
        if whole is None:
            return Decimal("0.5")
        base = Decimal(whole) if whole.isdigit() else Decimal(_number_word(whole) or 0)
        return base + Decimal("0.5")
    value = _number_word(raw)
    return Decimal(value) if value is not None else None


def _sentence_before(text: str, pos: int, limit: int = 120) -> str:
    window = text[max(0, pos - limit) : pos]
    cut = max(window.rfind("\n"), *(window.rfind(p + " ") for p in ".!?"))
    return window[cut + 1 :] if cut >= 0 else window


def _implied_ok(text: str, num_start: int, scale_end: int) -> bool:
    """The "Implied currency" rule of the module docstring."""
    m = re.compile(r"[ \u00a0]*(?P<w>[^\W\d_]+|\S)?").match(text, scale_end)
    nxt = (m["w"] or "").lower() if m else ""
    if nxt in _STRONG_NEXT:
        return True
    if nxt and nxt[0].isalpha() and nxt not in _WEAK_NEXT:
        return False
    if nxt in {"%", "-", "–"}:
        return False
    return bool(_MONEY_CUE_RE.search(_sentence_before(text, num_start)))


def _read_at(text: str, start: int, end: int, raw: str, is_word: bool) -> _Raw | None:
    """The amount whose number is ``text[start:end]``, or None."""
    before = text[max(0, start - 6) : start]
    pre = _PREFIX_CUR_RE.search(before)
    if pre and not is_word:
        cur = pre["iso"] or _SYMBOL[pre["sym"]]
        pre_start = start - (len(before) - pre.start())
        sm = _PREFIX_SCALE_RE.match(text, end)
        scale = sm["scale"].lower() if sm else None
        stop = sm.end() if sm else end
        value = _token_value(raw, False, scale is not None)
        if value is None:
            return None
        mult = Decimal(_SCALE[scale]) if scale else Decimal(1)
        # a currency written again after ("EUR 1,2 miljoner euro") belongs to the match
        again = re.compile(r"[ \u00a0]*").match(text, stop).end()
        suffix = _suffix_currency(text, again)
        if suffix and suffix[0] == cur and suffix[1] == 1:
            stop = suffix[2]
        return _Raw(pre_start, start, end, stop, value * mult, cur, scale, mult)

    fm = _FOLLOW_RE.match(text, end)
    scale = fm["scale"].lower() if fm["scale"] else None
    after = fm.end()
    value = _token_value(raw, is_word, scale is not None)
    if value is None:
        return None
    mult = Decimal(_SCALE[scale]) if scale else Decimal(1)
    suffix = _suffix_currency(text, after)
    if suffix is not None:
        cur, unit_mult, stop = suffix
        if unit_mult != 1 and scale:
            return None  # "5 miljoner mkr" is no notation
        mult *= unit_mult
        return _Raw(start, start, end, stop, value * mult, cur, scale, mult)
    if not is_word and scale is None:
        cm = _COLON_DASH_RE.match(text, end)
        if cm:
            return _Raw(start, start, end, cm.end(), value, "SEK", None, mult)
    if scale in _IMPLIED_SCALES:
        scale_end = fm.start("scale") + len(fm["scale"])
        if _implied_ok(text, start, scale_end):
            return _Raw(start, start, end, scale_end, value * mult, None, scale, mult)
    return None


def _qualify(text: str, raw: _Raw) -> tuple[int, int, str | None]:
    """Widen the span over written qualifiers; return (start, end, qualifier)."""
    lead = _LEAD_QUAL_RE.search(text[max(0, raw.start - 60) : raw.start])
    start, end, qualifier = raw.start, raw.end, None
    if lead and lead.group():
        start = raw.start - (len(lead.string) - lead.start())
        qualifier = "total" if lead["total"] else "approx"
    trail = _TRAIL_QUAL_RE.match(text, raw.end)
    if trail:
        end = trail.end()
        qualifier = "total"
    return start, end, qualifier


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def find_amounts(
    text: str, *, implied_currency: str | None = "SEK", include_shares: bool = False
) -> list[AmountMatch]:
    """Every amount of money written in ``text``, sorted by start (see module docstring)."""
    masked = _masked(text)
    raws: list[_Raw] = []
    for start, end, raw_text, is_word in _number_tokens(text):
        if _inside(start, masked):
            continue
        if (
            not is_word
            and start > 0
            and text[start - 1].isalpha()
            and not re.search(rf"(?:{_ISO})$", text[:start])
        ):
            continue  # glued to a word: "Tillväxtlyftet 2.0", "S3"
        raw = _read_at(text, start, end, raw_text, is_word)
        if raw is None:
            if include_shares and not is_word:
                pm = _PERCENT_RE.match(text, end)
                if pm:
                    value = _token_value(raw_text, False, True)
                    if value is not None:
                        raws.append(
                            _Raw(
                                start,
                                start,
                                end,
                                pm.end(),
                                value,
                                "%",
                                None,
                                Decimal(1),
                                share=True,
                            )
                        )
            continue
        raws.append(raw)
        first = _range_first(text, raw, masked)
        if first is not None:
            raws.append(first)

    explicit = {r.currency for r in raws if r.currency and not r.share}
    fill = implied_currency
    if implied_currency is not None and len(explicit) == 1:
        fill = next(iter(explicit))
    out: list[AmountMatch] = []
    taken: list[tuple[int, int]] = []
    for raw in sorted(raws, key=lambda r: (r.start, -(r.end - r.start))):
        currency = raw.currency or fill
        if currency is None:
            continue
        if any(raw.num_start < b and a < raw.num_end for a, b in taken):
            continue
        start, end, qualifier = _qualify(text, raw)
        if raw.share:
            qualifier = qualifier if qualifier == "approx" else None
        taken.append((raw.num_start, raw.num_end))
        out.append(
            AmountMatch(
                start, end, text[start:end], float(raw.value), currency, qualifier, raw.share
            )
        )
    out.sort(key=lambda m: (m.start, m.end))
    return out


def _range_first(text: str, second: _Raw, masked: list[tuple[int, int]]) -> _Raw | None:
    """The first number of a range whose second number is the amount ``second``."""
    if second.start != second.num_start:
        return None  # "EUR 2–3 million" is read from the second number only
    m = _RANGE_BEFORE_RE.search(text[max(0, second.start - 40) : second.start])
    if not m:
        return None
    conn = m["conn"].lower()
    if conn in ("och", "and") and not m["lead"]:
        return None
    raw = m["num"]
    is_word = not raw[0].isdigit()
    value = _token_value(raw, is_word, second.scale_word is not None)
    if value is None or (not is_word and raw.startswith("0") and "," not in raw):
        return None
    offset = second.start - (len(m.string) - m.start("num"))
    if _inside(offset, masked):
        return None
    return _Raw(
        offset,
        offset,
        offset + len(raw),
        offset + len(raw),
        value * second.mult,
        second.currency,
        second.scale_word,
        second.mult,
    )


def parse_amount(text: str, *, implied_currency: str | None = "SEK") -> AmountMatch | None:
    """The first amount written in the phrase ``text``, or None."""
    found = find_amounts(text, implied_currency=implied_currency)
    return found[0] if found else None
