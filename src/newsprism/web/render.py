"""What the pages and the report share: the Jinja2 environment and the shapes charts are drawn from.

Nothing here builds markup from article text. Highlights are lists of (text, kind, tooltip)
segments and charts are lists of numbers and labels; the templates turn them into HTML/SVG, with
autoescaping on, so every string that came from an article is escaped in exactly one place.

Nothing here runs the pipeline either: highlights come from what the pipeline stored (each
document's entities, and its framing terms at the offsets the framing stage stored), event
types and their colours from the store's events (`read.event_types`).
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from newsprism.model import Document, FramingTerm
from newsprism.read import HIT_END, HIT_START

WEB = Path(__file__).resolve().parent
TEMPLATES = WEB / "templates"
STATIC = WEB / "static"
BASEMAP = STATIC / "basemap" / "countries-110m.geojson"

# Colour per event type (colour-blind-friendly-ish, distinct on white); unknown types cycle.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
           "#17becf", "#7f7f7f", "#bcbd22", "#393b79", "#637939")

FRAMING_LABELS = {
    "loaded_pro_kremlin": "loaded (pro-Kremlin)",
    "loaded_pro_ukrainian": "loaded (pro-Ukrainian)",
    "russian_spelling": "Russian-era spelling",
    "hedge": "hedge",
    "attribution": "attribution",
    "clickbait": "clickbait",
    "filler": "filler",
}
ENTITY_LABELS = {"person": "person", "organization": "organisation", "place": "place"}


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(framing_labels=FRAMING_LABELS, entity_labels=ENTITY_LABELS)
    env.filters["short_id"] = lambda s: (s or "")[:8]
    env.filters["pct"] = lambda v: "–" if v is None else f"{100 * v:.0f}%"
    env.filters["num"] = lambda v: "–" if v is None else f"{v:g}"
    # one segment of a URL path: a name with '/' or '?' in it stays one segment
    env.filters["path_part"] = lambda v: quote(str(v or ""), safe="")
    return env


class TypeColours:
    """Event type -> colour: the palette in the order of `types` (the store's event types,
    sorted, so a type keeps its colour on every page); any other type by its letters.
    Templates call it as `type_colour(t)`."""

    def __init__(self, types: Sequence[str]):
        self.types = list(types)
        self._index = {t: i for i, t in enumerate(self.types)}

    def __call__(self, event_type: str | None) -> str:
        i = self._index.get(event_type or "")
        if i is None:
            i = sum(map(ord, event_type or ""))
        return PALETTE[i % len(PALETTE)]

    def mapping(self) -> dict[str, str]:
        return {t: self(t) for t in self.types}


# -- text with highlights ------------------------------------------------------------------------
@dataclass
class Segment:
    text: str
    kind: str | None = None  # None: plain text; "hit"; "ent-place"; "frame-hedge"; ...
    tip: str | None = None


def snippet_segments(snippet: str | None) -> list[Segment]:
    """A search snippet with hits marked by HIT_START/HIT_END -> plain and "hit" segments."""
    out: list[Segment] = []
    for part in re.split(f"({re.escape(HIT_START)}.*?{re.escape(HIT_END)})", snippet or ""):
        if part.startswith(HIT_START) and part.endswith(HIT_END):
            out.append(Segment(part[1:-1], "hit"))
        elif part:
            out.append(Segment(part.replace(HIT_START, "").replace(HIT_END, "")))
    return out


def _mention_pattern(doc: Document) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, str]]]:
    """One alternation over every entity surface form, longest first."""
    forms: dict[str, tuple[str, str]] = {}
    for ent in doc.entities:
        tip = f"{ENTITY_LABELS.get(ent.type, ent.type)}: {ent.name}"
        if ent.country:
            tip += f" ({ent.country})"
        for surface in {*ent.mentions, ent.name}:
            if surface and surface.strip():
                forms.setdefault(surface, (f"ent-{ent.type}", tip))
    if not forms:
        return None, forms
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), forms


Span = tuple[int, int, str, str]  # start, end, kind, tooltip


def framing_spans(lines: Sequence[str], terms: Sequence[FramingTerm]) -> list[list[Span]]:
    """The framing stage's stored terms put back on their lines, at the offsets it stored
    (in the clean text, the lines joined by newlines); nothing is searched for here. A term
    without offsets, or whose offsets do not hold its words, is left out."""
    out: list[list[Span]] = [[] for _ in lines]
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    for term in terms:
        if term.start is None or term.end is None:
            continue
        at = bisect.bisect_right(starts, term.start) - 1
        if not 0 <= at < len(lines):
            continue
        start, end = term.start - starts[at], term.end - starts[at]
        if lines[at][start:end] != term.term:
            continue
        tip = FRAMING_LABELS.get(term.category, term.category) + f": {term.term}"
        if term.neutral:
            tip += f" — neutral: {term.neutral}"
        out[at].append((start, end, f"frame-{term.category}", tip))
    return out


def line_segments(line: str, pattern: re.Pattern[str] | None,
                  forms: dict[str, tuple[str, str]],
                  framing: Sequence[Span] = ()) -> list[Segment]:
    """One clean line cut into plain text, entity mentions and its `framing` spans.

    Spans are taken earliest first, then longest; a span overlapping one already taken is
    dropped, so a framing term that is also a place name ("Kharkov") shows once, as framing."""
    spans: list[Span] = list(framing)
    if pattern is not None:
        for m in pattern.finditer(line):
            kind, tip = forms[m.group()]
            spans.append((m.start(), m.end(), kind, tip))
    # framing first at equal starts (it carries more information), then longer spans
    spans.sort(key=lambda s: (s[0], not s[2].startswith("frame-"), s[0] - s[1]))
    out: list[Segment] = []
    pos = 0
    for start, end, kind, tip in spans:
        if start < pos:
            continue
        if start > pos:
            out.append(Segment(line[pos:start]))
        out.append(Segment(line[start:end], kind, tip))
        pos = end
    if pos < len(line):
        out.append(Segment(line[pos:]))
    return out


def document_lines(doc: Document) -> list[list[Segment]]:
    """The document's lines with its stored entities and framing terms marked."""
    pattern, forms = _mention_pattern(doc)
    framing = framing_spans(doc.lines, doc.framing)
    return [line_segments(line, pattern, forms, spans)
            for line, spans in zip(doc.lines, framing, strict=True)]


