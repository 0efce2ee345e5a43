"""`documents.linked_at`: when the document last went through linking (NULL: not yet).

A run that was killed after storing documents but before linking them used to leave them
without story, signature or claims, and the next run (adding nothing) skipped linking. Now
every run links what is NULL here, whatever stopped the last one. Existing databases: a
document with a signature was linked by an earlier run, so it is marked linked at its ingest
time; one without is left pending.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("linked_at", sa.DateTime(timezone=True),
                                         nullable=True))
    op.create_index("ix_documents_linked_at", "documents", ["linked_at"])
    op.execute("UPDATE documents SET linked_at = ingested_at WHERE id IN "
               "(SELECT document_id FROM signatures)")


def downgrade() -> None:
    op.drop_index("ix_documents_linked_at", "documents")
    op.drop_column("documents", "linked_at")  # SQLite 3.35+ drops a column in place
