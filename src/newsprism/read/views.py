"""Every view of the record, computed once for the CLI, the API, the web pages and the report.

The front ends parse their input, call one of these and render what it returns; none of them
reads the store by itself. Ids may be given as prefixes (resolved here, once, by an index
lookup) and places in any spelling (the link stage's name look-up, given to the store by
`open_store`).
"""

from __future__ import annotations

import copy
import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cache, wraps
from pathlib import Path
from typing import Any

from sqlalchemy import make_url

from newsprism.link.names import canonical_names
from newsprism.link.profiles import DocStats, outlet_profiles
from newsprism.model import Document
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
    StorySummary,
    StoryView,
)
from newsprism.resources import data_lines
from newsprism.store import (
    DocumentFilter,
    EventFilter,
    SearchHit,
    StatementFilter,
    Store,
    database_url,
)
from newsprism.store.database import FACET_ROWS
from newsprism.store.search import HIT_END, HIT_START

ENTITY_TYPES = ("person", "organization", "place")
CACHED_VIEWS = 512  # views kept (each bounded by its page: a few tens of KiB at most)
SOURCE_TYPES = ("person", "body", "country", "described", "unattributed")
# what an event's sentence does with it (docs/events.md); the first two are claims
MODALITIES = ("asserted", "planned", "denied", "hypothetical", "demanded", "threatened")

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


class NoDatabase(FileNotFoundError):
    """A SQLite file to read from that does not exist (opening would create an empty one)."""

    def __init__(self, path: Path):
        super().__init__(f"no database at {path}")
        self.path = path


def missing_file(db: str | Path) -> Path | None:
    """The SQLite file `db` names when it does not exist; None for one that does, for an
    in-memory database and for a server URL."""
    url = make_url(database_url(db))
    name = url.database
    if url.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return None
    if name.startswith("file:"):  # sqlite:///file:PATH?mode=ro&uri=true
        if url.query.get("mode") == "memory":
            return None
        name = name[len("file:"):].split("?", 1)[0]
    path = Path(name)
    return None if path.exists() else path


def open_existing_store(db: str | Path) -> Store:
    """The store of a database that exists: reading must not leave an empty file behind."""
    missing = missing_file(db)
    if missing is not None:
        raise NoDatabase(missing)
    return open_store(db)


@cache
def known_event_types() -> tuple[str, ...]:
    """The event types the extractor knows (data/event_patterns.tsv, in its order; the
    Russian and Ukrainian triggers use the same types): what an option may name, whether or
    not the store holds one yet."""
    seen: dict[str, None] = {}
    for line in data_lines("event_patterns.tsv"):
        seen.setdefault(line.split("\t", 1)[0].strip(), None)
    return tuple(seen)


# -- views computed once until the database changes -------------------------------------------

