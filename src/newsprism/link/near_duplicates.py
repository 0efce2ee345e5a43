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

import re
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from difflib import SequenceMatcher
from functools import cache
from typing import Literal

from rensa import RMinHash, RMinHashLSH

from newsprism.extract.sentences import split_text
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


def shared_passages(text_a: str, text_b: str, min_words: int = 8) -> list[str]:
    """Passages of `text_a` (as written there) that `text_b` repeats word for word.

    Anchors are runs of `min_words` normalised words present in both texts, wherever they sit,
    so sentences the copy moved around are found too; overlapping anchors merge into one
    passage. Linear in the length of the texts.
    """
    tok_a, tok_b = _tokens(text_a)[:MAX_DIFF_WORDS], _tokens(text_b)[:MAX_DIFF_WORDS]
    if min_words < 1 or len(tok_a) < min_words or len(tok_b) < min_words:
        return []
    wa, wb = [t[0] for t in tok_a], [t[0] for t in tok_b]
    grams_b = {tuple(wb[i : i + min_words]) for i in range(len(wb) - min_words + 1)}
    covered = [False] * len(wa)
    for i in range(len(wa) - min_words + 1):
        if tuple(wa[i : i + min_words]) in grams_b:
            covered[i : i + min_words] = [True] * min_words
    passages, i = [], 0
    while i < len(wa):
        if not covered[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(wa) and covered[j + 1]:
            j += 1
        passages.append(text_a[tok_a[i][1] : tok_a[j][2]])
        i = j + 1
    return passages


def _sentences(text: str) -> list[str]:
    return [s.text for s in split_text(text.splitlines()) if s.text.strip()]


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def changed_passages(text_a: str, text_b: str) -> list[tuple[str, str]]:
    """What the copy `text_b` changed in `text_a`: (span in a, span in b) pairs.

    Sentences are paired first (each sentence of b with the unused sentence of a that shares
    the most words, if they share at least half), so a reordered copy still lines up; within
    a pair, difflib shows the words that differ, e.g. ("captured", "pushed out of"). A
    sentence of b with no partner is ("", sentence): added; one of a is (sentence, ""):
    dropped. Pairs come in b's order, then the dropped sentences.
    """
    sents_a, sents_b = _sentences(text_a), _sentences(text_b)
    toks_a = [_tokens(s) for s in sents_a]
    toks_b = [_tokens(s) for s in sents_b]
    budget_a = _budget(toks_a)
    budget_b = _budget(toks_b)
    sets_a = [{t[0] for t in ts} for ts in toks_a[:budget_a]]
    used: set[int] = set()
    changes: list[tuple[str, str]] = []
    for sb, tb in zip(sents_b[:budget_b], toks_b[:budget_b], strict=True):
        set_b = {t[0] for t in tb}
        best, best_score = -1, SENTENCE_MATCH
        for ia, set_a in enumerate(sets_a):
            if ia not in used and (score := _dice(set_a, set_b)) >= best_score:
                best, best_score = ia, score
        if best < 0:
            changes.append(("", sb))
            continue
        used.add(best)
        changes += _word_changes(sents_a[best], toks_a[best], sb, tb)
    changes += [(sa, "") for ia, sa in enumerate(sents_a[:budget_a]) if ia not in used]
    return changes


def _budget(sentence_tokens: list[list[tuple[str, int, int]]]) -> int:
    """How many leading sentences fit in MAX_DIFF_WORDS words."""
    total = 0
    for n, tokens in enumerate(sentence_tokens):
        total += len(tokens)
        if total > MAX_DIFF_WORDS:
            return n
    return len(sentence_tokens)


def _word_changes(sa: str, ta: list[tuple[str, int, int]], sb: str,
                  tb: list[tuple[str, int, int]]) -> list[tuple[str, str]]:
    matcher = SequenceMatcher(None, [t[0] for t in ta], [t[0] for t in tb], autojunk=False)
    out = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "equal":
            out.append((_span(sa, ta, a0, a1), _span(sb, tb, b0, b1)))
    return out


def _span(text: str, tokens: list[tuple[str, int, int]], i: int, j: int) -> str:
    return text[tokens[i][1] : tokens[j - 1][2]] if i < j else ""


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
