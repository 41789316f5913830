"""Contact details found inside text (evidence sentences quote contact lines), replaced.

E-mail addresses in the plain form and in the usual disguises (``lena.holm(at)umu.se``,
``erik.lind [at] gamma.se``, ``anna dot berg at lnu dot se``) and phone numbers in
Swedish and international notation (``090 16 10 00``, ``08-123 45 67``, ``090/16 10 00``,
``0046 90 16 10 00``, ``+46 (0)90-16 10 00``, ``+358 40 685 4018``).

Precision matters as much as recall: years, dates, amounts ("2 500 000 kronor"), postcodes
and organisation numbers are left alone. A phone candidate must start with ``+``, ``00``
or a trunk ``0`` (amounts, postcodes and organisation numbers do not) and must not
continue a number ("12 050 000"); libphonenumber (``phonenumbers``) then decides
whether the digits are a valid number, trailing groups dropped one by one ("070-123 45
67 2024" is a number and a year). After a cue word (tel, telefon, mobil, phone …) any
run of digit groups is taken, as local numbers there often lack their area code.
"""

from __future__ import annotations

import re

import phonenumbers

REDACTED = "[contact details removed]"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_DOT = r"(?:\.|\s*[(\[{]\s*(?:dot|punkt)\s*[)\]}]\s*|\s+(?:dot|punkt)\s+)"
_LOCAL = rf"[\w+-]+(?:{_DOT}[\w+-]+)*"
_DOMAIN = rf"[\w-]+(?:{_DOT}[\w-]+)*{_DOT}(?P<tld>[a-z]{{2,6}})\b"
# "(at)", "[at]", "{at}", "<at>", "(snabel-a)" ...: written only to disguise an address
_BRACKETED_AT = re.compile(
    rf"(?<![\w.+-]){_LOCAL}\s*[(\[{{<]\s*(?:at|snabel-?a|a|@)\s*[)\]}}>]\s*{_DOMAIN}", re.I
)
# " at " between words: also plain English ("read more at region.se"), so the address
# must end in a common top-level domain and the word before " at " must not be prose
_SPOKEN_AT = re.compile(
    rf"(?<![\w.+-])(?P<local>{_LOCAL})\s+(?:at|snabel-a)\s+(?P<domain>{_DOMAIN})", re.I
)
_TLD_NAMES = "se fi no dk is ax eu com org net nu io info edu gov uk de"
_TLDS = frozenset(_TLD_NAMES.split())
_PROSE_WORDS = """more us online here there found available visit see look information read
site website web page me you them it is are was be located held meet meeting published posted
live streamed register apply open work works working based staff or and mer finns här och
eller"""
_PROSE = frozenset(_PROSE_WORDS.split())

_SPACE = "[ \u00a0\u2009\u202f]"
_SEP = rf"(?:{_SPACE}*(?:[-\u2013/]|\(0\))?{_SPACE}*)"
# a phone number candidate: + or a trunk 0 first, then digit groups; not inside a word,
# not the continuation of a number ("2024-01-01", "12 050 000")
_PHONE = re.compile(
    rf"(?<![\w+])(?<!\d[-\u2013/.,:])(?<!\d{_SPACE})"
    rf"(?:\+\d{{1,3}}|\(?0\d{{0,4}}\)?)(?:{_SEP}\d{{1,8}}){{1,7}}(?![\w\-\u2013])"
)
_CUE = re.compile(
    rf"(?i)\b(?:tel|telefon|telefonnummer|tfn|mobil|mobilnummer|mob|mobile|phone|fax|växel)"
    rf"\b\.?:?{_SPACE}*(?:nr\.?{_SPACE}*)?(?:\+|\d)[\d()]*(?:{_SEP}\d+)+"
)
_GROUP_END = re.compile(r"\d(?!\d)")


def redact_text(text: str) -> str:
    """The text with e-mail addresses and phone numbers replaced by ``REDACTED``."""
    text = EMAIL.sub(REDACTED, text)
    text = _BRACKETED_AT.sub(REDACTED, text)
    text = _SPOKEN_AT.sub(_spoken_address, text)
    text = _CUE.sub(_cued_number, text)
    return _PHONE.sub(_phone_number, text)


def _spoken_address(match: re.Match[str]) -> str:
    local = match.group("local").lower()
    domain = match.group("domain").lower()
    if match.group("tld").lower() not in _TLDS or local in _PROSE or domain.startswith("www"):
        return match.group(0)
    return REDACTED


def _cued_number(match: re.Match[str]) -> str:
    """After a cue word: the cue stays, the digits go."""
    text = match.group(0)
    start = re.search(r"[+\d(]", text)
    assert start is not None
    digits = sum(c.isdigit() for c in text)
    return text[: start.start()] + REDACTED if digits >= 5 else text


def _phone_number(match: re.Match[str]) -> str:
    """The longest prefix (whole digit groups) that is a valid number, replaced."""
    text = match.group(0)
    ends = [m.end() for m in _GROUP_END.finditer(text)]
    for end in reversed(ends):
        if is_phone_number(text[:end]):
            return REDACTED + text[end:]
    return text


def is_phone_number(text: str, region: str = "SE") -> bool:
    """Whether ``text`` is a valid phone number (national numbers read as ``region``)."""
    compact = text.replace("(0)", "") if text.lstrip().startswith("+") else text
    digits = re.sub(r"[^\d+]", "", compact)
    if not 7 <= sum(c.isdigit() for c in digits) <= 15:
        return False
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)
