"""Events keep their second actor (issue 11): `actor2` on `events`, the party acted on (the
target of a strike, the side that suffered losses, the sanctioned state, the other side of a
meeting), ACLED's actor2.

Events stored before this revision read with no second actor, which is what they were
extracted with; re-running the documents fills it in.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as table:
        table.add_column(sa.Column("actor2", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("events") as table:
        table.drop_column("actor2")
