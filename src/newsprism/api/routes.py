"""JSON API routes, mounted at /api by `create_app`.

Read endpoints answer anyone; POST /api/documents ingests only when the server was started
with a token, and only for requests that carry it (`Authorization: Bearer <token>`). Every
error is a 4xx JSON object `{"detail": "..."}` with one readable sentence; article text is
returned as JSON strings, never as markup.
"""

from __future__ import annotations

import hmac
import io
import json
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic_core import to_json
from starlette.background import BackgroundTask

from newsprism import read
from newsprism.api import models as m
from newsprism.read import pages
from newsprism.store import DocumentFilter, EventFilter, StatementFilter, Store

ID_PATTERN = re.compile(r"^[0-9a-fA-F]{4,16}$")
DATE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CONTROL = {c for c in map(chr, range(32)) if c not in "\n\t"} | {"\x7f"}


# -- errors: one sentence in `detail`, always -------------------------------------------------

def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ())]
        where = {"query": "query parameter", "path": "path parameter",
                 "header": "header", "body": "body field"}.get(loc[0] if loc else "", "")
        name = ".".join(loc[1:]) or (loc[0] if loc else "request")
        msg = str(error.get("msg", "invalid value"))
        msg = msg[:1].lower() + msg[1:]
        given = error.get("input")
        got = f" (got {json.dumps(given)[:80]})" if isinstance(given, str | int | float) else ""
        parts.append(f"invalid {where} '{name}': {msg}{got}".replace("  ", " "))
    return "; ".join(parts) or "invalid request"


class ApiRoute(APIRoute):
    """Turns validation errors into `{"detail": "<sentence>"}` and marks every answer as
    JSON that must not be sniffed as anything else."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                response = await handler(request)
            except RequestValidationError as exc:
                response = JSONResponse({"detail": _validation_message(exc)}, status_code=422)
            except HTTPException as exc:
                response = JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code,
                                        headers=exc.headers)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            return response

        return route


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": m.Error} for code in (400, 404, 409, 422)
}
router = APIRouter(route_class=ApiRoute, responses={422: {"model": m.Error}})


# -- shared state -----------------------------------------------------------------------------

_setup_lock = threading.Lock()
_ingest_lock = threading.Lock()


def get_store(request: Request) -> Store:
    """The app's store. On first use (the health check that waits for the server to start),
    the gazetteer is loaded, so that the first place query is not the slow one."""
    state = request.app.state
    if not getattr(state, "api_ready", False):
        with _setup_lock:
            if not getattr(state, "api_ready", False):
                read.warm_up()  # load the gazetteer now, not in the first place query
                state.api_ready = True
    return state.store


StoreDep = Annotated[Store, Depends(get_store)]


def _day(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        if not DATE_PATTERN.match(value):
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name} must be a date as YYYY-MM-DD (got {value!r})") from None


split_snippet = read.hit_spans  # the name tests and benchmarks know


# -- documents --------------------------------------------------------------------------------

Str200 = Annotated[str | None, Query(max_length=200)]


@router.get("/health", response_model=m.Health, tags=["meta"])
def health(store: StoreDep) -> dict:
    """Liveness, and how many documents the database holds."""
    return {"documents": store.count()}


@router.get("/documents", response_model=m.DocumentList, responses=ERRORS, tags=["documents"])
def list_documents(
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=500, description=(
        "Full-text query over titles and clean text (FTS5 syntax, or plain words). Results "
        "come best match first among the 1,000 most recently added matches, then older "
        "ones, newest first."))] = None,
    outlet: Str200 = None,
    date_from: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    date_to: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    entity: Annotated[str | None, Query(max_length=200, description=(
        "Part of a person, organisation or place name."))] = None,
    place: Annotated[str | None, Query(max_length=200, description=(
        "A place in any spelling the gazetteer knows (Kharkov, Volchansk...)."))] = None,
    event_type: Str200 = None,
    story: Str200 = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=m.MAX_PAGE_SIZE)] = 20,
) -> dict:
    """Documents, newest first (or best match first for `q`), filtered and paged."""
    start, end = _day("date_from", date_from), _day("date_to", date_to)
    if start and end and start > end:
        raise HTTPException(422, f"date_from ({start}) is after date_to ({end})")
    f = DocumentFilter(q=q or None, outlet=outlet or None, date_from=start, date_to=end,
                       entity=entity or None, place=place or None,
                       event_type=event_type or None, story=story or None)
    result = read.document_page(store, f, page, page_size)
    for row in result.rows:
        if row.get("snippet") is not None:
            row["snippet"], row["highlights"] = read.hit_spans(row["snippet"])
    return {"total": result.total, "page": page, "page_size": page_size, "items": result.rows}


def _resolve(kind: str, value: str, resolve: Callable[[Store, str], str], store: Store) -> str:
    """A full id from an id or prefix, or the 4xx that says why not."""
    if not ID_PATTERN.match(value):
        raise HTTPException(422, f"a {kind} id is 4 to 16 hex digits (a prefix will do)")
    try:
        return resolve(store, value)
    except read.NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except read.Ambiguous as exc:
        raise HTTPException(409, str(exc)) from None


@router.get("/documents/{doc_id}", response_model=m.DocumentDetail, responses=ERRORS,
            tags=["documents"])
def get_document(
    store: StoreDep,
    doc_id: Annotated[str, Path(description="Full id or a unique prefix of 4+ hex digits")],
) -> dict:
    """One document's export record, near-duplicates told apart (which copies which, what
    they share, what the copy changed)."""
    full = _resolve("document", doc_id, read.resolve_document, store)
    try:
        return read.document_view(store, full).to_dict()
    except read.NotFound:  # removed in between
        raise HTTPException(404, f"no document with id {doc_id!r}") from None


def _token_matches(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


_bearer = HTTPBearer(auto_error=False, description="The token `newsprism serve` was given.")


def _require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    expected = request.app.state.token
    if not expected:
        raise HTTPException(403, "read-only server: start it with --token to allow ingest")
    if credentials is None:
        raise HTTPException(401, "missing bearer token (Authorization: Bearer <token>)",
                            headers={"WWW-Authenticate": "Bearer"})
    if not _token_matches(expected, credentials.credentials):
        raise HTTPException(403, "invalid token")


async def _read_body(request: Request) -> bytes:
    limit = m.MAX_BODY_BYTES
    length = request.headers.get("content-length")
    if length is not None:
        if not length.isdigit():
            raise HTTPException(400, "invalid Content-Length header")
        if int(length) > limit:
            raise HTTPException(413, f"request body larger than {limit // 2**20} MiB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"request body larger than {limit // 2**20} MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_items(body: bytes) -> list[Any]:
    if not body.strip():
        raise HTTPException(400, "empty body: send a JSON object or a list of objects")
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise HTTPException(400, "body is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise HTTPException(400, f"malformed JSON ({exc.msg} at line {exc.lineno} column "
                                 f"{exc.colno})") from None
    except RecursionError:
        raise HTTPException(400, "JSON nested too deeply") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise HTTPException(400, "empty list: send at least one document")
    if len(items) > m.MAX_POST_ITEMS:
        raise HTTPException(413, f"{len(items)} documents in one request; at most "
                                 f"{m.MAX_POST_ITEMS} are accepted")
    return items


def _ingest(request: Request, items: list[Any]) -> dict:
    """The read layer's ingest (read/operations.py), one request at a time, on an in-process
    engine kept for the server's life."""
    from newsprism.read import operations

    state = request.app.state
    with _ingest_lock:
        engine = getattr(state, "api_engine", None)
        if engine is None:
            engine = state.api_engine = operations.in_process_engine()
        return operations.ingest_items(state.store, items, engine).to_dict()


