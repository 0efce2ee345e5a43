"""Pipeline stages that misbehave on chosen documents, for the engine and reliability tests.

Worker processes import this module to unpickle them, so it imports nothing the workers'
fork server has not loaded already (a test module would bring the whole test suite's imports
into every worker a test starts, and the tests that kill workers start many)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from newsprism.model import Document

VICTIM = "txt/03"  # a demo file (by path fragment) whose worker is killed


class KillWorker:
    """A first stage that kills its worker process on chosen documents (path fragments):
    once (when `flag` does not exist yet), or every time (`always`)."""

    def __init__(self, *fragments: str, flag: Path | None = None, always: bool = False):
        self.fragments, self.flag, self.always = fragments, flag, always

    def __call__(self, doc: Document) -> Document:
        if any(f in doc.source for f in self.fragments):
            if self.always:
                os._exit(3)
            if self.flag is not None and not self.flag.exists():
                self.flag.write_text(str(os.getpid()))
                os._exit(3)
        return doc


class DiesOnArrival:
    """A stage whose copy in a worker process ends that process as it arrives, as a worker
    that cannot start would (a script without the `__main__` guard, a broken install)."""

    def __reduce__(self):
        return (os._exit, (3,))

    def __call__(self, doc: Document) -> Document:
        return doc


class Explode:
    """A stage with a bug that only one document triggers."""

    def __call__(self, doc: Document) -> Document:
        if VICTIM in doc.source:
            raise KeyError("unexpected")
        return doc


class Spin:
    """A stage that never ends on documents whose source holds `marker` (pure Python, as
    the super-linear rules were): only the budget can stop it."""

    def __init__(self, marker: str):
        self.marker = marker

    def __call__(self, doc: Document) -> Document:
        while self.marker in Path(doc.source).name:
            sum(range(1000))
        return doc


class Stuck:
    """Stuck where no interrupt reaches (as C code that never returns would be): signals
    blocked, then asleep. Only the worker's hard stop ends it."""

    def __call__(self, doc: Document) -> Document:
        if "stuck" in Path(doc.source).name:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(3600)
        return doc
