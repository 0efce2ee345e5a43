"""The analyst's pages: entities, statements, events, claims and contradictions, each as a
sortable listing with its `.json` and `.csv` twin (as datasette: the same URL with an
extension, the same filters and sort), a page per record, attention over time for one or two
queries, and the review action (an analyst marks an extraction right or wrong).

Every view comes from read/pages.py and read/reviews.py, computed once; this module parses the
query string and renders. Reviews write, so they need the token `newsprism serve` was started
with: typed once into the review form (a cookie keeps it, HttpOnly and SameSite=Strict) or sent
as `Authorization: Bearer`; a server without a token shows reviews but takes none.
"""

from __future__ import annotations

import csv
import hmac
import io
from datetime import date
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from newsprism import read
from newsprism.api.app import COOKIE
from newsprism.read import pages as views
from newsprism.read import reviews as rv
from newsprism.store import EventFilter, StatementFilter
from newsprism.web.charts import attention_lines, day_columns
from newsprism.web.pages import (
    BadParameter,
    _arg,
    _bad_request,
    _colours,
    _date_arg,
    _int_arg,
    _not_found,
    _outlets,
    _page,
    _store,
    _url,
)

router = APIRouter(include_in_schema=False)
FORMATS = ("json", "csv")
PAGE_SIZE = 50
MAX_FORM = 16_384  # bytes of a review form


# -- shared parsing and rendering ---------------------------------------------------------------

def _dates(request: Request) -> dict[str, str | None]:
    start, end = _date_arg(request, "date_from"), _date_arg(request, "date_to")
    for name, value in (("date_from", start), ("date_to", end)):
        try:
            if value:
                date.fromisoformat(value)
        except ValueError:
            raise BadParameter(f"'{name}' is not a date in the calendar (got {value!r})") \
                from None
    if start and end and start > end:
        raise BadParameter(f"'date_from' ({start}) is after 'date_to' ({end})")
    return {"date_from": start, "date_to": end}


def _sort(request: Request, kind: str) -> views.Sort:
    try:
        return views.Sort.parse(kind, _arg(request, "sort"))
    except views.BadSort as exc:
        raise BadParameter(str(exc)) from None


def _page_size(request: Request) -> int:
    return _int_arg(request, "page_size", PAGE_SIZE, views.MAX_PAGE_SIZE)


def _csv(listing: views.Listing, name: str) -> Response:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(listing.columns)
    writer.writerows(listing.csv_rows())
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"',
        "X-Content-Type-Options": "nosniff"})


def _json(body: Any) -> JSONResponse:
    return JSONResponse(body, headers={"X-Content-Type-Options": "nosniff"})


def _listing(request: Request, fmt: str | None, listing: views.Listing, template: str,
             path: str, params: dict[str, Any], **context: Any) -> Response:
    """The listing as HTML, or its .json / .csv twin."""
    if fmt == "json":
        return _json(listing.to_dict())
    if fmt == "csv":
        return _csv(listing, listing.kind)
    kept = {**params, "sort": listing.sort.value
            if listing.sort != views.Sort.parse(listing.kind, None) else None}

    def sort_url(key: str) -> str:
        now = listing.sort
        flip = now.key == key and not now.descending
        return _url(path, {**kept, "sort": ("-" if flip else "") + key, "page": 1})

    def page_url(n: int) -> str:
        return _url(path, {**kept, "page": n})

    twin = {k: v for k, v in {**kept, "page": listing.page}.items() if k != "page" or v != 1}
    return _page(request, template, listing=listing, params=params, sort_url=sort_url,
                 page_url=page_url, json_url=_url(path + ".json", twin),
                 csv_url=_url(path + ".csv", twin), path=path,
                 outlets=[o for o, _n in _outlets(_store(request))], **context)


def _format(fmt: str) -> str | None:
    if fmt not in FORMATS:
        raise BadParameter(f"unknown format {fmt[:20]!r}: use .json or .csv")
    return fmt


