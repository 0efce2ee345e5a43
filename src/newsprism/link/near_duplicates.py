"""Near-duplicates and rewrites: which articles copy which, and what the copy changed.

Content farms copy other outlets' articles and run them through a paraphraser: words swapped
for synonyms, sentences reordered, a filler sentence added, sometimes a claim inverted. Word
5-gram shingles (`shingles`) catch verbatim and lightly edited copies, but a machine paraphrase
keeps almost no five words in a row: on the demo corpus the rewrites txt/03 (of txt/01) and
jsonl/feed.jsonl#2 (of txt/09) have a 5-shingle Jaccard of 0.016 and 0.010, no higher than
unrelated articles (up to 0.03), and 3-shingles do little better (0.07 against up to 0.06).

What a paraphrase keeps is its vocabulary: the names, numbers and content words of the
original. So the index compares the sets of *content stems* (`content_stems`: stop words and
`WAR_NEWS_STOP_WORDS` dropped, each word cut to its first five letters so "cleared"/"clearing"
meet). Exact Jaccard of those sets on the demo corpus:

    machine rewrites (txt/03~01, feed#2~txt/09)      0.336, 0.324
    other articles on the same story                 at most 0.228 (html/03 vs txt/09)
    articles on different stories                    at most 0.184, 0.042 on average

hence `REWRITE_THRESHOLD = 0.28`, half-way between the last two groups. Alternatives measured
and dropped: containment (overlap over the smaller set) separates worse (0.51-0.56 against
up to 0.52 without the war-news list); so do content-word bigrams (0.11-0.12 against 0.08) and
sentence-by-sentence alignment. The margin is narrow: a rewrite that changes more of the
vocabulary, or a tabloid piece that retells the story in its own words (txt/04 inverts txt/01's
claim and shares 0.07 of its stems), is out of reach of any lexical measure and left to claim
comparison. `mode="verbatim"` indexes word 5-shingles instead, at Jaccard 0.5: plain and
lightly edited copies, with almost no false pairs.

MinHash with 240 permutations estimates a Jaccard near 0.33 to within ±0.03 (one standard
deviation). LSH with 80 bands of 3 rows makes a pair a candidate with probability 0.83 at
0.28, 0.95 at 0.33, 0.98 at 0.37 and 0.24 at 0.15; candidates are kept when the MinHash
estimate reaches the threshold. Rows of 3 are what a threshold this low needs, and the price
is candidates: each document is checked against a few per cent of the unrelated ones (about
those with Jaccard 0.1 and more), so the cost per document grows slowly with the index
(benchmarks/near_duplicates.py). The MinHash library is rensa (MIT; Rust): 60x faster
signatures than datasketch with the same candidates.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from difflib import SequenceMatcher
from functools import cache, lru_cache
from typing import Literal

from rensa import RMinHash, RMinHashLSH

from newsprism.extract.sentences import split_paragraph
from newsprism.resources import stopwords

Mode = Literal["rewrite", "verbatim"]

SHINGLE_SIZE = 5
STEM_LETTERS = 5
REWRITE_THRESHOLD = 0.28
VERBATIM_THRESHOLD = 0.5
NUM_PERM = 240
BANDS = 80
SEED = 20251111
# documents are compared with those published within about this many days (0/None: all)
WINDOW_DAYS = 7
# difflib is quadratic in the worst case: beyond this many words per text, the rest is ignored
MAX_DIFF_WORDS = 5000
# two sentences are "the same sentence, edited" when their word sets overlap this much (Dice)
SENTENCE_MATCH = 0.5

_WORD = re.compile(r"\w+(?:['’ʼ`´]\w+)*")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_PLAIN_WORD = re.compile(r"\w+")
_FORMAT = 1
_HEADER = struct.Struct("<4sBBHII")  # magic, format, mode, num_perm, seed, feature count
_MAGIC = b"NPMH"
_MODES: dict[str, int] = {"rewrite": 1, "verbatim": 2}


@lru_cache(maxsize=200_000)
def _normalise(token: str) -> str:
    return _APOSTROPHES.sub("", unicodedata.normalize("NFKC", token).casefold())


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(normalised word, start, end) for every word; punctuation, quotes and case vanish."""
    return [(_normalise(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def words(text: str) -> list[str]:
    """Lower-case word tokens; "Russia’s" and "russias" are the same word, dashes split.

    The same words as `_tokens` gives, normalising the whole text at once: ten times faster.
    """
    return _PLAIN_WORD.findall(_normalise(text))


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """Word n-grams (5 by default) of the normalised words; a shorter text is one shingle."""
    ws = words(text)
    if len(ws) <= size:
        return {" ".join(ws)} if ws else set()
    return {" ".join(ws[i : i + size]) for i in range(len(ws) - size + 1)}


# Words nearly every article about the war uses: like stop words, they say nothing about which
# article copies which, but they lift the similarity of unrelated articles (on the demo corpus,
# from 0.04 to 0.09 on average) and with it the number of LSH candidates to verify.
WAR_NEWS_STOP_WORDS = frozenset("""
russia russian russians ukraine ukrainian ukrainians moscow kyiv kiev kremlin ministry defence
defense military army forces force troops units soldiers servicemen official officials spokesman
spokeswoman government president region regional city town village area district war attack
attacks strike strikes fighting front report reports reported claim claimed claims monday
tuesday wednesday thursday friday saturday sunday week day days night morning evening
""".split())  # noqa: SIM905 (a word list reads better)


@cache
def _war_news_stems() -> frozenset[str]:
    return frozenset(w[:STEM_LETTERS] for w in WAR_NEWS_STOP_WORDS)


def content_stems(text: str) -> set[str]:
    """The vocabulary a paraphrase keeps: content words cut to their first five letters.

    Stop words are left out, and so is every word whose stem is that of one of the
    `WAR_NEWS_STOP_WORDS` ("forced" goes with "forces").
    """
    content = set(words(text)) - stopwords("en")
    return {w[:STEM_LETTERS] for w in content} - _war_news_stems()


def _features(mode: Mode) -> Callable[[str], set[str]]:
    return content_stems if mode == "rewrite" else shingles


def _sketch(features: set[str], num_perm: int, seed: int) -> RMinHash:
    sketch = RMinHash(num_perm, seed)
    if features:
        sketch.update(list(features))
    return sketch


def signature(text: str, mode: Mode = "rewrite", num_perm: int = NUM_PERM,
              seed: int = SEED) -> bytes:
    """The stored form of a document's MinHash: rebuild an index without the texts.

    A header names the scheme (feature kind, permutations, seed), so a signature made under
    other settings is refused instead of being compared with numbers that mean something else.
    """
    features = _features(mode)(text)
    return _encode(_sketch(features, num_perm, seed), len(features), mode, num_perm, seed)


def _encode(sketch: RMinHash, count: int, mode: Mode, num_perm: int, seed: int) -> bytes:
    header = _HEADER.pack(_MAGIC, _FORMAT, _MODES[mode], num_perm, seed, count)
    # rensa's own serialised state: it carries rensa's algorithm version, and rensa refuses
    # a state from another version rather than comparing incompatible hashes
    return header + sketch.__getstate__()


@dataclass
class _Entry:
    doc_id: str
    sketch: RMinHash
    count: int
    bucket: int | None = None


class NearDuplicateIndex:
    """Streaming near-duplicate finder: each added document is checked against earlier ones.

    `add` answers with the earlier documents whose estimated Jaccard similarity reaches the
    threshold, best first. Empty documents (no features) are remembered but never paired.
    """

    def __init__(self, threshold: float | None = None, mode: Mode = "rewrite",
                 num_perm: int = NUM_PERM, bands: int = BANDS, seed: int = SEED,
                 window_days: int | None = WINDOW_DAYS):
        if mode not in _MODES:
            raise ValueError(f"unknown mode {mode!r}")
        default = REWRITE_THRESHOLD if mode == "rewrite" else VERBATIM_THRESHOLD
        self.threshold = default if threshold is None else threshold
        self.mode: Mode = mode
        self.num_perm = num_perm
        self.seed = seed
        self._features = _features(mode)
        self.bands = bands
        self.window_days = window_days
        # one LSH index per time bucket, so a document is compared with those published
        # around the same time (copies follow their original within days): the cost per
        # document stays flat as the corpus grows, instead of growing with it
        self._lsh: dict[int | None, RMinHashLSH] = {}
        self._entries: list[_Entry] = []
        self._keys: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._keys

    def add(self, doc_id: str, text: str, published: str | None = None
            ) -> list[tuple[str, float]]:
        """Index a document; return earlier near-duplicates as (id, similarity), best first.

        With a publication date (YYYY-MM-DD…), only documents published in the same or an
        adjacent `window_days`-long period (and undated ones) are compared; an undated document
        is compared with all."""
        if doc_id in self._keys:
            return self._matches(self._entries[self._keys[doc_id]])
        features = self._features(text)
        sketch = _sketch(features, self.num_perm, self.seed)
        return self._insert(doc_id, sketch, len(features), self._bucket(published))

    def _bucket(self, published: str | None) -> int | None:
        if not published or not self.window_days:
            return None
        try:
            day = date.fromisoformat(published[:10]).toordinal()
        except ValueError:
            return None
        return day // self.window_days

    def periods(self, published: list[str | None]) -> list[tuple[str, str]] | None:
        """The days ([first, last], ISO) whose documents documents published on these days
        are compared with; None when one of them is compared with all (undated)."""
        buckets = {self._bucket(p) for p in published}
        if None in buckets:
            return None
        size = self.window_days or 1
        out: list[tuple[str, str]] = []
        for b in sorted(b for b in buckets if b is not None):
            first, last = (b - 1) * size, (b + 2) * size - 1
            if out and date.fromordinal(first).isoformat() <= out[-1][1]:
                out[-1] = (out[-1][0], date.fromordinal(last).isoformat())
            else:
                out.append((date.fromordinal(first).isoformat(),
                            date.fromordinal(last).isoformat()))
        return out

    def _neighbours(self, bucket: int | None) -> list[RMinHashLSH]:
        if bucket is None:
            return list(self._lsh.values())
        keys = (bucket - 1, bucket, bucket + 1, None)
        return [self._lsh[k] for k in keys if k in self._lsh]

    def add_signature(self, doc_id: str, sig: bytes, published: str | None = None
                      ) -> list[tuple[str, float]]:
        """Like `add`, from a stored `signature` instead of the text."""
        if len(sig) < _HEADER.size:
            raise ValueError("not a Newsprism MinHash signature")
        magic, fmt, mode, num_perm, seed, count = _HEADER.unpack_from(sig)
        if (magic, fmt) != (_MAGIC, _FORMAT):
            raise ValueError("not a Newsprism MinHash signature (or an older format)")
        if (mode, num_perm, seed) != (_MODES[self.mode], self.num_perm, self.seed):
            raise ValueError("signature made with other settings; recompute it from the text")
        if doc_id in self._keys:
            return self._matches(self._entries[self._keys[doc_id]])
        sketch = RMinHash(self.num_perm, self.seed)
        sketch.__setstate__(sig[_HEADER.size :])
        return self._insert(doc_id, sketch, count, self._bucket(published))

    def signature_bytes(self, doc_id: str) -> bytes:
        """The stored form of an indexed document's signature (see `signature`)."""
        entry = self._entries[self._keys[doc_id]]
        return _encode(entry.sketch, entry.count, self.mode, self.num_perm, self.seed)

    def _insert(self, doc_id: str, sketch: RMinHash, count: int, bucket: int | None
                ) -> list[tuple[str, float]]:
        entry = _Entry(doc_id, sketch, count, bucket)
        matches = self._matches(entry)
        key = len(self._entries)
        self._entries.append(entry)
        self._keys[doc_id] = key
        if count:
            if bucket not in self._lsh:
                self._lsh[bucket] = RMinHashLSH(self.threshold, self.num_perm, self.bands)
            self._lsh[bucket].insert(key, sketch)
        return matches

    def _matches(self, entry: _Entry) -> list[tuple[str, float]]:
        if not entry.count:
            return []
        found = []
        candidates = {k for lsh in self._neighbours(entry.bucket) for k in lsh.query(entry.sketch)}
        for key in candidates:
            other = self._entries[key]
            if other is entry:
                continue
            similarity = entry.sketch.jaccard(other.sketch)
            if similarity >= self.threshold:
                found.append((other.doc_id, round(similarity, 3)))
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))


# --- what was copied, what was changed ---------------------------------------------------
#
# Each document is prepared once per linking (`Prepared`: its words with offsets, its sentences
# with offsets, word ranges and a hash), and the sentences are stored with its signature
# (`pack_sentences`), so a document paired again later is not split again. What a pair shares
# and changes is kept as character offsets into the two texts (`shared_spans`,
# `changed_spans`), not as copied text: the reader cuts the passages out when it shows them.

Token = tuple[str, int, int]
Span = tuple[int, int]
_SENTENCE = struct.Struct("<IIQ")  # start, end, hash of the sentence's normalised words


@dataclass
class Prepared:
    """What comparing a document needs, computed once: words and sentences with offsets."""

    text: str
    tokens: list[Token]
    # (start, end, first token, end token, hash) of every non-empty sentence
    sentences: list[tuple[int, int, int, int, int]]


def _hash_words(words: Iterable[str]) -> int:
    digest = hashlib.blake2b("\x1f".join(words).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _sentence_spans(text: str) -> list[Span]:
    """(start, end) of every sentence of the text, paragraph by paragraph (split_text)."""
    spans: list[Span] = []
    offset = 0
    for line in text.split("\n"):
        for sentence in split_paragraph(line):
            start = offset + sentence.start
            spans.append((start, start + len(sentence.text)))
        offset += len(line) + 1
    return spans


def prepare(text: str, stored: bytes | None = None) -> Prepared:
    """A document ready for comparison; `stored` (`pack_sentences`) spares the splitting."""
    tokens = _tokens(text)
    if stored:
        spans = [(a, b) for a, b, _h in _SENTENCE.iter_unpack(stored)]
    else:
        spans = _sentence_spans(text)
    sentences = []
    starts = [t[1] for t in tokens]
    for a, b in spans:
        i = bisect_left(starts, a)
        j = bisect_left(starts, b, i)
        sentences.append((a, b, i, j, _hash_words(t[0] for t in tokens[i:j])))
    return Prepared(text, tokens, sentences)


def pack_sentences(doc: Prepared) -> bytes:
    """The stored form of a document's sentences: offsets and hashes, no text."""
    return b"".join(_SENTENCE.pack(a, b, h) for a, b, _i, _j, h in doc.sentences)


def shared_spans(a: Prepared, b: Prepared, min_words: int = 8) -> list[Span]:
    """Offsets in `a` of the passages `b` repeats word for word (see `shared_passages`)."""
    tok_a, tok_b = a.tokens[:MAX_DIFF_WORDS], b.tokens[:MAX_DIFF_WORDS]
    if min_words < 1 or len(tok_a) < min_words or len(tok_b) < min_words:
        return []
    wa, wb = [t[0] for t in tok_a], [t[0] for t in tok_b]
    grams_b = {tuple(wb[i : i + min_words]) for i in range(len(wb) - min_words + 1)}
    covered = [False] * len(wa)
    for i in range(len(wa) - min_words + 1):
        if tuple(wa[i : i + min_words]) in grams_b:
            covered[i : i + min_words] = [True] * min_words
    spans, i = [], 0
    while i < len(wa):
        if not covered[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(wa) and covered[j + 1]:
            j += 1
        spans.append((tok_a[i][1], tok_a[j][2]))
        i = j + 1
    return spans


def shared_passages(text_a: str, text_b: str, min_words: int = 8) -> list[str]:
    """Passages of `text_a` (as written there) that `text_b` repeats word for word.

    Anchors are runs of `min_words` normalised words present in both texts, wherever they sit,
    so sentences the copy moved around are found too; overlapping anchors merge into one
    passage. Linear in the length of the texts.
    """
    return [text_a[i:j] for i, j in shared_spans(prepare(text_a), prepare(text_b), min_words)]


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


Change = tuple[int, int, int, int]  # (start, end) in a, (start, end) in b; empty: start == end


def changed_spans(a: Prepared, b: Prepared) -> list[Change]:
    """What `b` changed in `a`, as offsets (see `changed_passages`). A sentence of b that is
    word for word one of a (same hash) is paired with it at once and shows no change."""
    sents_a = a.sentences[:_budget(a.sentences)]
    sents_b = b.sentences[:_budget(b.sentences)]
    sets_a = [{t[0] for t in a.tokens[i:j]} for _s, _e, i, j, _h in sents_a]
    same: dict[int, list[int]] = {}
    for ia, sentence in enumerate(sents_a):
        same.setdefault(sentence[4], []).append(ia)
    used: set[int] = set()
    changes: list[Change] = []
    for sb in sents_b:
        exact = [ia for ia in same.get(sb[4], ()) if ia not in used]
        if exact:
            used.add(exact[0])
            continue
        set_b = {t[0] for t in b.tokens[sb[2] : sb[3]]}
        best, best_score = -1, SENTENCE_MATCH
        for ia, set_a in enumerate(sets_a):
            if ia not in used and (score := _dice(set_a, set_b)) >= best_score:
                best, best_score = ia, score
        if best < 0:
            changes.append((sb[0], sb[0], sb[0], sb[1]))
            continue
        used.add(best)
        changes += _word_changes(a, sents_a[best], b, sb)
    changes += [(sa[0], sa[1], len(b.text), len(b.text))
                for ia, sa in enumerate(sents_a) if ia not in used]
    return changes


def changed_passages(text_a: str, text_b: str) -> list[tuple[str, str]]:
    """What the copy `text_b` changed in `text_a`: (span in a, span in b) pairs.

    Sentences are paired first (each sentence of b with the unused sentence of a that shares
    the most words, if they share at least half), so a reordered copy still lines up; within
    a pair, difflib shows the words that differ, e.g. ("captured", "pushed out of"). A
    sentence of b with no partner is ("", sentence): added; one of a is (sentence, ""):
    dropped. Pairs come in b's order, then the dropped sentences.
    """
    return [(text_a[a0:a1], text_b[b0:b1])
            for a0, a1, b0, b1 in changed_spans(prepare(text_a), prepare(text_b))]


def mirrored(changes: list[Change]) -> list[Change]:
    """The same changes seen from the other document."""
    return [(b0, b1, a0, a1) for a0, a1, b0, b1 in changes]


def _budget(sentences: list[tuple[int, int, int, int, int]]) -> int:
    """How many leading sentences fit in MAX_DIFF_WORDS words."""
    total = 0
    for n, (_s, _e, i, j, _h) in enumerate(sentences):
        total += j - i
        if total > MAX_DIFF_WORDS:
            return n
    return len(sentences)


def _word_changes(a: Prepared, sa: tuple, b: Prepared, sb: tuple) -> list[Change]:
    ta, tb = a.tokens[sa[2] : sa[3]], b.tokens[sb[2] : sb[3]]
    matcher = SequenceMatcher(None, [t[0] for t in ta], [t[0] for t in tb], autojunk=False)
    out = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "equal":
            out.append((*_span(ta, a0, a1, sa[1]), *_span(tb, b0, b1, sb[1])))
    return out


def _span(tokens: list[Token], i: int, j: int, end: int) -> Span:
    if i < j:
        return tokens[i][1], tokens[j - 1][2]
    at = tokens[i][1] if i < len(tokens) else end
    return at, at


def cut(text: str, span: Iterable[int]) -> str:
    """The text of a stored span."""
    start, end = list(span)[:2]
    return text[start:end]


# --- who copied whom ----------------------------------------------------------------------

Dated = tuple[str, str | None, str | None]  # (id, published, ingested_at)


def copy_direction(a: Dated, b: Dated) -> tuple[str, str, str]:
    """(original id, copy id, reason): the earlier publication date wins, then earlier ingest.

    A date without a time only says which day: two articles of the same day fall through to
    ingest time. When nothing tells them apart, `a` is taken as the original and the reason
    says so.
    """
    for index, label in ((1, "published"), (2, "ingested")):
        ta, tb = _when(a[index]), _when(b[index])
        if ta is None or tb is None:
            continue
        if isinstance(ta, datetime) != isinstance(tb, datetime):
            ta, tb = _day(ta), _day(tb)
        if ta == tb:
            continue
        first, second, t1, t2 = (a, b, ta, tb) if ta < tb else (b, a, tb, ta)
        return first[0], second[0], f"{label} {_show(t1)}, {_gap(t1, t2)} before"
    return a[0], b[0], "no date tells them apart; taken in the order given"


def _when(value: str | None) -> date | datetime | None:
    if not value:
        return None
    value = value.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _show(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _gap(t1: date | datetime, t2: date | datetime) -> str:
    if isinstance(t1, datetime) and isinstance(t2, datetime):
        seconds = (t2 - t1).total_seconds()
        if seconds < 86400:
            for unit, size in (("hour", 3600), ("minute", 60), ("second", 1)):
                if seconds >= size:
                    return _count(int(seconds // size), unit)
            return "moments"
    days = (_day(t2) - _day(t1)).days
    return _count(days, "day")


def _count(n: int, unit: str) -> str:
    if n == 1:
        return f"an {unit}" if unit == "hour" else f"a {unit}"
    return f"{n} {unit}s"
