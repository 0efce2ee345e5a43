"""The analyst's pages, computed once: sortable listings of statements, events, claims,
contradictions and entities; one entity (mentions over time, its statements, events and
outlets), one statement, one claim, one contradiction; attention over time for a query (as
Media Cloud draws it: documents per outlet per day). The web pages render these as HTML, their
`.json` and `.csv` twins and the API as JSON or CSV, so the three cannot disagree.

A listing takes one `sort` value, a column name with an optional leading '-' (descending),
checked against the listing's own columns (`Sort.parse`, which names the valid ones).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, or_, select

from newsprism.read.reviews import reviews_for
from newsprism.store import EventFilter, StatementFilter, Store
from newsprism.store.filters import event_date, in_range, place_names
from newsprism.store.schema import (
    claim_members,
    claims,
    contradictions,
    documents,
    entities,
    events,
    near_duplicates,
    statements,
)

MAX_PAGE_SIZE = 200
ATTENTION_MAX = 5000  # matches of a query counted, best first (the page says when it stops)


class BadSort(ValueError):
    """A sort value that is not one of the listing's columns; the message lists them."""


@dataclass(frozen=True)
class Sort:
    """One listing's sort: `key` (a column) ascending or descending."""

    key: str
    descending: bool

    @property
    def value(self) -> str:
        return ("-" if self.descending else "") + self.key

    @staticmethod
    def parse(kind: str, given: str | None) -> Sort:
        """The sort a query string asks for, or the listing's default; BadSort otherwise."""
        allowed, default = SORTS[kind]
        value = (given or "").strip() or default
        key = value[1:] if value.startswith("-") else value
        if key not in allowed:
            choices = ", ".join(allowed)
            raise BadSort(f"'sort' must be one of {choices} (a leading '-' sorts descending; "
                          f"got {value[:40]!r})")
        return Sort(key, value.startswith("-"))


class BadConfidence(ValueError):
    """A minimum confidence that is not a number from 0 to 1."""


def min_confidence(given: str | float | None) -> float | None:
    """A `min_confidence` as typed (docs/confidence.md): a number from 0 to 1, or None for
    none given; BadConfidence saying what is expected otherwise."""
    if given is None or (isinstance(given, str) and not given.strip()):
        return None
    try:
        value = float(given)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:  # NaN fails both
        raise BadConfidence(f"'min_confidence' must be a number from 0 to 1 "
                            f"(got {str(given)[:40]!r})")
    return value


# listing -> (its sortable columns, its default sort)
SORTS: dict[str, tuple[tuple[str, ...], str]] = {
    "statements": (("date", "speaker", "source_type", "kind", "outlet"), "-date"),
    "events": (("date", "type", "place", "actor", "outlet", "claimed_by", "confidence"),
               "-date"),
    "claims": (("outlets", "date", "type", "place"), "-outlets"),
    "contradictions": (("place", "kind", "date"), "place"),
    "entities": (("documents", "name", "type"), "-documents"),
}

# the columns of each listing's CSV and JSON rows, in order
COLUMNS: dict[str, tuple[str, ...]] = {
    "statements": ("document_id", "position", "published", "outlet", "speaker", "source_type",
                   "source_description", "kind", "text", "evidence", "title", "url",
                   "review"),
    "events": ("document_id", "position", "date", "date_precision", "published", "type",
               "modality", "actor", "place", "country", "admin1", "lat", "lon",
               "claimed_by", "outlet", "evidence", "claim_id", "claim_outlets", "confidence",
               "review"),
    "claims": ("id", "type", "place", "date", "outlet_count", "outlets", "claimed_by",
               "members", "contradictions"),
    "contradictions": ("id", "kind", "place", "date", "description", "claim_a", "claim_b"),
    "entities": ("type", "name", "documents", "country", "lat", "lon", "precision"),
}


