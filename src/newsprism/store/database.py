"""The `Store`: open a database, add batches of documents idempotently, read them back.

Each batch is one transaction: an interrupted run leaves whole batches or nothing, and since
ids are content hashes the next run simply adds what is missing. The same queries run on
SQLite (the default: a file path) and PostgreSQL (a postgresql:// URL); what differs, the
full-text search, is in search.py, and the schema comes from the migrations (migrations/).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import sqlite3
import threading
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    ColumnElement,
    Engine,
    Integer,
    Select,
    String,
    Table,
    bindparam,
    create_engine,
    event,
    func,
    make_url,
    or_,
    select,
    text,
)
from sqlalchemy.engine import URL

from newsprism.model import (
    Document,
    Entity,
    Event,
    FramingTerm,
    NearDuplicate,
    RemovedLine,
    Statement,
    content_id,
)
from newsprism.store import migrations
from newsprism.store.filters import (
    DocumentFilter,
    EventFilter,
    Spellings,
    StatementFilter,
    document_conditions,
    event_conditions,
    event_date,
    named,
    no_spellings,
    statement_conditions,
)
from newsprism.store.links import LinkIO
from newsprism.store.schema import (
    claim_members,
    claims,
    document_counts,
    document_versions,
    documents,
    entities,
    event_days,
    events,
    fetched_pages,
    framing,
    near_duplicates,
    raw_documents,
    removed_lines,
    signatures,
    statements,
)
from newsprism.store.search import SearchHit, SearchIndex, index_for

__all__ = ["DocumentError", "DocumentFilter", "EventFilter", "SearchHit", "StatementFilter",
           "Store", "database_url"]

# PostgreSQL advisory lock keys: one linking process at a time, one writing transaction at a time
_PG_LINK_LOCK = 0x6C696E6B
_PG_WRITE_LOCK = 0x77726974
_LINK_THREADS = threading.Lock()  # threads of one process (the API) link one at a time
FACET_ROWS = 1000  # a filtered page's facets count among this many of its newest documents
SEEK_FROM = 1000  # a list page this many rows in or further finds its first row by kept counts
# the reason of every near-duplicate row that link/crosslang.py found (a translation), by which
# they are replaced on each linking
TRANSLATION = "translation"

class DocumentError(ValueError):
    """A document the database would refuse (a value longer than its column allows)."""


def database_url(db: str | Path) -> str:
    """A file path means SQLite; anything with '://' is taken as a SQLAlchemy URL, and a
    PostgreSQL URL without a driver gets psycopg 3 (SQLAlchemy's default is psycopg2)."""
    db = str(db)
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    scheme, rest = db.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return db


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    with contextlib.suppress(sqlite3.OperationalError):  # read-only: keeps its journal mode
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _engine(url: URL) -> Engine:
    """SQLite with WAL and foreign keys on; PostgreSQL through psycopg 3 in UTC, so that
    ingest times read back the same whatever the server's time zone."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise ValueError("PostgreSQL needs psycopg 3: pip install 'newsprism[postgres]'"
                             ) from exc
        options = url.query.get("options", "")
        options = options if isinstance(options, str) else " ".join(options)
        if "timezone" not in options.lower():
            url = url.update_query_dict({"options": f"{options} -c timezone=UTC".strip()})
        return create_engine(url, pool_pre_ping=True)
    raise ValueError(f"unsupported database '{backend}': use a SQLite file path or a "
                     "postgresql:// URL")


class Store(LinkIO):
    """A Newsprism database: a SQLite file by default, or PostgreSQL (postgresql://...).

    Opening it brings its schema up to date (migrations.ensure_current): a single query when
    it already is, so every CLI command can afford it. `spellings` turns a typed name into
    the canonical names stored (the link stage's look-up, passed in by `read.open_store`);
    by default names match as typed."""

    def __init__(self, db: str | Path = "newsprism.db", spellings: Spellings = no_spellings):
        self.url = database_url(db)
        self.spellings = spellings  # how a typed name finds stored ones (read.open_store)
        url = make_url(self.url)
        self.backend = url.get_backend_name()
        self.engine: Engine = _engine(url)
        self.index: SearchIndex = index_for(self.backend)
        try:
            migrations.ensure_current(self.engine, self.url)
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.close_stamp()
        self.engine.dispose()

    @contextlib.contextmanager
    def _write(self) -> Iterator:
        """A transaction that may read and then write while another process writes too: on
        SQLite it takes the write lock up front (BEGIN IMMEDIATE, waiting up to the busy
        timeout), so what it read stays true; on PostgreSQL writers take turns on an advisory
        lock held until commit, so "is this id stored?" cannot change under it."""
        with self.engine.connect() as conn, conn.begin():
            if self.backend == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                             {"k": _PG_WRITE_LOCK})
            yield conn

    @contextlib.contextmanager
    def link_lock(self) -> Iterator[None]:
        """Held while linking: two runs (or a run and the API) on one database link one after
        the other. SQLite: an exclusive lock on the file DB-link.lock next to the database;
        PostgreSQL: a session advisory lock. Either goes away with the process that held it,
        even after kill -9, so a killed run never leaves the database locked."""
        with _LINK_THREADS:
            database = make_url(self.url).database
            if self.backend == "sqlite":
                if not database or database == ":memory:":
                    yield
                    return
                with open(f"{database}-link.lock", "a+b") as fh:
                    fcntl.flock(fh, fcntl.LOCK_EX)
                    try:
                        yield
                    finally:
                        fcntl.flock(fh, fcntl.LOCK_UN)
                return
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LINK_LOCK})
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LINK_LOCK})
                    conn.commit()

    def unlinked_count(self) -> int:
        """Documents stored but not yet through linking (documents.linked_at is NULL), e.g.
        because the run that stored them was stopped; every run links them."""
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(documents)
                               .where(documents.c.linked_at.is_(None))) or 0

    # -- writing -------------------------------------------------------------------------
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(set(ids))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                found.update(conn.scalars(select(documents.c.id).where(documents.c.id.in_(chunk))))
        return found

    def add(self, docs: Iterable[Document]) -> int:
        """Store a batch in one transaction; documents already present are skipped. NUL
        characters are dropped from text (see `_checked`); a value too long for its column
        raises DocumentError before anything is written."""
        batch = {d.id: d for d in docs}
        if not batch:
            return 0
        now = datetime.now(UTC)
        with self._write() as conn:
            present = set(
                conn.scalars(select(documents.c.id).where(documents.c.id.in_(list(batch))))
            )
            new = [d for d in batch.values() if d.id not in present]
            new, versions, fetches = _fetched(conn, new, now)
            if not new:
                return 0
            rows = _checked(documents, [_document_row(d, now) for d in new])
            children = [(table, _checked(table, [row for d in new for row in make_rows(d)]))
                        for table, make_rows in _CHILDREN]
            conn.execute(documents.insert(), rows)
            conn.execute(
                raw_documents.insert(),
                [{"id": d.id, "compression": "zlib", "raw": zlib.compress(d.raw, 6)} for d in new],
            )
            for table, child_rows in children:
                if child_rows:
                    conn.execute(table.insert(), child_rows)
            if versions:
                conn.execute(document_versions.insert(), versions)
                conn.execute(fetched_pages.insert(), fetches)
            self.index.add(conn, rows)
            _add_counts(conn, rows, dict(children))
        return len(new)

    # -- reading -------------------------------------------------------------------------
    def counts(self, facet: str, conn=None) -> list[tuple[str, int]]:
        """(value, documents) of one kept facet (`document_counts`), most first, ties by
        value, the empty value ('' for NULL) last among its ties."""
        stmt = (select(document_counts.c.value, document_counts.c.n)
                .where(document_counts.c.facet == facet, document_counts.c.n > 0)
                .order_by(document_counts.c.n.desc(), document_counts.c.value == "",
                          document_counts.c.value))
        if conn is not None:
            return [(v, n) for v, n in conn.execute(stmt)]
        with self.engine.connect() as conn:
            return [(v, n) for v, n in conn.execute(stmt)]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(documents)) or 0

    def resolve_id(self, id_or_prefix: str, limit: int = 10) -> list[str]:
        """Full document ids starting with the given prefix (people type a few chars)."""
        return self._by_prefix(documents.c.id, id_or_prefix, limit)

    def _by_prefix(self, column, prefix: str, limit: int) -> list[str]:
        """Distinct values of a hex-id column starting with `prefix`: a range over the column
        (ids are lower-case hex), so it stays an index lookup on large stores."""
        prefix = prefix.strip().lower()
        if not prefix or not all(c in "0123456789abcdef" for c in prefix):
            return []
        stmt = (select(column).distinct().where(column >= prefix, column < prefix + "g")
                .order_by(column).limit(limit))
        with self.engine.connect() as conn:
            return list(conn.scalars(stmt))

    def get(self, doc_id: str) -> Document | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(documents).where(documents.c.id == doc_id)).mappings().first()
            if row is None:
                return None
            return self._hydrate(conn, [row])[0]

    def raw(self, doc_id: str) -> bytes | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(raw_documents.c.compression, raw_documents.c.raw).where(
                    raw_documents.c.id == doc_id
                )
            ).first()
        if row is None:
            return None
        return zlib.decompress(row.raw) if row.compression == "zlib" else row.raw

    def iter_documents(self, batch_size: int = 500, f: DocumentFilter | None = None
                       ) -> Iterator[Document]:
        """Every document (of the filter, its text query aside) in a stable order (published
        date, then id), in pages."""
        conds = document_conditions(f, self.spellings) if f else []
        return self._documents_in_order(conds, batch_size)

    def _documents_in_order(self, conds: list, batch_size: int) -> Iterator[Document]:
        """The documents meeting `conds`, by published date then id, read a page at a time
        (keyset paging, so each page costs the same however far in)."""
        last: tuple[str, str] | None = None
        key = func.coalesce(documents.c.published, "")
        while True:
            stmt = select(documents).where(*conds).order_by(key, documents.c.id).limit(batch_size)
            if last is not None:
                stmt = stmt.where((key > last[0]) | ((key == last[0]) & (documents.c.id > last[1])))
            with self.engine.connect() as conn:
                rows = list(conn.execute(stmt).mappings())
                if not rows:
                    return
                yield from self._hydrate(conn, rows)
            last = (rows[-1]["published"] or "", rows[-1]["id"])

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        with self.engine.connect() as conn:
            return self.index.search(conn, query, limit)

    def entity_summary(self, type_: str | None = None, name: str | None = None,
                       limit: int = 50) -> list[dict]:
        """Entities across documents, most widely reported first."""
        stmt = (
            select(entities.c.type, entities.c.name, func.count().label("documents"),
                   func.min(entities.c.lat).label("lat"), func.min(entities.c.lon).label("lon"),
                   func.min(entities.c.country).label("country"),
                   func.min(entities.c.kind).label("kind"),
                   func.min(entities.c.precision).label("precision"))
            .group_by(entities.c.type, entities.c.name)
            .order_by(text("documents DESC"), entities.c.name)
            .limit(limit)
        )
        if type_:
            stmt = stmt.where(entities.c.type == type_)
        if name:
            stmt = stmt.where(named(entities.c.name, name, self.spellings))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    # -- cross-document links ------------------------------------------------------------
    def signatures(self, periods: list[tuple[str, str]] | None = None
                   ) -> Iterator[tuple[str, bytes, str | None]]:
        """Stored MinHash signatures with publication dates, to rebuild the near-duplicate
        index without the texts. With `periods` ([first, last] days), only those published
        then, and those without a full date (compared with every document)."""
        stmt = select(signatures.c.document_id, signatures.c.minhash, documents.c.published
                      ).join(documents, documents.c.id == signatures.c.document_id)
        if periods is not None:
            stmt = stmt.where(or_(documents.c.published.is_(None),
                                  func.length(documents.c.published) != 10,
                                  *(documents.c.published.between(a, b) for a, b in periods)))
        with self.engine.connect() as conn:
            yield from conn.execute(stmt)

    def unsigned(self, limit: int | None = None) -> Iterator[dict]:
        """Documents that have no signature yet (added since the last linking), oldest
        first; the first `limit` of them when given (the link stage signs in batches)."""
        stmt = (
            select(documents.c.id, documents.c.text, documents.c.published,
                   documents.c.ingested_at)
            .outerjoin(signatures, signatures.c.document_id == documents.c.id)
            # a linked document is signed: the index on linked_at keeps this to the new ones
            .where(documents.c.linked_at.is_(None), signatures.c.document_id.is_(None))
            .order_by(func.coalesce(documents.c.published, ""), documents.c.ingested_at,
                      documents.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            yield from (dict(r) for r in conn.execute(stmt).mappings())

    def dating(self, ids: Iterable[str]) -> dict[str, dict]:
        """id -> text, published, ingest time and stored sentences (when signed), for
        comparing near-duplicates."""
        ids = list(set(ids))
        out: dict[str, dict] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                stmt = select(documents.c.id, documents.c.text, documents.c.published,
                              documents.c.ingested_at, signatures.c.sentences).outerjoin(
                    signatures, signatures.c.document_id == documents.c.id).where(
                    documents.c.id.in_(ids[start : start + 500]))
                out.update({r["id"]: dict(r) for r in conn.execute(stmt).mappings()})
        return out

    def add_near_duplicates(self, sigs: list[tuple[str, bytes, bytes]], rows: list[dict]
                            ) -> None:
        """New signatures (id, MinHash, packed sentences) and near-duplicate pairs (both
        directions), in one transaction. Rows already stored (by a linking this one did not
        wait for) are left as they are."""
        with self._write() as conn:
            have = set()
            for start in range(0, len(sigs), 500):
                have.update(conn.scalars(select(signatures.c.document_id).where(
                    signatures.c.document_id.in_([s[0] for s in sigs[start:start + 500]]))))
            sigs = [s for s in sigs if s[0] not in have]
            rows = [r for r in rows if r["document_id"] not in have]
            if sigs:
                conn.execute(signatures.insert(),
                             [{"document_id": i, "minhash": b, "sentences": st}
                              for i, b, st in sigs])
            if rows:
                conn.execute(near_duplicates.insert(), rows)

    def copy_map(self, translations: bool = True) -> dict[str, str]:
        """copy id -> id of the document it copies (or translates, unless `translations` is
        False)."""
        stmt = select(near_duplicates.c.document_id, near_duplicates.c.other_id).where(
            near_duplicates.c.relation == "copy_of")
        if not translations:
            stmt = stmt.where(_not_translation())
        with self.engine.connect() as conn:
            return dict(conn.execute(stmt).all())

    def outlet_stats(self) -> Iterator[dict]:
        """Per document: outlet, words, events, unattributed events, statements by kind of
        source, framing counts, copy flag."""
        copies = set(self.copy_map())
        with self.engine.connect() as conn:
            ev = {r[0]: (r[1], r[2]) for r in conn.execute(
                select(events.c.document_id, func.count(),
                       func.sum(events.c.claimed_by.is_(None).cast(Integer)))
                .group_by(events.c.document_id))}
            st = {r[0]: r[1:] for r in conn.execute(
                select(statements.c.document_id, func.count(),
                       func.sum((statements.c.source_type == "described").cast(Integer)),
                       func.sum((statements.c.source_type == "unattributed").cast(Integer)))
                .group_by(statements.c.document_id))}
            fr: dict[str, dict[str, int]] = {}
            for doc_id, category, n in conn.execute(
                    select(framing.c.document_id, framing.c.category, func.count())
                    .group_by(framing.c.document_id, framing.c.category)):
                fr.setdefault(doc_id, {})[category] = n
            for doc_id, outlet, text_ in conn.execute(
                    select(documents.c.id, documents.c.outlet, documents.c.text)):
                n_events, unattributed = ev.get(doc_id, (0, 0))
                n_statements, described, no_source = st.get(doc_id, (0, 0, 0))
                yield {"outlet": outlet, "words": len(text_.split()), "events": n_events,
                       "unattributed": unattributed or 0, "framing": fr.get(doc_id, {}),
                       "is_copy": doc_id in copies, "statements": n_statements,
                       "described_statements": described or 0,
                       "unsourced_statements": no_source or 0}

    def stats(self) -> dict[str, list[tuple[str, int]]]:
        """Counts people want at a glance: documents per outlet and language, removed lines
        (the counts `add` keeps: a read of a few hundred rows, whatever the archive)."""
        with self.engine.connect() as conn:
            return {name: [(value or "(unknown)", n) for value, n in self.counts(facet, conn)]
                    for name, facet in (("outlet", "outlet"), ("language", "language"),
                                        ("removed line reason", "removed"))}

    def _hydrate(self, conn, rows) -> list[Document]:
        ids = [r["id"] for r in rows]

        def children(table: Table, build) -> dict[str, list]:
            found: dict[str, list] = {i: [] for i in ids}
            for doc_id, *values in conn.execute(_child_reads(table), {"ids": ids}).all():
                found[doc_id].append(build(*values))
            return found

        removed = children(removed_lines, RemovedLine)
        ents = children(entities, lambda type_, name, mentions, *rest: Entity(
            type_, name, json.loads(mentions), *rest))
        stmts = children(statements, Statement)
        evs = children(events, Event)
        terms = children(framing, FramingTerm)
        dups: dict[str, list[NearDuplicate]] = {i: [] for i in ids}
        stmt = select(near_duplicates.c.document_id, near_duplicates.c.other_id,
                      near_duplicates.c.similarity).where(near_duplicates.c.document_id.in_(ids))
        for doc_id, other, similarity in conn.execute(stmt).all():
            dups[doc_id].append(NearDuplicate(other, similarity))
        return [
            Document(
                id=r["id"],
                source=r["source"],
                raw=b"",
                kind=r["kind"],
                encoding=r["encoding"],
                title=r["title"],
                published=r["published"],
                outlet=r["outlet"],
                url=r["url"],
                language=r["language"],
                lines=r["text"].split("\n") if r["text"] else [],
                removed=removed[r["id"]],
                entities=ents[r["id"]],
                statements=stmts[r["id"]],
                events=evs[r["id"]],
                framing=terms[r["id"]],
                near_duplicates=sorted(dups[r["id"]], key=lambda n: -n.similarity),
                story=r["story"],
            )
            for r in rows
        ]

    # -- one paged query per kind of record, filtered by store/filters.py --------------------
    def document_page(self, f: DocumentFilter, page: int = 1, page_size: int = 20,
                      window: int = 1000) -> tuple[int, list[dict]]:
        """(total matching, one page of rows): id, title, outlet, published, language, story,
        words and, for a text query, a snippet with hits marked by HIT_START/HIT_END.

        Without a text query the page walks the (published DESC, id) index, undated documents
        last. With one, the total counts every match, but ranking stays bounded: the `window`
        most recently added matches come first, best match first, then older matches, newest
        first. Snippets are made for the page only. The search half is the backend's
        (SearchIndex.page)."""
        words = (func.length(documents.c.text) - func.length(
            func.replace(documents.c.text, " ", "")) + 1).label("words")
        cols = [documents.c.id, documents.c.title, documents.c.outlet, documents.c.published,
                documents.c.language, documents.c.story, words]
        conds = document_conditions(f, self.spellings)
        offset = (page - 1) * page_size
        query = (f.q or "").strip()
        with self.engine.connect() as conn:
            if query:
                return self.index.page(conn, query, conds, cols, offset, page_size, window)
            if conds:
                total = conn.scalar(select(func.count()).select_from(documents)
                                    .where(*conds)) or 0
            else:  # the whole archive: its size and where a page starts are kept counts
                total = dict(self.counts("documents", conn)).get("", 0)
                if offset >= total:
                    return total, []
            newest = (select(*cols).where(*conds)
                      .order_by(documents.c.published.desc().nulls_last(), documents.c.id))
            start = _day_start(conn, offset) if not conds and offset >= SEEK_FROM else None
            if start is None:
                stmt = newest.limit(page_size).offset(offset)
            elif start[0] is None:  # among the undated documents, last
                stmt = (select(*cols).where(documents.c.published.is_(None))
                        .order_by(documents.c.id).limit(page_size).offset(start[1]))
            else:
                stmt = (newest.where(documents.c.published <= start[0])
                        .limit(page_size).offset(start[1]))
            rows = [dict(r) for r in conn.execute(stmt).mappings()]
            if start is not None and start[0] is not None and len(rows) < page_size:
                rows += [dict(r) for r in conn.execute(  # the page runs into the undated
                    select(*cols).where(documents.c.published.is_(None))
                    .order_by(documents.c.id).limit(page_size - len(rows))).mappings()]
        return total, rows

    def near_duplicate_details(self, doc_id: str, limit: int = 50) -> list[dict]:
        """A document's near-duplicates (the `limit` most similar) with relation, reason,
        shared and changed passages, and the other document's title, outlet and date. The
        passages are stored as offsets into the two texts and cut out here (rows stored
        before that hold the text itself)."""
        other = documents.alias("other")
        stmt = (
            select(near_duplicates.c.other_id.label("id"), near_duplicates.c.similarity,
                   near_duplicates.c.relation, near_duplicates.c.reason,
                   near_duplicates.c.shared, near_duplicates.c.changed,
                   near_duplicates.c.confidence, other.c.title, other.c.outlet, other.c.published,
                   other.c.text.label("other_text"))
            .join(other, other.c.id == near_duplicates.c.other_id)
            .where(near_duplicates.c.document_id == doc_id)
            .order_by(near_duplicates.c.similarity.desc(), near_duplicates.c.other_id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(stmt).mappings()]
            own: str = (conn.scalar(select(documents.c.text).where(documents.c.id == doc_id))
                        or "") if rows else ""
        for row in rows:
            theirs = row.pop("other_text")
            row["shared"] = [p if isinstance(p, str) else own[p[0]:p[1]]
                             for p in json.loads(row["shared"] or "[]")]
            row["changed"] = [list(c) if len(c) == 2 else [own[c[0]:c[1]], theirs[c[2]:c[3]]]
                              for c in json.loads(row["changed"] or "[]")]
        return rows

    def _statements_select(self, f: StatementFilter | None):
        """Statements with their document's outlet, date, title and URL, newest first; the
        select behind both the page and the export, and its count (which joins the documents
        only when a condition needs them: counting is most of a listing's time)."""
        cond = statement_conditions(f or StatementFilter(), self.spellings)
        joined = statements.join(documents, documents.c.id == statements.c.document_id)
        stmt = (
            select(statements, documents.c.outlet, documents.c.published, documents.c.title,
                   documents.c.url)
            .select_from(joined)
            .where(*cond)
            .order_by(func.coalesce(documents.c.published, "").desc(), statements.c.document_id,
                      statements.c.position)
        )
        f = f or StatementFilter()
        counted = joined if (f.outlet or f.date_from or f.date_to) else statements
        return stmt, select(func.count()).select_from(counted).where(*cond)

    def statements_page(self, f: StatementFilter | None = None, limit: int = 50,
                        offset: int = 0) -> tuple[int, list[dict]]:
        """(total, one page) of statements with their document's outlet, date, title and
        URL, newest first."""
        return self._page(self._statements_select(f), limit, offset)

    def _page(self, selects: tuple, limit: int, offset: int) -> tuple[int, list[dict]]:
        """(total, rows limit..offset) of a (select, count) pair."""
        stmt, count = selects
        with self.engine.connect() as conn:
            total = conn.scalar(count) or 0
            return total, [dict(r) for r in conn.execute(stmt.limit(limit).offset(offset))
                           .mappings()]

    def iter_statements(self, f: StatementFilter | None = None, batch_size: int = 1000
                        ) -> Iterator[dict]:
        """Every statement of the filter, in the page's order, read in one streamed query."""
        yield from self._stream(self._statements_select(f)[0], batch_size)

    def _events_select(self, f: EventFilter | None):
        """Events with their document's outlet, date, URL and story, their place's country,
        first-level region and precision (from the document's place entity of that name), and
        the claim they are a member of with its count of independent outlets, newest first:
        the select behind both the page and the export, and its count (which joins the
        documents only when a condition needs them)."""
        cond = event_conditions(f or EventFilter(), self.spellings)
        joined = events.join(documents, documents.c.id == events.c.document_id)

        def place(column):
            return (select(column).where(entities.c.document_id == events.c.document_id,
                                         entities.c.type == "place",
                                         entities.c.name == events.c.place)
                    .order_by(entities.c.position).limit(1).scalar_subquery())

        member = (claim_members.c.document_id == events.c.document_id,
                  claim_members.c.position == events.c.position)
        claim_id = select(claim_members.c.claim_id).where(*member).limit(1).scalar_subquery()
        claim_outlets = (select(claims.c.outlet_count)
                         .join(claim_members, claim_members.c.claim_id == claims.c.id)
                         .where(*member).limit(1).scalar_subquery())
        stmt = (
            select(events, documents.c.outlet, documents.c.published, documents.c.url,
                   documents.c.story,
                   place(entities.c.country).label("country"),
                   place(entities.c.admin1).label("admin1"),
                   place(entities.c.precision).label("geo_precision"),
                   claim_id.label("claim_id"), claim_outlets.label("claim_outlets"))
            .select_from(joined)
            .where(*cond)
            .order_by(func.coalesce(event_date(), "").desc(), events.c.document_id,
                      events.c.position)
        )
        f = f or EventFilter()
        counted = joined if (f.outlet or f.date_from or f.date_to) else events
        return stmt, select(func.count()).select_from(counted).where(*cond)

    def events_page(self, f: EventFilter | None = None, limit: int = 50, offset: int = 0
                    ) -> tuple[int, list[dict]]:
        """(total, one page) of events with their document's outlet, date and URL and their
        place's country, admin1 and geo_precision, newest first."""
        return self._page(self._events_select(f), limit, offset)

    def iter_events(self, f: EventFilter | None = None, batch_size: int = 1000
                    ) -> Iterator[dict]:
        """Every event of the filter, in the page's order, read in one streamed query."""
        yield from self._stream(self._events_select(f)[0], batch_size)

    def count_of(self, kind: str, f: StatementFilter | EventFilter | None = None) -> int:
        """How many statements or events the filter leaves (an export's progress total)."""
        select_of = self._events_select if kind == "events" else self._statements_select
        with self.engine.connect() as conn:
            return conn.scalar(select_of(f)[1]) or 0  # type: ignore[arg-type]

    def _stream(self, stmt, batch_size: int) -> Iterator[dict]:
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=batch_size) \
                .execute(stmt).mappings()
            for row in result:
                yield dict(row)

    def document_facets(self, f: DocumentFilter, limit: int = FACET_ROWS
                        ) -> dict[str, list[tuple[str, int]]]:
        """How many documents each outlet and each event type would leave if chosen instead
        of the current one. Where the other filters leave the whole archive, the counts `add`
        keeps (no GROUP BY); otherwise one GROUP BY per facet among the `limit` newest
        documents they leave (for a text query, its `limit` most recently added matches,
        selected in the GROUP BY itself: no second search, no ranking, no snippets), so
        that no facet grows with the archive."""
        out: dict[str, list[tuple[str, int]]] = {}
        newest = (documents.c.published.desc().nulls_last(), documents.c.id)
        hits: list[ColumnElement[bool]] = []

        def among(conds: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
            if hits or not conds:
                return conds + hits
            return [documents.c.id.in_(select(documents.c.id).where(*conds)
                                       .order_by(*newest).limit(limit))]

        with self.engine.connect() as conn:
            if (f.q or "").strip():
                matches = self.index.matches(conn, f.q or "", limit).subquery()
                hits = [documents.c.id.in_(select(matches.c.id))]
            conds = among(document_conditions(replace(f, outlet=None), self.spellings))
            n = func.count().label("n")
            out["outlet"] = [(o, c) for o, c in conn.execute(
                select(documents.c.outlet, n).where(documents.c.outlet.is_not(None), *conds)
                .group_by(documents.c.outlet).order_by(n.desc(), documents.c.outlet))
            ] if conds else [(o, c) for o, c in self.counts("outlet", conn) if o]
            conds = among(document_conditions(replace(f, event_type=None), self.spellings))
            n = func.count(func.distinct(events.c.document_id)).label("n")
            out["event_type"] = [(t, c) for t, c in conn.execute(
                select(events.c.type, n).join(documents, documents.c.id == events.c.document_id)
                .where(*conds).group_by(events.c.type).order_by(n.desc(), events.c.type))
            ] if conds else self.counts("event_type", conn)
        return out

    def story_outlets(self, stories: list[str]) -> dict[str, list[str]]:
        """story id -> the outlets of its documents, sorted (one query)."""
        stmt = (select(documents.c.story, documents.c.outlet).distinct()
                .where(documents.c.story.in_(stories)))
        out: dict[str, set[str]] = {}
        with self.engine.connect() as conn:
            for story, outlet in conn.execute(stmt):
                out.setdefault(story, set()).add(outlet or "(unknown outlet)")
        return {story: sorted(names) for story, names in out.items()}

    def story_of(self) -> dict[str, str]:
        """document id -> story id, for every linked document (one query)."""
        stmt = select(documents.c.id, documents.c.story).where(documents.c.story.is_not(None))
        with self.engine.connect() as conn:
            return dict(conn.execute(stmt).all())

    def resolve_story(self, prefix: str) -> list[str]:
        """Story ids starting with `prefix` (at most 10)."""
        return self._by_prefix(documents.c.story, prefix, 10)

    def version(self) -> tuple[int, int]:
        """(documents, near-duplicate rows): changes whenever documents are added or linked,
        to know when a cached summary is stale."""
        with self.engine.connect() as conn:
            return (conn.scalar(select(func.count()).select_from(documents)) or 0,
                    conn.scalar(select(func.count()).select_from(near_duplicates)) or 0)


def _checked(table: Table, rows: list[dict]) -> list[dict]:
    """Rows that both backends take alike. PostgreSQL refuses NUL in text and SQLite keeps
    it: NUL is never part of an article (the raw bytes keep it), so it is dropped from every
    string. PostgreSQL refuses a string longer than its VARCHAR(n) and SQLite keeps that too:
    it can only come from a bug upstream, so it is a DocumentError naming the document."""
    limits = {c.name: c.type.length for c in table.columns
              if isinstance(c.type, String) and c.type.length}
    for row in rows:
        for key, value in row.items():
            if not isinstance(value, str):
                continue
            if "\x00" in value:
                value = row[key] = value.replace("\x00", "")
            limit = limits.get(key)
            if limit is not None and len(value) > limit:
                doc = row.get("document_id") or row.get("id")
                raise DocumentError(
                    f"document {doc}: {table.name}.{key} may hold {limit} characters, not "
                    f"{len(value)} ({value[:40]!r}); nothing of this batch was stored")
    return rows


def _fetch_time(value: str | None, now: datetime) -> datetime:
    try:
        when = datetime.fromisoformat(value or "")
    except ValueError:
        return now
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _fetched(conn, new: list[Document], now: datetime
             ) -> tuple[list[Document], list[dict], list[dict]]:
    """Documents fetched over HTTP (a WARC record, a watched page: hints `url` and
    `fetched_at`) are versions of their URL: one whose clean text the URL already had is not
    stored again (only its bytes differed: an ad, a clock; so re-runs add nothing); one with
    new text becomes the next version, linked to the one before. Returns the documents to store,
    their version rows and their fetch rows (URL, time, status, headers)."""
    fetched = [d for d in new if d.hints.get("fetched_at") and (d.url or d.hints.get("url"))]
    if not fetched:
        return new, [], []
    fetched_ids = {d.id for d in fetched}
    urls = {d.url or d.hints["url"] for d in fetched}
    latest: dict[str, tuple[int, str, str]] = {}
    seen: set[tuple[str, str]] = set()  # (url, text hash) of every stored version
    for url, version, doc_id, text_hash in conn.execute(
            select(document_versions.c.url, document_versions.c.version,
                   document_versions.c.document_id, document_versions.c.text_hash)
            .where(document_versions.c.url.in_(list(urls)))):
        seen.add((url, text_hash))
        if url not in latest or version > latest[url][0]:
            latest[url] = (version, doc_id, text_hash)
    keep, versions, fetches = [], [], []
    for doc in new:
        url = doc.url or doc.hints.get("url") or ""  # set on every fetched document (above)
        if doc.id not in fetched_ids:
            keep.append(doc)
            continue
        text_hash = content_id(doc.text.encode("utf-8"))
        before = latest.get(url)
        if (url, text_hash) in seen:
            continue  # a text this URL had already: nothing new (re-runs add nothing)
        when = _fetch_time(doc.hints.get("fetched_at"), now)
        number = before[0] + 1 if before else 1
        versions.append({"document_id": doc.id, "url": url, "version": number,
                         "previous_id": before[1] if before else None,
                         "text_hash": text_hash, "seen_at": when})
        status = doc.hints.get("http_status")
        fetches.append({"document_id": doc.id, "url": url,
                        "source": doc.hints.get("watch_source"), "fetched_at": when,
                        "status": int(status) if status and status.isdigit() else None,
                        "headers": doc.hints.get("http_headers")})
        latest[url] = (number, doc.id, text_hash)
        seen.add((url, text_hash))
        keep.append(doc)
    return keep, versions, fetches


# the columns a Document's parts are built from, in their constructors' order
_CHILD_COLUMNS = {
    "removed_lines": ("line", "reason"),
    "entities": ("type", "name", "mentions", "lat", "lon", "country", "kind", "admin1",
                 "precision"),
    "statements": ("speaker", "text", "kind", "cue", "source_type", "source_description",
                   "evidence", "start", "end"),
    "events": ("type", "actor", "place", "date", "claimed_by", "evidence", "modality",
               "date_precision", "confidence", "actor2"),
    "framing": ("term", "category", "neutral", "start", "end"),
}
_CHILD_READS: dict[str, Select] = {}


def _child_reads(table: Table) -> Select:
    """The rows of one kind of part of the documents `ids` (an expanding parameter), in
    order: built once, as every page of documents reads them."""
    stmt = _CHILD_READS.get(table.name)
    if stmt is None:
        stmt = _CHILD_READS[table.name] = (
            select(table.c.document_id, *(table.c[c] for c in _CHILD_COLUMNS[table.name]))
            .where(table.c.document_id.in_(bindparam("ids", expanding=True)))
            .order_by(table.c.document_id, table.c.position))
    return stmt


def _day_start(conn, offset: int) -> tuple[str | None, int] | None:
    """Where row `offset` of the whole archive, newest first, is: (its publication day, rows
    to skip among the documents published that day or before), or (None, rows to skip among
    the undated, which come last). Found by summing the kept counts by month, then by day
    within its month: a read of at most a few hundred rows, where OFFSET steps over every
    row before. None when the counts do not reach it (then OFFSET decides)."""
    counts = document_counts.c
    before = 0
    month: str | None = None
    months = conn.execute(select(counts.value, counts.n).where(
        counts.facet == "month", counts.n > 0).order_by(counts.value.desc()))
    for value, n in months:
        if before + n > offset:
            month = value
            break
        before += n
    months.close()
    if month is None:
        return None
    if month == "":
        return None, offset - before
    # the days of a month are its own value and those it is the first 7 characters of
    last = f"{month}-99" if len(month) == 7 else month
    for day, n in conn.execute(select(counts.value, counts.n).where(
            counts.facet == "day", counts.n > 0, counts.value.between(month, last))
            .order_by(counts.value.desc())):
        if before + n > offset:
            return day, offset - before
        before += n
    return None


def _add_counts(conn, rows: list[dict], children: dict[Table, list[dict]]) -> None:
    """Add a batch's documents to the kept counts (`document_counts`), in its transaction:
    writers take turns (`Store._write`), so the counts stay those of the stored rows."""
    found: Counter[tuple[str, str]] = Counter()
    for row in rows:
        published = row["published"] or ""
        found["documents", ""] += 1
        found["outlet", row["outlet"] or ""] += 1
        found["language", row["language"] or ""] += 1
        found["day", published] += 1
        found["month", published[:7]] += 1
    typed = {(r["document_id"], r["type"]) for r in children[events]}
    found.update(("event_type", t) for _doc, t in typed)
    found.update(("removed", r["reason"]) for r in children[removed_lines])
    conn.execute(text(
        "INSERT INTO document_counts (facet, value, n) VALUES (:facet, :value, :n) "
        "ON CONFLICT (facet, value) DO UPDATE SET n = document_counts.n + excluded.n"),
        [{"facet": f, "value": v, "n": n} for (f, v), n in sorted(found.items())])


def _document_row(doc: Document, now: datetime) -> dict:
    return {
        "id": doc.id,
        "source": doc.source,
        "url": doc.url,
        "kind": doc.kind,
        "encoding": doc.encoding,
        "title": doc.title,
        "published": doc.published,
        "outlet": doc.outlet,
        "language": doc.language,
        "text": doc.text,
        "story": doc.story,
        "ingested_at": now,
        "linked_at": None,
    }


def _not_translation():
    return or_(near_duplicates.c.reason.is_(None),
               near_duplicates.c.reason.not_like(f"{TRANSLATION}%"))


def _event_rows(doc: Document) -> list[dict]:
    """Events carry the coordinates of their place, for maps and GeoJSON."""
    coords: dict[str | None, tuple[float | None, float | None]] = {
        e.name: (e.lat, e.lon) for e in doc.entities if e.type == "place"}
    return [
        {"document_id": doc.id, "position": i, "type": e.type, "actor": e.actor,
         "place": e.place, "date": e.date, "claimed_by": e.claimed_by, "evidence": e.evidence,
         "modality": e.modality, "date_precision": e.date_precision,
         "confidence": e.confidence, "actor2": e.actor2,
         "lat": coords.get(e.place, (None, None))[0], "lon": coords.get(e.place, (None, None))[1]}
        for i, e in enumerate(doc.events)
    ]


_CHILDREN = [
    (removed_lines, lambda d: [
        {"document_id": d.id, "position": i, "line": r.line, "reason": r.reason}
        for i, r in enumerate(d.removed)]),
    (entities, lambda d: [
        {"document_id": d.id, "position": i, "type": e.type, "name": e.name,
         "mentions": json.dumps(e.mentions, ensure_ascii=False), "lat": e.lat, "lon": e.lon,
         "country": e.country, "kind": e.kind, "admin1": e.admin1, "precision": e.precision}
        for i, e in enumerate(d.entities)]),
    (statements, lambda d: [
        {"document_id": d.id, "position": i, "speaker": s.speaker, "text": s.text,
         "kind": s.kind, "cue": s.cue, "source_type": s.source_type,
         "source_description": s.source_description, "evidence": s.evidence,
         "start": s.start, "end": s.end}
        for i, s in enumerate(d.statements)]),
    (events, _event_rows),
    # the day each event at a place is grouped into claims by (link/run.py, migration 0021)
    (event_days, lambda d: [
        {"document_id": d.id, "position": i, "type": e.type, "place": e.place,
         "day": e.date or d.published}
        for i, e in enumerate(d.events) if e.place]),
    (framing, lambda d: [
        {"document_id": d.id, "position": i, "term": f.term, "category": f.category,
         "neutral": f.neutral, "start": f.start, "end": f.end}
        for i, f in enumerate(d.framing)]),
]
