"""The tables. Raw bytes are kept next to the clean record so nothing is ever lost.

Documents are keyed by their content-addressed id, so inserting the same input twice is a no-op.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA_REVISION = "1"

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

schema_info = Table(
    "schema_info",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)
