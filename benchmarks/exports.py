"""Export speed and memory: `newsprism export --kind events|statements` in every format.

Builds a SQLite database of N made-up documents stored as the pipeline leaves them (each
with EVENTS events at places with and without coordinates, and STATEMENTS statements; the
pipeline itself is not run, so building is quick), then runs each export in its own
process and reports rows, seconds, rows per second, output size and the process's peak
memory (ru_maxrss): an export streams its rows, so memory should not grow with N.

usage: python benchmarks/exports.py [--docs 2000] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _results import markdown_table, show, write_section  # noqa: E402

from newsprism.model import Document, Entity, Event, Statement, content_id  # noqa: E402
from newsprism.store import Store  # noqa: E402

EVENTS = 8
STATEMENTS = 6
PLACES = [Entity("place", name, [name], lat, lon, "UA", "settlement", region, "settlement")
          for name, lat, lon, region in [
              ("Kharkiv", 49.98, 36.25, "Kharkiv Oblast"), ("Kyiv", 50.45, 30.52, "Kyiv City"),
              ("Odesa", 46.48, 30.73, "Odesa Oblast"), ("Sumy", 50.91, 34.80, "Sumy Oblast")]]
UNPLACED = Entity("place", "Hill 203", ["Hill 203"])
TYPES = ["strike_or_damage", "advance", "territorial_control", "casualties", "negotiation"]
OUTLETS = [f"Outlet {i}" for i in range(20)]


def made_up(rng: random.Random, i: int) -> Document:
    raw = f"benchmark document {i}".encode()
    day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    doc = Document(id=content_id(raw), source=f"bench/{i}.txt", raw=raw, kind="text",
                   published=day, outlet=rng.choice(OUTLETS), url=f"https://n.example/{i}",
                   title=f"Report number {i}", lines=[f"Paragraph {j} of report {i}."
                                                      for j in range(6)])
    doc.entities = [*PLACES, UNPLACED]
    doc.events = [Event(rng.choice(TYPES), "Russia", rng.choice([*PLACES, UNPLACED]).name,
                        day if j % 3 else None, None,
                        f"Sentence {j} of report {i} tells what happened.", "asserted",
                        "day" if j % 3 else None) for j in range(EVENTS)]
    doc.statements = [Statement(f"Speaker {j}", f"Words {j} of report {i}.", "direct",
                                "said", "person", evidence=f"Speaker {j} said words.")
                      for j in range(STATEMENTS)]
    return doc


def build(path: str, docs: int) -> float:
    start = time.perf_counter()
    rng = random.Random(7)
    store = Store(path)
    for first in range(0, docs, 500):
        store.add(made_up(rng, i) for i in range(first, min(docs, first + 500)))
    store.close()
    return time.perf_counter() - start


def run_export(db: str, kind: str, fmt: str, out: Path) -> tuple[float, int]:
    """(seconds, peak resident KiB) of one export in a process of its own."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "newsprism.cli", "export", "--db", db,
                             "--kind", kind, "--format", fmt, "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"export {kind} {fmt} failed: {proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        built = build(db, args.docs)
        rows = []
        for kind, count in (("events", args.docs * EVENTS),
                            ("statements", args.docs * STATEMENTS)):
            for fmt in ("jsonl", "csv", "geojson", "parquet"):
                if kind == "statements" and fmt == "geojson":
                    continue
                out = Path(tmp) / f"{kind}.{fmt}"
                seconds, peak = run_export(db, kind, fmt, out)
                rows.append([f"{kind} {fmt}", f"{count:,}", f"{seconds:.1f}",
                             f"{count / seconds:,.0f}", f"{out.stat().st_size / 2**20:.1f}",
                             f"{peak / 1024:.0f}"])
    columns = ["export", "rows", "seconds", "rows/s", "MiB out", "peak RSS MiB"]
    show(f"Exports of {args.docs:,} documents", columns, rows)
    if not args.no_write:
        body = markdown_table(columns, rows) + (
            f"\n\n{args.docs:,} made-up documents stored directly (built in {built:.1f} s), "
            f"{EVENTS} events each (a third undated, a fifth at a place without coordinates, "
            f"which GeoJSON leaves out; its rows count them all) and {STATEMENTS} statements. "
            "Each export is `newsprism export --out FILE` in its own process, start-up "
            "(about 1 s of imports) included; peak RSS is that process's. Load average "
            f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} when it ended (other work "
            "shares the machine's cores).")
        write_section("exports", body, f"python benchmarks/exports.py --docs {args.docs}")


if __name__ == "__main__":
    main()
