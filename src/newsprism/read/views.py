"""Every view of the record, computed once for the CLI, the API, the web pages and the report.

The front ends parse their input, call one of these and render what it returns; none of them
reads the store by itself. Ids may be given as prefixes (resolved here, once, by an index
lookup) and places in any spelling (the link stage's name look-up, given to the store by
`open_store`).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsprism.link.names import canonical_names
from newsprism.link.profiles import DocStats, outlet_profiles
from newsprism.read.models import (
    Claim,
    ClaimRow,
    ClaimsView,
    Contradiction,
    DocumentView,
    OutletsView,
    Overview,
    Page,
    SearchPage,
    StoryListing,
    StoryView,
)
from newsprism.store import DocumentFilter, EventFilter, SearchHit, StatementFilter, Store
from newsprism.store.search import HIT_END, HIT_START

_CONTROL = {c for c in map(chr, range(32)) if c not in "\n\t"} | {"\x7f"}


def spellings(query: str, type_: str | None = None) -> tuple[str, ...]:
    """The canonical names a typed name stands for ('Kharkov', 'Харків' → 'Kharkiv')."""
    return canonical_names(query, type_)


def warm_up() -> None:
    """Load the name look-ups now (a server's first place query would otherwise pay)."""
    spellings("Kyiv")


def open_store(db: str | Path) -> Store:
    """The store every front end reads: names and places match in any spelling."""
    return Store(db, spellings=spellings)


# -- ids ----------------------------------------------------------------------------------------

class NotFound(LookupError):
    """No record of this kind has this id (or an id starting with it)."""

    def __init__(self, kind: str, value: str):
        super().__init__(f"no {kind} with id {value!r}")
        self.kind, self.value = kind, value


class Ambiguous(LookupError):
    """Several ids start with the prefix given; `matches` are (up to 10 of) them."""

    def __init__(self, kind: str, value: str, matches: list[str]):
        many = "more than 9" if len(matches) >= 10 else str(len(matches))
        super().__init__(f"{kind} id prefix {value!r} is ambiguous: it starts {many} ids; "
                         "give more digits")
        self.kind, self.value, self.matches = kind, value, matches


def _one(kind: str, value: str, matches: list[str]) -> str:
    if value.strip().lower() in matches:
        return value.strip().lower()
    if not matches:
        raise NotFound(kind, value)
    if len(matches) > 1:
        raise Ambiguous(kind, value, matches)
    return matches[0]


def resolve_document(store: Store, prefix: str) -> str:
    return _one("document", prefix, store.resolve_id(prefix))


def resolve_story(store: Store, prefix: str) -> str:
    return _one("story", prefix, store.resolve_story(prefix))


# -- documents ----------------------------------------------------------------------------------

def document_view(store: Store, prefix: str) -> DocumentView:
    doc_id = resolve_document(store, prefix)
    doc = store.get(doc_id)
    if doc is None:  # removed in between
        raise NotFound("document", prefix)
    copies = store.copy_map()
    return DocumentView(doc, store.near_duplicate_details(doc_id), copies.get(doc_id),
                        sorted(c for c, o in copies.items() if o == doc_id))


def clean_query(q: str | None) -> str | None:
    """A text query without control characters (FTS5 refuses NUL and friends; they are
    never part of a word anyway)."""
    if not q:
        return None
    return "".join(" " if ch in _CONTROL else ch for ch in q).strip() or None


def document_page(store: Store, f: DocumentFilter, page: int = 1, page_size: int = 20,
                  facets: bool = False) -> SearchPage:
    """Documents, newest first (best match first for a text query), filtered and paged; with
    `facets`, how many documents each outlet and event type would leave instead."""
    f = replace(f, q=clean_query(f.q))
    total, rows = store.document_page(f, page, page_size)
    result = SearchPage(total=total, rows=rows, page=page, page_size=page_size)
    if facets:
        counts = store.document_facets(f)
        result.outlet_counts, result.type_counts = counts["outlet"], counts["event_type"]
    return result


def hit_spans(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text and [start, end) hit offsets from a snippet marked with HIT_START/HIT_END."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for ch in snippet:
        if ch == HIT_START:
            start = len(out)
        elif ch == HIT_END:
            if start is not None and len(out) > start:
                spans.append((start, len(out)))
            start = None
        elif ch in _CONTROL:
            continue
        else:
            out.append(ch)
    return "".join(out), spans


def search(store: Store, query: str, limit: int = 20) -> list[SearchHit]:
    """Best matches first, each with a marked snippet."""
    return store.search(clean_query(query) or "", limit)


# -- entities, statements, events ---------------------------------------------------------------

def entities(store: Store, type_: str | None = None, name: str | None = None,
             limit: int = 50) -> list[dict[str, Any]]:
    return store.entity_summary(type_ or None, name or None, limit)


def statements(store: Store, f: StatementFilter, limit: int = 50, page: int = 1) -> Page:
    """Who said what, newest first; unnamed sources keep their description."""
    total, rows = store.statements_page(f, limit, (page - 1) * limit)
    return Page(total, rows, page, limit)


def events(store: Store, f: EventFilter, limit: int = 50, page: int = 1) -> Page:
    """Who did what, where and when, and who claims it; newest first."""
    total, rows = store.events_page(f, limit, (page - 1) * limit)
    return Page(total, rows, page, limit)


_types_cache: dict[str, tuple[tuple[int, int], list[str]]] = {}


def event_types(store: Store) -> list[str]:
    """The event types the store holds, by name (what the dashboard's menus list and colours
    by); kept until documents are added or linked."""
    version = store.version()
    cached = _types_cache.get(store.url)
    if cached is not None and cached[0] == version:
        return cached[1]
    types = sorted(t for t, _n in store.document_facets(DocumentFilter())["event_type"])
    _types_cache[store.url] = (version, types)
    return types


# -- stories, claims, contradictions ------------------------------------------------------------

def _claims(store: Store, document_ids: list[str] | None = None) -> list[Claim]:
    return [Claim.from_row(r) for r in store.claims_for(document_ids)]


def contradictions(store: Store, place: str | None = None) -> list[Contradiction]:
    """Contradictions between claims, at a place in any spelling."""
    return [Contradiction.from_row(r) for r in store.contradictions(place or None)]


def claims(store: Store, place: str | None = None, contradictions_only: bool = False,
           limit: int = 100) -> ClaimsView:
    """Claims carried by several outlets, and contradictions, at a place in any spelling."""
    conflicts = contradictions(store, place)[:limit]
    if contradictions_only:
        return ClaimsView([], conflicts)
    names = {place, *store.spellings(place, "place")} if place else None
    found = [c for c in _claims(store) if names is None or c.place in names][:limit]
    return ClaimsView(found, conflicts)


def story_view(store: Store, prefix: str) -> StoryView:
    """One story by its id or a prefix of it."""
    story = resolve_story(store, prefix)
    docs = store.story_documents(story)
    if not docs:
        raise NotFound("story", prefix)
    by_id = {d.id: d for d in docs}
    found = _claims(store, list(by_id))
    claim_ids = {c.id for c in found}
    conflicts = [c for c in contradictions(store)
                 if c.claim_a in claim_ids or c.claim_b in claim_ids]
    flagged: dict[str, list[Contradiction]] = {}
    for c in conflicts:
        for claim_id in dict.fromkeys((c.claim_a, c.claim_b)):
            flagged.setdefault(claim_id, []).append(c)
    rows = []
    for claim in found:
        cells: dict[str, list] = {}
        for m in claim.members:
            doc = by_id.get(m.document_id)
            if doc is not None and 0 <= m.position < len(doc.events):
                cells.setdefault(m.document_id, []).append(doc.events[m.position])
        if cells:
            rows.append(ClaimRow(claim, cells, flagged.get(claim.id, [])))
    rows.sort(key=lambda r: (not r.contradictions, -r.claim.outlet_count))
    return StoryView(story, docs, found, conflicts, rows, store.copy_map())


def contradictions_by_story(store: Store) -> dict[str, list[Contradiction]]:
    """story id -> the contradictions between claims of its documents."""
    story_of = store.story_of()
    claim_story: dict[str, str] = {}
    for claim in _claims(store):
        for m in claim.members:
            if m.document_id in story_of:
                claim_story.setdefault(claim.id, story_of[m.document_id])
    out: dict[str, list[Contradiction]] = {}
    for c in contradictions(store):
        story = claim_story.get(c.claim_a) or claim_story.get(c.claim_b)
        if story:
            out.setdefault(story, []).append(c)
    return out


def stories(store: Store, limit: int = 50, with_contradictions: bool = False
            ) -> list[StoryListing]:
    """Stories, largest first; with their contradictions when asked (one pass over claims)."""
    found = [StoryListing(**row) for row in store.stories(limit)]
    if with_contradictions:
        by_story = contradictions_by_story(store)
        for s in found:
            s.contradictions = by_story.get(s.story, [])
    return found


# -- outlets ------------------------------------------------------------------------------------

_outlets_cache: dict[str, tuple[tuple[int, int], OutletsView]] = {}
_outlets_lock = threading.Lock()


def outlets(store: Store) -> OutletsView:
    """Outlet profiles over the whole store, kept until documents are added or linked."""
    version = store.version()
    with _outlets_lock:
        cached = _outlets_cache.get(store.url)
    if cached is not None and cached[0] == version:
        return cached[1]
    view = OutletsView(outlet_profiles([DocStats(**row) for row in store.outlet_stats()]))
    with _outlets_lock:
        _outlets_cache[store.url] = (version, view)
    return view


# -- the report ---------------------------------------------------------------------------------

def overview(store: Store, top_stories: int = 12, max_events: int = 5000) -> Overview:
    """Counts, the largest stories with their outlets and contradictions, events, outlet
    profiles and the most reported entities."""
    top = stories(store, top_stories, with_contradictions=True)
    outlet_names = store.story_outlets([s.story for s in top])
    for s in top:
        s.outlet_names = outlet_names.get(s.story, [])
    conflicts = contradictions(store)
    found_events = events(store, EventFilter(), max_events).rows
    stats = store.stats()
    counts = [
        ("documents", store.count()),
        ("outlets", len([o for o, _n in stats.get("outlet", []) if o != "(unknown)"])),
        ("stories told by several outlets", len([s for s in store.stories(limit=10_000)
                                                 if s["outlets"] > 1])),
        ("events", len(found_events)),
        ("claims", len(store.claims_for())),
        ("contradictions", len(conflicts)),
    ]
    return Overview(
        counts=counts, stories=top, contradictions=conflicts, events=found_events,
        outlets=outlets(store),
        entities={kind: entities(store, kind, limit=12)
                  for kind in ("person", "organization", "place")})
