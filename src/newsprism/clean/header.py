"""Title and publication date from the first lines of scraped text.

Scrapers save the headline at the top, often more than once (full, truncated, or with the site
name or section breadcrumbs glued on), next to a dateline. The headline is the first
headline-shaped line before the body starts; a line that repeats is the strongest sign.
Nothing is guessed: a text that opens with body prose has no title.
"""

from __future__ import annotations

import re
from collections import Counter

from newsprism.clean.dates import after_leading_date, date_line, find_dates
from newsprism.clean.junk import is_caption_stamp, junk_reason
from newsprism.clean.text import ends_like_sentence, key, words
from newsprism.model import Document

HEAD_LINES = 15
CARD_LINES = 2  # a picture card above the headline: its label and its blurb
_BREADCRUMB = re.compile(r"\s+[|»›]\s+")
_SITE_SUFFIX = re.compile(r"\s+[-–—|:]\s+\S.{0,40}$")


def _headline_shaped(line: str) -> bool:
    n = len(words(line))
    if not 3 <= n <= 30 or not 12 <= len(line) <= 250:
        return False
    if line.rstrip().endswith((".", ",", ";", ":")) and not line.rstrip().endswith("..."):
        return False
    return any(ch.isupper() for ch in line[:3])


def _looks_like_body(line: str) -> bool:
    n = len(words(line))
    return n >= 25 or (n >= 12 and ends_like_sentence(line) and not _headline_shaped(line))


def strip_breadcrumbs(title: str) -> str:
    """'Headline | World | News' -> 'Headline' (short trailing segments only)."""
    parts = _BREADCRUMB.split(title)
    while len(parts) > 1 and len(words(parts[-1])) <= 3:
        parts.pop()
    return " | ".join(parts).strip()


def find_header(lines: list[str]) -> tuple[str | None, str | None]:
    """Return (title, ISO date) read from the first lines, each None when not stated."""
    published: str | None = None
    picture_date: str | None = None
    candidates: list[str] = []
    seen = card = 0
    for raw in lines:
        line = raw.strip()
        if not line:
            card = 0  # a blank line ends a card
            continue
        seen += 1
        if seen > HEAD_LINES:
            break
        if is_caption_stamp(line):
            # A picture's stamp dates the picture. Above the headline it opens a topic or
            # teaser card (label, blurb) that is not the story; the first picture under the
            # headline is the story's own, and dates it when no dateline does.
            if candidates:
                dates = find_dates(line)
                picture_date = picture_date or (dates[-1].value.isoformat() if dates else None)
            else:
                card = CARD_LINES
            continue
        if card:
            card -= 1
            continue
        value, rest = date_line(line)
        if value is not None:
            if len(words(rest)) <= 4:  # a dateline, perhaps with a byline
                published = published or value.isoformat()
                continue
            headline = after_leading_date(line)  # "date 2025-07-09 Headline" -> the headline
            if headline:
                published = published or value.isoformat()
                line = headline
        reason = junk_reason(line)
        if reason == "channel header":  # lines above it name the channel, not the story
            candidates.clear()
        if reason:
            continue
        if _looks_like_body(line):
            break
        if _headline_shaped(line):
            candidates.append(line)
    return _choose_title(candidates), published or picture_date


def _choose_title(candidates: list[str]) -> str | None:
    if not candidates:
        return None
    counts = Counter(key(c) for c in candidates)
    best = candidates[0]
    for cand in candidates[1:]:
        kb, kc = key(best), key(cand)
        if kc == kb:
            continue
        if kc.startswith(kb) or kb.startswith(kc):
            longer, shorter = (cand, best) if len(kc) > len(kb) else (best, cand)
            if _SITE_SUFFIX.fullmatch(longer[len(shorter.rstrip()) :]) and key(shorter):
                best = shorter  # 'Headline - SiteName' vs 'Headline': the site name goes
            elif counts[key(longer)] >= counts[key(shorter)]:
                best = longer  # a truncated repeat loses to the full headline
            else:
                best = shorter
        elif counts[kc] > counts[kb]:
            best = cand
    return strip_breadcrumbs(best) or None


# how far under the headline's repeat a page puts its dateline (headline, standfirst, byline)
DATELINE_REACH = 5


def dateline_under_title(lines: list[str], title: str) -> str | None:
    """A page that opens with a long menu states its date under the headline's repeat above the
    story ("Headline / standfirst / 20 Nov 2019 08:00 GMT"), past the first lines: the first
    dateline within a few lines under a repeat."""
    stripped = [line.strip() for line in lines if line.strip()]
    want = key(title)
    for i, line in enumerate(stripped[1:], 1):
        if key(line) != want:
            continue
        for below in stripped[i + 1 : i + 1 + DATELINE_REACH]:
            value, rest = date_line(below)
            if value is not None and len(words(rest)) <= 4:
                return value.isoformat()
    return None


def header_stage(doc: Document) -> Document:
    """Fill `title` and `published` of a text document from its first lines (or, on a page
    that opens with a menu, from the dateline under the headline's repeat)."""
    if doc.kind != "text":
        return doc
    title, published = find_header(doc.lines)
    doc.title = doc.title or title
    if published is None and doc.title:
        published = dateline_under_title(doc.lines, doc.title)
    doc.published = doc.published or published
    return doc
