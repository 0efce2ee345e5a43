"""Places in a sentence: capitalised runs looked up in the gazetteer (Kharkov -> Kharkiv,
"Kharkiv region" -> Kharkiv Oblast); a place inside an organisation's name is not a place."""

from __future__ import annotations

import re

from newsprism.extract.gazetteer import Place, lookup
from newsprism.extract.mentions import NAME_WORD, Mention, overlaps

_CAP_RUN = re.compile(
    r"[A-ZА-ЯІЇЄҐ][\w'’.\-]*(?:\s+(?:[A-ZА-ЯІЇЄҐ][\w'’.\-]*|oblast|region|regions|regional|"
    r"province|krai|district|river|of|and|de|la|von|der))*"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_HYPHEN_PAIR = re.compile(r"\b([A-Z][a-z]+)-([A-Z][a-z]+)\b")
_REGION_PAIR = re.compile(rf"\b({NAME_WORD}) and ({NAME_WORD}) (?:regions|oblasts|provinces)\b")


def _lookup_place(surface: str) -> Place | None:
    place = lookup(surface)
    if place is None and " " in surface:  # "Kursk Region", "Belgorod regional (governor)"
        head, _, last = surface.rpartition(" ")
        if last.lower() in ("region", "regional", "oblast", "province"):
            place = lookup(f"{head} region")
    return place


def place_mentions(text: str, taken: list[Mention]) -> list[Mention]:
    """Place mentions of one sentence, outside the `taken` person/organisation spans."""
    found: list[Mention] = []
    for m in _HYPHEN_PAIR.finditer(text):  # "the Russia-Ukraine border"
        if lookup(m.group(0)) is None:
            for group in (1, 2):
                place = lookup(m.group(group))
                if place and not overlaps(taken, m.start(group), m.end(group)):
                    found.append(Mention(m.start(group), m.end(group), m.group(group), "place",
                                         place.name, place))
    for m in _REGION_PAIR.finditer(text):
        for group in (1, 2):
            place = lookup(f"{m.group(group)} region")
            if place:
                found.append(Mention(m.start(group), m.end(group), m.group(group), "place",
                                     place.name, place))
    for run in _CAP_RUN.finditer(text):
        words = list(re.finditer(r"\S+", run.group(0)))
        i = 0
        while i < len(words):
            hit = None
            for j in range(min(len(words), i + 5), i, -1):
                start = run.start() + words[i].start()
                end = run.start() + words[j - 1].end()
                surface = _POSSESSIVE.sub("", text[start:end].rstrip(".,;:"))
                surface = surface.removesuffix("-based")
                place = _lookup_place(surface) if surface[:1].isupper() else None
                if place and not overlaps(taken + found, start, start + len(surface)):
                    hit = Mention(start, start + len(surface), surface, "place", place.name, place)
                    i = j
                    break
            if hit:
                found.append(hit)
            else:
                i += 1
    return found
