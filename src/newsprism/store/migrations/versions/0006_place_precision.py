"""Places say what their coordinates stand for: kind, admin1 (first-level region) and geo
precision (country, region, settlement, facility) on `entities`.

Entities stored before this revision keep null in the three columns; re-running the
documents fills them in.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entities") as table:
        table.add_column(sa.Column("kind", sa.String(16)))
        table.add_column(sa.Column("admin1", sa.Text))
        table.add_column(sa.Column("precision", sa.String(16)))


def downgrade() -> None:
    with op.batch_alter_table("entities") as table:
        for column in ("precision", "admin1", "kind"):
            table.drop_column(column)
