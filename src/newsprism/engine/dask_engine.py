"""The Dask engine: per-document stages on a Dask cluster, local or across machines.

Without a scheduler address it starts a `LocalCluster` on this machine (one single-threaded
worker process per core, everything on loopback). With `tcp://HOST:PORT` it joins a
running cluster whose workers have the same Newsprism version installed (checked on connect).

The client reads the inputs and ships each batch to the workers in chunks; results come back
to the client, which stores them, so workers never touch the database. Dask itself reruns the
tasks of a worker that dies (up to `distributed.scheduler.allowed-failures` times); if a chunk
still fails with `KilledWorker`, the shared recovery in `engine/base.py` takes over.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import threading
from collections.abc import Iterator
from typing import Any

from newsprism.engine.base import EngineError, PooledEngine, Result, WorkerLost, process_chunk
from newsprism.engine.local import available_cores
from newsprism.model import Document
from newsprism.pipeline import Pipeline

try:
    import dask
    from distributed import Client, Future, LocalCluster
    from distributed.scheduler import KilledWorker
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "the Dask engine needs the 'dask' extra: pip install 'newsprism[dask]'") from exc


@contextlib.contextmanager
def _sigint_ignored_by_children() -> Iterator[None]:
    """Start processes that ignore Ctrl-C (an ignored signal stays ignored in children): the
    caller handles it and closes the cluster, rather than every worker printing a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _refuse_early(scheduler: str) -> None:
    """A TCP address nothing listens on fails at once: Dask's client would retry for its
    whole timeout (10 s) before saying so. Anything else is left to the client."""
    host, _, port = scheduler.removeprefix("tcp://").rpartition(":")
    if not scheduler.startswith("tcp://") or not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except ConnectionRefusedError as exc:
        raise ValueError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    except OSError:
        return  # a slow or unresolvable host: the client's own timeout and message


def _newsprism_version() -> str:
    from importlib.metadata import version

    return version("newsprism")


class DaskEngine(PooledEngine):
    """`scheduler`: address of a running Dask scheduler; else a local cluster of `workers`."""

    name = "dask"

    def __init__(self, pipeline: Pipeline | None = None, workers: int | None = None,
                 scheduler: str | None = None):
        super().__init__(pipeline)
        self.cluster: LocalCluster | None = None
        self.client: Client | None = None
        try:
            if scheduler:
                _refuse_early(scheduler)
                try:
                    self.client = Client(scheduler, timeout="10s")
                except OSError as exc:
                    raise ValueError(
                        f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
                try:
                    self.client.wait_for_workers(1, timeout=60)
                except TimeoutError as exc:
                    raise ValueError(f"the Dask scheduler at {scheduler} has no workers "
                                     "(none joined within 60 s)") from exc
                self._check_versions()
            else:
                # one task per single-threaded worker: a worker that dies takes down (and
                # gets blamed for) only the chunk it was running
                with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}), \
                        _sigint_ignored_by_children():
                    # loopback only; the scheduler's HTTP server on a free port (port 8787
                    # may be another cluster's); the workers' own logs would only repeat,
                    # as tracebacks, what the engine reports in one line
                    self.cluster = LocalCluster(
                        n_workers=max(1, workers or available_cores()), threads_per_worker=1,
                        processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0",
                        silence_logs=logging.CRITICAL)
                self.client = Client(self.cluster)
        except BaseException:
            self.close()
            raise

    @property
    def workers(self) -> int:  # type: ignore[override]
        """Workers connected now (a remote cluster may grow or shrink during a run)."""
        return max(1, len(self._live().scheduler_info(n_workers=-1)["workers"]))

    def _live(self) -> Client:
        if self.client is None:
            raise EngineError("the Dask engine is closed")
        return self.client

    def _check_versions(self) -> None:
        mine = _newsprism_version()
        theirs = set(self._live().run(_newsprism_version).values())
        if theirs and theirs != {mine}:
            raise ValueError(f"the Dask workers run Newsprism {', '.join(sorted(theirs))}; "
                             f"this client runs {mine}: install the same version everywhere")

    def close(self) -> None:
        # a run stopped by Ctrl-C leaves the client's pending waits to fail as it closes, and
        # asyncio would log each ("Task exception was never retrieved … AllExit") with a
        # traceback after the one "Interrupted." line the user should see
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        try:
            if self.client is not None:
                self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()
            self.client = self.cluster = None

    # -- PooledEngine ---------------------------------------------------------------------
    def _submit(self, chunk: list[Document]) -> Future:
        return self._live().submit(process_chunk, self.pipeline, chunk, hard_stop=True,
                                  pure=False)

    def _wait(self, future: Future) -> list[Result]:
        try:
            return future.result()
        except KilledWorker as exc:
            raise WorkerLost from exc
        except Exception as exc:  # e.g. a worker without the NER model, a lost scheduler
            raise EngineError(f"a Dask task failed: {type(exc).__name__}: {exc}") from exc
        finally:
            future.release()

    def _recover(self, future: Any) -> bool:
        """Nothing to rebuild: the scheduler replaces dead workers (the nanny restarts them)."""
        return True