# -- bar charts ----------------------------------------------------------------------------------
@dataclass
class Bar:
    label: str
    value: float
    width: float  # 0..1 of the chart's value axis
    href: str | None = None
    colour: str = "#4a6fa5"
    parts: list[tuple[float, float, str, str]] = field(default_factory=list)  # x, w, colour, tip


def bars(items: list[tuple[str, float]], href: Callable[[str], str] | None = None,
         colour: Callable[[str], str] | None = None) -> list[Bar]:
    top = max((v for _l, v in items), default=0) or 1
    return [Bar(label, value, value / top, href(label) if href else None,
                colour(label) if colour else "#4a6fa5") for label, value in items]


def stacked_bars(rows: list[tuple[str, list[tuple[float, str, str]]]]) -> list[Bar]:
    """rows: label -> [(value, colour, tip)]; widths share one scale."""
    top = max((sum(v for v, _c, _t in parts) for _l, parts in rows), default=0) or 1
    out = []
    for label, parts in rows:
        x = 0.0
        bar = Bar(label, round(sum(v for v, _c, _t in parts), 2), 0.0)
        for value, colour, tip in parts:
            bar.parts.append((x, value / top, colour, tip))
            x += value / top
        bar.width = x
        out.append(bar)
    return out


LOADED_COLOURS = (("#b2182b", "pro-Kremlin"), ("#2166ac", "pro-Ukrainian"))


def loaded_bars(loaded: list[tuple[str, float, float]]) -> list[Bar]:
    """Loaded terms per outlet (OutletsView.loaded_terms) as stacked bars, for the dashboard
    and the report alike."""
    (kremlin, k_tip), (ukrainian, u_tip) = LOADED_COLOURS
    return stacked_bars([(outlet, [(pro_k, kremlin, k_tip), (pro_u, ukrainian, u_tip)])
                         for outlet, pro_k, pro_u in loaded])


# -- timeline ------------------------------------------------------------------------------------
@dataclass
class Dot:
    x: float
    y: float
    colour: str
    tip: str
    href: str | None
    reported: bool  # dated by the article's publication, not by the event itself


@dataclass
class Timeline:
    width: int
    height: int
    left: int
    lanes: list[tuple[str, float, str]]  # type, y, colour
    ticks: list[tuple[float, str]]
    dots: list[Dot]
    undated: int


# vertical offsets of dots sharing a lane and a day: centre, then alternately above and below
_STACK = (0, -8, 8, -16, 16)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _colours(events: list[dict], colours: TypeColours | None) -> TypeColours:
    return colours or TypeColours(sorted({e["type"] for e in events}))