class _Views:
    """The most recently used views of each store, each kept with the store's change stamp
    (Store.change_stamp: a few microseconds to read) and valid while it is unchanged: a
    page asked for again, by any front end, is not computed again until something is
    committed. Bounded (CACHED_VIEWS), least recently used first out."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: OrderedDict[tuple, tuple[object, Any]] = OrderedDict()
        self.freezing = False
        self.puts = 0

    def get(self, key: tuple, stamp: object) -> tuple[bool, Any]:
        with self.lock:
            found = self.kept.get(key)
            if found is None or found[0] != stamp:
                return False, None
            self.kept.move_to_end(key)
            return True, found[1]

    def put(self, key: tuple, stamp: object, value: Any) -> None:
        with self.lock:
            self.kept[key] = (stamp, value)
            self.kept.move_to_end(key)
            while len(self.kept) > CACHED_VIEWS:
                self.kept.popitem(last=False)
            self.puts += 1
            if self.freezing and self.puts % FREEZE_EVERY == 0:
                _out_of_sight(self.puts % (FREEZE_EVERY * RECOLLECT_EVERY) == 0)


# A server keeps up to CACHED_VIEWS views, a story's with twenty documents' records: every
# full collection of the garbage collector scanned them all (102 ms, with 200 story views and
# 312 list pages kept, during which the process answered nothing). In a server
# (`keep_views_out_of_sight`) every FREEZE_EVERY views computed, what is alive is moved out
# of its sight (gc.freeze), as at startup: a full collection then scans the views of the last
# few pages only. A view dropped from the cache is freed by its reference count all the same;
# garbage with cycles frozen meanwhile is collected every RECOLLECT_EVERY freezes (one full
# collection of everything then).
FREEZE_EVERY = 32
RECOLLECT_EVERY = 64


def _out_of_sight(recollect: bool) -> None:
    if recollect:
        gc.unfreeze()
        gc.collect()
    else:
        gc.collect(1)
    gc.freeze()


def keep_views_out_of_sight(on: bool = True) -> None:
    """In a long-running server: keep the views kept out of the garbage collector's sight
    (above). The CLI and the tests leave it off."""
    _views.freezing = on


_views = _Views()


def _kept_until_changed(fn: Callable) -> Callable:
    """`fn(store, ...)` computed once per arguments until the store changes. The caller gets
    its own copy of lists and rows (front ends add display fields to rows)."""

    @wraps(fn)
    def view(store: Store, *args: Any, **kwargs: Any) -> Any:
        stamp = store.change_stamp()
        if stamp is None:
            return fn(store, *args, **kwargs)
        key = (fn.__name__, store.url, repr(args), repr(sorted(kwargs.items())))
        hit, value = _views.get(key, stamp)
        if not hit:
            value = fn(store, *args, **kwargs)
            _views.put(key, stamp, value)
        return _own_copy(value)

    return view


def _own_copy(value: Any) -> Any:
    if isinstance(value, list):
        return [copy.copy(v) for v in value]
    if isinstance(value, SearchPage):
        return replace(value, rows=[dict(r) for r in value.rows])
    return value


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

@_kept_until_changed
def document_view(store: Store, prefix: str) -> DocumentView:
    doc_id = resolve_document(store, prefix)
    doc = store.get(doc_id)
    if doc is None:  # removed in between
        raise NotFound("document", prefix)
    copies = store.copies_of_documents([doc_id])
    return DocumentView(doc, store.near_duplicate_details(doc_id), copies.get(doc_id),
                        sorted(c for c, o in copies.items() if o == doc_id))


def clean_query(q: str | None) -> str | None:
    """A text query without control characters (FTS5 refuses NUL and friends; they are
    never part of a word anyway)."""
    if not q:
        return None
    return "".join(" " if ch in _CONTROL else ch for ch in q).strip() or None


@_kept_until_changed
def document_page(store: Store, f: DocumentFilter, page: int = 1, page_size: int = 20,
                  facets: bool = False) -> SearchPage:
    """Documents, newest first (best match first for a text query), filtered and paged; with
    `facets`, how many documents each outlet and event type would leave instead."""
    f = replace(f, q=clean_query(f.q))
    total, rows = store.document_page(f, page, page_size)
    result = SearchPage(total=total, rows=rows, page=page, page_size=page_size)
    if facets:
        counts = document_facets(store, f)
        result.outlet_counts, result.type_counts = counts["outlet"], counts["event_type"]
        if f != DocumentFilter() and total > FACET_ROWS:
            result.facets_among = FACET_ROWS
    return result


@_kept_until_changed
def document_facets(store: Store, f: DocumentFilter) -> dict[str, list[tuple[str, int]]]:
    """How many documents each outlet and event type would leave: the same for every page
    of a filter, so kept once for all of them (kept counts for the whole archive, else a
    GROUP BY each among the filter's FACET_ROWS newest documents)."""
    return store.document_facets(f)


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


# -- exports: every row of a filter, streamed ------------------------------------------------------

def event_rows(store: Store, f: EventFilter) -> Iterator[dict[str, Any]]:
    """Every event of the filter, in the order of `events`, streamed (for exports), with
    the analyst's review of each (read/reviews.py)."""
    from newsprism.read.reviews import with_reviews

    return with_reviews(store, "event", store.iter_events(f))


def statement_rows(store: Store, f: StatementFilter) -> Iterator[dict[str, Any]]:
    """Every statement of the filter, in the order of `statements`, streamed, with its
    review."""
    from newsprism.read.reviews import with_reviews

    return with_reviews(store, "statement", store.iter_statements(f))


def document_records(store: Store, f: DocumentFilter) -> Iterator[Document]:
    """Every document of the filter (its text query aside), oldest first, in pages."""
    return store.iter_documents(f=f)


def count(store: Store, kind: str, f: Any) -> int:
    """How many documents, events, statements or reviews the filter leaves."""
    if kind == "reviews":
        from newsprism.read.reviews import review_count

        return review_count(store, f)
    if kind == "documents":
        assert isinstance(f, DocumentFilter)
        return store.document_page(replace(f, q=None), 1, 1)[0]
    return store.count_of(kind, f)


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


_types_cache: dict[str, tuple[object, list[str]]] = {}


def event_types(store: Store) -> list[str]:
    """The event types the store holds, by name (what the dashboard's menus list and colours
    by); kept until documents are added or linked."""
    version = store.change_stamp() or store.version()
    cached = _types_cache.get(store.url)
    if cached is not None and cached[0] == version:
        return cached[1]
    types = sorted(t for t, _n in store.document_facets(DocumentFilter())["event_type"])
    _types_cache[store.url] = (version, types)
    return types


@_kept_until_changed
def outlet_sizes(store: Store) -> list[tuple[str, int]]:
    """Outlets by how many documents they have, largest first (the search page's menu):
    one GROUP BY, kept until the store changes."""
    return [(o, n) for o, n in store.stats().get("outlet", []) if o != "(unknown)"]


# -- stories, claims, contradictions ------------------------------------------------------------

STORY_PAGE = 20  # documents of a story per page
MAX_PAGE = 200  # a page of any list holds at most this many


def _claims(store: Store, document_ids: list[str] | None = None, limit: int | None = None,
            place: str | None = None) -> list[Claim]:
    places = sorted({place, *store.spellings(place, "place")}) if place else None
    return [Claim.from_row(r) for r in store.claims_for(document_ids, limit, places)]


def contradictions(store: Store, place: str | None = None, limit: int | None = None
                   ) -> list[Contradiction]:
    """Contradictions between claims, at a place in any spelling."""
    return [Contradiction.from_row(r)
            for r in store.contradictions(place or None, limit=limit)]


def claims(store: Store, place: str | None = None, contradictions_only: bool = False,
           limit: int = 100) -> ClaimsView:
    """Claims carried by several outlets, and contradictions, at a place in any spelling."""
    conflicts = contradictions(store, place, limit)
    if contradictions_only:
        return ClaimsView([], conflicts)
    return ClaimsView(_claims(store, limit=limit, place=place), conflicts)


@_kept_until_changed
def story_view(store: Store, prefix: str, page: int = 1, page_size: int = STORY_PAGE
               ) -> StoryView:
    """One page of one story (by its id or a prefix of it): its documents, oldest first, the
    claims they carry and where those contradict; the summary counts the whole story. Every
    read is bounded by the page, whatever the size of the story."""
    story = resolve_story(store, prefix)
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE)
    summary = store.story_summary(story)
    docs = store.story_documents(story, page_size, (page - 1) * page_size)
    if summary is None or (not docs and page == 1):
        raise NotFound("story", prefix)
    by_id = {d.id: d for d in docs}
    found = _claims(store, list(by_id), limit=MAX_PAGE)
    conflicts = [Contradiction.from_row(r)
                 for r in store.contradictions(claim_ids=[c.id for c in found],
                                               limit=MAX_PAGE)]
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
    return StoryView(story, docs, found, conflicts, rows, store.copies_of_documents(by_id),
                     total=summary["documents"], page=page, page_size=page_size,
                     summary=StorySummary(story=story, **{
                         k: summary[k] for k in ("documents", "outlets", "first", "last",
                                                 "title")}))