@dataclass
class Listing:
    """One page of a sortable listing, and how many rows match in all."""

    kind: str
    rows: list[dict[str, Any]]
    total: int
    page: int
    page_size: int
    sort: Sort

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def columns(self) -> tuple[str, ...]:
        return COLUMNS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "total": self.total, "page": self.page,
                "page_size": self.page_size, "pages": self.pages, "sort": self.sort.value,
                "columns": list(self.columns),
                "rows": [{c: r.get(c) for c in self.columns} for r in self.rows]}

    def csv_rows(self) -> list[list[Any]]:
        """The rows as CSV cells: lists joined by '; ', JSON for anything nested."""
        def cell(v: Any) -> Any:
            if isinstance(v, list | tuple):
                return "; ".join(str(x) if not isinstance(x, list | tuple | dict)
                                 else json.dumps(x, ensure_ascii=False) for x in v)
            if isinstance(v, dict):
                return json.dumps(v, ensure_ascii=False)
            return "" if v is None else v
        return [[cell(r.get(c)) for c in self.columns] for r in self.rows]


def _ordered(stmt, sort: Sort, columns: Mapping[str, ColumnElement[Any]],
             ties: tuple[ColumnElement[Any], ...]):
    column = columns[sort.key]
    order = column.desc() if sort.descending else column.asc()
    # empty values last whichever way a column is sorted (as SQLite and PostgreSQL differ)
    return stmt.order_by(None).order_by(column.is_(None), order, *ties)


def _paged(store: Store, stmt, count, page: int, page_size: int
           ) -> tuple[int, list[dict[str, Any]]]:
    with store.engine.connect() as conn:
        total = conn.scalar(count) or 0
        rows = [dict(r) for r in conn.execute(
            stmt.limit(page_size).offset((page - 1) * page_size)).mappings()]
    return total, rows


def _bounds(page: int, page_size: int, most: int = MAX_PAGE_SIZE) -> tuple[int, int]:
    return max(1, page), min(max(1, page_size), most)


def _with_reviews(store: Store, kind: str, rows: list[dict[str, Any]]) -> None:
    found = reviews_for(store, kind, [(r["document_id"], str(r["position"])) for r in rows])
    for r in rows:
        review = found.get((r["document_id"], str(r["position"])))
        r["review"] = review.verdict if review else None


# -- statements and events ----------------------------------------------------------------------

def statement_listing(store: Store, f: StatementFilter, sort: Sort, page: int = 1,
                      page_size: int = 50, most: int = MAX_PAGE_SIZE) -> Listing:
    """Statements of the filter in the order asked, with the analyst's verdict on each
    (`most`: the largest page, MAX_PAGE_SIZE for the pages, the API's own limit for it)."""
    page, page_size = _bounds(page, page_size, most)
    stmt, count = store._statements_select(f)
    cols = {"date": documents.c.published, "speaker": statements.c.speaker,
            "source_type": statements.c.source_type, "kind": statements.c.kind,
            "outlet": documents.c.outlet}
    stmt = _ordered(stmt, sort, cols, (statements.c.document_id, statements.c.position))
    total, rows = _paged(store, stmt, count, page, page_size)
    _with_reviews(store, "statement", rows)
    return Listing("statements", rows, total, page, page_size, sort)


def event_listing(store: Store, f: EventFilter, sort: Sort, page: int = 1,
                  page_size: int = 50, most: int = MAX_PAGE_SIZE) -> Listing:
    """Events of the filter in the order asked, with the analyst's verdict on each."""
    page, page_size = _bounds(page, page_size, most)
    stmt, count = store._events_select(f)
    cols = {"date": event_date(), "type": events.c.type, "place": events.c.place,
            "actor": events.c.actor, "outlet": documents.c.outlet,
            "claimed_by": events.c.claimed_by, "confidence": events.c.confidence}
    stmt = _ordered(stmt, sort, cols, (events.c.document_id, events.c.position))
    total, rows = _paged(store, stmt, count, page, page_size)
    _with_reviews(store, "event", rows)
    return Listing("events", rows, total, page, page_size, sort)


