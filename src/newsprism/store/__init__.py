"""Storage: one SQL schema (SQLAlchemy Core), full-text search behind one interface."""

from newsprism.store.database import DocumentFilter, SearchHit, Store, database_url

__all__ = ["DocumentFilter", "SearchHit", "Store", "database_url"]
