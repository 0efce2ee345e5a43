"""The dashboard's watch page (/watch): what is new since a time, and each watched source's
health; the same view as JSON (/api/watch) for scripts and other front ends. Both render
`read.watch.watch_view`; neither computes anything."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from newsprism.read.watch import WatchView, default_since, version_diff, watch_view
from newsprism.web.pages import _bad_request, _not_found, _page, _store

router = APIRouter()
MAX_LIMIT = 1000


def _parse_since(given: str) -> datetime | None:
    """`since` as YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM] (UTC if no offset); ValueError
    says what is wrong."""
    given = given.strip()[:40]
    if not given:
        return None
    try:
        when = datetime.fromisoformat(given)
    except ValueError:
        raise ValueError(f"'since' must be a date or time as YYYY-MM-DD or YYYY-MM-DDTHH:MM "
                         f"(got {given!r})") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _since(request: Request) -> datetime | None:
    return _parse_since(request.query_params.get("since", ""))


@router.get("/watch", response_class=HTMLResponse, include_in_schema=False)
def watch_page(request: Request) -> HTMLResponse:
    try:
        since = _since(request)
    except ValueError as exc:
        return _bad_request(request, str(exc))
    view = watch_view(_store(request), since or default_since())
    peak = max((n for s in view.sources for _d, n in s.per_day), default=0)
    return _page(request, "watch.html", nav="watch", view=view, peak=peak,
                 since_value=(since or default_since()).strftime("%Y-%m-%dT%H:%M"))


@router.get("/api/watch", response_model=WatchView, tags=["watch"],
            responses={422: {"description": "A `since` that is no date or time"}})
def watch_json(
    request: Request,
    since: Annotated[str, Query(max_length=40, description=(
        "Documents stored since then: YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC unless an offset "
        "is given); default: the last 24 hours"))] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many "
                                "documents, newest first (new_total counts them all)")] = 200,
) -> dict:
    """What is new since a time (documents stored, edits of pages marked with their version
    and previous id), and each watched source's health: last fetch and success, last status
    and error, items, polls, failed polls, and documents stored per day over seven days. The
    view the /watch page shows."""
    try:
        when = _parse_since(since)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    return watch_view(_store(request), when or default_since(), limit=limit).to_dict()


@router.get("/api/watch/changes/{doc_id}", tags=["watch"],
            responses={404: {"description": "No such document, or not a page version"}})
def changes_json(request: Request, doc_id: str) -> dict:
    """What an edit changed: this version of a page against the one before it, paragraph by
    paragraph (`same`, `added`, `removed`), with every version of the page."""
    try:
        return version_diff(_store(request), doc_id[:64]).to_dict()
    except LookupError:
        raise HTTPException(404, f"no page version {doc_id[:64]!r}") from None


@router.get("/watch/changes/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
def changes_page(request: Request, doc_id: str) -> HTMLResponse:
    """What an edit changed: a version of a page against the one before, paragraph by
    paragraph."""
    try:
        diff = version_diff(_store(request), doc_id)
    except LookupError:  # no such document, several, or not a page version
        return _not_found(request, f"page version {doc_id}")
    return _page(request, "watch_changes.html", nav="watch", diff=diff)