# -- claims and contradictions --------------------------------------------------------------

@dataclass
class ClaimFilter:
    place: str | None = None  # any spelling
    type: str | None = None
    outlet: str | None = None  # claims one of whose documents this outlet published
    date_from: str | None = None
    date_to: str | None = None


def _claim_conditions(store: Store, f: ClaimFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.place:
        conds.append(claims.c.place.in_(place_names(f.place, store.spellings)))
    if f.type:
        conds.append(claims.c.type == f.type)
    if f.outlet:
        conds.append(claims.c.id.in_(
            select(claim_members.c.claim_id)
            .join(documents, documents.c.id == claim_members.c.document_id)
            .where(documents.c.outlet == f.outlet)))
    conds += in_range(claims.c.date, f.date_from, f.date_to)
    return conds


def _claim_rows(conn, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    members: dict[str, list[list[Any]]] = {i: [] for i in ids}
    conflicts: dict[str, list[int]] = {i: [] for i in ids}
    if ids:
        for m in conn.execute(select(claim_members).where(claim_members.c.claim_id.in_(ids))
                              .order_by(claim_members.c.document_id,
                                        claim_members.c.position)):
            members[m.claim_id].append([m.document_id, m.position])
        for c in conn.execute(select(contradictions.c.id, contradictions.c.claim_a,
                                     contradictions.c.claim_b)
                              .where(or_(contradictions.c.claim_a.in_(ids),
                                         contradictions.c.claim_b.in_(ids)))):
            for claim_id in {c.claim_a, c.claim_b}:
                if claim_id in conflicts:
                    conflicts[claim_id].append(c.id)
    out = []
    for r in rows:
        out.append({**r, "outlets": json.loads(r["outlets"]),
                    "claimed_by": json.loads(r["claimed_by"]),
                    "members": members[r["id"]], "contradictions": conflicts[r["id"]]})
    return out


def claim_listing(store: Store, f: ClaimFilter, sort: Sort, page: int = 1,
                  page_size: int = 50) -> Listing:
    """Claims of the filter in the order asked, with their members and contradictions."""
    page, page_size = _bounds(page, page_size)
    conds = _claim_conditions(store, f)
    cols = {"outlets": claims.c.outlet_count, "date": claims.c.date, "type": claims.c.type,
            "place": claims.c.place}
    stmt = _ordered(select(claims).where(*conds), sort, cols, (claims.c.id,))
    count = select(func.count()).select_from(claims).where(*conds)
    with store.engine.connect() as conn:
        total = conn.scalar(count) or 0
        rows = [dict(r) for r in conn.execute(
            stmt.limit(page_size).offset((page - 1) * page_size)).mappings()]
        rows = _claim_rows(conn, rows)
    return Listing("claims", rows, total, page, page_size, sort)


def _contradiction_select(store: Store, f: ClaimFilter):
    a, b = claims.alias("a"), claims.alias("b")
    day = func.coalesce(a.c.date, b.c.date)
    stmt = (select(contradictions, day.label("date"))
            .join(a, a.c.id == contradictions.c.claim_a)
            .join(b, b.c.id == contradictions.c.claim_b))
    conds: list[ColumnElement[bool]] = []
    if f.place:
        conds.append(contradictions.c.place.in_(place_names(f.place, store.spellings)))
    if f.type:
        conds.append(or_(a.c.type == f.type, b.c.type == f.type))
    if f.outlet:
        outlet_claims = (select(claim_members.c.claim_id)
                         .join(documents, documents.c.id == claim_members.c.document_id)
                         .where(documents.c.outlet == f.outlet))
        conds.append(or_(a.c.id.in_(outlet_claims), b.c.id.in_(outlet_claims)))
    conds += in_range(day, f.date_from, f.date_to)
    return stmt.where(*conds), day, conds


def contradiction_listing(store: Store, f: ClaimFilter, sort: Sort, page: int = 1,
                          page_size: int = 50) -> Listing:
    """Contradictions between claims, filtered by place, outlet and date, in the order
    asked."""
    page, page_size = _bounds(page, page_size)
    stmt, day, _conds = _contradiction_select(store, f)
    cols = {"place": contradictions.c.place, "kind": contradictions.c.kind, "date": day}
    ordered = _ordered(stmt, sort, cols, (contradictions.c.id,))
    count = select(func.count()).select_from(stmt.subquery())
    total, rows = _paged(store, ordered, count, page, page_size)
    return Listing("contradictions", rows, total, page, page_size, sort)


@dataclass
class ClaimView:
    """One claim: what it says, every document that carries it with the event it is told
    by, and the claims it contradicts."""

    claim: dict[str, Any]
    members: list[dict[str, Any]]  # document id, position, outlet, title, published, event
    contradictions: list[dict[str, Any]]  # each with the other claim

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "members": self.members,
                "contradictions": self.contradictions}


def _event_of(conn, document_id: str, position: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(events, documents.c.outlet, documents.c.title, documents.c.published)
        .join(documents, documents.c.id == events.c.document_id)
        .where(events.c.document_id == document_id, events.c.position == position)
    ).mappings().first()
    return dict(row) if row else None


def claim_view(store: Store, claim_id: str) -> ClaimView | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(claims).where(claims.c.id == claim_id)).mappings().first()
        if row is None:
            return None
        claim = _claim_rows(conn, [dict(row)])[0]
        members = []
        for document_id, position in claim["members"]:
            ev = _event_of(conn, document_id, position)
            if ev is not None:
                members.append(ev)
        conflicts = []
        for c in conn.execute(select(contradictions).where(
                or_(contradictions.c.claim_a == claim_id,
                    contradictions.c.claim_b == claim_id)).order_by(contradictions.c.id)
                ).mappings():
            other_id = c["claim_b"] if c["claim_a"] == claim_id else c["claim_a"]
            other = conn.execute(select(claims).where(claims.c.id == other_id)
                                 ).mappings().first()
            conflicts.append({**dict(c), "other": _claim_rows(conn, [dict(other)])[0]
                              if other else None})
    _with_reviews(store, "event", members)
    return ClaimView(claim, members, conflicts)


