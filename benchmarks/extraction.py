"""Article-body extraction quality on the 181-page benchmark in ../shared/benchmarks.

Scores, with the benchmark's own metric (../shared/tools/score_extraction.py):
  keep-all           the page's full visible text, untouched (baseline)
  trafilatura-text   trafilatura given only that text (each line wrapped as a paragraph)
  newsprism-text     Newsprism's plain-text cleaner on that text
  trafilatura-html   trafilatura on the HTML
  newsprism-html     Newsprism's HTML path (trafilatura, then the line cleaner)
The plain-text cleaner's rules were tuned on the pages whose id sorts in the first half; the
second half ("held out") is the honest figure.

usage: python benchmarks/extraction.py [--bench DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import html
import importlib.util
import statistics
import sys
import time
import warnings
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.progress import track

from newsprism.model import Document
from newsprism.pipeline import DEFAULT_STAGES, Pipeline

sys.path.insert(0, str(Path(__file__).parent))
from _results import markdown_table, show, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def load_scorer():
    spec = importlib.util.spec_from_file_location(
        "score_extraction", SHARED / "tools" / "score_extraction.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def newsprism_text(pipeline: Pipeline, raw: bytes, kind: str, source: str) -> str:
    result = pipeline.process(Document(id=source, source=source, raw=raw, kind=kind))
    return "" if isinstance(result, Exception) else result.text


def trafilatura_on_text(text: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return trafilatura.extract(f"<html><body>{body}</body></html>") or ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", type=Path, default=SHARED / "benchmarks" / "article-extraction")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    if not args.bench.exists():
        sys.exit(f"benchmark not found: {args.bench}")
    scorer = load_scorer()
    gold = scorer.load_gold(args.bench / "ground-truth.json")
    ids = sorted(gold)[: args.limit or None]
    first_half = set(ids[: len(ids) // 2])
    # body extraction only: the extraction of entities and events is measured elsewhere
    pipeline = Pipeline([(n, s) for n, s in DEFAULT_STAGES if n != "extract"])
    systems = {
        "keep-all": lambda text, page: text,
        "trafilatura-text": lambda text, page: trafilatura_on_text(text),
        "newsprism-text": lambda text, page: newsprism_text(
            pipeline, text.encode(), "text", "page.txt"
        ),
        "trafilatura-html": lambda text, page: trafilatura.extract(page, include_comments=False)
        or "",
        "newsprism-html": lambda text, page: newsprism_text(pipeline, page, "html", "page.html"),
    }
    preds: dict[str, dict[str, str]] = {name: {} for name in systems}
    times: dict[str, list[float]] = {name: [] for name in systems}
    warnings.simplefilter("ignore")
    for page_id in track(ids, description="Scoring pages", console=Console(stderr=True)):
        text = (args.bench / "plaintext" / f"{page_id}.txt").read_text(encoding="utf-8")
        page = gzip.decompress((args.bench / "html" / f"{page_id}.html.gz").read_bytes())
        for name, system in systems.items():
            t0 = time.perf_counter()
            preds[name][page_id] = system(text, page)
            times[name].append(time.perf_counter() - t0)
    columns = ["system", "F1 (all)", "P", "R", "F1 tuned half", "F1 held-out half", "ms/page"]
    rows = []
    for name in systems:
        all_ = scorer.score({k: gold[k] for k in ids}, preds[name])
        tuned = scorer.score({k: gold[k] for k in ids if k in first_half}, preds[name])
        held = scorer.score({k: gold[k] for k in ids if k not in first_half}, preds[name])
        rows.append([
            name, f"{all_['F1']:.3f}", f"{all_['P']:.3f}", f"{all_['R']:.3f}",
            f"{tuned['F1']:.3f}", f"{held['F1']:.3f}",
            f"{statistics.median(times[name]) * 1000:.1f}",
        ])
    show(f"Article-body extraction, {len(ids)} pages", columns, rows)
    if not args.limit:
        note = (
            "Metric: token 4-gram F1 of the benchmark (`../shared/tools/score_extraction.py`). "
            "Tuned half = pages whose id sorts in the first half (rules were fitted there); "
            "held-out half = the rest. ms/page is the median wall time per page."
        )
        write_section("extraction", markdown_table(columns, rows) + "\n\n" + note)


if __name__ == "__main__":
    main()
