"""Stories: documents from different outlets that report the same events.

Each document becomes a weighted bag of what it is about: the places, people and
organisations it names and its most frequent content words. Weights are TF-IDF over the
corpus, so "Russia" or "Kyiv", which almost every article names, count for little and
"Vovchansk" counts for a lot. Two documents are linked when the cosine of their bags is high
and they were published within a few days of each other; stories are the connected groups.
Words do not cross languages: documents in different languages are linked on what does
(crosslang.py), and those links join the same groups.
Candidate pairs come from an inverted index of rare features, so the cost grows with the
number of documents that share something, not with the square of the corpus.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from newsprism.model import Document
from newsprism.resources import stopwords

SIMILARITY_THRESHOLD = 0.2
MAX_DAYS_APART = 7
KEYWORDS_PER_DOC = 25
MAX_POSTING = 2_000  # features in more documents than this are too common to pair on
ENTITY_WEIGHT = {"place": 3.0, "person": 2.0, "organization": 1.5}
_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass
class StoryDoc:
    """What the clustering needs of a document."""

    id: str
    outlet: str | None
    published: str | None
    features: Counter[str] = field(default_factory=Counter)


def story_features(doc: Document) -> StoryDoc:
    features: Counter[str] = Counter()
    for entity in doc.entities:
        if not (entity.type == "place" and entity.lat is None and entity.country is None):
            features[f"{entity.type}:{entity.name}"] += ENTITY_WEIGHT[entity.type]
    stops = stopwords(doc.language)
    words = Counter(w for w in _WORD.findall(doc.text.lower()) if w not in stops)
    for word, count in words.most_common(KEYWORDS_PER_DOC):
        features[f"word:{word}"] += 1.0 + math.log(count)
    return StoryDoc(doc.id, doc.outlet, doc.published, features)


def _days_apart(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 0
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def vector(features: dict[str, float], df: dict[str, int], n: int) -> dict[str, float]:
    """A document's TF-IDF bag, normalised: df and n count the documents linked so far."""
    vec = {f: w * math.log((n + 1) / (df.get(f, 0) + 0.5)) for f, w in features.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {f: v / norm for f, v in vec.items()}


def similar_pairs(new: list[StoryDoc], known: dict[str, StoryDoc],
                  postings: dict[str, list[str]], df: dict[str, int], n: int,
                  threshold: float = SIMILARITY_THRESHOLD) -> list[tuple[str, str]]:
    """Pairs (new document, other) that are one story. Candidates share a feature at most
    MAX_POSTING documents have (`postings`: feature -> ids, new and `known` ones); a new
    document is compared with every known candidate and with the new ones before it."""
    by_id = {**known, **{d.id: d for d in new}}
    day = {i: _ordinal(d.published) for i, d in by_id.items()}
    new_postings = _Postings(day)
    old_postings = _Postings(day)
    for f, ids in postings.items():
        for i in ids:
            (old_postings if i in known else new_postings).add(f, i)
    vectors: dict[str, dict[str, float]] = {}

    def vec(doc_id: str) -> dict[str, float]:
        if doc_id not in vectors:
            vectors[doc_id] = vector(by_id[doc_id].features, df, n)
        return vectors[doc_id]

    pairs: list[tuple[str, str]] = []
    for d in new:
        rare = [f for f in d.features if df.get(f, 0) <= MAX_POSTING]
        va, da = vec(d.id), day[d.id]
        candidates = {o for f in rare for o in new_postings.near(f, da) if o < d.id}
        candidates.update(o for f in rare for o in old_postings.near(f, da))
        for other in sorted(candidates):
            db = day[other]
            if da is not None and db is not None and abs(da - db) > MAX_DAYS_APART:
                continue
            vb = vec(other)
            small, large = (va, vb) if len(va) < len(vb) else (vb, va)
            if sum(v * large.get(f, 0.0) for f, v in small.items()) >= threshold:
                pairs.append((d.id, other))
    return pairs


class _Postings:
    """feature -> documents, each list sorted by day, so that a document's candidates are
    read from the days within MAX_DAYS_APART of its own (a bisection), not from the whole
    list: the cost follows the news of those days, not the archive. Documents without a
    full date are candidates of every document, as they are compared with all."""

    def __init__(self, day: dict[str, int | None]):
        self.day = day
        self.dated: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.undated: dict[str, list[str]] = defaultdict(list)
        self.ready: set[str] = set()

    def add(self, feature: str, doc_id: str) -> None:
        d = self.day[doc_id]
        if d is None:
            self.undated[feature].append(doc_id)
        else:
            self.dated[feature].append((d, doc_id))
            self.ready.discard(feature)

    def near(self, feature: str, day: int | None) -> Iterable[str]:
        dated = self.dated.get(feature)
        undated = self.undated.get(feature, ())
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


def bridging_pairs(groups: Iterable[list[str]], known: dict[str, StoryDoc],
                   story_of: dict[str, str], df: dict[str, int], n: int,
                   threshold: float = SIMILARITY_THRESHOLD) -> list[tuple[str, str]]:
    """Pairs of linked documents in different stories that are one story under today's
    weights. `groups` are the linked documents sharing one rare feature with the batch (its
    neighbourhood): the weights there are the ones the batch changed, so a pair that has
    crossed the threshold since is found as a full linking would find it."""
    day = {i: _ordinal(d.published) for i, d in known.items()}
    vectors: dict[str, dict[str, float]] = {}
    done: set[tuple[str, str]] = set()
    pairs: list[tuple[str, str]] = []
    for group in groups:
        for a, b in _within_days(set(group), day):
            if story_of.get(a, a) == story_of.get(b, b) or (a, b) in done:
                continue
            done.add((a, b))
            va = vectors.get(a) or vectors.setdefault(a, vector(known[a].features, df, n))
            vb = vectors.get(b) or vectors.setdefault(b, vector(known[b].features, df, n))
            small, large = (va, vb) if len(va) < len(vb) else (vb, va)
            if sum(v * large.get(f, 0.0) for f, v in small.items()) >= threshold:
                pairs.append((a, b))
    return pairs


def _within_days(ids: set[str], day: dict[str, int | None]) -> Iterator[tuple[str, str]]:
    """The pairs (a < b) of `ids` published at most MAX_DAYS_APART apart, or one of them
    without a full date: a window sliding over them by day, not every pair of them."""
    dated = sorted((d, i) for i in ids if (d := day[i]) is not None)
    undated = sorted(i for i in ids if day[i] is None)
    for k, (da, a) in enumerate(dated):
        for db, b in dated[k + 1 :]:
            if db - da > MAX_DAYS_APART:
                break
            yield (a, b) if a < b else (b, a)
    for k, a in enumerate(undated):
        for b in [*undated[k + 1 :], *(i for _d, i in dated)]:
            yield (a, b) if a < b else (b, a)


def _ordinal(published: str | None) -> int | None:
    """The day number of a full date; None (compared with all) for none or a partial one."""
    try:
        return date.fromisoformat(published).toordinal() if published else None
    except ValueError:
        return None


def earliest(ids: Iterable[str], published: dict[str, str | None]) -> str:
    """A story's id: its earliest document (undated last, then by id)."""
    return min(ids, key=lambda i: (published.get(i) or "9999", i))


def cluster(docs: Iterable[StoryDoc], threshold: float = SIMILARITY_THRESHOLD,
            links: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Document id -> story id (the id of the story's earliest document), all at once.
    `links` are pairs known to be one story by other means (across languages: crosslang.py).
    The link stage does the same batch by batch (link/run.py)."""
    docs = list(docs)
    df: Counter[str] = Counter(f for d in docs for f in d.features)
    postings: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        for f in d.features:
            if df[f] <= MAX_POSTING:
                postings[f].append(d.id)
    parent = {d.id: d.id for d in docs}
    for a, b in [*similar_pairs(docs, {}, postings, df, len(docs), threshold), *links]:
        if a in parent and b in parent:
            parent[_find(parent, a)] = _find(parent, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        groups[_find(parent, d.id)].append(d.id)
    published = {d.id: d.published for d in docs}
    return {m: earliest(members, published) for members in groups.values() for m in members}


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