@dataclass
class Side:
    """One side of a contradiction: what it says and the events that say it."""

    label: str
    claim: dict[str, Any]
    members: list[dict[str, Any]]


@dataclass
class ContradictionView:
    contradiction: dict[str, Any]
    claims: list[ClaimView]
    sides: list[Side] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"contradiction": self.contradiction,
                "claims": [c.to_dict() for c in self.claims],
                "sides": [{"label": s.label, "claim": s.claim["id"],
                           "members": [[m["document_id"], m["position"]] for m in s.members]}
                          for s in self.sides]}


def _sides_within(view: ClaimView, description: str) -> list[Side]:
    """The sides of a contradiction inside one claim (outlets giving different figures):
    the link stage describes each as 'WHO says “…”', parts apart by '; '."""
    parts = description.split(": ", 1)[-1].split("; ")
    sides: list[Side] = []
    placed: set[tuple[str, int]] = set()
    for part in parts:
        who = part.split(" says ", 1)[0].split(" say ", 1)[0]
        members = [m for m in view.members if m["outlet"] and m["outlet"] in who
                   and (m["document_id"], m["position"]) not in placed]
        placed.update((m["document_id"], m["position"]) for m in members)
        sides.append(Side(part, view.claim, members))
    rest = [m for m in view.members if (m["document_id"], m["position"]) not in placed]
    if rest:
        sides.append(Side("the other articles of this claim", view.claim, rest))
    return sides


