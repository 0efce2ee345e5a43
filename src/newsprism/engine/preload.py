"""Imported once by the local engine's fork server, before it forks any worker.

Loading the pipeline's models, gazetteer and vocabularies here (a few seconds) means every
worker, and every replacement of a worker that died, is forked with them already loaded and
shares their memory copy-on-write, instead of loading them again itself: a document that kills
its worker then costs a fork, not a reload. Warming up leaves no thread running, so forking
afterwards is safe.
"""

from __future__ import annotations

import contextlib
import signal

from newsprism.pipeline import Pipeline


def warm() -> None:
    """The default pipeline, once, on its built-in warm-up documents. Any failure is left to
    the workers, which load what they need themselves and report it per document. Ctrl-C is
    the caller's to handle (the fork server ignores it once it serves, and so do workers): a
    Ctrl-C while loading must not print a traceback from here."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(Exception):
        Pipeline().warm_up()


warm()
