"""Scale-out: documents per second for each engine and number of cores, with peak memory.

For each corpus size, generates noisy articles as .txt files (`generate.py`), then times
`runner.run` (read, clean, extract, store in a fresh SQLite database; the cross-document stage
is left out, as it runs after the engine and the same way for every engine) with:
  local, 1 worker      one process, no pool (the baseline)
  local, 2 workers     a process pool of two
  local, all cores     a process pool of every core (omitted when that is two)
  dask local cluster   a Dask LocalCluster with one single-threaded worker per core
Each configuration runs in a fresh process; peak memory is the largest sum of resident memory
over that process and all its children (pool workers, Dask nannies and workers), sampled
every 0.2 s. "× one process" is docs/s divided by the 1-worker figure at the same size.

With `--postgres SERVER_URL` every configuration stores into a fresh PostgreSQL database on
that server instead (created and dropped here), and the section "scale-postgresql" is written.

usage: python benchmarks/scale.py [--sizes 10000,100000] [--configs local:1,local:2,dask:0]
       bash scripts/with_postgres.sh sh -c \
           'python benchmarks/scale.py --sizes 10000 --postgres "$NEWSPRISM_TEST_POSTGRES"'
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _results import markdown_table, show, write_section  # noqa: E402
from generate import generate  # noqa: E402


def tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total


def one(config: str, corpus: Path, db: str) -> dict:
    """Run one configuration in this process and report what it measured."""
    from newsprism import runner
    from newsprism.engine import available_cores, make_engine
    from newsprism.store import Store

    kind, workers = config.split(":")
    n = int(workers) or available_cores()
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(os.getpid()))
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()
    store = Store(db)
    t0 = time.perf_counter()
    engine = make_engine(kind, workers=n)
    report = runner.run([corpus], store, engine=engine)
    engine.close()
    elapsed = time.perf_counter() - t0
    done.set()
    store.close()
    return {"config": config, "workers": n, "documents": report.added,
            "failed": len(report.failed), "seconds": elapsed,
            "peak_mib": peak / 2**20, "load": os.getloadavg()[0]}


def label(config: str, cores: int) -> str:
    kind, workers = config.split(":")
    if kind == "dask":
        return f"dask local cluster ({int(workers) or cores} workers)"
    n = int(workers)
    return "local, 1 process" if n == 1 else (
        f"local, all {cores} cores" if n == 0 else f"local, {n} processes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--configs", default=None, help="kind:workers,... (0 = every core)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--postgres", metavar="SERVER_URL",
                    help="store in fresh databases on this PostgreSQL server, not SQLite")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.corpus, args.db)))
        return
    from newsprism.engine import available_cores

    cores = available_cores()
    configs = args.configs.split(",") if args.configs else (
        ["local:1", "local:2"] + (["local:0"] if cores > 2 else []) + ["dask:0"])
    columns = ["documents", "engine", "seconds", "docs/s", "× one process", "peak memory MiB",
               "load avg"]
    rows: list[list[str]] = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            corpus = generate(Path(tmp) / "corpus", size)
            base: float | None = None
            for config in configs:
                db = (fresh_postgres(args.postgres, config) if args.postgres
                      else str(Path(tmp) / f"{config.replace(':', '-')}.db"))
                try:
                    out = subprocess.run(
                        [sys.executable, __file__, "--one", config, "--corpus", str(corpus),
                         "--db", db], capture_output=True, text=True, check=True)
                finally:
                    if args.postgres:
                        drop_postgres(args.postgres, db)
                result = json.loads(out.stdout.strip().splitlines()[-1])
                rate = result["documents"] / result["seconds"]
                base = base or (rate if config == "local:1" else None)
                rows.append([f"{size:,}", label(config, cores), f"{result['seconds']:.0f}",
                             f"{rate:.1f}", f"{rate / base:.2f}" if base else "",
                             f"{result['peak_mib']:.0f}", f"{result['load']:.1f}"])
                assert result["documents"] == size and not result["failed"], result
                backend = "PostgreSQL" if args.postgres else "SQLite"
                show(f"Scale-out ({cores} cores, {backend})", columns, rows)
                body = markdown_table(columns, rows) + NOTE.format(cores=cores, backend=backend)
                if args.postgres:
                    write_section("scale-postgresql", body, command=POSTGRES_COMMAND)
                else:
                    write_section("scale", body)


NOTE = """

Generated noisy articles as .txt files (`benchmarks/generate.py`), {cores} cores. Each row is
a fresh process running `runner.run` into a fresh {backend} database: reading, the whole
per-document pipeline and storing (the cross-document stage runs after and is measured by
`near_duplicates.py`). Peak memory: resident memory of the process and all its children.
"load avg" is the 1-minute load average at the end of the row; above the core count it means
other work shared the machine, and the rates are low by that much.
"""

POSTGRES_COMMAND = ("bash scripts/with_postgres.sh sh -c 'python benchmarks/scale.py "
                    "--sizes 10000 --configs local:1,local:2 "
                    "--postgres \"$NEWSPRISM_TEST_POSTGRES\"'")


def _admin(server: str):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from newsprism.store.database import database_url

    return create_engine(database_url(server), poolclass=NullPool,
                         isolation_level="AUTOCOMMIT")


def fresh_postgres(server: str, config: str) -> str:
    """A new empty database on `server` for one configuration; its URL."""
    from sqlalchemy import make_url, text

    name = f"newsprism_scale_{config.replace(':', '_')}_{os.getpid()}"
    engine = _admin(server)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_postgres(server: str, db: str) -> None:
    from sqlalchemy import make_url, text

    engine = _admin(server)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(db).database}" WITH (FORCE)'))
    engine.dispose()


if __name__ == "__main__":
    main()
