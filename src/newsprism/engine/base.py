"""What every engine does: run the pipeline on batches of documents, results in input order.

An engine receives batches (lists of documents not yet stored) and yields, for each batch in
the same order, one result per document: the processed `Document` or an `InputError`. Pooled
engines keep a few batches in flight so that workers stay busy while the caller stores the
previous batch. When a worker process dies, the batch is sent again; if it dies again, the
batch's documents are tried one at a time and any document that still kills its worker is
reported as bad input, so one poisonous file never stops a run and nothing is stored twice
(storing happens in the caller, after a batch has come back whole). Workers that die again and
again before any work has finished mean the pool itself cannot work: the run stops with an
`EngineError`, as it does when a worker fails in any other way (not a death).
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, Self

from newsprism import budget
from newsprism.model import Document, InputError
from newsprism.pipeline import Pipeline

Result = Document | InputError
WORKER_DIED = "a worker process died each time this document was processed on its own (twice)"
MAX_LOST_AT_START = 6  # pools lost before any work has finished: the workers cannot work


class Engine(Protocol):
    """Runs the per-document stages; `newsprism run --engine` picks one."""

    @property
    def name(self) -> str: ...

    @property
    def workers(self) -> int: ...

    def map_batches(self, batches: Iterable[list[Document]]) -> Iterator[list[Result]]: ...

    def close(self) -> None: ...


def process_chunk(pipeline: Pipeline, docs: Sequence[Document],
                  hard_stop: bool = False) -> list[Result]:
    """The unit of work a worker runs: module-level so that any process can unpickle it.
    `hard_stop` (only ever in a worker process): a document stuck past its time budget ends
    the process, and the recovery below reports it (budget.py)."""
    if hard_stop:
        budget.enable_hard_stop()
    return [pipeline.process(doc) for doc in docs]


def chunked(docs: Sequence[Document], parts: int) -> list[list[Document]]:
    """Split a batch into at most `parts` contiguous chunks of near-equal size."""
    if not docs:
        return []
    size = -(-len(docs) // max(1, parts))
    return [list(docs[i : i + size]) for i in range(0, len(docs), size)]


class WorkerLost(Exception):
    """A worker died under a task (the engine turns its own exception into this one)."""


class EngineError(RuntimeError):
    """The engine cannot go on: its workers die before finishing anything, or fail in a way
    that is not about one document (a lost scheduler, a worker without a needed package)."""


class PooledEngine:
    """The in-flight bookkeeping and worker-death recovery shared by the pooled engines.

    Subclasses say how to submit a chunk (`_submit`), how to wait for it (`_wait`, raising
    `WorkerLost` when its worker died and `EngineError` on any other failure) and how to get a
    healthy pool back (`_recover`, true when this loss was news: not an old pool's)."""

    name = "pooled"
    workers = 1
    inflight = 2  # batches submitted ahead of the one being returned
    chunks_per_worker = 2  # smaller chunks balance uneven documents across workers

    def __init__(self, pipeline: Pipeline | None = None):
        self.pipeline = pipeline or Pipeline()
        self._lost = 0  # pools lost so far
        self._finished_any = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- to implement ---------------------------------------------------------------------
    def close(self) -> None:
        raise NotImplementedError

    def _submit(self, chunk: list[Document]) -> Any:
        raise NotImplementedError

    def _wait(self, future: Any) -> list[Result]:
        raise NotImplementedError

    def _recover(self, future: Any) -> bool:
        raise NotImplementedError

    def _parallel(self, batch: list[Document]) -> bool:
        """Whether this batch goes to the workers (small batches may stay in-process)."""
        return True

    # -- shared ---------------------------------------------------------------------------
    def map(self, docs: Sequence[Document]) -> list[Result]:
        """One batch, processed and returned."""
        return next(iter(self.map_batches([list(docs)])))

    def map_batches(self, batches: Iterable[list[Document]]) -> Iterator[list[Result]]:
        pending: deque[tuple[list[Document], list[Any] | None]] = deque()
        for batch in batches:
            pending.append((batch, self._send(batch)))
            while len(pending) > self.inflight:
                yield self._receive(*pending.popleft())
        while pending:
            yield self._receive(*pending.popleft())

    def _send(self, batch: list[Document]) -> list[Any] | None:
        if not batch or not self._parallel(batch):
            return None
        return self._submit_all(batch)

    def _submit_all(self, batch: list[Document]) -> list[Any]:
        return [self._submit(c) for c in chunked(batch, self.workers * self.chunks_per_worker)]

    def _receive(self, batch: list[Document], futures: list[Any] | None) -> list[Result]:
        if futures is None:
            return process_chunk(self.pipeline, batch)
        try:
            return self._gather(futures)
        except WorkerLost:
            pass
        try:  # the whole batch once more, on a recovered pool
            return self._gather(self._submit_all(batch))
        except WorkerLost:
            return [self._alone(doc) for doc in batch]

    def _gather(self, futures: list[Any]) -> list[Result]:
        out: list[Result] = []
        lost: Any = None
        for future in futures:
            try:
                out += self._wait(future)
                self._finished_any = True
            except WorkerLost:
                lost = future
        if lost is not None:
            if self._recover(lost):
                self._lost += 1
            if not self._finished_any and self._lost >= MAX_LOST_AT_START:
                raise EngineError(
                    f"{self._lost} worker processes died before any finished its work; see the "
                    "errors above (a script that starts a run must guard it with "
                    "`if __name__ == '__main__':`)")
            raise WorkerLost
        return out

    def _alone(self, doc: Document) -> Result:
        """One document on its own, twice at most: the last resort after a worker died. When
        it fails both times, an empty task tells whether the pool works at all (it then
        has finished work, so later deaths are blamed on documents, not on the pool)."""
        limits = self.pipeline.budget
        stuck = limits.seconds > 0
        for _attempt in range(2):
            started = time.monotonic()
            try:
                return self._gather([self._submit([doc])])[0]
            except WorkerLost:
                stuck = stuck and time.monotonic() - started >= limits.seconds
                continue
        with contextlib.suppress(WorkerLost):
            self._gather([self._submit([])])
        if stuck:  # its worker was stopped by the hard stop of the time budget
            return InputError(doc.source, f"{limits.over_time()} (stuck where it could "
                                          "not be interrupted; its worker was stopped)")
        return InputError(doc.source, WORKER_DIED)
