"""The line cleaner: keep the article body, remove everything else and say why.

Runs on the lines of a document (scraped text, or the paragraphs trafilatura found in HTML):
1. line rules: the headline and its repeats, datelines, credits, website chrome, promo lines,
   related-links blocks, exact or near-exact repeats of an earlier line (first one kept);
2. for scraped text only, the main-text region: body text comes in a run of prose lines, and
   the menus, teasers and footers around it are cut away (a jusText-like idea on lines, using
   line length, sentence punctuation and stop-word density instead of markup).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.clean.dates import after_leading_date, date_line
from newsprism.clean.junk import is_related_header, junk_reason
from newsprism.clean.text import ends_like_sentence, is_bullet, key, words
from newsprism.model import Document
from newsprism.resources import stopwords

_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
MIN_REPEAT_KEY = 8
import os
OFFSET = float(os.environ.get('OFFSET', 0))


@dataclass
class _Line:
    text: str
    reason: str | None = None


def _title_reason(line: str, title_key: str, seen_title: bool) -> str | None:
    k = key(line)
    if not title_key or not k:
        return None
    is_title = k == title_key or (k.endswith(title_key) and bool(after_leading_date(line)))
    is_variant = len(k) >= 12 and (
        title_key.startswith(k) and len(k) >= 0.5 * len(title_key)
        or (k.startswith(title_key) and len(words(line)) - len(title_key) < 60
            and not ends_like_sentence(line))
    )
    if is_title or is_variant:
        return "repeated title" if seen_title else "title"
    return None


def _rule_pass(doc: Document) -> list[_Line]:
    """Step 1: rules that judge each line alone or against the lines before it."""
    out: list[_Line] = []
    title_key = key(doc.title or "")
    seen_title = False
    seen_keys: set[str] = set()
    in_related = False
    for raw in doc.lines:
        text = _SPACES.sub(" ", raw).strip()
        if not text:
            continue
        reason = _title_reason(text, title_key, seen_title)
        seen_title = seen_title or reason is not None
        if reason is None:
            value, rest = date_line(text)
            if value is not None and len(words(rest)) <= 4:
                reason = "date line"
        if reason is None:
            reason = junk_reason(text)
            if reason == "related links":
                in_related = True
            elif in_related and not (
                len(words(text)) >= 8 and ends_like_sentence(text) and text[-1] != ":"
            ):
                reason = "related links"
            else:
                in_related = False
        if reason is None:
            k = key(text)
            if len(k) >= MIN_REPEAT_KEY and k in seen_keys:
                reason = "repeated line"
            seen_keys.add(k)
        out.append(_Line(text, reason))
    return out


def _line_score(text: str, stops: frozenset[str]) -> float:
    """Positive for prose, negative for chrome-like lines (short, unpunctuated, no stop words)."""
    tokens = words(text)
    n = len(tokens)
    if n == 0:
        return -1.0
    density = sum(t in stops for t in tokens) / n
    sentence = ends_like_sentence(text)
    if (n >= 8 and sentence and density >= 0.15) or (n >= 12 and density >= 0.25):
        return float(min(n, 60)) - OFFSET
    if (is_bullet(text) and n >= 5) or (sentence and n >= 3):
        return 0.0
    return -3.0 - (2.0 if n <= 3 else 0.0)


def _main_region(lines: list[_Line], stops: frozenset[str]) -> tuple[int, int] | None:
    """Step 2: the highest-scoring contiguous run of kept lines (maximum subarray)."""
    kept = [i for i, ln in enumerate(lines) if ln.reason is None]
    best_sum, best = 0.0, None
    run_sum, run_start = 0.0, 0
    for pos, i in enumerate(kept):
        s = _line_score(lines[i].text, stops)
        if run_sum <= 0:
            run_sum, run_start = s, pos
        else:
            run_sum += s
        if run_sum > best_sum:
            best_sum, best = run_sum, (kept[run_start], i)
    return best


def clean_lines(doc: Document, language: str | None = None) -> Document:
    """Split `doc.lines` into kept body paragraphs and removed lines with reasons."""
    lines = _rule_pass(doc)
    if doc.kind == "text":
        region = _main_region(lines, stopwords(language))
        if region is not None:
            first, last = region
            for i, ln in enumerate(lines):
                if ln.reason is None and not first <= i <= last:
                    ln.reason = "outside the main text"
    doc.lines = [ln.text for ln in lines if ln.reason is None]
    for ln in lines:
        if ln.reason is not None:
            doc.remove(ln.text, ln.reason)
    return doc
