"""An ordered list of named stages, each a function `Document -> Document` (spaCy-style).

Per-document stages are pure: they read and fill one document and touch nothing else, so any
engine can run them anywhere. Storage, cross-document linking, the API and the UI sit around
the pipeline, never inside it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

from newsprism import budget
from newsprism.budget import Budget, OverBudget
from newsprism.clean.header import header_stage
from newsprism.clean.html import html_stage
from newsprism.clean.language import language_stage
from newsprism.clean.lines import clean_lines, limit_line_lengths
from newsprism.clean.outlet import outlet_stage
from newsprism.extract.framing import framing_stage
from newsprism.extract.stage import extract_stage
from newsprism.ingest.stage import decode_stage, hints_stage
from newsprism.model import Document, InputError, Kind

Stage = Callable[[Document], Document]


def lines_stage(doc: Document) -> Document:
    return clean_lines(doc, doc.language)


def line_budget_stage(doc: Document) -> Document:
    """The input budget: later stages never see a line over the configured length."""
    return limit_line_lengths(doc, Budget.default().max_line_chars)


DEFAULT_STAGES: list[tuple[str, Stage]] = [
    ("decode", decode_stage),
    ("hints", hints_stage),
    ("html", html_stage),
    ("line budget", line_budget_stage),
    ("header", header_stage),
    ("language", language_stage),
    ("lines", lines_stage),
    ("outlet", outlet_stage),
    ("extract", extract_stage),
    ("framing", framing_stage),
]


# Warm-up documents (our own wording): the first document in a process loads the gazetteer,
# lexicons and trafilatura, which must not count against that document's time budget.
_WARM_UP_TEXT = (
    "Council meets on shelter repairs\n"
    "KYIV, March 3, 2026. The city council of Kyiv met on Monday to discuss shelter repairs, "
    "its chair Olena Marchenko said. \"We will finish the work before winter,\" she told "
    "reporters, according to the Ukrainian Ministry of Defence.\n"
)
_WARMED: set[tuple[str, ...]] = set()


class Pipeline:
    """Runs its stages in order; a stage raises `InputError` to reject a document. `process`
    runs them within the per-document `budget` (budget.py)."""

    def __init__(self, stages: Sequence[tuple[str, Stage]] | None = None,
                 budget: Budget | None = None):
        self.stages = list(stages or DEFAULT_STAGES)
        self.budget = budget or Budget.default()

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.stages]

    def __call__(self, doc: Document) -> Document:
        for _name, stage in self.stages:
            doc = stage(doc)
        return doc

    def warm_up(self) -> None:
        """Run once per process on small built-in documents, without a budget (see above)."""
        key = tuple(f"{n}:{type(s).__qualname__}:{getattr(s, '__qualname__', '')}"
                    for n, s in self.stages)
        if key in _WARMED:
            return
        _WARMED.add(key)
        html = "<html><body><article>" + "".join(
            f"<p>{p}</p>" for p in _WARM_UP_TEXT.splitlines()) + "</article></body></html>"
        samples: tuple[tuple[bytes, Kind], ...] = ((_WARM_UP_TEXT.encode(), "text"),
                                                   (html.encode(), "html"))
        for raw, kind in samples:
            with contextlib.suppress(Exception):  # a real document would report it
                self(Document(id="warm-up", source="warm-up", raw=raw, kind=kind))

    def process(self, doc: Document) -> Document | InputError:
        """Like calling the pipeline, but bad input comes back as a value, not an exception.

        A stage that fails in an unforeseen way on one document also becomes that document's
        error (naming the stage), so one odd input never stops a run of thousands; so does a
        document over its time budget."""
        self.warm_up()
        source = doc.source
        current = ""
        try:
            with budget.limit(self.budget.seconds, self.budget.hard_stop_grace) as timer:
                for name, stage in self.stages:
                    current = name
                    doc = stage(doc)
                    if timer.expired:
                        raise OverBudget
        except OverBudget:
            return InputError(source, self.budget.over_time(current))
        except InputError as exc:
            return exc
        except RecursionError:
            return InputError(source, "document too deeply nested to parse")
        except Exception as exc:  # noqa: BLE001 - reported per document, the run goes on
            detail = " ".join(str(exc).split())  # one line, whatever the message holds
            return InputError(source, f"the '{current}' stage failed on this document "
                                      f"({type(exc).__name__}: {detail}); please report it")
        if not doc.lines:
            return InputError(doc.source, "no article text left after cleaning")
        return doc
