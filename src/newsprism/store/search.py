"""Full-text search behind one small interface, implemented by each backend's own engine.

The index holds title and clean text, title hits ranking above text hits; snippets mark hits
with control characters (never markup) so that callers escape article text before
highlighting it. The index itself (an FTS5 table, or a tsvector column with a GIN index) is
made by the migrations; these classes only fill and query it. docs/schema.md lists how the
two backends' searches differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Select,
    and_,
    case,
    column,
    func,
    literal_column,
    not_,
    select,
    table,
    text,
    tuple_,
)
from sqlalchemy.exc import OperationalError

from newsprism.store.schema import documents

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
    """What the store needs from a full-text index; one implementation per backend."""

    def add(self, conn: Connection, rows: Iterable[dict]) -> None:
        """Index new document rows (in the transaction that inserts them)."""

    def search(self, conn: Connection, query: str, limit: int) -> list[SearchHit]:
        """The best `limit` matches, best first, each with a snippet; never a syntax error."""

    def page(self, conn: Connection, query: str, conds: Sequence[ColumnElement[Any]],
             cols: Sequence[ColumnElement[Any]], offset: int, page_size: int, window: int
             ) -> tuple[int, list[dict]]:
        """(total matches, one page of `cols` rows plus `snippet`) for `Store.document_page`:
        the `window` most recently added matches best first, then older ones newest first."""

    def matches(self, conn: Connection, query: str, limit: int) -> Select:
        """The ids of the `limit` most recently added matches, as a select to filter by (no
        ranking, no snippets: what facets count)."""


def _quoted(query: str) -> str:
    """Each word as a literal phrase: what a user means when the query is not FTS5 syntax."""
    return " ".join('"' + token.replace('"', '""') + '"' for token in query.split())


class FTS5Index:
    """SQLite FTS5 table `documents_fts` (unicode61 tokenizer, diacritics folded), ranked with
    BM25 (a title hit weighs five text hits). Its rowid is the order documents were added in."""

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
        query = query.replace("\x00", " ")
        if not query.strip():
            return []
        try:
            rows = conn.execute(sql, {"q": query, "limit": limit}).all()
        except OperationalError:  # not valid FTS5 syntax: search the words literally
            rows = conn.execute(sql, {"q": _quoted(query), "limit": limit}).all()
        return [SearchHit(r[0], r[1], r[2], r[3], r[4], -float(r[5])) for r in rows]

    def page(self, conn: Connection, query: str, conds: Sequence[ColumnElement[Any]],
             cols: Sequence[ColumnElement[Any]], offset: int, page_size: int, window: int
             ) -> tuple[int, list[dict]]:
        fts = table("documents_fts", column("rowid"), column("id"))
        score: ColumnElement[float] = literal_column("bm25(documents_fts, 0.0, 5.0, 1.0)")
        joined = fts.join(documents, documents.c.id == fts.c.id)
        source = joined if conds else fts  # no join at all when only the text counts

        def run(q: str) -> tuple[int, list[int]]:
            where: list[ColumnElement[Any]] = [
                text("documents_fts MATCH :q").bindparams(q=q), *conds]  # type: ignore[list-item]
            n = conn.scalar(select(func.count()).select_from(source).where(*where)) or 0
            matches = select(fts.c.rowid).select_from(source).where(*where)
            floor = conn.scalar(matches.order_by(fts.c.rowid.desc())
                                .limit(1).offset(window - 1))
            picked: list[int] = []
            if offset < window:
                newest = [fts.c.rowid >= floor] if floor is not None else []
                picked += conn.scalars(
                    matches.where(*newest).order_by(score, fts.c.rowid.desc())
                    .limit(min(page_size, window - offset)).offset(offset))
            if floor is not None and len(picked) < page_size:
                picked += conn.scalars(
                    matches.where(fts.c.rowid < floor).order_by(fts.c.rowid.desc())
                    .limit(page_size - len(picked)).offset(max(0, offset - window)))
            return n, picked

        query = query.replace("\x00", " ")
        try:
            total, picked = run(query)
        except OperationalError:  # not FTS5 syntax: the words, literally
            query = _quoted(query)
            total, picked = run(query)
        found = {r["fts_rowid"]: dict(r) for r in conn.execute(
            select(fts.c.rowid.label("fts_rowid"), *cols).select_from(joined)
            .where(fts.c.rowid.in_(picked))).mappings()}
        # one cheap lookup per row (MATCH with rowid IN would walk every match); on the
        # DB-API cursor, as twenty round trips through the SQL layer cost more than the work
        snip = (f"SELECT snippet(documents_fts, 2, '{HIT_START}', '{HIT_END}', '…', 16) "
                "FROM documents_fts WHERE documents_fts MATCH ? AND rowid = ?")
        cursor = conn.connection.cursor()
        rows = []
        try:
            for rowid in picked:
                row = found[rowid]
                del row["fts_rowid"]
                hit = cursor.execute(snip, (query, rowid)).fetchone()
                row["snippet"] = (hit[0] if hit else "") or ""
                rows.append(row)
        finally:
            cursor.close()
        return total, rows


    def matches(self, conn: Connection, query: str, limit: int) -> Select:
        fts = table("documents_fts", column("rowid"), column("id"))
        query = query.replace("\x00", " ")
        try:  # the same fallback as search and page: not FTS5 syntax, the words literally
            conn.execute(text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q "
                              "LIMIT 1"), {"q": query}).all()
        except OperationalError:
            query = _quoted(query)
        return (select(fts.c.id).where(text("documents_fts MATCH :q").bindparams(q=query))
                .order_by(fts.c.rowid.desc()).limit(limit))


# PostgreSQL: documents.search_vector is generated from the title (weight A) and the text
# (weight B) with the 'simple' configuration (lower-cased words, no stemming, no stop words);
# migration 0001 defines it (over the first 100,000 characters of the text).
TS_CONFIG = "simple"
# ts_rank_cd weights for {D, C, B, A}: a title hit counts five text hits, as BM25's on FTS5
_WEIGHTS: ColumnElement[Any] = literal_column("'{0, 0, 0.2, 1.0}'::float4[]")
_RANK_NORMALIZATION = 1  # divide by 1 + log(length): long texts do not win by length alone
_HEADLINE = (f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=16, MinWords=8, ShortWord=0, "
             "MaxFragments=1, FragmentDelimiter=\" … \"")
_VECTOR: ColumnElement[Any] = literal_column("documents.search_vector")


def _tsquery(query: str) -> ColumnElement[Any]:
    """websearch_to_tsquery accepts anything a person types (quotes, or, -word) and never
    raises a syntax error; NUL cannot be sent to PostgreSQL and is never part of a word."""
    return func.websearch_to_tsquery(literal_column(f"'{TS_CONFIG}'"),
                                     query.replace("\x00", " "))


class PostgresIndex:
    """PostgreSQL full text search: `search_vector @@ websearch_to_tsquery(...)` over a GIN
    index, ranked with ts_rank_cd, snippets by ts_headline. The generated column fills
    itself, so adding documents needs nothing here."""

    def add(self, conn: Connection, rows: Iterable[dict]) -> None:
        return None

    def _score(self, tsq: ColumnElement[Any]) -> ColumnElement[float]:
        return func.ts_rank_cd(_WEIGHTS, _VECTOR, tsq, _RANK_NORMALIZATION, type_=Float)

    @staticmethod
    def _with_snippets(stmt: Select, tsq: ColumnElement[Any]) -> Select:
        """`stmt`'s columns plus `snippet`: ts_headline's fragment, with '…' where it cuts the
        text, as FTS5's snippet() has. ts_headline does not say where it cut, so the fragment
        is looked up in the text; OFFSET 0 keeps PostgreSQL from running ts_headline (the
        costly part) once for each use of it."""
        headline = func.ts_headline(literal_column(f"'{TS_CONFIG}'"), documents.c.text, tsq,
                                    _HEADLINE)
        inner = stmt.add_columns(headline.label("_headline"),
                                 documents.c.text.label("_body")).offset(0).subquery()
        plain = func.replace(func.replace(inner.c._headline, HIT_START, ""), HIT_END, "")
        at = func.strpos(inner.c._body, plain)
        head = func.substr(inner.c._body, 1, at - 1)
        rest = func.substr(inner.c._body, at + func.length(plain))
        # '…' for words left out; a little left-out punctuation (ts_headline drops a final
        # '.') is kept instead. Bounded, whatever the database's locale calls punctuation.
        def only_punctuation(part: ColumnElement[str]) -> ColumnElement[bool]:
            return and_(func.length(part) <= 8,
                        not_(part.regexp_match("[^[:space:][:punct:]]")))

        before = case((at == 0, ""), (only_punctuation(head), func.ltrim(head)), else_="…")
        after = case((at == 0, ""), (only_punctuation(rest), func.rtrim(rest)), else_="…")
        keep = [c for c in inner.c if c.name not in ("_headline", "_body")]
        return select(*keep, (before + func.coalesce(inner.c._headline, "") + after)
                      .label("snippet"))

    def search(self, conn: Connection, query: str, limit: int) -> list[SearchHit]:
        if not query.strip():
            return []
        tsq = _tsquery(query)
        score = self._score(tsq).label("score")
        best = (select(documents.c.id, score).where(_VECTOR.op("@@")(tsq))
                .order_by(score.desc(), documents.c.id).limit(limit).subquery())
        hits = self._with_snippets(
            select(documents.c.id, documents.c.title, documents.c.outlet,
                   documents.c.published, best.c.score)
            .join(best, best.c.id == documents.c.id), tsq).subquery()
        rows = conn.execute(select(hits).order_by(hits.c.score.desc(), hits.c.id))
        return [SearchHit(r.id, r.title, r.outlet, r.published, r.snippet, float(r.score))
                for r in rows]

    def page(self, conn: Connection, query: str, conds: Sequence[ColumnElement[Any]],
             cols: Sequence[ColumnElement[Any]], offset: int, page_size: int, window: int
             ) -> tuple[int, list[dict]]:
        # "most recently added" is (ingested_at, id): one batch shares its ingest time, so
        # id breaks the tie; ix_documents_ingested_at_id serves both directions
        tsq = _tsquery(query)
        where = [_VECTOR.op("@@")(tsq), *conds]
        added = tuple_(documents.c.ingested_at, documents.c.id)
        newest_first = (documents.c.ingested_at.desc(), documents.c.id.desc())
        total = conn.scalar(select(func.count()).select_from(documents).where(*where)) or 0
        matches = select(documents.c.id).where(*where)
        floor = conn.execute(select(documents.c.ingested_at, documents.c.id).where(*where)
                             .order_by(*newest_first).limit(1).offset(window - 1)).first()
        picked: list[str] = []
        if offset < window:
            newest = [added >= tuple_(*floor)] if floor is not None else []
            picked += conn.scalars(
                matches.where(*newest).order_by(self._score(tsq).desc(), *newest_first)
                .limit(min(page_size, window - offset)).offset(offset))
        if floor is not None and len(picked) < page_size:
            picked += conn.scalars(
                matches.where(added < tuple_(*floor)).order_by(*newest_first)
                .limit(page_size - len(picked)).offset(max(0, offset - window)))
        if not picked:
            return total, []
        found = {r["id"]: dict(r) for r in conn.execute(self._with_snippets(
            select(*cols).where(documents.c.id.in_(picked)), tsq)).mappings()}
        return total, [found[doc_id] for doc_id in picked]


    def matches(self, conn: Connection, query: str, limit: int) -> Select:
        return (select(documents.c.id).where(_VECTOR.op("@@")(_tsquery(query)))
                .order_by(documents.c.ingested_at.desc(), documents.c.id.desc()).limit(limit))


def index_for(backend: str) -> SearchIndex:
    """The search index of a SQLAlchemy backend name ('sqlite', 'postgresql')."""
    if backend == "sqlite":
        return FTS5Index()
    if backend == "postgresql":
        return PostgresIndex()
    raise ValueError(f"no full-text search for database backend '{backend}'")
