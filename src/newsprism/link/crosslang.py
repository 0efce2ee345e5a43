"""Across languages: which Russian or Ukrainian article tells an English story, and which is a
translation of another.

Story clustering (stories.py) weighs words, and no word of a Russian article is a word of its
English version. What does survive translation is what extraction already makes
language-independent: the canonical English names of people, organisations and places
(extract/cyrillic.py maps «Харкові» and «Синєгубов» to Kharkiv and Oleh Syniehubov), event
types at places, and the figures ("17", "4,300" = "4 300"); people count by surname (a
transliterated "Fedorov" is the "Ivan Fedorov" of the English text). So each document gets an
*anchor* signature of those, and two documents in different languages are

- in one story when both are dated and were published within `STORY_DAYS` of each other,
  share a specific place (a town or region, not a country), something that says what happened
  (`telling`: an event at a place, or a figure that is not a year or a single digit) and at
  least `STORY_SHARED` anchors in all, and their IDF-weighted anchor cosine reaches
  `STORY_COSINE` (a name or figure most documents carry counts for little). Names alone are
  not enough: Kharkiv is shelled every week, and every report quotes the same governor and
  mayor (on the real corpus, three different Kharkiv strike reports in Russian and Ukrainian
  share five names and no figure);
- a translation (one article in two languages) when, on top of that, they were published within
  `TRANSLATION_DAYS`, share at least `TRANSLATION_SHARED` anchors of which
  `TRANSLATION_FIGURES` are telling figures, the shorter one's anchors are nearly all in the
  longer one (`TRANSLATION_CONTAINMENT`) and the shared anchors come in the same order
  (`TRANSLATION_ORDER`, the mean shift of their relative first positions). An independent
  report of the same event names the same town and official but carries other figures, in
  another order.

The later of a translated pair is taken as the translation (near_duplicates.copy_direction), and
claims count it for the outlet of the original, as they do a copy. Event keys count for the story
test but not the translation one: Russian and Ukrainian event extraction finds other events than
English, and that says nothing about whether the texts are one.

Tuned on invented fixtures (tests/fixtures/xlang) and checked for false links on the real corpus
of ../shared (English d01–d30 with Russian and Ukrainian r01–r08): see docs in
benchmarks/RESULTS.md (link_quality).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from newsprism.extract.entities import name_key
from newsprism.model import Document

STORY_DAYS = 3
STORY_SHARED = 3
STORY_COSINE = 0.3
TRANSLATION_DAYS = 2
TRANSLATION_SHARED = 5
TRANSLATION_CONTAINMENT = 0.7
TRANSLATION_ORDER = 0.2
TRANSLATION_FIGURES = 2
# documents about one place in one period compared with each new one, at most (a guard for
# corpora far larger than any reporting of one week)
MAX_POSTING = 2_000

# thousands grouped by a comma, dot or (narrow) space; a decimal comma; a clock time
_NUMBER = re.compile(r"(?<![\w.,:])(\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+(?:[.,]\d{1,2})?"
                     r"(?::\d{2})?)(?![\w]|[.,:]\d)")
_GROUPING = re.compile(r"[,.\u00a0\u202f ](?=\d{3}(?!\d))")


@dataclass
class Anchors:
    """What of a document survives translation, with where each anchor first appears."""

    id: str
    language: str | None
    outlet: str | None
    published: str | None
    positions: dict[str, float] = field(default_factory=dict)  # anchor -> relative position
    events: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)  # anchor -> as people read it

    @property
    def text_anchors(self) -> set[str]:
        return set(self.positions)

    @property
    def all(self) -> set[str]:
        return set(self.positions) | self.events


def number_key(token: str) -> str:
    """"4,300", "4 300" and "4300" are one figure; "1,5" and "1.5" too; "02:00" is "2:00"."""
    token = _GROUPING.sub("", token)
    if ":" in token:
        hours, minutes = token.split(":", 1)
        return f"{int(hours)}:{minutes}"
    return token.replace(",", ".").lstrip("0") or "0"


def anchors(doc: Document) -> Anchors:
    text = doc.text
    size = max(len(text), 1)
    positions: dict[str, float] = {}
    names: dict[str, str] = {}

    def seen(anchor: str, offset: int) -> None:
        where = offset / size if offset >= 0 else 1.0
        positions[anchor] = min(positions.get(anchor, 1.0), where)

    for entity in doc.entities:
        if entity.type == "place" and entity.lat is None and entity.country is None:
            continue  # an unresolved place name is a spelling, not an identity
        if entity.type == "person":  # "Ivan Fedorov" here may be a bare "Fedorov" there
            key = f"person:{name_key(entity.name.split()[-1])}"
        else:
            key = f"{'country' if entity.kind == 'country' else entity.type}:{entity.name}"
        offsets = [text.find(m) for m in entity.mentions if m]
        seen(key, min((o for o in offsets if o >= 0), default=-1))
        if len(entity.name) > len(names.get(key, "")):
            names[key] = entity.name
    for m in _NUMBER.finditer(text):
        seen(f"number:{number_key(m.group(1))}", m.start())
    events = {f"event:{e.type}@{e.place}" for e in doc.events if e.place and e.is_claim}
    return Anchors(doc.id, doc.language, doc.outlet, doc.published, positions, events, names)


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _days_apart(a: Anchors, b: Anchors) -> int | None:
    da, db = _day(a.published), _day(b.published)
    return abs((da - db).days) if da and db else None


def telling(anchor: str) -> bool:
    """An anchor that says what happened, not only who and where: an event at a place, or a
    figure that is not a year or a single digit ("17" drones, "4300" households, "2:00")."""
    if anchor.startswith("event:"):
        return True
    if not anchor.startswith("number:"):
        return False
    value = anchor[len("number:"):]
    if ":" in value or "." in value:
        return True
    return value.isdigit() and int(value) >= 10 and not 1900 <= int(value) <= 2099


@dataclass(frozen=True)
class Link:
    """Two documents in different languages that tell one story."""

    a: str
    b: str
    cosine: float
    shared: tuple[str, ...]
    translation: bool
    shown: tuple[str, ...] = ()  # the shared names and figures, as people read them


def order_shift(a: Anchors, b: Anchors, shared: Iterable[str]) -> float:
    """Mean difference of the shared anchors' relative first positions (0: same order)."""
    shared = [s for s in shared if s in a.positions and s in b.positions]
    if not shared:
        return 1.0
    return sum(abs(a.positions[s] - b.positions[s]) for s in shared) / len(shared)


