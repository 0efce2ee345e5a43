"""The tables. Raw bytes are kept next to the clean record so nothing is ever lost.

Documents are keyed by their content-addressed id, so inserting the same input twice is a no-op.
This is the model the migrations (store/migrations/versions/) build, on SQLite and PostgreSQL
alike; `alembic revision --autogenerate` compares a database with it. The full-text search
objects are not in it: they differ per backend and belong to the migrations and to search.py.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("kind", String(8), nullable=False),
    Column("encoding", String(40)),
    Column("title", Text),
    Column("published", String(10), index=True),
    Column("outlet", Text, index=True),
    Column("language", String(8), index=True),
    Column("text", Text, nullable=False),
    Column("story", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("linked_at", DateTime(timezone=True), index=True),  # NULL: not linked yet
)
# the API's list pages: newest first (undated last, as SQLite sorts NULL), and one story
Index("ix_documents_published_desc_id", documents.c.published.desc().nulls_last(),
      documents.c.id)
# a story's documents, oldest first (undated first), read a page at a time from the index
# rather than sorting every member (migration 0017)
Index("ix_documents_story_published", documents.c.story, documents.c.published,
      documents.c.id)

raw_documents = Table(
    "raw_documents",
    metadata,
    Column("id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("compression", String(8), nullable=False),
    Column("raw", LargeBinary, nullable=False),
)

removed_lines = Table(
    "removed_lines",
    metadata,
    Column(
        "document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("position", Integer, primary_key=True),
    Column("line", Text, nullable=False),
    Column("reason", String(40), nullable=False, index=True),
)


def _child(name: str, *columns: Column) -> Table:
    """A per-document list (entities, statements, events), ordered by `position`."""
    return Table(
        name,
        metadata,
        Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"),
               primary_key=True),
        Column("position", Integer, primary_key=True),
        *columns,
    )


entities = _child(
    "entities",
    Column("type", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("mentions", Text, nullable=False),  # JSON list of surface forms
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(2)),
    Column("kind", String(16)),
    Column("admin1", Text),
    Column("precision", String(16)),
)
Index("ix_entities_type_name", entities.c.type, entities.c.name)

statements = _child(
    "statements",
    Column("speaker", Text, index=True),
    Column("text", Text, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("cue", Text),
    Column("source_type", String(16), nullable=False, index=True,
           server_default="unattributed"),
    Column("source_description", Text),
    Column("evidence", Text),
    Column("start", Integer),
    Column("end", Integer),
)

events = _child(
    "events",
    Column("type", String(32), nullable=False, index=True),
    Column("actor", Text),
    Column("place", Text, index=True),
    Column("date", String(10), index=True),
    Column("claimed_by", Text),
    Column("evidence", Text, nullable=False),
    Column("lat", Float),
    Column("lon", Float),
    Column("modality", String(16), nullable=False, server_default="asserted"),
    Column("date_precision", String(8)),
    Column("confidence", Float, index=True),  # [0, 1], docs/confidence.md (0016)
    Column("actor2", Text),  # the party acted on (0017)
)

# the day each event at a place is grouped by (its own date, else its document's), by
# (place, type, day): what a linking batch reads of a place is the days it re-groups, not
# every event stored there (link/run.py, migration 0021); written by Store.add with the event
event_days = _child(
    "event_days",
    Column("type", String(32), nullable=False),
    Column("place", Text, nullable=False),
    Column("day", String(10)),
)
Index("ix_event_days_place_type_day", event_days.c.place, event_days.c.type, event_days.c.day)

# -- cross-document links (link/): rebuilt or extended after each run ------------------------

framing = _child(
    "framing",
    Column("term", Text, nullable=False),
    Column("category", String(32), nullable=False, index=True),
    Column("neutral", Text),
    # offsets of the term in documents.text, as the framing stage found it (migration 0015)
    Column("start", Integer),
    Column("end", Integer),
)

signatures = Table(
    "signatures",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("minhash", LargeBinary, nullable=False),
    # (start, end, hash) of each sentence, packed (link/near_duplicates.pack_sentences): a
    # document paired again later is not split again
    Column("sentences", LargeBinary),
)

near_duplicates = Table(
    "near_duplicates",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("other_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("similarity", Float, nullable=False),
    Column("relation", String(12)),  # copy_of | copied_by
    Column("reason", Text),
    # JSON: [start, end] offsets in this document of the passages both carry (a translation:
    # the names and figures both carry, as text)
    Column("shared", Text),
    # JSON: [start, end, other start, other end] of each passage that differs
    Column("changed", Text),
    Column("confidence", Float),  # [0, 1], the same both ways round (docs/confidence.md)
)
Index("ix_near_duplicates_other", near_duplicates.c.other_id)

# what story clustering compares (link/stories.story_features), one row per document and
# feature: the postings a new document's candidates come from, and the document frequencies
story_features = Table(
    "story_features",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("feature", Text, primary_key=True),
    Column("weight", Float, nullable=False),
    # the document's publication day (NULL without a full date): postings are read by day
    Column("published", String(10)),
)
Index("ix_story_features_feature_published", story_features.c.feature,
      story_features.c.published)

# pairs of documents found to be one story (a < b; link/stories.py, link/crosslang.py): a
# story is a connected group of them, so a link a later batch undoes can split it
story_links = Table(
    "story_links",
    metadata,
    Column("a", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("b", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)
Index("ix_story_links_b", story_links.c.b)

# counts kept by Store.add (migration 0020): (facet, value) -> documents, so that facets,
# menus and totals of the whole archive are read, not grouped. Facets: documents (value ''),
# outlet, language, month and day (published), event_type (documents with one), removed
# (lines by reason); a NULL value is ''
document_counts = Table(
    "document_counts",
    metadata,
    Column("facet", String(16), primary_key=True),
    Column("value", Text, primary_key=True),
    Column("n", Integer, nullable=False),
)

# each story's summary, kept by the link stage: list pages read it instead of grouping documents
stories = Table(
    "stories",
    metadata,
    Column("id", String(16), primary_key=True),  # the id of its earliest document
    Column("documents", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("first", String(10)),
    Column("last", String(10)),
    Column("title", Text),
)
Index("ix_stories_documents", stories.c.documents.desc(), stories.c.id)

claims = Table(
    "claims",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("type", String(32), nullable=False),
    Column("place", Text, nullable=False, index=True),
    Column("date", String(10)),
    Column("outlets", Text, nullable=False),  # JSON list of independent outlets
    Column("outlet_count", Integer, nullable=False),
    Column("claimed_by", Text, nullable=False),  # JSON list
)

claim_members = Table(
    "claim_members",
    metadata,
    Column("claim_id", String(16), ForeignKey("claims.id", ondelete="CASCADE"),
           primary_key=True),
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("position", Integer, primary_key=True),
)
Index("ix_claim_members_document", claim_members.c.document_id)

contradictions = Table(
    "contradictions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("place", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("claim_a", String(16), nullable=False),
    Column("claim_b", String(16), nullable=False),
)
Index("ix_contradictions_place", contradictions.c.place)
Index("ix_contradictions_claim_a", contradictions.c.claim_a)
Index("ix_contradictions_claim_b", contradictions.c.claim_b)
# a key's claims by opening date: where a batch's re-grouping of the key starts (0021)
Index("ix_claims_type_place_date", claims.c.type, claims.c.place, claims.c.date)

# -- watching (watch/): sources, what was fetched, page versions, alerts ---------------------

sources = Table(
    "sources",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("kind", String(16), nullable=False),  # rss | atom | sitemap | url | folder
    Column("location", Text, nullable=False),  # URL or folder
    Column("last_fetch", DateTime(timezone=True)),  # the last poll, whatever came of it
    Column("last_success", DateTime(timezone=True)),
    Column("etag", Text),  # of the feed, sitemap or page itself (conditional GET)
    Column("last_modified", Text),
    Column("last_status", Integer),
    Column("last_error", Text),  # NULL after a poll without error
    Column("last_error_at", DateTime(timezone=True)),
    Column("items", Integer, nullable=False, server_default="0"),  # documents stored from it
    Column("polls", Integer, nullable=False, server_default="0"),
    Column("errors", Integer, nullable=False, server_default="0"),
)

# the entries of a feed or sitemap already handled, with what they looked like then: an entry
# is fetched again only when its fingerprint (link, dates, title, summary) changes
source_items = Table(
    "source_items",
    metadata,
    Column("source", String(100), ForeignKey("sources.name", ondelete="CASCADE"),
           primary_key=True),
    Column("key", String(64), primary_key=True),  # hash of the entry's id or link
    Column("url", Text, nullable=False),
    Column("fingerprint", String(16), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

# every stored document that came from HTTP (a watched page, a WARC record): how it was fetched
fetched_pages = Table(
    "fetched_pages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("url", Text, nullable=False, index=True),
    Column("source", String(100), index=True),  # the watched source's name (NULL: a WARC)
    Column("fetched_at", DateTime(timezone=True), nullable=False, index=True),
    Column("status", Integer),
    Column("headers", Text),  # JSON object of the response headers kept
)

# a URL seen again with changed text: each stored text is one version, linked to the one before
document_versions = Table(
    "document_versions",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("url", Text, nullable=False, index=True),
    Column("version", Integer, nullable=False),  # 1, 2, ... per URL
    Column("previous_id", String(16), ForeignKey("documents.id", ondelete="SET NULL"),
           index=True),
    Column("text_hash", String(16), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("query", Text, nullable=False),  # JSON: place, person, event_type, contradiction
    Column("created_at", DateTime(timezone=True), nullable=False),
    # when its matches were last looked for (0011): the next check reads documents since
    Column("checked_at", DateTime(timezone=True)),
)

# one row per (alert, match): a match is reported once; delivered_at stays NULL until it was
alert_hits = Table(
    "alert_hits",
    metadata,
    Column("alert", String(100), ForeignKey("alerts.name", ondelete="CASCADE"),
           primary_key=True),
    Column("key", String(200), primary_key=True),  # document id, or a contradiction's claims
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE")),
    Column("payload", Text, nullable=False),  # the JSON reported
    Column("found_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True), index=True),
)

# -- analysts' reviews (issue 15): kept apart from the machine output ------------------------

# an analyst's verdict on one extraction: a statement or an event (by document and position)
# or a near-duplicate pair (by the two documents). Never written by a run or a link, and
# keyed by what re-running a document (ids are content hashes) and re-linking leave as it was;
# `text` is what the extraction said when it was reviewed, to tell when it changed since.
reviews = Table(
    "reviews",
    metadata,
    Column("kind", String(16), primary_key=True),  # statement | event | near_duplicate
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("item", String(32), primary_key=True),  # position, or the other document's id
    Column("verdict", String(8), nullable=False),  # right | wrong
    Column("note", Text),
    Column("text", Text),
    Column("reviewed_at", DateTime(timezone=True), nullable=False),
)
