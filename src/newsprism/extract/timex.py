"""Dates in article sentences, normalised against the publication date, with their precision.

The conventions are those of ../shared/corpus/ANNOTATION.md, because a date is only useful if a
reader can trust it was stated:
- a full date ("on August 6, 2024", "6 August 2024") is itself, precision `day`;
- a month with its year ("in April 2022", "a November 2023 interview") is `YYYY-MM`, `month`;
- a year after a preposition ("in 2014", "since 2022") is `YYYY`, `year`;
- a day and month without a year ("on May 25", "since 13 October") takes the year that puts
  it nearest the publication date, `day`;
- "yesterday", "today", "overnight", "last night" and weekdays ("on Wednesday", "late Friday")
  resolve only against a publication date (or the one day an undated article states: see
  events.news_day): a weekday is the most recent one on or before it;
- a month without a year ("in November") stays unresolved: which November is not stated.
Without a publication date, a day and month take the year the article states elsewhere
(`year_stated`); weekdays and "yesterday" stay unresolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache

from newsprism.clean.dates import DateMatch, find_dates
from newsprism.resources import english_months, month_names

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
PRECISIONS = ("day", "month", "year")
_COUNTS = ["a", "two", "three", "four", "five", "six", "seven"]  # "one" is read as "a"


@dataclass(frozen=True)
class Timex:
    value: str  # ISO date, cut to its precision: 2024-08-06, 2024-08 or 2024
    start: int
    end: int
    text: str
    precision: str = "day"


@cache
def _relative() -> re.Pattern[str]:
    months = "|".join([*(m.capitalize() for m in english_months()),
                       *(rf"{a.capitalize()}\.?" for a in _english_abbreviations())])
    weekdays = "|".join(w.capitalize() for w in WEEKDAYS)
    year = r"(?:19|20)\d\d"
    return re.compile(
        rf"\b(?:(?P<rel>(?i:yesterday|today|last night|this morning|earlier today|tonight|"
        rf"overnight))"
        rf"|(?P<span>(?i:(?:earlier |later )?this (?:month|year)|(?:last|next) (?:month|year)))"
        rf"|(?P<ago>(?i:(?:a|one|two|three|four|five|six|seven|[1-7]) days? ago))"
        rf"|(?P<wdpre>(?i:on|last|next|this|late|early|since|until|by|from) )(?P<wd>{weekdays})"
        rf"|(?<!Black )(?<!Super )(?<!Cyber )(?P<wd2>{weekdays})(?=['’]s\b|\b)"
        rf"|(?P<mon3>{months}),? (?P<year3>{year})(?![\d-])"
        rf"|(?:(?i:on|since|from|until|by|before|after) )?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)? "
        rf"(?:(?i:of) )?(?P<mon4>{months})(?!,? ?\d)"
        rf"|(?i:in )(?:early |mid-|late )?(?P<mon5>{months}) (?P<which>(?i:this|last)) year"
        rf"|(?i:in )(?:early |mid-|late )?(?P<mon>{months})(?!\.? ?\d)"
        rf"|(?:(?i:on) )?(?P<mon2>{months}) (?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:]|,? \d{{4}})"
        rf"|(?i:(?:in|since|by|until|during|from|of|before|after) )"
        rf"(?:(?i:early|mid-|late|the (?:spring|summer|autumn|fall|winter) of) ?)?"
        rf"(?P<year>{year})(?![\d-]| (?:people|troops|soldiers|drones|missiles))"
        # "in the 1967 Middle East war": the year of a named war, invasion or campaign
        rf"|(?i:in|during|since|after|before|until) the (?P<year4>{year})(?=(?: [A-Z][\w-]*){{0,3}}"
        rf" (?i:war|wars|conflict|invasion|offensive|counteroffensive|campaign|annexation|"
        rf"uprising|revolution|crisis|ceasefire|truce|elections?)\b)"
        rf")\b"
    )


@cache
def _english_abbreviations() -> list[str]:
    """'feb', 'sept' …: the short forms of months.tsv that begin the English name (AP style
    writes "Feb. 20", "Sept. 3"); longest first, so "Sept." is not read as "Sep"."""
    full = english_months()
    short = {name for name, number in month_names().items()
             if name.isascii() and 3 <= len(name) <= 4 and len(name) < len(full[number - 1])
             and full[number - 1].startswith(name)}
    return sorted(short, key=len, reverse=True)


def _month(name: str) -> int:
    return month_names()[name.lower().rstrip(".")]


def _day_of(month: int, day: int, published: date) -> date | None:
    """The year that puts the day nearest the publication date: "on May 25" in an article of
    May 20 is the coming one, in an article of December the past one."""
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - published).days)) if options else None


def _resolve(m: re.Match[str], published: date | None,
             year: int | None = None) -> tuple[str, str] | None:
    """(value, precision) of one expression, or None when it cannot be resolved."""
    g = m.groupdict()
    if g["year"] or g["year4"]:
        return g["year"] or g["year4"], "year"
    if g["mon3"]:
        return f"{g['year3']}-{_month(g['mon3']):02d}", "month"
    if g["mon"]:
        return None  # "in November": which November is not stated
    if g["mon5"] and published is not None:  # "in March this year", "in May last year"
        year = published.year - (g["which"].lower() == "last")
        return f"{year}-{_month(g['mon5']):02d}", "month"
    if published is None:
        if year is None or not (g["mon4"] or g["mon2"]):
            return None
        try:  # "on May 25" in an undated article that states its year elsewhere
            month = _month(g["mon4"] or g["mon2"])
            return date(year, month, int(g["day2"] or g["day"])).isoformat(), "day"
        except ValueError:
            return None
    if g["rel"]:
        rel = g["rel"].lower()
        back = 1 if rel in ("yesterday", "last night") else 0
        return (published - timedelta(days=back)).isoformat(), "day"
    if g["span"]:
        span = g["span"].lower()
        step = -1 if span.startswith("last") else 1 if span.startswith("next") else 0
        if span.endswith("year"):
            return str(published.year + step), "year"
        first = published.replace(day=1)
        if step < 0:
            first = (first - timedelta(days=1)).replace(day=1)
        elif step > 0:
            first = (first + timedelta(days=32)).replace(day=1)
        return first.isoformat()[:7], "month"
    if g["ago"]:
        count = g["ago"].split()[0].lower()
        count = "a" if count == "one" else count
        back = int(count) if count.isdigit() else _COUNTS.index(count) + 1
        return (published - timedelta(days=back)).isoformat(), "day"
    if g["wd"] or g["wd2"]:
        weekday = WEEKDAYS.index((g["wd"] or g["wd2"]).lower())
        back = (published.weekday() - weekday) % 7
        prefix = (g["wdpre"] or "").strip().lower()
        if prefix == "next":  # "next Friday": the coming one
            return (published + timedelta(days=(7 - back) or 7)).isoformat(), "day"
        if prefix == "last":  # "last Friday" in a Friday article: a week before
            back = back or 7
        return (published - timedelta(days=back)).isoformat(), "day"
    if g["mon4"]:
        day = _day_of(_month(g["mon4"]), int(g["day2"]), published)
    else:
        day = _day_of(_month(g["mon2"]), int(g["day"]), published)
    return (day.isoformat(), "day") if day else None


def year_stated(texts: list[str]) -> int | None:
    """The year an undated article states: that of its latest full date, else of its latest
    month with a year ("in April 2022"). It completes a day and month given without one."""
    full = [d.value.year for t in texts for d in _written(t)[0]]
    if full:
        return max(full)
    months = [int(m.group("year3")) for t in texts for m in _written(t)[1] if m.group("mon3")]
    return max(months) if months else None


@lru_cache(maxsize=4096)
def _written(sentence: str) -> tuple[tuple[DateMatch, ...], tuple[re.Match[str], ...]]:
    """The sentence's calendar dates and relative expressions, read once: the events stage
    asks for them up to three times per sentence (the year, the news day, the timexes)."""
    return tuple(find_dates(sentence)), tuple(_relative().finditer(sentence))


def find_timexes(sentence: str, published: str | None,
                 year: int | None = None) -> list[Timex]:
    """Every resolvable time expression of a sentence, in order; `year` completes a day and
    month when there is no publication date."""
    dates, relative = _written(sentence)
    found = [Timex(d.value.isoformat(), d.start, d.end, sentence[d.start : d.end])
             for d in dates]
    pub = date.fromisoformat(published[:10]) if published else None
    for m in relative:
        if any(t.start <= m.start() < t.end or m.start() <= t.start < m.end() for t in found):
            continue
        resolved = _resolve(m, pub, year)
        if resolved is not None:
            found.append(Timex(resolved[0], m.start(), m.end(), m.group(0), resolved[1]))
    return sorted(found, key=lambda t: t.start)