def is_translation(a: Anchors, b: Anchors) -> bool:
    days = _days_apart(a, b)
    if days is None or days > TRANSLATION_DAYS:
        return False
    ta, tb = a.text_anchors, b.text_anchors
    shared = ta & tb
    if len(shared) < TRANSLATION_SHARED or sum(map(telling, shared)) < TRANSLATION_FIGURES:
        return False
    if len(shared) / min(len(ta), len(tb)) < TRANSLATION_CONTAINMENT:
        return False
    return order_shift(a, b, shared) <= TRANSLATION_ORDER


STORED = "x:"  # anchors are stored among a document's story features under this prefix


def stored_features(a: Anchors) -> dict[str, float]:
    """The anchors as story-feature rows: text anchors with their relative position, event
    anchors with -1, so a later batch can compare with the document without reading it."""
    out = {f"{STORED}{k}": round(v, 4) for k, v in a.positions.items()}
    out.update({f"{STORED}{e}": -1.0 for e in a.events})
    return out


def from_stored(doc_id: str, language: str | None, outlet: str | None, published: str | None,
                features: dict[str, float]) -> Anchors:
    """The `Anchors` of a linked document, from its stored features (names as anchors)."""
    positions, found = {}, set()
    for key, value in features.items():
        if key.startswith(STORED):
            if value < 0:
                found.add(key[len(STORED):])
            else:
                positions[key[len(STORED):]] = value
    return Anchors(doc_id, language, outlet, published, positions, found)


