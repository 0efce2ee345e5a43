"""Stories: documents from different outlets that report the same events.

Each document becomes a weighted bag of what it is about: the places, people and
organisations it names and its most frequent content words. Weights are TF-IDF over the
documents published in the year up to the document's day (`WINDOW_DAYS`; the days after too
where that year holds too few to weigh by), so "Russia" or "Kyiv", which almost every
article names, count for little and "Vovchansk", many times in one week of the year, counts
for a lot. Two documents are linked when the cosine of their bags is high and they were
published within a few days of each other; stories are the connected groups.
Because a document's weights depend on the news of its own window only, news arriving later
about later days never changes whether two reports are one story, and late news about
earlier days changes only the windows that hold its days: linking batch by batch
(link/run.py) re-checks the documents of those windows only, and finds what linking
everything at once finds. A document without a full date is paired with dated ones only,
weighed by the window of the dated one.
Words do not cross languages: documents in different languages are linked on what does
(crosslang.py), and those links join the same groups.
Candidate pairs come from an inverted index of features rare in the windows of both
documents, so the cost grows with the number of documents that share something, not with
the square of the corpus.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from newsprism.model import Document
from newsprism.resources import stopwords

SIMILARITY_THRESHOLD = 0.2
MAX_DAYS_APART = 7
KEYWORDS_PER_DOC = 25
# the weights of a document count the documents published on its day and the WINDOW_DAYS
# before (news after it never changes them), and the days after too, up to as many, where
# those are fewer than MIN_WINDOW documents (the start of an archive, a quiet year)
WINDOW_DAYS = 365
MIN_WINDOW = 200
# a feature pairs documents only where it is rare: in at most RARE_FLOOR documents of the
# window, or RARE_SHARE of them (too common to pair on above that; it still counts in the
# cosine)
RARE_FLOOR = 50
RARE_SHARE = 0.1
ENTITY_WEIGHT = {"place": 3.0, "person": 2.0, "organization": 1.5}
_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass
class StoryDoc:
    """What the clustering needs of a document."""

    id: str
    outlet: str | None
    published: str | None
    features: dict[str, float] = field(default_factory=dict)  # feature -> weight


def story_features(doc: Document) -> StoryDoc:
    features: dict[str, float] = defaultdict(float)
    for entity in doc.entities:
        if not (entity.type == "place" and entity.lat is None and entity.country is None):
            features[f"{entity.type}:{entity.name}"] += ENTITY_WEIGHT[entity.type]
    stops = stopwords(doc.language)
    words = Counter(w for w in _WORD.findall(doc.text.lower()) if w not in stops)
    for word, count in words.most_common(KEYWORDS_PER_DOC):
        features[f"word:{word}"] += 1.0 + math.log(count)
    return StoryDoc(doc.id, doc.outlet, doc.published, dict(features))


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


class Frequencies:
    """How many documents carry each feature, by publication day, and how many documents
    each day has. The weights of a day are read from the year before it (`span`): a story's
    words, many in its week, are rare in its year, where words every week uses are not; the
    days after count only where the year before holds too few documents to weigh by. So
    news arriving in order changes the weights of no earlier day, and late news those of
    the year after it only. Undated documents count in no window."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[int, int]] = defaultdict(dict)
        self.docs: dict[int, int] = {}
        self._sums: dict[str, tuple[list[int], list[int]]] = {}
        self._memo: dict[tuple[str, int], int] = {}
        self._rare: dict[tuple[str, int], bool] = {}
        self._n: dict[int, int] = {}
        self._ahead: dict[int, int] = {}

    @classmethod
    def of(cls, docs: Iterable[StoryDoc]) -> Frequencies:
        freq = cls()
        for d in docs:
            if (day := _ordinal(d.published)) is not None:
                freq.add_document(day, d.features)
        return freq

    def add(self, feature: str, day: int, count: int) -> None:
        by_day = self.counts[feature]
        by_day[day] = by_day.get(day, 0) + count
        self._sums.pop(feature, None)
        self._memo.clear()
        self._rare.clear()

    def add_days(self, day: int, count: int) -> None:
        self.docs[day] = self.docs.get(day, 0) + count
        self._sums.pop("", None)
        self._memo.clear()
        self._rare.clear()
        self._n.clear()
        self._ahead.clear()

    def add_document(self, day: int, features: Iterable[str]) -> None:
        self.add_days(day, 1)
        for f in features:
            self.add(f, day, 1)

    def _between(self, key: str, by_day: Mapping[int, int], lo: int, hi: int) -> int:
        sums = self._sums.get(key)
        if sums is None:
            days = sorted(by_day)
            running, total = [], 0
            for d in days:
                total += by_day[d]
                running.append(total)
            sums = self._sums[key] = (days, running)
        days, running = sums
        first = bisect_left(days, lo)
        last = bisect_right(days, hi)
        return (running[last - 1] if last else 0) - (running[first - 1] if first else 0)

    def span(self, day: int) -> tuple[int, int]:
        """The first and last day the weights of `day` count: WINDOW_DAYS before it to the
        day itself, and as many days after as it takes (up to WINDOW_DAYS) to reach
        MIN_WINDOW documents."""
        ahead = self._ahead.get(day)
        if ahead is None:
            low, high = 0, WINDOW_DAYS
            while low < high:
                middle = (low + high) // 2
                if self._between("", self.docs, day - WINDOW_DAYS, day + middle) >= MIN_WINDOW:
                    high = middle
                else:
                    low = middle + 1
            ahead = self._ahead[day] = low
        return day - WINDOW_DAYS, day + ahead

    def df(self, feature: str, day: int) -> int:
        memo = self._memo.get((feature, day))
        if memo is None:
            memo = self._memo[(feature, day)] = self._between(
                feature, self.counts.get(feature, {}), *self.span(day))
        return memo

    def n(self, day: int) -> int:
        found = self._n.get(day)
        if found is None:
            found = self._n[day] = self._between("", self.docs, *self.span(day))
        return found

    def weight(self, feature: str, day: int) -> float:
        return math.log((self.n(day) + 1) / (self.df(feature, day) + 0.5))

    def rare(self, feature: str, day: int) -> bool:
        found = self._rare.get((feature, day))
        if found is None:
            found = self._rare[(feature, day)] = (
                self.df(feature, day) <= max(RARE_FLOOR, RARE_SHARE * self.n(day)))
        return found