def timeline(events: list[dict], width: int = 960, links: bool = True,
             colours: TypeColours | None = None) -> Timeline:
    """Events on a date axis, one lane per type (in the order of `colours`); an event without
    its own date is placed at its article's publication date and drawn hollow."""
    type_colour = _colours(events, colours)
    placed = []
    undated = 0
    for ev in events:
        day, reported = _day(ev.get("date")), False
        if day is None:
            day, reported = _day(ev.get("published")), True
        if day is None:
            undated += 1
            continue
        placed.append((day, reported, ev))
    types = [t for t in type_colour.types if any(e["type"] == t for _d, _r, e in placed)]
    types += sorted({e["type"] for _d, _r, e in placed} - set(types))
    left, lane_h, top_pad = 170, 40, 16
    height = top_pad + lane_h * max(len(types), 1) + 34
    lanes = [(t, top_pad + lane_h * i + lane_h / 2, type_colour(t)) for i, t in enumerate(types)]
    lane_y = {t: y for t, y, _c in lanes}
    if not placed:
        return Timeline(width, height, left, lanes, [], [], undated)
    first = min(d for d, _r, _e in placed)
    last = max(d for d, _r, _e in placed)
    span = max((last - first).days, 1)
    inner = width - left - 60

    def x_of(day: date) -> float:
        return round(left + 12 + inner * (day - first).days / span, 1)

    # several events on one day in one lane: spread them vertically a little
    stacks: dict[tuple[str, date], int] = {}
    dots = []
    for day, reported, ev in sorted(placed, key=lambda p: (p[0], p[2]["type"])):
        n = stacks.get((ev["type"], day), 0)
        stacks[(ev["type"], day)] = n + 1
        dy, dx = _STACK[n % len(_STACK)], 4 * (n // len(_STACK))
        when = day.isoformat() + (" (article date)" if reported else "")
        bits = [f"{ev['type'].replace('_', ' ')} — {when}"]
        if ev.get("place"):
            bits.append(f"place: {ev['place']}")
        if ev.get("actor"):
            bits.append(f"actor: {ev['actor']}")
        bits.append(f"claimed by: {ev.get('claimed_by') or '(the outlet itself)'}")
        if ev.get("outlet"):
            bits.append(f"outlet: {ev['outlet']}")
        bits.append(f"“{ev.get('evidence') or ''}”")
        href = f"/documents/{ev['document_id']}" if links and ev.get("document_id") else None
        dots.append(Dot(x_of(day) + dx, lane_y[ev["type"]] + dy, type_colour(ev["type"]),
                        "\n".join(bits), href, reported))
    ticks = _date_ticks(first, last, x_of)
    return Timeline(width, height, left, lanes, ticks, dots, undated)


def _date_ticks(first: date, last: date, x_of) -> list[tuple[float, str]]:
    span = (last - first).days
    if span <= 45:
        step = max(1, math.ceil(span / 8))
        days = [date.fromordinal(first.toordinal() + i) for i in range(0, span + 1, step)]
        return [(x_of(d), d.strftime("%d %b")) for d in days]
    months = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    months = [d for d in months if d >= first] or [first]
    every = max(1, math.ceil(len(months) / 10))
    return [(x_of(d), d.strftime("%b %Y")) for d in months[::every]]


# -- places on a map -----------------------------------------------------------------------------
def event_places(events: list[dict], per_place: int = 25,
                 colours: TypeColours | None = None) -> list[dict]:
    """Events grouped by coordinates: one marker per place, with its count, types and a few
    events for the popup (plain data; the page's script builds DOM nodes from it)."""
    type_colour = _colours(events, colours)
    groups: dict[tuple[float, float], dict] = {}
    for ev in events:
        if ev.get("lat") is None or ev.get("lon") is None:
            continue
        key = (round(ev["lat"], 4), round(ev["lon"], 4))
        g = groups.setdefault(key, {"lat": key[0], "lon": key[1], "place": ev.get("place"),
                                    "count": 0, "types": {}, "events": []})
        g["count"] += 1
        g["types"][ev["type"]] = g["types"].get(ev["type"], 0) + 1
        if len(g["events"]) < per_place:
            g["events"].append({
                "type": ev["type"], "date": ev.get("date") or ev.get("published"),
                "outlet": ev.get("outlet"), "claimed_by": ev.get("claimed_by"),
                "evidence": ev.get("evidence"), "document": ev.get("document_id")})
    out = sorted(groups.values(), key=lambda g: -g["count"])
    for g in out:
        g["main_type"] = max(g["types"], key=g["types"].get)
        g["colour"] = type_colour(g["main_type"])
    return out


def event_days(events: list[dict]) -> list[list[str]]:
    """For each place of `event_places(events)`, in its order, the day of each of its events
    (the event's own date, else its article's; YYYY-MM-DD, a month or year as its first day;
    undated events left out): what the map's time slider counts."""
    groups: dict[tuple[float, float], list[str]] = {}
    order: dict[tuple[float, float], int] = {}
    for ev in events:
        if ev.get("lat") is None or ev.get("lon") is None:
            continue
        key = (round(ev["lat"], 4), round(ev["lon"], 4))
        order[key] = order.get(key, 0) + 1
        day = ev.get("date") or ev.get("published")
        if day:
            day = (day + "-01-01"[len(day) - 4:]) if len(day) < 10 else day[:10]
            groups.setdefault(key, []).append(day)
        else:
            groups.setdefault(key, [])
    # event_places sorts by count, most first; ties keep first-seen order (sorted is stable)
    ranked = sorted(order, key=lambda k: -order[k])
    return [sorted(groups.get(k, [])) for k in ranked]


@cache
def basemap() -> dict:
    return json.loads(BASEMAP.read_text(encoding="utf-8"))


@dataclass
class SvgMap:
    width: int
    height: int
    countries: list[tuple[str, str]]  # name, path d
    markers: list[dict]  # x, y, r, colour, tip
    labels: list[tuple[float, float, str]]


def svg_map(places: list[dict], width: int = 900, height: int = 520) -> SvgMap:
    """Country outlines and event markers in a plain equirectangular projection (longitude
    scaled by the cosine of the middle latitude), framed on the events."""
    core = _core(places)
    if core:
        lats = [p["lat"] for p in core]
        lons = [p["lon"] for p in core]
        lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
    else:
        lat0, lat1, lon0, lon1 = 44.0, 56.0, 22.0, 42.0
    mid = (lat0 + lat1) / 2
    k = math.cos(math.radians(mid))
    # pad, then widen whichever axis is short so the frame matches width:height
    lat0, lat1, lon0, lon1 = lat0 - 3, lat1 + 3, lon0 - 4, lon1 + 4
    w_deg, h_deg = (lon1 - lon0) * k, lat1 - lat0
    if w_deg / h_deg < width / height:
        extra = (h_deg * width / height - w_deg) / k / 2
        lon0, lon1 = lon0 - extra, lon1 + extra
    else:
        extra = (w_deg * height / width - h_deg) / 2
        lat0, lat1 = lat0 - extra, lat1 + extra
    scale = width / ((lon1 - lon0) * k)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - lon0) * k * scale, 1), round((lat1 - lat) * scale, 1)

    countries = []
    for feature in basemap()["features"]:
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        parts = []
        for poly in polys:
            for ring in poly:
                xs = [p[0] for p in ring]
                ys = [p[1] for p in ring]
                if max(xs) < lon0 - 5 or min(xs) > lon1 + 5 or max(ys) < lat0 - 5 \
                        or min(ys) > lat1 + 5:
                    continue
                pts = [project(lon, lat) for lon, lat in ring]
                parts.append("M" + "L".join(f"{x},{y}" for x, y in pts) + "Z")
        if parts:
            countries.append((feature["properties"]["name"], "".join(parts)))
    top = max((p["count"] for p in places), default=1)
    markers = []
    for p in places:
        x, y = project(p["lon"], p["lat"])
        types = ", ".join(f"{t.replace('_', ' ')} {n}" for t, n in sorted(
            p["types"].items(), key=lambda kv: -kv[1]))
        markers.append({"x": x, "y": y, "r": round(4 + 14 * math.sqrt(p["count"] / top), 1),
                        "colour": p["colour"], "count": p["count"],
                        "tip": f"{p['place'] or '(place)'}: {p['count']} event(s) — {types}"})
    labels: list[tuple[float, float, str]] = []
    taken: list[tuple[float, float, float, float]] = []
    for m, p in zip(markers, places, strict=True):  # largest first; skip labels that collide
        name = p["place"] or ""
        x, y = m["x"] + m["r"] + 3, m["y"] + 4
        box = (x, y - 11, x + 6.5 * len(name), y + 3)
        if not name or not (x >= 0 and box[2] <= width and box[1] >= 0 and y <= height):
            continue
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in taken):
            continue
        taken.append(box)
        labels.append((x, y, name))
        if len(labels) == 10:
            break
    return SvgMap(width, height, countries, markers, labels)


def _core(places: list[dict]) -> list[dict]:
    """The places near the (event-weighted) median: a namesake abroad or a capital quoted in
    passing stays on the map without zooming it out to half the world."""
    if not places:
        return []
    weighted = sorted((p["lat"], p["lon"]) for p in places for _ in range(p["count"]))
    mid_lat = weighted[len(weighted) // 2][0]
    mid_lon = sorted(lon for _lat, lon in weighted)[len(weighted) // 2]
    near = [p for p in places if abs(p["lat"] - mid_lat) < 12 and abs(p["lon"] - mid_lon) < 18]
    return near or places