def contradiction_view(store: Store, contradiction_id: int) -> ContradictionView | None:
    """One contradiction and the two claims it is between (or the one claim whose outlets
    disagree), each side with its events and documents."""
    with store.engine.connect() as conn:
        row = conn.execute(select(contradictions).where(
            contradictions.c.id == contradiction_id)).mappings().first()
    if row is None:
        return None
    ids = list(dict.fromkeys((row["claim_a"], row["claim_b"])))
    found = [v for v in (claim_view(store, i) for i in ids) if v is not None]
    if len(ids) == 1 and found:
        sides = _sides_within(found[0], row["description"])
    else:
        sides = [Side(f"{v.claim['type'].replace('_', ' ')}"
                      + (f" · {v.claim['date']}" if v.claim["date"] else ""), v.claim,
                      v.members) for v in found]
    return ContradictionView(dict(row), found, sides)


# -- confidence of near-duplicate pairs --------------------------------------------------------

def copy_confidences(store: Store, copies: Mapping[str, str]) -> dict[str, float | None]:
    """copy id -> the confidence of its pairing with the original it copies (a story page's
    `copies`, docs/confidence.md); None for a pair stored without one."""
    out: dict[str, float | None] = {}
    items = sorted(copies.items())
    with store.engine.connect() as conn:
        for start in range(0, len(items), 400):
            chunk = items[start:start + 400]
            for copy_id, other_id, value in conn.execute(
                    select(near_duplicates.c.document_id, near_duplicates.c.other_id,
                           near_duplicates.c.confidence)
                    .where(near_duplicates.c.document_id.in_([c for c, _o in chunk]),
                           near_duplicates.c.other_id.in_({o for _c, o in chunk}))):
                if copies.get(copy_id) == other_id:
                    out[copy_id] = value
    return out


# -- one statement ----------------------------------------------------------------------------

def statement_view(store: Store, document_id: str, position: int) -> dict[str, Any] | None:
    """One statement with its document's outlet, date, title and URL, and its review."""
    stmt = (select(statements, documents.c.outlet, documents.c.published, documents.c.title,
                   documents.c.url, documents.c.story)
            .join(documents, documents.c.id == statements.c.document_id)
            .where(statements.c.document_id == document_id, statements.c.position == position))
    with store.engine.connect() as conn:
        row = conn.execute(stmt).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["review"] = reviews_for(store, "statement", [(document_id, str(position))]).get(
        (document_id, str(position)))
    return out


# -- entities -----------------------------------------------------------------------------------

def entity_listing(store: Store, type_: str | None, name: str | None, sort: Sort,
                   page: int = 1, page_size: int = 50) -> Listing:
    """People, organisations and places across documents, in the order asked."""
    page, page_size = _bounds(page, page_size)
    n = func.count().label("documents")
    stmt = (select(entities.c.type, entities.c.name, n,
                   func.min(entities.c.lat).label("lat"), func.min(entities.c.lon).label("lon"),
                   func.min(entities.c.country).label("country"),
                   func.min(entities.c.precision).label("precision"))
            .group_by(entities.c.type, entities.c.name))
    if type_:
        stmt = stmt.where(entities.c.type == type_)
    if name:
        names = list(store.spellings(name, None))
        typed = entities.c.name.ilike(f"%{name}%")
        stmt = stmt.where(or_(typed, entities.c.name.in_(names)) if names else typed)
    cols = {"documents": func.count(), "name": entities.c.name, "type": entities.c.type}
    ordered = _ordered(stmt, sort, cols, (entities.c.type, entities.c.name))
    count = select(func.count()).select_from(stmt.subquery())
    total, rows = _paged(store, ordered, count, page, page_size)
    return Listing("entities", rows, total, page, page_size, sort)


@dataclass
class EntityView:
    """A person, organisation or place across the record."""

    type: str
    name: str
    documents: int
    spellings: list[str]  # the surface forms the articles use
    details: dict[str, Any]  # country, lat, lon, admin1, precision (places)
    per_day: list[tuple[str, int]]  # documents naming it, by publication day
    outlets: list[tuple[str, int]]  # documents naming it, by outlet
    statements: Listing  # by it (a person or body), or in articles naming it (a place)
    events: Listing  # its own (actor or claimant), or at it (a place)
    recent: list[dict[str, Any]] = field(default_factory=list)  # the latest documents

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "name": self.name, "documents": self.documents,
                "spellings": self.spellings, **self.details,
                "per_day": [{"day": d, "documents": n} for d, n in self.per_day],
                "outlets": [{"outlet": o, "documents": n} for o, n in self.outlets],
                "statements": self.statements.to_dict(), "events": self.events.to_dict(),
                "recent": self.recent}


