"""What every engine does: run the pipeline on batches of documents, results in input order.

An engine receives batches (lists of documents not yet stored) and yields, for each batch in
the same order, one result per document: the processed `Document` or an `InputError`. Pooled
engines keep a few batches in flight so that workers stay busy while the caller stores the
previous batch. When a worker process dies, the batch is sent again; if it dies again, the
batch's documents are tried one at a time and any document that still kills its worker is
reported as bad input, so one poisonous file never stops a run and nothing is stored twice
(storing happens in the caller, after a batch has come back whole).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

from newsprism.model import Document, InputError
from newsprism.pipeline import Pipeline

Result = Document | InputError
WORKER_DIED = "a worker process died while processing this document (tried twice)"
MAX_LOST_IN_A_ROW = 6  # worker deaths with no finished work in between: the pool is unusable


class Engine(Protocol):
    """Runs the per-document stages; `newsprism run --engine` picks one."""

    name: str
    workers: int

    def map_batches(self, batches: Iterable[list[Document]]) -> Iterator[list[Result]]: ...

    def close(self) -> None: ...


def process_chunk(pipeline: Pipeline, docs: Sequence[Document]) -> list[Result]:
    """The unit of work a worker runs: module-level so that any process can unpickle it."""
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
    """The workers cannot do any work at all (they die before finishing anything)."""


class PooledEngine:
    """The in-flight bookkeeping and worker-death recovery shared by the pooled engines.

    Subclasses say how to submit a chunk (`_submit`), how to wait for it (`_wait`, raising
    `WorkerLost` when its worker died) and how to get a healthy pool back (`_recover`)."""

    name = "pooled"
    workers = 1
    inflight = 2  # batches submitted ahead of the one being returned
    chunks_per_worker = 2  # smaller chunks balance uneven documents across workers

    def __init__(self, pipeline: Pipeline | None = None):
        self.pipeline = pipeline or Pipeline()
        self._lost_in_a_row = 0

    # -- to implement ---------------------------------------------------------------------
    def _submit(self, chunk: list[Document]) -> Any:
        raise NotImplementedError

    def _wait(self, future: Any) -> list[Result]:
        raise NotImplementedError

    def _recover(self, future: Any) -> None:
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
        return [self._submit(c) for c in chunked(batch, self.workers * self.chunks_per_worker)]

    def _receive(self, batch: list[Document], futures: list[Any] | None) -> list[Result]:
        if futures is None:
            return process_chunk(self.pipeline, batch)
        try:
            return self._gather(futures)
        except WorkerLost:
            pass
        try:  # the whole batch once more, on a recovered pool
            return self._gather([self._submit(c) for c in
                                 chunked(batch, self.workers * self.chunks_per_worker)])
        except WorkerLost:
            return [self._alone(doc) for doc in batch]

    def _gather(self, futures: list[Any]) -> list[Result]:
        out: list[Result] = []
        lost: Any = None
        for future in futures:
            try:
                out += self._wait(future)
                self._lost_in_a_row = 0
            except WorkerLost:
                lost = future
        if lost is not None:
            self._lost_in_a_row += 1
            if self._lost_in_a_row >= MAX_LOST_IN_A_ROW:
                raise EngineError(
                    f"{self._lost_in_a_row} worker processes in a row died before finishing "
                    "any work; see the errors above (a script that starts a run must guard "
                    "it with `if __name__ == '__main__':`)")
            self._recover(lost)
            raise WorkerLost
        return out

    def _alone(self, doc: Document) -> Result:
        """One document on its own, twice at most: the last resort after a worker died."""
        for _attempt in range(2):
            try:
                return self._gather([self._submit([doc])])[0]
            except WorkerLost:
                continue
        return InputError(doc.source, WORKER_DIED)
