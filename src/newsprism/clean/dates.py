"""Find publication dates in the header lines of scraped text.

Header dates come in a handful of shapes ("date 2025-07-09", "09:38 GMT 09.07.2025",
"7 NOV 2025 12:28", "Nov 19, 2019, 10:31 pm"). A small explicit grammar is faster and far less
trigger-happy than a general date parser on arbitrary prose; month names come from a data file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from newsprism.resources import month_names


@dataclass(frozen=True)
class DateMatch:
    value: date
    start: int
    end: int


_ISO_TIME = r"(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?"
# Every pattern needs a four-digit year: most lines have none and skip the five regexes.
_YEAR = re.compile(r"(?:19|20)\d\d")


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    months = "|".join(sorted((re.escape(m) for m in month_names()), key=len, reverse=True))
    month = rf"(?P<mon>{months})\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    return [
        (re.compile(rf"\b{year}-(?P<m>[01]?\d)-(?P<d>[0-3]?\d){_ISO_TIME}"), "ymd"),
        (re.compile(rf"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.{year}\b"), "dmy"),
        (re.compile(rf"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/{year}\b"), "slash"),
        (re.compile(rf"\b{day}\s+{month},?\s+{year}\b", re.IGNORECASE), "d_mon_y"),
        (re.compile(rf"\b{month}\s+{day},?\s+{year}\b", re.IGNORECASE), "mon_d_y"),
    ]


def _build(kind: str, m: re.Match[str]) -> date | None:
    g = m.groupdict()
    year = int(g["year"])
    try:
        if kind == "ymd":
            return date(year, int(g["m"]), int(g["d"]))
        if kind == "dmy":
            return date(year, int(g["m"]), int(g["d"]))
        if kind == "slash":
            a, b = int(g["a"]), int(g["b"])
            # US order unless impossible: 07/09/2025 is July 9; 25/07/2025 can only be 25 July.
            month, day = (a, b) if a <= 12 else (b, a)
            return date(year, month, day)
        mon = month_names().get(g["mon"].lower().rstrip("."))
        return date(year, mon, int(g["day"])) if mon else None
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMatch]:
    """All calendar dates written in `text`, in order of appearance, overlaps removed."""
    found: list[DateMatch] = []
    if not _YEAR.search(text):
        return found
    for pattern, kind in _patterns():
        for m in pattern.finditer(text):
            value = _build(kind, m)
            if value and not any(f.start < m.end() and m.start() < f.end for f in found):
                found.append(DateMatch(value, m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


_TIME = re.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?", re.IGNORECASE)
_FILLER = re.compile(
    r"\b(?:date|dated|published|posted|updated|last updated|modified|on|at|by|gmt|utc|msk|cet|"
    r"cest|est|edt|pst|pdt|cst|cdt|bst|eet|eest|am|pm|mon|tue|wed|thu|fri|sat|sun|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday|опубликовано|обновлено|опубліковано|"
    r"оновлено)\b",
    re.IGNORECASE,
)


def date_line(line: str) -> tuple[date | None, str]:
    """If `line` is a dateline, return (first date, what is left besides dates and times).

    A dateline may carry a short byline ("Chris Davies - Nov 19, 2019"); the caller decides
    what to do with a longer remainder (e.g. a title after a "date 2025-07-09" prefix).
    """
    dates = find_dates(line)
    if not dates:
        return None, line
    rest = line
    for d in reversed(dates):
        rest = rest[: d.start] + " " + rest[d.end :]
    rest = _TIME.sub(" ", rest)
    rest = _FILLER.sub(" ", rest)
    rest = re.sub(r"[\s()\[\]|,:;/\-–—•·]+", " ", rest).strip()
    return dates[0].value, rest


_LABEL = re.compile(r"^\s*(?:date|dated|published|posted|updated)?\s*[:\-–]?\s*", re.IGNORECASE)


def after_leading_date(line: str) -> str:
    """'date 2025-07-09 Some headline' -> 'Some headline'; '' when the line has no leading date."""
    dates = find_dates(line)
    label = _LABEL.match(line[: dates[0].start]) if dates else None  # matches any string
    if not dates or label is None or label.end() != dates[0].start:
        return ""
    rest = _TIME.sub(" ", line[dates[0].end :], count=1) if _TIME.match(
        line[dates[0].end :].lstrip()) else line[dates[0].end :]
    return rest.strip(" \t|,:;-–—")
