"""The tables. Raw bytes are kept next to the clean record so nothing is ever lost.

Documents are keyed by their content-addressed id, so inserting the same input twice is a no-op.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA_REVISION = "2"

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("kind", String(8), nullable=False),
    Column("encoding", String(40)),
    Column("title", Text),
    Column("published", String(10), index=True),
    Column("outlet", Text, index=True),
    Column("language", String(8), index=True),
    Column("text", Text, nullable=False),
    Column("story", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

raw_documents = Table(
    "raw_documents",
    metadata,
    Column("id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("compression", String(8), nullable=False),
    Column("raw", LargeBinary, nullable=False),
)

removed_lines = Table(
    "removed_lines",
    metadata,
    Column(
        "document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("position", Integer, primary_key=True),
    Column("line", Text, nullable=False),
    Column("reason", String(40), nullable=False, index=True),
)



def _child(name: str, *columns: Column) -> Table:
    """A per-document list (entities, statements, events), ordered by `position`."""
    return Table(
        name,
        metadata,
        Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"),
               primary_key=True),
        Column("position", Integer, primary_key=True),
        *columns,
    )


entities = _child(
    "entities",
    Column("type", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("mentions", Text, nullable=False),  # JSON list of surface forms
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(2)),
)
Index("ix_entities_type_name", entities.c.type, entities.c.name)

statements = _child(
    "statements",
    Column("speaker", Text, index=True),
    Column("text", Text, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("cue", Text),
)

events = _child(
    "events",
    Column("type", String(32), nullable=False, index=True),
    Column("actor", Text),
    Column("place", Text, index=True),
    Column("date", String(10), index=True),
    Column("claimed_by", Text),
    Column("evidence", Text, nullable=False),
    Column("lat", Float),
    Column("lon", Float),
)

schema_info = Table(
    "schema_info",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)
