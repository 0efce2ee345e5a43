"""Throughput on generated documents: cleaning, extraction, storing, and the NER model alone.

Measures, on N generated noisy articles saved as .txt files, in one process:
  ingest + clean            read files, decode, clean, metadata (no extraction, no database)
  ingest + clean + extract  the whole per-document pipeline (rule-based extraction)
  full run (+ SQLite)       the same plus storing in a fresh database (`newsprism run`)
  re-run                    the same files again: everything is found already present
  spaCy full pipeline alone en_core_web_sm (tagger, parser, NER...) on the same clean texts,
                            the model Newsprism runs only on the sentences that need it
  real corpus rows          the same two measures on ../shared/corpus/en (when present)

The whole pipeline and spaCy alone are each timed `--repeat` times (default 3), taking turns,
each time in a fresh process that loads and warms up first: the best time counts, as timeit
takes the best of its runs (the machine is shared; a fresh process keeps one pass's caches
out of the next).

usage: python benchmarks/throughput.py [--count 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
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


ROOT = Path(__file__).resolve().parents[1]


_LOADED: dict[str, object] = {}


def _full_pipeline(name: str):
    import spacy

    if name not in _LOADED:
        _LOADED[name] = spacy.load(name)  # every component: tagger, parser, NER, lemmatizer
    return _LOADED[name]


WARM_UP_DOCUMENTS = 100  # generated with another seed: none of them is timed
WARM_UP_SEED = 99


def one_pass(kind: str, source: str, warm: str) -> tuple[int, int, float]:
    """In a fresh process: load, warm up on other documents (`warm`: a folder of generated
    ones, none of the timed texts), then time one pass of the whole pipeline over the folder
    `source` ("ours") or of spaCy's full small pipeline (the model Newsprism parses with) over
    the clean texts saved in the JSON file `source` ("spacy")."""
    if kind == "ours":
        pipeline = Pipeline()
        run_pipeline(pipeline, Path(warm))  # loads, compiles and fills what it keeps
        t0 = time.perf_counter()
        docs, words, _ = run_pipeline(pipeline, Path(source))
        return docs, words, time.perf_counter() - t0
    from newsprism.extract.parse import DEFAULT_MODEL

    saved = json.loads(Path(source).read_text("utf-8"))
    texts, docs = saved["texts"], saved["docs"]
    nlp = _full_pipeline(DEFAULT_MODEL)
    list(nlp.pipe(p.read_text("utf-8") for p in sorted(Path(warm).glob("*.txt"))))
    t0 = time.perf_counter()
    sum(1 for _ in nlp.pipe(texts, batch_size=64))
    return docs, sum(len(t.split()) for t in texts), time.perf_counter() - t0


def best_of(repeat: int, label: str, folder: Path, texts_file: Path, warm: Path
            ) -> list[list[str]]:
    """The whole pipeline and spaCy alone, `repeat` fresh processes each, taking turns: the
    rows of their best times."""
    best: dict[str, tuple[int, int, float]] = {}
    context = multiprocessing.get_context("spawn")
    for _ in range(repeat):
        for kind, source in (("ours", str(folder)), ("spacy", str(texts_file))):
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                result = pool.submit(one_pass, kind, source, str(warm)).result()
            if kind not in best or result[2] < best[kind][2]:
                best[kind] = result
    rows = []
    for kind, name in (("ours", "ingest + clean + extract"),
                       ("spacy", "spaCy full pipeline alone")):
        docs, words, seconds = best[kind]
        rows.append([f"{label}: {name}" if label != "generated" or kind == "spacy"
                     else name, f"{docs:,}", f"{seconds:.1f}", f"{docs / seconds:,.0f}",
                     f"{words / seconds:,.0f}"])
    return rows


def save_texts(docs: list[Document], path: Path) -> Path:
    path.write_text(json.dumps({"texts": [s for d in docs for s in d.lines], "docs": len(docs)}),
                    "utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate(Path(tmp) / "corpus", args.count)
        clean_only = Pipeline([(n, s) for n, s in DEFAULT_STAGES if n != "extract"])
        rows.append(timed("ingest + clean", True, lambda: run_pipeline(clean_only, corpus)[:2]))
        # warm up: the gazetteer and the parser load once per process, outside the timings
        Pipeline().process(next(i for i, _n in iter_inputs([corpus]) if isinstance(i, Document)))
        cleaned = run_pipeline(Pipeline(), corpus)[2]
        generated_texts = save_texts(cleaned, Path(tmp) / "generated.json")
        warm = generate(Path(tmp) / "warm", WARM_UP_DOCUMENTS, seed=WARM_UP_SEED)
        rows += best_of(args.repeat, "generated", corpus, generated_texts, warm)
        store = Store(Path(tmp) / "bench.db")
        for label in ("full run (+ SQLite store)", "re-run (all already present)"):
            rows.append(timed(label, False, lambda: (runner.run(
                [corpus], store, engine=LocalEngine(workers=1)).processed, 0)))
        size = (Path(tmp) / "bench.db").stat().st_size
        real = sorted((ROOT.parent / "shared" / "corpus" / "en").glob("d*.txt"))
        if real:
            docs = run_pipeline(Pipeline(), real[0].parent)[2]
            real_texts = save_texts(docs, Path(tmp) / "real.json")
            rows += best_of(args.repeat, "real corpus", real[0].parent, real_texts, warm)
    rate = {r[0]: float(r[4].replace(",", "")) for r in rows if r[4]}
    ratios = []
    for label, ours in (("generated", "ingest + clean + extract"),
                        ("real corpus", "real corpus: ingest + clean + extract")):
        alone = rate.get(f"{label}: spaCy full pipeline alone")
        if alone and ours in rate:
            ratios.append(f"{label} text {rate[ours] / alone:.1f}×")
    ratio_note = ("Whole Newsprism pipeline (cleaning, rules, parser where needed) against spaCy's "
                  "full small pipeline alone on the same clean text, in words/s: "
                  + ", ".join(ratios) + "." if ratios else "")
    print(ratio_note)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    columns = ["what", "documents", "seconds", "docs/s", "words/s"]
    show(f"Throughput on {args.count:,} generated documents (one process)", columns, rows)
    print(f"peak memory {peak:.0f} MiB; database {size / 2**20:.1f} MiB")
    write_section(
        "throughput",
        markdown_table(columns, rows)
        + f"\n\n{args.count:,} generated noisy articles (`benchmarks/generate.py`), one process, "
        f"one core; peak RSS {peak:.0f} MiB; SQLite database {size / 2**20:.1f} MiB. The whole "
        f"pipeline and spaCy alone: best of {args.repeat} fresh processes each, taking turns. "
        + ratio_note,
    )


if __name__ == "__main__":
    main()
