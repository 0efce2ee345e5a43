"""The write operations every front end offers, written once: ingest and link.

`newsprism run` and the API's POST /api/documents both store documents and then link what is
new; both decide when to link with `needs_linking`, and the API ingests with `ingest_items`,
so the two cannot drift apart (a command that links after a run the API would not, say).
The CLI keeps its own reading of files (runner.py) and its progress bars; both only render
what these functions return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.engine import Engine
from newsprism.ingest import json_document
from newsprism.link.run import LinkReport, Progress, link
from newsprism.model import Document, InputError
from newsprism.store import Store


@dataclass
class Rejected:
    """An item that was not stored: its position in the request and the reason, one line."""

    index: int
    reason: str


@dataclass
class IngestReport:
    """What one request of items became: ids added, ids already stored (or repeated in the
    request), items rejected (in request order), and the linking it triggered, if any."""

    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    failed: list[Rejected] = field(default_factory=list)
    linked: LinkReport | None = None

    def to_dict(self) -> dict[str, list[Any]]:
        return {"added": self.added, "present": self.present,
                "failed": [{"index": f.index, "reason": f.reason} for f in self.failed]}


def needs_linking(store: Store, added: int) -> bool:
    """Whether to link after storing: some documents were added, or an earlier run stopped
    before linking what it stored (`documents.linked_at` empty)."""
    return bool(added) or store.unlinked_count() > 0


def link_if_needed(store: Store, added: int, progress: Progress | None = None,
                   ) -> LinkReport | None:
    """Link when `needs_linking`; None when nothing needed it."""
    return link(store, progress) if needs_linking(store, added) else None


def in_process_engine() -> Engine:
    """The engine for `ingest_items` in a server: the pipeline in the calling process (a
    request's few documents never earn back a process pool)."""
    from newsprism.engine import LocalEngine

    return LocalEngine(workers=1)


def ingest_items(store: Store, items: Sequence[Any], engine: Engine,
                 source: str = "api") -> IngestReport:
    """JSON items (validated like JSONL lines), through the pipeline on `engine`, stored and
    linked; idempotent by content id. Callers serialise concurrent calls on one store."""
    report = IngestReport()
    docs: dict[str, Document] = {}
    index_of: dict[str, int] = {}
    for index, item in enumerate(items):
        doc = json_document(item, f"{source}#{index}")
        if isinstance(doc, InputError):
            report.failed.append(Rejected(index, doc.reason))
        elif doc.id in docs:
            report.present.append(doc.id)
        else:
            docs[doc.id] = doc
            index_of[doc.id] = index
    present = store.existing_ids(docs)
    report.present += [i for i in docs if i in present]
    todo = [d for i, d in docs.items() if i not in present]
    done: list[Document] = []
    if todo:
        results = next(iter(engine.map_batches([todo])))
        for doc, out in zip(todo, results, strict=True):
            if isinstance(out, InputError):
                report.failed.append(Rejected(index_of[doc.id], out.reason))
            else:
                done.append(out)
    if done:
        store.add(done)
        report.added += [d.id for d in done]
    report.linked = link_if_needed(store, len(done)) if done else None
    report.failed.sort(key=lambda f: f.index)
    return report
