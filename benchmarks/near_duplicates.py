"""Near-duplicate index at scale: time, memory, recall and precision on planted rewrites.

Documents are synthetic: a Zipf-distributed vocabulary of made-up words with English stop
words in between, grouped into stories (each story has its own names and terms, so articles
of the same story share vocabulary the way real ones do). 1,000 documents are published a
day; 10% of documents are rewrites of an original from the last three days: 10-15% of the
words substituted, sentences reordered, one sentence dropped and one added. They are streamed
through `NearDuplicateIndex.add` in order, with their dates (the index compares documents
published within about a week of each other).

- recall: planted (rewrite, original) pairs that `add` reported;
- precision: reported pairs that are planted or join two rewrites of the same original;
- background: mean exact Jaccard of content stems between random pairs of originals (the
  demo corpus, with real articles, has 0.04 between different stories), the number that
  decides how many LSH candidates each document brings.

Each size runs in its own subprocess so peak RSS (ru_maxrss) is that size's alone.

usage: python benchmarks/near_duplicates.py [--sizes 10000,100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from bisect import bisect_left
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _results import markdown_table, show, write_section  # noqa: E402

from newsprism.link.near_duplicates import (  # noqa: E402
    BANDS,
    NUM_PERM,
    REWRITE_THRESHOLD,
    NearDuplicateIndex,
    content_stems,
)

VOCABULARY = 30_000
ZIPF = 1.05
ZIPF_OFFSET = 30  # background similarity near the demo corpus's (see module docstring)
STOP_WORDS = """
the of and to in a that for on with as was by at from it is were had has be an which after their
its but not this have they been also are more than who while over into about against would when
two said
""".split()  # noqa: SIM905 (a word list reads better)
SYLLABLES = [c + v for c in "bcdfghjklmnprstvwxyz" for v in "aeiou"]
STORY_SIZE = 15  # documents per story, on average
STORY_WORDS = 40
P_STOP = 0.45
P_STORY = 0.2
REWRITE_RATE = 0.10
DOCS_PER_DAY = 1_000  # document i is published on day i // DOCS_PER_DAY
COPY_DAYS = 3  # a rewrite copies an article at most this many days older
START = date(2025, 1, 1)


class Corpus:
    """Deterministic documents: document i is regenerated from (seed, i) whenever needed."""

    def __init__(self, seed: int):
        self.seed = seed
        rng = random.Random(seed)
        words: list[str] = []
        stems: set[str] = set()
        while len(words) < VOCABULARY:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4)))
            if word[:5] not in stems:  # distinct after the index's five-letter stemming
                stems.add(word[:5])
                words.append(word)
        self.words = words
        weights = [1 / (rank + ZIPF_OFFSET) ** ZIPF for rank in range(VOCABULARY)]
        total, acc = sum(weights), 0.0
        self.cum = []
        for w in weights:
            acc += w / total
            self.cum.append(acc)

    def plan(self, i: int) -> tuple[int | None, int]:
        """(original this document rewrites or None, story) — fixed by (seed, i)."""
        rng = random.Random(f"{self.seed}/plan/{i}")
        if i >= 20 and rng.random() < REWRITE_RATE:
            while True:  # rewrite a recent original (within COPY_DAYS), never a rewrite
                source = rng.randrange(max(0, i - COPY_DAYS * DOCS_PER_DAY), i)
                if self.plan(source)[0] is None:
                    return source, self.plan(source)[1]
        return None, max(0, i // STORY_SIZE - rng.randrange(20))

    def _story_words(self, story: int) -> list[str]:
        rng = random.Random(f"{self.seed}/story/{story}")
        return [self.words[rng.randrange(2000, VOCABULARY)] for _ in range(STORY_WORDS)]

    def _sentence(self, rng: random.Random, story_words: list[str]) -> list[str]:
        out = []
        for _ in range(rng.randint(12, 24)):
            r = rng.random()
            if r < P_STOP:
                out.append(rng.choice(STOP_WORDS))
            elif r < P_STOP + P_STORY:
                out.append(rng.choice(story_words))
            else:
                out.append(self._zipf_word(rng))
        return out

    def _zipf_word(self, rng: random.Random) -> str:
        return self.words[min(bisect_left(self.cum, rng.random()), VOCABULARY - 1)]

    def _original(self, i: int, story: int) -> list[list[str]]:
        rng = random.Random(f"{self.seed}/doc/{i}")
        story_words = self._story_words(story)
        return [self._sentence(rng, story_words) for _ in range(rng.randint(18, 26))]

    def sentences(self, i: int) -> list[list[str]]:
        source, story = self.plan(i)
        if source is None:
            return self._original(i, story)
        rng = random.Random(f"{self.seed}/rewrite/{i}")
        sentences = [list(s) for s in self._original(source, story)]
        rate = rng.uniform(0.10, 0.15)
        for sentence in sentences:
            for k, word in enumerate(sentence):
                if rng.random() < rate:
                    is_stop = word in STOP_WORDS
                    sentence[k] = rng.choice(STOP_WORDS) if is_stop else self._zipf_word(rng)
        if rng.random() < 0.5:
            rng.shuffle(sentences)
        else:
            for _ in range(3):
                a, b = rng.randrange(len(sentences)), rng.randrange(len(sentences))
                sentences[a], sentences[b] = sentences[b], sentences[a]
        sentences.pop(rng.randrange(len(sentences)))
        sentences.insert(rng.randrange(len(sentences) + 1),
                         self._sentence(rng, self._story_words(story)))
        return sentences

    def text(self, i: int) -> str:
        return " ".join(" ".join(s).capitalize() + "." for s in self.sentences(i))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_one(n: int, seed: int) -> dict[str, float]:
    corpus = Corpus(seed)
    index = NearDuplicateIndex()
    baseline = rss_mb()
    reported: list[tuple[int, int]] = []
    planted: dict[int, int] = {}
    gen_s = index_s = 0.0
    progress = Progress(TextColumn(f"[bold]{n:,} docs"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=Console(stderr=True))
    start = time.perf_counter()
    with progress:
        task = progress.add_task("generating + indexing", total=n)
        for i in range(n):
            t0 = time.perf_counter()
            source, _story = corpus.plan(i)
            text = corpus.text(i)
            t1 = time.perf_counter()
            published = (START + timedelta(days=i // DOCS_PER_DAY)).isoformat()
            matches = index.add(str(i), text, published)
            t2 = time.perf_counter()
            gen_s += t1 - t0
            index_s += t2 - t1
            if source is not None:
                planted[i] = source
            reported += [(i, int(other)) for other, _sim in matches]
            if i % 500 == 0:
                progress.update(task, completed=i)
        progress.update(task, completed=n)
    wall = time.perf_counter() - start

    def root(doc: int) -> int:
        return planted.get(doc, doc)

    found = {(a, b) for a, b in reported if planted.get(a) == b}
    correct = sum(1 for a, b in reported if root(a) == root(b))
    rng = random.Random(seed)
    originals = [i for i in range(n) if i not in planted]
    sample = [rng.sample(originals, 2) for _ in range(300)]
    background = 0.0
    for a, b in sample:
        sa, sb = content_stems(corpus.text(a)), content_stems(corpus.text(b))
        background += len(sa & sb) / len(sa | sb) / len(sample)
    return {
        "n": n, "wall_s": wall, "gen_s": gen_s, "index_s": index_s,
        "peak_rss_mb": rss_mb(), "index_rss_mb": rss_mb() - baseline,
        "planted": len(planted), "reported": len(reported),
        "recall": len(found) / len(planted) if planted else 1.0,
        "precision": correct / len(reported) if reported else 1.0,
        "background": background,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one size, JSON out
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed)))
        return
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(args.seed)],
                             check=True, stdout=subprocess.PIPE, text=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    columns = ["docs", "index time (s)", "docs/s", "generation (s)", "peak RSS (MB)",
               "index RSS (MB)", "planted", "reported", "recall", "precision", "background J"]
    rows = [[f"{r['n']:,}", f"{r['index_s']:.1f}", f"{r['n'] / r['index_s']:,.0f}",
             f"{r['gen_s']:.1f}", f"{r['peak_rss_mb']:.0f}", f"{r['index_rss_mb']:.0f}",
             f"{r['planted']:,}", f"{r['reported']:,}", f"{r['recall']:.3f}",
             f"{r['precision']:.3f}", f"{r['background']:.3f}"] for r in results]
    title = (f"NearDuplicateIndex (rensa MinHash, {NUM_PERM} perms, {BANDS} bands, "
             f"threshold {REWRITE_THRESHOLD})")
    show(title, columns, rows)
    notes = [f"Settings: {title}; 10% planted rewrites (10-15% words substituted, sentences "
             "reordered, one dropped, one added). Index time excludes generating the text."]
    for small, large in zip(results, results[1:], strict=False):
        ratio = large["index_s"] / small["index_s"]
        size_ratio = large["n"] / small["n"]
        line = (f"Index time grows {ratio:.1f}x from {small['n']:,} to {large['n']:,} documents "
                f"({size_ratio:.0f}x as many; {ratio / size_ratio:.2f}x linear).")
        notes.append(line)
        Console().print(line)
    write_section("near_duplicates", markdown_table(columns, rows) + "\n\n" + "\n".join(notes))


if __name__ == "__main__":
    main()
