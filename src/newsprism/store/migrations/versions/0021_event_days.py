"""The day each event at a place is grouped by, and claims by opening date.

A linking batch re-grouped the claims at every place it names from every event stored there,
over all time: a capital's events grow with the archive. Claims are grouped greedily in date
order per (type, place), and a claim opened on a day (a full date) starts afresh (no earlier
claim reaches it), so a batch now re-groups a key from the last claim opened before its own
days (`claims` by type, place and date) and reads only the events of those days:
`event_days` holds each event's place, type and day (its own date, else its document's
publication day), indexed by (place, type, day). Filled from the tables here.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_days",
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("day", sa.String(10)),
    )
    op.execute("INSERT INTO event_days (document_id, position, type, place, day) "
               "SELECT e.document_id, e.position, e.type, e.place, "
               "coalesce(e.date, d.published) FROM events e "
               "JOIN documents d ON d.id = e.document_id WHERE e.place IS NOT NULL")
    op.create_index("ix_event_days_place_type_day", "event_days", ["place", "type", "day"])
    op.drop_index("ix_claims_type_place", "claims")
    op.create_index("ix_claims_type_place_date", "claims", ["type", "place", "date"])


def downgrade() -> None:
    op.drop_index("ix_claims_type_place_date", "claims")
    op.create_index("ix_claims_type_place", "claims", ["type", "place"])
    op.drop_index("ix_event_days_place_type_day", "event_days")
    op.drop_table("event_days")
