"""`newsprism report`: one self-contained HTML file with the overview of a database.

Inline CSS and inline SVG only: no scripts, no fonts, no images, no requests, so the file can be
mailed, archived and opened offline. Built from the same templates and chart shapes as the
dashboard, with autoescaping on, so all article text is escaped.
"""

from __future__ import annotations

from datetime import UTC, datetime

from markupsafe import Markup

from newsprism.link.profiles import LOADED, DocStats, outlet_profiles
from newsprism.store import Store
from newsprism.web.render import (
    STATIC,
    environment,
    event_places,
    stacked_bars,
    svg_map,
    timeline,
)

MAX_EVENTS = 5000
TOP_STORIES = 12


def _css() -> Markup:
    css = (STATIC / "css" / "app.css").read_text(encoding="utf-8")
    css += (STATIC / "css" / "report.css").read_text(encoding="utf-8")
    if "</" in css:  # could close the <style> element early
        raise ValueError("stylesheet must not contain '</'")
    return Markup(css)  # our own file, not article text


def build_report(store: Store) -> str:
    stories = store.stories(limit=TOP_STORIES)
    claims = store.claims_for()
    contradictions = store.contradictions()
    claim_docs = {c["id"]: {d for d, _p in c["members"]} for c in claims}
    for s in stories:
        docs = store.story_documents(s["story"])
        ids = {d.id for d in docs}
        s["outlet_names"] = sorted({d.outlet or "(unknown outlet)" for d in docs})
        s["contradictions"] = [c for c in contradictions
                               if claim_docs.get(c["claim_a"], set()) & ids
                               or claim_docs.get(c["claim_b"], set()) & ids]
    events = store.find_events(limit=MAX_EVENTS)
    places = event_places(events)
    profiles = outlet_profiles([DocStats(**row) for row in store.outlet_stats()])
    loaded = stacked_bars([
        (p.outlet, [(p.per_1000(LOADED[0]), "#b2182b", "pro-Kremlin"),
                    (p.per_1000(LOADED[1]), "#2166ac", "pro-Ukrainian")])
        for p in sorted(profiles, key=lambda p: -p.per_1000(*LOADED))])
    stats = store.stats()
    counts = [
        ("documents", store.count()),
        ("outlets", len([o for o, _n in stats.get("outlet", []) if o != "(unknown)"])),
        ("stories told by several outlets", len([s for s in store.stories(limit=10_000)
                                                 if s["outlets"] > 1])),
        ("events", len(events)),
        ("claims", len(claims)),
        ("contradictions", len(contradictions)),
    ]
    entities = {kind: store.entity_summary(type_=kind, limit=12)
                for kind in ("person", "organization", "place")}
    return environment().get_template("report.html").render(
        css=_css(),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        counts=counts,
        stories=stories,
        contradictions=contradictions,
        profiles=[p.as_row() for p in profiles],
        loaded=loaded,
        chart=timeline(events, width=1000, links=False),
        map=svg_map(places),
        places=places[:15],
        map_types=sorted({p["main_type"] for p in places}),
        entities=entities,
    )
