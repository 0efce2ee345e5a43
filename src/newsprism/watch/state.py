"""The watcher's memory, in the database: each source's last poll (when, status, ETag,
Last-Modified, error) and the entries already handled, so a restart resumes where it stopped.

Each function is one short transaction. The order of writes is what keeps a killed watcher
consistent: a batch of documents is stored first (Store.add), then its entries are marked as
handled, and a feed's ETag is saved only once all its entries are; a watcher killed between
the two fetches those entries again, and the store, keyed by content, adds nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select, update

from newsprism.store import Store
from newsprism.store.schema import fetched_pages, source_items, sources
from newsprism.watch.config import Source
from newsprism.watch.sources import Entry


def utc(value: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def sync_sources(store: Store, configured: Iterable[Source]) -> None:
    """Make the sources table list what the config file lists; a source whose location
    changed starts afresh (its ETag and handled entries belong to the old location). Sources
    no longer configured are kept, with their history."""
    with store.engine.begin() as conn:
        known = {r.name: r for r in conn.execute(select(sources.c.name, sources.c.kind,
                                                        sources.c.location))}
        for source in configured:
            row = known.get(source.name)
            if row is None:
                conn.execute(insert(sources).values(name=source.name, kind=source.kind,
                                                    location=source.location))
            elif (row.kind, row.location) != (source.kind, source.location):
                conn.execute(update(sources).where(sources.c.name == source.name).values(
                    kind=source.kind, location=source.location, etag=None,
                    last_modified=None, last_fetch=None))
                conn.execute(delete(source_items).where(source_items.c.source == source.name))


def last_fetch(store: Store) -> dict[str, datetime | None]:
    with store.engine.connect() as conn:
        return {name: utc(when) for name, when in
                conn.execute(select(sources.c.name, sources.c.last_fetch))}


def validators(store: Store, name: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified of a source's last complete poll."""
    with store.engine.connect() as conn:
        row = conn.execute(select(sources.c.etag, sources.c.last_modified)
                           .where(sources.c.name == name)).first()
    return (row.etag, row.last_modified) if row else (None, None)


def fingerprints(store: Store, name: str) -> dict[str, tuple[str, datetime]]:
    """Per handled entry: its fingerprint and when it was last fetched."""
    with store.engine.connect() as conn:
        return {key: (fp, utc(when) or datetime.now(UTC)) for key, fp, when in conn.execute(
            select(source_items.c.key, source_items.c.fingerprint, source_items.c.seen_at)
            .where(source_items.c.source == name))}


def page_validators(store: Store, urls: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """The ETag and Last-Modified of the newest stored fetch of each URL (fetched_pages), for
    a conditional GET when a page is revisited."""
    out: dict[str, tuple[str | None, str | None]] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(urls), 500):
            rows = conn.execute(select(fetched_pages.c.url, fetched_pages.c.headers)
                                .where(fetched_pages.c.url.in_(urls[start:start + 500]))
                                .order_by(fetched_pages.c.fetched_at, fetched_pages.c.id))
            for url, headers in rows:
                try:
                    kept = json.loads(headers or "{}")
                except ValueError:
                    kept = {}
                out[url] = (kept.get("etag"), kept.get("last-modified"))
    return out


def mark_handled(store: Store, name: str, entries: list[Entry], stored: int,
                 when: datetime | None = None) -> None:
    """Entries handled (stored, known already, or refused for good), and the documents they
    added to the source's count, in one transaction."""
    if not entries and not stored:
        return
    when = when or datetime.now(UTC)
    keys = [e.key for e in entries]
    with store.engine.begin() as conn:
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            conn.execute(delete(source_items).where(source_items.c.source == name,
                                                    source_items.c.key.in_(chunk)))
        if entries:
            unique = {e.key: e for e in entries}
            conn.execute(insert(source_items), [
                {"source": name, "key": e.key, "url": e.url, "fingerprint": e.fingerprint,
                 "seen_at": when} for e in unique.values()])
        if stored:
            conn.execute(update(sources).where(sources.c.name == name)
                         .values(items=sources.c["items"] + stored))


def finish_poll(store: Store, name: str, when: datetime, status: int | None,
                error: str | None, etag: str | None = None, last_modified: str | None = None,
                keep_validators: bool = False) -> None:
    """A poll ended: when, with what status or error; its validators for the next poll
    (only after every entry was handled: otherwise the next poll must see the feed again)."""
    values: dict = {"last_fetch": when, "last_status": status, "polls": sources.c.polls + 1,
                    "last_error": error}
    if error:
        values.update(last_error_at=when, errors=sources.c.errors + 1)
    else:
        values["last_success"] = when
    if not keep_validators:
        values.update(etag=etag, last_modified=last_modified)
    with store.engine.begin() as conn:
        conn.execute(update(sources).where(sources.c.name == name).values(**values))


def handled_count(store: Store, name: str) -> int:
    with store.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(source_items)
                           .where(source_items.c.source == name)) or 0
