"""JSON API of the analyst's pages, mounted at /api with the other routes: one entity, one
statement, one claim, one contradiction, attention over time, and reviews (POST needs the
server's token, as ingest does). The bodies are the read layer's (read/pages.py,
read/reviews.py) `to_dict()`, the same the pages' `.json` twins send.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from newsprism import read
from newsprism.api.routes import (
    DOWNLOAD_TYPES,
    ERRORS,
    ApiRoute,
    StoreDep,
    _download,
    _range,
    _require_token,
)
from newsprism.read import pages as views
from newsprism.read import reviews as rv

router = APIRouter(route_class=ApiRoute, responses=ERRORS)

Name = Annotated[str, Path(max_length=200, description="Any spelling the gazetteer knows")]


@router.get("/entities/{type_}/{name}", tags=["record"])
def get_entity(store: StoreDep, type_: Literal["person", "organization", "place"], name: Name,
               page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> dict[str, Any]:
    """A person, organisation or place: its spellings, documents per day and per outlet, its
    statements and events (a place: the events there and the statements of articles naming
    it), 25 a page."""
    stored = views.resolve_entity(store, type_, name)
    view = views.entity_view(store, type_, stored, page) if stored else None
    if view is None:
        raise HTTPException(404, f"no {type_} named {name!r}")
    return view.to_dict()


@router.get("/statements/{doc_id}/{position}", tags=["record"])
def get_statement(store: StoreDep, doc_id: Annotated[str, Path(pattern="^[0-9a-f]{16}$")],
                  position: Annotated[int, Path(ge=0, le=100_000)]) -> dict[str, Any]:
    """One statement with its document's outlet, date, title and URL, and its review."""
    found = views.statement_view(store, doc_id, position)
    if found is None:
        raise HTTPException(404, f"no statement {position} in document {doc_id}")
    review = found.pop("review")
    return {**found, "review": review.to_dict() if review else None}


@router.get("/claims/{claim_id}", tags=["stories"])
def get_claim(store: StoreDep, claim_id: Annotated[str, Path(max_length=40)]
              ) -> dict[str, Any]:
    """One claim, every event that tells it (with its document) and what contradicts it."""
    view = views.claim_view(store, claim_id)
    if view is None:
        raise HTTPException(404, f"no claim with id {claim_id!r}")
    return view.to_dict()


@router.get("/contradictions/{contradiction_id}", tags=["stories"])
def get_contradiction(store: StoreDep,
                      contradiction_id: Annotated[int, Path(ge=1, le=10**12)]
                      ) -> dict[str, Any]:
    """One contradiction and the two claims it is between."""
    view = views.contradiction_view(store, contradiction_id)
    if view is None:
        raise HTTPException(404, f"no contradiction with id {contradiction_id}")
    return view.to_dict()


@router.get("/attention", tags=["stories"])
def get_attention(
    store: StoreDep,
    q: Annotated[list[str], Query(min_length=1, max_length=2, description=(
        "One or two full-text queries (repeat `q` to compare two)."))],
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    date_to: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    interval: Literal["day", "week"] = "day",
) -> dict[str, Any]:
    """Documents matching each query per outlet per day or week (the best 5,000 matches of
    each)."""
    start, end = _range(date_from, date_to)
    queries = [c for c in (read.clean_query(x[:500]) for x in q) if c]
    if not queries:
        raise HTTPException(422, "q must hold some words")
    return {"queries": [views.attention(store, x, outlet or None, start, end,
                                        interval=interval).to_dict() for x in queries]}


class NewReview(BaseModel):
    kind: Literal["statement", "event", "near_duplicate"]
    document_id: str = Field(pattern="^[0-9a-f]{16}$")
    item: str = Field(max_length=32, description=(
        "The statement's or event's position in its document, or the other document's id."))
    verdict: Literal["right", "wrong"]
    note: str | None = Field(None, max_length=rv.MAX_NOTE)


@router.post("/reviews", tags=["reviews"], dependencies=[Depends(_require_token)],
             status_code=201)
def post_review(request: Request, body: NewReview) -> dict[str, Any]:
    """Mark one extraction right or wrong (needs the server's bearer token). A second review
    of the same extraction replaces the first; neither a re-run nor a re-link touches it."""
    try:
        review = rv.add_review(request.app.state.store, body.kind, body.document_id, body.item,
                               body.verdict, body.note)
    except rv.BadReview as exc:
        raise HTTPException(404, str(exc)) from None
    return review.to_dict()


@router.get("/reviews", tags=["reviews"])
def list_reviews(store: StoreDep,
                 limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> dict[str, Any]:
    """The latest reviews, newest first, each with what the extraction said when reviewed
    and whether it has changed since."""
    return {"items": [r.to_dict() for r in rv.all_reviews(store, limit)]}


def _reviews_file(fmt: str):
    def reviews_file(
        store: StoreDep,
        outlet: Annotated[str | None, Query(max_length=200, description=(
            "Only reviews of this outlet's documents"))] = None,
        date_from: Annotated[str | None, Query(description=(
            "YYYY-MM-DD, inclusive: the reviewed article's date"))] = None,
        date_to: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    ) -> StreamingResponse:
        start, end = _range(date_from, date_to)
        rows = rv.review_rows(store, rv.ReviewFilter(outlet or None, start, end))
        return _download("reviews", rows, fmt)

    reviews_file.__doc__ = (
        f"Every review as {fmt.upper()}, newest first, one row each with the statement, "
        "event or near-duplicate pair it judges (docs/exports.md#reviews; as `newsprism "
        f"export --kind reviews --format {fmt}`).")
    return reviews_file


for _fmt in DOWNLOAD_TYPES:
    router.add_api_route(
        f"/reviews.{_fmt}", _reviews_file(_fmt), methods=["GET"], tags=["exports"],
        response_class=StreamingResponse, name=f"reviews_{_fmt}",
        summary=f"Reviews as {_fmt.upper()}",
        responses={**ERRORS, 200: {"content": {DOWNLOAD_TYPES[_fmt].split(";")[0]: {}},
                                   "description": f"reviews.{_fmt}"}})
