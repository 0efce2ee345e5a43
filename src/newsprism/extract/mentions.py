"""A mention of a person, organisation or place in a sentence: shared by the entity and place
stages, kept in its own module so that neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass

from newsprism.extract.gazetteer import Place

# a capitalised word in Latin (accents included) or Cyrillic script: "René", "Hrytsenko"
# Latin-1 and Latin Extended-A letters ("Janša", "Łukasz", "Erdoğan"), Cyrillic
NAME_WORD = (r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯІЇЄҐ][a-zß-öø-ÿĀ-ſа-яіїєґ'’]+(?:[A-ZÀ-ÞĀ-ſ][a-zß-öø-ÿĀ-ſ'’]+)?"
             r"(?:-[A-ZÀ-Þa-zß-ÿĀ-ſ][a-zß-ÿĀ-ſ'’]+)?")  # "McAllister", "LeBlanc", "Ter-Petrosyan"


@dataclass
class Mention:
    start: int
    end: int
    text: str
    type: str  # person | organization | place
    name: str
    place: Place | None = None


def overlaps(spans: list[Mention], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in spans)
