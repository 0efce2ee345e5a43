"""An ordered list of named stages, each a function `Document -> Document` (spaCy-style).

Per-document stages are pure: they read and fill one document and touch nothing else, so any
engine can run them anywhere. Storage, cross-document linking, the API and the UI sit around
the pipeline, never inside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from newsprism.clean.header import header_stage
from newsprism.clean.html import html_stage
from newsprism.clean.language import language_stage
from newsprism.clean.lines import clean_lines
from newsprism.clean.outlet import outlet_stage
from newsprism.extract.framing import framing_stage
from newsprism.extract.stage import extract_stage
from newsprism.ingest.stage import decode_stage, hints_stage
from newsprism.model import Document, InputError

Stage = Callable[[Document], Document]


def lines_stage(doc: Document) -> Document:
    return clean_lines(doc, doc.language)


DEFAULT_STAGES: list[tuple[str, Stage]] = [
    ("decode", decode_stage),
    ("hints", hints_stage),
    ("html", html_stage),
    ("header", header_stage),
    ("language", language_stage),
    ("lines", lines_stage),
    ("outlet", outlet_stage),
    ("extract", extract_stage),
    ("framing", framing_stage),
]


class Pipeline:
    """Runs its stages in order; a stage raises `InputError` to reject a document."""

    def __init__(self, stages: Sequence[tuple[str, Stage]] | None = None):
        self.stages = list(stages or DEFAULT_STAGES)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.stages]

    def __call__(self, doc: Document) -> Document:
        for _name, stage in self.stages:
            doc = stage(doc)
        return doc

    def process(self, doc: Document) -> Document | InputError:
        """Like calling the pipeline, but bad input comes back as a value, not an exception.

        A stage that fails in an unforeseen way on one document also becomes that document's
        error (naming the stage), so one odd input never stops a run of thousands."""
        source = doc.source
        current = ""
        try:
            for name, stage in self.stages:
                current = name
                doc = stage(doc)
        except InputError as exc:
            return exc
        except RecursionError:
            return InputError(source, "document too deeply nested to parse")
        except Exception as exc:  # noqa: BLE001 - reported per document, the run goes on
            return InputError(source, f"the '{current}' stage failed on this document "
                                      f"({type(exc).__name__}: {exc}); please report it")
        if not doc.lines:
            return InputError(doc.source, "no article text left after cleaning")
        return doc
