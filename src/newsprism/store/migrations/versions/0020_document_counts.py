"""Document counts kept by the store: facets and totals that do not grow with the archive.

The search page's facets (documents per outlet, per event type), the outlet menu and
`stats` were GROUP BYs over every document, event and removed line: 4.5 s for the first
unfiltered page of a 100,000-document archive after each write. `document_counts` holds
those counts, one row per (facet, value), and `Store.add` adds each batch's to them in the
same transaction (documents are never deleted or re-labelled), so the unfiltered page reads
a few hundred rows instead. The `month` and `day` facets (documents per publication month and
day) let a list page far into the archive find where it starts by summing them instead of
skipping rows.
Filled from the tables here.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# facet -> its (v, n) rows: NULL values are kept as '' (a primary key cannot be NULL)
FILL = {
    "documents": "SELECT '' AS v, count(*) AS n FROM documents",
    "outlet": "SELECT coalesce(outlet, '') AS v, count(*) AS n FROM documents "
              "GROUP BY coalesce(outlet, '')",
    "language": "SELECT coalesce(language, '') AS v, count(*) AS n FROM documents "
                "GROUP BY coalesce(language, '')",
    "day": "SELECT coalesce(published, '') AS v, count(*) AS n FROM documents "
           "GROUP BY coalesce(published, '')",
    "month": "SELECT substr(coalesce(published, ''), 1, 7) AS v, count(*) AS n FROM documents "
             "GROUP BY substr(coalesce(published, ''), 1, 7)",
    "event_type": "SELECT type AS v, count(DISTINCT document_id) AS n FROM events "
                  "GROUP BY type",
    "removed": "SELECT reason AS v, count(*) AS n FROM removed_lines GROUP BY reason",
}


def upgrade() -> None:
    op.create_table(
        "document_counts",
        sa.Column("facet", sa.String(16), primary_key=True),
        sa.Column("value", sa.Text, primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    for facet, rows in FILL.items():
        op.execute(f"INSERT INTO document_counts (facet, value, n) "
                   f"SELECT '{facet}', c.v, c.n FROM ({rows}) AS c WHERE c.n > 0")


def downgrade() -> None:
    op.drop_table("document_counts")
