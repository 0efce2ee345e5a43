"""Export the stored record: JSON Lines (the versioned contract of docs/schema.md) or CSV.

Both stay faithful to what is stored, with one exception: a CSV cell that a spreadsheet would
run as a formula (it starts with = + - @, tab or carriage return) gets a leading single quote,
as OWASP advises against CSV injection. `terminal_safe` is for anything written to a terminal.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from typing import TextIO

from newsprism.model import Document

FORMATS = ("jsonl", "csv")
CSV_COLUMNS = [
    "id", "source", "url", "title", "published", "outlet", "language", "text", "removed",
    "entities", "statements", "unnamed_statements", "events", "unasserted_events",
    "framing", "near_duplicates",
    "story", "schema_version",
]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# C0 and C1 control characters but newline and tab: ESC sequences, CSI, bell, backspace, CR
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def neutralise_cell(value: object) -> object:
    """A cell a spreadsheet would take as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def escape_controls(text: str) -> str:
    """Control characters as visible \\uXXXX escapes (valid inside JSON strings too), so
    that text from an article cannot move the cursor, retitle the window or hide output."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text.replace("\r\n", "\n"))


class _TerminalWriter:
    """A text stream for a terminal: everything written passes through `escape_controls`."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(escape_controls(text))

    def flush(self) -> None:
        self._stream.flush()


def terminal_safe(stream: TextIO) -> TextIO:
    """`stream` itself when it goes to a file or a pipe (output stays faithful); escaped when
    it is a terminal."""
    isatty = getattr(stream, "isatty", None)
    return _TerminalWriter(stream) if isatty and isatty() else stream  # type: ignore[return-value]


def write_jsonl(docs: Iterable[Document], out: TextIO) -> int:
    n = 0
    for doc in docs:
        out.write(json.dumps(doc.to_export(), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(docs: Iterable[Document], out: TextIO) -> int:
    """One row per document; list fields are JSON strings so that nothing is flattened away.
    Formula-like cells are neutralised (`neutralise_cell`)."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for doc in docs:
        record = doc.to_export()
        writer.writerow({
            col: neutralise_cell(json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v)
            for col, v in record.items()
        })
        n += 1
    return n


def export(docs: Iterable[Document], out: TextIO, fmt: str) -> int:
    if fmt == "jsonl":
        return write_jsonl(docs, out)
    if fmt == "csv":
        return write_csv(docs, out)
    raise ValueError(f"unknown export format '{fmt}' (choose from {', '.join(FORMATS)})")
