"""The dashboard's watch page (/watch): what is new since a time, and each watched source's
health. It renders `read.watch.watch_view`; the page itself computes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newsprism.read.watch import default_since, version_diff, watch_view
from newsprism.web.pages import _bad_request, _not_found, _page, _store

router = APIRouter(include_in_schema=False)


def _since(request: Request) -> datetime | None:
    """`since` as YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC); ValueError says what is wrong."""
    given = request.query_params.get("since", "").strip()[:40]
    if not given:
        return None
    try:
        when = datetime.fromisoformat(given)
    except ValueError:
        raise ValueError(f"'since' must be a date or time as YYYY-MM-DD or YYYY-MM-DDTHH:MM "
                         f"(got {given!r})") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@router.get("/watch", response_class=HTMLResponse)
def watch_page(request: Request) -> HTMLResponse:
    try:
        since = _since(request)
    except ValueError as exc:
        return _bad_request(request, str(exc))
    view = watch_view(_store(request), since or default_since())
    peak = max((n for s in view.sources for _d, n in s.per_day), default=0)
    return _page(request, "watch.html", nav="watch", view=view, peak=peak,
                 since_value=(since or default_since()).strftime("%Y-%m-%dT%H:%M"))


@router.get("/watch/changes/{doc_id}", response_class=HTMLResponse)
def changes_page(request: Request, doc_id: str) -> HTMLResponse:
    """What an edit changed: a version of a page against the one before, paragraph by
    paragraph."""
    try:
        diff = version_diff(_store(request), doc_id)
    except LookupError:  # no such document, several, or not a page version
        return _not_found(request, f"page version {doc_id}")
    return _page(request, "watch_changes.html", nav="watch", diff=diff)
