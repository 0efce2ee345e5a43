"""The link stage's reads and writes, and the bounded reads of what it found.

Linking is incremental (link/run.py): it reads only what a batch of new documents can join
(the postings of their story features, the events at their places, the copies among their
neighbours) and writes only what changed, in one transaction. Every read here is bounded by
its arguments (ids, places, a page), never by the size of the archive.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    column,
    func,
    make_url,
    or_,
    select,
    text,
    union_all,
    values,
)

from newsprism.model import Document
from newsprism.store.filters import Spellings, place_names
from newsprism.store.schema import (
    claim_members,
    claims,
    contradictions,
    documents,
    event_days,
    events,
    near_duplicates,
    signatures,
    stories,
    story_features,
    story_links,
)

CHUNK = 500
TRANSLATION = "translation"  # near-duplicate rows of link/crosslang.py start their reason so


def _keys(rows: list[tuple], *names: str):
    """`rows` as a table of string columns `names` a statement can join (WITH k AS VALUES)."""
    return values(*(column(n, String) for n in names), name="k").data(rows).cte("k")


def _chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def in_periods(column, periods: list[tuple[str, str]]):
    """Published within one of the periods ([first, last] ISO days), or without a full date
    (compared with every document)."""
    return or_(column.is_(None), func.length(column) != 10,
               *(column.between(a, b) for a, b in periods))


def periods_around(published: Iterable[str | None], days: int) -> list[tuple[str, str]] | None:
    """The days within `days` of any of these dates, as merged [first, last] periods; None
    when one of them has no full date (it is compared with every document)."""
    ordinals = set()
    for value in published:
        try:
            ordinals.add(date.fromisoformat(value or "").toordinal())
        except ValueError:
            return None
        if len(value or "") != 10:
            return None
    out: list[list[int]] = []
    for day in sorted(ordinals):
        if out and day - days <= out[-1][1] + 1:
            out[-1][1] = day + days
        else:
            out.append([day - days, day + days])
    return [(date.fromordinal(a).isoformat(), date.fromordinal(b).isoformat()) for a, b in out]


def _is_translation():
    return near_duplicates.c.reason.like(f"{TRANSLATION}%")


class LinkIO:
    """Mixed into `Store`: needs `engine`, `_write`, `_hydrate`, `_documents_in_order` and
    `spellings`."""

    if TYPE_CHECKING:  # what `Store` provides
        from sqlalchemy.engine import Connection, Engine

        engine: Engine
        url: str
        spellings: Spellings

        def _write(self) -> AbstractContextManager[Connection]: ...
        def _hydrate(self, conn: Connection, rows: list[Any]) -> list[Document]: ...
        def _documents_in_order(self, conds: list, batch_size: int) -> Iterator[Document]: ...

    # -- what changed: the key of every cached view (read/views.py) -----------------------
    def change_stamp(self) -> object:
        """A value that changes whenever anything is committed to the database, by any
        process: what the read layer's caches are valid for. On a SQLite file, the
        `data_version` of a connection of its own that never writes (a few microseconds);
        on PostgreSQL, the server's WAL insert position (any write moves it); None where
        there is no such thing (an in-memory database): then nothing is cached."""
        lock = self.__dict__.setdefault("_stamp_lock", threading.Lock())
        with lock:
            conn = self.__dict__.get("_stamp_conn")
            if conn is None:
                conn = self._stamp_connection()
                if conn is None:
                    return None
                self.__dict__["_stamp_conn"] = conn
            if isinstance(conn, sqlite3.Connection):
                # data_version counts within one connection only: another Store's connection
                # may show the same number for another state, so the stamp names its own
                token = self.__dict__.setdefault("_stamp_token", object())
                return (token, conn.execute("PRAGMA data_version").fetchone()[0])
            with self.engine.connect() as pg:
                # where WAL is inserted, not where it is written to disk: with
                # synchronous_commit off a commit returns before its WAL is written
                return pg.scalar(text("SELECT pg_current_wal_insert_lsn()::text"))

    def _stamp_connection(self) -> sqlite3.Connection | bool | None:
        url = make_url(self.url)
        if url.get_backend_name() == "postgresql":
            try:
                with self.engine.connect() as pg:
                    pg.scalar(text("SELECT pg_current_wal_lsn()"))
            except Exception:  # noqa: BLE001 (a standby, or not allowed: cache nothing)
                return None
            return True
        name = url.database or ""
        if name.startswith("file:") or not name or name == ":memory:" or \
                not Path(name).exists():
            return None
        return sqlite3.connect(f"file:{Path(name).resolve()}?mode=ro", uri=True,
                               isolation_level=None, check_same_thread=False)

    def close_stamp(self) -> None:
        conn = self.__dict__.pop("_stamp_conn", None)
        self.__dict__.pop("_stamp_token", None)
        if isinstance(conn, sqlite3.Connection):
            conn.close()

    # -- what the link stage reads --------------------------------------------------------
    def unlinked_documents(self, batch_size: int = 500) -> Iterator[Document]:
        """Documents not through linking yet (linked_at NULL), oldest first, in pages."""
        return self._documents_in_order([documents.c.linked_at.is_(None)], batch_size)

    def documents_by_id(self, ids: Iterable[str]) -> list[Document]:
        out: list[Document] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                rows = list(conn.execute(select(documents).where(documents.c.id.in_(chunk)))
                            .mappings())
                out += self._hydrate(conn, rows)
        return out

    def linked_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(documents)
                               .where(documents.c.linked_at.is_not(None))) or 0

    def feature_frequencies(self, features: Iterable[str]) -> dict[str, int]:
        """Feature -> how many linked documents have it (0 for none)."""
        out: dict[str, int] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(set(features)):
                out.update(conn.execute(
                    select(story_features.c.feature, func.count())
                    .where(story_features.c.feature.in_(chunk))
                    .group_by(story_features.c.feature)).all())
        return out

    def feature_postings(self, features: Iterable[str],
                         periods: list[tuple[str, str]] | None = None
                         ) -> list[tuple[str, str, str | None]]:
        """(feature, document id, published) of the linked documents with these features;
        with `periods` ([first, last] days), only those published then or without a full
        date."""
        out: list[tuple[str, str, str | None]] = []
        day = story_features.c.published
        # each a range of the (feature, published) index: the days asked for, and the
        # postings without a full date (compared with every document)
        ranges = [None] if periods is None else [
            day.is_(None), *(day.between(a, b) for a, b in periods)]
        with self.engine.connect() as conn:
            for chunk in _chunks(set(features)):
                for when in ranges:
                    out += [tuple(r) for r in conn.execute(
                        select(story_features.c.feature, story_features.c.document_id,
                               documents.c.published)
                        .join(documents, documents.c.id == story_features.c.document_id)
                        .where(story_features.c.feature.in_(chunk),
                               *([] if when is None else [when])))]
        return out

    def features_of(self, ids: Iterable[str]) -> dict[str, dict]:
        """id -> outlet, published, language, story and the stored features {name: weight}."""
        out: dict[str, dict] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                for r in conn.execute(select(documents.c.id, documents.c.outlet,
                                             documents.c.published, documents.c.language,
                                             documents.c.story)
                                      .where(documents.c.id.in_(chunk))).mappings():
                    out[r["id"]] = dict(r, features={})
                for doc_id, feature, weight in conn.execute(
                        select(story_features.c.document_id, story_features.c.feature,
                               story_features.c.weight)
                        .where(story_features.c.document_id.in_(chunk))):
                    out[doc_id]["features"][feature] = weight
        return out

    def linked_day_counts(self, periods: list[tuple[str, str]] | None) -> dict[str, int]:
        """Publication day -> how many linked documents have it, on those days (every day
        with None): the sizes of the windows story weights are read from."""
        day = documents.c.published
        if periods == []:
            return {}
        stmt = (select(day, func.count()).where(documents.c.linked_at.is_not(None),
                                                func.length(day) == 10)
                .group_by(day))
        if periods is not None:
            stmt = stmt.where(or_(*(day.between(a, b) for a, b in periods)))
        with self.engine.connect() as conn:
            return dict(conn.execute(stmt).all())

    def feature_day_counts(self, features: Iterable[str],
                           periods: list[tuple[str, str]] | None
                           ) -> list[tuple[str, str, int]]:
        """(feature, day, linked documents with it published that day), on those days (every
        day with None); undated documents count in no window, so they are not read."""
        day = story_features.c.published
        when = [day.is_not(None)] if periods is None else [
            or_(*(day.between(a, b) for a, b in periods))]
        out: list[tuple[str, str, int]] = []
        if periods == []:
            return out
        with self.engine.connect() as conn:
            for chunk in _chunks(set(features)):
                out += [tuple(r) for r in conn.execute(
                    select(story_features.c.feature, day, func.count())
                    .where(story_features.c.feature.in_(chunk), *when)
                    .group_by(story_features.c.feature, day))]
        return out

    def linked_published_in(self, periods: list[tuple[str, str]]) -> list[str]:
        """Ids of the linked documents published within these periods (full dates only)."""
        day = documents.c.published
        if not periods:
            return []
        with self.engine.connect() as conn:
            return list(conn.scalars(select(documents.c.id).where(
                documents.c.linked_at.is_not(None), func.length(day) == 10,
                or_(*(day.between(a, b) for a, b in periods)))))

    def story_links_of(self, ids: Iterable[str]) -> set[tuple[str, str]]:
        """The stored story links (a < b) with one end among these documents."""
        out: set[tuple[str, str]] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                for column in (story_links.c.a, story_links.c.b):
                    out.update(tuple(r) for r in conn.execute(
                        select(story_links.c.a, story_links.c.b).where(column.in_(chunk))))
        return out

    def stories_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        """id -> its story (None before its first linking)."""
        out: dict[str, str | None] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                out.update(conn.execute(select(documents.c.id, documents.c.story)
                                        .where(documents.c.id.in_(chunk))).all())
        return out

    def story_members(self, story_ids: Iterable[str]) -> dict[str, str]:
        """id -> story, for every document of these stories."""
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(set(story_ids)):
                out.update(conn.execute(select(documents.c.id, documents.c.story)
                                        .where(documents.c.story.in_(chunk))).all())
        return out

    def published_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                out.update(conn.execute(select(documents.c.id, documents.c.published)
                                        .where(documents.c.id.in_(chunk))).all())
        return out

    def translations_of(self, ids: Iterable[str]) -> set[tuple[str, str]]:
        """(copy, original) of the stored translations with one side among these documents."""
        out: set[tuple[str, str]] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                out.update(tuple(r) for r in conn.execute(
                    select(near_duplicates.c.document_id, near_duplicates.c.other_id)
                    .where(near_duplicates.c.relation == "copy_of", _is_translation(),
                           or_(near_duplicates.c.document_id.in_(chunk),
                               near_duplicates.c.other_id.in_(chunk)))))
        return out

    def copies_among(self, ids: Iterable[str]) -> dict[str, str]:
        """copy id -> original, for the given documents and the originals they lead to (copies
        of copies); a word-for-word copy wins over a translation."""
        out: dict[str, str] = {}
        todo = set(ids)
        seen: set[str] = set()
        order = case((_is_translation(), 1), else_=0)
        with self.engine.connect() as conn:
            while todo:
                seen |= todo
                found: dict[str, str] = {}
                for chunk in _chunks(todo):
                    for copy, original in conn.execute(
                            select(near_duplicates.c.document_id, near_duplicates.c.other_id)
                            .where(near_duplicates.c.relation == "copy_of",
                                   near_duplicates.c.document_id.in_(chunk))
                            .order_by(order.desc(), near_duplicates.c.other_id.desc())):
                        found[copy] = original  # the last one read wins: the preferred
                out.update(found)
                todo = set(found.values()) - seen
        return out

    def outlets_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                out.update(conn.execute(select(documents.c.id, documents.c.outlet)
                                        .where(documents.c.id.in_(chunk))).all())
        return out

    def event_rows(self, places: Iterable[str]) -> list[dict]:
        """Every stored event at these places, with its document's outlet and date."""
        out: list[dict] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(set(places)):
                out += [dict(r) for r in conn.execute(
                    select(events, documents.c.outlet, documents.c.published)
                    .join(documents, documents.c.id == events.c.document_id)
                    .where(events.c.place.in_(chunk))).mappings().all()]
        return out

    def events_of_documents(self, ids: Iterable[str]) -> list[dict]:
        """type, place, date, modality and the document's publication day of every event at a
        place of these documents."""
        out: list[dict] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                out += [dict(r) for r in conn.execute(
                    select(events.c.type, events.c.place, events.c.date, events.c.modality,
                           documents.c.published)
                    .join(documents, documents.c.id == events.c.document_id)
                    .where(events.c.document_id.in_(chunk), events.c.place.is_not(None))
                ).mappings()]
        return out

    def claim_openings(self, bounds: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
        """(type, place) -> the day (a full date) the last claim of the key opened before its
        bound (a date string); keys with none are left out. One statement per 500 keys."""
        out: dict[tuple[str, str], str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted((t, p, w) for (t, p), w in bounds.items())):
                k = _keys(chunk, "t", "p", "w")
                last = (select(claims.c.date)
                        .where(claims.c.type == k.c.t, claims.c.place == k.c.p,
                               claims.c.date < k.c.w, func.length(claims.c.date) == 10)
                        .order_by(claims.c.date.desc()).limit(1).scalar_subquery())
                for kind, place, day in conn.execute(select(k.c.t, k.c.p, last)):
                    if day:
                        out[kind, place] = day
        return out

    def claims_dated(self, wanted: dict[tuple[str, str], set[str]]) -> set[tuple[str, str, str]]:
        """(type, place, date) of the stored claims of these keys opened on these dates."""
        out: set[tuple[str, str, str]] = set()
        with self.engine.connect() as conn:
            for (kind, place), dates in wanted.items():
                out.update((kind, place, d) for d in conn.scalars(
                    select(claims.c.date).distinct().where(
                        claims.c.type == kind, claims.c.place == place,
                        claims.c.date.in_(sorted(dates)))))
        return out

    def event_rows_from(self, since: dict[tuple[str, str], str | None]) -> list[dict]:
        """The stored events of each (type, place) key grouped by a day from its date on, or
        by that date's year or month alone ("2024", "2024-05"); all of the key's for None;
        with their documents' outlet and date (event_days, migration 0021). One statement per
        500 keys."""
        day = event_days.c.day
        cols = (events, documents.c.outlet, documents.c.published)

        def joined(k, on):  # the events of the keys of `k` whose day meets `on`
            return (select(*cols).select_from(k)
                    .join(event_days, and_(event_days.c.place == k.c.p,
                                           event_days.c.type == k.c.t, *on))
                    .join(events, and_(events.c.document_id == event_days.c.document_id,
                                       events.c.position == event_days.c.position))
                    .join(documents, documents.c.id == events.c.document_id))

        dated = sorted((t, p, lo, lo[:4], lo[:7]) for (t, p), lo in since.items() if lo)
        whole = sorted((t, p) for (t, p), lo in since.items() if lo is None)
        out: list[dict] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(dated):
                k = _keys(chunk, "t", "p", "lo", "y", "m")
                # one index range each: SQLite reads every day of the key for an OR of them
                stmt = union_all(joined(k, [day >= k.c.lo]), joined(k, [day == k.c.y]),
                                 joined(k, [day == k.c.m]))
                out += [dict(r) for r in conn.execute(stmt).mappings()]
            for chunk in _chunks(whole):
                k = _keys(chunk, "t", "p")
                out += [dict(r) for r in conn.execute(joined(k, [])).mappings()]
        return out

    def claims_from(self, since: dict[str, str | None], types: Iterable[str]
                    ) -> tuple[list[dict], list[dict]]:
        """The stored claims of these types at each place opened on a day from its date on,
        or on that date's year or month alone; all of the place's for None. Returns the claims
        and their members' event rows (with claim_id, outlet and published)."""
        types = sorted(types)
        base = select(claims).where(claims.c.place == bindparam("p"), claims.c.type.in_(types))
        dated = base.where(or_(claims.c.date >= bindparam("lo"),
                               claims.c.date == bindparam("y"),
                               claims.c.date == bindparam("m")))
        found: list[dict] = []
        members: list[dict] = []
        with self.engine.connect() as conn:
            for place, lo in since.items():
                if lo is None:
                    rows = conn.execute(base, {"p": place})
                else:
                    rows = conn.execute(dated, {"p": place, "lo": lo, "y": lo[:4],
                                                "m": lo[:7]})
                found += [dict(r) for r in rows.mappings()]
            for chunk in _chunks({r["id"] for r in found}):
                members += [dict(r) for r in conn.execute(
                    select(claim_members.c.claim_id, events, documents.c.outlet,
                           documents.c.published)
                    .join(events, and_(events.c.document_id == claim_members.c.document_id,
                                       events.c.position == claim_members.c.position))
                    .join(documents, documents.c.id == events.c.document_id)
                    .where(claim_members.c.claim_id.in_(chunk))).mappings()]
        return found, members

    def event_places(self, ids: Iterable[str]) -> set[str]:
        out: set[str] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                out.update(conn.scalars(select(events.c.place).distinct().where(
                    events.c.document_id.in_(chunk), events.c.place.is_not(None))))
        return out

    def translation_pairs(self, ids: Iterable[str]) -> set[tuple[str, str]]:
        """(document, other) of every stored near-duplicate row of these documents."""
        out: set[tuple[str, str]] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                out.update(tuple(r) for r in conn.execute(
                    select(near_duplicates.c.document_id, near_duplicates.c.other_id)
                    .where(near_duplicates.c.document_id.in_(chunk))))
        return out

    def all_places(self) -> set[str]:
        """Places of stored events (a full re-link re-evaluates all of them)."""
        with self.engine.connect() as conn:
            return set(conn.scalars(select(events.c.place).distinct()
                                    .where(events.c.place.is_not(None))))

    # -- what the link stage writes -------------------------------------------------------
    def reset_links(self) -> None:
        """Forget stories, claims, contradictions and translations (a full re-link): every
        document is linked again by the next linking; copies and signatures stay."""
        with self._write() as conn:
            for table in (contradictions, claim_members, claims, stories, story_features,
                          story_links):
                conn.execute(table.delete())
            conn.execute(near_duplicates.delete().where(_is_translation()))
            conn.execute(documents.update().values(story=None, linked_at=None))

    def write_links(self, *, linked: Iterable[str], features: list[dict],
                    story_of: dict[str, str], summaries: set[str], gone: set[str],
                    links_added: set[tuple[str, str]], links_removed: set[tuple[str, str]],
                    translations_removed: set[tuple[str, str]],
                    claim_scope: dict[tuple[str, str], str | None],
                    claim_rows: list[dict], member_rows: list[dict],
                    contradiction_rows: list[dict], translation_rows: list[dict],
                    confidence_rows: list[dict] | None = None) -> None:
        """One transaction: the batch's features, the story links found and undone, the
        story of every document whose story changed (`story_of`), the summaries of
        `summaries` rewritten and of `gone` dropped, the claims of `claim_scope` (each
        (type, place) key's from the day given, or all of them for None) and their
        contradictions re-evaluated, translations found and undone; the batch (`linked`) is
        marked linked; `confidence_rows` are events whose confidence changed."""
        now = datetime.now(UTC)
        linked = list(linked)
        with self._write() as conn:
            # one compiled statement each, run for every row (executemany), not one
            # statement per story: a first linking names thousands
            in_batch = set(linked)
            by_id = documents.c.id == bindparam("b_id")
            for values, rows in (
                    ({"story": bindparam("b_story"), "linked_at": now},
                     [{"b_id": i, "b_story": story_of[i]} for i in linked if i in story_of]),
                    ({"linked_at": now}, [{"b_id": i} for i in linked if i not in story_of]),
                    ({"story": bindparam("b_story")},
                     [{"b_id": i, "b_story": s} for i, s in story_of.items()
                      if i not in in_batch])):
                if rows:
                    conn.execute(documents.update().where(by_id).values(**values), rows)
            if features:
                conn.execute(story_features.insert(), features)
            if links_removed:
                conn.execute(story_links.delete().where(
                    story_links.c.a == bindparam("b_a"), story_links.c.b == bindparam("b_b")),
                    [{"b_a": a, "b_b": b} for a, b in links_removed])
            if links_added:
                conn.execute(story_links.insert(),
                             [{"a": a, "b": b} for a, b in sorted(links_added)])
            for chunk in _chunks(gone | summaries):
                conn.execute(stories.delete().where(stories.c.id.in_(chunk)))
            _summarise(conn, summaries)
            claim_rows, member_rows, contradiction_rows = _rewrite_claims(
                conn, claim_scope, claim_rows, member_rows, contradiction_rows)
            if translations_removed:
                conn.execute(near_duplicates.delete().where(
                    near_duplicates.c.document_id == bindparam("b_a"),
                    near_duplicates.c.other_id == bindparam("b_b"), _is_translation()),
                    [{"b_a": a, "b_b": b} for x, y in translations_removed
                     for a, b in ((x, y), (y, x))])
            if translation_rows:
                have: set[tuple[str, str]] = set()
                for chunk in _chunks({r["document_id"] for r in translation_rows}):
                    have.update(tuple(r) for r in conn.execute(
                        select(near_duplicates.c.document_id, near_duplicates.c.other_id)
                        .where(near_duplicates.c.document_id.in_(chunk))))
                translation_rows = [r for r in translation_rows
                                    if (r["document_id"], r["other_id"]) not in have]
            if confidence_rows:  # b_doc, b_pos -> b_conf (docs/confidence.md)
                conn.execute(events.update().where(
                    events.c.document_id == bindparam("b_doc"),
                    events.c.position == bindparam("b_pos")).values(
                        confidence=bindparam("b_conf")), confidence_rows)
            for table, rows in ((claims, claim_rows), (claim_members, member_rows),
                                (contradictions, contradiction_rows),
                                (near_duplicates, translation_rows)):
                if rows:
                    conn.execute(table.insert(), rows)

    # -- bounded reads of what it found ---------------------------------------------------
    def stories(self, limit: int = 50, offset: int = 0) -> list[dict]:
        """Stories, largest first: size, outlets, first and last date, title (one query on
        the summaries the link stage keeps)."""
        stmt = (select(stories.c.id.label("story"), stories.c.documents, stories.c.outlets,
                       stories.c.first, stories.c.last, stories.c.title)
                .order_by(stories.c.documents.desc(), stories.c.id).limit(limit).offset(offset))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def story_counts(self) -> tuple[int, int]:
        """(stories, stories told by several outlets)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(func.count(), func.sum(
                (stories.c.outlets > 1).cast(Integer)))).one()
        return row[0] or 0, row[1] or 0

    def story_summary(self, story: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(stories).where(stories.c.id == story)).mappings().first()
        return dict(row) if row else None

    def story_documents(self, story: str, limit: int | None = None, offset: int = 0
                        ) -> list[Document]:
        """One page of a story's documents, oldest first."""
        # the order of ix_documents_story_published (undated first, as SQLite sorts NULL)
        stmt = (select(documents).where(documents.c.story == story)
                .order_by(documents.c.published.asc().nulls_first(), documents.c.id)
                .limit(limit).offset(offset))
        with self.engine.connect() as conn:
            return self._hydrate(conn, list(conn.execute(stmt).mappings()))

    def claims_for(self, document_ids: list[str] | None = None, limit: int | None = None,
                   places: list[str] | None = None) -> list[dict]:
        """Claims (those of some documents, or at some places, when given) with their
        members, most outlets first: a look-up of the members, not a membership test over
        every claim."""
        stmt = select(claims).order_by(claims.c.outlet_count.desc(), claims.c.id).limit(limit)
        if places is not None:
            stmt = stmt.where(claims.c.place.in_(places))
        with self.engine.connect() as conn:
            if document_ids is not None:
                ids: set[str] = set()
                for chunk in _chunks(set(document_ids)):
                    ids.update(conn.scalars(select(claim_members.c.claim_id).distinct()
                                            .where(claim_members.c.document_id.in_(chunk))))
                rows = []
                for chunk in _chunks(ids):
                    rows += [dict(r) for r in conn.execute(
                        stmt.where(claims.c.id.in_(chunk))).mappings()]
                rows.sort(key=lambda r: (-r["outlet_count"], r["id"]))
                rows = rows[:limit] if limit is not None else rows
            else:
                rows = [dict(r) for r in conn.execute(stmt).mappings()]
            members: dict[str, list[tuple[str, int]]] = {r["id"]: [] for r in rows}
            for chunk in _chunks(members):
                for r in conn.execute(select(claim_members).where(
                        claim_members.c.claim_id.in_(chunk)).order_by(
                        claim_members.c.claim_id, claim_members.c.document_id,
                        claim_members.c.position)).all():
                    members[r.claim_id].append((r.document_id, r.position))
        for row in rows:
            row["members"] = members[row["id"]]
            row["outlets"] = json.loads(row["outlets"])
            row["claimed_by"] = json.loads(row["claimed_by"])
        return rows

    def claim_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(claims)) or 0

    def contradiction_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(contradictions)) or 0

    def contradictions(self, place: str | None = None, claim_ids: Iterable[str] | None = None,
                       limit: int | None = None) -> list[dict]:
        """Contradictions, at a place in any spelling or between some claims."""
        stmt = select(contradictions).order_by(contradictions.c.place, contradictions.c.id)
        if place:
            stmt = stmt.where(contradictions.c.place.in_(place_names(place, self.spellings)))
        with self.engine.connect() as conn:
            if claim_ids is None:
                return [dict(r) for r in conn.execute(stmt.limit(limit)).mappings()]
            found: dict[int, dict] = {}
            for chunk in _chunks(set(claim_ids)):
                for r in conn.execute(stmt.where(or_(contradictions.c.claim_a.in_(chunk),
                                                     contradictions.c.claim_b.in_(chunk)))
                                      ).mappings():
                    found[r["id"]] = dict(r)
        rows = sorted(found.values(), key=lambda r: (r["place"], r["id"]))
        return rows[:limit] if limit is not None else rows

    def contradictions_of_stories(self, story_ids: list[str]) -> dict[str, list[dict]]:
        """story id -> contradictions between claims of its documents (a claim belongs to the
        earliest-named story among its members' documents)."""
        owner: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(set(story_ids)):
                for claim_id, story in conn.execute(
                        select(claim_members.c.claim_id, func.min(documents.c.story))
                        .join(documents, documents.c.id == claim_members.c.document_id)
                        .where(documents.c.story.in_(chunk))
                        .group_by(claim_members.c.claim_id)):
                    owner[claim_id] = min(story, owner.get(claim_id, story))
        out: dict[str, list[dict]] = {}
        for row in self.contradictions(claim_ids=owner):
            story = owner.get(row["claim_a"]) or owner.get(row["claim_b"])
            if story:
                out.setdefault(story, []).append(row)
        return out

    def copies_of_documents(self, ids: Iterable[str]) -> dict[str, str]:
        """copy id -> original, for rows of the given documents (either side)."""
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                out.update(conn.execute(
                    select(near_duplicates.c.document_id, near_duplicates.c.other_id)
                    .where(near_duplicates.c.relation == "copy_of",
                           or_(near_duplicates.c.document_id.in_(chunk),
                               near_duplicates.c.other_id.in_(chunk)))).all())
        return out

    def sentences_of(self, ids: Iterable[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(set(ids)):
                out.update(conn.execute(
                    select(signatures.c.document_id, signatures.c.sentences)
                    .where(signatures.c.document_id.in_(chunk),
                           signatures.c.sentences.is_not(None))).all())
        return out


_CLAIM_VALUES = ("type", "place", "date", "outlets", "outlet_count", "claimed_by")
_CONTRADICTION_VALUES = ("kind", "place", "description", "claim_a", "claim_b")


def _rewrite_claims(conn, scope: dict[tuple[str, str], str | None], claim_rows: list[dict],
                    member_rows: list[dict], contradiction_rows: list[dict]
                    ) -> tuple[list[dict], list[dict], list[dict]]:
    """Make the claims of `scope` (each (type, place) key's opened from the day given, all of
    the key's for None), their members and every contradiction one of them is in the ones
    given, and return the rows still to insert. Only what differs is written: most of what
    a batch re-evaluates it leaves as it was (claim ids are content hashes, so an unchanged
    claim keeps its row; an unchanged contradiction keeps its id)."""
    old_claims: dict[str, tuple] = {}
    old_members: set[tuple[str, str, int]] = set()
    old_contradictions: dict[tuple, list[int]] = {}
    dated = sorted((t, p, d) for (t, p), d in scope.items() if d is not None)
    whole = sorted((t, p) for (t, p), d in scope.items() if d is None)
    for rows, names in ((dated, ("t", "p", "d")), (whole, ("t", "p"))):
        for chunk in _chunks(rows):
            k = _keys(chunk, *names)
            on = [claims.c.type == k.c.t, claims.c.place == k.c.p]
            if "d" in names:
                on.append(claims.c.date >= k.c.d)
            for row in conn.execute(select(claims).select_from(k).join(claims, and_(*on))
                                    ).mappings().all():
                old_claims[row["id"]] = tuple(row[c] for c in _CLAIM_VALUES)
    seen: set[int] = set()
    for chunk in _chunks(old_claims):
        for row in conn.execute(select(contradictions).where(or_(
                contradictions.c.claim_a.in_(chunk), contradictions.c.claim_b.in_(chunk)))
                ).mappings().all():
            if row["id"] not in seen:
                seen.add(row["id"])
                old_contradictions.setdefault(tuple(row[k] for k in _CONTRADICTION_VALUES),
                                              []).append(row["id"])
    for chunk in _chunks(old_claims):
        old_members.update((c, d, p) for c, d, p in conn.execute(
            select(claim_members.c.claim_id, claim_members.c.document_id,
                   claim_members.c.position).where(claim_members.c.claim_id.in_(chunk))).all())
    new_claims = {r["id"]: r for r in claim_rows}
    new_members = {(r["claim_id"], r["document_id"], r["position"]) for r in member_rows}
    gone = set(old_claims) - set(new_claims)
    changed = [r for i, r in new_claims.items()
               if i in old_claims and tuple(r[k] for k in _CLAIM_VALUES) != old_claims[i]]
    dropped = [m for m in old_members - new_members]
    if dropped:
        conn.execute(claim_members.delete().where(
            claim_members.c.claim_id == bindparam("b_claim"),
            claim_members.c.document_id == bindparam("b_doc"),
            claim_members.c.position == bindparam("b_pos")),
            [{"b_claim": c, "b_doc": d, "b_pos": p} for c, d, p in sorted(dropped)])
    for chunk in _chunks(gone):
        conn.execute(claims.delete().where(claims.c.id.in_(chunk)))
    if changed:
        conn.execute(claims.update().where(claims.c.id == bindparam("b_id")).values(
            **{k: bindparam(f"b_{k}") for k in _CLAIM_VALUES}),
            [{"b_id": r["id"], **{f"b_{k}": r[k] for k in _CLAIM_VALUES}} for r in changed])
    kept: list[dict] = []
    for row in contradiction_rows:
        ids = old_contradictions.get(tuple(row[k] for k in _CONTRADICTION_VALUES))
        if ids:
            ids.pop()
        else:
            kept.append(row)
    stale = sorted(i for ids in old_contradictions.values() for i in ids)
    for chunk in _chunks(stale):
        conn.execute(contradictions.delete().where(contradictions.c.id.in_(chunk)))
    first = (conn.scalar(select(func.max(contradictions.c.id))) or 0) + 1
    return ([r for i, r in new_claims.items() if i not in old_claims],
            [r for r in member_rows
             if (r["claim_id"], r["document_id"], r["position"]) not in old_members],
            [{**row, "id": first + n} for n, row in enumerate(kept)])


def _summarise(conn, story_ids: set[str]) -> None:
    """(Re)write the summaries of these stories from their documents."""
    title = documents.alias("first_doc")
    for chunk in _chunks(story_ids):
        rows = [dict(r) for r in conn.execute(
            select(documents.c.story.label("id"), func.count().label("documents"),
                   func.count(func.distinct(documents.c.outlet)).label("outlets"),
                   func.min(documents.c.published).label("first"),
                   func.max(documents.c.published).label("last"),
                   func.min(title.c.title).label("title"))
            .join(title, title.c.id == documents.c.story)
            .where(documents.c.story.in_(chunk))
            .group_by(documents.c.story)).mappings()]
        if rows:
            conn.execute(stories.insert(), rows)