def resolve_entity(store: Store, type_: str, name: str) -> str | None:
    """The stored name of an entity given in any spelling, or None."""
    with store.engine.connect() as conn:
        exact = conn.scalar(select(entities.c.name).where(
            entities.c.type == type_, entities.c.name == name).limit(1))
        if exact is not None:
            return exact
        names = list(store.spellings(name, type_))
        if names:
            return conn.scalar(select(entities.c.name).where(
                entities.c.type == type_, entities.c.name.in_(names)).limit(1))
    return None


def entity_view(store: Store, type_: str, name: str, page: int = 1, page_size: int = 25
                ) -> EntityView | None:
    """One entity by its stored name: mentions over time, outlets, statements, events."""
    named = and_(entities.c.type == type_, entities.c.name == name)
    docs = select(entities.c.document_id).where(named)
    with store.engine.connect() as conn:
        total = conn.scalar(select(func.count(func.distinct(entities.c.document_id)))
                            .where(named)) or 0
        if not total:
            return None
        forms: dict[str, None] = {}
        details: dict[str, Any] = {}
        for r in conn.execute(select(entities).where(named).limit(500)).mappings():
            for form in json.loads(r["mentions"] or "[]"):
                forms.setdefault(form, None)
            for key in ("country", "lat", "lon", "admin1", "precision", "kind"):
                if details.get(key) is None and r[key] is not None:
                    details[key] = r[key]
        day = func.coalesce(documents.c.published, literal(""))
        per_day = [(d, n) for d, n in conn.execute(
            select(day, func.count()).where(documents.c.id.in_(docs))
            .group_by(day).order_by(day)) if d]
        outlet = func.coalesce(documents.c.outlet, literal("(unknown outlet)"))
        outlets = [(o, n) for o, n in conn.execute(
            select(outlet, func.count()).where(documents.c.id.in_(docs))
            .group_by(outlet).order_by(func.count().desc(), outlet))]
        recent = [dict(r) for r in conn.execute(
            select(documents.c.id, documents.c.title, documents.c.outlet,
                   documents.c.published).where(documents.c.id.in_(docs))
            .order_by(documents.c.published.desc().nulls_last(), documents.c.id).limit(20)
        ).mappings()]
    for key in ("lat", "lon", "country", "admin1", "precision", "kind"):
        details.setdefault(key, None)
    stmt_sort, event_sort = Sort.parse("statements", None), Sort.parse("events", None)
    if type_ == "place":
        said = _listing_where(store, "statements", statements.c.document_id.in_(docs),
                              stmt_sort, page, page_size)
        happened = event_listing(store, EventFilter(place=name), event_sort, page, page_size)
    else:
        said = _listing_where(store, "statements", statements.c.speaker == name, stmt_sort,
                              page, page_size)
        happened = _listing_where(store, "events", or_(events.c.actor == name,
                                                      events.c.claimed_by == name),
                                  event_sort, page, page_size)
    return EntityView(type_, name, total, list(forms)[:30], details, per_day, outlets,
                      said, happened, recent)


