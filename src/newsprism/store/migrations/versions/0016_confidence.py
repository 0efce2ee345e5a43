"""Confidence on events and near-duplicate pairs (issue 15): `events.confidence` and
`near_duplicates.confidence`, numbers in [0, 1] (docs/confidence.md).

Rows stored before are filled in here from what they hold, as the pipeline and the link stage
compute it (newsprism/confidence.py): an event from its parts, its modality and the outlet
count of its claim; a pair from its similarity and the share of the shorter text the other
repeats (a translation: its cosine and the names both carry).

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0013"
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("events") as table:
        table.add_column(sa.Column("confidence", sa.Float))
    op.create_index("ix_events_confidence", "events", ["confidence"])
    with op.batch_alter_table("near_duplicates") as table:
        table.add_column(sa.Column("confidence", sa.Float))
    _fill_events()
    _fill_pairs()


def _fill_events() -> None:
    from newsprism.confidence import event_row_confidence

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT e.document_id, e.position, e.modality, e.place, e.actor, e.date, "
        "e.date_precision, e.claimed_by, (SELECT max(c.outlet_count) FROM claim_members m "
        "JOIN claims c ON c.id = m.claim_id WHERE m.document_id = e.document_id AND "
        "m.position = e.position) AS outlets FROM events e")).mappings().all()
    update = sa.text("UPDATE events SET confidence = :c WHERE document_id = :d AND "
                     "position = :p")
    values = [{"c": event_row_confidence(dict(r), r["outlets"] or 1), "d": r["document_id"],
               "p": r["position"]} for r in rows]
    for start in range(0, len(values), BATCH):
        conn.execute(update, values[start:start + BATCH])


def _fill_pairs() -> None:
    from newsprism.confidence import covered, near_duplicate_confidence, translation_confidence

    conn = op.get_bind()
    pairs = conn.execute(sa.text(
        "SELECT n.document_id, n.other_id, n.similarity, n.reason, n.shared, "
        "length(d.text) AS length FROM near_duplicates n JOIN documents d ON "
        "d.id = n.document_id")).mappings().all()
    shares: dict[tuple[str, str], tuple[float, float]] = {}  # pair -> similarity, share
    values = []
    for r in pairs:
        shared = json.loads(r["shared"] or "[]")
        if (r["reason"] or "").startswith("translation"):
            values.append({"c": translation_confidence(r["similarity"], len(shared)),
                           "d": r["document_id"], "o": r["other_id"]})
            continue
        length = r["length"] or 0
        spans = [s for s in shared if isinstance(s, list)]
        # rows stored before offsets hold the passages themselves
        quoted = sum(len(s) for s in shared if isinstance(s, str)) / length if length else 0.0
        shares[(r["document_id"], r["other_id"])] = (
            r["similarity"], min(1.0, covered(spans, length) + quoted))
    for (doc, other), (similarity, share) in shares.items():
        best = max(share, shares.get((other, doc), (0.0, 0.0))[1])
        values.append({"c": near_duplicate_confidence(similarity, best), "d": doc, "o": other})
    update = sa.text("UPDATE near_duplicates SET confidence = :c WHERE document_id = :d AND "
                     "other_id = :o")
    for start in range(0, len(values), BATCH):
        conn.execute(update, values[start:start + BATCH])


def downgrade() -> None:
    with op.batch_alter_table("near_duplicates") as table:
        table.drop_column("confidence")
    op.drop_index("ix_events_confidence", "events")
    with op.batch_alter_table("events") as table:
        table.drop_column("confidence")
