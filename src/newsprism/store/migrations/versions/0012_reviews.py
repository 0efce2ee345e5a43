"""Analysts' reviews (issue 15): `reviews` holds a verdict (right or wrong) and a note on one
statement, event or near-duplicate pair, apart from the machine output, so that neither a re-run
nor a re-link overwrites it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("item", sa.String(32), primary_key=True),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("text", sa.Text),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reviews")
