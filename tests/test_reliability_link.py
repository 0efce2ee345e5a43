"""Interrupted and concurrent runs: kill -9 of a real `newsprism run` at random moments of ingest
and of linking, then one re-run, stores the same stories, claims and contradictions as a clean
run; two runs on one SQLite file at once lose and duplicate nothing.

The helpers are benchmarks/soak.py's (which does the same at a larger size, 20 kills)."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import soak  # noqa: E402
from soak import (  # noqa: E402
    concurrent_runs,
    differences,
    finish,
    kill9,
    kill_at,
    make_corpus,
    phase,
    single_kills,
    snapshot,
    start_run,
)

# Every run is a real process that loads the pipeline's models first (most of its time at this
# size), so the runs are few and small: two batches of 25, so that a kill during ingest can find
# one stored; the ways of dying (at a random moment of ingest or linking, just after ingest,
# several in a row, two runs at once) are all here once.
BATCH = 25
COUNT = 2 * BATCH
# real runs killed with SIGKILL, two at once; on one pytest worker, which builds `clean` once
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("reliability_link")]


@pytest.fixture(scope="module", autouse=True)
def small_batches() -> Iterator[None]:
    before, soak.BATCH = soak.BATCH, BATCH
    yield
    soak.BATCH = before


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus"), COUNT, seed=11)


@pytest.fixture(scope="module")
def clean(corpus, tmp_path_factory) -> tuple[dict, float]:
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    start = time.perf_counter()
    code, _out, err = finish(start_run(corpus, db))
    assert code == 0, err
    want = snapshot(db)
    assert want["documents"] == COUNT and want["claims"] and want["contradictions"]
    return want, time.perf_counter() - start


def test_kill_after_ingest_then_rerun_links_everything(corpus, clean, tmp_path):
    """The issue's case: killed once every document is stored but before linking ends, the
    re-run adds nothing and still links them all."""
    want, _seconds = clean
    db = tmp_path / "news.db"
    proc = start_run(corpus, db)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists() and phase(db) == "link" and snapshot(db)["documents"] == COUNT:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before linking could be interrupted"
    kill9(proc)
    assert snapshot(db)["unlinked"] > 0
    code, out, err = finish(start_run(corpus, db))
    assert code == 0, err
    assert "Linked:" in out
    assert differences(snapshot(db), want) == []


def test_random_kills_of_ingest_and_link_then_one_rerun(corpus, clean, tmp_path):
    """Two fresh databases, one killed at a random moment, one at a random moment of its
    linking, each re-run once; then two kills in a row on one database and one re-run
    (benchmarks/soak.py does 20 of each)."""
    want, seconds = clean
    rng = random.Random(2026)
    moments, failures = single_kills(corpus, tmp_path, 2, seconds * 1.1, rng, want)
    assert failures == [], moments
    db = tmp_path / "news.db"
    moments = [kill_at(corpus, db, rng.uniform(0.3, seconds * 1.1)) for _ in range(2)]
    code, _out, err = finish(start_run(corpus, db))
    assert code == 0, err
    got = snapshot(db)
    assert differences(got, want) == [], moments
    assert got["documents"] == got["distinct_documents"] == COUNT
    assert got["unlinked"] == got["unsigned"] == 0


def test_two_runs_at_once_on_one_sqlite_file(corpus, clean, tmp_path):
    want, _seconds = clean
    codes, got = concurrent_runs(corpus, tmp_path / "news.db")
    assert codes == [0, 0]
    assert differences(got, want) == []
    assert got["unlinked"] == got["unsigned"] == 0
