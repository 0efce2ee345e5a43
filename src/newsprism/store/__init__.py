"""Storage: one SQL schema (SQLAlchemy Core) on SQLite or PostgreSQL, kept current by the
migrations (store/migrations/), with full-text search behind one interface (search.py) and
the filters of every kind of record in one place (filters.py)."""

from newsprism.store.database import (
    DocumentError,
    SearchHit,
    Store,
    database_url,
)
from newsprism.store.filters import DocumentFilter, EventFilter, Spellings, StatementFilter

__all__ = ["DocumentError", "DocumentFilter", "EventFilter", "SearchHit", "Spellings",
           "StatementFilter", "Store", "database_url"]
