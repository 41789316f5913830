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
    normalise_text,
    sha256_of,
)
from regiongraph.records import Document
from regiongraph.vocab import release_id_for

log = logging.getLogger(__name__)

FALLBACK_WARNING = "html-fallback: trafilatura found no main text; the page was read as plain text"
_CHROME_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                "form", "button", "svg", "iframe")  # fmt: skip
_BLOCK_TAGS = ("p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
               "li", "dt", "dd", "tr", "table", "ul", "ol", "blockquote", "pre", "figure",
               "figcaption", "address", "br", "hr")  # fmt: skip
_DATE_CONFIG = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class HtmlText:
    text: str
    fields: ReleaseFields
    warnings: tuple[str, ...] = ()


def _parse(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


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
    text = trafilatura.extract(
        html,
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
        html, default_url=url, date_config=_DATE_CONFIG, extensive=False
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


def read_html(source: SourceFile, data: bytes) -> list[Document]:
    """An HTML page: one release."""
    html, _encoding = decode_bytes(data, source.path)
    known = ReleaseFields.from_meta(source.meta)
    page = html_to_text(html, url=known.source)
    if not page.text.strip():
        raise IngestError(source.path, "the HTML page has no readable text")
    return [
        build_document(
            source,
            page.text,
            release_id=release_id_for(source.path.name),
            media_type="text/html",
            sha256=sha256_of(data),
            fields=known.over(page.fields),
            warnings=page.warnings,
        )
    ]