_NEW_DOCUMENT_SCHEMA = m.NewDocument.model_json_schema()


@router.post(
    "/documents", response_model=m.IngestResult, tags=["documents"],
    responses={**ERRORS, 401: {"model": m.Error}, 403: {"model": m.Error},
               413: {"model": m.Error}},
    dependencies=[Depends(_require_token)],
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"anyOf": [
            _NEW_DOCUMENT_SCHEMA,
            {"type": "array", "items": _NEW_DOCUMENT_SCHEMA, "minItems": 1,
             "maxItems": m.MAX_POST_ITEMS},
        ]}}}}},
)
async def post_documents(request: Request) -> dict:
    """Ingest one article or a list of up to 100 (body at most 5 MiB): `text` or `html`, and
    optional `url`, `title`, `published`, `outlet`. Needs the server's bearer token. Ids are
    content hashes, so posting the same item again adds nothing (it is listed in `present`);
    bad items are reported by their index and do not stop the others."""
    items = _parse_items(await _read_body(request))
    return await run_in_threadpool(_ingest, request, items)


# -- entities, statements, events -------------------------------------------------------------

Limit = Annotated[int, Query(ge=1, le=m.MAX_LIMIT)]
Page = Annotated[int, Query(ge=1, le=1_000_000)]


@router.get("/entities", response_model=m.EntityList, responses=ERRORS, tags=["record"])
def list_entities(
    store: StoreDep,
    type: Annotated[Literal["person", "organization", "place"] | None, Query()] = None,
    name: Annotated[str | None, Query(max_length=200, description="Part of the name")] = None,
    limit: Limit = 50,
) -> dict:
    """People, organisations and places, most widely reported first."""
    return {"items": read.entities(store, type, name, limit)}


