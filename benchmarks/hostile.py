"""Hostile documents through the whole per-document pipeline: how long each takes, and what
becomes of it (processed, or reported over its budget) under the default budget.

Each generator reproduces an input that once stalled a run (issue 17): runs of short tokens,
a speech cue repeated, capitalised words by the hundred thousand, a single line of a megabyte,
quotes that never close. One process, the default budget (data/budgets.toml).

usage: python benchmarks/hostile.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _results import markdown_table, show, write_section  # noqa: E402

from newsprism.model import Document, InputError, content_id  # noqa: E402
from newsprism.pipeline import Pipeline  # noqa: E402


def names(n: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    syllables = ["Ko", "Va", "Li", "Pe", "Dro", "Mar", "Sha", "Te", "Ny", "Bo"]
    return " ".join("".join(rnd.choice(syllables) for _ in range(3)) for _ in range(n))


GENERATORS = {
    '"a b c " × 4,000': lambda: "a b c " * 4000,
    '"said " × 100,000': lambda: "said " * 100_000,
    "100,000 capitalised pseudo-names": lambda: names(100_000),
    "one 1 MB line of words": lambda: ("the drone hit a depot near the river " * 30_000)[:1 << 20],
    '"“He said" × 20,000, never closed': lambda: "“He said, " * 20_000,
    "10,000 short paragraphs of names and cues": lambda: "\n".join(
        f"{names(3, i)} said {names(2, i + 1)} told" for i in range(10_000)),
}


def main() -> None:
    pipeline = Pipeline()
    warm = b"Warm-up headline\nKyiv said the talks would go on next week."
    pipeline.process(Document(id="w", source="warm.txt", raw=warm, kind="text"))
    rows = []
    for label, make in GENERATORS.items():
        raw = make().encode("utf-8")
        doc = Document(id=content_id(raw), source="hostile.txt", raw=raw, kind="text")
        t0 = time.perf_counter()
        result = pipeline.process(doc)
        elapsed = time.perf_counter() - t0
        outcome = (f"reported: {result.reason}" if isinstance(result, InputError)
                   else f"processed ({len(result.statements)} statements)")
        rows.append([label, f"{len(raw) / 1024:,.0f}", f"{elapsed:.2f}", outcome])
    columns = ["document", "KiB", "seconds", "outcome"]
    show(f"Hostile documents, budget {pipeline.budget.seconds:.0f} s per document", columns, rows)
    if "--no-write" not in sys.argv:
        intro = (__doc__ or "").split("usage:")[0].strip()
        write_section("hostile", markdown_table(columns, rows) + "\n\n" + intro)


if __name__ == "__main__":
    main()
