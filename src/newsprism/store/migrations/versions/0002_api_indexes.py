"""Indexes for the API's list pages, which `Store.ensure_api_indexes` used to add on the fly.

Newest first with undated documents last (SQLite sorts NULL last in DESC; PostgreSQL has to
be told), one story's documents, a document's claims. PostgreSQL also gets (ingested_at, id):
its search pages rank the most recently added matches, which SQLite reads off the FTS5 rowid.
Databases where the old on-the-fly indexes exist keep them (IF NOT EXISTS).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    published = "published DESC NULLS LAST" if postgresql else "published DESC"
    op.create_index("ix_documents_published_desc_id", "documents",
                    [sa.text(published), "id"], if_not_exists=True)
    op.create_index("ix_documents_story", "documents", ["story"], if_not_exists=True)
    op.create_index("ix_claim_members_document", "claim_members", ["document_id"],
                    if_not_exists=True)
    if postgresql:
        op.create_index("ix_documents_ingested_at_id", "documents", ["ingested_at", "id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_documents_ingested_at_id", "documents")
    op.drop_index("ix_claim_members_document", "claim_members")
    op.drop_index("ix_documents_story", "documents")
    op.drop_index("ix_documents_published_desc_id", "documents")