def _listing_where(store: Store, kind: str, cond: ColumnElement[bool], sort: Sort, page: int,
                   page_size: int) -> Listing:
    """A statement or event listing narrowed by one more condition (an entity's)."""
    if kind == "statements":
        stmt, _count = store._statements_select(StatementFilter())
        cols: dict[str, ColumnElement[Any]] = {"date": documents.c.published}
        ties: tuple[ColumnElement[Any], ...] = (statements.c.document_id,
                                                statements.c.position)
        base = statements.join(documents, documents.c.id == statements.c.document_id)
    else:
        stmt, _count = store._events_select(EventFilter())
        cols, ties = {"date": event_date()}, (events.c.document_id, events.c.position)
        base = events.join(documents, documents.c.id == events.c.document_id)
    stmt = _ordered(stmt.where(cond), sort, cols, ties)
    count = select(func.count()).select_from(base).where(cond)
    total, rows = _paged(store, stmt, count, page, page_size)
    _with_reviews(store, kind[:-1], rows)
    return Listing(kind, rows, total, page, page_size, sort)


# -- attention over time --------------------------------------------------------------------

@dataclass
class Attention:
    """Documents matching a query, per outlet per day (Media Cloud's attention chart)."""

    query: str
    total: int
    capped: bool  # more than ATTENTION_MAX matched: the first ATTENTION_MAX are counted
    days: list[str]
    outlets: list[str]  # most documents first
    counts: dict[str, dict[str, int]]  # outlet -> day -> documents
    interval: str = "day"  # or "week": each count is of the week starting that Monday

    def series(self) -> list[tuple[str, list[int]]]:
        return [(o, [self.counts[o].get(d, 0) for d in self.days]) for o in self.outlets]

    def per_day(self) -> list[int]:
        return [sum(self.counts[o].get(d, 0) for o in self.outlets) for d in self.days]

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "capped": self.capped,
                "interval": self.interval, "days": self.days,
                "series": [{"outlet": o, "documents": v} for o, v in self.series()]}


INTERVALS = ("day", "week")


def attention(store: Store, query: str, outlet: str | None = None,
              date_from: str | None = None, date_to: str | None = None,
              match: Callable[[str], list[str]] | None = None,
              interval: str = "day") -> Attention:
    """Documents matching `query` (the full-text search, best first, at most ATTENTION_MAX)
    by outlet and publication day (or week, from its Monday), within the dates and outlet
    given."""
    with store.engine.connect() as conn:
        ids = [h.id for h in store.index.search(conn, query, ATTENTION_MAX + 1)] \
            if match is None else match(query)
        capped = len(ids) > ATTENTION_MAX
        ids = ids[:ATTENTION_MAX]
        conds: list[ColumnElement[bool]] = [documents.c.published.is_not(None)]
        if outlet:
            conds.append(documents.c.outlet == outlet)
        if date_from:
            conds.append(documents.c.published >= date_from)
        if date_to:
            conds.append(documents.c.published <= date_to)
        counts: dict[str, dict[str, int]] = {}
        name = func.coalesce(documents.c.outlet, literal("(unknown outlet)"))
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            for o, d, n in conn.execute(
                    select(name, documents.c.published, func.count())
                    .where(documents.c.id.in_(chunk), *conds)
                    .group_by(name, documents.c.published)):
                d = _monday(d) if interval == "week" else d
                counts.setdefault(o, {})[d] = counts.get(o, {}).get(d, 0) + n
    days = _day_range(sorted({d for c in counts.values() for d in c}),
                      7 if interval == "week" else 1)
    ranked = sorted(counts, key=lambda o: (-sum(counts[o].values()), o))
    return Attention(query, sum(sum(c.values()) for c in counts.values()), capped, days,
                     ranked, counts, interval)


def _monday(day: str) -> str:
    from datetime import date, timedelta

    try:
        d = date.fromisoformat(day)
    except ValueError:
        return day
    return (d - timedelta(d.weekday())).isoformat()


def _day_range(days: list[str], step: int = 1) -> list[str]:
    """Every day (or every `step` days) from the first to the last (one without documents is
    a zero, not a gap), at most about two thousand of them."""
    from datetime import date, timedelta

    if not days:
        return []
    try:
        first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    except ValueError:
        return days
    if (last - first).days // step > 2000:
        return days
    return [(first + timedelta(n)).isoformat() for n in range(0, (last - first).days + 1, step)]
