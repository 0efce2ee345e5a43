"""The FastAPI application: one store, the JSON API under /api, the dashboard at /.

`create_app` is what `newsprism serve` runs and what the tests start in a real uvicorn process.
Read-only unless a token is given; then POST /api/documents ingests, with that token only.
With `token_for_reads` (what `serve` sets on a non-loopback address) every request needs the
token: `Authorization: Bearer <token>`, or once `?token=<token>` in a browser, which sets a
cookie (HttpOnly, SameSite=Strict) and redirects to the same page without it.
The store is a SQLite file or a PostgreSQL URL; it may be one that cannot be written, as long
as its schema is current (`newsprism db upgrade` first).
"""

from __future__ import annotations

import gc
import hmac
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from newsprism.api.docs import add_docs
from newsprism.api.kept import KeptAnswers
from newsprism.read import open_store

COOKIE = "newsprism_token"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Before the first request: the name look-ups are loaded (a place query would
    otherwise pay for them), and everything alive then (the gazetteer and lexicons, about
    360,000 objects) is moved out of the garbage collector's sight (`gc.freeze`): a full
    collection scanned them all, 140 ms during which no request of the process moved, every
    few seconds under load. On shutdown the store's connections close (a PostgreSQL server
    sees them end). The views the process keeps are moved out of its sight too, every few
    computed (read/views.py: keep_views_out_of_sight)."""
    from newsprism.read import warm_up
    from newsprism.read.views import keep_views_out_of_sight

    warm_up()
    gc.collect()
    gc.freeze()
    keep_views_out_of_sight()
    yield
    app.state.store.close()


def _same(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def _token_gate(token: str) -> Callable[[Request, Callable[[Request], Awaitable[Response]]],
                                         Awaitable[Response]]:
    async def gate(request: Request, call_next: Callable[[Request], Awaitable[Response]]
                   ) -> Response:
        given = request.query_params.get("token")
        if _same(token, given):
            query = "&".join(f"{k}={v}" for k, v in request.query_params.multi_items()
                             if k != "token")
            target = request.url.path + (f"?{query}" if query else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
            return response
        header = request.headers.get("authorization", "")
        bearer = header[7:] if header.lower().startswith("bearer ") else None
        if _same(token, bearer) or _same(token, request.cookies.get(COOKIE)):
            return await call_next(request)
        return JSONResponse({"detail": "this server needs its token: Authorization: Bearer "
                                       "<token>, or open a page once with ?token=<token>"},
                            status_code=401, headers={"WWW-Authenticate": "Bearer"})
    return gate


def create_app(db: str, token: str | None = None, token_for_reads: bool = False) -> FastAPI:
    if token_for_reads and not token:
        raise ValueError("token_for_reads needs a token")
    app = FastAPI(
        title="Newsprism",
        description="A sourced, cross-checked record of conflict news: documents, entities, "
        "statements, events, stories, claims and outlet profiles.",
        version="0.1.0",
        lifespan=_lifespan,
        docs_url=None,  # ours, from vendored files with a CSP (api/docs.py)
        redoc_url=None,  # would load from a CDN
    )
    app.state.store = open_store(db)
    app.state.token = token
    from newsprism.api.analyst import router as analyst_api_router
    from newsprism.api.routes import router as api_router
    from newsprism.web.analyst import router as analyst_router
    from newsprism.web.pages import router as web_router
    from newsprism.web.watch import router as watch_router

    add_docs(app)
    app.include_router(api_router, prefix="/api")
    app.include_router(analyst_api_router, prefix="/api")
    app.include_router(web_router)
    app.include_router(analyst_router)
    app.include_router(watch_router)
    app.add_middleware(KeptAnswers, store=app.state.store)  # inside the token gate
    if token_for_reads:
        app.middleware("http")(_token_gate(token))  # type: ignore[arg-type]
    return app


def app_from_environment() -> FastAPI:
    """The app of each worker process of `newsprism serve --workers N` (uvicorn imports
    workers' apps by name): the database, token and access rule `serve` put in the
    environment."""
    return create_app(os.environ["NEWSPRISM_SERVE_DB"], os.environ.get("NEWSPRISM_TOKEN") or None,
                      token_for_reads=bool(os.environ.get("NEWSPRISM_SERVE_TOKEN_FOR_READS")))
