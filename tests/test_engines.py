"""Engines: every engine stores the same record, and a worker that dies loses nothing.

Runs the demo corpus through the in-process engine, a real process pool and a real Dask
cluster (local, and a scheduler started separately and joined by address), into real SQLite
stores, then compares everything a user can read back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import stages
from conftest import (
    DEMO_CORPUS,
    DEMO_DOCUMENTS,
    free_port,
    newsprism,
    newsprism_process,
    running,
)
from stages import VICTIM, DiesOnArrival, Explode, KillWorker

from newsprism import runner
from newsprism.engine import LocalEngine, available_cores
from newsprism.engine.base import WORKER_DIED, EngineError
from newsprism.engine.local import in_process_below
from newsprism.link.run import link
from newsprism.pipeline import DEFAULT_STAGES, Pipeline
from newsprism.store import Store

DEMO = DEMO_CORPUS


def killing_pipeline(stage: KillWorker) -> Pipeline:
    return Pipeline([("kill", stage), *DEFAULT_STAGES])


def ingest(db: Path | str, engine, batch_size: int = 5) -> tuple[runner.RunReport, dict]:
    store = Store(db)
    try:
        report = runner.run([DEMO], store, engine=engine, batch_size=batch_size)
        link(store)
        return report, snapshot(store)
    finally:
        store.close()


def snapshot(store: Store) -> dict:
    """Everything a user reads back, minus ingest timestamps."""
    return {
        "documents": [d.to_export() for d in store.iter_documents()],
        "stories": store.stories(limit=1000),
        "claims": store.claims_for(),
        "contradictions": store.contradictions(),
        "copies": sorted(store.copy_map().items()),
    }


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> dict:
    """What one process stores of the demo, in the same batches as the runs compared with it
    (which of two same-day copies came first is told by ingest order)."""
    report, snap = ingest(tmp_path_factory.mktemp("base") / "b.db", LocalEngine(workers=1))
    assert report.added == DEMO_DOCUMENTS and not report.failed
    return snap


@pytest.mark.e2e
def test_a_process_pool_stores_exactly_what_one_process_stores(baseline, tmp_path):
    with LocalEngine(workers=2) as engine:
        report, snap = ingest(tmp_path / "pool.db", engine)
        assert engine._pool is not None  # the work really went to worker processes
    assert report.added == 28 and not report.failed
    assert snap == baseline


@pytest.mark.e2e
@pytest.mark.xdist_group("dask_cluster")
def test_dask_local_cluster_stores_exactly_what_the_local_engine_stores(
        baseline, dask_engine, db_url):
    """On each backend: Dask into SQLite or PostgreSQL reads back like one process into
    SQLite."""
    assert dask_engine.cluster is not None and dask_engine.workers == 2
    report, snap = ingest(db_url, dask_engine)
    assert report.added == 28 and not report.failed
    assert snap == baseline


@pytest.mark.e2e
def test_a_pool_worker_killed_mid_run_loses_nothing_and_stores_nothing_twice(
        baseline, tmp_path):
    flag = tmp_path / "killed"
    pipeline = killing_pipeline(KillWorker(VICTIM, flag=flag))
    with LocalEngine(pipeline, workers=2) as engine:
        report, snap = ingest(tmp_path / "k.db", engine)
    assert flag.exists(), "the worker was never killed: the test proves nothing"
    assert report.added == 28 and report.present == 0 and not report.failed
    assert snap == baseline


@pytest.mark.e2e
@pytest.mark.xdist_group("dask_cluster")
def test_a_dask_worker_killed_mid_run_loses_nothing_and_stores_nothing_twice(
        baseline, dask_engine, tmp_path):
    import cloudpickle

    cloudpickle.register_pickle_by_value(stages)  # workers can't import tests
    flag = tmp_path / "killed"
    pipeline = killing_pipeline(KillWorker(VICTIM, flag=flag))
    with running(dask_engine, pipeline) as engine:
        report, snap = ingest(tmp_path / "k.db", engine)
    assert flag.exists(), "the worker was never killed: the test proves nothing"
    assert report.added == 28 and report.present == 0 and not report.failed
    assert snap["documents"] == baseline["documents"]
    assert snap == baseline


@pytest.mark.e2e
def test_a_document_that_always_kills_its_worker_is_reported_and_the_rest_stored(tmp_path):
    pipeline = killing_pipeline(KillWorker(VICTIM, always=True))
    with LocalEngine(pipeline, workers=2) as engine:
        report, snap = ingest(tmp_path / "p.db", engine)
    assert [(VICTIM in e.source, e.reason) for e in report.failed] == [(True, WORKER_DIED)]
    assert report.added == 27 and report.present == 0
    assert len(snap["documents"]) == 27


@pytest.mark.e2e
def test_the_first_two_documents_both_killing_their_workers_do_not_stop_the_run(tmp_path):
    """Before any work has finished, deaths could mean the pool cannot work at all; an empty
    task tells the two apart, so two bad files at the start are just two bad files."""
    first, second = "html/01_", "html/02_"
    pipeline = killing_pipeline(KillWorker(first, second, always=True))
    with LocalEngine(pipeline, workers=2) as engine:
        report, snap = ingest(tmp_path / "p.db", engine)
    assert sorted((e.source.split("corpus/")[1][:8], e.reason) for e in report.failed) == [
        (first, WORKER_DIED), (second, WORKER_DIED)]
    assert report.added == 26 and len(snap["documents"]) == 26


@pytest.mark.e2e
def test_a_small_run_on_a_pool_also_survives_a_killing_document(tmp_path):
    """Even a run of a few files goes to the workers when they are asked for, so a crash
    never takes the run."""
    folder = tmp_path / "few"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "poison.txt"):
        (folder / name).write_text(f"Report {name}\nShelling hit Kharkiv overnight, the "
                                   "governor said.\n", encoding="utf-8")
    store = Store(tmp_path / "few.db")
    with LocalEngine(killing_pipeline(KillWorker("poison", always=True)), workers=2) as engine:
        report = runner.run([folder], store, engine=engine)
    assert report.added == 2 and [e.reason for e in report.failed] == [WORKER_DIED]


def test_a_small_run_of_the_default_engine_stays_in_this_process(tmp_path):
    """Below data/engine.toml's threshold no pool is started: it would cost more than the
    run (the workers were not chosen, so the engine may choose)."""
    folder = tmp_path / "few"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"Report {name}\nShelling hit Kharkiv overnight, the "
                                   "governor said.\n", encoding="utf-8")
    assert in_process_below() > 3
    store = Store(tmp_path / "few.db")
    with LocalEngine() as engine:
        report = runner.run([folder], store, engine=engine)
        assert engine.in_process and engine._pool is None
    assert report.added == 3 and not report.failed
    assert LocalEngine(workers=2).small_run == 0  # chosen workers: always the pool


@pytest.mark.e2e
@pytest.mark.skipif(available_cores() < 2, reason="one core: the default engine has no pool")
def test_a_run_past_the_threshold_goes_to_the_pool_and_stores_the_same(baseline, tmp_path):
    with LocalEngine(small_run=10) as engine:
        report, snap = ingest(tmp_path / "big.db", engine, batch_size=4)
        assert not engine.in_process and engine._pool is not None
    assert report.added == 28 and not report.failed
    assert snap == baseline


@pytest.mark.e2e
def test_workers_that_can_do_nothing_stop_the_run_with_a_clear_error(tmp_path):
    pipeline = Pipeline([("dies", DiesOnArrival()), *DEFAULT_STAGES])
    store = Store(tmp_path / "x.db")
    with LocalEngine(pipeline, workers=2) as engine, \
            pytest.raises(EngineError, match="died before any finished its work"):
        runner.run([DEMO], store, engine=engine, batch_size=5)
    assert store.count() == 0


# -- the command line -----------------------------------------------------------------------

@pytest.mark.e2e
def test_run_joins_a_dask_cluster_started_with_the_documented_commands(dask_available, tmp_path):
    """docs/scale.md's multi-node recipe on loopback: `dask scheduler`, `dask worker`, then
    `newsprism run --engine dask --scheduler`."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    scheduler = subprocess.Popen([*dask, "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address,
                               "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        proc = newsprism_process("run", str(DEMO), "--db", "d.db", "--engine", "dask",
                                 "--scheduler", address, cwd=tmp_path, timeout=600)
    finally:
        for p in (worker, scheduler):
            p.terminate()
            p.wait(timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "Documents added       │ 28" in proc.stdout
    again = newsprism("run", str(DEMO), "--db", "d.db", cwd=tmp_path)
    assert "Already present       │ 28" in again.stdout


@pytest.mark.parametrize("args, message", [
    (["--engine", "spark"], "unknown engine 'spark': choose one of local, dask"),
    (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --engine dask"),
    (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:1"],
     "cannot reach the Dask scheduler at tcp://127.0.0.1:1"),
])
def test_bad_engine_options_fail_in_one_line_before_any_work(args, message, tmp_path):
    if "dask" in args:
        pytest.importorskip("distributed")
    proc = newsprism("run", str(DEMO), "--db", "n.db", *args, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=pytest.mark.e2e)])
