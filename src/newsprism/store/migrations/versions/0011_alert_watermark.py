"""A watermark per alert (issue 16): `alerts.checked_at`, when its matches were last looked
for, so that each check (by `alert check`, `watch --once` or a running watcher, in any
process, after any restart) reads only the documents stored since, not every document since
the alert was created. Existing alerts start with none: their next check reads everything
since their creation once, as before.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("alerts", sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("checked_at")
