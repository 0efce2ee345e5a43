"""Story links kept, and story weights read from the weeks around each document (issue 14).

`story_links` holds the pairs of documents found to be one story, so that a batch that
undoes a link (its news changed the weights of those weeks) can split the story. Weights
are now IDF over the news around a document's days, not over the whole archive, so every
document is linked again by the next run: stories, claims, contradictions and translations
are forgotten here, as `newsprism link --full` does.

A story's documents are read a page at a time in the order of an index by (story,
published, id), which replaces the index by story: a page of a large story no longer reads
and sorts every member (the first view of a 600-document story read all 600 texts).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_links",
        sa.Column("a", sa.String(16), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("b", sa.String(16), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  primary_key=True),
    )
    op.create_index("ix_story_links_b", "story_links", ["b"])
    op.drop_index("ix_documents_story", "documents")
    op.create_index("ix_documents_story_published", "documents", ["story", "published", "id"])
    for table in ("contradictions", "claim_members", "claims", "stories", "story_features"):
        op.execute(f"DELETE FROM {table}")
    op.execute("DELETE FROM near_duplicates WHERE reason LIKE 'translation%'")
    op.execute("UPDATE documents SET story = NULL, linked_at = NULL")


def downgrade() -> None:
    op.drop_index("ix_documents_story_published", "documents")
    op.create_index("ix_documents_story", "documents", ["story"])
    op.drop_index("ix_story_links_b", "story_links")
    op.drop_table("story_links")
