"""The default engine: this machine's cores, through a pool of worker processes.

Workers are forked from a clean server process (multiprocessing's "forkserver"), never from the
caller: the caller holds open database connections, which a forked child must not inherit. The
server loads the pipeline's models before forking (engine/preload.py), so workers, and the
replacements of workers that died, start with them loaded.
With `workers=1` no pool is started and documents are processed in the calling process. With
more, every document goes to a worker: a document that crashes its process then takes down a
worker, never the run.

Small runs don't pay for a pool: when the number of workers was not chosen, a run with fewer
documents to process than `in_process_below` (data/engine.toml) stays in the calling process,
as with `workers=1` (the time budget then holds through its alarm, budget.py, but a document
stuck in C code is not stopped; pass `workers` to always use the pool).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import threading
import time
import tomllib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from importlib import resources

from newsprism import budget
from newsprism.engine.base import EngineError, PooledEngine, Result, WorkerLost, process_chunk
from newsprism.model import Document
from newsprism.pipeline import Pipeline


def available_cores() -> int:
    """The cores this process may run on (CPU affinity; a container's CPU quota is not seen,
    so pass `--workers` there)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@cache
def in_process_below() -> int:
    """Documents below which a run of the default engine stays in-process (data/engine.toml)."""
    text = resources.files("newsprism.data").joinpath("engine.toml").read_text("utf-8")
    return int(tomllib.loads(text)["local"]["in_process_below"])


def _worker_init(pipeline: Pipeline, caller: int) -> None:
    """In each worker: keep the pipeline, leave Ctrl-C to the caller, and exit when the
    caller is gone (killed with SIGKILL, say): the fork server would otherwise keep orphaned
    workers alive for good, as each worker holds the pipe the server watches."""
    global _PIPELINE
    _PIPELINE = pipeline
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    budget.enable_hard_stop()  # a document stuck past its budget ends this worker, not the run

    def watch() -> None:
        while _alive(caller):
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="newsprism-watch-caller", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


_PIPELINE: Pipeline | None = None


def _run_chunk(docs: list[Document]) -> list[Result]:
    assert _PIPELINE is not None, "worker started without a pipeline"
    return process_chunk(_PIPELINE, docs)


class LocalEngine(PooledEngine):
    """`workers` processes (default: every core); results in input order.

    `small_run`: a run (all the batches given to one `map_batches`) of fewer documents than
    this is processed in this process, without starting the pool; by default
    `in_process_below()` when `workers` is not given, 0 (always the pool) when it is."""

    name = "local"

    def __init__(self, pipeline: Pipeline | None = None, workers: int | None = None,
                 small_run: int | None = None):
        super().__init__(pipeline)
        self.workers = max(1, workers or available_cores())
        if small_run is None:
            small_run = in_process_below() if workers is None else 0
        self.small_run = small_run
        self.in_process = self.workers == 1  # whether the last run stayed in this process
        self._pool: ProcessPoolExecutor | None = None
        self._generation = 0

    def map_batches(self, batches: Iterable[list[Document]]) -> Iterator[list[Result]]:
        """Batches through the pool; or, for a small run, all in this process. Batches are
        read ahead until `small_run` documents are seen or the run ends (a small run is held
        whole, a larger one only for as many batches as that takes)."""
        if self.workers == 1 or self.small_run <= 0:
            self.in_process = self.workers == 1
            yield from super().map_batches(batches)
            return
        pending = iter(batches)
        held: list[list[Document]] = []
        seen = 0
        for batch in pending:
            held.append(batch)
            seen += len(batch)
            if seen >= self.small_run:
                self.in_process = False
                yield from super().map_batches(itertools.chain(held, pending))
                return
        self.in_process = True
        for batch in held:
            yield process_chunk(self.pipeline, batch)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    # -- PooledEngine ---------------------------------------------------------------------
    def _parallel(self, batch: list[Document]) -> bool:
        return self.workers > 1

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["newsprism.engine.preload"])
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_worker_init,
                initargs=(self.pipeline, os.getpid()))
            self._generation += 1
        return self._pool

    def _submit(self, chunk: list[Document]) -> Future:
        pool = self._start()
        try:
            future = pool.submit(_run_chunk, chunk)
        except (BrokenProcessPool, OSError):
            # a pool whose workers died, or whose fork server went with them while it was
            # starting a replacement ("Bad file descriptor"): a fresh pool
            self._discard(self._generation)
            future = self._start().submit(_run_chunk, chunk)
        future.generation = self._generation  # type: ignore[attr-defined]
        return future

    def _wait(self, future: Future) -> list[Result]:
        try:
            return future.result()
        except BrokenProcessPool as exc:
            raise WorkerLost from exc
        except Exception as exc:  # not one document's fault: stages turn those into errors
            raise EngineError(f"a worker process failed: {type(exc).__name__}: {exc}") from exc

    def _recover(self, future: Future) -> bool:
        return self._discard(getattr(future, "generation", self._generation))

    def _discard(self, generation: int) -> bool:
        """Drop a broken pool, once: later failures of the same pool find it replaced."""
        if self._pool is not None and generation == self._generation:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            return True
        return False