def test_a_stage_that_fails_on_one_document_reports_it_and_the_run_goes_on(workers, tmp_path):
    pipeline = Pipeline([*DEFAULT_STAGES[:3], ("explode", Explode()), *DEFAULT_STAGES[3:]])
    with LocalEngine(pipeline, workers=workers) as engine:
        report, snap = ingest(tmp_path / "e.db", engine)
    assert [(VICTIM in e.source, e.reason) for e in report.failed] == [
        (True, "the 'explode' stage failed on this document (KeyError: 'unexpected'); "
               "please report it")]
    assert report.added == 27 and len(snap["documents"]) == 27


@pytest.mark.e2e
def test_killing_a_run_leaves_no_worker_processes_behind(tmp_path):
    """SIGKILL on `newsprism run` while the pool works: its workers notice and exit (the
    fork server would otherwise keep them alive), and the re-run completes the store."""
    import signal
    import time

    psutil = pytest.importorskip("psutil")
    corpus = many_reports(tmp_path / "corpus", REPORTS)
    proc = subprocess.Popen([sys.executable, "-m", "newsprism.cli", "run", str(corpus), "--db",
                             "n.db", "--batch-size", "50", "--workers", "2"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list = []
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.2)
        servers = [p for p in psutil.Process(proc.pid).children()
                   if "forkserver" in " ".join(p.cmdline())]
        workers = [w for server in servers for w in server.children()]
    assert workers, "the pool never started: the test proves nothing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive, f"{len(alive)} worker process(es) outlived the run"
    again = newsprism("run", str(corpus), "--db", "n.db", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"Documents in database │ {REPORTS}" in again.stdout


# the interrupted runs: enough short reports for several batches on two workers, few enough
# that the re-run after the interruption is quick
REPORTS = 400  # enough that a Ctrl-C after the first batch lands mid-run on a fast machine


def many_reports(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:04d}.txt").write_text(
            f"Shelling near Kharkiv, report {i}\n12 May 2025\nThe regional governor said on "
            f"Friday that {i} homes were damaged overnight in Kharkiv.\n", encoding="utf-8")
    return folder


@pytest.mark.e2e
@pytest.mark.parametrize("engine", ["local", "dask"])
def test_ctrl_c_stops_cleanly_and_leaves_no_processes(engine, tmp_path):
    """Ctrl-C reaches the whole process group, as in a terminal: one message, exit 130, no
    worker tracebacks, no process left, and the re-run completes the store."""
    import signal
    import time

    psutil = pytest.importorskip("psutil")
    if engine == "dask":
        pytest.importorskip("distributed")
    corpus = many_reports(tmp_path / "corpus", REPORTS)
    proc = subprocess.Popen([sys.executable, "-m", "newsprism.cli", "run", str(corpus), "--db",
                             "n.db", "--engine", engine, "--workers", "2", "--batch-size", "25"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and stored(tmp_path) == 0:
        time.sleep(0.1)  # interrupt once the first batch is in: mid-run, workers busy
    children = psutil.Process(proc.pid).children(recursive=True)
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Interrupted." in err and "Traceback" not in err
    assert 0 < stored(tmp_path) < REPORTS
    gone, alive = psutil.wait_procs(children, timeout=20)
    assert not alive, f"{len(alive)} process(es) outlived the run"
    again = newsprism("run", str(corpus), "--db", "n.db", "--workers", "2", cwd=tmp_path)
    assert f"Documents in database │ {REPORTS}" in again.stdout


def stored(folder: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(folder / "n.db", timeout=1) as db:
            return db.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0
