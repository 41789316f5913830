"""HTML releases: the page's main text by trafilatura, then the plain-text steps.

trafilatura (text output, tables included, comments left out) gives the main text and
``extract_metadata`` the title, date and site name; its date search is limited to the page's
markup and URL, so no date is guessed from running text. When trafilatura finds nothing
(or cannot be imported), a plain lxml text dump without nav/header/footer/aside is used and
the Document carries a warning saying so.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html

from regiongraph.ingest.registry import IngestError, SourceFile
from regiongraph.ingest.text import (
    ReleaseFields,
    build_document,
    decode_bytes,
    file_release_id,
    normalise_text,
    sha256_of,
)
from regiongraph.records import Document

log = logging.getLogger(__name__)

FALLBACK_WARNING = "html-fallback: trafilatura found no main text; the page was read as plain text"
_CHROME_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                "form", "button", "svg", "iframe")  # fmt: skip
_BLOCK_TAGS = ("p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
               "li", "dt", "dd", "tr", "table", "ul", "ol", "blockquote", "pre", "figure",
               "figcaption", "address", "br", "hr")  # fmt: skip
_DATE_CONFIG = {"extensive_search": False, "original_date": True}
MAX_DEPTH = 2048  # libxml2's limit with XML_PARSE_HUGE
_TOO_DEEP = "Excessive depth in document"


@dataclass(frozen=True)
class HtmlText:
    text: str
    fields: ReleaseFields
    warnings: tuple[str, ...] = ()


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """The page as a tree; None if it has none. ``huge_tree``: libxml2 stops at 256 levels
    of nesting without it (the page then seemed to have no text), at 2,048 with it."""
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    if any(_TOO_DEEP in error.message for error in parser.error_log):
        raise DeepHtml(f"its HTML is nested deeper than {MAX_DEPTH} levels, more than can be read")
    return root


class DeepHtml(ValueError):
    """A page nested deeper than libxml2 reads (its text would be cut off silently)."""


def _language(root: lxml.html.HtmlElement | None) -> str | None:
    if root is None:
        return None
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    return lang.strip() if lang and lang.strip() else None


def fallback_text(html: str) -> str:
    """A plain text dump of the page without its chrome elements, one block per line."""
    root = _parse(html)
    if root is None:
        return ""
    for element in list(root.iter(*_CHROME_TAGS)):
        parent = element.getparent()
        if parent is not None:
            tail = element.tail
            parent.remove(element)
            if tail:  # keep the text that followed the removed element
                previous = element.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
    for element in root.iter(*_BLOCK_TAGS):
        prefix = "\n• " if element.tag == "li" else "\n"
        element.text = prefix + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    body = root.find("body")
    text = (body if body is not None else root).text_content()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _trafilatura_text(html: str, url: str | None) -> tuple[str | None, ReleaseFields, str | None]:
    """Main text and metadata by trafilatura; the third value says why it failed, if it did."""
    try:
        import trafilatura
    except ImportError as exc:  # a broken install must not stop the other releases
        return None, ReleaseFields(), f"trafilatura cannot be imported ({exc})"
    tree = _parse(html)  # parsed here (trafilatura's own parser stops at 256 levels)
    if tree is None:
        return None, ReleaseFields(), "the page cannot be parsed"
    text = trafilatura.extract(
        tree,
        url=url,
        output_format="txt",
        include_tables=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        favor_recall=True,
        deduplicate=False,
        with_metadata=False,
        date_extraction_params=_DATE_CONFIG,
    )
    meta = trafilatura.extract_metadata(
        _parse(html), default_url=url, date_config=_DATE_CONFIG, extensive=False
    )
    fields = ReleaseFields(
        title=(meta.title or None) if meta else None,
        date=(meta.date or None) if meta else None,
        source=(meta.url or None) if meta else None,
    )
    return text, fields, None


def html_to_text(html: str, url: str | None = None) -> HtmlText:
    """The main text of a page and what its markup says (title, date, language)."""
    root = _parse(html)
    text, fields, failure = _trafilatura_text(html, url)
    fields = ReleaseFields(
        title=fields.title, date=fields.date, source=fields.source, language=_language(root)
    )
    warnings: tuple[str, ...] = ()
    if not text or not text.strip():
        text = fallback_text(html)
        reason = f" ({failure})" if failure else ""
        warnings = (FALLBACK_WARNING + reason,)
        log.warning("%s%s", FALLBACK_WARNING, reason)
        if fields.title is None and root is not None:
            title = root.findtext(".//title")
            fields = ReleaseFields(
                title=" ".join(title.split()) or None if title else None,
                date=fields.date,
                source=fields.source,
                language=fields.language,
            )
    return HtmlText(normalise_text(text), fields, warnings)


def read_html(source: SourceFile, data: bytes) -> list[Document | IngestError]:
    """An HTML page: one release."""
    html, _encoding = decode_bytes(data, source.path)
    known = ReleaseFields.from_meta(source.meta)
    try:
        page = html_to_text(html, url=known.source)
    except DeepHtml as exc:
        raise IngestError(source.path, str(exc)) from None
    if not page.text.strip():
        raise IngestError(source.path, "the HTML page has no readable text")
    return [
        build_document(
            source,
            page.text,
            release_id=file_release_id(source),
            media_type="text/html",
            sha256=sha256_of(data),
            fields=known.over(page.fields),
            warnings=page.warnings,
        )
    ]
