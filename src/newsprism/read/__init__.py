"""The read layer: every view of the record, computed once, for every front end.

The CLI, the JSON API, the dashboard and the report call these functions and render the typed
read models they return (read/models.py), as datasette computes a table's data once and renders
it as HTML, JSON or CSV. Below: the store (store/), which this layer gives the link stage's
spelling look-up; above: cli.py, api/, web/.
"""

from newsprism.read.models import (
    Claim,
    ClaimMember,
    ClaimRow,
    ClaimsView,
    Contradiction,
    DocumentView,
    OutletRow,
    OutletsView,
    Overview,
    Page,
    SearchPage,
    StoryListing,
    StorySummary,
    StoryView,
    dumps,
)
from newsprism.read.views import (
    MAX_PAGE,
    STORY_PAGE,
    Ambiguous,
    NotFound,
    claims,
    clean_query,
    contradictions,
    contradictions_by_story,
    document_page,
    document_view,
    entities,
    event_types,
    events,
    hit_spans,
    open_store,
    outlet_sizes,
    outlets,
    overview,
    resolve_document,
    resolve_story,
    search,
    spellings,
    statements,
    stories,
    story_view,
    warm_up,
)

__all__ = [
    "MAX_PAGE", "STORY_PAGE",
    "Ambiguous", "Claim", "ClaimMember", "ClaimRow", "ClaimsView", "Contradiction",
    "DocumentView", "NotFound", "OutletRow", "OutletsView", "Overview", "Page", "SearchPage",
    "StoryListing", "StorySummary", "StoryView", "claims", "clean_query", "contradictions",
    "contradictions_by_story",
    "document_page", "document_view", "dumps", "entities", "event_types", "events",
    "hit_spans", "open_store", "outlet_sizes", "outlets", "overview", "resolve_document",
    "resolve_story",
    "search", "spellings", "statements", "stories", "story_view", "warm_up",
]

# the vocabularies the front ends check options against, and what the exports read
from newsprism.read.views import (  # noqa: E402
    ENTITY_TYPES,
    MODALITIES,
    SOURCE_TYPES,
    NoDatabase,
    count,
    document_records,
    event_rows,
    known_event_types,
    missing_file,
    open_existing_store,
    statement_rows,
)

__all__ += [
    "ENTITY_TYPES", "MODALITIES", "SOURCE_TYPES", "NoDatabase", "count", "document_records",
    "event_rows", "known_event_types", "missing_file", "open_existing_store", "statement_rows",
]

# the marks a search snippet's hits are wrapped in (store/search.py), for the front ends that
# draw them
from newsprism.store.search import HIT_END, HIT_START  # noqa: E402

__all__ += ["HIT_END", "HIT_START"]
