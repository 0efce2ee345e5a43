"""Throughput on generated documents: cleaning, extraction, storing, and the NER model alone.

Measures, on N generated noisy articles saved as .txt files, in one process:
  ingest + clean            read files, decode, clean, metadata (no extraction, no database)
  ingest + clean + extract  the whole per-document pipeline (rule-based extraction)
  full run (+ SQLite)       the same plus storing in a fresh database (`newsprism run`)
  re-run                    the same files again: everything is found already present
  NER model alone           spaCy NER on the same clean texts (when the `ner` extra is there)
  pipeline with NER         the whole pipeline with the NER model added

usage: python benchmarks/throughput.py [--count 10000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _results import markdown_table, show, write_section  # noqa: E402
from generate import generate  # noqa: E402

from newsprism import runner  # noqa: E402
from newsprism.engine import LocalEngine  # noqa: E402
from newsprism.ingest import iter_inputs  # noqa: E402
from newsprism.model import Document  # noqa: E402
from newsprism.pipeline import DEFAULT_STAGES, Pipeline  # noqa: E402
from newsprism.store import Store  # noqa: E402


def timed(label: str, count_words: bool, fn) -> list[str]:
    t0 = time.perf_counter()
    docs, words = fn()
    elapsed = time.perf_counter() - t0
    rate_words = f"{words / elapsed:,.0f}" if count_words else ""
    return [label, f"{docs:,}", f"{elapsed:.1f}", f"{docs / elapsed:,.0f}", rate_words]


def run_pipeline(pipeline: Pipeline, corpus: Path) -> tuple[int, int, list[Document]]:
    done = [pipeline.process(item) for item, _n in iter_inputs([corpus])
            if isinstance(item, Document)]
    docs = [d for d in done if isinstance(d, Document)]
    return len(docs), sum(len(d.text.split()) for d in docs), docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=10_000)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate(Path(tmp) / "corpus", args.count)
        clean_only = Pipeline([(n, s) for n, s in DEFAULT_STAGES if n != "extract"])
        rows.append(timed("ingest + clean", True, lambda: run_pipeline(clean_only, corpus)[:2]))
        cleaned: list[Document] = []

        def full():
            n, words, docs = run_pipeline(Pipeline(), corpus)
            cleaned.extend(docs)
            return n, words

        rows.append(timed("ingest + clean + extract", True, full))
        store = Store(Path(tmp) / "bench.db")
        for label in ("full run (+ SQLite store)", "re-run (all already present)"):
            rows.append(timed(label, False, lambda: (runner.run(
                [corpus], store, engine=LocalEngine(workers=1)).processed, 0)))
        size = (Path(tmp) / "bench.db").stat().st_size
        try:
            from newsprism.extract.ner import load

            model = load()
            texts = [s for d in cleaned for s in d.lines]
            words = sum(len(t.split()) for t in texts)
            rows.append(timed(f"NER model alone ({model.name})", True,
                              lambda: (len(model.spans(texts)) and len(cleaned), words)))
            with_ner = LocalEngine(Pipeline.with_ner(), workers=1)
            rows.append(timed("ingest + clean + extract with NER", True, lambda: (
                sum(isinstance(r, Document) for r in with_ner.map(
                    [i for i, _n in iter_inputs([corpus]) if isinstance(i, Document)])),
                words)))
        except (ImportError, OSError) as exc:
            print(f"NER model not installed, skipped ({exc})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    columns = ["what", "documents", "seconds", "docs/s", "words/s"]
    show(f"Throughput on {args.count:,} generated documents (one process)", columns, rows)
    print(f"peak memory {peak:.0f} MiB; database {size / 2**20:.1f} MiB")
    write_section(
        "throughput",
        markdown_table(columns, rows)
        + f"\n\n{args.count:,} generated noisy articles (`benchmarks/generate.py`), one process, "
        f"one core; peak RSS {peak:.0f} MiB; SQLite database {size / 2**20:.1f} MiB.",
    )


if __name__ == "__main__":
    main()
