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
from collections import Counter, defaultdict
from collections.abc import Iterable
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


def cluster(docs: Iterable[StoryDoc], threshold: float = SIMILARITY_THRESHOLD,
            links: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Document id -> story id (the id of the story's earliest document). `links` are pairs
    known to be one story by other means (across languages: crosslang.py)."""
    docs = list(docs)
    df: Counter[str] = Counter(f for d in docs for f in d.features)
    n = len(docs)
    vectors: dict[str, dict[str, float]] = {}
    postings: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        vec = {f: w * math.log((n + 1) / (df[f] + 0.5)) for f, w in d.features.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors[d.id] = {f: v / norm for f, v in vec.items()}
        for f in d.features:
            if df[f] <= MAX_POSTING:
                postings[f].append(d.id)
    by_id = {d.id: d for d in docs}
    parent = {d.id: d.id for d in docs}
    for d in docs:
        candidates = {other for f in d.features for other in postings.get(f, ()) if other < d.id}
        va = vectors[d.id]
        for other in candidates:
            if _days_apart(d.published, by_id[other].published) > MAX_DAYS_APART:
                continue
            vb = vectors[other]
            small, large = (va, vb) if len(va) < len(vb) else (vb, va)
            cosine = sum(v * large.get(f, 0.0) for f, v in small.items())
            if cosine >= threshold:
                parent[_find(parent, d.id)] = _find(parent, other)
    for a, b in links:
        if a in parent and b in parent:
            parent[_find(parent, a)] = _find(parent, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        groups[_find(parent, d.id)].append(d.id)
    story_of: dict[str, str] = {}
    for members in groups.values():
        first = min(members, key=lambda i: (by_id[i].published or "9999", i))
        for member in members:
            story_of[member] = first
    return story_of


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
