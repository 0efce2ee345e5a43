"""Story feature postings read by day (issue 14).

`story_features.published` holds its document's publication day (NULL when the document has
no full date), and the index by feature becomes one by (feature, published): a new
document's candidates are read as a range of days of each of its rare features, not as the
whole posting list filtered by date (which grew with the archive). Filled from `documents`.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("story_features", sa.Column("published", sa.String(10), nullable=True))
    op.execute("UPDATE story_features SET published = (SELECT d.published FROM documents d "
               "WHERE d.id = story_features.document_id AND length(d.published) = 10)")
    op.drop_index("ix_story_features_feature", "story_features")
    op.create_index("ix_story_features_feature_published", "story_features",
                    ["feature", "published"])


def downgrade() -> None:
    op.drop_index("ix_story_features_feature_published", "story_features")
    op.create_index("ix_story_features_feature", "story_features", ["feature"])
    with op.batch_alter_table("story_features") as batch:
        batch.drop_column("published")
