"""Typed events: who did what, where, when, according to whom — one per sentence and place.

Triggers come from `data/event_patterns.tsv` (types mapped to CAMEO/PLOVER in docs/events.md).
For each trigger in a sentence the event gets:
- place: the settlements and regions named in the sentence (a region is dropped when a town in
  it is named too); "the town"/"the city" points back to the last settlement named; countries
  count only for talks and meetings (the venue);
- actor: the side whose forces the sentence names nearest before the trigger, else the nearest
  organisation, person or country before it;
- date: a date in the sentence that is not the date of the statement ("said on Tuesday");
- claimed_by: the speaker of the statement the sentence belongs to; None when the article
  asserts it in its own voice (the document's outlet is then the source).
Negated or hypothetical triggers ("did not capture", "could advance") are skipped.
"""

from __future__ import annotations

import re
from functools import cache

from newsprism.extract.entities import DocEntities, Mention
from newsprism.extract.sentences import Sentence
from newsprism.extract.timex import find_timexes
from newsprism.model import Event
from newsprism.resources import data_lines

RUSSIAN_SIDE = "Russian Armed Forces"
UKRAINIAN_SIDE = "Armed Forces of Ukraine"
_FORCES = r"(?:forces|troops|army|units|military|soldiers|servicemen|fighters|brigades?|" \
          r"assault (?:groups|units)|aircraft|air defen[cs]e|artillery|drones|navy|marines|" \
          r"paratroopers|sappers|formations|grouping|defenders|counterparts)"
_SIDES = [
    (re.compile(rf"\b(?:Russian|Russia['’]s|Moscow['’]s|Kremlin['’]s)\s+(?:\w+\s+)?{_FORCES}"
                r"|\bthe Russians\b|\b(?:Northern|Western|Southern|Eastern|Centre|Center|Dnepr) "
                r"group(?:ing)? of forces\b", re.IGNORECASE), RUSSIAN_SIDE),
    (re.compile(rf"\b(?:Ukrainian|Ukraine['’]s|Kyiv['’]s|Kiev['’]s)\s+(?:\w+\s+)?{_FORCES}"
                r"|\bthe Ukrainians\b|\bneo-Nazi\b|\bnationalist (?:units|formations)\b"
                r"|\bKiev regime\b|\bKyiv regime\b", re.IGNORECASE), UKRAINIAN_SIDE),
]
_NEGATION = re.compile(r"\b(?:not|no|never|n['’]t|would|could|might|may|if|unless|whether|"
                       r"deny|denied|denies|without|failed to|fail to|threats? to|threatened to|"
                       r"minimi[sz]\w*|prevent\w*|avoid\w*)\b(?:\W+\w+){0,3}\W*$",
                       re.IGNORECASE)
# "this operation", "the same attack": a noun pointing back to an event already reported
_ANAPHORIC = re.compile(r"\b(?:this|that|these|those|such|the same)\s+(?:\w+\s+)?$",
                        re.IGNORECASE)
