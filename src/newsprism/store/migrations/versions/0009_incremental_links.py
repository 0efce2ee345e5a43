"""Incremental linking and bounded story views (issue 14).

- `signatures.sentences`: each document's sentences as offsets and hashes, so a document is
  split once, not once per pair;
- `near_duplicates.shared` / `changed` hold offsets into the texts from now on (rows written
  before keep their quoted text; the reader takes both);
- `story_features`: the features story clustering compares, with an index by feature (the
  postings a new document's candidates come from);
- `stories`: each story's summary (size, outlets, first and last date, title), kept by the
  link stage;
- indexes to find claims by type and place and contradictions by place and claim.

Existing databases: their documents are marked not linked, so the next run links them all
once (filling `story_features` and `stories`); after that, each run links its new documents.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("signatures", sa.Column("sentences", sa.LargeBinary, nullable=True))
    op.create_table(
        "story_features",
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("feature", sa.Text, primary_key=True),
        sa.Column("weight", sa.Float, nullable=False),
    )
    op.create_index("ix_story_features_feature", "story_features", ["feature"])
    op.create_table(
        "stories",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("outlets", sa.Integer, nullable=False),
        sa.Column("first", sa.String(10)),
        sa.Column("last", sa.String(10)),
        sa.Column("title", sa.Text),
    )
    op.create_index("ix_stories_documents", "stories", [sa.text("documents DESC"), "id"])
    op.create_index("ix_contradictions_place", "contradictions", ["place"])
    op.create_index("ix_contradictions_claim_a", "contradictions", ["claim_a"])
    op.create_index("ix_contradictions_claim_b", "contradictions", ["claim_b"])
    op.create_index("ix_claims_type_place", "claims", ["type", "place"])
    op.execute("UPDATE documents SET linked_at = NULL")


def downgrade() -> None:
    for name, table in (("ix_claims_type_place", "claims"),
                        ("ix_contradictions_claim_b", "contradictions"),
                        ("ix_contradictions_claim_a", "contradictions"),
                        ("ix_contradictions_place", "contradictions")):
        op.drop_index(name, table)
    op.drop_table("stories")
    op.drop_table("story_features")
    op.drop_column("signatures", "sentences")
