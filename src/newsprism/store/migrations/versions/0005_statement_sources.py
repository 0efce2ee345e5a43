"""Statements keep their source and evidence: source type and description, evidence sentence,
character offsets of the text in the clean body (export schema version 2).

Statements stored before this revision get source_type 'person'/'unattributed' from whether
they have a speaker; re-running the documents fills in the rest.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("statements") as table:
        table.add_column(sa.Column("source_type", sa.String(16), nullable=False,
                                   server_default="unattributed"))
        table.add_column(sa.Column("source_description", sa.Text))
        table.add_column(sa.Column("evidence", sa.Text))
        table.add_column(sa.Column("start", sa.Integer))
        table.add_column(sa.Column("end", sa.Integer))
        table.create_index("ix_statements_source_type", ["source_type"])
    op.execute("UPDATE statements SET source_type = 'person' WHERE speaker IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("statements") as table:
        table.drop_index("ix_statements_source_type")
        for column in ("end", "start", "evidence", "source_description", "source_type"):
            table.drop_column(column)
