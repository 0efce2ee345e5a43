"""The FastAPI application: one store, the JSON API under /api, the dashboard at /.

`create_app` is what `newsprism serve` runs and what the tests start in a real uvicorn process.
Read-only unless a token is given; then POST /api/documents ingests, with that token only.
The store is a SQLite file or a PostgreSQL URL; it may be one that cannot be written, as long
as its schema is current (`newsprism db upgrade` first).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from newsprism.store import Store


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Close the store's connections on shutdown (a PostgreSQL server sees them end)."""
    yield
    app.state.store.close()


def create_app(db: str, token: str | None = None) -> FastAPI:
    app = FastAPI(
        title="Newsprism",
        description="A sourced, cross-checked record of conflict news: documents, entities, "
        "statements, events, stories, claims and outlet profiles.",
        version="0.1.0",
        lifespan=_lifespan,
    )
    app.state.store = Store(db)
    app.state.token = token
    from newsprism.api.routes import router as api_router
    from newsprism.web.pages import router as web_router

    app.include_router(api_router, prefix="/api")
    app.include_router(web_router)
    return app
