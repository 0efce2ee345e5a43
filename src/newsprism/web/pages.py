"""The analyst dashboard: server-rendered pages over the app's `Store`.

Pages: / (search with filters and counts), /documents/{id}, /stories, /stories/{id},
/timeline, /map and /outlets; vendored front-end files under /static. Every page is a Jinja2
template with autoescaping on; article text reaches the browser only as escaped text (or as JSON
inside a non-executable <script type="application/json"> block, read with textContent). Each
HTML response carries a Content-Security-Policy that allows scripts and styles from /static only.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from newsprism import read
from newsprism.read import pages as read_pages
from newsprism.store import DocumentFilter, EventFilter, Store
from newsprism.web.render import (
    STATIC,
    TypeColours,
    bars,
    document_lines,
    environment,
    event_days,
    event_places,
    loaded_bars,
    snippet_segments,
    timeline,
)

router = APIRouter(include_in_schema=False)
router.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

PAGE_SIZE = 20
MAX_PAGE = 1_000_000  # as the API's `page`: far past any store, small enough for SQL
MAX_EVENTS = 5000
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
OSM_TILES = "https://tile.openstreetmap.org"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _store(request: Request) -> Store:
    return request.app.state.store


def _colours(request: Request) -> TypeColours:
    """The store's event types and their colours (cached by the read layer)."""
    return TypeColours(read.event_types(_store(request)))


def _page(request: Request, template: str, status_code: int = 200, csp: str = CSP,
          **context: Any) -> HTMLResponse:
    if "type_colour" not in context:
        context["type_colour"] = _colours(request)
    html = environment().get_template(template).render(request_path=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code, headers={
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    })


def _not_found(request: Request, what: str) -> HTMLResponse:
    return _page(request, "not_found.html", status_code=404, what=what, nav="")


def _arg(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value[:200] or None


class BadParameter(ValueError):
    """A query parameter out of its range or of the wrong kind: a 400 page saying which."""


def _int_arg(request: Request, name: str, default: int = 1, high: int = MAX_PAGE) -> int:
    given = request.query_params.get(name, "").strip()
    if not given:
        return default
    if not given.isascii() or not given.isdigit() or len(given) > len(str(high)) \
            or not 1 <= int(given) <= high:
        raise BadParameter(f"'{name}' must be a whole number from 1 to {high:,} "
                           f"(got {given[:40]!r})")
    return int(given)


def _date_arg(request: Request, name: str) -> str | None:
    value = _arg(request, name)
    if value and not _DATE.fullmatch(value):
        raise BadParameter(f"'{name}' must be a date as YYYY-MM-DD (got {value[:40]!r})")
    return value


def _bad_request(request: Request, reason: str) -> HTMLResponse:
    return _page(request, "bad_request.html", status_code=400, reason=reason, nav="")


def _url(path: str, params: dict) -> str:
    kept = {k: v for k, v in params.items()
            if v not in (None, "") and not (k == "page" and v == 1)}
    return path + ("?" + urlencode(kept) if kept else "")


def _outlets(store: Store) -> list[tuple[str, int]]:
    return read.outlet_sizes(store)


# -- search ------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def search_page(request: Request) -> HTMLResponse:
    store = _store(request)
    params = {name: _arg(request, name) for name in
              ("q", "outlet", "place", "entity", "event_type")}
    try:
        params.update({key: _date_arg(request, key) for key in ("date_from", "date_to")})
        page = _int_arg(request, "page")
    except BadParameter as exc:
        return _bad_request(request, str(exc))
    found = read.document_page(store, DocumentFilter(**params), page, PAGE_SIZE, facets=True)
    total, rows, pages = found.total, found.rows, found.pages
    for row in rows:
        row["segments"] = snippet_segments(row.get("snippet"))
    outlets = _outlets(store)
    colours = _colours(request)
    types = colours.types

    def facet_url(key: str, value: str) -> str:
        return _url("/", {**params, key: value})

    # in the order of the menus: outlets by size, event types by name
    by_outlet, by_type = dict(found.outlet_counts), dict(found.type_counts)
    outlet_counts = [(o, by_outlet.get(o, 0)) for o, _n in outlets]
    type_counts = [(t, by_type.get(t, 0)) for t in types]
    type_bars = bars([(t, n) for t, n in type_counts if n],
                     href=lambda t: facet_url("event_type", t), colour=colours)
    for bar in type_bars:
        bar.label = bar.label.replace("_", " ")
    return _page(
        request, "search.html", nav="search", params=params, total=total, rows=rows,
        page=page, pages=pages, outlets=[o for o, _n in outlets], event_types=types,
        prev_url=_url("/", {**params, "page": page - 1}) if page > 1 else None,
        next_url=_url("/", {**params, "page": page + 1}) if page < pages else None,
        outlet_bars=bars([(o, n) for o, n in outlet_counts if n],
                         href=lambda o: facet_url("outlet", o)),
        type_bars=type_bars,
        filtered=any(params.values()),
        facets_among=found.facets_among,
        type_colour=colours,
    )


# -- one document --------------------------------------------------------------------------------
@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    store = _store(request)
    try:
        view = read.document_view(store, doc_id)
    except read.Ambiguous as exc:
        candidates = [store.get(i) for i in exc.matches]
        return _page(request, "ambiguous.html", nav="", prefix=doc_id,
                     candidates=[c for c in candidates if c])
    except read.NotFound:
        return _not_found(request, f"document {doc_id}")
    doc = view.document
    lines = document_lines(doc)
    kinds = sorted({seg.kind for line in lines for seg in line if seg.kind})
    from newsprism.web.analyst import document_review_forms

    return _page(request, "document.html", nav="search", doc=doc, lines=lines,
                 duplicates=view.duplicates, kinds=kinds, copy_of=view.copy_of,
                 copied_by=view.copied_by, reviews=document_review_forms(request, view))


# -- stories -------------------------------------------------------------------------------------
@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request) -> HTMLResponse:
    stories = read.stories(_store(request), limit=500, with_contradictions=True)
    return _page(request, "stories.html", nav="stories", stories=stories)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    try:
        view = read.story_view(_store(request), story_id, _int_arg(request, "page"))
    except LookupError:  # none, or several stories start so: a prefix must be unique
        return _not_found(request, f"story {story_id}")
    return _page(request, "story.html", nav="stories", story_id=view.story,
                 docs=view.documents, title=view.title, rows=view.rows,
                 contradictions=view.contradictions, copies=view.copies,
                 outlets=view.outlets, view=view,
                 copy_confidence=read_pages.copy_confidences(_store(request), view.copies))