def cross_language_links(docs: list[Anchors], new: set[str] | None = None,
                         weigh: Callable[[str, Anchors], float] | None = None) -> list[Link]:
    """Pairs of documents in different languages that tell one story, each with whether it is a
    translation. With `new`, only pairs with at least one of those (a batch, the others its
    neighbours); `weigh(anchor, document)` is then the anchor's weight in the weeks of that
    document (link/run.py: IDF over the news of its days, as story weights are), where by
    default it is IDF over `docs`."""
    # every link shares a town or region and falls within STORY_DAYS: candidates come from
    # an index of places by language and period, so a corpus in one language costs nothing here
    # and the cost grows with the documents about one place in one week, not with the corpus;
    # undated documents are never linked across languages, so they are not indexed
    postings: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    languages: set[str] = set()
    for i, d in enumerate(docs):
        period = _period(d)
        if not d.language or period is None:
            continue
        languages.add(d.language)
        for a in d.positions:
            if a.startswith("place:"):
                postings[(d.language, a, period)].append(i)
    links: list[Link] = []
    if len(languages) < 2:
        return links
    weights = _Weights(docs, weigh)
    for i, d in enumerate(docs):
        period = _period(d)
        if not d.language or period is None or (new is not None and d.id not in new):
            continue
        others = languages - {d.language}
        candidates = {j for lang in others for a in d.positions if a.startswith("place:")
                      for p in (period - 1, period, period + 1)
                      for j in postings.get((lang, a, p), ())[:MAX_POSTING]
                      if j < i or (new is not None and j > i and docs[j].id not in new)}
        for j in sorted(candidates):
            # the pair as the corpus orders it: the later document second
            first, second = (docs[j], d) if j < i else (d, docs[j])
            link = _link(first, second, weights)
            if link is not None:
                links.append(link)
    return links


def _period(d: Anchors) -> int | None:
    day = _day(d.published)
    return day.toordinal() // (STORY_DAYS + 1) if day else None


class _Weights:
    """IDF weights of anchors: a name or figure most documents carry counts for little. By
    default over `docs`; with `weigh`, each document's own (the news of its weeks). Norms are
    kept per document."""

    def __init__(self, docs: list[Anchors], weigh: Callable[[str, Anchors], float] | None):
        df = Counter(a for d in docs for a in d.all)
        n = len(docs)
        self.weigh = weigh or (lambda anchor, _doc: math.log((n + 1) / (df.get(anchor, 0) + 0.5)))
        self.norms: dict[str, float] = {}

    def norm(self, d: Anchors) -> float:
        if d.id not in self.norms:
            self.norms[d.id] = math.sqrt(sum(self.weigh(x, d) ** 2 for x in d.all)) or 1.0
        return self.norms[d.id]

    def cosine(self, a: Anchors, b: Anchors, shared: set[str]) -> float:
        return sum(self.weigh(x, a) * self.weigh(x, b) for x in shared) / (
            self.norm(a) * self.norm(b))


def shown(anchor: str) -> str:
    """An anchor as people read it: "Kharkiv", "4300", "strike_or_damage at Kharkiv"."""
    kind, _, value = anchor.partition(":")
    if kind == "event":
        type_, _, place = value.partition("@")
        return f"{type_} at {place}"
    return value


def _link(first: Anchors, second: Anchors, weights: _Weights) -> Link | None:
    days = _days_apart(first, second)
    if days is None or days > STORY_DAYS:
        return None
    shared = first.all & second.all
    if len(shared) < STORY_SHARED or not any(s.startswith("place:") for s in shared) \
            or not any(map(telling, shared)):
        return None
    cosine = weights.cosine(first, second, shared)
    if cosine < STORY_COSINE:
        return None
    names = {**first.names, **second.names}
    return Link(first.id, second.id, round(cosine, 3), tuple(sorted(shared)),
                is_translation(first, second),
                tuple(names.get(a) or shown(a) for a in sorted(shared)
                      if not a.startswith("event:")))