def _guard(request: Request, build) -> Response:
    try:
        return build()
    except BadParameter as exc:
        return _bad_request(request, str(exc))


def entity_href(type_: str | None, name: str | None) -> str | None:
    """Where a name's page is ('any' type: the page finds which)."""
    if not name:
        return None
    return f"/entities/{quote(type_ or 'any', safe='')}/{quote(name, safe='')}"


# -- statements -------------------------------------------------------------------------------

def _statements(request: Request, fmt: str | None) -> Response:
    params: dict[str, Any] = {"speaker": _arg(request, "speaker"),
                              "source_type": _arg(request, "source_type"),
                              "outlet": _arg(request, "outlet"), **_dates(request)}
    if params["source_type"] and params["source_type"] not in read.SOURCE_TYPES:
        raise BadParameter(f"'source_type' must be one of {', '.join(read.SOURCE_TYPES)}")
    listing = views.statement_listing(_store(request), StatementFilter(**params),
                                      _sort(request, "statements"), _int_arg(request, "page"),
                                      _page_size(request))
    return _listing(request, fmt, listing, "statements.html", "/statements", params,
                    nav="statements", source_types=read.SOURCE_TYPES)


@router.get("/statements", response_class=HTMLResponse)
def statements_page(request: Request) -> Response:
    return _guard(request, lambda: _statements(request, None))


@router.get("/statements.{fmt}")
def statements_twin(request: Request, fmt: str) -> Response:
    return _guard(request, lambda: _statements(request, _format(fmt)))


@router.get("/statements/{doc_id}/{position}", response_class=HTMLResponse)
def statement_page(request: Request, doc_id: str, position: str) -> Response:
    store = _store(request)
    found = views.statement_view(store, doc_id, int(position)) \
        if position.isdigit() and len(position) < 7 else None
    if found is None:
        return _not_found(request, f"statement {position} of document {doc_id}")
    return _page(request, "statement.html", nav="statements", s=found,
                 review_form=_review_form(request, "statement", doc_id, position,
                                          found["review"]))


# -- events -----------------------------------------------------------------------------------

def _event_params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = {"type": _arg(request, "type"), "place": _arg(request, "place"),
                              "outlet": _arg(request, "outlet"), **_dates(request)}
    if params["type"] and params["type"] not in read.known_event_types():
        raise BadParameter(f"'type' must be one of {', '.join(read.known_event_types())}")
    try:
        params["min_confidence"] = views.min_confidence(_arg(request, "min_confidence"))
    except views.BadConfidence as exc:
        raise BadParameter(str(exc)) from None
    return params


def _events(request: Request, fmt: str | None) -> Response:
    params = _event_params(request)
    listing = views.event_listing(_store(request), EventFilter(**params),
                                  _sort(request, "events"), _int_arg(request, "page"),
                                  _page_size(request))
    return _listing(request, fmt, listing, "events.html", "/events", params, nav="events",
                    event_types=_colours(request).types)


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request) -> Response:
    return _guard(request, lambda: _events(request, None))


@router.get("/events.{fmt}")
def events_twin(request: Request, fmt: str) -> Response:
    return _guard(request, lambda: _events(request, _format(fmt)))


# -- claims and contradictions ------------------------------------------------------------------

def _claim_filter(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = {"place": _arg(request, "place"), "type": _arg(request, "type"),
                              "outlet": _arg(request, "outlet"), **_dates(request)}
    return params


def _claims(request: Request, fmt: str | None) -> Response:
    params = _claim_filter(request)
    listing = views.claim_listing(_store(request), views.ClaimFilter(**params),
                                  _sort(request, "claims"), _int_arg(request, "page"),
                                  _page_size(request))
    return _listing(request, fmt, listing, "claims.html", "/claims", params, nav="claims",
                    event_types=_colours(request).types)


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request) -> Response:
    return _guard(request, lambda: _claims(request, None))


