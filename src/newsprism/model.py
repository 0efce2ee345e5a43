"""The one document model that flows through every pipeline stage.

Ingest creates a `Document` holding the raw bytes and whatever the input said about itself
(`hints`); each stage fills in more fields and returns the same document. The export schema
(docs/schema.md) is `Document.to_export()`; bump `SCHEMA_VERSION` when it changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import Any, Literal

SCHEMA_VERSION = 2

Kind = Literal["text", "html"]
EntityType = Literal["person", "organization", "place"]
PlaceKind = Literal["country", "region", "settlement", "other"]
GeoPrecision = Literal["country", "region", "settlement", "facility"]


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def flat_dict(obj: Any) -> dict[str, Any]:
    """`dataclasses.asdict` of a record whose fields are plain values or lists of them (every
    part of a Document): the same dict, made several times faster (asdict deep-copies every
    value, which was most of the time of a story page's JSON). Lists are copied."""
    return {name: list(value) if isinstance(value, list) else value
            for name in _field_names(type(obj)) for value in [getattr(obj, name)]}


def content_id(raw: bytes) -> str:
    """Content-addressed id: the same bytes always get the same id, whatever the path."""
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass
class RemovedLine:
    line: str
    reason: str


@dataclass
class Entity:
    type: EntityType
    name: str
    mentions: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    # places only: what the coordinates stand for (see docs/schema.md)
    kind: PlaceKind | None = None
    admin1: str | None = None  # the first-level region (state, oblast) the place lies in
    precision: GeoPrecision | None = None


SourceType = Literal["person", "body", "country", "described", "unattributed"]
StatementKind = Literal["direct", "reported", "mixed"]


@dataclass
class Statement:
    """What a source said, with the evidence it was read from.

    `speaker` is a canonical person, organisation or country, or None; `source_type` says
    which, and for a described source ("local officials") `source_description` keeps the
    phrase. `evidence` is the sentence (or quote block) and `start`/`end` the offsets of
    `text` in the clean text, when it is a verbatim span of it."""

    speaker: str | None
    text: str
    kind: StatementKind
    cue: str | None = None
    source_type: SourceType = "unattributed"
    source_description: str | None = None
    evidence: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Event:
    type: str
    actor: str | None
    place: str | None
    date: str | None
    claimed_by: str | None
    evidence: str
    # asserted | denied | hypothetical | demanded | planned | threatened: only asserted and
    # planned events are claims (docs/events.md)
    modality: str = "asserted"
    date_precision: str | None = None  # day | month | year; `date` is cut to it
    confidence: float | None = None  # in [0, 1], docs/confidence.md (extract, then link)
    # the party acted on: the target of a strike, the side that lost men, the sanctioned
    # state, the other side of a meeting (ACLED's actor2); None when the text names none
    actor2: str | None = None

    @property
    def is_claim(self) -> bool:
        """Asserted or planned: something said to happen, not a threat, demand or guess."""
        return self.modality in ("asserted", "planned")


@dataclass
class FramingTerm:
    """One occurrence of a framing term. `start`/`end` are its offsets in the clean text
    (`text[start:end] == term`), found by the framing stage, so that a page marks where the
    stage found it without searching the text again; None in records made before they
    were kept."""

    term: str
    category: str
    neutral: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class NearDuplicate:
    id: str
    similarity: float


@dataclass
class Document:
    """A news article on its way from raw bytes to a sourced record."""

    id: str
    source: str
    raw: bytes
    kind: Kind
    hints: dict[str, str] = field(default_factory=dict)
    # filled by ingest/decode
    encoding: str | None = None
    raw_text: str = ""
    # filled by clean/
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    lines: list[str] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    # filled by later stages (extract/, link/)
    entities: list[Entity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    framing: list[FramingTerm] = field(default_factory=list)
    near_duplicates: list[NearDuplicate] = field(default_factory=list)
    story: str | None = None

    @property
    def text(self) -> str:
        """The clean body, one paragraph per line."""
        return "\n".join(self.lines)

    def remove(self, line: str, reason: str) -> None:
        self.removed.append(RemovedLine(line, reason))

    def to_export(self) -> dict[str, Any]:
        """The versioned export record (docs/schema.md)."""
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "outlet": self.outlet,
            "language": self.language,
            "text": self.text,
            "removed": [flat_dict(r) for r in self.removed],
            "entities": [flat_dict(e) for e in self.entities],
            # who said what: a named person, body or country; ANNOTATION-style consumers read
            # this list. Claims of described or unnamed sources follow apart, with their
            # description, so that nothing is presented as said by no one in particular.
            "statements": [flat_dict(s) for s in self.statements if s.speaker is not None],
            "unnamed_statements": [flat_dict(s) for s in self.statements if s.speaker is None],
            # claimed happenings (asserted or planned); denied, hypothetical, demanded and
            # threatened ones follow apart, so that no threat reads as a strike
            "events": [flat_dict(e) for e in self.events if e.is_claim],
            "unasserted_events": [flat_dict(e) for e in self.events if not e.is_claim],
            "framing": [flat_dict(f) for f in self.framing],
            "near_duplicates": [flat_dict(n) for n in self.near_duplicates],
            "story": self.story,
            "schema_version": SCHEMA_VERSION,
        }


class InputError(Exception):
    """Bad input: reported as one line naming the file and the reason; the batch goes on."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self):  # results cross process boundaries (engine/)
        return (InputError, (self.source, self.reason))
