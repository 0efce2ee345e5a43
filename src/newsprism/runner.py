"""A run: read inputs, skip what is stored already, process the rest, store batch by batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsprism.engine import LocalEngine
from newsprism.ingest import DEFAULT_MAX_BYTES, iter_inputs
from newsprism.model import Document, InputError
from newsprism.store import Store

DEFAULT_BATCH = 200
MAX_BATCH_BYTES = 64 * 2**20  # a batch of large articles is flushed early


@dataclass
class RunReport:
    added: int = 0
    present: int = 0
    failed: list[InputError] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.added + self.present


def run(
    paths: Iterable[Path],
    store: Store,
    engine: LocalEngine | None = None,
    batch_size: int = DEFAULT_BATCH,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Callable[[int], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> RunReport:
    """Ingest `paths` into `store`. Re-running on the same inputs adds nothing."""
    engine = engine or LocalEngine()
    report = RunReport()

    def fail(error: InputError) -> None:
        report.failed.append(error)
        if on_error:
            on_error(error)

    def flush(batch: list[Document]) -> None:
        present = store.existing_ids(d.id for d in batch)
        todo: dict[str, Document] = {}
        for doc in batch:
            if doc.id in present or doc.id in todo:
                report.present += 1
            else:
                todo[doc.id] = doc
        done: list[Document] = []
        for result in engine.map(list(todo.values())):
            if isinstance(result, InputError):
                fail(result)
            else:
                done.append(result)
        added = store.add(done)
        report.added += added
        report.present += len(done) - added

    batch: list[Document] = []
    batch_bytes = 0
    for item, consumed in iter_inputs(paths, max_bytes):
        if isinstance(item, InputError):
            fail(item)
        else:
            batch.append(item)
            batch_bytes += len(item.raw)
        if len(batch) >= batch_size or batch_bytes >= MAX_BATCH_BYTES:
            flush(batch)
            batch, batch_bytes = [], 0
        if on_progress:
            on_progress(consumed)
    if batch:
        flush(batch)
    return report