# -- timeline and map ----------------------------------------------------------------------------
def _event_filter(request: Request) -> tuple[str | None, str | None]:
    """The type (any name: one the store does not hold finds nothing) and the place."""
    return _arg(request, "type"), _arg(request, "place")


def _range_filter(request: Request) -> dict[str, Any]:
    """The outlet and date range of the timeline and the map (as the listings take them)."""
    from newsprism.web.analyst import _dates

    return {"outlet": _arg(request, "outlet"), **_dates(request)}


def _twins(path: str, params: dict) -> dict[str, Any]:
    """The same events as data: the event listing's .json and .csv twins, same filters."""
    return {"json_url": _url(path + ".json", params), "csv_url": _url(path + ".csv", params)}


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request) -> HTMLResponse:
    store = _store(request)
    colours = _colours(request)
    event_type, place = _event_filter(request)
    try:
        ranged = _range_filter(request)
    except BadParameter as exc:
        return _bad_request(request, str(exc))
    events = read.events(store, EventFilter(event_type, place, **ranged), MAX_EVENTS).rows
    params = {"type": event_type, "place": place, **ranged}
    return _page(request, "timeline.html", nav="timeline",
                 chart=timeline(events, width=1200, colours=colours),
                 events=events[:300], shown=min(len(events), 300), total=len(events),
                 event_types=colours.types, selected_type=event_type, place=place or "",
                 type_colour=colours, params=params,
                 outlets=[o for o, _n in _outlets(store)], **_twins("/events", params))


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    store = _store(request)
    colours = _colours(request)
    event_type, place = _event_filter(request)
    try:
        ranged = _range_filter(request)
    except BadParameter as exc:
        return _bad_request(request, str(exc))
    events = read.events(store, EventFilter(event_type, place, **ranged), MAX_EVENTS).rows
    places = event_places(events, colours=colours)
    for p, days in zip(places, event_days(events), strict=True):  # the time slider's data
        p["days"] = days
    known = [p for p in read.entities(store, "place", limit=500)
             if p["lat"] is not None and p["lon"] is not None]
    tiles = request.query_params.get("tiles") == "osm"
    csp = CSP.replace("img-src 'self' data:", f"img-src 'self' data: {OSM_TILES}") if tiles \
        else CSP
    precision = {p["name"]: p.get("precision") for p in known}
    for p in places:  # a country or region is drawn as an area, not as a point
        p["precision"] = precision.get(p["place"]) or "settlement"
    data = {
        "places": places,
        "known_places": [{"name": p["name"], "lat": p["lat"], "lon": p["lon"],
                          "documents": p["documents"],
                          "precision": p.get("precision") or "settlement"} for p in known],
        "colours": colours.mapping(),
        "tiles": tiles,
        "basemap": "/static/basemap/countries-110m.geojson",
    }
    located = sum(p["count"] for p in places)
    params = {"type": event_type, "place": place, **ranged}
    return _page(request, "map.html", csp=csp, nav="map", data=data, located=located,
                 total=len(events), event_types=colours.types, selected_type=event_type,
                 place=place or "", tiles=tiles, type_colour=colours, params=params,
                 outlets=[o for o, _n in _outlets(store)],
                 geojson_url=_url("/api/events.geojson", params), **_twins("/events", params))


# -- outlets -------------------------------------------------------------------------------------
@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request) -> HTMLResponse:
    view = read.outlets(_store(request))
    return _page(request, "outlets.html", nav="outlets", rows=view.rows,
                 loaded=loaded_bars(view.loaded_terms()), hedges=bars(view.ranked("hedge")),
                 filler=bars(view.ranked("filler", "clickbait")))
