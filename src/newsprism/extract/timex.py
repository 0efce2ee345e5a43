"""Dates in article sentences, normalised against the publication date.

"on Wednesday" is the most recent Wednesday on or before publication, "yesterday" the day
before, "in November" the first of that month (last year's November if it is still ahead),
"on August 6, 2024" itself. Without a publication date only absolute dates resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from newsprism.clean.dates import find_dates
from newsprism.resources import english_months, month_names

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@dataclass(frozen=True)
class Timex:
    value: str  # ISO date
    start: int
    end: int
    text: str


@cache
def _relative() -> re.Pattern[str]:
    months = "|".join(m.capitalize() for m in english_months())
    weekdays = "|".join(w.capitalize() for w in WEEKDAYS)
    return re.compile(
        rf"\b(?:(?P<rel>(?i:yesterday|today|last night|this morning|earlier today))"
        rf"|(?i:on |last |this )(?P<wd>{weekdays})"
        rf"|(?i:in )(?:early |mid-|late )?(?P<mon>{months})(?: (?P<year>(?:19|20)\d\d))?(?! ?\d)"
        rf"|(?:(?i:on) )?(?P<mon2>{months}) (?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d|,? \d{{4}}))\b"
    )


def _resolve(m: re.Match[str], published: date) -> date | None:
    g = m.groupdict()
    if g["rel"]:
        rel = g["rel"].lower()
        return published - timedelta(days=1) if rel in ("yesterday", "last night") else published
    if g["wd"]:
        back = (published.weekday() - WEEKDAYS.index(g["wd"].lower())) % 7
        return published - timedelta(days=back)
    names = month_names()
    if g["mon"]:
        month = names[g["mon"].lower()]
        year = published.year if month <= published.month else published.year - 1
        year = int(g["year"]) if g["year"] else year
        return date(year, month, 1)
    month = names[g["mon2"].lower()]
    year = published.year if month <= published.month else published.year - 1
    try:
        return date(year, month, int(g["day"]))
    except ValueError:
        return None


def find_timexes(sentence: str, published: str | None) -> list[Timex]:
    """Absolute dates always; relative ones only when the publication date is known."""
    found = [Timex(d.value.isoformat(), d.start, d.end, sentence[d.start : d.end])
             for d in find_dates(sentence)]
    if published:
        pub = date.fromisoformat(published)
        for m in _relative().finditer(sentence):
            if any(t.start <= m.start() < t.end for t in found):
                continue
            value = _resolve(m, pub)
            if value is not None:
                found.append(Timex(value.isoformat(), m.start(), m.end(), m.group(0)))
    return sorted(found, key=lambda t: t.start)