_LOCATIVE = re.compile(r"\b(?:in|near|around|at|outside|into|towards?|over|across|on|from|"
                       r"inside|within|to)\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)
_BACK_REFERENCE = re.compile(r"\b(?:the|this) (?:town|city|village|settlement|area)\b|\bthere\b",
                             re.IGNORECASE)
_SPEECH_DATE = re.compile(r"\b(?:said|says|told \w+|stated|announced|reported|added|noted|"
                          r"claimed|confirmed|wrote)\s*$", re.IGNORECASE)
VENUE_TYPES = {"negotiation", "meeting"}
# a side that "lost" a place or whose town "has fallen" is not the one that now holds it
_LOSS = re.compile(r"(?:lost|fall of|has fallen|had fallen|have fallen)\b", re.IGNORECASE)
_OTHER_SIDE = {RUSSIAN_SIDE: UKRAINIAN_SIDE, UKRAINIAN_SIDE: RUSSIAN_SIDE}
CAPITALS = {"Moscow", "Kyiv", "Washington", "Beijing", "Minsk", "London", "Paris", "Berlin",
            "Brussels", "Ankara", "Tehran", "Pyongyang", "Warsaw"}


@cache
def _triggers() -> list[tuple[str, re.Pattern[str]]]:
    """One alternation per event type, so the earliest trigger in a sentence is found first."""
    by_type: dict[str, list[str]] = {}
    for line in data_lines("event_patterns.tsv"):
        event_type, pattern = line.split("\t", 1)
        by_type.setdefault(event_type.strip(), []).append(f"(?:{pattern.strip()})")
    return [(t, re.compile(rf"\b(?:{'|'.join(ps)})\b", re.IGNORECASE)) for t, ps in by_type.items()]


def _side_or_entity(text: str, pos: int, mentions: list[Mention],
                    claimant: str | None) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, side in _SIDES:
        for m in pattern.finditer(text):
            if m.start() < pos and (best is None or m.start() > best[0]):
                best = (m.start(), side)
    if best:
        return best[1]
    for pattern, side in _SIDES:
        if pattern.search(text):
            return side
    before = [m for m in mentions if m.end <= pos and m.name != claimant and (
        m.type in ("organization", "person") or (m.place and m.place.kind == "country"))]
    return before[-1].name if before else None


def _is_location(m: Mention, text: str) -> bool:
    """Capitals and countries often stand for governments ("Moscow expects"): they locate an
    event only after a locative preposition ("talks in Istanbul", "strikes on Kyiv")."""
    place = m.place
    if place is None:
        return False
    if place.kind == "country" or place.name in CAPITALS:
        return bool(_LOCATIVE.search(text[max(0, m.start - 40) : m.start]))
    return True


def _places(mentions: list[Mention], event_type: str, last_town: str | None,
            text: str) -> list[str | None]:
    places = [m.place for m in mentions if m.type == "place" and _is_location(m, text)]
    local = [p for p in places if p.kind != "country"]
    towns = {p.region for p in local if p.kind == "settlement" and p.region}
    names: list[str | None] = []
    for p in local:
        if not (p.kind == "region" and p.name in towns) and p.name not in names:
            names.append(p.name)
    if not names and event_type in VENUE_TYPES:
        names = [p.name for p in places if p.kind == "country"][:1]
    if not names and last_town and _BACK_REFERENCE.search(text):
        names = [last_town]
    return names or [None]


def extract_events(
    sentences: list[Sentence],
    entities: DocEntities,
    claims: dict[int, str | None],
    published: str | None,
) -> list[Event]:
    events: list[Event] = []
    last_town: str | None = None
    for index, sentence in enumerate(sentences):
        text = sentence.text
        mentions = entities.mentions.get(index, [])
        timexes = [t for t in find_timexes(text, published)
                   if not _SPEECH_DATE.search(text[max(0, t.start - 40) : t.start])]
        seen: set[str] = set()
        for event_type, pattern in _triggers():
            if event_type in seen:
                continue
            for m in pattern.finditer(text):
                before = text[max(0, m.start() - 60) : m.start()]
                if _NEGATION.search(before) or _ANAPHORIC.search(before):
                    continue
                seen.add(event_type)
                actor = _side_or_entity(text, m.start(), mentions, claims.get(index))
                if event_type == "territorial_control" and _LOSS.match(m.group(0)):
                    actor = _OTHER_SIDE.get(actor)  # "the Kiev regime has lost …": Russia took it
                for place in _places(mentions, event_type, last_town, text):
                    events.append(Event(
                        type=event_type, actor=actor, place=place,
                        date=timexes[0].value if timexes else None,
                        claimed_by=claims.get(index), evidence=text,
                    ))
                break
        towns = [m.place.name for m in mentions
                 if m.type == "place" and m.place and m.place.kind == "settlement"]
        if towns:
            last_town = towns[-1]
    return events
