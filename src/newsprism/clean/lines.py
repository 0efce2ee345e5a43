"""The line cleaner: keep the article body, remove everything else and say why.

Runs on the lines of a document (scraped text, or the paragraphs trafilatura found in HTML):
1. line rules: the headline and its repeats, datelines, credits, website chrome, promo lines,
   related-links blocks, exact or near-exact repeats of an earlier line (first one kept);
2. for scraped text only, the main-text region: body text comes in a run of prose lines, and
   the menus, teasers and footers around it are cut away (a jusText-like idea on lines, using
   line length, sentence punctuation and stop-word density instead of markup); hard-wrapped
   lines are scored as one paragraph, and a reader-comments section after the body is cut.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from newsprism.clean.dates import after_leading_date, date_line
from newsprism.clean.header import HEAD_LINES
from newsprism.clean.junk import is_call_to_action, is_comments_header, junk_reason
from newsprism.clean.text import ends_like_sentence, is_bullet, key, words
from newsprism.model import Document
from newsprism.resources import data_lines, junk_lexicon, stopwords

_LABEL = re.compile(
    r"(?:" + "|".join(re.escape(w) for w in data_lines("body_labels.txt")) + r")\s*:\s*\S",
    re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
MIN_REPEAT_KEY = 8
# Step 2 scores. A prose line counts for the body by its words beyond PROSE_OFFSET (capped), so
# one-sentence teasers and captions weigh little while real paragraphs carry the region; other
# lines cost CHROME, and so do lines step 1 removed (menus and share bars around teaser lists),
# except promo lines (they sit inside bodies) and repeats (widgets repeat body bullets too).
PROSE_OFFSET = 12
PROSE_CAP = 60
CHROME = -5.0
REPEAT = -2.0
MIN_BODY_BEFORE_COMMENTS = 100.0  # a comments header only ends a body at least this strong
MIN_STOP_SHARE = 0.1  # a stop-word list covering less of the text is not this text's language
OWN_STOP_WORDS = 30


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


@cache
def _wire_dateline() -> re.Pattern[str]:
    """'MOSCOW, May 2. /TASS/. ' or 'KYIV, Ukraine (AP) — ' opening a paragraph."""
    names = "|".join(map(re.escape, sorted(data_lines("wire_agencies.txt"), key=len,
                                           reverse=True)))
    return re.compile(rf"^[A-ZА-ЯІЇЄ][A-ZА-ЯІЇЄ .'’-]+(?:,[^/()\n]{{1,40}}?)?\s*"
                      rf"(?:/\s*(?:{names})\s*/\.?|\((?:{names})\))\s*[—–-]?\s*(?=\S)")


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
        wire = _wire_dateline().match(text)
        if wire and len(words(text[wire.end():])) >= 6:  # the story starts after the dateline
            doc.remove(wire.group(0).strip(), "dateline")
            text = text[wire.end():]
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
    _bylines(out)
    return out


_NAME_LINE = re.compile(r"(?:By\s+)?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}")


def _bylines(lines: list[_Line]) -> None:
    """'Chris Roe' over 'Political editor, reporting from Kyiv': the author's name on a line of
    its own above their role (junk_lexicon.txt's bio roles) is a byline, not a mention."""
    roles = junk_lexicon().get("bio roles", frozenset())
    for name, role in zip(lines, lines[1:], strict=False):
        if name.reason or role.reason or not _NAME_LINE.fullmatch(name.text):
            continue
        first = words(role.text)[:3]
        if len(words(role.text)) <= 14 and any(w.lower() in roles for w in first):
            name.reason = "byline"  # the role line may name where they report from: kept


def _line_score(text: str, stops: frozenset[str]) -> float:
    """Positive for prose, negative for chrome-like lines (short, unpunctuated, no stop words,
    calls to action)."""
    tokens = words(text)
    n = len(tokens)
    if n == 0:
        return -1.0
    if is_call_to_action(tokens):
        return CHROME
    if _LABEL.match(text):  # "Source: the regional administration" sits inside bodies
        return 0.0
    # no stop words known (a language written without them, e.g. Korean): length decides
    density = sum(t in stops for t in tokens) / n if stops else 1.0
    sentence = ends_like_sentence(text)
    if (n >= 8 and sentence and density >= 0.15) or (n >= 12 and density >= 0.25):
        return max(0.0, min(n, PROSE_CAP) - PROSE_OFFSET)
    if (is_bullet(text) and n >= 5) or (sentence and n >= 2):
        return 0.0
    return CHROME - (2.0 if n <= 3 else 0.0)


@dataclass
class _Block:
    first: int
    last: int
    text: str  # the kept lines joined; "" for a line step 1 removed
    comments: bool = False
    repeat: bool = False


def _blocks(lines: list[_Line]) -> list[_Block]:
    """Lines grouped for scoring. A kept line that does not end a sentence, followed by one
    starting in lower case, was hard-wrapped: they form one paragraph. Removed lines stay in as
    chrome evidence (a teaser list behind a share bar is not next to the body); a comments
    header, kept or not, is marked."""
    blocks: list[_Block] = []
    for i, ln in enumerate(lines):
        prev = blocks[-1] if blocks else None
        if is_comments_header(ln.text):
            blocks.append(_Block(i, i, "", comments=True))
        elif ln.reason == "promo":
            continue
        elif ln.reason is not None:
            blocks.append(_Block(i, i, "", repeat=ln.reason == "repeated line"))
        elif prev and prev.text and ln.text[0].islower() and not ends_like_sentence(prev.text):
            prev.last, prev.text = i, prev.text + " " + ln.text
        else:
            blocks.append(_Block(i, i, ln.text))
    return blocks


def _main_region(lines: list[_Line], stops: frozenset[str]) -> tuple[int, int, int] | None:
    """Step 2: the highest-scoring contiguous run of blocks (maximum subarray), searched up to
    the first comments header that follows a real body. Returns (first, last, end): lines from
    `end` on are the comments section."""
    best_sum, best = 0.0, None
    run_sum, run_start = 0.0, 0
    scored: list[tuple[_Block, float]] = []
    for block in _blocks(lines):
        if block.comments:
            if best is not None and best_sum >= MIN_BODY_BEFORE_COMMENTS:
                return (*_with_lead(best, scored), block.first)
            continue
        s = _line_score(block.text, stops) if block.text else REPEAT if block.repeat else CHROME
        if block.text and block.first and _media_label(lines[block.first - 1].text):
            s = CHROME  # a player's blurb
        scored.append((block, s))
        if run_sum <= 0:
            run_sum, run_start = s, block.first
        else:
            run_sum += s
        # a neutral kept line right after the best run joins it ("No talks are planned.")
        ends_best = best is not None and best[0] == run_start and run_sum == best_sum
        if run_sum > best_sum or (ends_best and block.text and s == 0):
            best_sum, best = run_sum, (run_start, block.last)
    return None if best is None else (*_with_lead(best, scored), len(lines))


def _media_label(line: str) -> bool:
    """'Video', 'Podcast': a line naming a media player."""
    return " ".join(words(line)) in junk_lexicon().get("media labels", frozenset())


def _with_lead(best: tuple[int, int], scored: list[tuple[_Block, float]]) -> tuple[int, int]:
    """Neutral kept lines right before the best run join it too: short news paragraphs
    (a one-sentence lead, "Russian forces shelled the city.") score 0 and open many reports."""
    first, last = best
    for block, s in reversed([(b, s) for b, s in scored if b.last < first]):
        if not block.text or s != 0:
            break
        first = block.first
    return first, last


def _stop_words(lines: list[_Line], language: str | None) -> frozenset[str]:
    """jusText's list for the language; when it hardly covers the text (a language without a
    list, e.g. Indonesian), the document's own most frequent words stand in for stop words."""
    stops = stopwords(language)
    tokens = [t for ln in lines if ln.reason is None for t in words(ln.text)]
    if not tokens or sum(t in stops for t in tokens) >= MIN_STOP_SHARE * len(tokens):
        return stops
    own = Counter(tokens).most_common(OWN_STOP_WORDS)
    if sum(c for _, c in own) >= MIN_STOP_SHARE * len(tokens):
        return frozenset(t for t, _ in own)
    return frozenset()


def _above_headline(lines: list[_Line]) -> None:
    """Scraped text puts the headline above the story: what stands above it near the top (a
    topic card and its blurb, breadcrumbs) is page furniture, not body."""
    at = next((i for i, ln in enumerate(lines[:HEAD_LINES]) if ln.reason == "title"), None)
    for ln in lines[:at or 0]:
        if ln.reason is None:
            ln.reason = "above the headline"


_SHORT_REPORT_KEEPS = ("title", "outside the main text")


def _keep_short_report(lines: list[_Line]) -> None:
    """A one- or two-line report (a Telegram post, a wire flash) has no headline apart from its
    text: when every line went, the one taken as the title and those judged outside the main
    text are the report, and stay."""
    for ln in lines:
        if ln.reason in _SHORT_REPORT_KEEPS:
            ln.reason = None


def clean_lines(doc: Document, language: str | None = None) -> Document:
    """Split `doc.lines` into kept body paragraphs and removed lines with reasons."""
    lines = _rule_pass(doc)
    if doc.kind == "text":
        _above_headline(lines)
        region = _main_region(lines, _stop_words(lines, language))
        if region is not None:
            first, last, end = region
            doc.published = doc.published or _page_dateline(lines, first, last)
            for i, ln in enumerate(lines):
                if ln.reason is None and i >= end:
                    ln.reason = "comments section"
                elif ln.reason is None and not first <= i <= last:
                    ln.reason = "outside the main text"
    if not any(ln.reason is None for ln in lines):
        _keep_short_report(lines)
    doc.lines = [ln.text for ln in lines if ln.reason is None]
    for ln in lines:
        if ln.reason is not None:
            doc.remove(ln.text, ln.reason)
    return doc


#: How many lines above a page's main text its own date line may stand (under a menu).
DATELINE_ABOVE_BODY = 12


def _page_dateline(lines: list[_Line], first: int, last: int) -> str | None:
    """The date of the date line nearest above the main text (else the first inside it): a
    page that opens with a long menu has it below the header lines `find_header` reads. Only
    a line of nothing but a date and time counts ("Archive: 2 January 2026" is a link)."""
    near = range(first - 1, max(-1, first - 1 - DATELINE_ABOVE_BODY), -1)
    for i in [*near, *range(first, last + 1)]:
        if lines[i].reason == "date line":
            value, rest = date_line(lines[i].text)
            if value is not None and not rest:
                return value.isoformat()
    return None


_BREAKS = (re.compile(r"[.!?…][\"”»’')]*\s+"), re.compile(r"[;:,]\s+"), re.compile(r"\s+"))


def _split_point(window: str) -> int | None:
    """Where to break a too-long line inside `window`: after the last sentence end in its
    second half, else a clause break, else a space; None when it has no break at all."""
    half = len(window) // 2
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(window, half)]
        if ends:
            return ends[-1]
    return None


def limit_line_lengths(doc: Document, max_chars: int) -> Document:
    """The input budget: no stage after this one sees a line longer than `max_chars`. A
    longer line is split at sentence (else clause, else word) breaks; a run of `max_chars`
    characters without any break is not text a reader wrote, and is cut (and reported)."""
    if max_chars <= 0 or all(len(line) <= max_chars for line in doc.lines):
        return doc
    out: list[str] = []
    for line in doc.lines:
        while len(line) > max_chars:
            at = _split_point(line[: max_chars + 1])
            if at is None:
                end = next((m.start() for m in re.finditer(r"\s", line)), len(line))
                doc.remove(line[:200] + f"… ({end} characters)",
                           f"a run of over {max_chars} characters without a break (line limit)")
                line = line[end:].lstrip()
                continue
            out.append(line[:at].rstrip())
            line = line[at:]
        out.append(line)
    doc.lines = out
    return doc
