"""Alerts: saved queries whose new matches are reported once, to stdout, a JSONL file or a
webhook.

An alert names what to look for (any of: a place in any spelling, a person, an event type;
or a new contradiction on a place) and where to report it. A match is a document stored after
the alert was created (or a contradiction involving one); it is recorded in `alert_hits`
under a key, so the same match is never recorded twice: a document's key is its id, and a
watched page's key is its URL, so an edit of a page that already matched is not a new match
(an edit that makes a page match for the first time is). Recording and delivering are two
steps: a hit is written with `delivered_at` NULL, sent, then marked; one that could not be
sent (a webhook down) is sent on the next check, in order. A process killed between sending
and marking sends that hit once more on restart: each payload carries its `key`, for the
receiver to drop a repeat.

Each alert keeps a watermark in the database (`alerts.checked_at`, when its matches were
last looked for): a check reads the documents stored since then, less `WATERMARK_SLACK` (a
batch's ingest time is taken before its transaction commits), whichever process checks and
after any restart; the keys of `alert_hits` make the overlap harmless.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, and_, delete, insert, or_, select, update

from newsprism.store import Store
from newsprism.store.filters import named, place_names
from newsprism.store.schema import (
    alert_hits,
    alerts,
    claim_members,
    contradictions,
    document_versions,
    documents,
    entities,
    events,
    statements,
)
from newsprism.watch.sources import digest
from newsprism.watch.state import utc

MAX_HITS_PER_CHECK = 1000  # per alert; the rest are found on the next check
WATERMARK_SLACK = timedelta(minutes=10)  # a batch's ingest time precedes its commit
WEBHOOK_TIMEOUT = 10.0


class AlertError(ValueError):
    """An alert that cannot be saved as given."""


@dataclass
class AlertQuery:
    place: str | None = None
    person: str | None = None
    event_type: str | None = None
    contradiction: str | None = None  # a place: report new contradictions there
    to: str = "stdout"  # stdout | file:PATH | webhook:URL

    def criteria(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v and k != "to"}

    def describe(self) -> str:
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in self.criteria().items())


def parse_destination(to: str) -> str:
    if to == "stdout":
        return to
    kind, _, target = to.partition(":")
    if kind == "file" and target:
        return f"file:{Path(target).expanduser().resolve()}"
    if kind == "webhook" and target.startswith(("http://", "https://")):
        return to
    raise AlertError(f"'{to}' is not a destination: use stdout, file:PATH or "
                     "webhook:http(s)://...")


def add_alert(store: Store, name: str, query: AlertQuery) -> None:
    if not name or len(name) > 100:
        raise AlertError("an alert needs a name of 1 to 100 characters")
    if not query.criteria():
        raise AlertError("an alert needs --place, --person, --event-type or --contradiction")
    if query.contradiction and (query.place or query.person or query.event_type):
        raise AlertError("--contradiction stands alone (it watches a place for new "
                         "contradictions)")
    query.to = parse_destination(query.to)
    with store.engine.begin() as conn:
        if conn.scalar(select(alerts.c.name).where(alerts.c.name == name)):
            raise AlertError(f"an alert named '{name}' exists already (remove it first)")
        conn.execute(insert(alerts).values(name=name, query=json.dumps(asdict(query)),
                                           created_at=datetime.now(UTC)))


def remove_alert(store: Store, name: str) -> bool:
    with store.engine.begin() as conn:
        conn.execute(delete(alert_hits).where(alert_hits.c.alert == name))
        return bool(conn.execute(delete(alerts).where(alerts.c.name == name)).rowcount)


@dataclass
class SavedAlert:
    name: str
    query: AlertQuery
    created_at: datetime
    hits: int = 0
    undelivered: int = 0
    checked_at: datetime | None = None  # the watermark: matches looked for until then


def list_alerts(store: Store) -> list[SavedAlert]:
    from sqlalchemy import func

    with store.engine.connect() as conn:
        counts = {r.alert: (r.n, r.pending) for r in conn.execute(
            select(alert_hits.c.alert, func.count().label("n"),
                   func.count().filter(alert_hits.c.delivered_at.is_(None)).label("pending"))
            .group_by(alert_hits.c.alert))}
        rows = conn.execute(select(alerts).order_by(alerts.c.name)).all()
    out = []
    for row in rows:
        n, pending = counts.get(row.name, (0, 0))
        out.append(SavedAlert(row.name, AlertQuery(**json.loads(row.query)),
                              utc(row.created_at) or datetime.now(UTC), n, pending,
                              utc(row.checked_at)))
    return out


# -- finding matches ----------------------------------------------------------------------------
def _document_conditions(store: Store, q: AlertQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    names = place_names(q.place, store.spellings) if q.place else None
    if q.event_type and names:  # an event of that type at that place, not just both somewhere
        conds.append(documents.c.id.in_(select(events.c.document_id).where(
            events.c.type == q.event_type, events.c.place.in_(names))))
    elif q.event_type:
        conds.append(documents.c.id.in_(select(events.c.document_id).where(
            events.c.type == q.event_type)))
    elif names:
        conds.append(documents.c.id.in_(
            select(entities.c.document_id).where(entities.c.type == "place",
                                                 entities.c.name.in_(names))
            .union(select(events.c.document_id).where(events.c.place.in_(names)))))
    if q.person:
        conds.append(documents.c.id.in_(
            select(entities.c.document_id).where(entities.c.type == "person",
                                                 named(entities.c.name, q.person,
                                                       store.spellings))
            .union(select(statements.c.document_id).where(
                named(statements.c.speaker, q.person, store.spellings)))))
    return conds


def _document_hits(conn, store: Store, alert: SavedAlert, known: set[str],
                   after: datetime) -> list[dict]:
    q = alert.query
    rows = conn.execute(
        select(documents.c.id, documents.c.title, documents.c.url, documents.c.outlet,
               documents.c.published, documents.c.ingested_at, document_versions.c.url
               .label("page"), document_versions.c.version)
        .outerjoin(document_versions, document_versions.c.document_id == documents.c.id)
        .where(documents.c.ingested_at >= after, *_document_conditions(store, q))
        .order_by(documents.c.ingested_at, documents.c.id)).all()
    hits = []
    for row in rows:
        key = f"page:{digest(row.page)}" if row.page else f"document:{row.id}"
        if key in known:
            continue
        known.add(key)
        payload = {"alert": alert.name, "key": key, "match": "document",
                   "criteria": q.criteria(), "document_id": row.id, "title": row.title,
                   "url": row.url, "outlet": row.outlet, "published": row.published,
                   "stored_at": stored.isoformat() if (stored := utc(row.ingested_at)) else None,
                   "version": row.version}
        hits.append({"alert": alert.name, "key": key, "document_id": row.id,
                     "payload": json.dumps(payload, ensure_ascii=False)})
        if len(hits) >= MAX_HITS_PER_CHECK:
            break
    return hits


def _contradiction_hits(conn, store: Store, alert: SavedAlert, known: set[str],
                        after: datetime) -> list[dict]:
    assert alert.query.contradiction
    names = place_names(alert.query.contradiction, store.spellings)
    recent = select(claim_members.c.claim_id).join(
        documents, documents.c.id == claim_members.c.document_id).where(
        documents.c.ingested_at >= alert.created_at)
    del after  # contradictions are recomputed by each linking: all of them are looked at
    rows = conn.execute(select(contradictions).where(
        contradictions.c.place.in_(names),
        or_(contradictions.c.claim_a.in_(recent), contradictions.c.claim_b.in_(recent)))
        .order_by(contradictions.c.id)).all()
    hits = []
    for row in rows:
        pair = sorted((row.claim_a, row.claim_b))
        key = f"contradiction:{digest(row.kind, row.place, *pair)}"
        if key in known:
            continue
        known.add(key)
        members = sorted(set(conn.scalars(select(claim_members.c.document_id).where(
            claim_members.c.claim_id.in_(pair)))))
        payload = {"alert": alert.name, "key": key, "match": "contradiction",
                   "criteria": alert.query.criteria(), "place": row.place, "kind": row.kind,
                   "description": row.description, "claims": pair, "documents": members}
        hits.append({"alert": alert.name, "key": key, "document_id": None,
                     "payload": json.dumps(payload, ensure_ascii=False)})
        if len(hits) >= MAX_HITS_PER_CHECK:
            break
    return hits


def find_hits(store: Store) -> int:
    """Record the new matches of every alert (one transaction per alert, which also moves
    its watermark); returns how many."""
    found = 0
    for alert in list_alerts(store):
        after = alert.created_at
        if alert.checked_at is not None:
            after = max(after, alert.checked_at - WATERMARK_SLACK)
        with store._write() as conn:  # read and write under one lock: no match twice
            started = datetime.now(UTC)  # under the write lock: what committed is visible
            known = set(conn.scalars(select(alert_hits.c.key)
                                     .where(alert_hits.c.alert == alert.name)))
            finder = _contradiction_hits if alert.query.contradiction else _document_hits
            hits = finder(conn, store, alert, known, after)
            if hits:
                conn.execute(insert(alert_hits), [{**h, "found_at": started} for h in hits])
            if len(hits) < MAX_HITS_PER_CHECK:  # else the rest is found from the same mark
                conn.execute(update(alerts).where(alerts.c.name == alert.name)
                             .values(checked_at=started))
            found += len(hits)
    return found


# -- delivering -----------------------------------------------------------------------------------
def _send_file(path: str, lines: list[str]) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))
        fh.flush()
        os.fsync(fh.fileno())


def _send_webhook(url: str, payload: str) -> None:
    import httpx

    with httpx.Client(timeout=WEBHOOK_TIMEOUT, trust_env=False) as client:
        resp = client.post(url, content=payload.encode("utf-8"),
                           headers={"Content-Type": "application/json"})
    if not 200 <= resp.status_code < 300:
        raise OSError(f"HTTP {resp.status_code}")


def deliver(store: Store, on_line: Callable[[str], None],
            stdout: Callable[[str], None] | None = None) -> int:
    """Send every undelivered hit, oldest first, each alert to its destination; a hit is
    marked delivered once sent. A destination that fails keeps its hits for the next try."""
    write = stdout or (lambda line: (sys.stdout.write(line + "\n"), sys.stdout.flush()))
    destinations = {a.name: a.query.to for a in list_alerts(store)}
    with store.engine.connect() as conn:
        pending = conn.execute(select(alert_hits.c.alert, alert_hits.c.key,
                                      alert_hits.c.payload)
                               .where(alert_hits.c.delivered_at.is_(None))
                               .order_by(alert_hits.c.found_at, alert_hits.c.key)).all()
    by_alert: dict[str, list] = {}
    for row in pending:
        by_alert.setdefault(row.alert, []).append(row)
    delivered = 0

    def mark(alert: str, keys: list[str]) -> None:
        with store.engine.begin() as conn:
            for start in range(0, len(keys), 500):
                conn.execute(update(alert_hits).where(
                    and_(alert_hits.c.alert == alert,
                         alert_hits.c.key.in_(keys[start:start + 500])))
                    .values(delivered_at=datetime.now(UTC)))

    for alert, rows in by_alert.items():
        to = destinations.get(alert, "stdout")
        try:
            if to == "stdout":
                for row in rows:
                    write(row.payload)
                sent = rows
            elif to.startswith("file:"):
                _send_file(to[5:], [row.payload for row in rows])
                sent = rows
            else:
                sent = []
                for row in rows:
                    try:
                        _send_webhook(to[8:], row.payload)
                    except Exception:
                        if sent:
                            mark(alert, [r.key for r in sent])
                            delivered += len(sent)
                        raise
                    sent.append(row)
        except Exception as exc:  # noqa: BLE001 - one line; the hits wait for the next try
            detail = " ".join(str(exc).split()) or type(exc).__name__
            left = len(rows) - (len(sent) if to.startswith("webhook:") else 0)
            on_line(f"error: alert '{alert}': cannot deliver to {to} ({detail}); "
                    f"{left} match(es) kept for the next try")
            continue
        mark(alert, [r.key for r in sent])
        delivered += len(sent)
    return delivered


def check_alerts(store: Store, on_line: Callable[[str], None],
                 stdout: Callable[[str], None] | None = None) -> tuple[int, int]:
    """Find new matches and deliver what is pending: (found, delivered)."""
    found = find_hits(store)
    sent = deliver(store, on_line, stdout)
    if found or sent:
        on_line(f"alerts: {found} new match(es), {sent} delivered")
    return found, sent
