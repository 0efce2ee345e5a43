"""Baseline: the schema of the last release without migrations (schema_info revision 3).

Databases made by that release are stamped at this revision rather than running it. Written
out in full (not from the live model) so that it stays what it was when the model changes.
The full-text index differs per backend: an FTS5 table on SQLite; on PostgreSQL a generated
tsvector column (title weighted A, text weighted B, the 'simple' configuration: lower-cased
words, no stemming, like FTS5's unicode61) with a GIN index.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# to_tsvector refuses to build a vector over 1 MB: PostgreSQL indexes the first 100,000
# characters of the text (far longer than an article) and 1,000 of the title, which keeps
# even a pathological text (every word unique) well under that limit
SEARCH_VECTOR = (
    "setweight(to_tsvector('simple', left(coalesce(title, ''), 1000)), 'A') || "
    "setweight(to_tsvector('simple', left(text, 100000)), 'B')"
)


def _document_id(**kwargs: Any) -> sa.Column:
    return sa.Column("document_id", sa.String(16),
                     sa.ForeignKey("documents.id", ondelete="CASCADE"), **kwargs)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"Newsprism stores in SQLite or PostgreSQL, not {dialect}")

    op.create_table(
        "documents",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("encoding", sa.String(40)),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("outlet", sa.Text),
        sa.Column("language", sa.String(8)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("story", sa.Text),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_documents_outlet", "documents", ["outlet"])
    op.create_index("ix_documents_language", "documents", ["language"])
    op.create_index("ix_documents_published", "documents", ["published"])

    op.create_table(
        "schema_info",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.execute("INSERT INTO schema_info (key, value) VALUES ('revision', '3')")

    op.create_table(
        "claims",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("outlets", sa.Text, nullable=False),
        sa.Column("outlet_count", sa.Integer, nullable=False),
        sa.Column("claimed_by", sa.Text, nullable=False),
    )
    op.create_index("ix_claims_place", "claims", ["place"])

    op.create_table(
        "contradictions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("claim_a", sa.String(16), nullable=False),
        sa.Column("claim_b", sa.String(16), nullable=False),
    )

    op.create_table(
        "raw_documents",
        sa.Column("id", sa.String(16), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("compression", sa.String(8), nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
    )

    op.create_table(
        "removed_lines",
        _document_id(primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("line", sa.Text, nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
    )
    op.create_index("ix_removed_lines_reason", "removed_lines", ["reason"])

    op.create_table(
        "entities",
        _document_id(primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("mentions", sa.Text, nullable=False),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("country", sa.String(2)),
    )
    op.create_index("ix_entities_type_name", "entities", ["type", "name"])

    op.create_table(
        "statements",
        _document_id(primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("speaker", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("cue", sa.Text),
    )
    op.create_index("ix_statements_speaker", "statements", ["speaker"])

    op.create_table(
        "events",
        _document_id(primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("actor", sa.Text),
        sa.Column("place", sa.Text),
        sa.Column("date", sa.String(10)),
        sa.Column("claimed_by", sa.Text),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
    )
    op.create_index("ix_events_place", "events", ["place"])
    op.create_index("ix_events_date", "events", ["date"])
    op.create_index("ix_events_type", "events", ["type"])

    op.create_table(
        "framing",
        _document_id(primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("term", sa.Text, nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("neutral", sa.Text),
    )
    op.create_index("ix_framing_category", "framing", ["category"])

    op.create_table(
        "signatures",
        _document_id(primary_key=True),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
    )

    op.create_table(
        "near_duplicates",
        _document_id(primary_key=True),
        sa.Column("other_id", sa.String(16), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("relation", sa.String(12)),
        sa.Column("reason", sa.Text),
        sa.Column("shared", sa.Text),
        sa.Column("changed", sa.Text),
    )
    op.create_index("ix_near_duplicates_other", "near_duplicates", ["other_id"])

    op.create_table(
        "claim_members",
        sa.Column("claim_id", sa.String(16), sa.ForeignKey("claims.id", ondelete="CASCADE"),
                  primary_key=True),
        _document_id(primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    )

    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(f"ALTER TABLE documents ADD COLUMN search_vector tsvector "
                   f"GENERATED ALWAYS AS ({SEARCH_VECTOR}) STORED")
        op.execute("CREATE INDEX ix_documents_search ON documents USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE documents_fts")
    for name in ("claim_members", "near_duplicates", "signatures", "framing", "events",
                 "statements", "entities", "removed_lines", "raw_documents", "contradictions",
                 "claims", "schema_info", "documents"):
        op.drop_table(name)