def vector(features: Mapping[str, float], freq: Frequencies, day: int) -> dict[str, float]:
    """A document's TF-IDF bag under the weights of its days, normalised."""
    vec = {f: w * freq.weight(f, day) for f, w in features.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {f: v / norm for f, v in vec.items()}


class Postings:
    """feature -> documents, each list sorted by day, so that a document's candidates are
    read from the days within MAX_DAYS_APART of its own (a bisection), not from the whole
    list: the cost follows the news of those days, not the archive. Documents without a
    full date are candidates of every document, as they are compared with all."""

    def __init__(self) -> None:
        self.dated: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.undated: dict[str, list[str]] = defaultdict(list)
        self.ready: set[str] = set()

    def add(self, feature: str, doc_id: str, day: int | None) -> None:
        if day is None:
            self.undated[feature].append(doc_id)
        else:
            self.dated[feature].append((day, doc_id))
            self.ready.discard(feature)

    def near(self, feature: str, day: int | None) -> list[str]:
        dated = self.dated.get(feature)
        undated = self.undated.get(feature, [])
        if not dated:
            return undated
        if feature not in self.ready:
            dated.sort()
            self.ready.add(feature)
        if day is None:
            return [*undated, *(i for _d, i in dated)]
        lo = bisect_left(dated, (day - MAX_DAYS_APART, ""))
        hi = bisect_right(dated, (day + MAX_DAYS_APART, "\uffff"))
        return [*undated, *(i for _d, i in dated[lo:hi])]


def story_pairs(evaluate: Iterable[str], docs: Mapping[str, StoryDoc], postings: Postings,
                freq: Frequencies, threshold: float = SIMILARITY_THRESHOLD
                ) -> set[tuple[str, str]]:
    """Pairs (a < b), one of them in `evaluate`, that are one story: published within
    MAX_DAYS_APART, sharing a feature rare in the windows of both, with a cosine of at least
    `threshold` under the weights of each one's window. A document without a full date is
    paired with dated ones only, under the weights of the dated one's window (both vectors,
    and rarity): what decides a pair is always the news around its own days. `postings`
    holds every document of `docs` for the features they share with those to evaluate."""
    day = {i: _ordinal(d.published) for i, d in docs.items()}
    vectors: dict[tuple[str, int], dict[str, float]] = {}

    def vec(doc_id: str, when: int) -> dict[str, float]:
        if (doc_id, when) not in vectors:
            vectors[(doc_id, when)] = vector(docs[doc_id].features, freq, when)
        return vectors[(doc_id, when)]

    done: set[tuple[str, str]] = set()
    pairs: set[tuple[str, str]] = set()
    for x in sorted(set(evaluate)):
        dx = day[x]
        candidates = set()
        for f in docs[x].features:
            if dx is not None and not freq.rare(f, dx):
                continue
            for y in postings.near(f, dx):
                dy = day[y]
                if y == x or (dx is None and dy is None):
                    continue
                if dy is None or freq.rare(f, dy):  # (dx None: dy is dated, above)
                    candidates.add(y)
        for y in sorted(candidates):
            key = (x, y) if x < y else (y, x)
            if key in done:
                continue
            done.add(key)
            dy = day[y]
            if dx is not None and dy is not None and abs(dx - dy) > MAX_DAYS_APART:
                continue
            when_x = dx if dx is not None else dy
            when_y = dy if dy is not None else dx
            assert when_x is not None and when_y is not None
            va, vb = vec(x, when_x), vec(y, when_y)
            small, large = (va, vb) if len(va) < len(vb) else (vb, va)
            if sum(v * large.get(f, 0.0) for f, v in small.items()) >= threshold:
                pairs.add(key)
    return pairs


def _ordinal(published: str | None) -> int | None:
    """The day number of a full date; None (compared with all) for none or a partial one."""
    try:
        return date.fromisoformat(published).toordinal() if published else None
    except ValueError:
        return None


def earliest(ids: Iterable[str], published: Mapping[str, str | None]) -> str:
    """A story's id: its earliest document (undated last, then by id)."""
    return min(ids, key=lambda i: (published.get(i) or "9999", i))


def components(nodes: Iterable[str], links: Iterable[tuple[str, str]],
               published: Mapping[str, str | None]) -> dict[str, str]:
    """Document id -> story id (its group's earliest document): the connected groups."""
    parent = {i: i for i in nodes}
    for a, b in links:
        if a in parent and b in parent:
            parent[_find(parent, a)] = _find(parent, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for x in parent:
        groups[_find(parent, x)].append(x)
    out: dict[str, str] = {}
    for members in groups.values():
        first = earliest(members, published)
        out.update(dict.fromkeys(members, first))
    return out


def cluster(docs: Iterable[StoryDoc], threshold: float = SIMILARITY_THRESHOLD,
            links: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Document id -> story id (the id of the story's earliest document), all at once.
    `links` are pairs known to be one story by other means (across languages: crosslang.py).
    The link stage does the same batch by batch (link/run.py)."""
    by_id = {d.id: d for d in docs}
    freq = Frequencies.of(by_id.values())
    postings = Postings()
    for d in by_id.values():
        for f in d.features:
            postings.add(f, d.id, _ordinal(d.published))
    pairs = story_pairs(by_id, by_id, postings, freq, threshold)
    return components(by_id, [*sorted(pairs), *links],
                      {i: d.published for i, d in by_id.items()})


def pairwise_scores(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against gold labels (same keys)."""
    ids = sorted(gold)
    tp = fp = fn = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            same_pred = predicted[a] == predicted[b]
            same_gold = gold[a] == gold[b]
            tp += same_pred and same_gold
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall
