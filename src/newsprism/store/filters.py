"""What each kind of record can be narrowed by, and the one place those filters become SQL.

As datasette's `build_where_clauses` or sqlite-utils' `rows_where`: a filter is plain data, and
one function per kind of record turns it into WHERE conditions, used by the paged query and by
the facets alike, so the list and its counts cannot disagree. The spellings of a name (Kharkov,
Харків → Kharkiv) are looked up above the store and passed in (`Spellings`): the store imports
nothing from the pipeline or the link stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select

from newsprism.store.schema import documents, entities, events, statements

Spellings = Callable[[str, str | None], Iterable[str]]
"""(what was typed, entity type or None) -> the canonical names it stands for, maybe none."""


def no_spellings(_query: str, _type: str | None = None) -> tuple[str, ...]:
    """The default look-up: names match as typed."""
    return ()


@dataclass
class DocumentFilter:
    """What the document list can be narrowed by; every field is optional."""

    q: str | None = None  # full-text query
    outlet: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    entity: str | None = None  # part of a person/organisation/place name
    place: str | None = None  # a place in any spelling, as an entity or an event place
    event_type: str | None = None
    story: str | None = None


@dataclass
class StatementFilter:
    speaker: str | None = None  # part of a name, or any spelling of it
    source_type: str | None = None  # person, body, country, described or unattributed
    outlet: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive: the article's date
    date_to: str | None = None


@dataclass
class EventFilter:
    type: str | None = None
    place: str | None = None  # any spelling
    located: bool = False  # only events whose place has coordinates
    outlet: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive: the event's date (see event_date)
    date_to: str | None = None
    modality: tuple[str, ...] = ()  # any of these (asserted, planned, denied, ...); () any
    min_confidence: float | None = None  # in [0, 1] (docs/confidence.md); unset: any


def place_names(query: str, spellings: Spellings) -> list[str]:
    """The stored place names a typed place stands for: itself and its canonical names."""
    return sorted({query, *spellings(query, "place")})


def named(column: Any, query: str, spellings: Spellings) -> ColumnElement[bool]:
    """Part of a name as typed, or any canonical name it is a spelling of, in any language."""
    names = list(spellings(query, None))
    typed = column.ilike(f"%{query}%")
    return or_(typed, column.in_(names)) if names else typed


def document_conditions(f: DocumentFilter, spellings: Spellings) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a document filter, its full-text query aside (the search
    index adds that)."""
    conds: list[ColumnElement[bool]] = []
    if f.outlet:
        conds.append(documents.c.outlet == f.outlet)
    if f.date_from:
        conds.append(documents.c.published >= f.date_from)
    if f.date_to:
        conds.append(documents.c.published <= f.date_to)
    if f.story:
        conds.append(documents.c.story == f.story)
    if f.entity:
        conds.append(documents.c.id.in_(select(entities.c.document_id).where(
            named(entities.c.name, f.entity, spellings))))
    if f.place:
        names = place_names(f.place, spellings)
        conds.append(documents.c.id.in_(
            select(entities.c.document_id).where(entities.c.type == "place",
                                                 entities.c.name.in_(names))
            .union(select(events.c.document_id).where(events.c.place.in_(names)))))
    if f.event_type:
        conds.append(documents.c.id.in_(select(events.c.document_id).where(
            events.c.type == f.event_type)))
    return conds


def event_date() -> ColumnElement[str]:
    """An event's date as the text gives it (YYYY-MM-DD, YYYY-MM or YYYY), else its article's
    publication date: what event lists sort and filter by (needs `documents` joined)."""
    return func.coalesce(events.c.date, documents.c.published)


def in_range(column: Any, date_from: str | None, date_to: str | None
             ) -> list[ColumnElement[bool]]:
    """A date of any precision within [date_from, date_to] (YYYY-MM-DD): a month or a year
    counts when it overlaps the range ("2025-03" is within 2025-03-15..2025-04-01). A
    shorter date is a prefix of the days in it and sorts before them, so string comparison
    does it, alike on SQLite and PostgreSQL whatever the collation."""
    conds: list[ColumnElement[bool]] = []
    if date_from:
        conds.append(or_(column >= date_from, column.in_([date_from[:7], date_from[:4]])))
    if date_to:
        conds.append(column <= date_to)
    return conds


def statement_conditions(f: StatementFilter, spellings: Spellings) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a statement filter (with `documents` joined)."""
    conds: list[ColumnElement[bool]] = []
    if f.speaker:
        conds.append(named(statements.c.speaker, f.speaker, spellings))
    if f.source_type:
        conds.append(statements.c.source_type == f.source_type)
    if f.outlet:
        conds.append(documents.c.outlet == f.outlet)
    conds += in_range(documents.c.published, f.date_from, f.date_to)
    return conds


def event_conditions(f: EventFilter, spellings: Spellings) -> list[ColumnElement[bool]]:
    """The WHERE conditions of an event filter (with `documents` joined)."""
    conds: list[ColumnElement[bool]] = []
    if f.type:
        conds.append(events.c.type == f.type)
    if f.place:
        conds.append(events.c.place.in_(place_names(f.place, spellings)))
    if f.located:
        conds += [events.c.lat.is_not(None), events.c.lon.is_not(None)]
    if f.outlet:
        conds.append(documents.c.outlet == f.outlet)
    if f.modality:
        conds.append(events.c.modality.in_(list(f.modality)))
    if f.min_confidence is not None:
        conds.append(events.c.confidence >= f.min_confidence)
    conds += in_range(event_date(), f.date_from, f.date_to)
    return conds
