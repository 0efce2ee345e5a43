"""Throughput of ingest + clean on generated documents, with and without storing them.

Measures, on N generated noisy articles saved as .txt files:
  pipeline only   read files + decode + clean + metadata (no database)
  full run        the same plus storing in a fresh SQLite database (what `newsprism run` does)
  re-run          the same files again: everything is found already present

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
from newsprism.ingest import iter_inputs  # noqa: E402
from newsprism.model import Document  # noqa: E402
from newsprism.pipeline import Pipeline  # noqa: E402
from newsprism.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=10_000)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate(Path(tmp) / "corpus", args.count)
        pipeline = Pipeline()
        t0 = time.perf_counter()
        ok = sum(
            isinstance(pipeline.process(item), Document)
            for item, _n in iter_inputs([corpus])
            if isinstance(item, Document)
        )
        elapsed = time.perf_counter() - t0
        rows.append(["pipeline only (ingest + clean)", str(ok), f"{elapsed:.1f}",
                     f"{ok / elapsed:.0f}"])
        store = Store(Path(tmp) / "bench.db")
        for label in ("full run (+ SQLite store)", "re-run (all already present)"):
            t0 = time.perf_counter()
            report = runner.run([corpus], store)
            elapsed = time.perf_counter() - t0
            rows.append([label, str(report.processed), f"{elapsed:.1f}",
                         f"{report.processed / elapsed:.0f}"])
        size = (Path(tmp) / "bench.db").stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    columns = ["what", "documents", "seconds", "docs/s"]
    show(f"Throughput on {args.count:,} generated documents (one process)", columns, rows)
    print(f"peak memory {peak:.0f} MiB; database {size / 2**20:.1f} MiB")
    write_section(
        "throughput",
        markdown_table(columns, rows)
        + f"\n\n{args.count:,} generated noisy articles (`benchmarks/generate.py`), one process; "
        f"peak RSS {peak:.0f} MiB; SQLite database {size / 2**20:.1f} MiB.",
    )


if __name__ == "__main__":
    main()
