"""Storage: one SQL schema (SQLAlchemy Core), full-text search behind one interface."""

from newsprism.store.database import SearchHit, Store, database_url

__all__ = ["SearchHit", "Store", "database_url"]