def contradictions_by_story(store: Store, story_ids: list[str]) -> dict[str, list[Contradiction]]:
    """story id -> the contradictions between claims of its documents, for these stories."""
    return {story: [Contradiction.from_row(r) for r in rows]
            for story, rows in store.contradictions_of_stories(story_ids).items()}


@_kept_until_changed
def stories(store: Store, limit: int = 50, with_contradictions: bool = False, page: int = 1
            ) -> list[StoryListing]:
    """Stories, largest first (the summaries the link stage keeps); with their
    contradictions when asked (one query for the page)."""
    limit = min(max(1, limit), 10_000)
    found = [StoryListing(**row) for row in store.stories(limit, (max(1, page) - 1) * limit)]
    if with_contradictions:
        by_story = contradictions_by_story(store, [s.story for s in found])
        for s in found:
            s.contradictions = by_story.get(s.story, [])
    return found


# -- outlets ------------------------------------------------------------------------------------

_outlets_cache: dict[str, tuple[object, OutletsView]] = {}
_outlets_lock = threading.Lock()


def outlets(store: Store) -> OutletsView:
    """Outlet profiles over the whole store, kept until documents are added or linked."""
    version = store.change_stamp() or store.version()
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
    conflicts = contradictions(store, limit=max_events)
    found_events = events(store, EventFilter(), max_events).rows
    stats = store.stats()
    counts = [
        ("documents", store.count()),
        ("outlets", len([o for o, _n in stats.get("outlet", []) if o != "(unknown)"])),
        ("stories told by several outlets", store.story_counts()[1]),
        ("events", len(found_events)),
        ("claims", store.claim_count()),
        ("contradictions", len(conflicts)),
    ]
    return Overview(
        counts=counts, stories=top, contradictions=conflicts, events=found_events,
        outlets=outlets(store),
        entities={kind: entities(store, kind, limit=12)
                  for kind in ("person", "organization", "place")})
