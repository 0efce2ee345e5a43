"""Analysts' reviews: a verdict (right or wrong) and a note on one extraction, a statement, an
event or a near-duplicate pair, stored in its own table (store/schema.py `reviews`).

The pipeline and the link stage never write that table, and a review is keyed by what a
re-run (ids are content hashes) and a re-link leave unchanged: the document and the
statement's or event's position, or the two documents of a pair. The extraction's text is
kept with the verdict, so a page can say when the extraction under a review has changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, and_, cast, delete, func, insert, or_, select

from newsprism.store import Store
from newsprism.store.schema import documents, events, near_duplicates, reviews, statements

KINDS = ("statement", "event", "near_duplicate")
VERDICTS = ("right", "wrong")
MAX_NOTE = 2000


class BadReview(ValueError):
    """A review naming an unknown kind or verdict, or an extraction that does not exist."""


@dataclass(frozen=True)
class Review:
    kind: str
    document_id: str
    item: str  # the position, or the other document's id
    verdict: str
    note: str | None
    text: str | None  # what the extraction said when reviewed
    reviewed_at: str
    current: str | None = None  # what it says now (None: gone)

    @property
    def changed(self) -> bool:
        """The extraction reviewed is no longer what the record holds."""
        return self.current != self.text

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "changed": self.changed}


def _current(conn, kind: str, document_id: str, item: str) -> str | None:
    """The text that identifies an extraction now: a statement's text, an event's evidence,
    a pair's similarity; None when there is no such extraction."""
    if kind in ("statement", "event"):
        if not item.isdigit():
            return None
        table = statements if kind == "statement" else events
        column = table.c.text if kind == "statement" else table.c.evidence
        return conn.scalar(select(column).where(table.c.document_id == document_id,
                                                table.c.position == int(item)))
    pair = or_(and_(near_duplicates.c.document_id == document_id,
                    near_duplicates.c.other_id == item),
               and_(near_duplicates.c.document_id == item,
                    near_duplicates.c.other_id == document_id))
    found = conn.scalar(select(near_duplicates.c.similarity).where(pair).limit(1))
    return None if found is None else f"near-duplicate of {item}"


def add_review(store: Store, kind: str, document_id: str, item: str, verdict: str,
               note: str | None = None) -> Review:
    """Record (or replace) the analyst's verdict on one extraction that exists now."""
    if kind not in KINDS:
        raise BadReview(f"kind must be one of {', '.join(KINDS)} (got {kind[:40]!r})")
    if verdict not in VERDICTS:
        raise BadReview(f"verdict must be one of {', '.join(VERDICTS)} (got {verdict[:40]!r})")
    note = (note or "").strip()[:MAX_NOTE] or None
    if kind == "near_duplicate" and item < document_id:  # a pair is stored one way round
        document_id, item = item, document_id
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        text = _current(conn, kind, document_id, item)
        if text is None:
            raise BadReview(f"no {kind.replace('_', '-')} {item} in document {document_id}")
        key = (reviews.c.kind == kind, reviews.c.document_id == document_id,
               reviews.c.item == item)
        conn.execute(delete(reviews).where(*key))
        conn.execute(insert(reviews).values(kind=kind, document_id=document_id, item=item,
                                            verdict=verdict, note=note, text=text,
                                            reviewed_at=now))
    return Review(kind, document_id, item, verdict, note, text,
                  now.isoformat(timespec="seconds"), text)


def _review(conn, row: Any) -> Review:
    at = row.reviewed_at
    stamp = at.isoformat(timespec="seconds") if hasattr(at, "isoformat") else str(at)
    return Review(row.kind, row.document_id, row.item, row.verdict, row.note, row.text,
                  stamp, _current(conn, row.kind, row.document_id, row.item))


def reviews_for(store: Store, kind: str, keys: Iterable[tuple[str, str]]
                ) -> dict[tuple[str, str], Review]:
    """(document id, item) -> its review, for these extractions of one kind."""
    keys = list(keys)
    if not keys:
        return {}
    docs = sorted({d for d, _i in keys} | ({i for _d, i in keys}
                                            if kind == "near_duplicate" else set()))
    wanted = set(keys)
    out: dict[tuple[str, str], Review] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(docs), 500):
            for row in conn.execute(select(reviews).where(
                    reviews.c.kind == kind, reviews.c.document_id.in_(docs[start:start + 500]))):
                if kind == "near_duplicate" or (row.document_id, row.item) in wanted:
                    out[(row.document_id, row.item)] = _review(conn, row)
    if kind == "near_duplicate":  # either way round
        out.update({(i, d): r for (d, i), r in list(out.items())})
    return out


