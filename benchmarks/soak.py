"""Soak: kill -9 a real `newsprism run` at random moments, then check one re-run equals a clean run.

Two kinds of trial, each ending with one re-run to the end that is compared with a clean run on
the same generated corpus: `--kills` single kills, each of a run on a fresh database at a
random (seeded) moment of the run (every other one at a random moment of its linking); and
`--kills` kills in a row on one database.
The comparison covers documents (each exactly once), stories, claims with their members and
outlets, contradictions, signatures, and nothing left unlinked. A second part starts two
runs on one SQLite file at once and makes the same comparison. tests/test_reliability_link.py
uses the helpers here at a small size.

usage: python benchmarks/soak.py [--count 400] [--kills 20] [--seed 17]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _results import markdown_table, show, write_section  # noqa: E402
from generate import generate  # noqa: E402

BATCH = 50  # documents per transaction: a kill during ingest finds some batches stored


def make_corpus(folder: Path, count: int, seed: int = 7) -> Path:
    """A JSONL file of `count` generated articles (benchmarks/generate.py)."""
    return generate(folder, count, "jsonl", seed)


def start_run(corpus: Path, db: Path, workers: int = 1) -> subprocess.Popen:
    """`newsprism run` in its own session, so that whatever it leaves can be found again.
    Batches of `BATCH` documents (read at each call: the tests set a smaller one)."""
    cmd = [sys.executable, "-m", "newsprism.cli", "run", str(corpus), "--db", str(db),
           "--batch-size", str(BATCH), "--workers", str(workers)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, env={**os.environ, "COLUMNS": "120"})


def finish(proc: subprocess.Popen, timeout: float = 600) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def kill9(proc: subprocess.Popen) -> None:
    """SIGKILL to the run itself, as an unlucky operator (or the OOM killer) would; then its
    session is cleared too, so no worker of a killed run outlives the trial."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def phase(db: Path) -> str:
    """Where a run stands, read from the database: 'ingest' (documents still coming),
    'link' (some stored documents not yet linked) or 'done'."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True,
                                                timeout=30)) as conn:
            unlinked = conn.execute(
                "SELECT count(*) FROM documents WHERE linked_at IS NULL").fetchone()[0]
    except sqlite3.Error:
        return "ingest"
    return "link" if unlinked else "done"


def kill_at(corpus: Path, db: Path, delay: float) -> str:
    """Start a run, kill -9 it after `delay` seconds; what it was doing when it died ('link'
    once every document was stored but not all linked, else 'ingest'), or 'finished'."""
    proc = start_run(corpus, db)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=delay)
    if proc.poll() is not None:
        finish(proc)
        return "finished"
    kill9(proc)
    return "link" if phase(db) == "link" and _ingest_done(db, corpus) else "ingest"


def kill_in_link(corpus: Path, db: Path, delay: float) -> str:
    """Start a run, wait until every document is stored, kill -9 it `delay` seconds later:
    a kill during linking (or 'finished' when linking was quicker than that)."""
    proc = start_run(corpus, db)
    while proc.poll() is None and not (db.exists() and phase(db) == "link"
                                       and _ingest_done(db, corpus)):
        time.sleep(0.02)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=delay)
    if proc.poll() is not None:
        finish(proc)
        return "finished"
    kill9(proc)
    return "link" if phase(db) == "link" else "finished"


def _ingest_done(db: Path, corpus: Path) -> bool:
    expected = sum(1 for line in corpus.read_text(encoding="utf-8").splitlines() if line)
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= expected


def snapshot(db: Path) -> dict:
    """What a user sees of the links, in a form two databases can be compared by."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        q = conn.execute
        return {
            "documents": q("SELECT count(*) FROM documents").fetchone()[0],
            "distinct_documents": q("SELECT count(DISTINCT id) FROM documents").fetchone()[0],
            "unlinked": q("SELECT count(*) FROM documents WHERE linked_at IS NULL"
                          ).fetchone()[0],
            "unsigned": q("SELECT count(*) FROM documents WHERE id NOT IN "
                          "(SELECT document_id FROM signatures)").fetchone()[0],
            "stories": sorted(q("SELECT id, story FROM documents")),
            "claims": sorted(q("SELECT id, type, place, date, outlets, outlet_count, "
                               "claimed_by FROM claims")),
            "claim_members": sorted(q("SELECT claim_id, document_id, position "
                                      "FROM claim_members")),
            "contradictions": sorted(q("SELECT kind, place, description, claim_a, claim_b "
                                       "FROM contradictions")),
            "near_duplicates": sorted(q("SELECT document_id, other_id FROM near_duplicates")),
        }


def differences(got: dict, want: dict) -> list[str]:
    """Names of what differs, with counts, for a readable failure."""
    def size(v: object) -> object:
        return len(v) if isinstance(v, list) else v

    return [f"{key}: {size(got[key])} vs {size(value)} in a clean run"
            for key, value in want.items() if got[key] != value]


