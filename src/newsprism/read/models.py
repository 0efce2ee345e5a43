"""Typed read models: what the front ends are given to render.

Each is computed once by a function of `newsprism.read` and rendered by the CLI (Rich tables or
JSON lines), the API (JSON) and the web (HTML); `to_dict()` is the JSON shape the API documents
and the CLI prints with --json, so both print the same thing. The API's response models are
these classes themselves (FastAPI documents dataclasses as they are; `Field` only adds a
description to /openapi.json), so a field is added in one place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Annotated, Any

from pydantic import Field

from newsprism.link.profiles import LOADED, OutletProfile
from newsprism.model import Document, Event, flat_dict


@dataclass(frozen=True)
class ClaimMember:
    document_id: str
    position: Annotated[int, Field(description="Index of the event in the document's `events`.")]


@dataclass(frozen=True)
class Claim:
    """One event several documents report (copies count once among its outlets)."""

    id: str
    type: str
    place: str
    date: str | None
    outlets: Annotated[list[str], Field(description="Independent outlets (copies count once).")]
    outlet_count: int
    claimed_by: list[str]
    members: list[ClaimMember]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Claim:
        return cls(id=row["id"], type=row["type"], place=row["place"], date=row["date"],
                   outlets=list(row["outlets"]), outlet_count=row["outlet_count"],
                   claimed_by=list(row["claimed_by"]),
                   members=[ClaimMember(d, p) for d, p in row["members"]])

    def to_dict(self) -> dict[str, Any]:
        """As `asdict`, without its deep copies (a story page has hundreds of members)."""
        return {**flat_dict(self), "members": [flat_dict(m) for m in self.members]}


@dataclass(frozen=True)
class Contradiction:
    id: int
    kind: str
    place: str
    description: str
    claim_a: str
    claim_b: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Contradiction:
        return cls(**{k: row[k] for k in ("id", "kind", "place", "description", "claim_a",
                                          "claim_b")})

    def to_dict(self) -> dict[str, Any]:
        return flat_dict(self)


@dataclass
class ClaimRow:
    """A claim as a story shows it: the events each of its documents tells it with."""

    claim: Claim
    cells: dict[str, list[Event]]  # document id -> its events of this claim
    contradictions: list[Contradiction]


@dataclass
class StoryView:
    """One story, outlet by outlet: its documents, their claims and where they contradict."""

    story: str
    documents: list[Document]
    claims: list[Claim]
    contradictions: list[Contradiction]
    rows: list[ClaimRow]  # contradicted claims first, then claims more outlets share
    copies: dict[str, str]  # copy id -> id of the document it copies
    # `documents` is one page of the story's documents (oldest first); claims, rows and
    # contradictions are those of that page; the summary counts the whole story
    total: int = 0
    page: int = 1
    page_size: int = 0
    summary: StorySummary | None = None

    @property
    def title(self) -> str | None:
        if self.summary is not None:
            return self.summary.title
        by_id = {d.id: d for d in self.documents}
        lead = by_id.get(self.story) or self.documents[0]
        return lead.title

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size)) if self.page_size else 1

    @property
    def outlets(self) -> list[str]:
        return sorted({d.outlet or "(unknown outlet)" for d in self.documents})

    def to_dict(self) -> dict[str, Any]:
        return {"story": self.story, "documents": [d.to_export() for d in self.documents],
                "claims": [c.to_dict() for c in self.claims],
                "contradictions": [c.to_dict() for c in self.contradictions],
                "total": self.total, "page": self.page, "page_size": self.page_size,
                "pages": self.pages,
                "summary": self.summary.to_dict() if self.summary else None}


@dataclass
class ClaimsView:
    claims: list[Claim]
    contradictions: list[Contradiction]

    def to_dict(self) -> dict[str, Any]:
        return {"claims": [c.to_dict() for c in self.claims],
                "contradictions": [c.to_dict() for c in self.contradictions]}


@dataclass
class OutletsView:
    """Outlet profiles over the whole store."""

    profiles: list[OutletProfile]

    @property
    def rows(self) -> list[dict[str, object]]:
        """One row per outlet, the fields of `OutletRow` (checked here, so that the API's
        documented shape and the table's are one)."""
        rows = [p.as_row() for p in self.profiles]
        for row in rows:
            OutletRow(**row)  # type: ignore[arg-type]
        return rows

    def loaded_terms(self) -> list[tuple[str, float, float]]:
        """(outlet, pro-Kremlin, pro-Ukrainian loaded terms per 1,000 words), most first: the
        stacked bars of the dashboard and the report."""
        ranked = sorted(self.profiles, key=lambda p: -p.per_1000(*LOADED))
        return [(p.outlet, p.per_1000(LOADED[0]), p.per_1000(LOADED[1])) for p in ranked]

    def ranked(self, *categories: str) -> list[tuple[str, float]]:
        """(outlet, terms of `categories` per 1,000 words), most first."""
        return sorted(((p.outlet, round(p.per_1000(*categories), 2)) for p in self.profiles),
                      key=lambda kv: -kv[1])


@dataclass
class DocumentView:
    """One document, with its near-duplicates told apart and who copies whom."""

    document: Document
    duplicates: list[dict[str, Any]]  # relation, reason, shared and changed passages
    copy_of: str | None
    copied_by: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The export record, near-duplicates with their details where known."""
        record = self.document.to_export()
        known = {d["id"] for d in self.duplicates}
        record["near_duplicates"] = self.duplicates + [
            n for n in record["near_duplicates"] if n["id"] not in known]
        return record


@dataclass
class Page:
    """One page of rows of some kind of record, and how many match in all."""

    total: int
    rows: list[dict[str, Any]]
    page: int = 1
    page_size: int = 20

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass
class SearchPage(Page):
    """Documents matching a filter; for a text query each row has a `snippet` whose hits
    are marked with HIT_START/HIT_END (`read.hit_spans` turns them into offsets)."""

    outlet_counts: list[tuple[str, int]] = field(default_factory=list)
    type_counts: list[tuple[str, int]] = field(default_factory=list)
    # set when the filter leaves more documents than the facets count (Store.FACET_ROWS):
    # they count among this many of its newest documents
    facets_among: int | None = None


@dataclass
class StorySummary:
    """A story in a list: how many documents and outlets tell it, over which dates."""

    story: str
    documents: int
    outlets: int
    first: str | None
    last: str | None
    title: str | None

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(StorySummary)}


@dataclass
class StoryListing(StorySummary):
    """A story as the dashboard and the report list it: with its contradictions (when asked
    for) and the names of its outlets (the report)."""

    contradictions: list[Contradiction] = field(default_factory=list)
    outlet_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OutletRow:
    """One outlet's profile, as a table row: shares and rates per 1,000 words."""

    outlet: str
    documents: int
    words: int
    unattributed_share: Annotated[float | None, Field(
        description="Share of its events stated in its own voice, with no named source.")]
    described_source_share: Annotated[float | None, Field(
        description="Share of its statements whose source is described, not named "
                    "(\"local officials\").")]
    no_source_share: Annotated[float | None, Field(
        description="Share of its statements with no source at all (\"it is believed\").")]
    loaded_per_1000: float
    pro_kremlin_per_1000: float
    pro_ukrainian_per_1000: float
    hedges_per_1000: float
    filler_per_1000: float
    copy_rate: Annotated[float | None, Field(
        description="Share of its articles that are near-copies of an earlier one.")]


@dataclass
class Overview:
    """What `newsprism report` shows of a whole database."""

    counts: list[tuple[str, int]]
    stories: list[StoryListing]
    contradictions: list[Contradiction]
    events: list[dict[str, Any]]
    outlets: OutletsView
    entities: dict[str, list[dict[str, Any]]]


def dumps(value: Any) -> str:
    """One JSON line, as the CLI prints rows for scripts."""
    return json.dumps(value, ensure_ascii=False, default=str)
