"""The FastAPI application: one store, the JSON API under /api, the dashboard at /.

`create_app` is what `newsprism serve` runs and what the tests start in a real uvicorn process.
Read-only unless a token is given; then POST /api/documents ingests, with that token only.
"""

from __future__ import annotations

from fastapi import FastAPI

from newsprism.store import Store


def create_app(db: str, token: str | None = None) -> FastAPI:
    app = FastAPI(
        title="Newsprism",
        description="A sourced, cross-checked record of conflict news: documents, entities, "
        "statements, events, stories, claims and outlet profiles.",
        version="0.1.0",
    )
    app.state.store = Store(db)
    app.state.token = token
    from newsprism.api.routes import router as api_router
    from newsprism.web.pages import router as web_router

    app.include_router(api_router, prefix="/api")
    app.include_router(web_router)
    return app