@router.get("/claims.{fmt}")
def claims_twin(request: Request, fmt: str) -> Response:
    return _guard(request, lambda: _claims(request, _format(fmt)))


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: str) -> Response:
    view = views.claim_view(_store(request), claim_id[:40])
    if view is None:
        return _not_found(request, f"claim {claim_id}")
    return _page(request, "claim.html", nav="claims", view=view, c=view.claim)


def _contradictions(request: Request, fmt: str | None) -> Response:
    params = _claim_filter(request)
    listing = views.contradiction_listing(_store(request), views.ClaimFilter(**params),
                                          _sort(request, "contradictions"),
                                          _int_arg(request, "page"), _page_size(request))
    return _listing(request, fmt, listing, "contradictions.html", "/contradictions", params,
                    nav="claims", event_types=_colours(request).types)


@router.get("/contradictions", response_class=HTMLResponse)
def contradictions_page(request: Request) -> Response:
    return _guard(request, lambda: _contradictions(request, None))


@router.get("/contradictions.{fmt}")
def contradictions_twin(request: Request, fmt: str) -> Response:
    return _guard(request, lambda: _contradictions(request, _format(fmt)))


@router.get("/contradictions/{contradiction_id}", response_class=HTMLResponse)
def contradiction_page(request: Request, contradiction_id: str) -> Response:
    view = views.contradiction_view(_store(request), int(contradiction_id)) \
        if contradiction_id.isdigit() and len(contradiction_id) < 12 else None
    if view is None:
        return _not_found(request, f"contradiction {contradiction_id}")
    return _page(request, "contradiction.html", nav="claims", view=view)


# -- entities -----------------------------------------------------------------------------------

def _entities(request: Request, fmt: str | None) -> Response:
    params: dict[str, Any] = {"type": _arg(request, "type"), "name": _arg(request, "name")}
    if params["type"] and params["type"] not in read.ENTITY_TYPES:
        raise BadParameter(f"'type' must be one of {', '.join(read.ENTITY_TYPES)}")
    listing = views.entity_listing(_store(request), params["type"], params["name"],
                                   _sort(request, "entities"), _int_arg(request, "page"),
                                   _page_size(request))
    return _listing(request, fmt, listing, "entities.html", "/entities", params,
                    nav="entities", entity_types=read.ENTITY_TYPES, entity_href=entity_href)


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request) -> Response:
    return _guard(request, lambda: _entities(request, None))


@router.get("/entities.{fmt}")
def entities_twin(request: Request, fmt: str) -> Response:
    return _guard(request, lambda: _entities(request, _format(fmt)))


def _entity(request: Request, type_: str, name: str, fmt: str | None) -> Response:
    store = _store(request)
    types = read.ENTITY_TYPES if type_ == "any" else (type_,)
    if type_ != "any" and type_ not in read.ENTITY_TYPES:
        return _not_found(request, f"entity type {type_}")
    for t in types:
        stored = views.resolve_entity(store, t, name[:200])
        if stored is not None:
            break
    else:
        return _not_found(request, f"{type_} {name}")
    if stored != name or t != type_:  # one address per entity, whatever the spelling given
        return RedirectResponse((entity_href(t, stored) or "") + ("." + fmt if fmt else ""),
                                status_code=307)
    view = views.entity_view(store, t, stored, _int_arg(request, "page"))
    if view is None:
        return _not_found(request, f"{type_} {name}")
    if fmt == "json":
        return _json(view.to_dict())
    return _page(request, "entity.html", nav="entities", e=view,
                 chart=day_columns(view.per_day), entity_href=entity_href,
                 page_url=lambda n: _url(entity_href(t, stored) or "", {"page": n}))


@router.get("/entities/{type_}/{name}", response_class=HTMLResponse)
def entity_page(request: Request, type_: str, name: str) -> Response:
    fmt = None
    if name.endswith(".json"):
        name, fmt = name[:-5], "json"
    return _guard(request, lambda: _entity(request, type_, name, fmt))


