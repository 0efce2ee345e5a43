"""Framing terms keep where they are: `start` and `end` on `framing`, the term's character
offsets in `documents.text` as the framing stage found it (`text[start:end] == term`), so the
pages mark the stored occurrences instead of searching every text again when they are shown.

Terms stored before this revision are placed once, here: the stage stores a document's terms
in reading order, each as written, so each is the next occurrence of its words (between word
boundaries) after the one before. A term not found further on keeps NULL offsets and is not
marked; re-running the document stores it afresh.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

BATCH = 500  # documents placed per round trip


def place(text: str, terms: Sequence[str]) -> list[tuple[int, int] | None]:
    """Each term's (start, end) in `text`: the next occurrence after the previous term's,
    between word boundaries; None for one not found further on (the rest still placed)."""
    out: list[tuple[int, int] | None] = []
    pos = 0
    for term in terms:
        m = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)").search(text, pos)
        if m is None:
            out.append(None)
            continue
        out.append((m.start(), m.end()))
        pos = m.end()
    return out


def _batches(conn: sa.Connection) -> Iterator[list[str]]:
    ids = [r[0] for r in conn.execute(sa.text(
        "SELECT DISTINCT document_id FROM framing ORDER BY document_id"))]
    for i in range(0, len(ids), BATCH):
        yield ids[i:i + BATCH]


def upgrade() -> None:
    with op.batch_alter_table("framing") as table:
        table.add_column(sa.Column("start", sa.Integer))
        table.add_column(sa.Column("end", sa.Integer))
    conn = op.get_bind()
    documents = sa.table("documents", sa.column("id"), sa.column("text"))
    framing = sa.table("framing", sa.column("document_id"), sa.column("position"),
                       sa.column("term"), sa.column("start"), sa.column("end"))
    update = (framing.update()
              .where(framing.c.document_id == sa.bindparam("doc"),
                     framing.c.position == sa.bindparam("pos"))
              .values(start=sa.bindparam("s"), end=sa.bindparam("e")))
    for ids in _batches(conn):
        texts = dict(conn.execute(sa.select(documents.c.id, documents.c.text)
                                  .where(documents.c.id.in_(ids))).all())
        terms: dict[str, list[tuple[int, str]]] = {}
        for doc_id, position, term in conn.execute(
                sa.select(framing.c.document_id, framing.c.position, framing.c.term)
                .where(framing.c.document_id.in_(ids))
                .order_by(framing.c.document_id, framing.c.position)):
            terms.setdefault(doc_id, []).append((position, term))
        rows = [{"doc": doc_id, "pos": position, "s": span[0], "e": span[1]}
                for doc_id, found in terms.items()
                for (position, _term), span in zip(
                    found, place(texts.get(doc_id) or "", [t for _p, t in found]), strict=True)
                if span is not None]
        if rows:
            conn.execute(update, rows)


def downgrade() -> None:
    with op.batch_alter_table("framing") as table:
        for column in ("end", "start"):
            table.drop_column(column)
