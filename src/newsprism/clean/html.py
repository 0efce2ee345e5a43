"""HTML pages: main text with trafilatura, date with htmldate (inside trafilatura), meta tags.

The paragraphs trafilatura keeps still go through the line cleaner afterwards, which removes
promo lines and repeats that sit inside the article markup.
"""

from __future__ import annotations

import warnings
from functools import cache

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


def html_stage(doc: Document) -> Document:
    if doc.kind != "html":
        return doc
    page = _as_page(doc.raw_text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = None
        if page.count("<") <= MAX_TAGS:
            result = trafilatura.bare_extraction(
                page,
                url=doc.hints.get("url"),
                with_metadata=True,
                include_comments=False,
                config=_config(),
            )
        text = result.text if result is not None else None
        if not text:
            text = trafilatura.html2txt(page)
    if not text or not text.strip():
        raise InputError(doc.source, "no article text found in the HTML")
    doc.lines = text.splitlines()
    if result is not None:
        doc.title = doc.title or (strip_breadcrumbs(result.title) if result.title else None)
        doc.published = doc.published or result.date
        doc.outlet = doc.outlet or result.sitename
        doc.url = doc.url or result.url
    return doc