# -- attention over time ------------------------------------------------------------------------

def _attention(request: Request, fmt: str | None) -> Response:
    store = _store(request)
    queries = [q for q in (read.clean_query(_arg(request, "q")),
                           read.clean_query(_arg(request, "q2"))) if q]
    params = {"q": _arg(request, "q"), "q2": _arg(request, "q2"),
              "outlet": _arg(request, "outlet"), **_dates(request),
              "interval": _arg(request, "interval")}
    if params["interval"] not in (None, *views.INTERVALS):
        raise BadParameter(f"'interval' must be one of {', '.join(views.INTERVALS)}")
    found = [views.attention(store, q, params["outlet"], params["date_from"],
                             params["date_to"], interval=params["interval"] or "day")
             for q in queries]
    if fmt == "json":
        return _json({"queries": [a.to_dict() for a in found]})
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["query", "outlet", params["interval"] or "day", "documents"])
        for a in found:
            for outlet in a.outlets:
                for day, n in sorted(a.counts[outlet].items()):
                    writer.writerow([a.query, outlet, day, n])
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="attention.csv"'})
    return _page(request, "attention.html", nav="attention", params=params,
                 charts=attention_lines(found) if found else [],
                 outlets=[o for o, _n in _outlets(store)],
                 json_url=_url("/attention.json", params), csv_url=_url("/attention.csv",
                                                                       params))


@router.get("/attention", response_class=HTMLResponse)
def attention_page(request: Request) -> Response:
    return _guard(request, lambda: _attention(request, None))


@router.get("/attention.{fmt}")
def attention_twin(request: Request, fmt: str) -> Response:
    return _guard(request, lambda: _attention(request, _format(fmt)))


# -- reviews ------------------------------------------------------------------------------------

def _authorised(request: Request, typed: str | None = None) -> bool:
    """The request carries the server's token: typed into the form, kept in the cookie or
    sent as a bearer header."""
    expected = request.app.state.token
    if not expected:
        return False
    header = request.headers.get("authorization", "")
    given = [typed, request.cookies.get(COOKIE),
             header[7:] if header.lower().startswith("bearer ") else None]
    return any(g and hmac.compare_digest(expected.encode(), g.encode()) for g in given)


def _review_form(request: Request, kind: str, document_id: str, item: str,
                 review: rv.Review | None) -> dict[str, Any]:
    """What the review macro needs: the target, its current review, whether this server
    takes reviews and whether the form must ask for the token."""
    return {"kind": kind, "document_id": document_id, "item": item, "review": review,
            "writable": bool(request.app.state.token),
            "needs_token": not _authorised(request),
            "next": request.url.path + (f"?{request.url.query}" if request.url.query else "")}


def review_forms(request: Request, kind: str, document_id: str, items: list[str],
                 found: dict[str, rv.Review]) -> dict[str, dict[str, Any]]:
    return {i: _review_form(request, kind, document_id, i, found.get(i)) for i in items}


def document_review_forms(request: Request, view: Any) -> dict[str, dict[str, Any]]:
    """kind -> item -> review form, for a document page's statements, events and
    near-duplicates (one query for the document's reviews)."""
    doc = view.document
    found = rv.document_reviews(_store(request), doc.id)
    items = {"statement": [str(i) for i in range(len(doc.statements))],
             "event": [str(i) for i in range(len(doc.events))],
             "near_duplicate": [d["id"] for d in view.duplicates]}
    return {kind: review_forms(request, kind, doc.id, keys, found[kind])
            for kind, keys in items.items()}


