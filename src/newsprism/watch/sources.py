"""What a source lists (entries of a feed, URLs of a sitemap, files of a folder) and how a
fetched page becomes a `Document` for the pipeline.

An entry's fingerprint is what it looked like when it was handled (link, dates, title,
summary; a sitemap's lastmod; a file's size and modification time): it is fetched again only
when that changes, which is how an edited story comes back as a new version.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from newsprism.ingest.files import walk_inputs
from newsprism.model import Document, InputError, content_id
from newsprism.watch.fetch import Fetcher, FetchError, Response

PAGE_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
MAX_CHILD_SITEMAPS = 50
MAX_ENTRIES = 5000  # per listing: a feed or sitemap of more is cut, with a note


def digest(*parts: object) -> str:
    """A 16-hex-digit hash of the parts (keys and fingerprints)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part if part is not None else "").encode("utf-8", "replace"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


@dataclass
class Entry:
    key: str
    url: str  # a page to fetch, or a file path
    fingerprint: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    revisit: bool = False  # unchanged in its listing, fetched again to look for an edit


@dataclass
class Listing:
    entries: list[Entry] = field(default_factory=list)
    response: Response | None = None  # of the feed or sitemap (None for a folder)
    notes: list[str] = field(default_factory=list)  # problems that did not stop the listing

    @property
    def not_modified(self) -> bool:
        return self.response is not None and self.response.not_modified


def _date(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    try:
        return time.strftime("%Y-%m-%d", parsed)
    except (TypeError, ValueError):
        return None


def parse_feed(body: bytes, url: str) -> list[Entry]:
    """Entries of an RSS or Atom document (feedparser, given bytes: it fetches nothing)."""
    import feedparser

    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        detail = " ".join(str(parsed.get("bozo_exception") or "no RSS or Atom root").split())
        raise FetchError(url, f"not an RSS or Atom feed ({detail[:200]})", permanent=True)
    entries = []
    for item in parsed.entries[:MAX_ENTRIES]:
        link = item.get("link") or ""
        if not link.startswith(("http://", "https://")):
            continue
        published = _date(item.get("published_parsed") or item.get("updated_parsed"))
        summary = item.get("summary") or ""
        content = "".join(c.get("value", "") for c in item.get("content") or [])
        entries.append(Entry(
            key=digest(item.get("id") or link), url=link,
            fingerprint=digest(link, item.get("updated"), item.get("published"),
                               item.get("title"), summary, content),
            title=(item.get("title") or "").strip() or None, published=published))
    return entries


def _sitemap_tree(body: bytes, url: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, recover=False)
    try:
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise FetchError(url, f"not a sitemap (XML error: {exc})", permanent=True) from None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, url: str) -> tuple[list[Entry], list[str]]:
    """(page entries, child sitemap URLs) of a sitemap or a sitemap index."""
    root = _sitemap_tree(body, url)
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise FetchError(url, f"not a sitemap (root element <{kind}>)", permanent=True)
    entries: list[Entry] = []
    children: list[str] = []
    for node in root:
        values = {_local(child.tag): (child.text or "").strip() for child in node}
        loc = values.get("loc", "")
        if not loc.startswith(("http://", "https://")):
            continue
        if kind == "sitemapindex":
            children.append(loc)
        elif len(entries) < MAX_ENTRIES:
            lastmod = values.get("lastmod") or None
            entries.append(Entry(key=digest(loc), url=loc, fingerprint=digest(loc, lastmod),
                                 published=None))
    return entries, children


def list_feed(fetcher: Fetcher, url: str, etag: str | None, modified: str | None) -> Listing:
    with fetcher.urgent():
        resp = fetcher.get(url, etag, modified)
    if resp.not_modified:
        return Listing(response=resp)
    return Listing(parse_feed(resp.body, resp.final_url), resp)


def list_sitemap(fetcher: Fetcher, url: str, etag: str | None, modified: str | None
                 ) -> Listing:
    """A sitemap, or a sitemap index and its sitemaps (one level, at most 50); a child that
    cannot be read is a note, the others are still listed."""
    with fetcher.urgent():
        resp = fetcher.get(url, etag, modified)
    if resp.not_modified:
        return Listing(response=resp)
    entries, children = parse_sitemap(resp.body, resp.final_url)
    listing = Listing(entries, resp)
    for child in children[:MAX_CHILD_SITEMAPS]:
        try:
            child_resp = fetcher.get(child)
            child_entries, _ = parse_sitemap(child_resp.body, child_resp.final_url)
        except FetchError as exc:
            listing.notes.append(str(exc))
            continue
        listing.entries.extend(child_entries)
    if len(children) > MAX_CHILD_SITEMAPS:
        listing.notes.append(f"{url}: a sitemap index of {len(children)} sitemaps; the first "
                             f"{MAX_CHILD_SITEMAPS} are read")
    return listing


def list_folder(folder: str) -> Listing:
    """Every readable file below `folder`; its fingerprint is its size and mtime."""
    listing = Listing()
    root = Path(folder)
    if not root.is_dir():
        listing.notes.append(f"{folder}: not a folder (or it cannot be read)")
        return listing
    for path in walk_inputs([root]):
        if isinstance(path, InputError):
            listing.notes.append(f"{path.source}: {path.reason}")
            continue
        try:
            st = path.stat()
        except OSError as exc:
            listing.notes.append(f"{path}: {exc.strerror or exc}")
            continue
        listing.entries.append(Entry(key=digest(str(path)), url=str(path),
                                     fingerprint=digest(st.st_size, st.st_mtime_ns)))
    return listing


def page_document(resp: Response, source: str, entry: Entry | None = None) -> Document:
    """A fetched page as a document: its URL (after redirects), fetch time, status and headers
    go with it (hints), so the store keeps the fetch and makes it a version of its URL."""
    kind = PAGE_TYPES.get(resp.content_type)
    if kind is None:
        raise FetchError(resp.final_url, f"not an HTML or text page "
                         f"(Content-Type {resp.content_type or 'missing'})", permanent=True)
    hints = {"url": resp.final_url, "fetched_at": resp.fetched_at.isoformat(),
             "http_status": str(resp.status), "http_headers": resp.kept_headers(),
             "watch_source": source}
    if entry is not None:
        if entry.title:
            hints["title"] = entry.title
        if entry.published:
            hints["published"] = entry.published
    return Document(id=content_id(resp.body), source=resp.final_url, raw=resp.body,
                    kind=kind, hints=hints)  # type: ignore[arg-type]