DateFrom = Annotated[str | None, Query(description=(
    "YYYY-MM-DD, inclusive. Events: the event's date (a month or year overlapping counts), "
    "else its article's; statements: the article's date."))]
DateTo = Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")]
Outlet = Annotated[str | None, Query(max_length=200, description="Only this outlet")]


def _range(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    start, end = _day("date_from", date_from), _day("date_to", date_to)
    if start and end and start > end:
        raise HTTPException(422, f"date_from ({start}) is after date_to ({end})")
    return start, end


def statement_filter(
    speaker: Annotated[str | None, Query(max_length=200, description="Part of a name")] = None,
    source_type: Annotated[str | None, Query(
        pattern="^(person|body|country|described|unattributed)$",
        description="person, body, country, described or unattributed")] = None,
    outlet: Outlet = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> StatementFilter:
    """The statement filter of the query string, checked (422 saying what is wrong)."""
    start, end = _range(date_from, date_to)
    return StatementFilter(speaker or None, source_type, outlet=outlet or None,
                           date_from=start, date_to=end)


def event_filter(
    type: Annotated[str | None, Query(max_length=200, description=(
        "An event type (docs/events.md): territorial_control, advance, strike_or_damage..."))]
    = None,
    place: Annotated[str | None, Query(max_length=200, description="Any spelling")] = None,
    outlet: Outlet = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    modality: Annotated[str | None, Query(max_length=200, description=(
        "Comma-separated: asserted,planned (the claims), denied, hypothetical, demanded, "
        "threatened"))] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description=(
        "Only events whose confidence (docs/confidence.md) is at least this, 0 to 1"))] = None,
) -> EventFilter:
    """The event filter of the query string, checked (422 saying what is wrong)."""
    if type and type not in read.known_event_types():
        raise HTTPException(422, f"unknown event type {type!r}; choose from "
                                 f"{', '.join(read.known_event_types())}")
    modalities = tuple(w.strip() for w in (modality or "").split(",") if w.strip())
    for word in modalities:
        if word not in read.MODALITIES:
            raise HTTPException(422, f"unknown modality {word!r}; choose from "
                                     f"{', '.join(read.MODALITIES)}")
    start, end = _range(date_from, date_to)
    return EventFilter(type or None, place or None, outlet=outlet or None,
                       date_from=start, date_to=end, modality=modalities,
                       min_confidence=min_confidence)


StatementQuery = Annotated[StatementFilter, Depends(statement_filter)]
EventQuery = Annotated[EventFilter, Depends(event_filter)]


def _sort_doc(kind: str) -> str:
    allowed, default = pages.SORTS[kind]
    return (f"One of {', '.join(allowed)}; a leading '-' sorts descending (default "
            f"{default}). Empty values sort last either way.")


StatementSort = Annotated[str | None, Query(max_length=60, description=_sort_doc("statements"))]
EventSort = Annotated[str | None, Query(max_length=60, description=_sort_doc("events"))]


def _sorted(kind: str, given: str | None) -> pages.Sort:
    """The listing's Sort (read/pages.py, the one the pages use), or a 422 naming the
    columns."""
    try:
        return pages.Sort.parse(kind, given)
    except pages.BadSort as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/statements", response_model=m.StatementList, responses=ERRORS, tags=["record"])
def list_statements(store: StoreDep, f: StatementQuery, limit: Limit = 50, page: Page = 1,
                    sort: StatementSort = None) -> dict:
    """Who said what, newest first unless `sort` says otherwise; unnamed sources keep their
    description."""
    order = _sorted("statements", sort)
    found = pages.statement_listing(store, f, order, page, limit, most=m.MAX_LIMIT)
    return {"total": found.total, "page": page, "limit": limit, "sort": order.value,
            "items": found.rows}


@router.get("/events", response_model=m.EventList, responses=ERRORS, tags=["record"])
def list_events(store: StoreDep, f: EventQuery, limit: Limit = 50, page: Page = 1,
                sort: EventSort = None) -> dict:
    """Who did what, where and when, and who claims it; newest first unless `sort` says
    otherwise."""
    order = _sorted("events", sort)
    found = pages.event_listing(store, f, order, page, limit, most=m.MAX_LIMIT)
    return {"total": found.total, "page": page, "limit": limit, "sort": order.value,
            "items": found.rows}


@router.get("/events.geojson", response_model=m.EventCollection, responses=ERRORS,
            tags=["record"], response_class=JSONResponse)
