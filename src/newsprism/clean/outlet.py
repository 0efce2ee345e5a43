"""Which outlet published the article — only when the input says so; never guessed.

In order: the outlet the input record names; what the page's meta tags name (HTML stage); the
article's own words (a media-bank credit, an account prompt, a copyright footer; patterns in
`data/outlet_cues.txt`); the domain of its URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from newsprism.model import Document
from newsprism.resources import outlet_cues


def outlet_from_text(lines: list[str]) -> str | None:
    for line in lines:
        for pattern in outlet_cues():
            m = pattern.search(line)
            if m:
                name = m.group("outlet").strip(" .,-")
                if name and name[0].isupper() and not name.lower().startswith(("the ", "a ")):
                    return name
    return None


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    host = host.removeprefix("www.").removeprefix("m.")
    return host or None


def outlet_stage(doc: Document) -> Document:
    if doc.outlet is None:
        removed = [r.line for r in doc.removed]
        doc.outlet = outlet_from_text(removed) or domain_of(doc.url)
    return doc
