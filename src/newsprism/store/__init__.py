"""Storage: one SQL schema (SQLAlchemy Core) on SQLite or PostgreSQL, kept current by the
migrations (store/migrations/), with full-text search behind one interface (search.py)."""

from newsprism.store.database import (
    DocumentError,
    DocumentFilter,
    SearchHit,
    Store,
    database_url,
)

__all__ = ["DocumentError", "DocumentFilter", "SearchHit", "Store", "database_url"]
