"""The JSON API's request and response models (they make /openapi.json useful).

Stories, claims, contradictions and outlet profiles are the read layer's own models
(read/models.py), the record's parts the pipeline's (model.py): FastAPI documents dataclasses as
they are, so a field is added once. Defined here: what only the API has (requests, errors, the
paged list wrappers, the rows of store queries). Document records follow the export schema
(docs/schema.md); list endpoints wrap their rows in an object with `items`, so that totals and
paging can sit next to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

# the record's parts are the pipeline's own dataclasses, views the read layer's
from newsprism.model import Entity, Event, FramingTerm, RemovedLine, Statement
from newsprism.read.models import Claim, ClaimMember, ClaimsView, Contradiction, OutletRow
from newsprism.read.models import StorySummary as StorySummary

__all__ = ["Claim", "ClaimMember", "ClaimsView", "Contradiction", "Entity", "Event",
           "FramingTerm", "OutletRow", "RemovedLine", "Statement", "StorySummary"]

MAX_PAGE_SIZE = 100
MAX_LIMIT = 500
MAX_POST_ITEMS = 100
MAX_BODY_BYTES = 5 * 2**20


class Error(BaseModel):
    detail: str = Field(description="What was wrong, in one sentence.")


class Health(BaseModel):
    documents: int


# -- documents --------------------------------------------------------------------------------

class DocumentListItem(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None = Field(description="YYYY-MM-DD, as the input states it")
    language: str | None
    story: str | None
    words: int
    snippet: str | None = Field(
        None, description="With a text query: plain-text excerpt around the hits (never HTML).")
    highlights: list[tuple[int, int]] | None = Field(
        None, description="With a text query: [start, end) offsets of the hits in `snippet`, "
        "counted in Unicode code points.")


class DocumentList(BaseModel):
    total: int = Field(description="Documents matching the filters, over all pages.")
    page: int
    page_size: int
    items: list[DocumentListItem]


class NearDuplicateRef(BaseModel):
    id: str
    similarity: float


class NearDuplicateDetail(NearDuplicateRef):
    relation: str | None = Field(None, description="copy_of or copied_by")
    reason: str | None = Field(None, description="Why this direction (dates, ingest order).")
    shared: list[str] = Field(default_factory=list, description="Passages both carry.")
    confidence: float | None = Field(None, description=(
        "0 to 1: how sure the pairing is (docs/confidence.md)"))
    changed: list[tuple[str, str]] = Field(
        default_factory=list,
        description="[this document's wording, the other's] for each differing passage.")
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


class DocumentRecord(BaseModel):
    """The export record (docs/schema.md, version 1)."""

    id: str
    source: str
    url: str | None
    title: str | None
    published: str | None
    outlet: str | None
    language: str | None
    text: str
    removed: list[RemovedLine]
    entities: list[Entity]
    statements: list[Statement]
    unnamed_statements: list[Statement]
    events: list[Event]
    unasserted_events: list[Event] = []
    framing: list[FramingTerm]
    near_duplicates: Sequence[NearDuplicateRef]
    story: str | None
    schema_version: int


class DocumentDetail(DocumentRecord):
    """The export record, with near-duplicates told apart: which copies which, what they
    share and what the copy changed."""

    near_duplicates: list[NearDuplicateDetail]


# -- entities, statements, events -------------------------------------------------------------

class EntitySummary(BaseModel):
    type: str
    name: str
    documents: int = Field(description="Documents that mention it.")
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    kind: str | None = Field(None, description="Places: country, region, settlement or other.")
    precision: str | None = Field(
        None, description="Places: what lat/lon stand for: country, region (their centroid), "
                          "settlement or facility.")


class EntityList(BaseModel):
    items: list[EntitySummary]


class StatementRow(BaseModel):
    document_id: str
    position: int
    speaker: str | None
    text: str
    kind: str
    cue: str | None
    source_type: str
    source_description: str | None
    evidence: str | None
    outlet: str | None
    published: str | None
    title: str | None


class StatementList(BaseModel):
    total: int
    page: int
    limit: int
    sort: str = Field("-date", description="The order of the items (`sort` as given, or "
                      "the default)")
    items: list[StatementRow]


class EventRow(BaseModel):
    document_id: str
    position: int
    type: str
    actor: str | None
    place: str | None
    date: str | None
    claimed_by: str | None
    evidence: str
    lat: float | None
    lon: float | None
    outlet: str | None
    published: str | None
    modality: str = "asserted"
    date_precision: str | None = None
    confidence: float | None = Field(None, description=(
        "0 to 1: how far the evidence supports the event (docs/confidence.md)"))


class EventList(BaseModel):
    total: int
    page: int
    limit: int
    sort: str = Field("-date", description="The order of the items (`sort` as given, or "
                      "the default)")
    items: list[EventRow]


class PointGeometry(BaseModel):
    type: Literal["Point"] = "Point"
    coordinates: tuple[float, float] = Field(description="[longitude, latitude] (RFC 7946)")


class EventProperties(BaseModel):
    type: str
    actor: str | None
    place: str | None
    date: str | None
    claimed_by: str | None
    evidence: str
    document_id: str
    outlet: str | None


class EventFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    geometry: PointGeometry
    properties: EventProperties


class EventCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[EventFeature]


# -- stories, claims, outlets -----------------------------------------------------------------

class StoryList(BaseModel):
    items: list[StorySummary]


class StoryDetail(BaseModel):
    """One page of a story's documents (oldest first), the claims they carry and where those
    contradict; `total` counts the whole story."""

    story: str
    documents: list[DocumentRecord]
    claims: list[Claim]
    contradictions: list[Contradiction]
    total: int = Field(0, description="Documents in the whole story.")
    page: int = 1
    page_size: int = 0
    pages: int = 1
    summary: StorySummary | None = Field(
        None, description="The whole story: documents, outlets, first and last date, title.")


class OutletList(BaseModel):
    items: list[OutletRow]


# -- ingest -----------------------------------------------------------------------------------

class NewDocument(BaseModel):
    """One article to ingest: `text` (scraped text) or `html`, and optional hints."""

    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD or any date the cleaner reads")
    outlet: str | None = None


class IngestFailure(BaseModel):
    index: int = Field(description="Position of the item in the request (0-based).")
    reason: str


class IngestResult(BaseModel):
    added: list[str] = Field(description="Ids of documents stored by this request.")
    present: list[str] = Field(description="Ids already stored (posting again adds nothing).")
    failed: list[IngestFailure]
