"""`newsprism report`: one self-contained HTML file with the overview of a database.

Inline CSS and inline SVG only: no scripts, no fonts, no images, no requests, so the file can be
mailed, archived and opened offline. Built from the same templates and chart shapes as the
dashboard, with autoescaping on, so all article text is escaped.
"""

from __future__ import annotations

from datetime import UTC, datetime

from markupsafe import Markup

from newsprism import read
from newsprism.store import Store
from newsprism.web.render import (
    STATIC,
    TypeColours,
    environment,
    event_places,
    loaded_bars,
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
    view = read.overview(store, TOP_STORIES, MAX_EVENTS)
    colours = TypeColours(read.event_types(store))
    places = event_places(view.events, colours=colours)
    return environment().get_template("report.html").render(
        css=_css(),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        counts=view.counts,
        stories=view.stories,
        contradictions=view.contradictions,
        profiles=view.outlets.rows,
        loaded=loaded_bars(view.outlets.loaded_terms()),
        chart=timeline(view.events, width=1000, links=False, colours=colours),
        map=svg_map(places),
        places=places[:15],
        map_types=sorted({p["main_type"] for p in places}),
        entities=view.entities,
        type_colour=colours,
    )
