"""HTML pages: main text with trafilatura, date with htmldate (inside trafilatura), meta tags.

The paragraphs trafilatura keeps still go through the line cleaner afterwards, which removes
promo lines and repeats that sit inside the article markup.
"""

from __future__ import annotations

import warnings
from functools import cache
from html.parser import HTMLParser

import trafilatura
from trafilatura.settings import use_config

from newsprism.clean.header import strip_breadcrumbs
from newsprism.model import Document, InputError

# Real article pages have a few thousand tags; trafilatura's cost grows fast beyond that, so a
# page with far more is read as plain visible text instead (still cleaned line by line).
MAX_TAGS = 30_000


@cache
def _config():
    config = use_config()
    # The default timeout uses signals, which only work in a main thread.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def _as_page(html: str) -> str:
    """trafilatura expects a page; JSONL records often carry a bare fragment ("<p>…</p>")."""
    head = html[:2000].lower()
    return html if "<html" in head or "<body" in head else f"<html><body>{html}</body></html>"


_SKIP = {"script", "style", "noscript", "template", "head", "svg"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article",
          "section", "blockquote", "pre", "td", "dd", "dt", "header", "footer"}


class _FlatText(HTMLParser):
    """Visible text without building a tree: the stdlib parser streams tags, so nesting
    depth costs nothing. libxml2 (under trafilatura) stops at a few hundred levels, and a
    page nested deeper would otherwise lose all its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def flat_text(html: str) -> str:
    parser = _FlatText()
    parser.feed(html)
    parser.close()
    return "\n".join(" ".join(line.split()) for line in "".join(parser.parts).splitlines())


def html_stage(doc: Document) -> Document:
    if doc.kind != "html":
        return doc
    page = _as_page(doc.raw_text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = None
        if page.count("<") <= MAX_TAGS:
            found = trafilatura.bare_extraction(
                page,
                url=doc.hints.get("url"),
                with_metadata=True,
                include_comments=False,
                config=_config(),
            )
            result = None if isinstance(found, dict) else found  # a dict only with as_dict
        text = result.text if result is not None else None
        if not text:
            text = trafilatura.html2txt(page)
        if not text or not text.strip():  # e.g. nested deeper than libxml2 goes
            text = flat_text(page)
    if not text or not text.strip():
        raise InputError(doc.source, "no article text found in the HTML")
    doc.lines = text.splitlines()
    if result is not None:
        doc.title = doc.title or (strip_breadcrumbs(result.title) if result.title else None)
        doc.published = doc.published or result.date
        doc.outlet = doc.outlet or result.sitename
        doc.url = doc.url or result.url
    return doc
