"""Is this one line website chrome rather than article text? Signals that hold for any outlet.

A line is junk when it is short and made only of menu/account/sharing/cookie words (lexicon in
`data/junk_lexicon.txt`), carries a promo label ("READ MORE: …", a trailing "[LATEST]"), is a
photo or media-bank credit, or glues several account prompts together. Lines shaped like
sentences are never junk by lexicon alone, so a body sentence that mentions "subscribe" stays.
"""

from __future__ import annotations

import re
from functools import cache

from newsprism.clean.text import ends_like_sentence, words
from newsprism.resources import junk_lexicon

CHROME_SECTIONS = ("navigation", "account", "social", "cookies")
MAX_CHROME_WORDS = 10
MAX_PHRASE = 6
MAX_CTA_WORDS = 40
MAX_HEADER_CHARS = 80

_BRACKET_TAG = re.compile(r"[\[(][A-Z][A-Z0-9 !'’-]{1,24}[\])]\s*$")
_CAPS_LABEL = re.compile(r"^\s*([A-Z][A-Z' ]{1,24}[A-Z])\s*[:|»›]\s*\S")
_ANY_LABEL = re.compile(r"^\s*([^\W\d_][\w' ’-]{1,30}?)\s*[:|»›]\s*\S")
_CREDIT = re.compile(
    r"^\s*(?:©|\(c\)\s)|\b(?:photo|photograph|photos|image|picture|credit|photo credit|"
    r"illustration|фото|ілюстрація)\s*:|getty images|shutterstock|\bap photo\b|\bafp via\b|"
    r"\b(?:reuters|afp|epa|ap)\s*/|/\s*(?:reuters|afp|epa|ap|tass|ria novosti)\b|"
    r"\bmedia\s?bank\b|\bphoto\s?bank\b",
    re.IGNORECASE,
)
_COOKIE_BANNER = re.compile(
    r"\bcookies?\b.*\b(?:use|uses|accept|consent|brows\w*|preferences|policy|settings|agree)\b"
    r"|\b(?:use|uses|accept|consent|brows\w*|agree)\b.*\bcookies?\b"
    r"|(?:cookie|куки).*(?:использ|використ|соглас|погодж|приня|прийня|настро|налашт)"
    r"|(?:использ|використ|соглас|погодж|приня|прийня)\w*.*(?:cookie|куки)",
    re.IGNORECASE,
)
# weather and currency widgets: "Погода у Києві: +3, хмарно", "Kyiv +5°C", "USD 41.20 EUR 44.90"
_WIDGET = re.compile(
    r"^\s*(?:погода|weather)\b|[+−-]\s?\d{1,2}\s*°|\b(?:USD|EUR)\s*[\d.,]+\d\b",
    re.IGNORECASE,
)
MAX_WIDGET_WORDS = 10
# a Telegram channel page's header: "389K subscribers", "18.6K photos", "Download Telegram"
_CHANNEL = re.compile(
    r"^\s*[\d.,]+\s*[KkMm]?\s+(?:subscribers|members|photos|videos|files|links|"
    r"подписчик\w*|підписник\w*|фото|видео|відео|файл\w*|ссыл\w*|посилан\w*)\s*$"
    r"|^\s*(?:download telegram|view in telegram|open in telegram|"
    r"официальный канал|офіційний канал)\s*$",
    re.IGNORECASE,
)
_COUNTER = re.compile(r"^\s*\d+\s*(?:comments?|shares?|views?|likes?)?\s*$", re.IGNORECASE)
# a reaction button with its count: "Great! (12)", "👍 (40)"
_REACTION = re.compile(r"^\s*\S{1,24}\s*\(\d+\)\s*$")
# a picture's caption stamped by the page: "… - Some Outlet, 1920, 20.05.2023", "… (via AGENCY)"
_CAPTION_STAMP = re.compile(
    r"(?:^|\s)[-–—]\s*[^,]{2,40},\s*\d{3,4},\s*\d{1,2}\.\d{1,2}\.\d{4}\s*$"
    r"|\(via\s+[A-Z][\w .&-]{1,30}\)\s*$")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\w[\w.-]*\.[a-z]{2,}\S*", re.IGNORECASE)
MAX_LINK_PROMO_WORDS = 30
_BIO_OPENING = re.compile(r"^\s*(?:[A-Z][\w.'’-]+\s){2,3}is\s+an?\s+((?:[\w-]+\s*){1,5})")


@cache
def _phrases() -> dict[tuple[str, ...], str]:
    lex = junk_lexicon()
    table: dict[tuple[str, ...], str] = {}
    for section in CHROME_SECTIONS:
        for phrase in lex.get(section, ()):
            table.setdefault(tuple(words(phrase)), section)
    return table


def chrome_section(tokens: list[str]) -> str | None:
    """If the tokens are made only of chrome phrases, the section most of them come from."""
    if not tokens or len(tokens) > MAX_CHROME_WORDS:
        return None
    table = _phrases()
    # best[i] = list of sections covering tokens[:i], or None when tokens[:i] can't be covered
    best: list[list[str] | None] = [[]] + [None] * len(tokens)
    for i in range(len(tokens)):
        here = best[i]
        if here is None:
            continue
        for j in range(i + 1, min(len(tokens), i + MAX_PHRASE) + 1):
            section = table.get(tuple(tokens[i:j]))
            there = best[j]
            if section and (there is None or len(here) + 1 < len(there)):
                best[j] = here + [section]
    cover = best[-1]
    if not cover:
        return None
    return max(set(cover), key=cover.count)


@cache
def _padded(section: str) -> tuple[str, ...]:
    """A lexicon section's phrases as ' phrase ', for substring tests on ' '-joined tokens."""
    return tuple(f" {p} " for p in sorted(junk_lexicon().get(section, ())))


