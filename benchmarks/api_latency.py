"""JSON API latency on a large database: list pages, full-text search and document pages.

Builds a SQLite database of N generated documents (`benchmarks/generate.py`'s `article`,
trimmed to the title, dateline, three noise lines and three body paragraphs so that 100,000
documents build in minutes; ingested with `runner.run` by a pool of worker processes, no
linking stage), starts `newsprism serve` on 127.0.0.1 in a subprocess, and for each endpoint
runs 16 concurrent clients for a fixed number of requests, reporting p50/p95/p99 latency and
requests per second. All traffic stays on the loopback interface.

usage: python benchmarks/api_latency.py [--count 100000] [--reuse DB] [--requests 2000]
                                        [--workers 2] [--build-only --keep DB]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

sys.path.insert(0, str(Path(__file__).parent))
from _results import markdown_table, show, write_section  # noqa: E402
from generate import article  # noqa: E402

from newsprism import runner  # noqa: E402
from newsprism.store import DocumentFilter, Store  # noqa: E402

BODY_LINES = 8  # title, dateline, three noise lines, three paragraphs
SEARCH_WORDS = ["drones", "Pokrovsk", "trenches", "prisoner", "reinforcements", "Kharkiv",
                "satellite", "governor", "outskirts", "Kupiansk", "school", "villages"]
CLIENTS = 16


def short_article(rng: random.Random, i: int) -> dict[str, str]:
    record = article(rng, i)
    record["text"] = "\n".join(record["text"].split("\n")[:BODY_LINES]) + "\n"
    return record


# -- building the database ---------------------------------------------------------------------

def _worker(shard: str, db: str, counter) -> None:
    store = Store(db)

    def progress(_consumed: int) -> None:
        with counter.get_lock():
            counter.value += 1

    runner.run([Path(shard)], store, on_progress=progress)
    store.close()


def build(db: Path, count: int, workers: int, seed: int = 7) -> float:
    """Generate `count` articles into JSONL shards and ingest them; returns seconds taken."""
    Store(db).close()  # create the schema once, before the workers race for it
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        rng = random.Random(seed)
        shards = [Path(tmp) / f"shard-{w}.jsonl" for w in range(workers)]
        handles = [s.open("w", encoding="utf-8") for s in shards]
        for i in range(count):
            handles[i % workers].write(json.dumps(short_article(rng, i), ensure_ascii=False)
                                       + "\n")
        for h in handles:
            h.close()
        ctx = mp.get_context("spawn")
        counter = ctx.Value("q", 0)
        procs = [ctx.Process(target=_worker, args=(str(s), str(db), counter)) for s in shards]
        for p in procs:
            p.start()
        columns = [TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeElapsedColumn()]
        with Progress(*columns) as progress:
            task = progress.add_task("build", total=count, rate="")
            while any(p.is_alive() for p in procs):
                time.sleep(0.5)
                done = counter.value
                rate = done / (time.perf_counter() - t0)
                progress.update(task, completed=done, rate=f"{rate:,.0f} docs/s")
            progress.update(task, completed=counter.value)
        failed = [p.exitcode for p in procs if p.exitcode]
        if failed:
            raise SystemExit(f"a build worker failed (exit codes {failed})")
    return time.perf_counter() - t0


# -- the server --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, workers: int = 1) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsprism.cli", "serve", "--db", str(db), "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers)],
        env={k: v for k, v in os.environ.items() if k != "NEWSPRISM_TOKEN"},
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with code {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not answer /api/health within 60 s")


# -- load --------------------------------------------------------------------------------------

async def load(base: str, paths: list[str], requests: int) -> tuple[list[float], float, int]:
    """`requests` GETs cycling through `paths`, CLIENTS at a time: (latencies, seconds, errors)."""
    latencies: list[float] = []
    errors = 0
    next_index = 0
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            nonlocal next_index, errors
            while next_index < requests:
                path = paths[next_index % len(paths)]
                next_index += 1
                t0 = time.perf_counter()
                try:
                    response = await client.get(path)
                except httpx.TransportError:  # counted, not timed
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - t0)
                errors += response.status_code != 200

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - t0
    return latencies, elapsed, errors


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--reuse", type=Path, help="an existing database: skip building")
    ap.add_argument("--keep", type=Path, help="build into this file (kept afterwards)")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--requests", type=int, default=2_000, help="per endpoint")
    ap.add_argument("--workers", type=int, default=2, help="build processes")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsprism-api-"))
    server = None
    try:
        build_note = ""
        if args.reuse:
            db = args.reuse
            if not db.exists():
                raise SystemExit(f"no such database: {db}")
            sidecar = Path(f"{db}.build.json")
            if sidecar.exists():  # written when the database was built with --keep
                built = json.loads(sidecar.read_text())
                build_note = (f" Built in {built['seconds'] / 60:.1f} min with "
                              f"{built['workers']} worker processes "
                              f"({built['count'] / built['seconds']:,.0f} docs/s).")
        else:
            db = args.keep or tmp / "api.db"
            if db.exists():
                raise SystemExit(f"{db} exists; use --reuse {db}")
            seconds = build(db, args.count, args.workers)
            build_note = (f" Built in {seconds / 60:.1f} min with {args.workers} worker "
                          f"processes ({args.count / seconds:,.0f} docs/s).")
            print(f"built {db} in {seconds:.0f} s")
            if args.keep:
                Path(f"{db}.build.json").write_text(json.dumps(
                    {"count": args.count, "workers": args.workers, "seconds": seconds}))
        if args.build_only:
            return
        store = Store(db)
        n_docs = store.count()
        pick = random.Random(2)
        ids = [row["id"] for page in pick.sample(range(1, max(2, n_docs // 100) + 1),
                                                 min(5, max(1, n_docs // 100)))
               for row in store.document_page(DocumentFilter(), page, 100)[1]]
        store.close()
        port = free_port()
        server = start_server(db, port)
        base = f"http://127.0.0.1:{port}"
        last_page = max(1, n_docs // 20)
        rng = random.Random(1)
        endpoints = {
            "list page (/api/documents?page=k)":
                [f"/api/documents?page={rng.randint(1, min(last_page, 500))}"
                 for _ in range(200)],
            "search (/api/documents?q=word)": [f"/api/documents?q={w}" for w in SEARCH_WORDS],
            "document page (/api/documents/{id})": [f"/api/documents/{i}" for i in ids],
        }
        rows = []
        for label, paths in endpoints.items():
            asyncio.run(load(base, paths[:4], 50))  # warm-up
            latencies, elapsed, errors = asyncio.run(load(base, paths, args.requests))
            ms = [1000 * x for x in latencies]
            rows.append([label, f"{len(ms):,}", f"{percentile(ms, 50):.1f}",
                         f"{percentile(ms, 95):.1f}", f"{percentile(ms, 99):.1f}",
                         f"{statistics.fmean(ms):.1f}", f"{len(ms) / elapsed:,.0f}",
                         str(errors)])
        load_note = "load average {:.1f}, {:.1f}, {:.1f}".format(*os.getloadavg())
        columns = ["endpoint", "requests", "p50 ms", "p95 ms", "p99 ms", "mean ms", "req/s",
                   "errors"]
        show(f"API latency on {n_docs:,} documents, {CLIENTS} concurrent clients", columns, rows)
        size = db.stat().st_size / 2**20
        write_section(
            "api_latency",
            markdown_table(columns, rows)
            + f"\n\n{n_docs:,} generated documents (`generate.py` articles trimmed to "
            f"{BODY_LINES} lines; no linking stage), SQLite database {size:,.0f} MiB.{build_note} "
            f"One uvicorn process on 127.0.0.1; {CLIENTS} concurrent httpx clients in one "
            f"asyncio loop on the same machine. List pages are random pages 1–"
            f"{min(last_page, 500)}; search cycles through {len(SEARCH_WORDS)} common words "
            f"(first page, BM25 over the 1,000 newest matches, exact total); document pages "
            f"cycle through {len(ids)} ids. Machine {load_note} when the measurement ended "
            f"(other work on the machine shares its {os.cpu_count()} cores).",
        )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