def document_reviews(store: Store, document_id: str) -> dict[str, dict[str, Review]]:
    """kind -> item -> review, for every extraction of one document (its page)."""
    out: dict[str, dict[str, Review]] = {k: {} for k in KINDS}
    with store.engine.connect() as conn:
        for row in conn.execute(select(reviews).where(or_(
                reviews.c.document_id == document_id,
                and_(reviews.c.kind == "near_duplicate", reviews.c.item == document_id)))):
            review = _review(conn, row)
            item = row.document_id if row.item == document_id and row.kind == "near_duplicate" \
                else row.item
            out[row.kind][item] = review
    return out


def all_reviews(store: Store, limit: int = 500) -> list[Review]:
    """The latest reviews, newest first."""
    with store.engine.connect() as conn:
        return [_review(conn, row) for row in conn.execute(
            select(reviews).order_by(reviews.c.reviewed_at.desc()).limit(limit))]


def with_reviews(store: Store, kind: str, rows: Iterable[dict[str, Any]], batch: int = 500
                 ) -> Iterator[dict[str, Any]]:
    """Statement or event rows (an export's stream) with `review` and `review_note`: the
    analyst's verdict and note, or None; looked up a batch of rows at a time."""
    chunk: list[dict[str, Any]] = []

    def flush() -> Iterator[dict[str, Any]]:
        found = reviews_for(store, kind, [(r["document_id"], str(r["position"])) for r in chunk])
        for r in chunk:
            review = found.get((r["document_id"], str(r["position"])))
            r["review"] = review.verdict if review else None
            r["review_note"] = review.note if review else None
            yield r
        chunk.clear()

    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            yield from flush()
    yield from flush()


# -- the reviews export: each review with what it refers to -------------------------------------

@dataclass
class ReviewFilter:
    """Reviews of the documents of one outlet, or published within dates (as the other
    exports' filters read them: the article's)."""

    outlet: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None


def _review_select(f: ReviewFilter | None):
    """Reviews joined to their document, and to the statement, event or pair they judge (as
    it is now: a left join, so a review whose extraction has gone is kept, with nulls)."""
    f = f or ReviewFilter()
    other = documents.alias("other")
    pair = near_duplicates.alias("pair")
    stmt = (
        select(reviews, documents.c.outlet, documents.c.published, documents.c.title,
               documents.c.url,
               statements.c.speaker, statements.c.text.label("statement_text"),
               events.c.type.label("event_type"), events.c.place.label("event_place"),
               events.c.date.label("event_date"), events.c.evidence.label("event_evidence"),
               events.c.confidence.label("event_confidence"),
               pair.c.similarity, pair.c.confidence.label("pair_confidence"),
               other.c.title.label("other_title"), other.c.outlet.label("other_outlet"))
        .join(documents, documents.c.id == reviews.c.document_id)
        .outerjoin(statements, and_(reviews.c.kind == "statement",
                                    statements.c.document_id == reviews.c.document_id,
                                    cast(statements.c.position, String) == reviews.c.item))
        .outerjoin(events, and_(reviews.c.kind == "event",
                                events.c.document_id == reviews.c.document_id,
                                cast(events.c.position, String) == reviews.c.item))
        .outerjoin(pair, and_(reviews.c.kind == "near_duplicate",
                              pair.c.document_id == reviews.c.document_id,
                              pair.c.other_id == reviews.c.item))
        .outerjoin(other, and_(reviews.c.kind == "near_duplicate", other.c.id == reviews.c.item))
    )
    conds = []
    if f.outlet:
        conds.append(documents.c.outlet == f.outlet)
    if f.date_from:
        conds.append(documents.c.published >= f.date_from)
    if f.date_to:
        conds.append(documents.c.published <= f.date_to)
    ordered = stmt.where(*conds).order_by(reviews.c.reviewed_at.desc(), reviews.c.kind,
                                          reviews.c.document_id, reviews.c.item)
    counted = (select(func.count()).select_from(
        reviews.join(documents, documents.c.id == reviews.c.document_id)).where(*conds))
    return ordered, counted


def review_rows(store: Store, f: ReviewFilter | None = None) -> Iterator[dict[str, Any]]:
    """Every review (newest first) with its document and the extraction it judges, and
    `current`: what that extraction says now (None: gone), as `Review.current`."""
    stmt, _count = _review_select(f)
    with store.engine.connect() as conn:
        for row in conn.execution_options(stream_results=True, yield_per=500).execute(
                stmt).mappings():
            out = dict(row)
            kind = out["kind"]
            out["current"] = (out["statement_text"] if kind == "statement"
                              else out["event_evidence"] if kind == "event"
                              else f"near-duplicate of {out['item']}"
                              if out["similarity"] is not None else None)
            at = out["reviewed_at"]
            out["reviewed_at"] = (at.isoformat(timespec="seconds") if hasattr(at, "isoformat")
                                  else str(at))
            yield out


def review_count(store: Store, f: ReviewFilter | None = None) -> int:
    with store.engine.connect() as conn:
        return conn.scalar(_review_select(f)[1]) or 0