@cache
def _account_prompts() -> tuple[str, ...]:
    return tuple(p for p in _padded("account") if p.count(" ") > 2 or p.strip() in (
        "subscribe", "login", "register", "account", "newsletter"))


@cache
def _related_prefixes() -> tuple[str, ...]:
    return tuple(p + " " for p in junk_lexicon().get("related", ()) if p.startswith(
        ("more ", "related ")))


@cache
def _comment_words() -> frozenset[str]:
    return frozenset(w for p in junk_lexicon().get("comments", ()) for w in p.split())


def _account_hits(tokens: list[str]) -> int:
    text = " " + " ".join(tokens) + " "
    return sum(text.count(phrase) for phrase in _account_prompts())


def is_comments_header(line: str) -> bool:
    """'Comments', 'Leave a Reply', 'Deixe uma resposta' … (not counters: '0 Comments' sits
    in many bylines)."""
    if len(line) > MAX_HEADER_CHARS:
        return False
    tokens = words(line)
    if not tokens or len(tokens) > MAX_CHROME_WORDS or not _comment_words().issuperset(tokens):
        return False
    phrases = junk_lexicon().get("comments", frozenset())
    # covered[i]: tokens[:i] splits into lexicon phrases
    covered = [True] + [False] * len(tokens)
    for j in range(1, len(tokens) + 1):
        starts = range(max(0, j - MAX_PHRASE), j)
        covered[j] = any(covered[i] and " ".join(tokens[i:j]) in phrases for i in starts)
    return covered[-1]


def is_call_to_action(tokens: list[str]) -> bool:
    """'Sign up for our newsletter …', 'Follow us on Twitter' (a short line using such words)."""
    if len(tokens) > MAX_CTA_WORDS:
        return False
    text = " " + " ".join(tokens) + " "
    return any(p in text for p in _padded("call to action"))


def is_related_header(line: str) -> bool:
    """'Related Reads', 'More from Eastern Wire', 'You may also like' …"""
    tokens = words(line)
    if not tokens or len(tokens) > 6 or ends_like_sentence(line.rstrip(":")):
        return False
    text = " ".join(tokens)
    related = junk_lexicon().get("related", frozenset())
    return text in related or text.startswith(_related_prefixes())


def promo_label(line: str) -> bool:
    """'READ MORE: …', 'ONLY IN: …', 'Читайте также: …', or a trailing '[LATEST]' tag."""
    if _BRACKET_TAG.search(line):
        return True
    m = _ANY_LABEL.match(line)
    if m and " ".join(words(m.group(1))) in junk_lexicon().get("promo", frozenset()):
        return True
    m = _CAPS_LABEL.match(line)
    return bool(m) and not ends_like_sentence(line)


def is_link_promo(line: str, tokens: list[str]) -> bool:
    """'Follow our coverage of the war at https://…': an imperative that sends the reader to a
    web address."""
    return (len(tokens) <= MAX_LINK_PROMO_WORDS and tokens[0] in junk_lexicon().get(
        "link verbs", frozenset()) and _URL.search(line) is not None)


def is_author_bio(line: str) -> bool:
    """'Jane Roe is a senior reporter based in …': the author box under an article."""
    m = _BIO_OPENING.match(line)
    roles = junk_lexicon().get("bio roles", frozenset())
    if not m or not any(w.lower() in roles for w in m.group(1).split()):
        return False
    text = " " + " ".join(words(line)) + " "
    return any(f" {signal} " in text for signal in junk_lexicon().get("bio signals", ()))


def is_wire_credit(line: str, tokens: list[str]) -> bool:
    """'(Reporting by … in London; Editing by …)': who wrote and edited a wire story. A line
    opening with a credit role is one when it names a second role or is no sentence."""
    text = " " + " ".join(tokens) + " "
    roles = tuple(f" {p} " for p in junk_lexicon().get("credit roles", ()))
    if not text.startswith(roles):
        return False
    return sum(text.count(r) for r in roles) >= 2 or not ends_like_sentence(line)


def is_caption_stamp(line: str) -> bool:
    """'… - Some Outlet, 1920, 20.05.2023': a picture's stamp (its date is the picture's)."""
    return _CAPTION_STAMP.search(line.strip()) is not None


def junk_reason(line: str) -> str | None:
    """Why this line is not article text, or None if it may be."""
    stripped = line.strip()
    if not stripped:
        return None
    tokens = words(stripped)
    if not tokens:
        return "symbols only"
    if _CHANNEL.match(stripped):
        return "channel header"
    if _COUNTER.match(stripped) or _REACTION.match(stripped):
        return "counter"
    if _CAPTION_STAMP.search(stripped) and len(tokens) <= 40:
        return "credit"
    if is_link_promo(stripped, tokens):
        return "promo"
    if is_author_bio(stripped):
        return "author bio"
    if _CREDIT.search(stripped) and len(tokens) <= 40:
        return "credit"
    if len(tokens) <= 40 and is_wire_credit(stripped, tokens):
        return "credit"
    section = chrome_section(tokens) or chrome_section(words(stripped, split_glued=False))
    if section:
        return section
    if len(tokens) <= 40 and _COOKIE_BANNER.search(stripped):
        return "cookies"
    if len(tokens) <= MAX_WIDGET_WORDS and _WIDGET.search(stripped) \
            and not ends_like_sentence(stripped):
        return "widget"
    if is_related_header(stripped):
        return "related links"
    if promo_label(stripped):
        return "promo"
    if len(tokens) <= 30 and _account_hits(tokens) >= 2 and not stripped.endswith("."):
        return "account"
    return None
