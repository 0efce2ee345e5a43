"""Chart shapes for the analyst pages: numbers and labels only (the templates draw the SVG,
autoescaped), as render.py does for the dashboard's charts.

`day_columns` draws an entity's mentions per day; `attention_lines` draws one or two queries'
documents per day, one line per outlet, on one shared scale so that two queries side by side
compare at a glance (as Media Cloud's attention chart).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from newsprism.web.render import PALETTE


@dataclass
class Column:
    x: float
    y: float
    width: float
    height: float
    tip: str


@dataclass
class ColumnChart:
    width: int
    height: int
    left: int
    bottom: int  # y of the axis
    columns: list[Column]
    ticks: list[tuple[float, str]]  # x, label
    top: int  # the largest value, the top of the axis


def _ticks(days: list[str], x_of, most: int = 8) -> list[tuple[float, str]]:
    if not days:
        return []
    every = max(1, -(-len(days) // most))
    out = []
    for i in range(0, len(days), every):
        try:
            label = date.fromisoformat(days[i]).strftime("%d %b %Y")
        except ValueError:
            label = days[i]
        out.append((x_of(i), label))
    return out


def day_columns(per_day: list[tuple[str, int]], width: int = 900, height: int = 180,
                unit: str = "document") -> ColumnChart:
    """One column per day that has any (days apart by their dates, gaps left empty)."""
    left, bottom = 40, height - 28
    if not per_day:
        return ColumnChart(width, height, left, bottom, [], [], 0)
    try:
        first = date.fromisoformat(per_day[0][0])
        last = date.fromisoformat(per_day[-1][0])
        span = (last - first).days + 1
        index = {d: (date.fromisoformat(d) - first).days for d, _n in per_day}
        days = [date.fromordinal(first.toordinal() + i).isoformat() for i in range(span)]
    except ValueError:
        days = [d for d, _n in per_day]
        index = {d: i for i, d in enumerate(days)}
        span = len(days)
    inner = width - left - 10
    step = inner / max(span, 1)
    top = max(n for _d, n in per_day) or 1
    scale = (bottom - 10) / top

    def x_of(i: int) -> float:
        return round(left + step * i, 1)

    cols = [Column(x_of(index[d]), round(bottom - n * scale, 1), round(max(step - 1, 1), 1),
                   round(n * scale, 1), f"{d}: {n} {unit}{'' if n == 1 else 's'}")
            for d, n in per_day]
    return ColumnChart(width, height, left, bottom, cols, _ticks(days, x_of), top)


@dataclass
class Line:
    label: str
    colour: str
    points: str  # "x,y x,y ..." for <polyline>
    total: int
    dots: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, tip


@dataclass
class LineChart:
    query: str
    width: int
    height: int
    left: int
    bottom: int
    top: int
    lines: list[Line]
    ticks: list[tuple[float, str]]
    yticks: list[tuple[float, str]]
    total: int
    capped: bool


def attention_lines(views: list, width: int = 640, height: int = 260, most: int = 6
                    ) -> list[LineChart]:
    """One chart per attention view (read.pages.Attention), on the same days and the same
    vertical scale; the `most` largest outlets get a line each (their colours kept across
    the charts), the rest one line 'other outlets', and a dashed line counts all."""
    days = sorted({d for v in views for d in v.days})
    if days:
        from newsprism.read.pages import _day_range

        days = _day_range(days, 7 if views[0].interval == "week" else 1)
    ranked: dict[str, int] = {}
    for v in views:
        for o in v.outlets:
            ranked[o] = ranked.get(o, 0) + sum(v.counts[o].values())
    named = [o for o, _n in sorted(ranked.items(), key=lambda kv: (-kv[1], kv[0]))][:most]
    colour = {o: PALETTE[i % len(PALETTE)] for i, o in enumerate(named)}
    left, bottom = 44, height - 30
    inner = width - left - 36  # room for the last date's label
    totals = [[sum(v.counts[o].get(d, 0) for o in v.outlets) for d in days] for v in views]
    top = max((max(t) for t in totals if t), default=0) or 1

    def x_of(i: int) -> float:
        return round(left + (inner * i / (len(days) - 1) if len(days) > 1 else inner / 2), 1)

    def y_of(n: int) -> float:
        return round(bottom - (bottom - 12) * n / top, 1)

    charts = []
    for v, total_line in zip(views, totals, strict=True):
        series: list[tuple[str, str, list[int]]] = []
        for o in named:
            if o in v.counts:
                series.append((o, colour[o], [v.counts[o].get(d, 0) for d in days]))
        rest = [o for o in v.outlets if o not in colour]
        if rest:
            series.append(("other outlets", "#9aa4ae",
                           [sum(v.counts[o].get(d, 0) for o in rest) for d in days]))
        lines = []
        for label, c, values in [("all outlets", "#1d232a", total_line), *series]:
            pts = [(x_of(i), y_of(n)) for i, n in enumerate(values)]
            when = "week of " if v.interval == "week" else ""
            tips = [(x, y, f"{label}, {when}{d}: {n} document{'' if n == 1 else 's'}")
                    for (x, y), d, n in zip(pts, days, values, strict=True) if n]
            lines.append(Line(label, c, " ".join(f"{x},{y}" for x, y in pts), sum(values),
                              tips))
        step = max(1, -(-top // 4))
        yticks = [(y_of(n), str(n)) for n in range(0, top + 1, step)]
        charts.append(LineChart(v.query, width, height, left, bottom, top, lines,
                                _ticks(days, x_of, 6), yticks, v.total, v.capped))
    return charts