def _safe_next(value: str | None) -> str:
    """A page of this site to go back to (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/reviews"
    return value[:2000]


@router.post("/reviews")
async def post_review(request: Request) -> Response:
    # a plain urlencoded form (what the review form sends), read without a multipart parser
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            return _bad_request(request, "the review form is too large")
    form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=20)

    def field(name: str) -> str:
        value = form.get(name, [""])[0]
        return value.strip()[:rv.MAX_NOTE]

    if not request.app.state.token:
        return _bad_request(request, "this server is read-only: start it with --token to "
                                     "take reviews")
    typed = field("token") or None
    if not _authorised(request, typed):
        return _page(request, "bad_request.html", status_code=403, nav="",
                     reason="the token is missing or wrong: reviews need the token the "
                            "server was started with")
    try:
        rv.add_review(_store(request), field("kind"), field("document_id"), field("item"),
                      field("verdict"), field("note"))
    except rv.BadReview as exc:
        return _bad_request(request, str(exc))
    response = RedirectResponse(_safe_next(field("next")), status_code=303)
    if typed:
        response.set_cookie(COOKIE, typed, httponly=True, samesite="strict")
    return response


@router.get("/reviews", response_class=HTMLResponse)
def reviews_page(request: Request) -> Response:
    return _page(request, "reviews.html", nav="reviews", reviews=rv.all_reviews(_store(request)),
                 json_url="/reviews.json", csv_url="/reviews.csv")


@router.get("/reviews.{fmt}")
def reviews_twin(request: Request, fmt: str) -> Response:
    if fmt not in FORMATS:
        return _bad_request(request, f"unknown format {fmt[:20]!r}: use .json or .csv")
    found = [r.to_dict() for r in rv.all_reviews(_store(request))]
    if fmt == "json":
        return _json({"reviews": found})
    buf = io.StringIO()
    columns = ["reviewed_at", "kind", "document_id", "item", "verdict", "note", "text",
               "changed"]
    writer = csv.DictWriter(buf, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(found)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="reviews.csv"'})


# -- the .json and .csv twins of the dashboard's other listings ---------------------------------

def _rows(fmt: str, name: str, columns: list[str], rows: list[dict[str, Any]]) -> Response:
    if fmt == "json":
        return _json({"kind": name, "total": len(rows), "columns": columns,
                      "rows": [{c: r.get(c) for c in columns} for r in rows]})
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["; ".join(map(str, v)) if isinstance(v, list) else
                         ("" if v is None else v) for v in (r.get(c) for c in columns)])
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})


@router.get("/stories.{fmt}")
def stories_twin(request: Request, fmt: str) -> Response:
    if fmt not in FORMATS:
        return _bad_request(request, f"unknown format {fmt[:20]!r}: use .json or .csv")
    found = read.stories(_store(request), limit=500, with_contradictions=True)
    rows = [{**s.to_dict(), "contradictions": len(s.contradictions)} for s in found]
    return _rows(fmt, "stories", ["story", "title", "documents", "outlets", "first", "last",
                                  "contradictions"], rows)


@router.get("/outlets.{fmt}")
def outlets_twin(request: Request, fmt: str) -> Response:
    if fmt not in FORMATS:
        return _bad_request(request, f"unknown format {fmt[:20]!r}: use .json or .csv")
    rows = read.outlets(_store(request)).rows
    return _rows(fmt, "outlets", list(rows[0]) if rows else ["outlet"], rows)


@router.get("/search.{fmt}")
def search_twin(request: Request, fmt: str) -> Response:
    """The search page's documents (its filters, its order), a page of up to 200."""
    from newsprism.store import DocumentFilter

    def build() -> Response:
        if fmt not in FORMATS:
            raise BadParameter(f"unknown format {fmt[:20]!r}: use .json or .csv")
        params = {name: _arg(request, name) for name in
                  ("q", "outlet", "place", "entity", "event_type")}
        params.update(_dates(request))
        found = read.document_page(_store(request), DocumentFilter(**params),
                                   _int_arg(request, "page"), _page_size(request))
        for row in found.rows:
            if row.get("snippet") is not None:
                row["snippet"] = read.hit_spans(row["snippet"])[0]
        return _rows(fmt, "documents", ["id", "published", "outlet", "title", "language",
                                        "story", "words", "snippet"], found.rows)
    return _guard(request, build)