def clean_run(corpus: Path, db: Path) -> tuple[dict, float]:
    start = time.perf_counter()
    code, _out, err = finish(start_run(corpus, db))
    if code != 0:
        raise RuntimeError(f"clean run failed ({code}): {err[-2000:]}")
    return snapshot(db), time.perf_counter() - start


def killed_then_rerun(corpus: Path, db: Path, kills: int, horizon: float,
                      rng: random.Random) -> tuple[list[str], dict]:
    """`kills` runs killed at random moments within `horizon` seconds, then one full run."""
    moments = [kill_at(corpus, db, rng.uniform(0.3, horizon)) for _ in range(kills)]
    code, _out, err = finish(start_run(corpus, db))
    if code != 0:
        raise RuntimeError(f"re-run failed ({code}): {err[-2000:]}")
    return moments, snapshot(db)


def single_kills(corpus: Path, folder: Path, trials: int, horizon: float, rng: random.Random,
                 want: dict) -> tuple[list[str], list[str]]:
    """`trials` fresh databases, each: one kill at a random moment (every other one while
    linking), one re-run, compared."""
    moments, failures = [], []
    for n in range(trials):
        db = folder / f"single-{n}.db"
        if n % 2:
            moment = [kill_in_link(corpus, db, rng.uniform(0, 1.5))]
            code, _out, err = finish(start_run(corpus, db))
            if code != 0:
                raise RuntimeError(f"re-run failed ({code}): {err[-2000:]}")
            got = snapshot(db)
        else:
            moment, got = killed_then_rerun(corpus, db, 1, horizon, rng)
        moments += moment
        failures += [f"trial {n} ({moment[0]}): {d}" for d in differences(got, want)]
    return moments, failures


def concurrent_runs(corpus: Path, db: Path) -> tuple[list[int], dict]:
    """Two runs on one SQLite file at the same time; their exit codes and the result."""
    procs = [start_run(corpus, db), start_run(corpus, db)]
    codes = [finish(p)[0] for p in procs]
    return codes, snapshot(db)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = make_corpus(root / "corpus", args.count)
        want, clean_s = clean_run(corpus, root / "clean.db")
        single, single_diff = single_kills(corpus, root, args.kills, clean_s * 1.1, rng, want)
        moments, got = killed_then_rerun(corpus, root / "killed.db", args.kills,
                                         clean_s * 1.1, rng)
        kill_diff = differences(got, want)
        codes, both = concurrent_runs(corpus, root / "both.db")
        both_diff = differences(both, want)
    columns = ["trial", "documents", "claims", "contradictions", "kills (ingest/link/after)",
               "result"]
    rows = [
        ["clean run", str(want["documents"]), str(len(want["claims"])),
         str(len(want["contradictions"])), "-", f"{clean_s:.1f} s"],
        [f"{args.kills} × (fresh database, one kill -9, one re-run)", str(want["documents"]),
         str(len(want["claims"])), str(len(want["contradictions"])),
         f"{single.count('ingest')}/{single.count('link')}/{single.count('finished')}",
         "all equal to the clean run" if not single_diff else "; ".join(single_diff[:3])],
        [f"{args.kills} kill -9 in a row on one database, then one re-run",
         str(got["documents"]),
         str(len(got["claims"])), str(len(got["contradictions"])),
         f"{moments.count('ingest')}/{moments.count('link')}/{moments.count('finished')}",
         "equal to the clean run" if not kill_diff else "; ".join(kill_diff)],
        ["two runs at once, one SQLite file", str(both["documents"]),
         str(len(both["claims"])), str(len(both["contradictions"])),
         f"exit codes {codes[0]}, {codes[1]}",
         "equal to the clean run" if not both_diff else "; ".join(both_diff)],
    ]
    show(f"Soak: {args.count} generated documents, seed {args.seed}", columns, rows)
    body = (f"{args.count} generated documents (benchmarks/generate.py), batches of {BATCH}, "
            f"kill -9 at seeded random moments (seed {args.seed}) within 1.1 × the clean "
            "run's time (every other single kill: 0–1.5 s after the last document was "
            "stored, i.e. while linking); 'kills' says whether each killed run was still "
            "ingesting, linking, or had already finished (in a row, later runs have less "
            "left to do). Each "
            "comparison: documents (each once), every document's story, claims with members "
            "and outlets, contradictions, near-duplicate pairs, nothing unsigned or "
            "unlinked.\n\n" + markdown_table(columns, rows))
    write_section("soak", body, f"python benchmarks/soak.py --count {args.count} "
                  f"--kills {args.kills} --seed {args.seed}")
    if single_diff or kill_diff or both_diff or any(codes):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
