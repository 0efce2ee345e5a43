"""Drop `schema_info`: `alembic_version` says which schema a database has now.

Its only row ('revision', '3') told the last release without migrations which schema it was
looking at; Store reads it once, to stamp such a database at the baseline before upgrading.
An older Newsprism that opens an upgraded database recreates the table, which is harmless:
nothing here reads it once `alembic_version` exists.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("schema_info")


def downgrade() -> None:
    op.create_table(
        "schema_info",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.execute("INSERT INTO schema_info (key, value) VALUES ('revision', '3')")
