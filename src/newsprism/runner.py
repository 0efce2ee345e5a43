"""A run: read inputs, skip what is stored already, process the rest, store batch by batch.

Reading, the check for stored ids and storing happen here, in the calling process; the engine
only runs the per-document stages. Batches are stored in input order whatever the engine, so a
run stores the same thing with any engine.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsprism.engine import Engine, LocalEngine
from newsprism.ingest import DEFAULT_MAX_BYTES, iter_inputs
from newsprism.ingest.files import Item
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
    engine: Engine | None = None,
    batch_size: int = DEFAULT_BATCH,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Callable[[int], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
    follow_links: bool = False,
) -> RunReport:
    """Ingest `paths` into `store`. Re-running on the same inputs adds nothing.

    `engine` defaults to a `LocalEngine` on every core, closed at the end; an engine passed
    in is left open for the caller. `on_progress` receives input bytes as their batch is
    stored. `follow_links`: follow symbolic links that lead outside the folders given."""
    return run_items(iter_inputs(paths, max_bytes, follow_links), store, engine, batch_size,
                     on_progress, on_error)


def run_items(
    items: Iterable[Item],
    store: Store,
    engine: Engine | None = None,
    batch_size: int = DEFAULT_BATCH,
    on_progress: Callable[[int], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> RunReport:
    """`run` over documents read elsewhere (pages fetched by `newsprism watch`): each item is
    a document or an input error, with the input bytes it stands for (for progress)."""
    own_engine = engine is None
    engine = engine or LocalEngine()
    report = RunReport()
    consumed_by_batch: deque[int] = deque()  # input bytes behind each batch in flight
    # per batch in flight: its documents, and the copies (same id) held back from it, which
    # share the outcome of their first copy: stored means present, refused means refused too
    sent: deque[tuple[list[Document], dict[str, list[Document]]]] = deque()

    def fail(error: InputError) -> None:
        report.failed.append(error)
        if on_error:
            on_error(error)

    def todo(batch: list[Document]) -> list[Document]:
        present = store.existing_ids(d.id for d in batch)
        out: dict[str, Document] = {}
        copies: dict[str, list[Document]] = {}
        for doc in batch:
            if doc.id in present:
                report.present += 1
            elif doc.id in out:
                copies.setdefault(doc.id, []).append(doc)
            else:
                out[doc.id] = doc
        docs = list(out.values())
        sent.append((docs, copies))
        return docs

    def batches() -> Iterator[list[Document]]:
        batch: list[Document] = []
        batch_bytes = consumed = 0
        for item, read in items:
            consumed += read
            if isinstance(item, InputError):
                fail(item)
            else:
                batch.append(item)
                batch_bytes += len(item.raw)
            if len(batch) >= batch_size or batch_bytes >= MAX_BATCH_BYTES:
                consumed_by_batch.append(consumed)
                yield todo(batch)
                batch, batch_bytes, consumed = [], 0, 0
        consumed_by_batch.append(consumed)
        yield todo(batch)

    try:
        for results in engine.map_batches(batches()):
            docs, copies = sent.popleft()
            done: list[Document] = []
            for doc, result in zip(docs, results, strict=True):
                if isinstance(result, InputError):
                    fail(result)
                    for copy in copies.get(doc.id, ()):
                        fail(InputError(copy.source, result.reason))
                else:
                    done.append(result)
                    report.present += len(copies.get(doc.id, ()))
            added = store.add(done)
            report.added += added
            report.present += len(done) - added
            if on_progress:
                on_progress(consumed_by_batch.popleft())
    finally:
        if own_engine:
            engine.close()
    return report
