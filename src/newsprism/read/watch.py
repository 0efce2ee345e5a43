"""The watch view: what is new since a time, and how each watched source is doing (last
fetch, last error, items per day), computed once for the dashboard (and any other front end).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from newsprism.store import Store
from newsprism.store.schema import document_versions, documents, fetched_pages, sources

HEALTH_DAYS = 7


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(value: datetime | None) -> str | None:
    value = _utc(value)
    return value.isoformat(timespec="seconds") if value else None


@dataclass
class SourceHealth:
    name: str
    kind: str
    location: str
    last_fetch: str | None
    last_success: str | None
    last_status: int | None
    last_error: str | None
    last_error_at: str | None
    items: int  # documents stored from it, ever
    polls: int
    errors: int  # polls that ended with an error
    per_day: list[tuple[str, int]] = field(default_factory=list)  # (YYYY-MM-DD, documents)

    @property
    def failing(self) -> bool:
        return self.last_error is not None


@dataclass
class NewDocument:
    id: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    stored_at: str | None
    source: str | None  # the watched source (None: a file given to `run`)
    version: int | None  # 2, 3, ...: an edit of a page stored before
    previous_id: str | None


@dataclass
class WatchView:
    since: str
    sources: list[SourceHealth]
    new: list[NewDocument]
    new_total: int  # documents stored since `since` (the list may be cut at `limit`)
    new_versions: int  # of these, edits of a page stored before

    def to_dict(self) -> dict:
        return asdict(self)


def default_since(now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=1)


def watch_view(store: Store, since: datetime | None = None, limit: int = 200,
               now: datetime | None = None) -> WatchView:
    """Documents stored since `since` (newest first, at most `limit`) with where each came
    from, and every watched source's health over the last seven days."""
    now = now or datetime.now(UTC)
    since = _utc(since) or default_since(now)
    first_day = (now - timedelta(days=HEALTH_DAYS - 1)).date()
    window = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    days = [(first_day + timedelta(days=i)).isoformat() for i in range(HEALTH_DAYS)]
    with store.engine.connect() as conn:
        counts: dict[tuple[str, str], int] = {}
        for name, when in conn.execute(select(fetched_pages.c.source, fetched_pages.c.fetched_at)
                                       .where(fetched_pages.c.fetched_at >= window,
                                              fetched_pages.c.source.is_not(None))):
            day = _utc(when).date().isoformat()  # type: ignore[union-attr]
            counts[(name, day)] = counts.get((name, day), 0) + 1
        health = [SourceHealth(
            r.name, r.kind, r.location, _iso(r.last_fetch), _iso(r.last_success),
            r.last_status, r.last_error, _iso(r.last_error_at), r.items, r.polls, r.errors,
            [(d, counts.get((r.name, d), 0)) for d in days])
            for r in conn.execute(select(sources).order_by(sources.c.name))]
        recent = documents.c.ingested_at >= since
        total = conn.scalar(select(func.count()).select_from(documents).where(recent)) or 0
        versions = conn.scalar(
            select(func.count()).select_from(documents.join(
                document_versions, document_versions.c.document_id == documents.c.id))
            .where(recent, document_versions.c.version > 1)) or 0
        fetch = (select(fetched_pages.c.document_id, func.min(fetched_pages.c.source)
                        .label("source"))
                 .group_by(fetched_pages.c.document_id).subquery())
        rows = conn.execute(
            select(documents.c.id, documents.c.title, documents.c.url, documents.c.outlet,
                   documents.c.published, documents.c.ingested_at, fetch.c.source,
                   document_versions.c.version, document_versions.c.previous_id)
            .outerjoin(fetch, fetch.c.document_id == documents.c.id)
            .outerjoin(document_versions, document_versions.c.document_id == documents.c.id)
            .where(recent).order_by(documents.c.ingested_at.desc(), documents.c.id)
            .limit(limit)).all()
    new = [NewDocument(r.id, r.title, r.url, r.outlet, r.published, _iso(r.ingested_at),
                       r.source, r.version if r.version and r.version > 1 else None,
                       r.previous_id) for r in rows]
    return WatchView(_iso(since) or "", health, new, total, versions)


# -- what changed between two versions of a page -----------------------------------------------

@dataclass
class VersionStep:
    id: str
    version: int
    seen_at: str | None


@dataclass
class VersionDiff:
    url: str
    document_id: str
    version: int
    previous_id: str | None  # None: the first version (everything is "added")
    versions: list[VersionStep]  # every version of the URL, oldest first
    lines: list[tuple[str, str]]  # ("same" | "added" | "removed", paragraph)

    @property
    def added(self) -> int:
        return sum(op == "added" for op, _ in self.lines)

    @property
    def removed(self) -> int:
        return sum(op == "removed" for op, _ in self.lines)

    def to_dict(self) -> dict:
        return {**asdict(self), "added": self.added, "removed": self.removed}


def version_diff(store: Store, prefix: str) -> VersionDiff:
    """A version of a page against the one before it, paragraph by paragraph (clean text);
    NotFound/Ambiguous for an id that names no single document, LookupError for a document
    that is no version of a fetched page."""
    import difflib

    from newsprism.read.views import resolve_document

    doc_id = resolve_document(store, prefix)
    with store.engine.connect() as conn:
        row = conn.execute(select(document_versions)
                           .where(document_versions.c.document_id == doc_id)).first()
        if row is None:
            raise LookupError(f"document {doc_id} is not a version of a fetched page")
        steps = [VersionStep(r.document_id, r.version, _iso(r.seen_at)) for r in conn.execute(
            select(document_versions.c.document_id, document_versions.c.version,
                   document_versions.c.seen_at)
            .where(document_versions.c.url == row.url)
            .order_by(document_versions.c.version))]
        texts = dict(conn.execute(select(documents.c.id, documents.c.text).where(
            documents.c.id.in_([i for i in (doc_id, row.previous_id) if i]))).all())
    before = (texts.get(row.previous_id) or "").split("\n") if row.previous_id else []
    after = (texts.get(doc_id) or "").split("\n")
    lines: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            lines += [("same", p) for p in after[b1:b2]]
            continue
        lines += [("removed", p) for p in before[a1:a2]]
        lines += [("added", p) for p in after[b1:b2]]
    return VersionDiff(row.url, doc_id, row.version, row.previous_id, steps,
                       [(op, p) for op, p in lines if p.strip()])
