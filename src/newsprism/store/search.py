"""Full-text search behind one small interface; SQLite's FTS5 implements it here.

The index holds title and clean text, ranked with BM25; snippets mark hits with control
characters (never markup) so that callers escape article text before highlighting it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

HIT_START, HIT_END = "\x02", "\x03"


@dataclass
class SearchHit:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str
    score: float


class SearchIndex(Protocol):
    def create(self, conn: Connection) -> None: ...
    def add(self, conn: Connection, rows: Iterable[dict]) -> None: ...
    def search(self, conn: Connection, query: str, limit: int) -> list[SearchHit]: ...


def _quoted(query: str) -> str:
    """Each word as a literal phrase: what a user means when the query is not FTS5 syntax."""
    return " ".join('"' + token.replace('"', '""') + '"' for token in query.split())


class FTS5Index:
    """SQLite FTS5 table `documents_fts` (unicode61 tokenizer, diacritics folded)."""

    def create(self, conn: Connection) -> None:
        conn.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
            "id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')"
        ))

    def add(self, conn: Connection, rows: Iterable[dict]) -> None:
        params = [{"id": r["id"], "title": r["title"] or "", "text": r["text"]} for r in rows]
        if params:
            conn.execute(
                text("INSERT INTO documents_fts (id, title, text) VALUES (:id, :title, :text)"),
                params,
            )

    def search(self, conn: Connection, query: str, limit: int) -> list[SearchHit]:
        sql = text(
            "SELECT f.id, d.title, d.outlet, d.published, "
            f"snippet(documents_fts, 2, '{HIT_START}', '{HIT_END}', '…', 16) AS snip, "
            "bm25(documents_fts, 0.0, 5.0, 1.0) AS score "
            "FROM documents_fts f JOIN documents d ON d.id = f.id "
            "WHERE documents_fts MATCH :q ORDER BY score LIMIT :limit"
        )
        if not query.strip():
            return []
        try:
            rows = conn.execute(sql, {"q": query, "limit": limit}).all()
        except OperationalError:  # not valid FTS5 syntax: search the words literally
            rows = conn.execute(sql, {"q": _quoted(query), "limit": limit}).all()
        return [SearchHit(r[0], r[1], r[2], r[3], r[4], -float(r[5])) for r in rows]