def events_geojson(
    store: StoreDep,
    f: EventQuery,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 2_000,
) -> JSONResponse:
    """Events whose place has coordinates, as a GeoJSON FeatureCollection (RFC 7946), with
    the properties the map needs; /api/events.csv and .parquet have every export column."""
    rows = read.events(store, replace(f, located=True), limit).rows
    features = []
    for r in rows:
        lat, lon = r["lat"], r["lon"]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {k: r[k] for k in ("type", "actor", "place", "date", "claimed_by",
                                             "evidence", "document_id", "outlet")},
        })
    body = m.EventCollection.model_validate({"type": "FeatureCollection",
                                             "features": features})
    return JSONResponse(body.model_dump(mode="json"), media_type="application/geo+json")


DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8",
                  "parquet": "application/vnd.apache.parquet"}


def _download(kind: str, rows: Any, fmt: str) -> StreamingResponse:
    """The export file of `rows` (docs/exports.md), spooled to a temporary file and sent in
    chunks: memory stays bounded whatever the size."""
    from newsprism.export.tables import records, write_table

    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response when sent)
    try:
        if fmt == "parquet":
            write_table(kind, records(kind, rows), fmt, spool)
        else:
            text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
            write_table(kind, records(kind, rows), fmt, text)
            text.flush()
            text.detach()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(
        iter(lambda: spool.read(1 << 16), b""), media_type=DOWNLOAD_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{kind}.{fmt}"'},
        background=BackgroundTask(spool.close))


def _download_route(kind: str, fmt: str) -> None:
    doc = (f"Every {kind[:-1]} of the filter as {fmt.upper()}, one row each, with the export "
           "columns of docs/exports.md (as `newsprism export --kind "
           f"{kind} --format {fmt}`).")
    responses = {**ERRORS, 200: {"content": {DOWNLOAD_TYPES[fmt].split(";")[0]: {}},
                                 "description": f"{kind}.{fmt}"}}
    if kind == "events":
        def events_file(store: StoreDep, f: EventQuery) -> StreamingResponse:
            return _download(kind, read.event_rows(store, f), fmt)
        endpoint: Callable[..., StreamingResponse] = events_file
    else:
        def statements_file(store: StoreDep, f: StatementQuery) -> StreamingResponse:
            return _download(kind, read.statement_rows(store, f), fmt)
        endpoint = statements_file
    endpoint.__doc__ = doc
    router.add_api_route(f"/{kind}.{fmt}", endpoint, methods=["GET"], tags=["exports"],
                         response_class=StreamingResponse, responses=responses,
                         name=f"{kind}_{fmt}", summary=f"{kind.title()} as {fmt.upper()}")


for _kind in ("events", "statements"):
    for _fmt in DOWNLOAD_TYPES:
        _download_route(_kind, _fmt)


# -- stories, claims, outlets -----------------------------------------------------------------

@router.get("/stories", response_model=m.StoryList, responses=ERRORS, tags=["stories"])
def list_stories(store: StoreDep, limit: Limit = 50, page: Page = 1) -> dict:
    """Stories (the same events across outlets), largest first."""
    return {"items": [s.to_dict() for s in read.stories(store, limit, page=page)]}


@router.get("/stories/{story_id}", response_model=m.StoryDetail, responses=ERRORS,
            tags=["stories"])
def get_story(
    store: StoreDep,
    story_id: Annotated[str, Path(description="Full id or a unique prefix of 4+ hex digits")],
    page: Page = 1,
    page_size: Annotated[int, Query(ge=1, le=read.MAX_PAGE)] = read.STORY_PAGE,
) -> Response:
    """One page of a story: its documents (export records, oldest first), their claims, and
    where they contradict."""
    story = _resolve("story", story_id, read.resolve_story, store)
    try:
        view = read.story_view(store, story, page, page_size)
    except read.NotFound:  # unlinked in between
        raise HTTPException(404, f"no story with id {story_id!r}") from None
    # the bytes FastAPI would send, without validating twenty export records against the
    # model on every first request (a third of a cold story page's time); the model still
    # documents the answer, and tests check answers against it
    return Response(to_json(view.to_dict()), media_type="application/json")


@router.get("/claims", response_model=m.ClaimsView, responses=ERRORS, tags=["stories"])
def list_claims(
    store: StoreDep,
    contradictions_only: Annotated[bool, Query(
        description="Leave out the claims; list contradictions only.")] = False,
    place: Annotated[str | None, Query(max_length=200, description="Any spelling")] = None,
    limit: Limit = 100,
) -> dict:
    """Claims carried by several outlets (copies count once), and contradictions between
    them."""
    return read.claims(store, place or None, contradictions_only, limit).to_dict()


@router.get("/outlets", response_model=m.OutletList, tags=["stories"])
def list_outlets(store: StoreDep) -> dict:
    """Outlet profiles: unattributed claims, loaded terms and hedges per 1,000 words, copy
    rate. Computed over the whole store, and cached until documents are added or linked."""
    return {"items": read.outlets(store).rows}
