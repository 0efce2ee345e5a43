"""Events say how they are told and how precise their date is: `modality` (asserted, denied,
hypothetical, demanded, planned, threatened) and `date_precision` (day, month, year) on
`events`.

Events stored before this revision read as asserted with a day-precise date (or none), which
is what they were extracted as; re-running the documents fills in the new reading.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as table:
        table.add_column(sa.Column("modality", sa.String(16), nullable=False,
                                   server_default="asserted"))
        table.add_column(sa.Column("date_precision", sa.String(8)))


def downgrade() -> None:
    with op.batch_alter_table("events") as table:
        for column in ("date_precision", "modality"):
            table.drop_column(column)
