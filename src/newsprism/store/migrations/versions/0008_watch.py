"""Watching (newsprism watch): watched sources and their state, the entries of feeds already
handled, how each page was fetched, versions of a page whose text changed, saved alerts and
the matches they reported.

New tables only; nothing stored before changes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("last_fetch", _TZ),
        sa.Column("last_success", _TZ),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_status", sa.Integer),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", _TZ),
        sa.Column("items", sa.Integer, nullable=False, server_default="0"),
        sa.Column("polls", sa.Integer, nullable=False, server_default="0"),
        sa.Column("errors", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "source_items",
        sa.Column("source", sa.String(100), sa.ForeignKey("sources.name", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(16), nullable=False),
        sa.Column("seen_at", _TZ, nullable=False),
    )
    op.create_table(
        "fetched_pages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("source", sa.String(100)),
        sa.Column("fetched_at", _TZ, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("headers", sa.Text),
    )
    for column in ("document_id", "url", "source", "fetched_at"):
        op.create_index(f"ix_fetched_pages_{column}", "fetched_pages", [column])
    op.create_table(
        "document_versions",
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("previous_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="SET NULL")),
        sa.Column("text_hash", sa.String(16), nullable=False),
        sa.Column("seen_at", _TZ, nullable=False),
    )
    op.create_index("ix_document_versions_url", "document_versions", ["url"])
    op.create_index("ix_document_versions_previous_id", "document_versions", ["previous_id"])
    op.create_table(
        "alerts",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
    )
    op.create_table(
        "alert_hits",
        sa.Column("alert", sa.String(100), sa.ForeignKey("alerts.name", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE")),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("found_at", _TZ, nullable=False),
        sa.Column("delivered_at", _TZ),
    )
    op.create_index("ix_alert_hits_delivered_at", "alert_hits", ["delivered_at"])


def downgrade() -> None:
    for table in ("alert_hits", "alerts", "document_versions", "fetched_pages",
                  "source_items", "sources"):
        op.drop_table(table)
